"""Queries over statements that more than one domain reads, each loading what the schema shows."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from app.fulltext.repository import statements_with_own_words
from app.models import Actor, Attribution, Claim, Proposal, ReportingStep, Source
from app.vocabulary import ProposalState, Stance, VerificationStatus

Ts = TypeVarTuple("Ts")


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
    relayed_by: int | None = None
    """An actor id: statements whose reporting chain passes through this actor."""
    status: VerificationStatus | None = None
    """The verification status of the statement's claim."""
    words: Sequence[str] | None = None
    """Folded words (app/fulltext/repository.py) that the quote must hold, each as the start of a word."""
    common_words: bool = False
    """Whether `words` are common (`app.fulltext.repository.words_are_common`), which picks their plan."""


def filtered(statement: Select[*Ts], filters: AttributionFilters) -> Select[*Ts]:
    statement = statement.where(is_live())
    if filters.actor_ids is not None:
        statement = statement.where(Attribution.actor_id.in_(filters.actor_ids))
    if filters.stance is not None:
        statement = statement.where(Attribution.stance == filters.stance.value)
    if filters.source_id is not None:
        statement = statement.where(Attribution.source_id == filters.source_id)
    if filters.claim_id is not None:
        statement = statement.where(Attribution.claim_id == filters.claim_id)
    if filters.relayed_by is not None:
        relayed = select(ReportingStep.attribution_id).where(ReportingStep.actor_id == filters.relayed_by)
        statement = statement.where(Attribution.id.in_(relayed))
    if filters.status is not None:
        with_status = select(Claim.id).where(Claim.verification_status == filters.status.value)
        statement = statement.where(Attribution.claim_id.in_(with_status))
    if filters.words:
        statement = statement.where(statements_with_own_words(filters.words, common=filters.common_words))
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


def count_attributions(session: Session, filters: AttributionFilters) -> int:
    """How many statements pass the filters."""
    statement = filtered(select(func.count()).select_from(Attribution), filters)
    return session.scalar(statement) or 0


def attributions_by_ids(session: Session, attribution_ids: Sequence[int]) -> list[Attribution]:
    """Statements by id, loaded for the Attribution schema, in id order."""
    if not attribution_ids:
        return []
    statement = (
        select(Attribution)
        .where(Attribution.id.in_(attribution_ids))
        .options(*attribution_loading())
        .order_by(Attribution.id)
    )
    return list(session.scalars(statement).unique())


def deleted_attributions(
    session: Session, *, after: tuple[datetime, int] | None, limit: int
) -> list[Attribution]:
    """A page of soft-deleted statements, most recently deleted first (`limit + 1` rows), after the
    (deleted_at, id) of the previous page's last one; through the partial index of deleted ones."""
    statement = select(Attribution).where(Attribution.deleted_at.is_not(None))
    if after is not None:
        deleted_at, attribution_id = after
        statement = statement.where(
            or_(
                Attribution.deleted_at < deleted_at,
                and_(Attribution.deleted_at == deleted_at, Attribution.id < attribution_id),
            )
        )
    statement = (
        statement.options(*attribution_loading())
        .order_by(Attribution.deleted_at.desc(), Attribution.id.desc())
        .limit(limit + 1)
    )
    return list(session.scalars(statement).unique())


def count_deleted_attributions(session: Session) -> int:
    return session.scalar(select(func.count()).where(Attribution.deleted_at.is_not(None))) or 0


# Proposed statements: the review queue of a source, which the source's pages and the queue read.


def proposal_loading() -> list[LoaderOption]:
    """Everything the ProposedStatement schema reads."""
    return [joinedload(Proposal.actor), joinedload(Proposal.claim)]


def proposals_of_source(
    session: Session,
    source_id: int,
    *,
    state: ProposalState | None = None,
    after_id: int | None = None,
    limit: int,
) -> list[Proposal]:
    """A page (`limit + 1` rows) of a source's proposals in id order, of one state or all."""
    statement = select(Proposal).where(Proposal.source_id == source_id).options(*proposal_loading())
    if state is not None:
        statement = statement.where(Proposal.state == state.value)
    if after_id is not None:
        statement = statement.where(Proposal.id > after_id)
    return list(session.scalars(statement.order_by(Proposal.id).limit(limit + 1)))


def pending_proposals_in(session: Session, source_id: int, start: int, end: int) -> list[Proposal]:
    """The pending proposals of a source that reach into `text[start:end]`, in text order."""
    statement = (
        select(Proposal)
        .where(
            Proposal.source_id == source_id,
            Proposal.state == ProposalState.PENDING.value,
            Proposal.quote_start < end,
            Proposal.quote_end > start,
        )
        .options(*proposal_loading())
        .order_by(Proposal.quote_start, Proposal.quote_end.desc(), Proposal.id)
    )
    return list(session.scalars(statement))


def pending_counts(session: Session, source_ids: Sequence[int]) -> dict[int, int]:
    """How many proposals wait for an editor in each of these sources (those with none are left out)."""
    if not source_ids:
        return {}
    statement = (
        select(Proposal.source_id, func.count())
        .where(Proposal.source_id.in_(source_ids), Proposal.state == ProposalState.PENDING.value)
        .group_by(Proposal.source_id)
    )
    return dict(session.execute(statement).all())


def has_pending_proposals() -> ColumnElement[bool]:
    """A `Source` with at least one proposal waiting for an editor."""
    return (
        select(Proposal.id)
        .where(Proposal.source_id == Source.id, Proposal.state == ProposalState.PENDING.value)
        .exists()
    )
