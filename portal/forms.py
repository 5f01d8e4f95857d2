"""Helpers every form uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice


def select_choices(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """`(value, label)` pairs as the choices of a select or checkbox field."""
    return [SelectChoice(value, label) for value, label in pairs]
