"""Databases for tests: the suite's main database, and isolated ones for tests that need their own.

With `DATABASE_URL` pointing at PostgreSQL the suite runs there, in a schema it
empties at the start of each run; otherwise it uses SQLite files in a temporary
folder. An isolated database is a separate SQLite file, or a separate PostgreSQL
schema reached through the connection's `search_path`.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from portal.config import normalise_database_url


def configured_url() -> str | None:
    """The PostgreSQL URL the suite was asked to run on, if any."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return normalise_database_url(url) if url else None


def is_postgresql(url: str) -> bool:
    """Whether `url` names a PostgreSQL database."""
    return url.startswith("postgresql")


def _recreate_schema(url: str, schema: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()


def drop_schema(url: str, schema: str) -> None:
    """Remove an isolated schema."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


def main_database_url(tmp_dir: Path) -> str:
    """The suite's database, emptied: PostgreSQL's `public` schema or a new SQLite file."""
    url = configured_url()
    if url and is_postgresql(url):
        _recreate_schema(url, "public")
        return url
    return f"sqlite:///{tmp_dir / 'suite.sqlite3'}"


def isolated_database_url(tmp_dir: Path, name: str) -> tuple[str, str | None]:
    """A new empty database; returns its URL and, on PostgreSQL, the schema to drop afterwards."""
    url = configured_url()
    if url and is_postgresql(url):
        schema = f"t_{name}_{uuid.uuid4().hex[:8]}"
        _recreate_schema(url, schema)
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}options={quote(f'-csearch_path={schema}')}", schema
    return f"sqlite:///{tmp_dir / (name + '.sqlite3')}", None
