"""The agency's clock: today's date where the agency works (Taipei), whatever the server's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")


def taipei_today() -> date:
    """Today in Taipei."""
    return datetime.now(TAIPEI).date()
