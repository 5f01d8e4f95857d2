"""The staff page of broken links, and the dashboard card that points to it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import func, select

from portal.auth import Permission, permission_required
from portal.db import db
from portal.i18n import _l
from portal.links.models import LinkReport
from portal.links.service import broken_links
from portal.links.sources import kind_label

bp = Blueprint("links_admin", __name__, url_prefix="/staff/links")
CARD_ROWS = 5


@bp.route("")
@permission_required(Permission.EDIT_PAGES)
def broken() -> Any:
    """Every link broken at the last check, where it appears, and since when."""
    last_check = db.session.scalar(select(func.max(LinkReport.checked_at)))
    return render_template(
        "staff/links.html", reports=broken_links(db.session), last_check=last_check, kind_label=kind_label
    )


def links_card(staff: Any) -> Any:
    """The dashboard card: how many links are broken, the oldest few, and the page of them all."""
    from portal.web.registry import DashboardCard, Link

    if not staff.can(Permission.EDIT_PAGES):
        return None
    reports = broken_links(db.session)
    checked = db.session.scalar(select(func.count(LinkReport.id))) or 0
    if not checked:
        note = _l("連結尚未檢查（每日由排程執行 flask links check）。")
    elif reports:
        note = _l("以下連結在最近一次檢查時無法開啟：")
    else:
        note = _l("最近一次檢查時，所有連結都能開啟。")
    return DashboardCard(
        title=_l("失效連結"),
        figures=[(report.url, report.error) for report in reports[:CARD_ROWS]],
        note=note,
        links=[Link("links_admin.broken", _l("所有失效連結"))],
        order=27,
    )
