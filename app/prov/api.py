"""PROV routes: a claim's provenance as PROV-JSON or PROV-N."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.pagination import PageRequest, decode_cursor
from app.prov import service
from app.urls import PublicUrlsDep
from app.web import CursorQuery, ItemId, SessionDep

router = APIRouter(tags=["provenance"])

PROV_JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A PROV-JSON document (https://www.w3.org/submissions/prov-json/): `prefix`, then "
    "records by kind (`entity`, `agent`, `activity`, `wasAttributedTo`, `wasDerivedFrom`, `used`, ...), "
    "each an object of records by identifier.",
    "properties": {"prefix": {"type": "object", "additionalProperties": {"type": "string"}}},
    "additionalProperties": {"type": "object"},
}


@router.get(
    "/claims/{claim_id}/prov",
    response_class=Response,
    responses={
        200: {
            "description": 'The claim\'s provenance; `Link: <…>; rel="next"` names the next page of its '
            "statements when there is one.",
            "content": {
                "application/json": {"schema": PROV_JSON_SCHEMA},
                service.PROVN_MEDIA_TYPE: {"schema": {"type": "string", "description": "PROV-N."}},
            },
            "headers": {
                "Link": {"description": "The next page of statements.", "schema": {"type": "string"}}
            },
        }
    },
)
def get_claim_prov(
    session: SessionDep,
    urls: PublicUrlsDep,
    claim_id: ItemId,
    output: Annotated[
        service.ProvFormat,
        Query(alias="format", description="`json`: PROV-JSON (`application/json`); `provn`: PROV-N."),
    ] = "json",
    limit: Annotated[int, Query(ge=1, le=1000, description="How many statements a document holds.")] = 200,
    cursor: CursorQuery = None,
) -> Response:
    """A claim's provenance as W3C PROV: each statement an entity attributed to its actor and derived
    through its reporting chain's reports into the sources that carry it; each status change an
    activity of the fact-checker that used the cited evidence and generated the verdict."""
    provenance = service.claim_provenance(
        session, claim_id, PageRequest(limit=limit, after_id=decode_cursor(cursor)), urls=urls
    )
    response = Response(
        service.serialize(provenance.document, output),
        media_type="application/json" if output == "json" else service.PROVN_MEDIA_TYPE,
    )
    if provenance.next_cursor is not None:
        query = {"format": output, "limit": limit, "cursor": provenance.next_cursor}
        response.headers["Link"] = f'<{urls("get_claim_prov", claim_id=claim_id, query=query)}>; rel="next"'
    return response
