"""Queries for reading the audit log."""

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.audit_log.schemas import AuditFilters
from app.models import Actor, Attribution, AuditEntry, Proposal


def list_entries(
    session: Session, filters: AuditFilters, *, before_id: int | None, limit: int
) -> list[AuditEntry]:
    """A page of records, newest first, `limit + 1` rows so that the caller can tell if more follow."""
    conditions: list[ColumnElement[bool]] = []
    if filters.user_name is not None:
        conditions.append(AuditEntry.user_name == filters.user_name)
    if filters.object_type is not None:
        conditions.append(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        conditions.append(AuditEntry.object_id == filters.object_id)
    if filters.action is not None:
        conditions.append(AuditEntry.action == filters.action)
    if filters.since is not None:
        conditions.append(AuditEntry.at >= filters.since)
    if filters.until is not None:
        conditions.append(AuditEntry.at < filters.until)
    if before_id is not None:
        conditions.append(AuditEntry.id < before_id)
    # Ids grow with every record written, so id order is the order the changes were committed in.
    statement = select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc()).limit(limit + 1)
    return list(session.scalars(statement))


def actor_slugs(session: Session, actor_ids: set[int]) -> dict[int, str]:
    if not actor_ids:
        return {}
    rows = session.execute(select(Actor.id, Actor.slug).where(Actor.id.in_(actor_ids)))
    return {row.id: row.slug for row in rows}


def attribution_claims(session: Session, attribution_ids: set[int]) -> dict[int, int]:
    if not attribution_ids:
        return {}
    rows = session.execute(
        select(Attribution.id, Attribution.claim_id).where(Attribution.id.in_(attribution_ids))
    )
    return {row.id: row.claim_id for row in rows}


def proposal_sources(session: Session, proposal_ids: set[int]) -> dict[int, int]:
    if not proposal_ids:
        return {}
    rows = session.execute(select(Proposal.id, Proposal.source_id).where(Proposal.id.in_(proposal_ids)))
    return {row.id: row.source_id for row in rows}
