"""JSON routes for sources; adding one is in `app.proposals.api`, as it fills the review queue."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.accounts.auth import ApiEditor
from app.schemas import Page
from app.sources import schemas, service
from app.urls import PathsDep
from app.web import ChangeConditions, ItemId, PageDep, ReadConditions, SessionDep, Text

router = APIRouter(tags=["sources"])


@router.get("/sources", response_model=Page[schemas.Source])
def list_sources(
    session: SessionDep,
    page: PageDep,
    outlet: Annotated[Text | None, Query(description="The outlet's name, any case.", max_length=200)] = None,
    waiting: Annotated[
        bool, Query(description="Only sources with proposed statements waiting for review.")
    ] = False,
) -> Page[schemas.Source]:
    """List sources (without their texts), with how many proposals wait for review in each."""
    return service.list_sources(session, outlet=outlet, page=page, waiting=waiting)


@router.get("/sources/{source_id}", response_model=schemas.SourceDetail)
def get_source(
    session: SessionDep, paths: PathsDep, source_id: ItemId, conditions: ReadConditions
) -> schemas.SourceDetail | Response:
    """A source with its full text, how many statements it carries, and the first page of them in id
    order (`attributions.next_url` continues the list)."""
    return conditions.read(service.get_source(session, source_id, paths=paths))


@router.get("/suggest/sources", response_model=schemas.SourceSuggestions)
def suggest_sources(
    session: SessionDep,
    q: Annotated[
        Text,
        Query(
            description="What was typed so far: each word matches the start of a word of a source's "
            "title or outlet, in any case, with or without accents (`belg` finds “Belgorod”).",
            max_length=300,
        ),
    ],
) -> schemas.SourceSuggestions:
    """A few sources for a field that names one, as the reader types (a filter's source picker)."""
    return service.suggest_sources(session, q)


@router.patch("/sources/{source_id}", response_model=schemas.SourceDetail)
def update_source(
    session: SessionDep,
    paths: PathsDep,
    conditions: ChangeConditions,
    principal: ApiEditor,
    source_id: ItemId,
    body: schemas.SourceUpdate,
) -> schemas.SourceDetail:
    """Change a source's metadata (editors; needs `If-Match`). The text is immutable: `text` is refused."""
    return conditions.change(
        service.source_for_change(session, source_id),
        lambda source: service.update_source(session, source, body, by=principal.name),
        lambda source: service.get_source(session, source.id, paths=paths),
    )
