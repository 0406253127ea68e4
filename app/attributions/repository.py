"""Queries for attributions, each loading exactly what its schema shows."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Attribution
from app.statements.repository import attribution_loading


def get_attribution(session: Session, attribution_id: int) -> Attribution | None:
    statement = select(Attribution).where(Attribution.id == attribution_id).options(*attribution_loading())
    return session.scalars(statement).unique().one_or_none()


def find_attribution(
    session: Session, *, source_id: int, actor_id: int, claim_id: int, start: int, end: int
) -> Attribution | None:
    """The attribution recording this statement (actor, claim, source, span), deleted or not."""
    return session.scalars(
        select(Attribution).where(
            Attribution.source_id == source_id,
            Attribution.actor_id == actor_id,
            Attribution.claim_id == claim_id,
            Attribution.quote_start == start,
            Attribution.quote_end == end,
        )
    ).one_or_none()


def forget_loaded(session: Session, attribution_id: int) -> None:
    """Expire a loaded attribution, whose claim or chain may have changed under its relationships."""
    if (loaded := session.get(Attribution, attribution_id)) is not None:
        session.expire(loaded)
