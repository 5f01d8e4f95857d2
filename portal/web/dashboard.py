"""The staff dashboard: a shell of cards that each part of the site contributes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template

from portal.auth import Permission, staff_required
from portal.i18n import _l, localized
from portal.web.registry import DashboardCard, Link, registry

bp = Blueprint("dashboard", __name__, url_prefix="/staff")


@bp.route("/")
@staff_required
def dashboard() -> Any:
    """Cards the signed-in staff member may see, in order."""
    cards = [card for provider in registry().dashboard_cards if (card := provider(g.staff)) is not None]
    cards.sort(key=lambda card: card.order)
    return render_template("staff/dashboard.html", cards=cards)


def account_card(staff: Any) -> DashboardCard:
    """Who is signed in, with which roles."""
    return DashboardCard(
        title=_l("我的帳號"),
        figures=[
            (_l("帳號"), staff.username),
            (_l("角色"), "、".join(role.label for role in sorted(staff.roles))),
            (_l("所屬單位"), localized(staff.office, "name") if staff.office else "—"),
        ],
        links=[Link("auth.change_password", _l("變更密碼"))],
        order=0,
    )


def administration_card(staff: Any) -> DashboardCard | None:
    """Links to the administration pages the staff member may use."""
    links = []
    if staff.can(Permission.MANAGE_STAFF):
        links.append(Link("auth.staff_list", _l("人員帳號")))
    if staff.can(Permission.MANAGE_OFFICES):
        links.append(Link("offices_admin.admin_list", _l("服務單位")))
    if staff.can(Permission.MANAGE_SITE):
        links.append(Link("offices_admin.agency_edit", _l("機關資料")))
    if staff.can(Permission.VIEW_AUDIT):
        links.append(Link("audit_log.records", _l("稽核紀錄")))
    if not links:
        return None
    return DashboardCard(title=_l("系統管理"), links=links, order=90)


def content_card(staff: Any) -> DashboardCard | None:
    """Links to the content pages, for those who edit them."""
    if not staff.can(Permission.EDIT_PAGES):
        return None
    return DashboardCard(
        title=_l("網站內容"),
        links=[Link("pages_admin.admin_list", _l("內容頁面")), Link("pages_admin.admin_new", _l("新增頁面"))],
        order=50,
    )
