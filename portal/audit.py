"""Audit log: who changed what, when, with the values before and after.

Models that set `__audit__ = "<entity name>"` are recorded automatically: session
listeners write one `AuditRecord` per inserted, updated or deleted row when the
transaction commits, with the values from before the transaction's first change, so a
change and its record commit or roll back together. Columns named
in `__audit_redact__` are recorded only as changed, never by value. Events that
change no audited row (login, logout, failed login) are recorded with `record()`.

The actor is the signed-in staff member of the request, or the name given to
`acting_as()` for command-line work.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import get_history

from portal.db import Base, utcnow

REDACTED = "[redacted]"


class AuditRecord(Base):
    """One change or security event."""

    __tablename__ = "audit_record"
    __table_args__ = (
        Index("ix_audit_record_entity", "entity", "entity_id"),
        Index("ix_audit_record_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(45))

    def changed_fields(self) -> list[str]:
        """Names of the fields whose value differs between before and after."""
        before = self.before or {}
        after = self.after or {}
        return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


@dataclass(frozen=True)
class Actor:
    """Who is making changes: a staff member or a named process."""

    label: str
    staff_id: int | None = None


_cli_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(label: str, staff_id: int | None = None) -> Iterator[Actor]:
    """Attribute changes made inside the block to `label` (command line, jobs)."""
    actor = Actor(label=label, staff_id=staff_id)
    token = _cli_actor.set(actor)
    try:
        yield actor
    finally:
        _cli_actor.reset(token)


def current_actor() -> Actor | None:
    """The actor of the current request or block, if any."""
    actor = _cli_actor.get()
    if actor is not None:
        return actor
    if has_request_context():
        actor = g.get("audit_actor")  # set by API-key authentication
        if actor is not None:
            return actor
        staff = g.get("staff")
        if staff is not None:
            return Actor(label=staff.username, staff_id=staff.id)
    return None


def _client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return REDACTED
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return value


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: Any = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> AuditRecord:
    """Add an audit record to `session` for an event that no audited row captures."""
    who = actor or current_actor() or Actor(label="anonymous")
    entry = AuditRecord(
        actor_id=who.staff_id,
        actor_label=who.label,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip_address=_client_address(),
    )
    session.add(entry)
    return entry


def _value_of(obj: Any, key: str, redact: set[str], value: Any) -> Any:
    if key in redact:
        return REDACTED if value is not None else None
    return _jsonable(value)


def _snapshot(obj: Any, *, committed: bool) -> dict[str, Any]:
    """Column values of `obj` (and its `__audit_collections__`), current or as loaded."""
    redact = set(getattr(obj, "__audit_redact__", ()))
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if committed:
            history = get_history(obj, key)
            if history.deleted:
                value = history.deleted[0]
            elif history.unchanged:
                value = history.unchanged[0]
            else:
                value = state.committed_state.get(key, getattr(obj, key))
        else:
            value = getattr(obj, key)
        values[key] = _value_of(obj, key, redact, value)
    for key, to_value in getattr(obj, "__audit_collections__", {}).items():
        history = get_history(obj, key)
        if committed:
            items = list(history.unchanged) + list(history.deleted)
        else:
            items = list(history.unchanged) + list(history.added)
        values[key] = sorted(_jsonable(to_value(item)) for item in items)
    return values


def _entity_id(obj: Any) -> str | None:
    identity = inspect(obj).identity
    if identity:
        return ",".join(str(part) for part in identity)
    primary_key = getattr(obj, "id", None)
    return None if primary_key is None else str(primary_key)


def _is_audited(obj: Any) -> bool:
    return bool(getattr(type(obj), "__audit__", None))


def _tracked(session: Session) -> dict[int, list[Any]]:
    return session.info.setdefault("audit_tracked", {})


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Remember what audited rows looked like before this transaction first changed them."""
    tracked = _tracked(session)
    for obj in session.new:
        if _is_audited(obj) and id(obj) not in tracked:
            tracked[id(obj)] = ["create", obj, None]
    for obj in session.dirty:
        if _is_audited(obj) and id(obj) not in tracked and session.is_modified(obj, include_collections=True):
            tracked[id(obj)] = ["update", obj, _snapshot(obj, committed=True)]
    for obj in session.deleted:
        if not _is_audited(obj):
            continue
        entry = tracked.get(id(obj))
        if entry is None:
            tracked[id(obj)] = ["delete", obj, _snapshot(obj, committed=True)]
        else:
            # Created and deleted in one transaction: nothing happened.
            entry[0] = "discard" if entry[0] == "create" else "delete"


def _before_commit(session: Session) -> None:
    """Write one record per changed row for the whole transaction, however many flushes it took."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # tracks what is still unflushed, and gives new rows their keys
    tracked = session.info.pop("audit_tracked", {})
    for action, obj, before in tracked.values():
        if action == "discard":
            continue
        after = None if action == "delete" else _snapshot(obj, committed=False)
        if action == "update" and before is not None and after is not None:
            changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
            if changed <= set(getattr(obj, "__audit_ignore__", ())):
                continue
        record(session, action, type(obj).__audit__, _entity_id(obj), before=before, after=after)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop("audit_tracked", None)


def install_listeners() -> None:
    """Record changes of audited models on every session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _forget)
