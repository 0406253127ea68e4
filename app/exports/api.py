"""Bulk exports: every statement or claim the list's filters select, as CSV or NDJSON, streamed."""

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from app.attributions import service as attributions
from app.attributions.api import AttributionQueryDep
from app.claims import service as claims
from app.claims.api import ClaimQueryDep
from app.exports import service
from app.web import SessionDep, SessionFactoryDep

router = APIRouter(tags=["exports"])

CSV = "text/csv"
NDJSON = "application/x-ndjson"


class CSVResponse(StreamingResponse):
    media_type = CSV  # Starlette adds "; charset=utf-8" to a text type


class NDJSONResponse(StreamingResponse):
    media_type = NDJSON


def _download(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _body(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """The 200 of an export in the OpenAPI document: its media type, a body of text."""
    return {200: {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}}


STATEMENTS_CSV = (
    "A header row, then one row per statement: " + ", ".join(service.STATEMENT_COLUMNS) + ". RFC 4180, "
    "UTF-8; a text cell that begins with =, +, -, @, a tab or a carriage return starts with ' instead."
)
STATEMENTS_NDJSON = (
    "One JSON object per line and statement, with "
    + ", ".join(service.STATEMENT_COLUMNS)
    + "; `chain` is a list of {actor_id, actor, medium}."
)
CLAIMS_CSV = (
    "A header row, then one row per claim: " + ", ".join(service.CLAIM_COLUMNS) + " (the stances' columns "
    "count its live statements of that stance). RFC 4180, UTF-8, text cells guarded as in the statements'."
)
CLAIMS_NDJSON = "One JSON object per line and claim, with " + ", ".join(service.CLAIM_COLUMNS) + "."


@router.get("/attributions.csv", response_class=CSVResponse, responses=_body(CSV, STATEMENTS_CSV))
def export_attributions_csv(
    session: SessionDep, sessions: SessionFactoryDep, query: AttributionQueryDep
) -> CSVResponse:
    """Every statement the filters of `GET /attributions` select, as CSV, streamed in id order."""
    body: Iterator[bytes] = service.statements_csv(sessions, attributions.statement_filters(session, query))
    return CSVResponse(body, headers=_download("attributions.csv"))


@router.get("/attributions.ndjson", response_class=NDJSONResponse, responses=_body(NDJSON, STATEMENTS_NDJSON))
def export_attributions_ndjson(
    session: SessionDep, sessions: SessionFactoryDep, query: AttributionQueryDep
) -> NDJSONResponse:
    """Every statement the filters of `GET /attributions` select, as NDJSON, streamed in id order."""
    body = service.statements_ndjson(sessions, attributions.statement_filters(session, query))
    return NDJSONResponse(body, headers=_download("attributions.ndjson"))


@router.get("/claims.csv", response_class=CSVResponse, responses=_body(CSV, CLAIMS_CSV))
def export_claims_csv(session: SessionDep, sessions: SessionFactoryDep, query: ClaimQueryDep) -> CSVResponse:
    """Every claim the filters of `GET /claims` select, as CSV, streamed in id order."""
    body = service.claims_csv(
        sessions, claims.claim_filters(session, actor=query.actor, filters=query.filters)
    )
    return CSVResponse(body, headers=_download("claims.csv"))


@router.get("/claims.ndjson", response_class=NDJSONResponse, responses=_body(NDJSON, CLAIMS_NDJSON))
def export_claims_ndjson(
    session: SessionDep, sessions: SessionFactoryDep, query: ClaimQueryDep
) -> NDJSONResponse:
    """Every claim the filters of `GET /claims` select, as NDJSON, streamed in id order."""
    body = service.claims_ndjson(
        sessions, claims.claim_filters(session, actor=query.actor, filters=query.filters)
    )
    return NDJSONResponse(body, headers=_download("claims.ndjson"))
