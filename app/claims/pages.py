"""HTML pages for claims: the index (the home page) and one claim with who stands where."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from app.accounts.auth import Admin, Editor, check_csrf
from app.claimreview import service as claimreview
from app.claims import forms, service
from app.claims.filters import FilterDep, chips, parse_choice
from app.errors import AppError, Gone
from app.models import Claim
from app.pagination import decode_moment
from app.urls import PathsDep, SiteDep, path_for
from app.vocabulary import RelationKind, Stance
from app.web import (
    CsrfField,
    FormVersion,
    IdFilter,
    ItemId,
    PageDep,
    SessionDep,
    StaleForm,
    Text,
    check_delete_form,
    render,
    submit_form,
)

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def claims_index(
    request: Request,
    session: SessionDep,
    page: PageDep,
    filter_params: FilterDep,
    q: Annotated[Text | None, Query(max_length=300)] = None,
) -> HTMLResponse:
    """Every claim with its verification status, whether it is contested, and who stands where."""
    q = (q or "").strip() or None
    filters = filter_params.claim_filters(text=q)
    claims = service.list_claims(session, actor=filter_params.actor, filters=filters, page=page)
    return render(
        request,
        "claims/index.html",
        {
            "claims": claims,
            "filters": filter_params,
            "q": q,
            "chips": chips(request.url, filter_params, text=q),
            "filtered": filter_params.active or q is not None,
            "paged": page.after_id is not None,
        },
    )


# Editing claims in the browser: editors; every form carries the CSRF token and the version it read.
# A related claim is typed (its number, or words of its text) and resolved here; with JavaScript the
# field suggests as one types (`GET /api/v1/suggest/claims`). Words that fit several claims come back
# with a few to choose from, as radio buttons named `related_choice_<row>`.

BLANK_RELATED_ROWS = 3


def _claim_form(
    request: Request,
    session: Session,
    *,
    claim: Claim | None,
    text: str,
    rows: list[forms.RelatedRow],
    error: AppError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The new or edit form; after a StaleForm, with the claim as it is now above what was typed."""
    stale = None
    if claim is not None and isinstance(error, StaleForm):
        stale = {"based_on": error.based_on, "text": claim.text, "rows": forms.rows_of(session, claim)}
    return render(
        request,
        "claims/edit.html" if claim is not None else "claims/new.html",
        {
            "claim": claim,
            "values": {"text": text, "version": claim.version if claim is not None else None},
            "rows": rows + [forms.RelatedRow(typed="", kind="")] * BLANK_RELATED_ROWS,
            "relation_kinds": list(RelationKind),
            # A claim that could not be resolved says why beside its row, not above the form.
            "error": None if error is None or isinstance(error, service.ClaimNotPicked) else error.message,
            "stale": stale,
            "max_chars": service.MAX_CLAIM_CHARS,
        },
        status_code=status_code,
    )


@router.get("/claims/new", response_class=HTMLResponse)
def new_claim_form(request: Request, session: SessionDep, principal: Editor) -> HTMLResponse:
    """The form for a new claim."""
    return _claim_form(request, session, claim=None, text="", rows=[])


@router.post("/claims/new", response_class=HTMLResponse, name="create_claim_from_form")
def create_claim(
    request: Request,
    session: SessionDep,
    principal: Editor,
    form: Annotated[forms.ClaimForm, Form()],
    csrf_token: CsrfField = None,
) -> Response:
    """Create a claim; on an error the form comes back with what was typed."""
    check_csrf(principal, csrf_token)
    rows = form.rows(session, other_than=None)
    try:
        claim = service.create_claim(session, form.create(rows), by=principal.name)
    except AppError as error:
        return _claim_form(
            request,
            session,
            claim=None,
            text=form.text,
            rows=rows,
            error=error,
            status_code=error.status_code,
        )
    return RedirectResponse(path_for(request, "claim_page", claim_id=claim.id), status_code=303)


@router.get("/claims/{claim_id}/edit", response_class=HTMLResponse)
def edit_claim_form(
    request: Request, session: SessionDep, principal: Editor, claim_id: ItemId
) -> HTMLResponse:
    """The form to change a claim's text and its related claims."""
    claim = service.claim_for_change(session, claim_id)
    return _claim_form(request, session, claim=claim, text=claim.text, rows=forms.rows_of(session, claim))


