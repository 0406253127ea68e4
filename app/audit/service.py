"""The audit log: one record per change, written in the same transaction as the change."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.audit import repository
from app.models import AuditEntry, Base
from app.models.base import SoftDeletion
from app.repository import restore, soft_delete

MarkedT = TypeVar("MarkedT", bound=SoftDeletion)


@dataclass(frozen=True)
class ChangedField:
    field: str
    then: Any
    now: Any


@dataclass(frozen=True)
class ChangedMeanwhile:
    """What others changed on an object since the version an editor's form was based on."""

    by: list[str]
    changes: list[ChangedField]


def changed_since(
    session: Session, object_type: str, object_id: int, base_version: int, current: dict[str, Any]
) -> ChangedMeanwhile:
    """Compare the fields of `current` with their values at `base_version`, read from the audit log."""
    later = [
        entry
        for entry in repository.entries_of(session, object_type, object_id)
        if (entry.after or {}).get("version", 0) > base_version
    ]
    then = (later[0].before or {}) if later else {}
    now = {name: value.isoformat() if isinstance(value, date) else value for name, value in current.items()}
    return ChangedMeanwhile(
        by=list(dict.fromkeys(entry.user_name for entry in later)),
        changes=[
            ChangedField(name, then.get(name), now[name]) for name in now if then.get(name) != now[name]
        ],
    )


def snapshot(row: Base, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The column values of a row, JSON-ready, for the before/after of an audit record."""
    values: dict[str, Any] = {}
    for attribute in inspect(row).mapper.column_attrs:
        if attribute.key in exclude:
            continue
        value = getattr(row, attribute.key)
        values[attribute.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


AUDITED_OBJECTS = (
    "actors",
    "api_tokens",
    "attributions",
    "claim_relations",
    "claims",
    "proposals",
    "sources",
    "users",
)
"""The tables whose rows the audit log records changes of: the object types a reader can filter by."""
ACTIONS = (
    "create",
    "update",
    "delete",
    "restore",
    "status_change",
    "role_change",
    "disable",
    "password_change",
    "password_reset",
    "token_issue",
    "token_revoke",
    "accept",
    "reject",
)
"""Every action the audit log records, in the order the filter offers them."""


def record(
    session: Session,
    *,
    user_name: str,
    action: str,
    row: Base,
    before: dict[str, Any] | None = None,
    exclude: frozenset[str] = frozenset(),
) -> AuditEntry:
    """Record a change to `row`; call after the change is flushed so that the row has its id. The action
    and the row's table must be among those the audit filter offers (ACTIONS, AUDITED_OBJECTS)."""
    if action not in ACTIONS or row.__tablename__ not in AUDITED_OBJECTS:
        raise ValueError(f"add {action!r} on {row.__tablename__!r} to ACTIONS and AUDITED_OBJECTS first")
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


def mark_deleted(
    session: Session,
    row: MarkedT,
    *,
    deleted: bool,
    by: str,
    values: Callable[[Any], dict[str, Any]] = snapshot,
) -> MarkedT:
    """Soft-delete a row (`deleted`) or restore it, and record it: a soft-deleted row is still there, so
    the record holds the row as it was and as it is (`values` of it: its snapshot by default)."""
    assert isinstance(row, Base), "only a table's rows are soft-deleted"
    before = values(row)
    if deleted:
        soft_delete(row, by=by)
    else:
        restore(row)
    entry = record(session, user_name=by, action="delete" if deleted else "restore", row=row, before=before)
    entry.after = values(row)
    return row
