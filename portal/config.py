"""Settings: every environment variable the site reads, in one documented registry.

Each `Setting` names an environment variable, its default, how to parse it and a help
text. `load_settings()` turns the environment into Flask config keys. The registry is
the single source of truth: `docs/configuration.md` documents every entry, and a test
fails when one is missing there or when code reads the environment elsewhere.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _parse_int(value: str) -> int:
    return int(value.strip())


def _parse_str(value: str) -> str:
    return value.strip()


@dataclass(frozen=True)
class Setting:
    """One environment variable the application reads."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = _parse_str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy database URL. Unset: SQLite file `portal.sqlite3` in the instance folder. "
        "`postgresql://` URLs use the psycopg 3 driver.",
    ),
    Setting(
        "SECRET_KEY",
        None,
        "Key that signs sessions and CSRF tokens. Unset: generated once and kept in "
        "`instance/secret_key`. Set the same value on every machine of a multi-node site.",
        secret=True,
    ),
    Setting(
        "PSEUDONYM_KEY",
        None,
        "Key of the pseudonyms in published datasets (each dataset derives its own from it). Unset: "
        "generated once and kept in `instance/pseudonym_key`. Keep it out of the database and its "
        "backups; changing it changes every pseudonym.",
        secret=True,
    ),
    Setting(
        "REDIS_URL",
        None,
        "Redis URL for rate limits, background jobs and cache shared between workers. "
        "Unset: rate limits in process memory, jobs in a thread.",
    ),
    Setting(
        "INSTANCE_PATH",
        None,
        "Folder for local state (SQLite file, generated secret key, default storage). "
        "Unset: `instance/` in the project folder.",
    ),
    Setting(
        "STORAGE_PATH",
        None,
        "Folder where published files are stored; shared storage on a multi-node site. "
        "Unset: `storage/` inside the instance folder.",
    ),
    Setting(
        "SITE_URL",
        "",
        "Public base URL of the site, such as `https://opendata.example.gov.tw`, used in "
        "links that leave the site (e-mail, feeds) and, by its scheme and host, in every "
        "page's canonical and alternate-language links. Unset: taken from each request.",
    ),
    Setting(
        "STATIC_GZIP",
        True,
        "Compress the site's CSS, JavaScript and SVG with gzip for browsers that accept it. "
        "Turn off behind a proxy that compresses.",
        _parse_bool,
    ),
    Setting(
        "MAIL_SERVER",
        "",
        "SMTP host for outgoing mail. Unset: mail is written to the log instead of sent.",
    ),
    Setting(
        "MAIL_OUTBOX",
        False,
        "Development only: with no MAIL_SERVER, keep each outgoing message as a file in the instance "
        "folder's `outbox/` and list the newest at /staff/outbox for administrators. The files hold "
        "citizens' mail in clear text: never set it in production.",
        _parse_bool,
    ),
    Setting("MAIL_PORT", 587, "Port of the SMTP server (587 with STARTTLS).", _parse_int),
    Setting("MAIL_USERNAME", "", "SMTP user name, when the server asks for one."),
    Setting("MAIL_PASSWORD", "", "SMTP password, if the server needs one.", secret=True),
    Setting("MAIL_USE_TLS", True, "Encrypt the SMTP connection with STARTTLS.", _parse_bool),
    Setting(
        "MAIL_FROM",
        "no-reply@localhost",
        "Sender address of outgoing mail.",
    ),
    Setting(
        "SESSION_IDLE_MINUTES",
        30,
        "A staff session ends after this many minutes without a request.",
        _parse_int,
    ),
    Setting(
        "SESSION_MAX_HOURS",
        12,
        "A staff session ends this many hours after login, however active.",
        _parse_int,
    ),
    Setting(
        "COOKIE_SECURE",
        False,
        "Send cookies over HTTPS only. Turn on in every deployment served over HTTPS.",
        _parse_bool,
    ),
    Setting(
        "PROXY_HOPS",
        0,
        "Number of reverse proxies in front of the site whose X-Forwarded-For, -Proto and "
        "-Host headers are trusted. 0 trusts none.",
        _parse_int,
    ),
    Setting(
        "RATELIMIT_DEFAULT",
        "600 per minute",
        "Rate limit applied to every route, per client address, such as `600 per minute;10000 per day`.",
    ),
    Setting(
        "RATELIMIT_KEY_PREFIX",
        "",
        "Prefix of every rate-limit counter's Redis key, for sites that share one Redis database.",
    ),
    Setting(
        "RATELIMIT_LOGIN",
        "10 per minute",
        "Rate limit on login attempts, per client address.",
    ),
    Setting(
        "LOGIN_FREE_FAILURES",
        5,
        "Failed password checks in a row a user name (or a known device) may have before each "
        "further failure makes it wait (portal.auth.throttle, docs/security.md).",
        _parse_int,
    ),
    Setting(
        "LOGIN_ADDRESS_FREE_FAILURES",
        30,
        "Failed password checks in a row one client address may have, over every user name, "
        "before each further failure makes it wait. Higher than per name: an office's staff "
        "may share one address.",
        _parse_int,
    ),
    Setting(
        "LOGIN_FIRST_DELAY_SECONDS",
        30,
        "The wait after the first failure past the free ones; each further failure doubles it.",
        _parse_int,
    ),
    Setting(
        "LOGIN_LONGEST_DELAY_MINUTES",
        15,
        "The longest wait after failed password checks.",
        _parse_int,
    ),
    Setting(
        "LOGIN_FORGET_HOURS",
        24,
        "A user name, address or device that has not failed for this long starts counting again.",
        _parse_int,
    ),
    Setting(
        "LOGIN_DEVICE_DAYS",
        180,
        "How long a browser stays a known device of the account that signed in with it.",
        _parse_int,
    ),
    Setting(
        "JOBS_QUEUE",
        "portal",
        "Name of the Redis queue background jobs go to (with REDIS_URL). Sites sharing one Redis "
        "need different names.",
    ),
    Setting(
        "DATASET_UPLOAD_MAX_MB",
        500,
        "Largest source file a dataset may be published from, in megabytes (web upload and command line).",
        _parse_int,
    ),
    Setting(
        "API_PAGE_CACHE_MB",
        32,
        "Memory each worker may give to rendered pages of the rows API (releases never change); 0 turns it off.",
        _parse_int,
    ),
    Setting(
        "PAGE_VIEWS",
        True,
        "Count the public pages shown, per page and day (nothing about the visitor), to rank the home "
        "page's services by use.",
        _parse_bool,
    ),
    Setting(
        "PAGE_VIEW_FLUSH_SECONDS",
        60,
        "How often each web worker writes the page views it counted.",
        _parse_int,
    ),
    Setting(
        "LINK_CHECK_TIMEOUT_SECONDS",
        10,
        "How long the link checker waits for each external address to answer.",
        _parse_int,
    ),
    Setting(
        "LINK_CHECK_RETRIES",
        2,
        "How many more times the link checker asks an address that timed out, refused the connection "
        "or answered 5xx (after 1 s, then 2 s).",
        _parse_int,
    ),
    Setting(
        "DISCLOSURE_FILE_MAX_MB",
        50,
        "Largest file staff may publish under 主動公開資訊, in megabytes (ODF or PDF).",
        _parse_int,
    ),
    Setting(
        "DISCLOSURE_FILES_MAX",
        10,
        "How many files one disclosure document's form may carry at once.",
        _parse_int,
    ),
    Setting(
        "SEARCH_OPENSEARCH_URL",
        None,
        "An OpenSearch server for the full-text search, for sites that outgrow the database "
        "(docs/search.md). Unset: the database's own index (SQLite FTS5, or PostgreSQL with RUM).",
    ),
    Setting(
        "SEARCH_OPENSEARCH_INDEX",
        "portal-search",
        "Name of the OpenSearch index (with SEARCH_OPENSEARCH_URL); sites sharing a server need different names.",
    ),
    Setting(
        "CASE_DATA_KEYS",
        None,
        "Keys that encrypt citizens' contact details and case descriptions, newest first, as "
        "`id:secret` pairs separated by commas (secrets of at least 32 characters). Unset: one key "
        "generated once and kept in `instance/case_data_key`. Rotation: docs/cases.md.",
        secret=True,
    ),
    Setting(
        "CASE_PASSWORD_KEY",
        None,
        "Key mixed into case passwords before they are hashed, so that the case table alone cannot be "
        "attacked offline. Unset: generated once and kept in `instance/case_password_key`. Changing it "
        "makes every issued case password stop working.",
        secret=True,
    ),
    Setting(
        "CASE_EMAIL_CONFIRMATION",
        True,
        "Whether a web case with an e-mail address waits for the link in its confirmation mail before "
        "it enters an office's queue (discarded when not confirmed within 3 days).",
        _parse_bool,
    ),
    Setting(
        "CASE_MAIL_BACKGROUND",
        True,
        "Send case mail in the background as soon as it is queued. Off (tests), it waits for "
        "`flask cases send-mail`.",
        _parse_bool,
    ),
    Setting(
        "RATELIMIT_CASES",
        "5 per hour;20 per day",
        "Rate limit on sending cases through the opinion mailbox, per client address.",
    ),
    Setting(
        "RATELIMIT_OPEN311",
        "30 per minute;2000 per day",
        "Rate limit on cases sent through Open311 (`POST /open311/v2/requests`), per client address.",
    ),
    Setting(
        "CASES_PER_EMAIL_PER_DAY",
        10,
        "How many cases one e-mail address may send through the opinion mailbox in a day.",
        _parse_int,
    ),
    Setting(
        "CASE_ATTACHMENT_MAX_MB",
        10,
        "Largest file a citizen or an officer may attach to a case, in megabytes (JPEG, PNG, WebP or PDF).",
        _parse_int,
    ),
    Setting(
        "CASE_ATTACHMENTS_MAX",
        5,
        "How many files one form (the opinion mailbox, adding information to a case) may attach.",
        _parse_int,
    ),
    Setting(
        "CASE_RETENTION_YEARS",
        5,
        "Years after a case is closed before its personal data (contact details, subject, description, "
        "timeline texts) is erased by `flask cases daily`; the figures stay.",
        _parse_int,
    ),
    Setting(
        "CASE_DIGEST_DUE_WITHIN_DAYS",
        2,
        "The daily digest `flask cases daily` mails to case officers lists their open cases past due and "
        "those due within this many working days.",
        _parse_int,
    ),
    Setting(
        "SURVEY_LINK_DAYS",
        30,
        "Days the satisfaction survey's link, sent when a case is closed, can be answered.",
        _parse_int,
    ),
    Setting(
        "FOLLOW_UP_WORKING_DAYS",
        5,
        "Working days the office's supervisor has to follow up a citizen who answered the satisfaction "
        "survey with 2 or less.",
        _parse_int,
    ),
    Setting(
        "COUNTER_SURVEY_KIOSK_LIMIT",
        "1 per 10 seconds",
        "How often one kiosk (a tablet set up by staff, named by its signed cookie) may record a counter "
        "survey answer: one visitor at a time.",
    ),
    Setting(
        "COUNTER_SURVEY_ADDRESS_LIMIT",
        "2 per minute",
        "How often one client address may answer a counter survey from a phone (the poster's QR code); "
        "visitors on one network share it.",
    ),
    Setting(
        "COUNTER_SURVEY_COUNTER_LIMITS",
        "6 per minute;60 per hour",
        "How many answers one counter takes, from every device together; beyond it answers are refused.",
    ),
    Setting(
        "COUNTER_SURVEY_BURST",
        "8 per 5 minutes",
        "More answers than this at one counter within the window (whole minutes) are flagged as a burst "
        "on the staff dashboard; they stay counted until staff exclude them.",
    ),
    Setting(
        "API_RELEASE_LOOKUP_SECONDS",
        2,
        "How long each worker reuses its lookup of the release a rows request reads: a new release or "
        "an unpublished dataset reaches the rows API at most this many seconds later; 0 looks it up every time.",
        _parse_int,
    ),
    Setting(
        "INGEST_MEMORY_MB",
        1024,
        "Address space the process that reads an uploaded spreadsheet may use, in megabytes; "
        "a spreadsheet that needs more is refused.",
        _parse_int,
    ),
    Setting(
        "INGEST_SECONDS",
        1200,
        "Processor time the process that reads an uploaded spreadsheet may use, in seconds; "
        "a spreadsheet that needs more is refused.",
        _parse_int,
    ),
    Setting(
        "PUBLISH_STALE_SECONDS",
        120,
        "A publish job that has not reported progress for this long is taken as crashed: another "
        "publish of the dataset may start and its leftovers are removed.",
        _parse_int,
    ),
    Setting(
        "PDF_FONT",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "Font file for Chinese text in generated PDFs (Debian package fonts-noto-cjk). A file with "
        "`Regular` in its name finds its bold face by replacing it with `Bold`.",
    ),
    Setting(
        "PDF_FONT_INDEX",
        3,
        "Face of PDF_FONT to use when it is a collection (.ttc): 3 is Traditional Chinese in Noto Sans CJK.",
        _parse_int,
    ),
    Setting(
        "LOG_LEVEL",
        "INFO",
        "Python logging level of the application's log.",
    ),
)

