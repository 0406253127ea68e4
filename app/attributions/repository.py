"""Queries for attributions, each loading exactly what its schema shows."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import Session, joinedload, load_only, selectinload, undefer
from sqlalchemy.orm.interfaces import LoaderOption

from app.models import Actor, Attribution, Claim, ReportingStep, Source
from app.search.fulltext import statements_with_own_words
from app.vocabulary import Stance, VerificationStatus


def is_live() -> ColumnElement[bool]:
    """An attribution that is shown: neither it nor its claim is (soft-)deleted."""
    deleted_claims = select(Claim.id).where(Claim.deleted_at.is_not(None))
    return and_(Attribution.deleted_at.is_(None), Attribution.claim_id.not_in(deleted_claims))


def attribution_loading() -> list[LoaderOption]:
    """Everything the Attribution schema reads, in a fixed number of queries whatever the count."""
    return [
        joinedload(Attribution.actor).selectinload(Actor.aliases),
        joinedload(Attribution.claim),
        # A source's text can be large; an attribution shows only its reference.
        joinedload(Attribution.source).load_only(
            Source.id, Source.title, Source.outlet, Source.published_on, raiseload=True
        ),
        selectinload(Attribution.via).joinedload(ReportingStep.actor),
    ]


@dataclass(frozen=True)
class AttributionFilters:
    actor_ids: Sequence[int] | None = None
    """None: any actor; an empty list: an actor name that matched nobody, so no results."""
    stance: Stance | None = None
    source_id: int | None = None
    claim_id: int | None = None
    status: VerificationStatus | None = None
    """The verification status of the statement's claim."""
    words: Sequence[str] | None = None
    """Folded words (app/search/fulltext.py) that the quote must hold, each as the start of a word."""


def filtered(statement: Select[Attribution], filters: AttributionFilters) -> Select[Attribution]:
    statement = statement.where(is_live())
    if filters.actor_ids is not None:
        statement = statement.where(Attribution.actor_id.in_(filters.actor_ids))
    if filters.stance is not None:
        statement = statement.where(Attribution.stance == filters.stance.value)
    if filters.source_id is not None:
        statement = statement.where(Attribution.source_id == filters.source_id)
    if filters.claim_id is not None:
        statement = statement.where(Attribution.claim_id == filters.claim_id)
    if filters.status is not None:
        with_status = select(Claim.id).where(Claim.verification_status == filters.status.value)
        statement = statement.where(Attribution.claim_id.in_(with_status))
    if filters.words:
        statement = statement.where(statements_with_own_words(filters.words))
    return statement


def list_attributions(
    session: Session, filters: AttributionFilters, *, after_id: int | None, limit: int
) -> list[Attribution]:
    """A page of attributions in id order; one more than `limit` tells whether a next page exists."""
    statement = filtered(select(Attribution), filters).options(*attribution_loading())
    if after_id is not None:
        statement = statement.where(Attribution.id > after_id)
    statement = statement.order_by(Attribution.id).limit(limit + 1)
    return list(session.scalars(statement).unique())


def attributions_of_claim(session: Session, claim_id: int) -> list[Attribution]:
    statement = (
        select(Attribution)
        .where(Attribution.claim_id == claim_id)
        .where(is_live())
        .options(*attribution_loading())
        .order_by(Attribution.source_id, Attribution.quote_start, Attribution.id)
    )
    return list(session.scalars(statement).unique())


def attributions_of_source(session: Session, source_id: int) -> list[Attribution]:
    statement = (
        select(Attribution)
        .where(Attribution.source_id == source_id)
        .where(is_live())
        .options(*attribution_loading())
        .order_by(Attribution.quote_start, Attribution.quote_end.desc(), Attribution.id)
    )
    return list(session.scalars(statement).unique())


def attributions_by_actor(session: Session, actor_id: int) -> list[Attribution]:
    statement = (
        select(Attribution)
        .where(Attribution.actor_id == actor_id)
        .where(is_live())
        .options(*attribution_loading())
        .order_by(Attribution.claim_id, Attribution.source_id, Attribution.quote_start)
    )
    return list(session.scalars(statement).unique())


def attributions_relayed_by(session: Session, actor_id: int) -> list[Attribution]:
    """Statements of others that reached a source through this actor (a step of their chain)."""
    relayed = select(ReportingStep.attribution_id).where(ReportingStep.actor_id == actor_id)
    statement = (
        select(Attribution)
        .where(Attribution.id.in_(relayed))
        .where(is_live())
        .options(*attribution_loading())
        .order_by(Attribution.claim_id, Attribution.source_id, Attribution.quote_start)
    )
    return list(session.scalars(statement).unique())


def get_attribution(session: Session, attribution_id: int) -> Attribution | None:
    statement = select(Attribution).where(Attribution.id == attribution_id).options(*attribution_loading())
    return session.scalars(statement).unique().one_or_none()


def get_source_with_text(session: Session, source_id: int) -> Source | None:
    """A source with its text, refreshed: the session may hold it loaded without the text."""
    statement = (
        select(Source)
        .where(Source.id == source_id)
        .options(undefer(Source.text))
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).one_or_none()


def deleted_attributions(session: Session) -> list[Attribution]:
    """Every soft-deleted statement, most recently deleted first."""
    statement = (
        select(Attribution)
        .where(Attribution.deleted_at.is_not(None))
        .options(*attribution_loading())
        .order_by(Attribution.deleted_at.desc())
    )
    return list(session.scalars(statement).unique())


_ = load_only  # re-exported loader helpers are used by callers composing their own options
