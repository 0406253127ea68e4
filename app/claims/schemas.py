from datetime import datetime

from pydantic import BaseModel, Field

from app.attributions.schemas import Attribution
from app.schemas import ClaimRef, Schema, SourceRef


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
