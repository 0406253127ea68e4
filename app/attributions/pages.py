"""HTML pages for attributing a statement on a source's page, and for restoring a deleted one."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from app.accounts.auth import Admin, Editor, check_csrf
from app.attributions import forms, service
from app.attributions.schemas import FORM_FIELDS, MAX_CHAIN_STEPS
from app.claims.service import ClaimNotPicked, ClaimPick, pick_claim, shows_statement
from app.errors import AppError
from app.models import Attribution, Source
from app.pagination import MAX_ID, encode_cursor
from app.sources.service import TextPart, source_with_text, text_part
from app.statements.schemas import Attribution as AttributionSchema
from app.urls import Paths, PathsDep
from app.web import (
    CsrfField,
    FormNumber,
    FormVersion,
    IdFilter,
    ItemId,
    SessionDep,
    StaleForm,
    check_delete_form,
    render,
    submit_form,
)

router = APIRouter(include_in_schema=False)


def _shown_error(error: AppError | None) -> str | None:
    # A claim that could not be resolved says why beside its field, and a stale form shows what changed
    # meanwhile, not above the form.
    return None if error is None or isinstance(error, ClaimNotPicked | StaleForm) else error.message


def _form(
    request: Request,
    source: Source,
    values: dict[str, str],
    shown: TextPart,
    *,
    claim_pick: ClaimPick | None = None,
    error: AppError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "source": source,
        "values": values,
        "shown": shown,
        "claim_pick": claim_pick,
        "error": _shown_error(error),
        "ambiguous": error if isinstance(error, service.AmbiguousQuote) else None,
        "max_chain_steps": MAX_CHAIN_STEPS,
    }
    return render(request, "attributions/new.html", context, status_code=status_code)


PartQuery = Annotated[int | None, Query(ge=1, le=MAX_ID, description="A part of a long text.")]


@router.get("/sources/{source_id}/attributions/new", response_class=HTMLResponse)
def new_attribution_form(
    request: Request,
    session: SessionDep,
    principal: Editor,
    source_id: ItemId,
    start: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    end: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    claim: IdFilter | None = None,
    part: PartQuery = None,
) -> HTMLResponse:
    """The form to attribute a statement in this source; `start`/`end` pre-fill a selected passage (and
    show the part of a long text it is in), `claim` the claim, `part` shows another part of the text."""
    source = source_with_text(session, source_id)
    values = forms.StatementForm().values()
    selected = start is not None and end is not None and 0 <= start < end <= len(source.text)
    if selected:
        values.update(quote=source.text[start:end], quote_start=str(start), quote_end=str(end))
    pick = None
    if claim is not None:
        pick = pick_claim(session, str(claim))
        values["claim"] = pick.shown
    shown = text_part(session, source, number=part, at=start if selected else None)
    return _form(request, source, values, shown, claim_pick=pick if pick and pick.problem else None)


PartField = FormNumber
"""`part`: a part navigation button was pressed (show that part, keep the form); `shown_part`: the part
the form showed, to show again when it comes back with an error."""


@router.post(
    "/sources/{source_id}/attributions/new", response_class=HTMLResponse, name="create_attribution_from_form"
)
def create_attribution(
    request: Request,
    session: SessionDep,
    paths: PathsDep,
    principal: Editor,
    source_id: ItemId,
    form: Annotated[forms.StatementForm, Form()],
    occurrence: FormNumber = None,
    part: PartField = None,
    shown_part: PartField = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Attribute a statement; a quote found several times comes back asking which occurrence, and a
    part button shows another part of a long text with the form as it was."""
    check_csrf(principal, csrf_token)
    source = source_with_text(session, source_id)
    values = form.values()
    if part is not None:
        return _form(request, source, values, text_part(session, source, number=part, strict=False))
    shown = text_part(session, source, number=shown_part, strict=False)
    pick = pick_claim(session, values["claim"]) if values["claim"] else None
    try:
        draft = forms.statement_draft(form, source_id=source.id, occurrence=occurrence, claim_pick=pick)
        attribution = service.create_attribution(session, draft, by=principal.name, names=FORM_FIELDS)
    except AppError as error:
        # A quote found several times comes back with its occurrences to choose from (the error says so).
        return _form(
            request, source, values, shown, claim_pick=pick, error=error, status_code=error.status_code
        )
    return RedirectResponse(statement_url(session, paths, attribution.id), status_code=303)


@router.get("/attributions/{attribution_id}")
def statement(session: SessionDep, paths: PathsDep, attribution_id: ItemId) -> RedirectResponse:
    """A statement's permanent link: where its claim shows it, however busy the claim."""
    return RedirectResponse(statement_url(session, paths, attribution_id), status_code=302)


def statement_url(session: Session, paths: Paths, attribution_id: int) -> str:
    """Where a statement is shown: on its claim's page when it is among the first of its stance there,
    else on the first page of the claim's statements of its stance that starts with it (the cursor is
    the id just before it). NotFound, or Gone for a deleted statement."""
    attribution = service.get_attribution(session, attribution_id)
    claim_id, anchor = attribution.claim.id, f"attribution-{attribution.id}"
    if shows_statement(session, claim_id, attribution.stance, attribution.id):
        return paths("claim_page", claim_id=claim_id, fragment=anchor)
    query = {"stance": attribution.stance, "cursor": encode_cursor(attribution.id - 1)}
    return paths("claim_statements_page", claim_id=claim_id, query=query, fragment=anchor)


