"""Queries for sources."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from app.attributions.repository import is_live
from app.models import Attribution, Source


def list_sources(session: Session, *, outlet: str | None, after_id: int | None, limit: int) -> list[Source]:
    statement = select(Source).options(defer(Source.text, raiseload=True))
    if outlet is not None:
        statement = statement.where(func.lower(Source.outlet) == outlet.lower())
    if after_id is not None:
        statement = statement.where(Source.id > after_id)
    return list(session.scalars(statement.order_by(Source.id).limit(limit + 1)))


def attribution_counts(session: Session, source_ids: Sequence[int]) -> dict[int, int]:
    if not source_ids:
        return {}
    statement = (
        select(Attribution.source_id, func.count())
        .where(Attribution.source_id.in_(source_ids), is_live())
        .group_by(Attribution.source_id)
    )
    return dict(session.execute(statement).all())


def get_source(session: Session, source_id: int) -> Source | None:
    return session.get(Source, source_id)


def source_choices(session: Session) -> list[tuple[int, str]]:
    """(id, title) of every source, newest first, for a filter's choice of source."""
    statement = select(Source.id, Source.title).order_by(
        Source.published_on.desc().nulls_last(), Source.id.desc()
    )
    return [(source_id, title) for source_id, title in session.execute(statement)]
