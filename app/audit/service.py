"""The audit log: one record per change, written in the same transaction as the change."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.models import AuditEntry, Base


def snapshot(row: Base, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The column values of a row, JSON-ready, for the before/after of an audit record."""
    values: dict[str, Any] = {}
    for attribute in inspect(row).mapper.column_attrs:
        if attribute.key in exclude:
            continue
        value = getattr(row, attribute.key)
        values[attribute.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


def record(
    session: Session,
    *,
    user_name: str,
    action: str,
    row: Base,
    before: dict[str, Any] | None = None,
    exclude: frozenset[str] = frozenset(),
) -> AuditEntry:
    """Record a change to `row`; call after the change is flushed so that the row has its id."""
    session.flush()
    identity = inspect(row).identity
    assert identity is not None, "a flushed row has an identity"
    after = None if action == "delete" else snapshot(row, exclude=exclude)
    entry = AuditEntry(
        user_name=user_name,
        action=action,
        object_type=row.__tablename__,
        object_id=identity[0],
        before=before,
        after=after,
    )
    session.add(entry)
    return entry
