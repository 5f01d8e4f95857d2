"""Changes to staff accounts: the rules that keep the staff table sound.

Every function here changes rows of audited models, so each change is written to the
audit log in the same transaction. The caller commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from portal import audit
from portal.auth.models import Staff, StaffRole
from portal.auth.passwords import hash_password, password_problems, verify_password
from portal.auth.roles import ROLES_NEEDING_OFFICE, Role
from portal.auth.sessions import end_all_sessions, keep_current_session_only, normalise_username
from portal.db import db, utcnow
from portal.i18n import _

# Letters, digits, dot, underscore and hyphen; starts with a letter or digit.
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


class StaffError(ValueError):
    """A change that would break a rule; the message is for the visitor."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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
    """Change an account. Disabling it also ends its sessions."""
    _check_details(details, staff)
    staff.username = normalise_username(details.username)
    staff.display_name = details.display_name.strip()
    staff.email = (details.email or "").strip() or None
    staff.office_id = details.office_id
    staff.set_roles(details.roles)
    if staff.active and not details.active:
        end_all_sessions(staff)
    staff.active = details.active
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


def reset_password(staff: Staff, password: str) -> None:
    """Set a temporary password the owner must change at next login; ends their sessions."""
    problems = password_problems(password, staff.username)
    if problems:
        raise StaffError(" ".join(problems), "password")
    staff.password_hash = hash_password(password)
    staff.password_changed_at = utcnow()
    staff.must_change_password = True
    staff.failed_logins = 0
    staff.locked_until = None
    end_all_sessions(staff)
    db.session.flush()


def change_own_password(staff: Staff, current_password: str, new_password: str) -> None:
    """The owner changes their password; their other sessions end."""
    if not verify_password(staff.password_hash, current_password):
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


def unlock(staff: Staff) -> None:
    """Lift a lock-out caused by failed logins."""
    staff.failed_logins = 0
    staff.locked_until = None
    audit.record(db.session, "unlock", "staff", staff.id)
    db.session.flush()
