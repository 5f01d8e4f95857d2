"""Languages: Traditional Chinese at `/`, English under `/en/`.

Source strings are written in Traditional Chinese and translated to English in
`site/translations/en`. `LocalePrefixMiddleware` moves a leading `/en` from the path
into the script root, so every route is defined once and `url_for` keeps the visitor
in their language. `switch_language_url()` gives the current page in the other one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from babel import support
from flask import Flask, current_app, g, has_app_context, has_request_context, request, url_for
from flask_babel import Babel, get_locale, get_translations, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header
from wtforms.i18n import messages_path as wtforms_messages_path

from portal.http import is_program_path

__all__ = [
    "DEFAULT_LOCALE",
    "LANGUAGES",
    "Language",
    "_",
    "_l",
    "current_language",
    "init_app",
    "language_of",
    "localized",
    "ngettext",
    "switch_language_urls",
]


class Language:
    """A language the site is offered in."""

    def __init__(self, code: str, locale: str, html_lang: str, prefix: str, name: str) -> None:
        self.code = code
        self.locale = locale
        self.html_lang = html_lang
        self.prefix = prefix
        self.name = name  # shown in its own language in the switch


LANGUAGES: tuple[Language, ...] = (
    Language("zh", "zh_Hant_TW", "zh-Hant-TW", "", "中文"),
    Language("en", "en", "en", "/en", "English"),
)
DEFAULT_LOCALE = LANGUAGES[0].locale
_BY_LOCALE = {language.locale: language for language in LANGUAGES}
_LOCALE_KEY = "portal.locale"
_ROOT_KEY = "portal.script_root"


class LocalePrefixMiddleware:
    """Route `/en/...` to the same views as `/...`, in English."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "") or "/"
        script_name = environ.get("SCRIPT_NAME", "")
        environ[_ROOT_KEY] = script_name
        environ[_LOCALE_KEY] = DEFAULT_LOCALE
        for language in LANGUAGES:
            if not language.prefix:
                continue
            if path == language.prefix or path.startswith(language.prefix + "/"):
                environ[_LOCALE_KEY] = language.locale
                environ["SCRIPT_NAME"] = script_name + language.prefix
                environ["PATH_INFO"] = path[len(language.prefix) :] or "/"
                break
        return self.wsgi_app(environ, start_response)


def locale_of(environ: Mapping[str, Any], path: str) -> str:
    """Locale of a request to `path`: the path prefix, or for programs without one, Accept-Language."""
    chosen = environ.get(_LOCALE_KEY, DEFAULT_LOCALE)
    prefixed = environ.get("SCRIPT_NAME", "") != environ.get(_ROOT_KEY, "")
    header = environ.get("HTTP_ACCEPT_LANGUAGE")
    if not prefixed and header and is_program_path(path):
        accepted = parse_accept_header(header, LanguageAccept)
        if accepted and accepted.best_match(["zh-TW", "zh-Hant", "zh", "en"]) == "en":
            return "en"
    return chosen


def language_of(environ: Mapping[str, Any], path: str) -> Language:
    """The `Language` a request to `path` is answered in, from its WSGI environ alone."""
    return _BY_LOCALE.get(locale_of(environ, path), LANGUAGES[0])


def select_locale() -> str:
    """Locale of the current request (see `locale_of`)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    return locale_of(request.environ, request.path)


def current_language() -> Language:
    """The `Language` of the current request."""
    return _BY_LOCALE.get(str(get_locale()), LANGUAGES[0])


def unprefixed_script_root() -> str:
    """The script root before the language prefix was added."""
    return request.environ.get(_ROOT_KEY, request.script_root)


def url_in_language(language: Language) -> str:
    """The current page's URL in `language`, query string included."""
    url = unprefixed_script_root() + language.prefix + request.path
    query = request.query_string.decode("latin-1")
    return f"{url}?{query}" if query else url


