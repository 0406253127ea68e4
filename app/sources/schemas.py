from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.errors import InvalidInput
from app.schemas import CountedPage, Schema, SourceRef
from app.statements.schemas import Attribution


class Source(Schema):
    """An immutable snapshot of one published document."""

    id: int
    title: str
    title_supplied: bool = Field(
        description="True when the text has no headline and the title was written here."
    )
    outlet: str | None
    url: str | None
    published_on: date | None
    language: str
    sha256: str
    attribution_count: int
    proposals_waiting: int = Field(
        description="Statements the extractor proposed that wait for an editor's review."
    )
    ingested_by: str
    ingested_at: datetime
    version: int


class SourceAbout(Source):
    """A source's metadata with the editors' notes: what its page shows above the text."""

    notes: str | None


class SourceDetail(SourceAbout):
    text: str = Field(
        description="The text exactly as ingested (NFC, \\n line ends); quote offsets index it."
    )
    attributions: CountedPage[Attribution] = Field(
        description="The first page of the statements in this source, in id order; `total` counts them "
        "all, and `next_url` (`GET /api/v1/attributions?source=…`) continues the list."
    )


class SourceCreated(SourceDetail):
    already_existed: bool = Field(
        description="True when a source with exactly this text (after normalisation) was on record "
        "already: that source is returned unchanged, and nothing new was stored."
    )


class SourceCreate(BaseModel):
    """A new source: its text is normalised (NFC, \\n line ends), hashed, and never changes afterwards."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="1 to 500 characters.")
    text: str = Field(description="The document's full text, exactly as published.")
    outlet: str | None = None
    url: str | None = Field(None, description="An http:// or https:// address.")
    published_on: date | None = Field(None, description="ISO date, e.g. 2022-04-01.")
    language: str = Field("en", description="A language tag: en, de, pt-BR.")
    notes: str | None = None


class SourceUpdate(BaseModel):
    """Metadata to change; fields left out stay as they are, `null` clears an optional one.

    The text cannot be changed: a `text` field is refused.
    """

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published_on: date | None = None
    language: str | None = None
    notes: str | None = None
    text: str | None = Field(
        None, description="Not accepted: a source's text is immutable, every quote's offsets point into it."
    )


class SourceSuggestions(BaseModel):
    """Sources whose title or outlet has words starting with each word typed: exact title first,
    then the newest."""

    items: list[SourceRef]


def parse_date(value: str) -> date | None:
    """A day as a form's text field holds it (YYYY-MM-DD); None when empty."""
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"published_on: '{value}' is not a date: give it as YYYY-MM-DD, e.g. 2022-04-01.",
            details={"field": "published_on"},
        ) from None


class SourceMetadataForm(BaseModel):
    """What the edit form sends, as typed; `update` makes of it the input the API takes."""

    title: str = ""
    outlet: str = ""
    url: str = ""
    published_on: str = ""
    language: str = ""
    notes: str = ""

    def update(self) -> SourceUpdate:
        """Every field, as the form sends them all."""
        return SourceUpdate(**self.model_dump() | {"published_on": parse_date(self.published_on)})


class SourceForm(SourceMetadataForm):
    """What the form to add a source sends: its metadata and its text."""

    text: str = ""
    language: str = "en"

    def create(self) -> SourceCreate:
        return SourceCreate(**self.model_dump() | {"published_on": parse_date(self.published_on)})
