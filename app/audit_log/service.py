"""Reading the audit log: its records a page at a time, each linked to its object's page."""

from typing import Any

from sqlalchemy.orm import Session

from app.audit.service import ACTIONS, AUDITED_OBJECTS
from app.audit_log import repository
from app.audit_log.schemas import AuditFilters, AuditRecord, FieldChange
from app.models import AuditEntry
from app.pagination import PageRequest, paginate
from app.schemas import Page
from app.urls import Paths


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
        for kind in ("actors", "attributions", "proposals")
    }
    slugs = repository.actor_slugs(session, ids_of["actors"])
    claim_of = repository.attribution_claims(session, ids_of["attributions"])
    source_of = repository.proposal_sources(session, ids_of["proposals"])

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
            case "proposals" if entry.object_id in source_of:
                return paths("source_page", source_id=source_of[entry.object_id], fragment="review-queue")
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
