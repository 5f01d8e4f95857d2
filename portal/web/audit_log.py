"""Administrators browse the audit log: filter by what, who and when; see before and after."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from portal.audit import AuditRecord
from portal.auth import Permission, permission_required
from portal.db import db
from portal.i18n import _
from portal.pagination import paginate, requested_page_number

bp = Blueprint("audit_log", __name__, url_prefix="/staff/audit")

TAIPEI = ZoneInfo("Asia/Taipei")


def _parse_day(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TAIPEI).astimezone(UTC)


@bp.route("/")
@permission_required(Permission.VIEW_AUDIT)
def records() -> Any:
    """Audit records, newest first."""
    filters = {
        "entity": (request.args.get("entity") or "").strip()[:60],
        "actor": (request.args.get("actor") or "").strip()[:120],
        "action": (request.args.get("action") or "").strip()[:40],
        "since": (request.args.get("since") or "").strip(),
        "until": (request.args.get("until") or "").strip(),
    }
    errors: list[str] = []
    query = select(AuditRecord).order_by(AuditRecord.occurred_at.desc(), AuditRecord.id.desc())
    if filters["entity"]:
        query = query.where(AuditRecord.entity == filters["entity"])
    if filters["actor"]:
        query = query.where(AuditRecord.actor_label == filters["actor"])
    if filters["action"]:
        query = query.where(AuditRecord.action == filters["action"])
    since = _parse_day(filters["since"])
    until = _parse_day(filters["until"])
    if filters["since"] and since is None:
        errors.append(_("起始日期格式不正確，請用 YYYY-MM-DD。"))
    if filters["until"] and until is None:
        errors.append(_("結束日期格式不正確，請用 YYYY-MM-DD。"))
    if since:
        query = query.where(AuditRecord.occurred_at >= _start_of(since))
    if until:
        query = query.where(AuditRecord.occurred_at < _start_of(until + timedelta(days=1)))
    page = paginate(db.session, query, requested_page_number(), per_page=50)
    status = 400 if errors else 200
    return render_template("staff/audit/list.html", page=page, filters=filters, errors=errors), status


@bp.route("/<int:record_id>")
@permission_required(Permission.VIEW_AUDIT)
def record_detail(record_id: int) -> Any:
    """One record with its values before and after."""
    record = db.session.get(AuditRecord, record_id)
    if record is None:
        abort(404)
    return render_template("staff/audit/detail.html", record=record)
