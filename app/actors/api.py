"""JSON routes for actors."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.accounts.auth import ApiEditor
from app.actors import schemas, service
from app.schemas import Page
from app.vocabulary import ActorKind
from app.web import PageDep, SessionDep, Slug, Text, etag, require_if_match

router = APIRouter(tags=["actors"])


@router.get("/actors", response_model=Page[schemas.Actor])
def list_actors(
    session: SessionDep,
    page: PageDep,
    name: Annotated[
        Text | None, Query(description="Any name or alias, under any spelling.", max_length=300)
    ] = None,
    kind: ActorKind | None = None,
) -> Page[schemas.Actor]:
    """List actors with their aliases and how many statements are attributed to them."""
    return service.list_actors(session, name=name, kind=kind, page=page)


@router.post("/actors", response_model=schemas.ActorDetail, status_code=201)
def create_actor(
    session: SessionDep, principal: ApiEditor, body: schemas.ActorCreate, response: Response
) -> schemas.ActorDetail:
    """Add an actor with its aliases (editors); `affiliation` is the slug of an actor on record."""
    actor = service.create_actor(
        session,
        service.ActorInput(
            name=body.name,
            kind=body.kind,
            slug=body.slug,
            role=body.role,
            affiliation_id=service.affiliation_id(session, body.affiliation),
            wikidata_qid=body.wikidata_qid,
            aliases=body.aliases,
        ),
        by=principal.name,
    )
    created = service.get_actor(session, actor.slug)
    response.headers["Location"] = f"/api/v1/actors/{created.slug}"
    response.headers["ETag"] = etag(created.version)
    return created


@router.get("/actors/{slug}", response_model=schemas.ActorDetail)
def get_actor(session: SessionDep, slug: Slug, response: Response) -> schemas.ActorDetail:
    """An actor with everything attributed to them, and everything they relayed, grouped by claim."""
    actor = service.get_actor(session, slug)
    response.headers["ETag"] = etag(actor.version)
    return actor


@router.patch("/actors/{slug}", response_model=schemas.ActorDetail)
def update_actor(
    request: Request,
    session: SessionDep,
    principal: ApiEditor,
    slug: Slug,
    body: schemas.ActorUpdate,
    response: Response,
) -> schemas.ActorDetail:
    """Change an actor (editors; needs `If-Match`). `aliases` replaces the other names."""
    actor = service.actor_for_change(session, slug)
    require_if_match(request, actor.version)
    service.update_actor(session, actor, body.model_dump(exclude_unset=True), by=principal.name)
    session.flush()
    updated = service.get_actor(session, actor.slug)
    response.headers["ETag"] = etag(updated.version)
    if actor.slug != slug:
        response.headers["Location"] = f"/api/v1/actors/{actor.slug}"
    return updated


@router.delete("/actors/{slug}", status_code=204)
def delete_actor(request: Request, session: SessionDep, principal: ApiEditor, slug: Slug) -> Response:
    """Delete an actor nothing refers to (editors; needs `If-Match`); otherwise 409 saying what does."""
    actor = service.actor_for_change(session, slug)
    require_if_match(request, actor.version)
    service.delete_actor(session, actor, by=principal.name)
    return Response(status_code=204)
