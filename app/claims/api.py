"""JSON routes for claims."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from app.accounts.auth import ApiAdmin, ApiEditor
from app.claims import schemas, service
from app.claims.schemas import ClaimFilters
from app.errors import InvalidInput
from app.fulltext.words import filter_words
from app.openapi import conflict
from app.schemas import Page
from app.urls import PathsDep
from app.vocabulary import Stance, VerificationStatus
from app.web import (
    ChangeConditions,
    Day,
    IdFilter,
    ItemId,
    OptionalChangeConditions,
    PageDep,
    ReadConditions,
    SessionDep,
    Text,
    tagged,
)

router = APIRouter(tags=["claims"])

ActorQuery = Annotated[
    Text | None, Query(description="Any name or alias of an actor, under any spelling.", max_length=300)
]


@dataclass(frozen=True)
class ClaimQuery:
    """The filters of a list of claims as the API reads them: the actor as typed (any name or alias)."""

    actor: str | None
    filters: ClaimFilters


# async: it only parses, and a plain `def` dependency costs every request a thread-pool hop.
async def claim_query(
    actor: ActorQuery = None,
    stance: Annotated[Stance | None, Query(description="Claims on which someone took this stance.")] = None,
    status: Annotated[
        VerificationStatus | None, Query(description="The claim's verification status.")
    ] = None,
    source: Annotated[
        IdFilter | None, Query(description="Claims with a statement in this source (id).")
    ] = None,
    q: Annotated[
        Text | None,
        Query(
            description="Words in the claim or in a quote, each matching the start of a word, in any case "
            "and with or without accents: `ropck` matches “Röpcke”.",
            max_length=300,
        ),
    ] = None,
    contested: Annotated[
        bool | None,
        Query(description="true: only contested claims (asserted or confirmed, and denied or disputed)."),
    ] = None,
    date_from: Annotated[
        Day | None, Query(description="Claims with a statement in a source published on or after this day.")
    ] = None,
    date_to: Annotated[
        Day | None, Query(description="Claims with a statement in a source published on or before this day.")
    ] = None,
) -> ClaimQuery:
    """The filters of `GET /claims` and of its bulk exports (app/exports)."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInput(f"date_from ({date_from}) is after date_to ({date_to}): swap them.")
    filters = ClaimFilters(
        stance=stance,
        source_id=source,
        status=status,
        words=filter_words("q", q),
        contested=contested,
        date_from=date_from,
        date_to=date_to,
    )
    return ClaimQuery(actor=actor, filters=filters)


ClaimQueryDep = Annotated[ClaimQuery, Depends(claim_query)]


@router.get("/claims", response_model=Page[schemas.Claim])
def list_claims(session: SessionDep, page: PageDep, query: ClaimQueryDep) -> Page[schemas.Claim]:
    """List claims with their status, whether they are contested, and who stands where.

    `actor`, `stance`, `source`, `date_from` and `date_to` combine on one statement:
    `actor=Kuleba&stance=could_not_verify` is the claims Kuleba could not verify.
    """
    return service.list_claims(session, actor=query.actor, filters=query.filters, page=page)


@router.get("/suggest/claims", response_model=schemas.ClaimSuggestions)
def suggest_claims(
    session: SessionDep,
    q: Annotated[
        Text,
        Query(
            description="What was typed so far: each word matches the start of a word of a claim's text, "
            "in any case, with or without accents (`helic belg` finds “…helicopters struck the oil depot "
            "in Belgorod…”); a claim's label (`12: Two Ukrainian…`) is read as its words.",
            max_length=300,
        ),
    ],
) -> schemas.ClaimSuggestions:
    """A few live claims for a field that names one, as an editor types (the claim pickers of the
    claim and statement forms), each with the label the field shows for it."""
    return service.suggest_claims(session, q)


@router.get("/claims/{claim_id}", response_model=schemas.ClaimDetail)
def get_claim(
    session: SessionDep, paths: PathsDep, conditions: ReadConditions, claim_id: ItemId
) -> schemas.ClaimDetail | Response:
    """A claim with its statements grouped by stance, its related claims and its status history."""
    return conditions.read(service.get_claim(session, claim_id, paths=paths))


# Writing: editors, with an API token; every change names the version it read (If-Match).


@router.post(
    "/claims",
    response_model=schemas.ClaimDetail,
    status_code=201,
    responses=conflict("A claim says exactly this already."),
)
def create_claim(
    session: SessionDep, paths: PathsDep, response: Response, principal: ApiEditor, body: schemas.ClaimCreate
) -> schemas.ClaimDetail:
    """Create a claim (unverified) with its related claims; 409 when a claim says exactly this already."""
    claim = service.create_claim(session, body, by=principal.name)
    response.headers["Location"] = paths("get_claim", claim_id=claim.id)
    return tagged(response, service.get_claim(session, claim.id, paths=paths))


@router.patch(
    "/claims/{claim_id}",
    response_model=schemas.ClaimDetail,
    responses=conflict("Another claim says exactly this already."),
)
def update_claim(
    session: SessionDep,
    paths: PathsDep,
    conditions: ChangeConditions,
    principal: ApiEditor,
    claim_id: ItemId,
    body: schemas.ClaimUpdate,
) -> schemas.ClaimDetail:
    """Change a claim's text and/or replace its related claims; needs `If-Match` with its ETag."""
    return conditions.change(
        service.claim_for_change(session, claim_id),
        lambda claim: service.update_claim(session, claim, body, by=principal.name),
        lambda claim: service.get_claim(session, claim.id, paths=paths),
    )


@router.delete("/claims/{claim_id}", status_code=204)
def delete_claim(
    session: SessionDep, conditions: ChangeConditions, principal: ApiEditor, claim_id: ItemId
) -> Response:
    """Delete a claim (an administrator can restore it); needs `If-Match` with its ETag."""
    return conditions.delete(
        service.claim_for_change(session, claim_id),
        lambda claim: service.delete_claim(session, claim, by=principal.name),
    )


@router.post(
    "/claims/{claim_id}/restore",
    response_model=schemas.ClaimDetail,
    responses=conflict("The claim is not deleted."),
)
def restore_claim(
    session: SessionDep,
    paths: PathsDep,
    conditions: OptionalChangeConditions,
    principal: ApiAdmin,
    claim_id: ItemId,
) -> schemas.ClaimDetail:
    """Restore a deleted claim with its statements (administrators); `If-Match` is checked when sent."""
    return conditions.change(
        service.claim_for_change(session, claim_id, deleted=True),
        lambda claim: service.restore_claim(session, claim, by=principal.name),
        lambda claim: service.get_claim(session, claim.id, paths=paths),
        required=False,
    )
