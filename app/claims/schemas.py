from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.attributions.schemas import Attribution, without_nul
from app.pagination import MAX_ID
from app.schemas import ActorBrief, ClaimRef, Schema, SourceRef
from app.vocabulary import RelationKind
from app.web import Text

MAX_CLAIM_INPUT_CHARS = 20_000
"""A bound on what is parsed at all; the claim's own limit, with its message, is the service's."""


class StanceCount(BaseModel):
    """How many actors, and how many of their statements, stand in one stance on a claim."""

    stance: str
    label: str
    actors: list[str]
    attribution_count: int


class Claim(Schema):
    """A claim with its status and who stands where, as the claims index shows it."""

    id: int
    slug: str
    text: str
    verification_status: str
    verification_label: str
    contested: bool
    summary: str = Field(description="One line: who stands where.")
    stances: list[StanceCount] = Field(description="Only the stances someone took, in vocabulary order.")
    attribution_count: int
    source_count: int
    created_at: datetime
    updated_at: datetime
    version: int


class StanceGroup(BaseModel):
    stance: str
    heading: str
    attributions: list[Attribution]


class RelatedClaim(BaseModel):
    """A claim related to this one, read from this claim: "<this claim> <relation> <claim>"."""

    relation: str
    kind: str
    direction: str = Field(description="'outgoing' when this claim is the subject of the relation.")
    claim: ClaimRef


class Evidence(BaseModel):
    source: SourceRef | None
    url: str | None
    note: str | None


class StatusChange(BaseModel):
    id: int
    from_status: str | None
    from_label: str | None
    to_status: str
    to_label: str
    rationale: str
    evidence: list[Evidence]
    changed_by: str
    changed_at: datetime


# Provenance at a glance (see app/claims/provenance.py for the rules)


class Origin(BaseModel):
    """One independent origin: where one actor's statement on the claim first entered the record."""

    actor: ActorBrief
    first_step: ActorBrief | None = Field(
        description="The first intermediary of the reporting chain; null when the source names none."
    )
    source: SourceRef | None = Field(
        description="With no intermediary, the source that carries the statement itself; else null."
    )
    sources: list[SourceRef] = Field(description="Every source in which this origin is quoted.")
    attribution_ids: list[int]


class StanceSummary(BaseModel):
    """How many distinct actors and independent origins stand in one stance on a claim."""

    stance: str
    label: str
    actor_count: int
    origin_count: int
    attribution_count: int
    origins: list[Origin]


class ChainNode(BaseModel):
    """A node of the drawing of a claim's reporting chains, statements sharing a prefix merged.

    `speaker` (the actor and their stance) → `medium` (how they said it) → `intermediary` (each
    actor that relayed it, with how) → `source` (the article that carries it): always a leaf.
    """

    kind: str = Field(description="'speaker', 'medium', 'intermediary' or 'source'.")
    label: str
    actor: ActorBrief | None = None
    stance: str | None = None
    medium: str | None = None
    source: SourceRef | None = None
    attribution_ids: list[int] = Field(description="The statements whose chain passes through here.")
    children: list["ChainNode"] = Field(default_factory=list)


class ConflictStatement(BaseModel):
    """A statement on one side of a conflict: who takes the claim's side, where, in which words."""

    attribution_id: int
    actor: ActorBrief
    stance: str
    quote: str
    source: SourceRef


class StanceTally(BaseModel):
    stance: str
    label: str
    actor_count: int
    attribution_count: int


class ConflictSide(BaseModel):
    """One of two or more claims that contradict each other, with who supports it."""

    claim: ClaimRef
    is_this_claim: bool
    supporting: list[ConflictStatement] = Field(description="Statements that assert or confirm it.")
    other_stances: list[StanceTally] = Field(description="The other stances taken on it, with counts.")


class ClaimDetail(Claim):
    """A claim with every attribution grouped by stance, its related claims and its status history."""

    groups: list[StanceGroup] = Field(description="All six stances in vocabulary order, empty ones too.")
    related: list[RelatedClaim]
    history: list[StatusChange]
    stance_summary: list[StanceSummary] = Field(
        description="All six stances in vocabulary order: distinct actors and independent origins."
    )
    chains: list[ChainNode] = Field(description="The reporting chains, one tree per speaker and stance.")
    conflicts: list[ConflictSide] = Field(
        description="This claim and every claim contradicting it, side by side; empty when none does."
    )


# Writing


class RelatedClaimInput(BaseModel):
    """An outgoing relation: "<this claim> <kind> <claim_id>"."""

    model_config = ConfigDict(extra="forbid")

    claim_id: int = Field(ge=1, le=MAX_ID)
    kind: RelationKind


class ClaimCreate(BaseModel):
    """A new claim: one checkable proposition, stated neutrally, and how it relates to others."""

    model_config = ConfigDict(extra="forbid")

    text: Text = Field(max_length=MAX_CLAIM_INPUT_CHARS)
    related: list[RelatedClaimInput] = Field(default_factory=list, max_length=100)


class ClaimUpdate(BaseModel):
    """A change to a claim; `related`, when given, replaces the list of outgoing relations."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(max_length=MAX_CLAIM_INPUT_CHARS), AfterValidator(without_nul)] | None = None
    related: list[RelatedClaimInput] | None = Field(default=None, max_length=100)
