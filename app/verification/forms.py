"""The status form: what it sends, as typed, and its translation into a `StatusChangeIn`.

The form sends the cited sources as checkboxes and the links one per line; here, and only here, they
become the change's evidence, and what the model refuses is worded as the form labels its fields:
beside the field it belongs to (`status`, `rationale`, `sources`, `links`, `evidence`).
"""

from dataclasses import dataclass, field
from typing import Annotated

from pydantic import BaseModel, Field, ValidationError
from pydantic_core import ErrorDetails

from app.verification.schemas import MAX_EVIDENCE, StatusChangeIn
from app.verification.service import InvalidStatusChange
from app.vocabulary import VerificationStatus

# Generous bounds: text over the model's limits still comes back to the form with the error beside it.
LongText = Annotated[str, Field(max_length=100_000)]
ShortText = Annotated[str, Field(max_length=100)]


class StatusForm(BaseModel):
    """What the status form sends, as typed."""

    status: ShortText = ""
    rationale: LongText = ""
    evidence_source: list[Annotated[str, Field(max_length=10_000)]] = Field(
        default_factory=list, max_length=1_000
    )
    """The ids of the cited sources; anything else typed into the field is named beside it."""
    evidence_links: LongText = ""
    seen_change: ShortText = ""
    """The last history entry the form showed: what changed since is shown if the form is stale."""

    def _sources(self) -> list[str]:
        return list(dict.fromkeys(self.evidence_source))

    def _links(self) -> list[str]:
        lines = dict.fromkeys(line.strip() for line in self.evidence_links.splitlines())
        return [line for line in lines if line]

    def field_of(self, name: str) -> str:
        """The form field showing an error the model or the service names `name` (`evidence.3`)."""
        if not name.startswith("evidence."):
            return name
        return "sources" if int(name.removeprefix("evidence.")) < len(self._sources()) else "links"

    def change(self) -> StatusChangeIn:
        """The change the form asks for; InvalidStatusChange naming every field that is wrong."""
        evidence = [{"source_id": value} for value in self._sources()]
        evidence += [{"url": line} for line in self._links()]
        fields = {"status": self.status.strip(), "rationale": self.rationale, "evidence": evidence}
        try:
            return StatusChangeIn.model_validate(fields)
        except ValidationError as invalid:
            errors: dict[str, str] = {}
            for error in invalid.errors():
                name = ".".join(str(part) for part in error["loc"][:2])
                add_error(errors, self.field_of(name), _message(error))
            raise InvalidStatusChange(errors) from None


def add_error(errors: dict[str, str], name: str, problem: str) -> None:
    """Add a problem to a field's; a field with several says them all."""
    errors[name] = f"{errors[name]} {problem}" if name in errors else problem


def _message(error: ErrorDetails) -> str:
    location, kind, given = error["loc"], error["type"], error["input"]
    if location[0] == "status":
        allowed = ", ".join(member.value for member in VerificationStatus)
        return f"'{given}' is not a verification status. Use one of: {allowed}."
    if kind == "string_too_long" and location[0] == "rationale":
        return f"The rationale has {len(given)} characters; at most {error['ctx']['max_length']} fit."
    if kind == "too_long" and location == ("evidence",):
        return f"Cite at most {MAX_EVIDENCE} pieces of evidence; this change cites {len(given)}."
    if location[-1] == "source_id":
        return f"'{given}' is not a source id."
    if kind == "string_too_long":
        return f"A link has at most {error['ctx']['max_length']} characters; one has {len(given)}."
    message = str(error["msg"]).removeprefix("Value error, ")
    if message[:1].islower():
        message = f"{SUBJECTS.get(str(location[0]), location[0])} {message}."
    return message


SUBJECTS = {"rationale": "The rationale", "evidence": "A link"}


@dataclass
class ShownStatusForm:
    """The status form shown again: what was typed, the version it is now based on, and the errors."""

    typed: StatusForm
    version: int
    seen_change: int
    errors: dict[str, str] = field(default_factory=dict)
