"""Queries for the Atom feeds: the newest statements of an actor or a claim, a claim's latest status
changes. Each reads the newest rows through an index in descending order and stops at the feed's size."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Actor, Attribution, StatusChange
from app.statements.repository import AttributionFilters, attribution_loading, filtered


def actor_by_slug(session: Session, slug: str) -> Actor | None:
    return session.scalars(select(Actor).where(Actor.slug == slug)).one_or_none()


def newest_statements(session: Session, filters: AttributionFilters, *, limit: int) -> list[Attribution]:
    """The `limit` newest live statements that pass the filters, newest first, loaded as the
    Attribution schema reads them."""
    statement = (
        filtered(select(Attribution), filters)
        .options(*attribution_loading())
        .order_by(Attribution.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement).unique())


def latest_status_changes(session: Session, claim_id: int, *, limit: int) -> list[StatusChange]:
    """A claim's `limit` latest status changes, newest first."""
    statement = (
        select(StatusChange)
        .where(StatusChange.claim_id == claim_id)
        .order_by(StatusChange.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))
