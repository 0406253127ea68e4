from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from app.claims.schemas import ClaimCreate
from app.pagination import MAX_ID, IdField
from app.text import valid_text, visible_text
from app.vocabulary import Stance, VerificationStatus

MAX_QUOTE_CHARS = 20_000
MAX_NOTE_CHARS = 5_000
MAX_CHAIN_STEPS = 20


# Writing


# The length bound comes before the text rule (app.text), or pydantic reports it as a list's "items".
Medium = Annotated[str, Field(max_length=200), AfterValidator(valid_text)]
Note = Annotated[str, Field(max_length=MAX_NOTE_CHARS), AfterValidator(valid_text)]
# A quote is kept as given but for NFC, which the service applies when it anchors it in the source.
Quote = Annotated[str, Field(min_length=1, max_length=MAX_QUOTE_CHARS), AfterValidator(valid_text)]


def _one_branch(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """An actor designation's error as one error of the field: the id's when an id (or any other
    number) was sent, the name's when text was, rather than pydantic's error for each of the two."""
    try:
        return handler(value)
    except ValidationError as error:
        # Pydantic reports the union's members in order, each under its tag: the id's errors first.
        errors = error.errors()
        id_tag = errors[0]["loc"][:1]
        branch = [e for e in errors if (e["loc"][:1] == id_tag) != isinstance(value, str)] or errors
        raise PydanticCustomError(branch[0]["type"], "{message}", {"message": branch[0]["msg"]}) from None


ActorDesignation = Annotated[
    IdField | Annotated[str, Field(min_length=1, max_length=300), AfterValidator(visible_text)],
    WrapValidator(_one_branch),
    Field(description="An actor's id, slug, or any name or alias that designates exactly one actor."),
]


class ReportingStepInput(BaseModel):
    """One intermediary of the reporting chain, from the speaker towards the source."""

    model_config = ConfigDict(extra="forbid")

    actor: ActorDesignation
    medium: Medium | None = None


class _Statement(BaseModel):
    """A new statement's fields but its claim."""

    model_config = ConfigDict(extra="forbid")

    actor: ActorDesignation
    source_id: IdField
    stance: Stance
    quote: Quote
    quote_start: int | None = Field(default=None, ge=0, le=MAX_ID)
    quote_end: int | None = Field(default=None, ge=1, le=MAX_ID)
    occurrence: int | None = Field(default=None, ge=1, le=MAX_ID)
    medium: Medium | None = None
    via: list[ReportingStepInput] = Field(default_factory=list, max_length=MAX_CHAIN_STEPS)
    note: Note | None = None


class AttributionCreate(_Statement):
    """A statement: an actor's stance on a claim, with its quote copied verbatim from the source.

    Give the quote's `quote_start` and `quote_end` (Python string indices, i.e. code points), or
    neither and, when the quote appears several times, its `occurrence` (1, 2, … in text order).
    """

    claim_id: IdField


class StatementDraft(_Statement):
    """A new statement as the statement form sends it: its claim chosen (`claim_id`) or written anew
    (`new_claim`, created with the statement), which the form may leave out, or give both of."""

    claim_id: IdField | None = None
    new_claim: ClaimCreate | None = None


@dataclass(frozen=True)
class FieldNames:
    """How an input names its fields in the messages that refuse it: the API by their JSON names, the
    statement forms by their labels."""

    actor: str
    claim: str
    chain_step: str
    """With `{position}` (from 0) and `{line}` (from 1) for the step."""

    def step(self, position: int) -> str:
        return self.chain_step.format(position=position, line=position + 1)


API_FIELDS = FieldNames(actor="actor", claim="claim_id", chain_step="via[{position}].actor")
FORM_FIELDS = FieldNames(actor="Actor", claim="Claim", chain_step="Reporting chain, line {line}")


class AttributionUpdate(BaseModel):
    """A change to a statement: only the fields sent change; `via` replaces the whole chain.

    The quote may change only together with its place: send `quote`, and `quote_start` and
    `quote_end` or an `occurrence` as for a new statement. `medium` and `note` may be null.
    """

    model_config = ConfigDict(extra="forbid")

    claim_id: IdField | None = None
    stance: Stance | None = None
    quote: Quote | None = None
    quote_start: int | None = Field(default=None, ge=0, le=MAX_ID)
    quote_end: int | None = Field(default=None, ge=1, le=MAX_ID)
    occurrence: int | None = Field(default=None, ge=1, le=MAX_ID)
    medium: Medium | None = None
    via: list[ReportingStepInput] | None = Field(default=None, max_length=MAX_CHAIN_STEPS)
    note: Note | None = None


@dataclass(frozen=True)
class AttributionQuery:
    """The filters of a list of statements as the API reads them: the actor as typed (any name or
    alias), the words folded (app/fulltext/words.py)."""

    actor: str | None = None
    actor_id: int | None = None
    relayed_by: int | None = None
    stance: Stance | None = None
    source_id: int | None = None
    claim_id: int | None = None
    status: VerificationStatus | None = None
    words: Sequence[str] | None = None
