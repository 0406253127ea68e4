"""A statement as the API and the pages show it, wherever it is listed."""

from datetime import datetime
from typing import Self

from pydantic import AliasChoices, Field

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


class TextSpan(Schema):
    """A range of characters of the source's text, `text[start:end]`."""

    start: int
    end: int


class ProposedStatement(Schema):
    """A statement the extractor proposed in a source, for an editor to accept, correct or reject."""

    id: int
    source_id: int
    state: str = Field(description="`pending`, `accepted` or `rejected`.")
    stance: str
    quote: str = Field(description="The whole statement's passage: from its first span to its last.")
    quote_start: int
    quote_end: int
    speaker: TextSpan | None = Field(description="Where the text names who spoke; null when it does not.")
    cue: TextSpan = Field(description="The reporting expression: `said`, `declined to comment`.")
    content: TextSpan | None = Field(description="What was said; null for a refusal to comment.")
    actor: ActorBrief | None = Field(description="The actor on record the statement resolves to.")
    actor_name: str | None = Field(
        description="The name the extractor gave: the actor's on record, or a new actor's, created when "
        "the proposal is accepted."
    )
    medium: str | None
    via: list[str] = Field(description="The reporting chain, as names, from the actor towards the source.")
    claim: ClaimRef | None = Field(description="The claim on record the content fits, if one does.")
    claim_text: str | None = Field(
        description="A new claim drafted from the content, created when the proposal is accepted "
        "(when no claim on record fits)."
    )
    attribution_id: int | None = Field(description="The statement an accepted proposal became.")
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, proposal: models.Proposal, text: str) -> Self:
        """The shape of a proposal loaded with `app.statements.repository.proposal_loading()`, with
        the text of the source it is in."""

        def span(start: int | None, end: int | None) -> TextSpan | None:
            return TextSpan(start=start, end=end) if start is not None and end is not None else None

        return cls(
            id=proposal.id,
            source_id=proposal.source_id,
            state=proposal.state,
            stance=proposal.stance,
            quote=text[proposal.quote_start : proposal.quote_end],
            quote_start=proposal.quote_start,
            quote_end=proposal.quote_end,
            speaker=span(proposal.source_start, proposal.source_end),
            cue=TextSpan(start=proposal.cue_start, end=proposal.cue_end),
            content=span(proposal.content_start, proposal.content_end),
            actor=ActorBrief.model_validate(proposal.actor) if proposal.actor is not None else None,
            actor_name=proposal.actor_name,
            medium=proposal.medium,
            via=list(proposal.via or []),
            claim=ClaimRef.model_validate(proposal.claim) if proposal.claim is not None else None,
            claim_text=proposal.claim_text,
            attribution_id=proposal.attribution_id,
            decided_by=proposal.decided_by,
            decided_at=proposal.decided_at,
            created_at=proposal.created_at,
        )