@router.post("/claims/{claim_id}/edit", response_class=HTMLResponse)
def edit_claim(
    request: Request,
    session: SessionDep,
    principal: Editor,
    claim_id: ItemId,
    form: Annotated[forms.ClaimForm, Form()],
    version: FormVersion = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Save a claim; if someone changed it meanwhile, show what changed and keep what was typed."""
    check_csrf(principal, csrf_token)
    claim = service.claim_for_change(session, claim_id)
    rows = form.rows(session, other_than=claim.id)

    def save() -> Response:
        service.update_claim(session, claim, form.update(rows), by=principal.name)
        return RedirectResponse(path_for(request, "claim_page", claim_id=claim.id), status_code=303)

    def shown(error: AppError) -> HTMLResponse:
        return _claim_form(request, session, claim=claim, text=form.text, rows=rows, error=error)

    return submit_form(session, claim, version, what="claim", save=save, form=shown)


@router.get("/claims/{claim_id}/delete", response_class=HTMLResponse)
def delete_claim_form(
    request: Request, session: SessionDep, paths: PathsDep, principal: Editor, claim_id: ItemId
) -> HTMLResponse:
    """Ask before deleting a claim."""
    claim = service.claim_for_change(session, claim_id)
    return render(
        request,
        "claims/delete.html",
        {"claim": claim, "detail": service.get_claim(session, claim_id, paths=paths)},
    )


@router.post("/claims/{claim_id}/delete", name="delete_claim_from_form")
def delete_claim(
    session: SessionDep,
    paths: PathsDep,
    principal: Editor,
    claim_id: ItemId,
    version: FormVersion = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Delete a claim (soft: an administrator can restore it)."""
    check_csrf(principal, csrf_token)
    claim = service.claim_for_change(session, claim_id)
    check_delete_form(claim, version, what="claim")
    service.delete_claim(session, claim, by=principal.name)
    return RedirectResponse(paths("claim_page", claim_id=claim_id), status_code=303)


@router.post("/claims/{claim_id}/restore", name="restore_claim_from_form")
def restore_claim(
    session: SessionDep, paths: PathsDep, principal: Admin, claim_id: ItemId, csrf_token: CsrfField = None
) -> Response:
    """Restore a deleted claim with its statements (administrators)."""
    check_csrf(principal, csrf_token)
    claim = service.claim_for_change(session, claim_id, deleted=True)
    service.restore_claim(session, claim, by=principal.name)
    return RedirectResponse(paths("claim_page", claim_id=claim_id), status_code=303)


CursorQuery = Annotated[
    str | None, Query(max_length=200, description="The cursor of the list's next page; omit for the first.")
]


@router.get("/admin/deleted", response_class=HTMLResponse)
def deleted_items(
    request: Request,
    session: SessionDep,
    principal: Admin,
    claims_cursor: CursorQuery = None,
    statements_cursor: CursorQuery = None,
) -> HTMLResponse:
    """Deleted claims and statements, most recently deleted first, each list a page at a time and each
    item with a button to restore it (administrators)."""
    deleted = service.deleted_items(
        session,
        claims_after=decode_moment(claims_cursor),
        statements_after=decode_moment(statements_cursor),
    )
    return render(request, "claims/deleted_index.html", {"deleted": deleted})


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(
    request: Request, session: SessionDep, paths: PathsDep, site: SiteDep, claim_id: ItemId
) -> HTMLResponse:
    """A claim: its statements grouped by stance, its related claims, its verification history; with
    a verdict, its schema.org ClaimReview for search engines and fact-check aggregators."""
    try:
        claim = service.get_claim(session, claim_id, paths=paths)
    except Gone as gone:
        # A deleted claim still answers, saying who deleted it and when; admins can restore it here.
        return render(
            request,
            "claims/deleted.html",
            {"claim_id": claim_id, "detail": gone.message, "details": gone.details},
            status_code=410,
        )
    review = claimreview.embedded_review(session, claim, site=site)
    return render(
        request,
        "claims/detail.html",
        {"claim": claim, "claim_review": review.model_dump(mode="json") if review is not None else None},
    )


@router.get("/claims/{claim_id}/statements", response_class=HTMLResponse)
def claim_statements_page(
    request: Request,
    session: SessionDep,
    claim_id: ItemId,
    page: PageDep,
    stance: Annotated[Text | None, Query(max_length=40)] = None,
    actor_id: Annotated[IdFilter | None, Query()] = None,
    source: Annotated[IdFilter | None, Query()] = None,
) -> HTMLResponse:
    """Every statement on a claim, a page at a time, optionally of one stance, actor or source."""
    statements = service.claim_statements(
        session,
        claim_id,
        stance=parse_choice(Stance, "stance", stance),
        actor_id=actor_id,
        source_id=source,
        page=page,
    )
    return render(request, "claims/statements.html", {"view": statements, "paged": page.after_id is not None})
