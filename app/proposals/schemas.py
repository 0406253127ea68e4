"""The review queue's contract: what an editor sends to accept, correct or reject proposals, and what
they get back."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.attributions.schemas import ActorDesignation, Medium
from app.claims.schemas import MAX_CLAIM_INPUT_CHARS
from app.pagination import MAX_ID, IdField
from app.sources.schemas import SourceCreated
from app.statements.schemas import Attribution, ProposedStatement
from app.text import Text, valid_text
from app.vocabulary import ActorKind, Stance

MAX_SELECTION = 200
"""Proposals accepted by one request at most."""
MAX_CHAIN_NAMES = 20

ChainName = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(valid_text)]
ClaimText = Annotated[str, Field(min_length=1, max_length=MAX_CLAIM_INPUT_CHARS), AfterValidator(valid_text)]


class ProposalEdits(BaseModel):
    """Corrections to a proposal, made as it is accepted; a field left out keeps what was proposed.

    The claim: `claim_id` (one on record) or `new_claim` (its text, created with the statement), not
    both. The actor: any designation of one on record, or a new name, created with `actor_kind`.
    """

    model_config = ConfigDict(extra="forbid")

    actor: ActorDesignation | None = None
    actor_kind: ActorKind | None = Field(
        None, description="The kind of a new actor (the actor named is not on record); default person."
    )
    stance: Stance | None = None
    claim_id: IdField | None = None
    new_claim: ClaimText | None = None
    quote_start: int | None = Field(default=None, ge=0, le=MAX_ID)
    quote_end: int | None = Field(default=None, ge=1, le=MAX_ID)
    medium: Medium | None = None
    via: list[ChainName] | None = Field(
        default=None,
        max_length=MAX_CHAIN_NAMES,
        description="The reporting chain, as names from the actor towards the source; intermediaries "
        "not on record are created as outlets.",
    )


class ProposalSelection(BaseModel):
    """Proposals of one source to accept as proposed, all or none."""

    model_config = ConfigDict(extra="forbid")

    proposal_ids: list[IdField] = Field(min_length=1, max_length=MAX_SELECTION)


class Decision(BaseModel):
    """A proposal as decided, and the statement it became when accepted."""

    proposal: ProposedStatement
    attribution: Attribution | None


class SelectionAccepted(BaseModel):
    accepted: list[Decision] = Field(description="In text order.")


class ExtractionRun(BaseModel):
    """What running the extractor on a source did to its queue."""

    source_id: int
    proposed: int = Field(description="New proposals, waiting for review.")
    waiting: int = Field(description="Proposals waiting for review now, the new ones included.")
    dropped: int = Field(description="Pending proposals the extractor no longer makes, removed.")
    decided: int = Field(
        description="Proposals accepted or rejected earlier: kept, and never proposed again."
    )


class SourceAdded(SourceCreated):
    proposals_made: int = Field(
        description="Statements the extractor proposed in the new text (0 for a text on record already)."
    )


# The page's forms, as typed: `app.proposals.service.edits_from_form` makes ProposalEdits of them.
FormText = Annotated[Text, Field(max_length=MAX_CLAIM_INPUT_CHARS)]


class ProposalForm(BaseModel):
    """What the form to correct and accept a proposal sends; an empty field keeps what was proposed."""

    actor: FormText = ""
    actor_kind: FormText = ""
    stance: FormText = ""
    claim: FormText = ""
    """A claim's number, label or words (`app.claims.service.pick_claim`)."""
    new_claim: FormText = ""
    quote_start: FormText = ""
    quote_end: FormText = ""
    medium: FormText = ""
    via: FormText = ""
    """One intermediary a line."""
