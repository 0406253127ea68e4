"""The API contract of the verification workflow: a change of a claim's status, and its history."""

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from app.claims.schemas import StatusChange
from app.pagination import IdField
from app.text import valid_text
from app.verification.service import MAX_EVIDENCE, MAX_NOTE_CHARS, MAX_RATIONALE_CHARS, MAX_URL_CHARS
from app.vocabulary import VerificationStatus


def _without_nul(value: str | None) -> str | None:
    return None if value is None else valid_text(value)


class EvidenceIn(BaseModel):
    """One piece of evidence: a source in the tracker (`source_id`) or a link (`url`), with a note."""

    model_config = ConfigDict(extra="forbid")

    source_id: IdField | None = Field(default=None, description="The id of a source in the tracker.")
    url: Annotated[str, StringConstraints(max_length=MAX_URL_CHARS)] | None = Field(
        default=None, description="An http:// or https:// address."
    )
    note: Annotated[str, StringConstraints(max_length=MAX_NOTE_CHARS)] | None = Field(
        default=None, description="What this evidence shows."
    )

    _no_nul = field_validator("url", "note")(_without_nul)

    @model_validator(mode="after")
    def _source_or_url(self) -> Self:
        if (self.source_id is None) == (self.url is None):
            raise ValueError("give either a source_id or a url, not both and not neither")
        return self


class StatusChangeIn(BaseModel):
    """A fact-checker's decision: the new status, why, and on what evidence."""

    model_config = ConfigDict(extra="forbid")

    status: VerificationStatus
    rationale: str = Field(
        max_length=MAX_RATIONALE_CHARS, description="Why the claim has this status; required, not blank."
    )
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=MAX_EVIDENCE)

    _no_nul = field_validator("rationale")(_without_nul)


class History(BaseModel):
    """A page of a claim's verification history, oldest first; pass `next_cursor` as `cursor` for more."""

    claim_id: int
    verification_status: str
    version: int = Field(description="The claim's version: send it as If-Match to change the status.")
    items: list[StatusChange]
    next_cursor: str | None
