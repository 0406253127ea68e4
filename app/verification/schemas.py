"""The input of the verification workflow, a change of a claim's status, and the history it reads.

`StatusChangeIn` is the one input of a status change: the API reads it from JSON, the status form
translates into it (`app.verification.forms`), and the seeds build it. What it checks needs nothing
but the input itself; the service checks the rest (that a cited source exists).
"""

from typing import Annotated, Self
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.claims.schemas import StatusChange
from app.pagination import IdField
from app.text import NOT_VISIBLE, Text, is_visible, tidy
from app.vocabulary import VerificationStatus

MAX_RATIONALE_CHARS = 5_000
MAX_EVIDENCE = 20
MAX_URL_CHARS = 2_000
MAX_NOTE_CHARS = 1_000

NO_RATIONALE = "Write a rationale: say why the claim has this status."


def _rationale(value: str) -> str:
    value = tidy(value)
    if not value:
        raise ValueError(NO_RATIONALE)
    if not is_visible(value):
        raise ValueError(f"The rationale {NOT_VISIBLE}.")
    return value


def is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(parts.hostname)
        and not any(character.isspace() or not character.isprintable() for character in url)
    )


def not_a_web_address(url: str) -> str:
    return f"'{url}' is not a web address: a link starts with http:// or https://."


class EvidenceIn(BaseModel):
    """One piece of evidence: a source in the tracker (`source_id`) or a link (`url`), with a note."""

    model_config = ConfigDict(extra="forbid")

    source_id: IdField | None = Field(default=None, description="The id of a source in the tracker.")
    url: Annotated[Text, StringConstraints(strip_whitespace=True, max_length=MAX_URL_CHARS)] | None = Field(
        default=None, description="An http:// or https:// address."
    )
    note: Annotated[Text, StringConstraints(max_length=MAX_NOTE_CHARS), AfterValidator(tidy)] | None = Field(
        default=None, description="What this evidence shows."
    )

    @model_validator(mode="after")
    def _source_or_url(self) -> Self:
        if (self.source_id is None) == (self.url is None):
            raise ValueError("give either a source_id or a url, not both and not neither")
        if self.url is not None and not is_web_address(self.url):
            raise ValueError(not_a_web_address(self.url))
        return self

    def as_json(self) -> dict[str, str | int | None]:
        """The evidence as the history keeps it."""
        return {"source_id": self.source_id, "url": self.url, "note": self.note or None}


class StatusChangeIn(BaseModel):
    """A fact-checker's decision: the new status, why, and on what evidence."""

    model_config = ConfigDict(extra="forbid")

    status: VerificationStatus
    rationale: Annotated[Text, AfterValidator(_rationale)] = Field(
        max_length=MAX_RATIONALE_CHARS, description="Why the claim has this status; required, not blank."
    )
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=MAX_EVIDENCE)


class History(BaseModel):
    """A page of a claim's verification history, oldest first; pass `next_cursor` as `cursor` for more."""

    claim_id: int
    verification_status: str
    version: int = Field(description="The claim's version: send it as If-Match to change the status.")
    items: list[StatusChange]
    next_cursor: str | None
