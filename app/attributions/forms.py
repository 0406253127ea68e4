"""The statement forms: what they send, as typed, and its translation into the inputs the API takes.

A form names a claim by typing it (`app.claims.service.pick_claim` resolves it) or writes a new one,
types the reporting chain one intermediary per line ("name | medium"), and sends every field on an
edit. Here, and only here, those shapes become a `StatementDraft` or an `AttributionUpdate`, whose
bounds are the API's; what the models refuse is worded as the form labels its fields.
"""

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, ValidationError
from pydantic_core import ErrorDetails

from app.attributions.schemas import (
    MAX_QUOTE_CHARS,
    AttributionUpdate,
    StatementDraft,
)
from app.claims.schemas import MAX_CLAIM_INPUT_CHARS
from app.claims.service import ClaimPick, chosen_claim, claim_label
from app.errors import InvalidInput
from app.models import Attribution
from app.pagination import whole_number
from app.text import Text

# Bounds of what a form field carries at all; the statement's own bounds are the models'.
LongText = Annotated[Text, Field(max_length=MAX_QUOTE_CHARS)]
ShortText = Annotated[Text, Field(max_length=1_000)]


class StatementEditForm(BaseModel):
    """What the form to correct a statement sends, as typed."""

    quote: LongText = ""
    quote_start: ShortText = ""
    quote_end: ShortText = ""
    claim: ShortText = ""
    claim_choice: ShortText = ""
    """The claim chosen among those the claim field's text fitted (radio buttons), if any."""
    stance: ShortText = ""
    medium: ShortText = ""
    via: LongText = ""
    note: LongText = ""

    @property
    def typed_claim(self) -> str:
        """The claim field's text, or the claim chosen among those it fitted."""
        choice = self.claim_choice.strip()
        return choice if choice.isdigit() else self.claim.strip()

    def values(self) -> dict[str, str]:
        """The fields as the form shows them again."""
        shown = self.model_dump(exclude={"claim_choice"})
        return {**shown, "claim": self.typed_claim}


class StatementForm(StatementEditForm):
    """What the form to attribute a statement sends, as typed."""

    actor: ShortText = ""
    new_claim: Annotated[Text, Field(max_length=MAX_CLAIM_INPUT_CHARS)] = ""


LABELS = {
    "quote": "Quote",
    "quote_start": "Quote start",
    "quote_end": "Quote end",
    "actor": "Actor",
    "claim_id": "Claim",
    "new_claim": "New claim",
    "stance": "Stance",
    "medium": "Medium",
    "via": "Reporting chain",
    "note": "Note",
    "occurrence": "Occurrence",
}
EMPTY = {
    "actor": "name the actor (any name, alias or slug).",
    "quote": "copy the statement's words exactly as the source has them.",
}
"""What to say of a field left empty that must not be."""


def _label(location: tuple[int | str, ...]) -> str:
    if location[0] == "via" and len(location) > 1:
        return f"Reporting chain, line {int(location[1]) + 1}"
    return LABELS.get(str(location[0]), str(location[0]))


def _message(error: ErrorDetails) -> str:
    location = error["loc"]
    label, name = _label(location), str(location[-1])
    context: dict[str, Any] = dict(error.get("ctx") or {})
    if error["type"] in ("string_too_long", "too_long"):
        unit = "steps" if location == ("via",) else "characters"
        given = len(error["input"])
        return f"{label}: at most {context['max_length']:,} {unit}; this one has {given:,}."
    if error["type"] in ("string_too_short", "missing") and name in EMPTY:
        return f"{label}: {EMPTY[name]}"
    if error["type"] == "enum":
        return f"{label}: “{error['input']}” is not a {name}; choose one of {context['expected']}."
    return f"{label}: {str(error['msg']).removeprefix('Value error, ')}."


ModelT = TypeVar("ModelT", bound=BaseModel)


def _validated(model: type[ModelT], fields: dict[str, Any]) -> ModelT:
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise InvalidInput(_message(error.errors()[0])) from None


def _stance(typed: str) -> str:
    if not typed.strip():
        raise InvalidInput("Stance: choose the stance the actor took on the claim.")
    return typed.strip()


def _offset(name: str, typed: str) -> int | None:
    typed = typed.strip()
    if not typed:
        return None
    position = whole_number(typed)
    if position is None:
        raise InvalidInput(f"{LABELS[name]}: “{typed}” is not a character position.")
    return position


def _chain(lines: str) -> list[dict[str, str | None]]:
    """One intermediary per line, optionally followed by “| medium”."""
    steps: list[dict[str, str | None]] = []
    for line in lines.splitlines():
        if line.strip():
            name, _, medium = line.partition("|")
            steps.append({"actor": name.strip(), "medium": medium.strip() or None})
    return steps


def statement_draft(
    form: StatementForm, *, source_id: int, occurrence: int | None, claim_pick: ClaimPick | None
) -> StatementDraft:
    """The new statement a form describes; `claim_pick` is what its claim field found, if typed."""
    return _validated(
        StatementDraft,
        {
            "actor": form.actor,
            "source_id": source_id,
            "stance": _stance(form.stance),
            "quote": form.quote,
            "quote_start": _offset("quote_start", form.quote_start),
            "quote_end": _offset("quote_end", form.quote_end),
            "occurrence": occurrence,
            "medium": form.medium.strip() or None,
            "via": _chain(form.via),
            "note": form.note.strip() or None,
            "claim_id": chosen_claim(claim_pick, "Claim").id if claim_pick is not None else None,
            "new_claim": {"text": form.new_claim} if form.new_claim.strip() else None,
        },
    )


def values_of(attribution: Attribution) -> dict[str, str]:
    """A statement's fields as its edit form shows them."""
    return {
        "quote": attribution.quote_exact,
        "quote_start": str(attribution.quote_start),
        "quote_end": str(attribution.quote_end),
        "claim": claim_label(attribution.claim.id, attribution.claim.text),
        "stance": attribution.stance,
        "medium": attribution.medium or "",
        "via": "\n".join(
            step.actor.name + (f" | {step.medium}" if step.medium else "") for step in attribution.via
        ),
        "note": attribution.note or "",
    }


def statement_change(
    form: StatementEditForm,
    attribution: Attribution,
    *,
    occurrence: int | None,
    claim_pick: ClaimPick | None,
) -> AttributionUpdate:
    """What an edit form changes: the stance, medium and note it sends, and the quote, chain and claim
    where they differ from the statement's."""
    current = values_of(attribution)
    stance = _stance(form.stance)
    if claim_pick is None:
        raise InvalidInput(
            "Claim: choose the claim the statement bears on: its number, or words of its text."
        )
    changes: dict[str, Any] = {
        "stance": stance,
        "medium": form.medium.strip() or None,
        "note": form.note.strip() or None,
    }
    typed = {
        "quote": form.quote,
        "quote_start": form.quote_start.strip(),
        "quote_end": form.quote_end.strip(),
    }
    if occurrence is not None or any(typed[name] != current[name] for name in typed):
        changes.update(
            quote=form.quote,
            quote_start=_offset("quote_start", form.quote_start),
            quote_end=_offset("quote_end", form.quote_end),
            occurrence=occurrence,
        )
    if form.via.strip() != current["via"]:
        changes["via"] = _chain(form.via)
    change = _validated(AttributionUpdate, changes)
    # Last: what else is wrong shows above the form, and a claim not found beside its field, together.
    claim_id = chosen_claim(claim_pick, "Claim").id
    return change if claim_id == attribution.claim_id else change.model_copy(update={"claim_id": claim_id})