def absolute_url(path: str) -> str:
    """`path` (already holding the script root) as an absolute URL.

    The scheme and host come from `SITE_URL` when it is set, else from the request (which
    a trusted proxy's forwarded headers set); search engines want absolute alternates.
    """
    site = current_app.config.get("SITE_URL") or ""
    if site:
        parts = urlsplit(site)
        return f"{parts.scheme}://{parts.netloc}{path}"
    return request.host_url.rstrip("/") + path


def url_for_language(language_code: str, endpoint: str, **values: Any) -> str:
    """The absolute URL of `endpoint` in the language `language_code`, whatever the request's own.

    For mail written to a citizen in their language while staff work in another.
    """
    root = unprefixed_script_root()
    path = strip_language_prefix(url_for(endpoint, **values))[len(root) :]
    prefix = next((language.prefix for language in LANGUAGES if language.code == language_code), "")
    return absolute_url(root + prefix + path)


def canonical_url() -> str:
    """The absolute URL of this page in its own language, for `rel=canonical`."""
    return absolute_url(url_in_language(current_language()))


def alternate_urls() -> list[tuple[str, str]]:
    """(`hreflang`, absolute URL) of this page in every language, and `x-default` (the first language)."""
    alternates = [(language.html_lang, absolute_url(url_in_language(language))) for language in LANGUAGES]
    return [*alternates, ("x-default", alternates[0][1])]


def switch_language_urls() -> list[tuple[Language, str]]:
    """Every language other than the current one, with this page's URL in it."""
    current = current_language()
    return [(language, url_in_language(language)) for language in LANGUAGES if language != current]


def localized(obj: Any, field: str) -> Any:
    """Value of `obj.<field>_en` in English when filled, else `obj.<field>_zh`."""
    if current_language().code == "en":
        value = getattr(obj, f"{field}_en", None)
        if value:
            return value
    return getattr(obj, f"{field}_zh")


def strip_language_prefix(url: str) -> str:
    """Remove the language prefix from a URL built in this request (static files)."""
    if not has_request_context():
        return url
    prefixed_root = request.script_root
    root = unprefixed_script_root()
    if prefixed_root != root and url.startswith(prefixed_root + "/"):
        return root + url[len(prefixed_root) :]
    return url


babel = Babel()


# WTForms' own messages ("Not a valid choice") by our locale. Flask-WTF asks gettext for
# `zh_Hant_TW`, which falls back to WTForms' `zh` catalogue, in simplified characters;
# the Traditional Chinese one is `zh_TW`.
_WTFORMS_CATALOGUES = {"zh_Hant_TW": "zh_TW", "en": "en"}


@cache
def _wtforms_translations(catalogue: str) -> support.NullTranslations:
    return support.Translations.load(wtforms_messages_path(), [catalogue], domain="wtforms")


def _choose_wtforms_translations() -> None:
    """Give Flask-WTF the WTForms catalogue of this request's language (it looks on the request first)."""
    catalogue = _WTFORMS_CATALOGUES.get(str(get_locale()), "zh_TW")
    request.wtforms_translations = _wtforms_translations(catalogue)  # type: ignore[attr-defined]


def template_translations() -> support.NullTranslations:
    """The catalogue templates translate with: looked up once a request, and again under `force_locale`.

    Flask-Babel finds the catalogue afresh for every string, and a page has dozens; the
    locale object changes whenever `force_locale` switches it (a mail in the citizen's
    language), so it is the key.
    """
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    kept = g.get("_template_translations")
    if kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    g._template_translations = (locale, translations)
    return translations


def _install_template_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: template_translations().ugettext(s),
        ngettext=lambda s, p, n: template_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: template_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: template_translations().unpgettext(c, s, p, n),
    )


def init_app(app: Flask) -> None:
    """Install the language middleware and Flask-Babel."""
    app.wsgi_app = LocalePrefixMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    babel.init_app(app, locale_selector=select_locale)
    _install_template_gettext(app)
    app.before_request(_choose_wtforms_translations)
    app.jinja_env.globals.update(
        current_language=current_language,
        switch_language_urls=switch_language_urls,
        canonical_url=canonical_url,
        alternate_urls=alternate_urls,
        localized=localized,
    )
