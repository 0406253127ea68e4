"""A statement as the API and the pages show it, wherever it is listed."""

from datetime import datetime
from typing import Self

from app import models
from app.schemas import ActorBrief, ActorRef, ClaimRef, Schema, SourceRef


class ReportingStep(Schema):
    """One intermediary of the reporting chain, from the actor towards the source."""

    position: int
    actor: ActorBrief
    medium: str | None


class Attribution(Schema):
    """A statement: an actor's stance on a claim in a source, with the quote that carries it."""

    id: int
    stance: str
    quote: str
    quote_start: int
    quote_end: int
    quote_prefix: str
    quote_suffix: str
    medium: str | None
    note: str | None
    via: list[ReportingStep]
    actor: ActorRef
    claim: ClaimRef
    source: SourceRef
    created_at: datetime
    version: int

    @classmethod
    def of(cls, attribution: models.Attribution) -> Self:
        """The shape of a statement loaded with `app.statements.repository.attribution_loading()`."""
        return cls(
            id=attribution.id,
            stance=attribution.stance,
            quote=attribution.quote_exact,
            quote_start=attribution.quote_start,
            quote_end=attribution.quote_end,
            quote_prefix=attribution.quote_prefix,
            quote_suffix=attribution.quote_suffix,
            medium=attribution.medium,
            note=attribution.note,
            via=[ReportingStep.model_validate(step) for step in attribution.via],
            actor=ActorRef.of(attribution.actor),
            claim=ClaimRef.model_validate(attribution.claim),
            source=SourceRef.model_validate(attribution.source),
            created_at=attribution.created_at,
            version=attribution.version,
        )
