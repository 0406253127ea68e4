from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.attributions.schemas import Attribution, without_nul
from app.pagination import MAX_ID
from app.schemas import ClaimRef, Schema, SourceRef
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


class ClaimDetail(Claim):
    """A claim with every attribution grouped by stance, its related claims and its status history."""

    groups: list[StanceGroup] = Field(description="All six stances in vocabulary order, empty ones too.")
    related: list[RelatedClaim]
    history: list[StatusChange]


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
