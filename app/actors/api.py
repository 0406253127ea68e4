"""JSON routes for actors."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from app.accounts.auth import ApiEditor
from app.actors import schemas, service
from app.models import Actor
from app.openapi import conflict
from app.pagination import PageRequest, decode_cursor
from app.schemas import CountedPage, Page
from app.urls import PathsDep
from app.vocabulary import ActorKind
from app.web import ChangeConditions, CursorQuery, PageDep, ReadConditions, SessionDep, Slug, Text, tagged

router = APIRouter(tags=["actors"])

MAX_CLAIMS_PER_PAGE = 50


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


@router.get("/suggest/actors", response_model=schemas.ActorSuggestions)
def suggest_actors(
    session: SessionDep,
    q: Annotated[
        Text,
        Query(
            description="What was typed so far: the start of any name or alias, or of words of one, "
            "in any case, with or without accents, in any transliteration (`rop` finds Röpcke).",
            max_length=300,
        ),
    ],
) -> schemas.ActorSuggestions:
    """A few actors for a field that names one, as the reader types (a filter's actor picker)."""
    return service.suggest_actors(session, q)


@router.post(
    "/actors",
    response_model=schemas.ActorDetail,
    status_code=201,
    responses=conflict("An actor has this slug or name already."),
)
def create_actor(
    session: SessionDep, paths: PathsDep, principal: ApiEditor, body: schemas.ActorCreate, response: Response
) -> schemas.ActorDetail:
    """Add an actor with its aliases (editors); `affiliation` is the slug of an actor on record."""
    actor = service.create_actor(session, body, by=principal.name)
    created = service.get_actor(session, actor.slug, paths=paths)
    response.headers["Location"] = paths("get_actor", slug=created.slug)
    return tagged(response, created)


@router.get("/actors/{slug}", response_model=schemas.ActorDetail)
def get_actor(
    session: SessionDep, paths: PathsDep, slug: Slug, conditions: ReadConditions
) -> schemas.ActorDetail | Response:
    """An actor with their totals (statements, claims, statements per stance) and the first page of
    the claims they spoke on and of those they relayed statements on, each claim with its counts and
    first statements. `claims.next_url` and `relayed.next_url` continue them."""
    return conditions.read(service.get_actor(session, slug, paths=paths))


def claims_page_request(
    limit: Annotated[
        int, Query(ge=1, le=MAX_CLAIMS_PER_PAGE, description="How many claims a page holds.")
    ] = service.CLAIMS_PER_PAGE,
    cursor: CursorQuery = None,
) -> PageRequest:
    return PageRequest(limit=limit, after_id=decode_cursor(cursor))


ClaimsPageDep = Annotated[PageRequest, Depends(claims_page_request)]


@router.get("/actors/{slug}/claims", response_model=CountedPage[schemas.ClaimStatements])
def list_actor_claims(
    session: SessionDep, paths: PathsDep, slug: Slug, page: ClaimsPageDep
) -> CountedPage[schemas.ClaimStatements]:
    """The claims an actor spoke on, a page at a time in claim id order: each with the actor's
    statements per stance on it and their first few statements (`next_url` lists the rest)."""
    return service.list_actor_claims(session, slug, paths=paths, relayed=False, page=page)


@router.get("/actors/{slug}/relayed", response_model=CountedPage[schemas.ClaimStatements])
def list_actor_relayed_claims(
    session: SessionDep, paths: PathsDep, slug: Slug, page: ClaimsPageDep
) -> CountedPage[schemas.ClaimStatements]:
    """The claims on which statements of others reached a source through this actor, a page at a
    time, grouped as `GET /actors/{slug}/claims` groups the actor's own."""
    return service.list_actor_claims(session, slug, paths=paths, relayed=True, page=page)


@router.patch(
    "/actors/{slug}",
    response_model=schemas.ActorDetail,
    responses=conflict("Another actor has this slug or name already."),
)
def update_actor(
    session: SessionDep,
    paths: PathsDep,
    conditions: ChangeConditions,
    principal: ApiEditor,
    slug: Slug,
    body: schemas.ActorUpdate,
) -> schemas.ActorDetail:
    """Change an actor (editors; needs `If-Match`). `aliases` replaces the other names."""

    def answer(actor: Actor) -> schemas.ActorDetail:
        if actor.slug != slug:
            conditions.response.headers["Location"] = paths("get_actor", slug=actor.slug)
        return service.get_actor(session, actor.slug, paths=paths)

    return conditions.change(
        service.actor_for_change(session, slug),
        lambda actor: service.update_actor(session, actor, body, by=principal.name),
        answer,
    )


@router.delete(
    "/actors/{slug}", status_code=204, responses=conflict("Statements or other actors refer to the actor.")
)
def delete_actor(
    session: SessionDep, conditions: ChangeConditions, principal: ApiEditor, slug: Slug
) -> Response:
    """Delete an actor nothing refers to (editors; needs `If-Match`); otherwise 409 saying what does."""
    return conditions.delete(
        service.actor_for_change(session, slug),
        lambda actor: service.delete_actor(session, actor, by=principal.name),
    )
