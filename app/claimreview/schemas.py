"""schema.org ClaimReview, as fact-check aggregators and search engines read it (JSON-LD).

The field names are schema.org's (camelCase on the wire, `@context` and `@type` as JSON-LD spells
them); a value that is not known is left out rather than sent as null.
"""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

SCHEMA_ORG: Literal["https://schema.org"] = "https://schema.org"


def _unknown(value: object) -> bool:
    return value is None


def known(description: str | None = None) -> Any:
    """A field left out of the document when its value is not known (None)."""
    return Field(default=None, exclude_if=_unknown, description=description)


class Thing(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )


class Organization(Thing):
    type: Literal["Organization"] = Field(default="Organization", alias="@type")
    name: str
    url: str | None = known()
    same_as: str | None = known("The organisation's Wikidata entry, when known.")


class Person(Thing):
    type: Literal["Person"] = Field(default="Person", alias="@type")
    name: str
    same_as: str | None = known("The person's Wikidata entry, when known.")


class CreativeWork(Thing):
    """A source the claim appears in."""

    type: Literal["CreativeWork"] = Field(default="CreativeWork", alias="@type")
    url: str = Field(description="The source's own URL; the tracker's copy of it when it has none.")
    headline: str
    publisher: Organization | None = known("The outlet, when known.")
    date_published: date | None = known()


class Rating(Thing):
    """The verdict on schema.org's 1 (false) to 5 (true) scale."""

    type: Literal["Rating"] = Field(default="Rating", alias="@type")
    rating_value: int = Field(ge=1, le=5)
    best_rating: Literal[5] = 5
    worst_rating: Literal[1] = 1
    alternate_name: str = Field(description="The verification status's label (`Partly confirmed`).")
    name: str = Field(description="The rating's name on ClaimReview's scale (`Mostly true`).")
    rating_explanation: str | None = known("The fact-checker's rationale.")


class Claim(Thing):
    """The claim reviewed, as the actors who asserted it made it, where it appeared."""

    type: Literal["Claim"] = Field(default="Claim", alias="@type")
    author: list[Person | Organization] = Field(
        description="The first actors to assert it (at most ten), in the order of their first statement."
    )
    appearance: list[CreativeWork] = Field(
        description="The sources carrying statements on it (at most ten), earliest published first."
    )
    first_appearance: CreativeWork | None = known("The earliest of the appearances.")
    date_published: date | None = known("When it first appeared, when known.")


class ClaimReview(Thing):
    """A fact-checker's verdict on one claim."""

    context: Literal["https://schema.org"] = Field(default=SCHEMA_ORG, alias="@context")
    type: Literal["ClaimReview"] = Field(default="ClaimReview", alias="@type")
    url: str = Field(description="The claim's page.")
    claim_reviewed: str
    review_rating: Rating
    item_reviewed: Claim
    date_published: datetime = Field(description="When the verdict was given: the last status change.")
    author: Organization = Field(description="The reviewing organisation.")


class DataFeedItem(Thing):
    type: Literal["DataFeedItem"] = Field(default="DataFeedItem", alias="@type")
    url: str
    date_created: datetime
    date_modified: datetime
    item: list[ClaimReview]


class ClaimReviewFeed(Thing):
    """The reviewed claims as the ClaimReview data feeds that fact-check aggregators ingest (a
    schema.org DataFeed, one DataFeedItem per claim), a page at a time in claim id order."""

    context: Literal["https://schema.org"] = Field(default=SCHEMA_ORG, alias="@context")
    type: Literal["DataFeed"] = Field(default="DataFeed", alias="@type")
    name: str
    url: str
    data_feed_element: list[DataFeedItem]
    next_cursor: str | None = Field(
        alias="next_cursor",
        description="Pass it back as `cursor` for the next page (null: no more); outside schema.org.",
    )
