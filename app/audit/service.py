"""The audit log: one record per change, written in the same transaction as the change."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.audit import repository
from app.audit.repository import AuditFilters
from app.audit.schemas import AuditRecord, FieldChange
from app.models import AuditEntry, Base
from app.pagination import PageRequest, paginate
from app.schemas import Page
from app.urls import Paths


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


AUDITED_OBJECTS = ("actors", "api_tokens", "attributions", "claim_relations", "claims", "sources", "users")
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


# Reading the log


def field_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[FieldChange]:
    """The fields whose value differs between before and after, in the order the row has them."""
    before, after = before or {}, after or {}
    fields = list(after) + [name for name in before if name not in after]
    return [
        FieldChange(field=name, before=before.get(name), after=after.get(name))
        for name in fields
        if before.get(name) != after.get(name)
    ]


def list_records(
    session: Session, filters: AuditFilters, page: PageRequest, *, paths: Paths
) -> Page[AuditRecord]:
    """A page of the audit log, newest first, each record linked to its object's page where one exists."""
    entries = repository.list_entries(session, filters, before_id=page.after_id, limit=page.limit)
    result = paginate(entries, page.limit)
    ids_of = {
        kind: {entry.object_id for entry in result.items if entry.object_type == kind}
        for kind in ("actors", "attributions")
    }
    slugs = repository.actor_slugs(session, ids_of["actors"])
    claim_of = repository.attribution_claims(session, ids_of["attributions"])

    def url(entry: AuditEntry) -> str | None:
        match entry.object_type:
            case "claims":
                return paths("claim_page", claim_id=entry.object_id)
            case "sources":
                return paths("source_page", source_id=entry.object_id)
            case "actors" if entry.object_id in slugs:
                return paths("actor_page", slug=slugs[entry.object_id])
            case "attributions" if entry.object_id in claim_of:
                return paths("statement", attribution_id=entry.object_id)
        return None

    return Page(
        items=[
            AuditRecord(
                id=entry.id,
                at=entry.at,
                user_name=entry.user_name,
                action=entry.action,
                object_type=entry.object_type,
                object_id=entry.object_id,
                url=url(entry),
                before=entry.before,
                after=entry.after,
                changes=field_changes(entry.before, entry.after),
            )
            for entry in result.items
        ],
        next_cursor=result.next_cursor,
    )


def filter_choices() -> dict[str, tuple[str, ...]]:
    """The object types and actions the audit filter form offers: fixed vocabularies, never read from the
    log (a distinct over every record would grow with it); the user is typed."""
    return {"object_type": AUDITED_OBJECTS, "action": ACTIONS}
