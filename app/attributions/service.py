"""Rules for attributions: a stance from the vocabulary and a quote anchored verbatim in its source."""

from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors.repository import find_actor_ids
from app.attributions import repository, schemas
from app.attributions.quotes import QuoteAnchor, anchor_at, locate
from app.attributions.repository import AttributionFilters
from app.audit.service import record
from app.errors import Conflict, Gone, NotFound
from app.models import Actor, Attribution, Claim, ReportingStep, Source
from app.pagination import PageRequest, paginate
from app.schemas import ActorBrief, ActorRef, ClaimRef, Page, SourceRef
from app.vocabulary import Stance


@dataclass(frozen=True)
class ChainStep:
    actor_id: int
    medium: str | None = None


@dataclass(frozen=True)
class AttributionInput:
    claim: Claim
    actor: Actor
    source: Source
    stance: Stance
    quote: str
    quote_start: int | None = None
    """With `quote_end`, where the quote stands; without, the quote is looked up in the text."""
    quote_end: int | None = None
    occurrence: int | None = None
    """Which occurrence (1-based) is meant when the quote is looked up and appears several times."""
    medium: str | None = None
    note: str | None = None
    via: list[ChainStep] = field(default_factory=list)


def anchor_quote(attribution_input: AttributionInput) -> QuoteAnchor:
    """Anchor the quote in its source's text; fails with InvalidQuote unless it is verbatim there."""
    text = attribution_input.source.text
    start, end = attribution_input.quote_start, attribution_input.quote_end
    if start is None and end is None:
        return locate(text, attribution_input.quote, occurrence=attribution_input.occurrence)
    if start is None:
        start = end - len(attribution_input.quote) if end is not None else 0
    if end is None:
        end = start + len(attribution_input.quote)
    return anchor_at(text, start, end, attribution_input.quote)


def find_attribution(
    session: Session, attribution_input: AttributionInput, anchor: QuoteAnchor
) -> Attribution | None:
    """The attribution recording the same statement (actor, claim, source, span), if there is one."""
    return session.scalars(
        select(Attribution).where(
            Attribution.source_id == attribution_input.source.id,
            Attribution.actor_id == attribution_input.actor.id,
            Attribution.claim_id == attribution_input.claim.id,
            Attribution.quote_start == anchor.start,
            Attribution.quote_end == anchor.end,
        )
    ).one_or_none()


def create_attribution(session: Session, attribution_input: AttributionInput, *, by: str) -> Attribution:
    """Record that an actor took a stance on a claim in a source, with its quote and reporting chain.

    Fails with InvalidQuote when the quote is not verbatim in the source at the given place.
    """
    anchor = anchor_quote(attribution_input)
    if find_attribution(session, attribution_input, anchor) is not None:
        raise Conflict(
            f"{attribution_input.actor.name}'s statement at {anchor.start}–{anchor.end} of this source "
            "is already attributed to this claim."
        )
    attribution = Attribution(
        claim_id=attribution_input.claim.id,
        actor_id=attribution_input.actor.id,
        source_id=attribution_input.source.id,
        stance=attribution_input.stance.value,
        quote_start=anchor.start,
        quote_end=anchor.end,
        quote_exact=anchor.exact,
        quote_prefix=anchor.prefix,
        quote_suffix=anchor.suffix,
        medium=attribution_input.medium,
        note=attribution_input.note,
    )
    attribution.via = [
        ReportingStep(position=position, actor_id=step.actor_id, medium=step.medium)
        for position, step in enumerate(attribution_input.via)
    ]
    session.add(attribution)
    audit = record(session, user_name=by, action="create", row=attribution)
    assert audit.after is not None
    audit.after["via"] = [
        {"actor_id": step.actor_id, "medium": step.medium} for step in attribution_input.via
    ]
    return attribution


def attribution_schema(attribution: Attribution) -> schemas.Attribution:
    """The API and page shape of an attribution loaded with `repository.attribution_loading()`."""
    return schemas.Attribution(
        id=attribution.id,
        stance=attribution.stance,
        quote=attribution.quote_exact,
        quote_start=attribution.quote_start,
        quote_end=attribution.quote_end,
        quote_prefix=attribution.quote_prefix,
        quote_suffix=attribution.quote_suffix,
        medium=attribution.medium,
        note=attribution.note,
        via=[
            schemas.ReportingStep(
                position=step.position, actor=ActorBrief.model_validate(step.actor), medium=step.medium
            )
            for step in attribution.via
        ],
        actor=ActorRef.of(attribution.actor),
        claim=ClaimRef.model_validate(attribution.claim),
        source=SourceRef.model_validate(attribution.source),
        created_at=attribution.created_at,
        version=attribution.version,
    )


def list_attributions(
    session: Session, *, actor: str | None, filters: AttributionFilters, page: PageRequest
) -> Page[schemas.Attribution]:
    """A page of attributions; `actor` is any name or alias, under any spelling."""
    if actor is not None:
        filters = replace(filters, actor_ids=find_actor_ids(session, actor))
        if not filters.actor_ids:
            return Page(items=[], next_cursor=None)
    rows = repository.list_attributions(session, filters, after_id=page.after_id, limit=page.limit)
    return paginate([attribution_schema(row) for row in rows], page.limit)


def get_attribution(session: Session, attribution_id: int) -> schemas.Attribution:
    attribution = repository.get_attribution(session, attribution_id)
    if attribution is None:
        raise NotFound(f"There is no attribution {attribution_id}.")
    if attribution.deleted_at is not None or attribution.claim.deleted_at is not None:
        raise Gone(f"Attribution {attribution_id} was deleted. An administrator can restore it.")
    return attribution_schema(attribution)
