"""Queries for statements as Web Annotations: each statement with its source's identity, who
recorded it and when it last changed, and the sources an imported annotation targets."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, load_only, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from app.models import Attribution, AuditEntry, ReportingStep, Source
from app.statements.repository import AttributionFilters, filtered


def _annotation_loading() -> list[LoaderOption]:
    """What an annotation shows: actor, claim, chain, and the source's URL and hash (not its text)."""
    return [
        joinedload(Attribution.actor),
        joinedload(Attribution.claim),
        joinedload(Attribution.source).load_only(Source.id, Source.url, Source.sha256, raiseload=True),
        selectinload(Attribution.via).joinedload(ReportingStep.actor),
    ]


def attribution_for_annotation(session: Session, attribution_id: int) -> Attribution | None:
    statement = select(Attribution).where(Attribution.id == attribution_id).options(*_annotation_loading())
    return session.scalars(statement).unique().one_or_none()


def source_annotations(
    session: Session, source_id: int, *, after_id: int | None, limit: int
) -> list[Attribution]:
    """A page of a source's live statements in id order (`limit + 1` rows: the last says there is more)."""
    statement = filtered(select(Attribution), AttributionFilters(source_id=source_id))
    if after_id is not None:
        statement = statement.where(Attribution.id > after_id)
    statement = statement.options(*_annotation_loading()).order_by(Attribution.id).limit(limit + 1)
    return list(session.scalars(statement).unique())


def source_identity(session: Session, source_id: int) -> Source | None:
    """A source's id, title, URL and hash, without its text."""
    statement = (
        select(Source)
        .where(Source.id == source_id)
        .options(load_only(Source.id, Source.title, Source.url, Source.sha256, raiseload=True))
    )
    return session.scalars(statement).one_or_none()


@dataclass(frozen=True)
class Recorded:
    """Who recorded a statement (the audit log's `create`; None for rows written without the product,
    as a generated benchmark corpus is) and when it last changed."""

    creator: str | None
    modified: datetime


def recorded(session: Session, attribution_ids: Sequence[int]) -> dict[int, Recorded]:
    """What the audit log says of each statement that it has records of."""
    if not attribution_ids:
        return {}
    rows = session.execute(
        select(AuditEntry.object_id, AuditEntry.action, AuditEntry.user_name, AuditEntry.at)
        .where(AuditEntry.object_type == Attribution.__tablename__, AuditEntry.object_id.in_(attribution_ids))
        .order_by(AuditEntry.id)
    )
    creators: dict[int, str] = {}
    changed: dict[int, datetime] = {}
    for object_id, action, user_name, at in rows:
        if action == "create":
            creators.setdefault(object_id, user_name)
        changed[object_id] = at
    return {object_id: Recorded(creators.get(object_id), at) for object_id, at in changed.items()}


def sources_with_sha256(session: Session, digest: str) -> list[Source]:
    return list(session.scalars(select(Source).where(Source.sha256 == digest)))


def sources_with_url(session: Session, urls: Sequence[str]) -> list[Source]:
    """The sources at any of these addresses (several sources may share one: a page published again)."""
    if not urls:
        return []
    return list(session.scalars(select(Source).where(Source.url.in_(urls)).order_by(Source.id)))


def deleted_at(session: Session, attribution_id: int) -> datetime | None:
    return session.scalar(select(Attribution.deleted_at).where(Attribution.id == attribution_id))
