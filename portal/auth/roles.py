"""Roles and the permissions each grants.

Views check permissions, never roles, so a role can change what it may do here in
one place. Every staff member may see the dashboard and manage their own account.
"""

from __future__ import annotations

from enum import StrEnum

from portal.i18n import _l


class Role(StrEnum):
    """A staff role. A staff member holds one or more."""

    ADMINISTRATOR = "administrator"
    PUBLISHER = "publisher"
    CASE_OFFICER = "case_officer"
    SUPERVISOR = "supervisor"  # an office's head: follows up dissatisfied citizens, handles its cases
    ANALYST = "analyst"

    @property
    def label(self) -> str:
        """The role's name in the visitor's language."""
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMINISTRATOR: _l("系統管理員"),
    Role.PUBLISHER: _l("資料發布者"),
    Role.CASE_OFFICER: _l("案件承辦人"),
    Role.SUPERVISOR: _l("服務據點主管"),
    Role.ANALYST: _l("統計分析人員"),
}


class Permission(StrEnum):
    """Something a staff member may do."""

    VIEW_DASHBOARD = "view_dashboard"
    MANAGE_STAFF = "manage_staff"
    MANAGE_OFFICES = "manage_offices"
    MANAGE_SITE = "manage_site"
    VIEW_AUDIT = "view_audit"
    EDIT_PAGES = "edit_pages"
    PUBLISH_DATASETS = "publish_datasets"
    HANDLE_CASES = "handle_cases"
    HANDLE_ALL_CASES = "handle_all_cases"  # every office's cases, not only one's own office's
    MANAGE_CASE_TYPES = "manage_case_types"
    VIEW_REPORTS = "view_reports"
    FOLLOW_UP_SURVEYS = "follow_up_surveys"  # one's office's follow-ups of dissatisfied citizens
    MANAGE_SURVEYS = "manage_surveys"  # questionnaires, service counters, excluding counter answers


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(
        {
            Permission.VIEW_DASHBOARD,
            Permission.MANAGE_STAFF,
            Permission.MANAGE_OFFICES,
            Permission.MANAGE_SITE,
            Permission.VIEW_AUDIT,
            Permission.EDIT_PAGES,
            Permission.HANDLE_CASES,
            Permission.HANDLE_ALL_CASES,
            Permission.MANAGE_CASE_TYPES,
            Permission.FOLLOW_UP_SURVEYS,
            Permission.MANAGE_SURVEYS,
            Permission.VIEW_REPORTS,
        }
    ),
    Role.PUBLISHER: frozenset(
        {
            Permission.VIEW_DASHBOARD,
            Permission.EDIT_PAGES,
            Permission.PUBLISH_DATASETS,
            Permission.MANAGE_SURVEYS,
            Permission.VIEW_REPORTS,
        }
    ),
    Role.CASE_OFFICER: frozenset({Permission.VIEW_DASHBOARD, Permission.HANDLE_CASES}),
    Role.SUPERVISOR: frozenset(
        {Permission.VIEW_DASHBOARD, Permission.HANDLE_CASES, Permission.FOLLOW_UP_SURVEYS}
    ),
    Role.ANALYST: frozenset({Permission.VIEW_DASHBOARD, Permission.VIEW_REPORTS}),
}

# Roles whose holders act for one office and must belong to one.
ROLES_NEEDING_OFFICE = frozenset({Role.CASE_OFFICER, Role.SUPERVISOR})


def permissions_for(roles: set[Role] | frozenset[Role]) -> frozenset[Permission]:
    """Union of the permissions of `roles`."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)
