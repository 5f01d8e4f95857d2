"""The staff side of citizen cases, under `/staff/cases`.

- `queue`: who sees which cases, the queue's filters and working-day countdowns (the rules);
- `masking`: contact details as lists show them (pure);
- `queue_views`: the queues per office and officer, due-soon and overdue views, bulk assignment;
- `case_views`: one case's page and its handling (state, reply, note, assignment, extension,
  transfer, merge, §173), and the logged opening of its contact details;
- `intake_views` and `receipt`: cases taken at the counter, on the phone, from letters and
  e-mail, read back before saving, with a printable PDF receipt;
- `caller`: looking a case up for a caller whose identity was checked (logged);
- `type_views`: the case types administrators keep.

Views stay thin: every change goes through `feedback.cases.handling` or `intake`.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cases_staff", __name__, url_prefix="/staff/cases")


def register_views() -> Blueprint:
    """Import the view modules (each adds its routes to `bp`) and return the blueprint."""
    from feedback.cases.staff import caller, case_views, intake_views, queue_views, type_views  # noqa: F401

    return bp
