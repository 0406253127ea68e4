"""HTML pages for actors: the index, and one actor with everything they said or relayed."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.actors import service
from app.errors import NotFound
from app.web import PageDep, SessionDep, Slug, Text, render

router = APIRouter(include_in_schema=False)


@router.get("/actors", response_class=HTMLResponse)
def actors_index(
    request: Request,
    session: SessionDep,
    page: PageDep,
    name: Annotated[Text | None, Query(max_length=300)] = None,
) -> HTMLResponse:
    """Every actor on record with their aliases and how many statements are attributed to them."""
    name = (name or "").strip() or None
    actors = service.list_actors(session, name=name, kind=None, page=page)
    return render(
        request,
        "actors/index.html",
        {"actors": actors, "name": name, "paged": page.after_id is not None},
    )


@router.get("/actors/{slug}", response_class=HTMLResponse)
def actor_page(request: Request, session: SessionDep, slug: Slug) -> Response:
    """An actor with everything attributed to them and everything they relayed, grouped by claim.

    A slug that is another spelling of exactly one actor's name (`roepcke`) redirects to theirs.
    """
    try:
        actor = service.get_actor(session, slug)
    except NotFound:
        canonical = service.resolve_slug(session, slug)
        if canonical is None or canonical == slug:
            raise
        return RedirectResponse(request.app.url_path_for("actor_page", slug=canonical), status_code=307)
    return render(request, "actors/detail.html", {"actor": actor})
