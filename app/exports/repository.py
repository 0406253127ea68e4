"""Queries of the bulk exports: a batch of flat rows after a key, through the lists' own filters
(`app.statements.repository.filtered`, `app.claims.repository.claim_conditions`)."""

from collections.abc import Sequence

from sqlalchemy import RowMapping, select
from sqlalchemy.orm import Session, aliased

from app.claims.repository import claim_conditions, fits_few_statements
from app.claims.schemas import ClaimFilters
from app.models import Actor, Attribution, Claim, ClaimSummary, ReportingStep, Source
from app.statements.repository import AttributionFilters, filtered


def statement_rows(
    session: Session, filters: AttributionFilters, *, after_id: int, limit: int
) -> Sequence[RowMapping]:
    """Up to `limit` statements after `after_id`, in id order, each with its actor, claim and source."""
    statement = (
        select(
            Attribution.id,
            Attribution.actor_id,
            Actor.name.label("actor"),
            Attribution.stance,
            Attribution.claim_id,
            Claim.text.label("claim"),
            Claim.verification_status.label("status"),
            Attribution.quote_exact.label("quote"),
            Attribution.medium,
            Attribution.source_id,
            Source.title.label("source"),
            Source.outlet,
            Source.url,
            Source.published_on,
            Attribution.created_at,
        )
        .join(Actor, Actor.id == Attribution.actor_id)
        .join(Claim, Claim.id == Attribution.claim_id)
        .join(Source, Source.id == Attribution.source_id)
    )
    statement = filtered(statement, filters).where(Attribution.id > after_id)
    return session.execute(statement.order_by(Attribution.id).limit(limit)).mappings().all()


def chain_steps(session: Session, attribution_ids: Sequence[int]) -> Sequence[RowMapping]:
    """The reporting steps of these statements, with their actors' names, in chain order."""
    if not attribution_ids:
        return []
    statement = (
        select(
            ReportingStep.attribution_id,
            ReportingStep.actor_id,
            Actor.name.label("actor"),
            ReportingStep.medium,
        )
        .join(Actor, Actor.id == ReportingStep.actor_id)
        .where(ReportingStep.attribution_id.in_(attribution_ids))
        .order_by(ReportingStep.attribution_id, ReportingStep.position)
    )
    return session.execute(statement).mappings().all()


def few_statements(session: Session, filters: ClaimFilters) -> bool:
    """Whether the claims are best gathered from the statements that fit (see `fits_few_statements`)."""
    return fits_few_statements(session, filters)


def claim_rows(
    session: Session, filters: ClaimFilters, *, few: bool, after_id: int, limit: int
) -> Sequence[RowMapping]:
    """Up to `limit` live claims after `after_id`, in id order, each with its summary's counts."""
    # Aliased: the filter `contested` reads the summaries in a subquery of its own, correlated by claim.
    summary = aliased(ClaimSummary)
    statement = (
        select(
            Claim.id,
            Claim.text,
            Claim.verification_status.label("status"),
            summary.contested,
            summary.attribution_count,
            summary.source_count,
            summary.stances,
            Claim.created_at,
            Claim.updated_at,
        )
        .outerjoin(summary, summary.claim_id == Claim.id)
        .where(*claim_conditions(filters, from_statements=few), Claim.id > after_id)
    )
    return session.execute(statement.order_by(Claim.id).limit(limit)).mappings().all()
