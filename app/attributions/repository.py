"""Queries for attributions, each loading exactly what its schema shows."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, union_all
from sqlalchemy.orm import Session, joinedload, load_only, selectinload, undefer
from sqlalchemy.orm.interfaces import LoaderOption

from app.fulltext.repository import statements_with_own_words
from app.models import Actor, Attribution, Claim, ReportingStep, Source
from app.vocabulary import Stance, VerificationStatus

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


_ = load_only  # re-exported loader helpers are used by callers composing their own options


# Counting and paging inside the database, for the pages of an actor and of a source: a fixed number
# of queries, and a bounded number of rows loaded, whatever the number of statements.


def stance_totals(session: Session, filters: AttributionFilters) -> tuple[dict[str, int], int]:
    """The statements `filters` select: how many take each stance (stances taken only), and on how
    many distinct claims they are."""
    per_stance = [func.count(case((Attribution.stance == stance.value, 1))) for stance in Stance]
    statement = filtered(
        select(func.count(Attribution.claim_id.distinct()), *per_stance).select_from(Attribution), filters
    )
    claims, *counts = session.execute(statement).one()
    taken = {stance.value: int(count) for stance, count in zip(Stance, counts, strict=True) if count}
    return taken, int(claims)


def claim_stance_counts(
    session: Session, filters: AttributionFilters, *, after_claim_id: int | None, limit: int
) -> dict[int, dict[str, int]]:
    """A page of the claims the statements `filters` select are on, in claim id order, each with its
    statements per stance; one claim more than `limit` says that there is a next page."""
    claims = filtered(select(Attribution.claim_id).distinct(), filters)
    if after_claim_id is not None:
        claims = claims.where(Attribution.claim_id > after_claim_id)
    claims = claims.order_by(Attribution.claim_id).limit(limit + 1)
    statement = (
        filtered(select(Attribution.claim_id, Attribution.stance, func.count()), filters)
        .where(Attribution.claim_id.in_(claims))
        .group_by(Attribution.claim_id, Attribution.stance)
        .order_by(Attribution.claim_id)
    )
    counts: dict[int, dict[str, int]] = {}
    for claim_id, stance, count in session.execute(statement):
        counts.setdefault(claim_id, {})[stance] = count
    return counts


def first_on_each_claim(
    session: Session, scopes: Sequence[tuple[AttributionFilters, Sequence[int]]], *, per_claim: int
) -> list[Attribution]:
    """For each (filters, claim ids) of `scopes`, the first `per_claim` statements in id order that
    the filters select on each of those claims; all of them loaded at once, in id order."""
    chosen = []
    for filters, claim_ids in scopes:
        if not claim_ids:
            continue
        position = func.row_number().over(partition_by=Attribution.claim_id, order_by=Attribution.id)
        ranked = (
            filtered(select(Attribution.id, position.label("position")), filters)
            .where(Attribution.claim_id.in_(claim_ids))
            .subquery()
        )
        chosen.append(select(ranked.c.id).where(ranked.c.position <= per_claim))
    if not chosen:
        return []
    statement = (
        select(Attribution)
        .where(Attribution.id.in_(union_all(*chosen) if len(chosen) > 1 else chosen[0]))
        .options(*attribution_loading())
        .order_by(Attribution.id)
    )
    return list(session.scalars(statement).unique())


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