SETTINGS_BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


def read_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse every registered setting from `environ` (default: the process environment).

    Unset or empty variables take the registered default. A value that does not parse
    raises `ValueError` naming the variable, so a typo stops the start instead of
    silently falling back.
    """
    source = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = source.get(setting.name)
        if raw is None or raw.strip() == "":
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as error:
            raise ValueError(f"{setting.name}: {error}") from error
    return values


def resolve_instance_path(values: Mapping[str, Any]) -> Path:
    """Return the instance folder, creating it when missing."""
    path = Path(values["INSTANCE_PATH"] or PROJECT_ROOT / "instance").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def persistent_secret_key(instance_path: Path, name: str = "secret_key") -> str:
    """Return the key kept in the instance folder as `name`, generating it on first use.

    The file is created exclusively so that several workers starting at once agree on
    one key; it is readable by its owner only.
    """
    key_file = instance_path / name
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = key_file.read_text(encoding="ascii").strip()
        if key:
            return key
        # An empty file means another process is writing it right now; take over.
        descriptor = os.open(key_file, os.O_WRONLY | os.O_TRUNC)
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain `postgresql://` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def build_config(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Build the Flask configuration from the environment and optional overrides.

    Overrides use the same names as the registry (tests pass a database URL this way)
    and may add plain Flask keys such as `TESTING`.
    """
    values = read_environment(environ)
    if overrides:
        values.update(overrides)
    instance_path = resolve_instance_path(values)
    database_url = values["DATABASE_URL"] or f"sqlite:///{instance_path / 'portal.sqlite3'}"
    storage_path = Path(values["STORAGE_PATH"] or instance_path / "storage")
    secret_key = values["SECRET_KEY"] or persistent_secret_key(instance_path)
    pseudonym_key = values["PSEUDONYM_KEY"] or persistent_secret_key(instance_path, "pseudonym_key")
    case_data_keys = values["CASE_DATA_KEYS"] or "k1:" + persistent_secret_key(instance_path, "case_data_key")
    case_password_key = values["CASE_PASSWORD_KEY"] or persistent_secret_key(
        instance_path, "case_password_key"
    )
    config = dict(values)
    config.update(
        CASE_DATA_KEYS=case_data_keys,
        CASE_PASSWORD_KEY=case_password_key,
        INSTANCE_PATH=str(instance_path),
        DATABASE_URL=normalise_database_url(database_url),
        STORAGE_PATH=str(storage_path),
        SECRET_KEY=secret_key,
        PSEUDONYM_KEY=pseudonym_key,
        SESSION_COOKIE_SECURE=values["COOKIE_SECURE"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="portal_session",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        # Without Redis: counters in the worker, expired lazily (portal/ratelimit_storage.py).
        RATELIMIT_STORAGE_URI=values["REDIS_URL"] or "process-memory://",
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        BABEL_DEFAULT_LOCALE="zh_Hant_TW",
        BABEL_DEFAULT_TIMEZONE="Asia/Taipei",
        BABEL_TRANSLATION_DIRECTORIES=str(PROJECT_ROOT / "site" / "translations"),
    )
    return config
