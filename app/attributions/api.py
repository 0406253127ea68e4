"""JSON routes for attributions."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.attributions import schemas, service
from app.attributions.repository import AttributionFilters
from app.schemas import Page
from app.vocabulary import Stance
from app.web import IdFilter, ItemId, PageDep, SessionDep, Text

router = APIRouter(tags=["attributions"])


@router.get("/attributions", response_model=Page[schemas.Attribution])
def list_attributions(
    session: SessionDep,
    page: PageDep,
    actor: Annotated[
        Text | None, Query(description="Any name or alias of an actor, under any spelling.", max_length=300)
    ] = None,
    stance: Stance | None = None,
    source: Annotated[IdFilter | None, Query(description="A source id.")] = None,
    claim: Annotated[IdFilter | None, Query(description="A claim id.")] = None,
) -> Page[schemas.Attribution]:
    """List statements: actor, stance, quote with its offsets, medium, reporting chain, claim and source."""
    filters = AttributionFilters(stance=stance, source_id=source, claim_id=claim)
    return service.list_attributions(session, actor=actor, filters=filters, page=page)


@router.get("/attributions/{attribution_id}", response_model=schemas.Attribution)
def get_attribution(session: SessionDep, attribution_id: ItemId) -> schemas.Attribution:
    """One statement with its quote, reporting chain, actor, claim and source."""
    return service.get_attribution(session, attribution_id)
