"""Changes to staff accounts: the rules that keep the staff table sound.

Every function here changes rows of audited models, so each change is written to the
audit log in the same transaction. The caller commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from portal import audit
from portal.auth import events, throttle
from portal.auth.login import LoginOutcome, check_password, normalise_username, refusal_message
from portal.auth.models import Staff, StaffRole
from portal.auth.passwords import hash_password, password_problems, verify_password
from portal.auth.roles import ROLES_NEEDING_OFFICE, Role
from portal.auth.sessions import end_all_sessions, keep_current_session_only
from portal.db import db, utcnow
from portal.i18n import _

# Letters, digits, dot, underscore and hyphen; starts with a letter or digit.
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


class StaffError(ValueError):
    """A change that would break a rule; the message is for the visitor."""

    def __init__(self, message: str, field: str | None = None, *, retry_after: int = 0) -> None:
        super().__init__(message)
        self.field = field
        self.retry_after = retry_after  # seconds, when too many wrong passwords made it wait


@dataclass
class StaffDetails:
    """What an administrator sets on an account."""

    username: str
    display_name: str
    email: str | None
    office_id: int | None
    roles: frozenset[Role]
    active: bool = True


def find_staff(username: str) -> Staff | None:
    """The account named `username` (case-insensitive), if any."""
    return db.session.scalar(select(Staff).where(Staff.username == normalise_username(username)))


def _active_administrators_other_than(staff_id: int | None) -> int:
    query = (
        select(func.count(Staff.id))
        .join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(Staff.active.is_(True), StaffRole.role == Role.ADMINISTRATOR.value)
    )
    if staff_id is not None:
        query = query.where(Staff.id != staff_id)
    return db.session.scalar(query) or 0


def _check_details(details: StaffDetails, existing: Staff | None) -> None:
    if not USERNAME_PATTERN.match(normalise_username(details.username)):
        raise StaffError(
            _("帳號格式不正確：請用 3 到 64 個小寫英文字母、數字、點、底線或連字號。"), "username"
        )
    if not details.display_name.strip():
        raise StaffError(_("請輸入姓名。"), "display_name")
    if not details.roles:
        raise StaffError(_("請至少選擇一個角色。"), "roles")
    if details.roles & ROLES_NEEDING_OFFICE and details.office_id is None:
        raise StaffError(_("案件承辦人必須指定所屬單位。"), "office_id")
    other = find_staff(details.username)
    if other is not None and (existing is None or other.id != existing.id):
        raise StaffError(_("這個帳號已有人使用。"), "username")
    if existing is not None:
        keeps_admin = details.active and Role.ADMINISTRATOR in details.roles
        was_admin = existing.active and Role.ADMINISTRATOR in existing.roles
        if was_admin and not keeps_admin and _active_administrators_other_than(existing.id) == 0:
            raise StaffError(_("至少要保留一位啟用中的系統管理員。"), "roles")


def create_staff(details: StaffDetails, password: str, *, must_change_password: bool = True) -> Staff:
    """Create an account. Raises `StaffError` when a rule is broken."""
    _check_details(details, None)
    problems = password_problems(password, details.username)
    if problems:
        raise StaffError(" ".join(problems), "password")
    staff = Staff(
        username=normalise_username(details.username),
        display_name=details.display_name.strip(),
        email=(details.email or "").strip() or None,
        office_id=details.office_id,
        active=details.active,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
    )
    staff.set_roles(details.roles)
    db.session.add(staff)
    db.session.flush()
    return staff


def update_staff(staff: Staff, details: StaffDetails) -> Staff:
    """Change an account. Disabling it also ends its sessions and revokes its API keys."""
    _check_details(details, staff)
    staff.username = normalise_username(details.username)
    staff.display_name = details.display_name.strip()
    staff.email = (details.email or "").strip() or None
    staff.office_id = details.office_id
    staff.set_roles(details.roles)
    disabling = staff.active and not details.active
    staff.active = details.active
    if disabling:
        end_all_sessions(staff)
        events.notify(events.account_disabled, staff)
    db.session.flush()
    return staff


def set_active(staff: Staff, active: bool) -> None:
    """Enable or disable an account (never the last active administrator)."""
    details = StaffDetails(
        username=staff.username,
        display_name=staff.display_name,
        email=staff.email,
        office_id=staff.office_id,
        roles=staff.roles,
        active=active,
    )
    update_staff(staff, details)


def reset_password(staff: Staff, password: str) -> list[str]:
    """Set a temporary password the owner must change at next login.

    Ends the account's sessions, makes its known devices strangers again, clears the
    wait on its name, and suspends its API keys until the owner confirms each one.
    Returns what was done beyond the password, for the administrator's page.
    """
    problems = password_problems(password, staff.username)
    if problems:
        raise StaffError(" ".join(problems), "password")
    staff.password_hash = hash_password(password)
    staff.password_changed_at = utcnow()
    staff.must_change_password = True
    throttle.clear([throttle.name_key(staff.username)])
    end_all_sessions(staff)
    db.session.flush()
    return events.notify(events.password_replaced, staff, by_owner=False)


def change_own_password(staff: Staff, current_password: str, new_password: str) -> list[str]:
    """The owner changes their password; their other sessions end and their API keys wait.

    The current password is checked like a login, under the same throttle, so it cannot
    be guessed without limit from a session left open. Returns what was done beyond the
    password (the API keys suspended), for the owner's page.
    """
    checked = check_password(staff.username, current_password, action="password_change")
    if checked.outcome is LoginOutcome.THROTTLED:
        raise StaffError(refusal_message(checked), "current_password", retry_after=checked.retry_after)
    if checked.outcome is not LoginOutcome.SUCCESS:
        raise StaffError(_("目前的密碼不正確。"), "current_password")
    if verify_password(staff.password_hash, new_password):
        raise StaffError(_("新密碼不可與目前的密碼相同。"), "new_password")
    problems = password_problems(new_password, staff.username)
    if problems:
        raise StaffError(" ".join(problems), "new_password")
    staff.password_hash = hash_password(new_password)
    staff.password_changed_at = utcnow()
    staff.must_change_password = False
    keep_current_session_only(staff)
    db.session.flush()
    return events.notify(events.password_replaced, staff, by_owner=True)


def unlock(staff: Staff) -> None:
    """Clear the wait that failed logins put on the account's user name."""
    throttle.clear([throttle.name_key(staff.username)])
    audit.record(db.session, "unlock", "staff", staff.id)
    db.session.flush()


def login_waits(accounts: list[Staff]) -> dict[int, datetime]:
    """Until when logins with each account's name from unknown devices must wait, by account id,
    for the accounts that must (one query for them all)."""
    keys = {staff.id: throttle.name_key(staff.username) for staff in accounts}
    waiting = throttle.waiting_until(list(keys.values()), utcnow())
    return {staff_id: waiting[key.name] for staff_id, key in keys.items() if key.name in waiting}
