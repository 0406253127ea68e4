"""JSON routes for sources."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.schemas import Page
from app.sources import schemas, service
from app.web import ItemId, PageDep, SessionDep, Text

router = APIRouter(tags=["sources"])


@router.get("/sources", response_model=Page[schemas.Source])
def list_sources(
    session: SessionDep,
    page: PageDep,
    outlet: Annotated[Text | None, Query(description="The outlet's name, any case.", max_length=200)] = None,
) -> Page[schemas.Source]:
    """List sources (without their texts)."""
    return service.list_sources(session, outlet=outlet, page=page)


@router.get("/sources/{source_id}", response_model=schemas.SourceDetail)
def get_source(session: SessionDep, source_id: ItemId) -> schemas.SourceDetail:
    """A source with its full text and every attributed span, in text order."""
    return service.get_source(session, source_id)
