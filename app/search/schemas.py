"""The search results as the API returns them and the search page shows them."""

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import ActorBrief, ClaimRef, SourceRef

POSITION_SIZE = 3
"""The position of a result: (tier, kind code, object id)."""

ResultKind = Literal["claim", "attribution", "actor", "source"]


class TextPart(BaseModel):
    """A stretch of a result's text; `match` marks a word that matches the query."""

    text: str
    match: bool


class SearchResult(BaseModel):
    """One thing the search found: a claim, a statement (attribution), an actor or a source."""

    kind: ResultKind
    id: int
    url: str = Field(description="The page that shows it (a statement: its claim's page, at it).")
    api_url: str
    title: str = Field(description="A claim's text, a statement's quote, an actor's name, a source's title.")
    title_parts: list[TextPart] = Field(description="`title` cut into stretches, the matching words marked.")
    detail: str | None = Field(
        description="Where a match may be besides the title: a statement's actor, an actor's other names, "
        "a source's outlet."
    )
    detail_parts: list[TextPart]
    claim: ClaimRef | None = Field(description="The claim (of a claim or of a statement).")
    contested: bool | None = Field(description="Whether the claim is contested (claims only).")
    stance: str | None = Field(description="The statement's stance (statements only).")
    actor: ActorBrief | None = Field(description="The statement's actor, or the actor found.")
    source: SourceRef | None = Field(description="The statement's source, or the source found.")


class SearchPage(BaseModel):
    """One page of results, best first; pass `next_cursor` back as `cursor` for the next."""

    items: list[SearchResult]
    next_cursor: str | None
    total: int = Field(description="How many results there are in all pages, exactly up to 10,000.")
    total_capped: bool = Field(description="There are more than `total` results (shown as “200+”).")
