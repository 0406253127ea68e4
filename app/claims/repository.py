"""Queries for claims."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, exists, or_, select
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from app.models import Actor, Attribution, Claim, ClaimRelation, Source, StatusChange
from app.vocabulary import Stance, VerificationStatus


@dataclass(frozen=True)
class ClaimFilters:
    actor_ids: Sequence[int] | None = None
    """None: any actor. With `stance` and `source_id`, one attribution must match all three."""
    stance: Stance | None = None
    source_id: int | None = None
    status: VerificationStatus | None = None
    text: str | None = None


def list_claims(session: Session, filters: ClaimFilters, *, after_id: int | None, limit: int) -> list[Claim]:
    """A page of claims in id order, `limit + 1` rows so that the caller can tell if more follow."""
    statement = select(Claim).where(Claim.deleted_at.is_(None))
    conditions: list[ColumnElement[bool]] = []
    if filters.actor_ids is not None:
        conditions.append(Attribution.actor_id.in_(filters.actor_ids))
    if filters.stance is not None:
        conditions.append(Attribution.stance == filters.stance.value)
    if filters.source_id is not None:
        conditions.append(Attribution.source_id == filters.source_id)
    if conditions:
        statement = statement.where(
            exists().where(Attribution.claim_id == Claim.id, Attribution.deleted_at.is_(None), *conditions)
        )
    if filters.status is not None:
        statement = statement.where(Claim.verification_status == filters.status.value)
    if filters.text:
        quoted = exists().where(
            Attribution.claim_id == Claim.id,
            Attribution.deleted_at.is_(None),
            Attribution.quote_exact.icontains(filters.text, autoescape=True),
        )
        statement = statement.where(or_(Claim.text.icontains(filters.text, autoescape=True), quoted))
    if after_id is not None:
        statement = statement.where(Claim.id > after_id)
    return list(session.scalars(statement.order_by(Claim.id).limit(limit + 1)))


def stance_rows(session: Session, claim_ids: Sequence[int]) -> Sequence[Row[int, str, int, str, int]]:
    """(claim id, stance, actor id, actor name, source id) of every attribution of these claims."""
    if not claim_ids:
        return []
    statement = (
        select(Attribution.claim_id, Attribution.stance, Actor.id, Actor.name, Attribution.source_id)
        .join(Actor, Actor.id == Attribution.actor_id)
        .where(Attribution.claim_id.in_(claim_ids), Attribution.deleted_at.is_(None))
        .order_by(Attribution.claim_id, Attribution.id)
    )
    return session.execute(statement).all()


def get_claim(session: Session, claim_id: int) -> Claim | None:
    return session.get(Claim, claim_id)


def get_claim_for_change(session: Session, claim_id: int) -> Claim | None:
    """A claim with its outgoing relations, ready to be edited."""
    statement = select(Claim).where(Claim.id == claim_id).options(selectinload(Claim.relations))
    return session.scalars(statement).one_or_none()


def claim_choices(session: Session) -> list[Row[int, str]]:
    """(id, text) of every live claim, for a form's choice of claims."""
    statement = select(Claim.id, Claim.text).where(Claim.deleted_at.is_(None)).order_by(Claim.id)
    return list(session.execute(statement).all())


def deleted_claims(session: Session) -> list[Claim]:
    """Every soft-deleted claim, most recently deleted first."""
    statement = select(Claim).where(Claim.deleted_at.is_not(None)).order_by(Claim.deleted_at.desc())
    return list(session.scalars(statement))


def relations_of(session: Session, claim_id: int) -> list[ClaimRelation]:
    """Relations in both directions, each with both of its claims loaded."""
    statement = (
        select(ClaimRelation)
        .where(or_(ClaimRelation.claim_id == claim_id, ClaimRelation.related_claim_id == claim_id))
        .options(joinedload(ClaimRelation.claim), joinedload(ClaimRelation.related_claim))
        .order_by(ClaimRelation.id)
    )
    return list(session.scalars(statement))


def history_of(session: Session, claim_id: int) -> list[StatusChange]:
    statement = select(StatusChange).where(StatusChange.claim_id == claim_id).order_by(StatusChange.id)
    return list(session.scalars(statement))


def sources_by_id(session: Session, source_ids: set[int]) -> dict[int, Source]:
    """Source references (without their texts) for the evidence of a history."""
    if not source_ids:
        return {}
    statement = (
        select(Source)
        .where(Source.id.in_(source_ids))
        .options(load_only(Source.id, Source.title, Source.outlet, Source.published_on, raiseload=True))
    )
    return {source.id: source for source in session.scalars(statement)}
