from datetime import date, datetime

from pydantic import Field

from app.attributions.schemas import Attribution
from app.schemas import Schema


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
    ingested_by: str
    ingested_at: datetime
    version: int


class SourceDetail(Source):
    text: str = Field(
        description="The text exactly as ingested (NFC, \\n line ends); quote offsets index it."
    )
    notes: str | None
    attributions: list[Attribution] = Field(description="Every attributed span, in text order.")
