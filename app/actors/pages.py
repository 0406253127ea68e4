"""HTML pages for actors: the index, one actor with everything they said or relayed, and the
editors' forms to add an actor and to change one."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.accounts.auth import Editor, check_csrf
from app.actors import service
from app.actors.schemas import ActorForm
from app.errors import AppError, NotFound
from app.models import Actor
from app.pagination import PageRequest, decode_cursor
from app.urls import PathsDep, path_for
from app.vocabulary import ActorKind
from app.web import (
    CsrfField,
    FormVersion,
    ItemId,
    PageDep,
    SessionDep,
    Slug,
    StaleForm,
    Text,
    render,
    submit_form,
)

router = APIRouter(include_in_schema=False)

COMPARED_FIELDS = ("name", "slug", "kind", "role", "affiliation_id", "wikidata_qid", "aliases")


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


def _form(
    request: Request,
    template: str,
    values: dict[str, str],
    *,
    actor: Actor | None = None,
    error: AppError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    # A stale form shows what changed meanwhile instead of an error.
    stale = error if isinstance(error, StaleForm) else None
    shown = None if stale is not None else error
    context = {
        "actor": actor,
        "values": values,
        "kinds": list(ActorKind),
        "error": shown.message if shown else None,
        "error_field": shown.details.get("field") if shown else None,
        "meanwhile": stale.meanwhile if stale else None,
    }
    return render(request, template, context, status_code=status_code)


@router.get("/actors/new", response_class=HTMLResponse)
def new_actor_page(request: Request, principal: Editor) -> HTMLResponse:
    """The form to add an actor (editors)."""
    return _form(request, "actors/new.html", ActorForm(kind=ActorKind.PERSON.value).model_dump())


@router.post("/actors", response_class=HTMLResponse, name="create_actor_from_form")
def create_actor(
    request: Request,
    session: SessionDep,
    principal: Editor,
    form: Annotated[ActorForm, Form()],
    csrf_token: CsrfField = None,
) -> Response:
    """Add an actor; the other names are given one per line."""
    check_csrf(principal, csrf_token)
    values = form.model_dump()
    try:
        actor = service.create_actor(session, form.create(), by=principal.name)
    except AppError as error:
        return _form(request, "actors/new.html", values, error=error, status_code=error.status_code)
    return RedirectResponse(path_for(request, "actor_page", slug=actor.slug), status_code=303)


Cursor = Annotated[str | None, Query(max_length=200)]


@router.get("/actors/{slug}", response_class=HTMLResponse)
def actor_page(
    request: Request,
    session: SessionDep,
    paths: PathsDep,
    slug: Slug,
    cursor: Cursor = None,
    relayed_cursor: Cursor = None,
) -> Response:
    """An actor with their totals, the claims they spoke on and those they relayed statements on, a
    page of each at a time (`cursor`, `relayed_cursor`), each claim with its first statements.

    A slug that is another spelling of exactly one actor's name (`roepcke`) redirects to theirs.
    """
    try:
        actor = service.get_actor(
            session,
            slug,
            paths=paths,
            claims_after=decode_cursor(cursor),
            relayed_after=decode_cursor(relayed_cursor),
        )
    except NotFound:
        canonical = service.resolve_slug(session, slug)
        if canonical is None or canonical == slug:
            raise
        return RedirectResponse(paths("actor_page", slug=canonical), status_code=307)
    return render(
        request,
        "actors/detail.html",
        {"actor": actor, "claims_paged": bool(cursor), "relayed_paged": bool(relayed_cursor)},
    )


def _claim_statements_page(
    request: Request, session: Session, slug: str, claim_id: int, page: PageRequest, *, relayed: bool
) -> HTMLResponse:
    view = service.actor_claim_statements(session, slug, claim_id, relayed=relayed, page=page)
    return render(request, "actors/claim_statements.html", {"view": view, "paged": page.after_id is not None})


@router.get("/actors/{slug}/claims/{claim_id}", response_class=HTMLResponse)
def actor_claim_page(
    request: Request, session: SessionDep, slug: Slug, claim_id: ItemId, page: PageDep
) -> HTMLResponse:
    """Every statement of an actor on one claim, a page at a time."""
    return _claim_statements_page(request, session, slug, claim_id, page, relayed=False)


@router.get("/actors/{slug}/relayed/{claim_id}", response_class=HTMLResponse)
def actor_relayed_claim_page(
    request: Request, session: SessionDep, slug: Slug, claim_id: ItemId, page: PageDep
) -> HTMLResponse:
    """Every statement on one claim that reached a source through this actor, a page at a time."""
    return _claim_statements_page(request, session, slug, claim_id, page, relayed=True)


def _form_values(actor: Actor) -> dict[str, str]:
    return {
        "name": actor.name,
        "kind": actor.kind,
        "slug": actor.slug,
        "role": actor.role or "",
        "affiliation": actor.affiliation.slug if actor.affiliation else "",
        "wikidata_qid": actor.wikidata_qid or "",
        "aliases": "\n".join(actor.other_names),
    }


@router.get("/actors/{slug}/edit", response_class=HTMLResponse)
def edit_actor_page(request: Request, session: SessionDep, principal: Editor, slug: Slug) -> HTMLResponse:
    """The form to change an actor (editors)."""
    actor = service.actor_for_change(session, slug)
    return _form(request, "actors/edit.html", _form_values(actor), actor=actor)


@router.post("/actors/{slug}/edit", response_class=HTMLResponse)
def edit_actor(
    request: Request,
    session: SessionDep,
    principal: Editor,
    slug: Slug,
    form: Annotated[ActorForm, Form()],
    version: FormVersion = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Save an actor; a form based on an older version shows what changed meanwhile."""
    check_csrf(principal, csrf_token)
    actor = service.actor_for_change(session, slug)
    values = form.model_dump()

    def save() -> Response:
        service.update_actor(session, actor, form.update(actor.slug), by=principal.name)
        return RedirectResponse(path_for(request, "actor_page", slug=actor.slug), status_code=303)

    def shown_again(error: AppError) -> HTMLResponse:
        return _form(request, "actors/edit.html", values, actor=actor, error=error)

    def compared() -> dict[str, Any]:
        state = service.actor_state(actor)
        return {field: state[field] for field in COMPARED_FIELDS}

    return submit_form(session, actor, version, what="actor", save=save, form=shown_again, compared=compared)
