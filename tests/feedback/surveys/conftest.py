"""Fixtures of the survey tests: the staff case fixtures (cases opened today, signed-in clients)."""

from __future__ import annotations

from tests.feedback.cases.staff.conftest import client_as, open_today

__all__ = ["client_as", "open_today"]