@router.post("/attributions/{attribution_id}/restore", name="restore_attribution_from_form")
def restore_attribution(
    session: SessionDep,
    paths: PathsDep,
    principal: Admin,
    attribution_id: ItemId,
    csrf_token: CsrfField = None,
) -> Response:
    """Restore a deleted statement (administrators)."""
    check_csrf(principal, csrf_token)
    attribution = service.attribution_for_change(session, attribution_id, deleted=True)
    service.restore_attribution(session, attribution, by=principal.name)
    return RedirectResponse(statement_url(session, paths, attribution_id), status_code=303)


# Correcting and deleting a statement: editors; the form carries the version it was based on.

COMPARED_FIELDS = ("stance", "claim_id", "quote_exact", "quote_start", "medium", "note")
"""The fields a stale form shows then and now (the reporting chain shows in the current statement)."""


def _edit_form(
    request: Request,
    session: Session,
    attribution: Attribution,
    values: dict[str, str],
    *,
    part: int | None = None,
    strict: bool = False,
    claim_pick: ClaimPick | None = None,
    error: AppError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The edit form; its text shows part `part` of a long source (`strict`: NotFound beyond the last,
    else the last), or the part of the statement's quote."""
    source = source_with_text(session, attribution.source_id)
    shown = (
        text_part(session, source, number=part, strict=strict)
        if part is not None
        else text_part(session, source, at=attribution.quote_start)
    )
    context: dict[str, Any] = {
        "attribution": AttributionSchema.model_validate(attribution),
        "source": source,
        "values": values,
        "shown": shown,
        "claim_pick": claim_pick,
        "error": _shown_error(error),
        "ambiguous": error if isinstance(error, service.AmbiguousQuote) else None,
        "meanwhile": error.meanwhile if isinstance(error, StaleForm) else None,
        "max_chain_steps": MAX_CHAIN_STEPS,
    }
    return render(request, "attributions/edit.html", context, status_code=status_code)


@router.get("/attributions/{attribution_id}/edit", response_class=HTMLResponse)
def edit_attribution_form(
    request: Request, session: SessionDep, principal: Editor, attribution_id: ItemId, part: PartQuery = None
) -> HTMLResponse:
    """The form to correct a statement: its quote, claim, stance, medium, reporting chain and note; a
    long source's text shows the part the quote is in, or part `part`."""
    attribution = service.attribution_for_change(session, attribution_id)
    return _edit_form(request, session, attribution, forms.values_of(attribution), part=part, strict=True)


@router.post(
    "/attributions/{attribution_id}/edit", response_class=HTMLResponse, name="update_attribution_from_form"
)
def update_attribution(
    request: Request,
    session: SessionDep,
    paths: PathsDep,
    principal: Editor,
    attribution_id: ItemId,
    form: Annotated[forms.StatementEditForm, Form()],
    occurrence: FormNumber = None,
    version: FormVersion = None,
    part: PartField = None,
    shown_part: PartField = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Save a corrected statement; against a stale version, show the current one and keep the input. A
    part button shows another part of a long text with the form as it was."""
    check_csrf(principal, csrf_token)
    attribution = service.attribution_for_change(session, attribution_id)
    values = form.values()
    if part is not None:
        return _edit_form(request, session, attribution, values, part=part)
    pick = pick_claim(session, values["claim"]) if values["claim"] else None

    def save() -> Response:
        change = forms.statement_change(form, attribution, occurrence=occurrence, claim_pick=pick)
        service.update_attribution(session, attribution, change, by=principal.name, names=FORM_FIELDS)
        return RedirectResponse(statement_url(session, paths, attribution.id), status_code=303)

    def shown_again(error: AppError) -> HTMLResponse:
        return _edit_form(
            request, session, attribution, values, part=shown_part, claim_pick=pick, error=error
        )

    return submit_form(
        session,
        attribution,
        version,
        what="statement",
        save=save,
        form=shown_again,
        compared=lambda: {name: getattr(attribution, name) for name in COMPARED_FIELDS},
    )


@router.get("/attributions/{attribution_id}/delete", response_class=HTMLResponse)
def delete_attribution_form(
    request: Request, session: SessionDep, principal: Editor, attribution_id: ItemId
) -> HTMLResponse:
    """Ask before deleting a statement."""
    attribution = service.attribution_for_change(session, attribution_id)
    context = {"attribution": AttributionSchema.model_validate(attribution)}
    return render(request, "attributions/delete.html", context)


@router.post("/attributions/{attribution_id}/delete", name="delete_attribution_from_form")
def delete_attribution(
    session: SessionDep,
    paths: PathsDep,
    principal: Editor,
    attribution_id: ItemId,
    version: FormVersion = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Delete a statement (soft: an administrator can restore it); a stale form is refused with 412."""
    check_csrf(principal, csrf_token)
    attribution = service.attribution_for_change(session, attribution_id)
    check_delete_form(attribution, version, what="statement")
    service.delete_attribution(session, attribution, by=principal.name)
    return RedirectResponse(paths("claim_page", claim_id=attribution.claim_id), status_code=303)
