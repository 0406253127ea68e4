"""Queries for ClaimReview: the reviewed claims, their verdicts, who asserted them and where.

Each reads a page of claims at once, bounded per claim, so that a feed page of busy claims costs the
same few queries as one claim with one statement.
"""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, load_only

from app.models import Actor, Attribution, Claim, Source, StatusChange
from app.vocabulary import Stance, VerificationStatus

RATED_STATUSES = sorted(
    status.value for status in VerificationStatus if status.info.claim_review_rating is not None
)
"""The statuses that are verdicts: those with a ClaimReview rating."""


def get_claim(session: Session, claim_id: int) -> Claim | None:
    return session.get(Claim, claim_id)


def reviewed_claims(session: Session, *, after_id: int | None, limit: int) -> list[Claim]:
    """A page of live claims with a verdict, in id order (`limit + 1` rows, to tell if more follow)."""
    statement = select(Claim).where(Claim.deleted_at.is_(None), Claim.verification_status.in_(RATED_STATUSES))
    if after_id is not None:
        statement = statement.where(Claim.id > after_id)
    return list(session.scalars(statement.order_by(Claim.id).limit(limit + 1)))


def last_status_changes(session: Session, claim_ids: Sequence[int]) -> dict[int, StatusChange]:
    """Each claim's latest status change (the verdict it carries now), by claim id."""
    if not claim_ids:
        return {}
    latest = (
        select(func.max(StatusChange.id))
        .where(StatusChange.claim_id.in_(claim_ids))
        .group_by(StatusChange.claim_id)
    )
    statement = select(StatusChange).where(StatusChange.id.in_(latest))
    return {change.claim_id: change for change in session.scalars(statement)}


def _live_statements(claim_ids: Sequence[int]) -> list[ColumnElement[bool]]:
    return [Attribution.claim_id.in_(claim_ids), Attribution.deleted_at.is_(None)]


def asserting_actors(session: Session, claim_ids: Sequence[int], *, per_claim: int) -> dict[int, list[Actor]]:
    """The first `per_claim` actors who asserted each claim, in the order of their first assertion."""
    if not claim_ids:
        return {}
    per_actor = (
        select(
            Attribution.claim_id,
            Attribution.actor_id,
            func.min(Attribution.id).label("first_id"),
        )
        .where(*_live_statements(claim_ids), Attribution.stance == Stance.ASSERTED.value)
        .group_by(Attribution.claim_id, Attribution.actor_id)
        .subquery("per_actor")
    )
    ranked = select(
        per_actor.c.claim_id,
        per_actor.c.actor_id,
        func.row_number()
        .over(partition_by=per_actor.c.claim_id, order_by=per_actor.c.first_id)
        .label("position"),
    ).subquery("ranked")
    statement = (
        select(ranked.c.claim_id, Actor)
        .join(Actor, Actor.id == ranked.c.actor_id)
        .where(ranked.c.position <= per_claim)
        .order_by(ranked.c.claim_id, ranked.c.position)
    )
    found: dict[int, list[Actor]] = {}
    for claim_id, actor in session.execute(statement):
        found.setdefault(claim_id, []).append(actor)
    return found


def appearances(session: Session, claim_ids: Sequence[int], *, per_claim: int) -> dict[int, list[Source]]:
    """The first `per_claim` sources carrying live statements on each claim, earliest published first
    (undated ones last, in id order), without their texts."""
    if not claim_ids:
        return {}
    carried = (
        select(Attribution.claim_id, Attribution.source_id)
        .where(*_live_statements(claim_ids))
        .distinct()
        .subquery("carried")
    )
    ranked = (
        select(
            carried.c.claim_id,
            carried.c.source_id,
            func.row_number()
            .over(
                partition_by=carried.c.claim_id,
                # NULL sorts first on SQLite and last on PostgreSQL: say where undated sources go.
                order_by=(Source.published_on.is_(None), Source.published_on, Source.id),
            )
            .label("position"),
        )
        .join(Source, Source.id == carried.c.source_id)
        .subquery("ranked")
    )
    statement = (
        select(ranked.c.claim_id, Source)
        .join(Source, Source.id == ranked.c.source_id)
        .where(ranked.c.position <= per_claim)
        .options(
            load_only(Source.id, Source.title, Source.outlet, Source.url, Source.published_on, raiseload=True)
        )
        .order_by(ranked.c.claim_id, ranked.c.position)
    )
    found: dict[int, list[Source]] = {}
    for claim_id, source in session.execute(statement):
        found.setdefault(claim_id, []).append(source)
    return found
