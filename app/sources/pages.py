"""HTML pages for sources: the index, one source's full text with every attributed span marked,
and the editors' forms to add a source and to correct its metadata."""

from enum import StrEnum
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


class Review(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXTRACTED = "extracted"


REVIEWED = {
    Review.PROPOSED: "The source is stored. The extractor proposed {count} statement{s} in it: review them "
    "in the queue below, or attribute statements by hand.",
    Review.ACCEPTED: "Accepted {count} proposal{s}: each is now a statement in this source.",
    Review.REJECTED: "Rejected the proposal: it will not be proposed again.",
    Review.EXTRACTED: "The extractor ran again: {count} new proposal{s}.",
}


METADATA_FIELDS = tuple(SourceMetadataForm.model_fields)


def _form_values(source: Any) -> dict[str, str]:
    return {
        name: ("" if getattr(source, name) is None else str(getattr(source, name)))
        for name in METADATA_FIELDS
    }


@router.get("/sources", response_class=HTMLResponse)
def sources_index(
    request: Request,
    session: SessionDep,
    page: PageDep,
    waiting: Annotated[bool, Query(description="Only sources with proposals waiting for review.")] = False,
) -> HTMLResponse:
    """Every source with its outlet, date, how many statements it carries and how many proposed
    statements wait for review."""
    sources = service.list_sources(session, outlet=None, page=page, waiting=waiting)
    return render(
        request,
        "sources/index.html",
        {"sources": sources, "paged": page.after_id is not None, "waiting": waiting},
    )


def new_source_form(
    request: Request, values: dict[str, str], *, error: InvalidInput | None = None, status_code: int = 200
) -> HTMLResponse:
    """The form to add a source, with what was typed and the error, if any (`app.proposals.pages`
    receives it: adding a source fills its review queue)."""
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
    return new_source_form(request, SourceForm().model_dump())


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
    reviewed: Annotated[
        Review | None, Query(description="Arrived from the review queue, having done this.")
    ] = None,
    count: Annotated[int | None, Query(ge=0, le=MAX_ID, description="How many it concerned.")] = None,
) -> HTMLResponse:
    """A source's metadata and its text, each attributed span highlighted and linked to its claim;
    a long text a part at a time, with the statements in that part."""
    view = service.get_source_page(session, source_id, part=part, statement=statement)
    notice = (
        f"This text is already in the tracker as “{view.source.title}” (source {view.source.id}): nothing "
        "new was stored, and its details are as they were."
        if already
        else REVIEWED[reviewed].format(count=count or 0, s="" if count == 1 else "s")
        if reviewed is not None
        else None
    )
    return render(
        request,
        "sources/detail.html",
        {
            "view": view,
            "source": view.source,
            "highlighted": view.highlighted,
            "notice": notice,
            "notice_class": "already-on-record" if already else "review-notice",
        },
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
