"""A statement as the API and the pages show it, wherever it is listed."""

from datetime import datetime

from pydantic import AliasChoices, Field

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
    quote: str = Field(validation_alias=AliasChoices("quote_exact", "quote"))
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
