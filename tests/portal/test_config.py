"""Settings: one registry, every entry documented, nothing read from the environment elsewhere."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from portal.config import PROJECT_ROOT, SETTINGS, build_config, persistent_secret_key, read_environment

DOCS = PROJECT_ROOT / "docs" / "configuration.md"
CODE_FOLDERS = ("portal", "datasets", "feedback")


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, flags=re.MULTILINE))
    missing = [setting.name for setting in SETTINGS if setting.name not in documented]
    assert missing == [], f"settings missing from docs/configuration.md: {missing}"


def test_documentation_lists_no_setting_that_does_not_exist() -> None:
    text = DOCS.read_text(encoding="utf-8")
    app_section = text.split("## The server started by `make run`")[0]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", app_section, flags=re.MULTILINE))
    assert documented == {setting.name for setting in SETTINGS}


def test_every_setting_has_help() -> None:
    for setting in SETTINGS:
        assert len(setting.help) > 20, setting.name


def test_only_the_registry_reads_the_environment() -> None:
    offenders = []
    for folder in CODE_FOLDERS:
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            if path == PROJECT_ROOT / "portal" / "config.py":
                continue
            source = path.read_text(encoding="utf-8")
            if re.search(r"os\.environ|os\.getenv|getenv\(", source):
                offenders.append(str(path.relative_to(PROJECT_ROOT)))
    assert offenders == []


def test_defaults_need_nothing_set(tmp_path: Path) -> None:
    config = build_config(environ={"INSTANCE_PATH": str(tmp_path)})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    assert config["STORAGE_PATH"] == str(tmp_path / "storage")
    assert config["RATELIMIT_STORAGE_URI"] == "process-memory://"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_values_are_parsed(tmp_path: Path) -> None:
    config = build_config(
        environ={
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": "postgresql://postgres@db.example:5432/portal",
            "REDIS_URL": "redis://cache.example:6379/1",
            "COOKIE_SECURE": "yes",
            "SESSION_IDLE_MINUTES": " 45 ",
        }
    )
    assert config["DATABASE_URL"] == "postgresql+psycopg://postgres@db.example:5432/portal"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache.example:6379/1"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_IDLE_MINUTES"] == 45


@pytest.mark.parametrize(
    ("name", "value"), [("SESSION_IDLE_MINUTES", "half an hour"), ("COOKIE_SECURE", "maybe")]
)
def test_a_bad_value_stops_the_start_and_names_the_setting(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        read_environment({name: value})


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = persistent_secret_key(tmp_path)
    second = persistent_secret_key(tmp_path)
    assert first == second
    assert len(first) >= 40
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600
    config = build_config(environ={"INSTANCE_PATH": str(tmp_path)})
    assert config["SECRET_KEY"] == first


def test_secret_key_from_the_environment_wins(tmp_path: Path) -> None:
    config = build_config(environ={"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "from-the-environment"})
    assert config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_no_secret_key_in_the_code() -> None:
    for folder in CODE_FOLDERS:
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert not re.search(r"SECRET_KEY\"?\]?\s*=\s*[\"']", source), path
