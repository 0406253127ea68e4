"""JSON routes for actors."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.actors import schemas, service
from app.schemas import Page
from app.vocabulary import ActorKind
from app.web import PageDep, SessionDep, Slug, Text

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


@router.get("/actors/{slug}", response_model=schemas.ActorDetail)
def get_actor(session: SessionDep, slug: Slug) -> schemas.ActorDetail:
    """An actor with everything attributed to them, and everything they relayed, grouped by claim."""
    return service.get_actor(session, slug)
