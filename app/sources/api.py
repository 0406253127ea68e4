"""JSON routes for sources."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.accounts.auth import ApiEditor
from app.schemas import Page
from app.sources import schemas, service
from app.urls import PathsDep
from app.web import ChangeConditions, ItemId, PageDep, ReadConditions, SessionDep, Text, etag

router = APIRouter(tags=["sources"])


@router.get("/sources", response_model=Page[schemas.Source])
def list_sources(
    session: SessionDep,
    page: PageDep,
    outlet: Annotated[Text | None, Query(description="The outlet's name, any case.", max_length=200)] = None,
) -> Page[schemas.Source]:
    """List sources (without their texts)."""
    return service.list_sources(session, outlet=outlet, page=page)


@router.post(
    "/sources",
    response_model=schemas.SourceCreated,
    status_code=201,
    responses={200: {"model": schemas.SourceCreated, "description": "This text was on record already."}},
)
def create_source(
    session: SessionDep, paths: PathsDep, principal: ApiEditor, body: schemas.SourceCreate, response: Response
) -> schemas.SourceCreated:
    """Add a source (editors). The same text again is recognised: 200 with the source on record.

    The text is normalised (Unicode NFC, `\\n` line ends) and hashed; it never changes afterwards.
    """
    source, is_new = service.ingest_source(session, body, by=principal.name)
    created = service.get_source(session, source.id, paths=paths)
    response.status_code = 201 if is_new else 200
    response.headers["Location"] = paths("get_source", source_id=source.id)
    response.headers["ETag"] = etag(created.version)
    return schemas.SourceCreated(**created.model_dump(), already_existed=not is_new)


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
