from datetime import datetime

from pydantic import BaseModel, Field

from app.attributions.schemas import Attribution
from app.schemas import ActorBrief, ClaimRef, Schema


class Actor(Schema):
    """A person or organisation on record, with every other name it goes by."""

    id: int
    slug: str
    name: str
    kind: str
    role: str | None
    aliases: list[str]
    affiliation: ActorBrief | None
    wikidata_qid: str | None
    attribution_count: int
    created_at: datetime
    version: int


class ClaimStatements(BaseModel):
    """An actor's statements on one claim."""

    claim: ClaimRef
    stances: list[str] = Field(description="The distinct stances the actor took on this claim.")
    attributions: list[Attribution]


class ActorDetail(Actor):
    claims: list[ClaimStatements] = Field(description="What the actor said, grouped by claim.")
    relayed: list[ClaimStatements] = Field(
        description="Statements of others that reached a source through this actor."
    )
