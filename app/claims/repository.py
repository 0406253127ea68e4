"""Queries for claims."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Row, and_, exists, not_, or_, select
from sqlalchemy.orm import Session, aliased, joinedload, load_only, selectinload

from app.attributions.repository import attribution_loading, is_live
from app.models import Actor, Attribution, Claim, ClaimRelation, Source, StatusChange
from app.search.fulltext import claims_with_own_words
from app.vocabulary import OPPOSING_STANCES, SUPPORTING_STANCES, Stance, VerificationStatus


@dataclass(frozen=True)
class ClaimFilters:
    actor_ids: Sequence[int] | None = None
    """None: any actor. With `stance`, `source_id` and the dates, one attribution must match them all."""
    stance: Stance | None = None
    source_id: int | None = None
    status: VerificationStatus | None = None
    words: Sequence[str] | None = None
    """Folded words (app/search/fulltext.py) that the claim's text, or the quote of one of its live
    statements, must hold, each as the start of a word: `ropck` matches `Röpcke`."""
    contested: bool | None = None
    """True: only contested claims; False: only claims that are not; None: either."""
    date_from: date | None = None
    """A statement in a source published on or after this day."""
    date_to: date | None = None
    """A statement in a source published on or before this day."""


def statement_conditions(filters: ClaimFilters) -> list[ColumnElement[bool]]:
    """What one statement (an `Attribution` row) must satisfy: actor, stance, source and its date."""
    conditions: list[ColumnElement[bool]] = []
    if filters.actor_ids is not None:
        conditions.append(Attribution.actor_id.in_(filters.actor_ids))
    if filters.stance is not None:
        conditions.append(Attribution.stance == filters.stance.value)
    if filters.source_id is not None:
        conditions.append(Attribution.source_id == filters.source_id)
    if filters.date_from is not None or filters.date_to is not None:
        published = select(Source.id)
        if filters.date_from is not None:
            published = published.where(Source.published_on >= filters.date_from)
        if filters.date_to is not None:
            published = published.where(Source.published_on <= filters.date_to)
        conditions.append(Attribution.source_id.in_(published))
    return conditions


def is_contested() -> ColumnElement[bool]:
    """Someone asserted or confirmed the `Claim` and someone denied or disputed it (live statements)."""
    supporting, opposing = aliased(Attribution), aliased(Attribution)
    return and_(
        exists().where(
            supporting.claim_id == Claim.id,
            supporting.deleted_at.is_(None),
            supporting.stance.in_(sorted(s.value for s in SUPPORTING_STANCES)),
        ),
        exists().where(
            opposing.claim_id == Claim.id,
            opposing.deleted_at.is_(None),
            opposing.stance.in_(sorted(s.value for s in OPPOSING_STANCES)),
        ),
    )


def claim_conditions(filters: ClaimFilters, *, with_statements: bool = True) -> list[ColumnElement[bool]]:
    """What a live `Claim` row must satisfy; `with_statements=False` leaves the statement filters to
    a caller that applies them to one statement of its own."""
    conditions: list[ColumnElement[bool]] = [Claim.deleted_at.is_(None)]
    on_statements = statement_conditions(filters) if with_statements else []
    if on_statements:
        conditions.append(
            exists().where(Attribution.claim_id == Claim.id, Attribution.deleted_at.is_(None), *on_statements)
        )
    if filters.status is not None:
        conditions.append(Claim.verification_status == filters.status.value)
    if filters.contested is not None:
        contested = is_contested()
        conditions.append(contested if filters.contested else not_(contested))
    if filters.words:
        conditions.append(claims_with_own_words(filters.words))
    return conditions


def list_claims(session: Session, filters: ClaimFilters, *, after_id: int | None, limit: int) -> list[Claim]:
    """A page of claims in id order, `limit + 1` rows so that the caller can tell if more follow."""
    statement = select(Claim).where(*claim_conditions(filters))
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


def attributions_of_claims(session: Session, claim_ids: Sequence[int]) -> list[Attribution]:
    """The live statements of several claims (a claim and those contradicting it) in one query,
    each claim's in source and text order."""
    statement = (
        select(Attribution)
        .where(Attribution.claim_id.in_(claim_ids))
        .where(is_live())
        .options(*attribution_loading())
        .order_by(Attribution.source_id, Attribution.quote_start, Attribution.id)
    )
    return list(session.scalars(statement).unique())


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
