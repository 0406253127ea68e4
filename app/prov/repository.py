"""Queries for a claim's provenance: a page of its statements with their chains and sources, its
latest status changes, and the sources they cite; a fixed number of queries whatever the counts."""

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from app.models import Attribution, ReportingStep, Source, StatusChange
from app.statements.repository import AttributionFilters, filtered

SOURCE_FIELDS = (Source.id, Source.title, Source.outlet, Source.url, Source.published_on, Source.sha256)
"""What a source is in a PROV document: never its text."""


def claim_statements(
    session: Session, claim_id: int, *, after_id: int | None, limit: int
) -> list[Attribution]:
    """A page of the claim's live statements in id order (`limit + 1` rows: the last says there is
    more), each with its actor, its source and its chain's intermediaries."""
    statement = filtered(select(Attribution), AttributionFilters(claim_id=claim_id))
    if after_id is not None:
        statement = statement.where(Attribution.id > after_id)
    statement = (
        statement.options(
            joinedload(Attribution.actor),
            joinedload(Attribution.source).options(load_only(*SOURCE_FIELDS, raiseload=True)),
            selectinload(Attribution.via).joinedload(ReportingStep.actor),
        )
        .order_by(Attribution.id)
        .limit(limit + 1)
    )
    return list(session.scalars(statement).unique())


def latest_changes(session: Session, claim_id: int, *, limit: int) -> list[StatusChange]:
    """The claim's latest status changes, oldest first."""
    statement = (
        select(StatusChange)
        .where(StatusChange.claim_id == claim_id)
        .order_by(StatusChange.id.desc())
        .limit(limit)
    )
    return list(reversed(session.scalars(statement).all()))


def sources_by_ids(session: Session, source_ids: Collection[int]) -> dict[int, Source]:
    if not source_ids:
        return {}
    statement = (
        select(Source).where(Source.id.in_(source_ids)).options(load_only(*SOURCE_FIELDS, raiseload=True))
    )
    return {source.id: source for source in session.scalars(statement)}
