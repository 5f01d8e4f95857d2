"""What other parts of the feedback domain add to a case's closure mail and status page.

The case domain does not know about surveys; the survey part registers here, from the
feedback domain's `init_app`: a closing hook returns lines for the mail that tells the
citizen the case is closed (the survey's link and faces), and a status hook returns a
block of the citizen's status page (the survey's link while it can be answered).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app
from markupsafe import Markup
from sqlalchemy.orm import Session

from feedback.cases.models import Case

ClosingHook = Callable[[Session, Case, datetime], list[str]]
StatusHook = Callable[[Case], Markup | None]

_CLOSING = "case_closing_hooks"
_STATUS = "case_status_hooks"


def add_closing_hook(app: Flask, hook: ClosingHook) -> None:
    """Call `hook` when staff close a case, in the case's language; its lines go into the closure mail."""
    app.extensions.setdefault(_CLOSING, []).append(hook)


def add_status_hook(app: Flask, hook: StatusHook) -> None:
    """Call `hook` on each render of the citizen's status page; what it returns is shown there."""
    app.extensions.setdefault(_STATUS, []).append(hook)


def closing_lines(session: Session, case: Case, now: datetime) -> list[str]:
    """Every closing hook's lines for the closure mail of `case`."""
    hooks: list[ClosingHook] = current_app.extensions.get(_CLOSING, [])
    return [line for hook in hooks for line in hook(session, case, now)]


def status_blocks(case: Case) -> list[Markup]:
    """Every status hook's block for the status page of `case`."""
    hooks: list[StatusHook] = current_app.extensions.get(_STATUS, [])
    return [block for hook in hooks if (block := hook(case)) is not None]
