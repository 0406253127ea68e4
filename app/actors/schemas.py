from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.errors import InvalidInput
from app.schemas import ActorBrief, ClaimRef, CountedPage, Schema
from app.statements.schemas import Attribution
from app.vocabulary import ActorKind


class Actor(Schema):
    """A person or organisation on record, with every other name it goes by."""

    id: int
    slug: str
    name: str
    kind: str
    role: str | None
    aliases: list[str]
    affiliation: ActorBrief | None
    wikidata_qid: str | None
    attribution_count: int
    created_at: datetime
    version: int


class ClaimStatements(BaseModel):
    """An actor's statements on one claim: how many take each stance, and the first few of them."""

    claim: ClaimRef
    stances: list[str] = Field(description="The distinct stances of these statements, in vocabulary order.")
    counts: dict[str, int] = Field(description="Statements per stance, for each stance in `stances`.")
    attributions: CountedPage[Attribution] = Field(
        description="The first statements in id order; `next_url` lists the rest "
        "(`GET /api/v1/attributions?actor_id=…&claim=…`, or `relayed_by=…` for relayed ones)."
    )


class StanceColumn(BaseModel):
    """A stance the actor took on at least one claim, with their statements in it on all claims."""

    stance: str
    label: str
    total: int


class StanceMatrixRow(BaseModel):
    """How many of the actor's statements on one claim take each stance."""

    claim: ClaimRef
    counts: dict[str, int] = Field(description="Statements per stance, for every column of the matrix.")
    total: int


class StanceMatrix(BaseModel):
    """The actor's stances across claims at a glance: claims × the stances the actor took."""

    columns: list[StanceColumn] = Field(
        description="Only the stances the actor took, in vocabulary order, each with its total over "
        "all the actor's claims."
    )
    rows: list[StanceMatrixRow] = Field(description="One per claim of the page of `claims`, in its order.")


class ActorDetail(Actor):
    """An actor with their totals and the first page of the claims they spoke on and relayed."""

    stance_matrix: StanceMatrix
    claims: CountedPage[ClaimStatements] = Field(
        description="The claims the actor spoke on, a page at a time in claim id order; `total` counts "
        "the claims, `attribution_count` the statements; `next_url` is the next page "
        "(`GET /api/v1/actors/{slug}/claims?cursor=…`)."
    )
    relayed_count: int = Field(
        description="Statements of others that reached a source through this actor (a step of their "
        "reporting chain)."
    )
    relayed: CountedPage[ClaimStatements] = Field(
        description="Those relayed statements, grouped by claim as `claims` is "
        "(`GET /api/v1/actors/{slug}/relayed?cursor=…` for the next page)."
    )


class ActorSuggestion(ActorBrief):
    """An actor a name typed so far may mean."""

    role: str | None


class ActorSuggestions(BaseModel):
    """Actors with a name or alias starting with what was typed, then those with a word of a name
    starting with each word typed."""

    items: list[ActorSuggestion]


class ActorCreate(BaseModel):
    """A new actor; its name is findable under any spelling, and so is every alias."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="The canonical name, 1 to 300 characters.")
    kind: ActorKind
    slug: str | None = Field(None, description="The URL slug; made from the name when left out.")
    role: str | None = Field(None, description="Role or description: 'Governor of Belgorod Oblast'.")
    affiliation: str | None = Field(None, description="The slug of the actor this one belongs to.")
    wikidata_qid: str | None = Field(None, description="A Wikidata item id, e.g. Q7747.")
    aliases: list[str] = Field(default_factory=list, description="Other spellings and descriptions.")


class ActorUpdate(BaseModel):
    """Fields to change; those left out stay as they are. `aliases` replaces the list of other names."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    kind: ActorKind | None = None
    slug: str | None = None
    role: str | None = None
    affiliation: str | None = Field(None, description="The slug of an actor on record; null for none.")
    wikidata_qid: str | None = None
    aliases: list[str] | None = None


class ActorForm(BaseModel):
    """What the add and edit forms send, as typed: the other names one per line, the kind as a word.
    `create` and `update` make of it the input the API takes; the service checks the rest."""

    name: str = ""
    kind: str = ""
    slug: str = ""
    role: str = ""
    affiliation: str = ""
    wikidata_qid: str = ""
    aliases: str = ""

    def _kind(self) -> ActorKind:
        try:
            return ActorKind(self.kind.strip())
        except ValueError:
            allowed = ", ".join(kind.value for kind in ActorKind)
            raise InvalidInput(
                f"kind: '{self.kind}' is not a kind of actor; allowed: {allowed}.", details={"field": "kind"}
            ) from None

    def _aliases(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def create(self) -> ActorCreate:
        return ActorCreate(
            name=self.name,
            kind=self._kind(),
            slug=self.slug,
            role=self.role,
            affiliation=self.affiliation,
            wikidata_qid=self.wikidata_qid,
            aliases=self._aliases(),
        )

    def update(self, current_slug: str) -> ActorUpdate:
        """Every field, as the form sends them all; an emptied slug keeps `current_slug`."""
        return ActorUpdate(
            name=self.name,
            kind=self._kind(),
            slug=self.slug.strip() or current_slug,
            role=self.role,
            affiliation=self.affiliation,
            wikidata_qid=self.wikidata_qid,
            aliases=self._aliases(),
        )
