"""The API's shared shapes: references between objects, and pages of results."""

from datetime import date
from typing import Generic, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ActorBrief(Schema):
    id: int
    slug: str
    name: str
    kind: str


class ActorRef(ActorBrief):
    aliases: list[str] = Field(validation_alias=AliasChoices("other_names", "aliases"))
    role: str | None


class ClaimRef(Schema):
    id: int
    slug: str
    text: str
    verification_status: str


class SourceRef(Schema):
    id: int
    title: str
    outlet: str | None
    published_on: date | None


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a list; pass `next_cursor` back as `cursor` for the next page (null: no more)."""

    items: list[ItemT]
    next_cursor: str | None


class CountedPage(Page[ItemT], Generic[ItemT]):
    """The first page of a list inside a larger answer (a claim's statements of one stance, an actor's
    claims), with how many items there are in all and where the next page is."""

    total: int
    next_url: str | None = None
    """The URL of the list that continues this one (its next page), when there is one."""
