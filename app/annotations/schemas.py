"""Statements as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), in the JSON-LD the
model's context (`http://www.w3.org/ns/anno.jsonld`) gives its terms.

A statement is an annotation of its source's text: the target is the source (its URL, or a URN of its
text's SHA-256) with the quote's TextQuoteSelector and TextPositionSelector; the body says who took
which stance on which claim, as a sentence, as tags that claimtrack reads back (`actor:`, `stance:`,
`claim:`, `medium:`, `via:`), and as links to the actor's and the claim's pages.
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNOTATION_MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'


class _Node(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class TextQuoteSelector(_Node):
    """The quote with a little of the text before and after it, to find it again."""

    type: Literal["TextQuoteSelector"] = "TextQuoteSelector"
    exact: str
    prefix: str
    suffix: str


class TextPositionSelector(_Node):
    """The quote's place in the source text: offsets in code points, `end` excluded."""

    type: Literal["TextPositionSelector"] = "TextPositionSelector"
    start: int
    end: int


class Target(_Node):
    source: str = Field(description="The source's URL, or `urn:sha256:` and the SHA-256 of its text.")
    selector: list[TextQuoteSelector | TextPositionSelector]


class TextualBody(_Node):
    type: Literal["TextualBody"] = "TextualBody"
    purpose: Literal["describing", "tagging", "commenting"]
    value: str
    format: Literal["text/plain"] = "text/plain"


class SpecificResource(_Node):
    """A link to the actor's page (`identifying`: who speaks) or the claim's (`linking`)."""

    type: Literal["SpecificResource"] = "SpecificResource"
    purpose: Literal["identifying", "linking"]
    source: str


class Agent(_Node):
    type: Literal["Person", "Software"]
    name: str | None = None
    nickname: str | None = Field(default=None, description="The account that recorded the statement.")


class Annotation(_Node):
    """One statement as a W3C Web Annotation."""

    context: str | None = Field(default=None, alias="@context")
    id: str = Field(description="The annotation's own URL.")
    type: Literal["Annotation"] = "Annotation"
    motivation: Literal["describing"] = "describing"
    created: datetime
    modified: datetime | None = None
    creator: Agent | None = None
    generator: Agent
    body: list[TextualBody | SpecificResource]
    target: Target


class CollectionRef(_Node):
    id: str
    type: Literal["AnnotationCollection"] = "AnnotationCollection"
    total: int


class AnnotationPage(_Node):
    """One page of a source's annotations, in statement order; `next` is the page after it."""

    context: str | None = Field(default=None, alias="@context")
    id: str
    type: Literal["AnnotationPage"] = "AnnotationPage"
    part_of: CollectionRef = Field(alias="partOf")
    next: str | None = None
    items: list[Annotation]


class AnnotationCollection(_Node):
    """A source's statements as annotations: how many (`total`), and the first page."""

    context: str | None = Field(default=None, alias="@context")
    id: str
    type: Literal["AnnotationCollection"] = "AnnotationCollection"
    label: str
    total: int
    first: AnnotationPage
