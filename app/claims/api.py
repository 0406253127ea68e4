"""JSON routes for claims."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.claims import schemas, service
from app.claims.repository import ClaimFilters
from app.schemas import Page
from app.vocabulary import Stance, VerificationStatus
from app.web import IdFilter, ItemId, PageDep, SessionDep, Text

router = APIRouter(tags=["claims"])

ActorQuery = Annotated[
    Text | None, Query(description="Any name or alias of an actor, under any spelling.", max_length=300)
]


@router.get("/claims", response_model=Page[schemas.Claim])
def list_claims(
    session: SessionDep,
    page: PageDep,
    actor: ActorQuery = None,
    stance: Annotated[Stance | None, Query(description="Claims on which someone took this stance.")] = None,
    status: Annotated[
        VerificationStatus | None, Query(description="The claim's verification status.")
    ] = None,
    source: Annotated[
        IdFilter | None, Query(description="Claims with a statement in this source (id).")
    ] = None,
    q: Annotated[Text | None, Query(description="Text in the claim or in a quote.", max_length=300)] = None,
) -> Page[schemas.Claim]:
    """List claims with their status, whether they are contested, and who stands where.

    `actor`, `stance` and `source` combine on one statement: `actor=Kuleba&stance=could_not_verify`
    is the claims Kuleba could not verify.
    """
    filters = ClaimFilters(stance=stance, source_id=source, status=status, text=q or None)
    return service.list_claims(session, actor=actor, filters=filters, page=page)


@router.get("/claims/{claim_id}", response_model=schemas.ClaimDetail)
def get_claim(session: SessionDep, claim_id: ItemId) -> schemas.ClaimDetail:
    """A claim with its statements grouped by stance, its related claims and its status history."""
    return service.get_claim(session, claim_id)
