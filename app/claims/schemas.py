from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.pagination import IdField
from app.schemas import ActorBrief, ClaimRef, Schema, SourceRef
from app.statements.schemas import Attribution
from app.text import valid_text
from app.vocabulary import RelationKind, Stance, VerificationStatus


@dataclass(frozen=True)
class ClaimFilters:
    actor_ids: Sequence[int] | None = None
    """None: any actor. With `stance`, `source_id` and the dates, one attribution must match them all."""
    stance: Stance | None = None
    source_id: int | None = None
    status: VerificationStatus | None = None
    words: Sequence[str] | None = None
    """Folded words (app/fulltext/repository.py) that the claim's text, or the quote of one of its live
    statements, must hold, each as the start of a word: `ropck` matches `Röpcke`."""
    common_words: bool = False
    """Whether `words` are common (`app.fulltext.repository.words_are_common`), which picks their plan."""
    contested: bool | None = None
    """True: only contested claims; False: only claims that are not; None: either."""
    date_from: date | None = None
    """A statement in a source published on or after this day."""
    date_to: date | None = None
    """A statement in a source published on or before this day."""


MAX_CLAIM_INPUT_CHARS = 20_000
"""A bound on what is parsed at all; the claim's own limit, with its message, is the service's."""


class StanceCount(BaseModel):
    """How many actors, and how many of their statements, stand in one stance on a claim."""

    stance: str
    label: str
    actors: list[str] = Field(description="The first three actors, in the order of their first statement.")
    actor_count: int
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
    """The statements of one stance: the first in id order, how many there are, where the rest are."""

    stance: str
    heading: str
    attributions: list[Attribution] = Field(description="The first statements of the stance, in id order.")
    attribution_count: int
    next_url: str | None = Field(
        description="The statements list that continues this one (its next page); null when all are here."
    )


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
    sources: list[SourceRef] = Field(
        description="The first five sources quoting this origin, in the order of its first statement there."
    )
    source_count: int
    attribution_count: int
    first_attribution_id: int


class StanceSummary(BaseModel):
    """How many distinct actors and independent origins stand in one stance on a claim."""

    stance: str
    label: str
    actor_count: int
    origin_count: int
    attribution_count: int
    origins: list[Origin] = Field(description="The first ten origins, in the order of their first statement.")


class ChainNode(BaseModel):
    """A node of the drawing of a claim's reporting chains, statements sharing a prefix merged.

    `speaker` (the actor and their stance) → `medium` (how they said it) → `intermediary` (each
    actor that relayed it, with how) → `source` (an article that carries it), or `more_sources` (the
    other articles the same path ends in, counted): the last two are always leaves.
    """

    kind: str = Field(description="'speaker', 'medium', 'intermediary', 'source' or 'more_sources'.")
    label: str
    actor: ActorBrief | None = None
    stance: str | None = None
    medium: str | None = None
    source: SourceRef | None = None
    source_count: int | None = Field(None, description="On a `more_sources` leaf: how many articles.")
    attribution_count: int = Field(description="The statements whose path passes through here.")
    first_attribution_id: int = Field(description="The first of them on record.")
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
    supporting: list[ConflictStatement] = Field(
        description="The first five statements that assert or confirm it, in id order."
    )
    supporting_count: int
    other_stances: list[StanceTally] = Field(description="The other stances taken on it, with counts.")


class ClaimDetail(Claim):
    """A claim with its statements grouped by stance (the first of each), its related claims, its
    status history, and its provenance at a glance. Its size does not grow with its statements."""

    groups: list[StanceGroup] = Field(description="All six stances in vocabulary order, empty ones too.")
    related: list[RelatedClaim]
    sources: list[SourceRef] = Field(
        description="The first twenty sources of its statements, in id order (`source_count` counts all)."
    )
    history: list[StatusChange] = Field(description="The last twenty status changes, oldest first.")
    history_count: int = Field(description="All status changes; the history endpoint pages through them.")
    stance_summary: list[StanceSummary] = Field(
        description="All six stances in vocabulary order: distinct actors and independent origins."
    )
    chains: list[ChainNode] = Field(
        description="The reporting chains, one tree per speaker and stance: the paths that carry the "
        "most statements, up to 20 of them."
    )
    path_count: int = Field(description="How many distinct paths the statements travelled in all.")
    paths_drawn: int = Field(description="How many of them `chains` draws.")
    conflicts: list[ConflictSide] = Field(
        description="This claim and every claim contradicting it, side by side; empty when none does."
    )


# Writing


class RelatedClaimInput(BaseModel):
    """An outgoing relation: "<this claim> <kind> <claim_id>"."""

    # Frozen, so that repeats of one relation can be dropped as equal, hashable values.
    model_config = ConfigDict(extra="forbid", frozen=True)

    claim_id: IdField
    kind: RelationKind


class ClaimCreate(BaseModel):
    """A new claim: one checkable proposition, stated neutrally, and how it relates to others."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(max_length=MAX_CLAIM_INPUT_CHARS), AfterValidator(valid_text)]
    related: list[RelatedClaimInput] = Field(default_factory=list, max_length=100)


class ClaimUpdate(BaseModel):
    """A change to a claim; `related`, when given, replaces the list of outgoing relations."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(max_length=MAX_CLAIM_INPUT_CHARS), AfterValidator(valid_text)] | None = None
    related: list[RelatedClaimInput] | None = Field(default=None, max_length=100)


class ClaimSuggestion(ClaimRef):
    """A claim that what was typed so far may mean."""

    label: str = Field(
        description="What a claim field shows for it: its number and the start of its text, e.g. "
        "“12: Two Ukrainian helicopters struck…”. Typed back into the field, it designates this claim."
    )


class ClaimSuggestions(BaseModel):
    """Live claims with a word starting with each word typed: the exact text first, then the newest."""

    items: list[ClaimSuggestion]
