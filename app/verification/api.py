"""JSON routes of the verification workflow: set a claim's status, read its history."""

from typing import Any

from fastapi import APIRouter, Response

from app.accounts.auth import ApiFactChecker
from app.claims import schemas as claim_schemas
from app.claims import service as claims_service
from app.urls import PathsDep
from app.verification import schemas, service
from app.web import ChangeConditions, ItemId, PageDep, ReadConditions, SessionDep

router = APIRouter(tags=["verification"])

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
STATUS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": {"ETag": {"description": "The claim's new version.", "schema": {"type": "string"}}}},
    401: {**_PROBLEM, "description": "No API token, or one that is not valid."},
    403: {**_PROBLEM, "description": "The token's user is not a fact-checker, editor or admin."},
    404: {**_PROBLEM, "description": "No such claim."},
    410: {**_PROBLEM, "description": "The claim was deleted."},
    412: {**_PROBLEM, "description": "Changed meanwhile; `current_version` is the claim's version."},
    422: {**_PROBLEM, "description": "Wrong input: `errors` names each wrong field."},
    428: {**_PROBLEM, "description": "No If-Match header."},
}


@router.post(
    "/claims/{claim_id}/status", response_model=claim_schemas.ClaimDetail, responses=STATUS_RESPONSES
)
def set_claim_status(
    conditions: ChangeConditions,
    session: SessionDep,
    paths: PathsDep,
    principal: ApiFactChecker,
    claim_id: ItemId,
    change: schemas.StatusChangeIn,
) -> claim_schemas.ClaimDetail:
    """Set a claim's verification status with a rationale and evidence; send If-Match with its ETag."""

    return conditions.change(
        service.claim_to_change(session, claim_id),
        lambda claim: service.change_status(session, claim, change, by=principal.name),
        lambda claim: claims_service.get_claim(session, claim.id, paths=paths),
    )


@router.get(
    "/claims/{claim_id}/history",
    response_model=schemas.History,
    responses={404: _PROBLEM, 410: _PROBLEM},
)
def claim_history(
    conditions: ReadConditions, session: SessionDep, claim_id: ItemId, page: PageDep
) -> schemas.History | Response:
    """A claim's verification history, oldest first: who, when, from, to, why and on what evidence."""
    claim = claims_service.live_claim(session, claim_id)
    history = claims_service.history_page(session, claim, page)
    return conditions.read(
        schemas.History(
            claim_id=claim.id,
            verification_status=claim.verification_status,
            version=claim.version,
            items=history.items,
            next_cursor=history.next_cursor,
        )
    )
