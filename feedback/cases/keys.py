"""The application's case-data key ring (`CASE_DATA_KEYS`) and the column type that uses it.

`SealedText` is a column whose values are sealed (`feedback/cases/sealing.py`) on the way
into the database and opened on the way out, with the ring of the current application.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from feedback.cases.sealing import KeyRing

_KEY = "feedback.case_keys"


def init_app(app: Flask) -> None:
    """Read `CASE_DATA_KEYS` once; a malformed setting stops the application from starting."""
    app.extensions[_KEY] = KeyRing.parse(app.config["CASE_DATA_KEYS"])


def key_ring() -> KeyRing:
    """The current application's key ring."""
    return current_app.extensions[_KEY]


class SealedText(TypeDecorator[str]):
    """Text stored sealed with the current application's newest key."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else key_ring().seal(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else key_ring().open(value)
