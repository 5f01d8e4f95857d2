"""Staff accounts, their roles and their signed-in sessions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.roles import Permission, Role, permissions_for
from portal.db import Base, utcnow

if TYPE_CHECKING:
    from portal.offices.models import Office


class StaffRole(Base):
    """One role held by one staff member."""

    __tablename__ = "staff_role"
    __table_args__ = (UniqueConstraint("staff_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))


class Staff(Base):
    """A staff account."""

    __tablename__ = "staff"
    __audit__ = "staff"
    __audit_redact__ = ("password_hash",)
    __audit_collections__ = {"role_rows": lambda row: row.role}  # noqa: RUF012
    # Changes on every sign-in; login events are recorded apart.
    __audit_ignore__ = ("last_login_at",)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    role_rows: Mapped[list[StaffRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=StaffRole.role
    )
    office: Mapped[Office | None] = relationship(lazy="joined")

    @property
    def roles(self) -> frozenset[Role]:
        """The roles this account holds."""
        return frozenset(Role(row.role) for row in self.role_rows)

    def set_roles(self, roles: set[Role] | frozenset[Role]) -> None:
        """Replace the account's roles, keeping rows that stay."""
        wanted = {Role(role) for role in roles}
        self.role_rows = [row for row in self.role_rows if Role(row.role) in wanted]
        present = {Role(row.role) for row in self.role_rows}
        for role in sorted(wanted - present):
            self.role_rows.append(StaffRole(role=role.value))

    @property
    def permissions(self) -> frozenset[Permission]:
        """Everything this account's roles allow."""
        return permissions_for(self.roles)

    def can(self, permission: Permission) -> bool:
        """Whether this account may do `permission`."""
        return self.active and permission in self.permissions


class StaffSession(Base):
    """A signed-in session. The browser holds the token; the database only its hash."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    staff: Mapped[Staff] = relationship(lazy="joined")
