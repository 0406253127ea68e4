"""The claim forms: what they send, as typed, and its translation into a `ClaimCreate` or `ClaimUpdate`.

A form names each related claim by typing it (its number, or words of its text; with JavaScript the
field suggests as one types) and picks its relation from a list. Words that fit several claims come
back with a few to choose from, as radio buttons named `related_choice_<row>`. Here, and only here,
those rows become the relations the API takes.
"""

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from app.claims import schemas, service
from app.claims.filters import parse_choice
from app.errors import InvalidInput
from app.models import Claim
from app.pagination import whole_number
from app.text import Text
from app.vocabulary import RelationKind

RELATED_CHOICE = "related_choice_"
MAX_ROWS = 100
ShortText = Annotated[Text, Field(max_length=1_000)]


@dataclass(frozen=True)
class RelatedRow:
    """One related-claim row of the form: the claim as typed (and what it designates), the relation."""

    typed: str
    kind: str
    pick: service.ClaimPick | None = None

    @property
    def shown(self) -> str:
        return self.pick.shown if self.pick is not None else self.typed


class ClaimForm(BaseModel):
    """What the new and edit forms send, as typed; the radio buttons `related_choice_<row>` are extra."""

    model_config = ConfigDict(extra="allow")

    text: Annotated[Text, Field(max_length=schemas.MAX_CLAIM_INPUT_CHARS)] = ""
    related_claim: list[ShortText] = Field(default_factory=list, max_length=MAX_ROWS)
    related_kind: list[ShortText] = Field(default_factory=list, max_length=MAX_ROWS)

    def _chosen(self) -> dict[int, str]:
        """The claims chosen among a row's candidates, by row from 1."""
        chosen = {}
        for name, value in (self.model_extra or {}).items():
            row = whole_number(name.removeprefix(RELATED_CHOICE))
            if (
                name.startswith(RELATED_CHOICE)
                and row is not None
                and isinstance(value, str)
                and value.isdigit()
            ):
                chosen[row] = value
        return chosen

    def rows(self, session: Session, *, other_than: int | None) -> list[RelatedRow]:
        """The related-claim rows as submitted, each claim resolved; wholly blank rows dropped. A claim
        chosen among a row's candidates replaces what the row's field says."""
        chosen = self._chosen()
        submitted = []
        for position, typed in enumerate(self.related_claim):
            kind = self.related_kind[position].strip() if position < len(self.related_kind) else ""
            typed = chosen.get(position + 1, typed).strip()
            if typed or kind:
                submitted.append((typed, kind))
        named = [typed for typed, _kind in submitted if typed]
        picks = iter(service.pick_claims(session, named, other_than=other_than))
        return [
            RelatedRow(typed=typed, kind=kind, pick=next(picks) if typed else None)
            for typed, kind in submitted
        ]

    def create(self, rows: list[RelatedRow]) -> schemas.ClaimCreate:
        return schemas.ClaimCreate(text=self.text, related=_related(rows))

    def update(self, rows: list[RelatedRow]) -> schemas.ClaimUpdate:
        """Every field, as the form sends them all: the relations replace the claim's."""
        return schemas.ClaimUpdate(text=self.text, related=_related(rows))


def _related(rows: list[RelatedRow]) -> list[schemas.RelatedClaimInput]:
    """The relations of the rows; a row without its claim or its relation is refused first (the form
    says so above it), then one whose claim could not be resolved (its field says why)."""
    related = []
    for number, row in enumerate(rows, start=1):
        if row.pick is None:
            raise InvalidInput(f"Related claim {number}: choose the claim, or set its relation to none.")
        kind = parse_choice(RelationKind, "relation", row.kind)
        if kind is None:
            raise InvalidInput(f"Related claim {number}: choose how this claim relates to it.")
        if row.pick.claim is not None:
            related.append(schemas.RelatedClaimInput(claim_id=row.pick.claim.id, kind=kind))
    for number, row in enumerate(rows, start=1):
        if row.pick is not None:
            service.chosen_claim(row.pick, f"Related claim {number}")
    return related


def rows_of(session: Session, claim: Claim) -> list[RelatedRow]:
    """A claim's relations as the form's rows, each related claim shown by its label."""
    return [
        RelatedRow(typed=label, kind=kind.value) for label, kind in service.related_labels(session, claim)
    ]
