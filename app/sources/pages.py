"""HTML pages for sources: the index, one source's full text with every attributed span marked,
and the editors' forms to add a source and to correct its metadata."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.auth import Editor, check_csrf
from app.errors import AppError, InvalidInput
from app.pagination import MAX_ID
from app.sources import service
from app.sources.parts import PART_CHARS
from app.sources.schemas import SourceForm, SourceMetadataForm
from app.urls import path_for
from app.web import (
    CsrfField,
    FormVersion,
    ItemId,
    PageDep,
    SessionDep,
    StaleForm,
    render,
    submit_form,
)

router = APIRouter(include_in_schema=False)


METADATA_FIELDS = tuple(SourceMetadataForm.model_fields)


def _form_values(source: Any) -> dict[str, str]:
    return {
        name: ("" if getattr(source, name) is None else str(getattr(source, name)))
        for name in METADATA_FIELDS
    }


@router.get("/sources", response_class=HTMLResponse)
def sources_index(request: Request, session: SessionDep, page: PageDep) -> HTMLResponse:
    """Every source with its outlet, date and how many statements it carries."""
    sources = service.list_sources(session, outlet=None, page=page)
    return render(request, "sources/index.html", {"sources": sources, "paged": page.after_id is not None})


def _new_form(
    request: Request, values: dict[str, str], *, error: InvalidInput | None = None, status_code: int = 200
) -> HTMLResponse:
    context = {
        "values": values,
        "error": error.message if error else None,
        "error_field": error.details.get("field") if error else None,
        "max_chars": service.MAX_SOURCE_CHARS,
    }
    return render(request, "sources/new.html", context, status_code=status_code)


@router.get("/sources/new", response_class=HTMLResponse)
def new_source_page(request: Request, principal: Editor) -> HTMLResponse:
    """The form to add a source by pasting its text (editors)."""
    return _new_form(request, SourceForm().model_dump())


@router.post("/sources", response_class=HTMLResponse, name="create_source_from_form")
def create_source(
    request: Request,
    session: SessionDep,
    principal: Editor,
    form: Annotated[SourceForm, Form()],
    csrf_token: CsrfField = None,
) -> Response:
    """Add a source; the same text again leads to the source on record, saying so."""
    check_csrf(principal, csrf_token)
    values = form.model_dump()
    try:
        source, is_new = service.ingest_source(session, form.create(), by=principal.name)
    except InvalidInput as error:
        return _new_form(request, values, error=error, status_code=422)
    target = path_for(request, "source_page", source_id=source.id, query={"already": None if is_new else 1})
    return RedirectResponse(target, status_code=303)


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(
    request: Request,
    session: SessionDep,
    source_id: ItemId,
    already: Annotated[bool, Query(description="Arrived from adding a text on record already.")] = False,
    part: Annotated[int | None, Query(ge=1, le=MAX_ID, description="A part of a long text.")] = None,
    statement: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Show the part where this statement is.")
    ] = None,
) -> HTMLResponse:
    """A source's metadata and its text, each attributed span highlighted and linked to its claim;
    a long text a part at a time, with the statements in that part."""
    view = service.get_source_page(session, source_id, part=part, statement=statement)
    notice = (
        f"This text is already in the tracker as “{view.source.title}” (source {view.source.id}): nothing "
        "new was stored, and its details are as they were."
        if already
        else None
    )
    return render(
        request,
        "sources/detail.html",
        {"view": view, "source": view.source, "highlighted": view.highlighted, "notice": notice},
    )


def _edit_form(
    request: Request,
    source: Any,
    values: dict[str, str],
    *,
    error: AppError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    # A stale form shows what changed meanwhile instead of an error.
    stale = error if isinstance(error, StaleForm) else None
    shown = None if stale is not None else error
    context = {
        "source": source,
        # The text cannot change here, and a long one would make the form as long: its start is enough.
        "text_shown": source.text[:PART_CHARS],
        "values": values,
        "error": shown.message if shown else None,
        "error_field": shown.details.get("field") if shown else None,
        "meanwhile": stale.meanwhile if stale else None,
    }
    return render(request, "sources/edit.html", context, status_code=status_code)


@router.get("/sources/{source_id}/edit", response_class=HTMLResponse)
def edit_source_page(
    request: Request, session: SessionDep, principal: Editor, source_id: ItemId
) -> HTMLResponse:
    """The form to correct a source's metadata (editors); its text is shown, and cannot change."""
    source = service.source_for_change(session, source_id)
    return _edit_form(request, source, _form_values(source))


@router.post("/sources/{source_id}/edit", response_class=HTMLResponse)
def edit_source(
    request: Request,
    session: SessionDep,
    principal: Editor,
    source_id: ItemId,
    form: Annotated[SourceMetadataForm, Form()],
    version: FormVersion = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Save a source's metadata; a form based on an older version shows what changed meanwhile."""
    check_csrf(principal, csrf_token)
    source = service.source_for_change(session, source_id)
    values = form.model_dump()

    def save() -> Response:
        service.update_source(session, source, form.update(), by=principal.name)
        return RedirectResponse(path_for(request, "source_page", source_id=source.id), status_code=303)

    def shown_again(error: AppError) -> HTMLResponse:
        return _edit_form(request, source, values, error=error)

    return submit_form(
        session,
        source,
        version,
        what="source",
        save=save,
        form=shown_again,
        compared=lambda: service.metadata_of(source),
    )
