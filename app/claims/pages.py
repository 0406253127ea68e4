"""HTML pages for claims: the index (the home page) and one claim with who stands where."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from app.accounts.auth import Admin, Editor, check_csrf
from app.claims import schemas, service
from app.claims.filters import FilterDep, chips
from app.claims.filters import parse_choice as parse_choice  # re-exported: other pages import it from here
from app.errors import AppError, Gone, InvalidInput
from app.models import Claim
from app.pagination import decode_moment, whole_number
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
ClaimTextField = Annotated[Text, Form(max_length=schemas.MAX_CLAIM_INPUT_CHARS)]
ChoiceList = Annotated[list[Text], Form(max_length=100)]
RELATED_CHOICE = "related_choice_"


async def related_choices(request: Request) -> dict[int, str]:
    """The claims chosen among a row's candidates (radio buttons `related_choice_<row>`), by row from 1."""
    form = await request.form()
    chosen = {}
    for name, value in form.multi_items():
        row = whole_number(name.removeprefix(RELATED_CHOICE))
        if name.startswith(RELATED_CHOICE) and row is not None and isinstance(value, str) and value.isdigit():
            chosen[row] = value
    return chosen


RelatedChoices = Annotated[dict[int, str], Depends(related_choices)]


@dataclass(frozen=True)
class RelatedRow:
    """One related-claim row of the form: the claim as typed (and what it designates), the relation."""

    typed: str
    kind: str
    pick: service.ClaimPick | None = None

    @property
    def shown(self) -> str:
        return self.pick.shown if self.pick is not None else self.typed


def _related_rows(
    session: Session,
    typed_claims: list[str],
    kinds: list[str],
    chosen: dict[int, str],
    *,
    other_than: int | None,
) -> list[RelatedRow]:
    """The related-claim rows as submitted, each claim resolved; wholly blank rows dropped. A claim
    chosen among a row's candidates replaces what the row's field says."""
    submitted = []
    for position, typed in enumerate(typed_claims):
        kind = kinds[position].strip() if position < len(kinds) else ""
        typed = chosen.get(position + 1, typed).strip()
        if typed or kind:
            submitted.append((typed, kind))
    named = [typed for typed, _kind in submitted if typed]
    picks = iter(service.pick_claims(session, named, other_than=other_than))
    return [
        RelatedRow(typed=typed, kind=kind, pick=next(picks) if typed else None) for typed, kind in submitted
    ]


def _parse_related(rows: list[RelatedRow]) -> list[schemas.RelatedClaimInput]:
    """The relations of the rows; a row without its claim or its relation is refused first (the form
    says so above it), then one whose claim could not be resolved (its field says why)."""
    related = []
    for number, row in enumerate(rows, start=1):
        if row.pick is None:
            raise InvalidInput(f"Related claim {number}: choose the claim, or set its relation to none.")
        kind = parse_choice(RelationKind, "relation", row.kind)
        if kind is None:
            raise InvalidInput(f"Related claim {number}: choose how this claim relates to it.")
        if row.pick.claim is not None:
            related.append(schemas.RelatedClaimInput(claim_id=row.pick.claim.id, kind=kind))
    for number, row in enumerate(rows, start=1):
        if row.pick is not None:
            service.chosen_claim(row.pick, f"Related claim {number}")
    return related


def _claim_form(
    request: Request,
    session: Session,
    *,
    claim: Claim | None,
    text: str,
    rows: list[RelatedRow],
    error: AppError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The new or edit form; after a StaleForm, with the claim as it is now above what was typed."""
    stale = None
    if claim is not None and isinstance(error, StaleForm):
        stale = {"based_on": error.based_on, "text": claim.text, "rows": _rows_of(session, claim)}
    return render(
        request,
        "claims/edit.html" if claim is not None else "claims/new.html",
        {
            "claim": claim,
            "values": {"text": text, "version": claim.version if claim is not None else None},
            "rows": rows + [RelatedRow(typed="", kind="")] * BLANK_RELATED_ROWS,
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


@router.post("/claims/new", response_class=HTMLResponse)
def create_claim(
    request: Request,
    session: SessionDep,
    principal: Editor,
    text: ClaimTextField = "",
    related_claim: ChoiceList = [],  # noqa: B006 - FastAPI copies parameter defaults
    related_kind: ChoiceList = [],  # noqa: B006 - FastAPI copies parameter defaults
    chosen: RelatedChoices = {},  # noqa: B006 - FastAPI copies parameter defaults
    csrf_token: CsrfField = None,
) -> Response:
    """Create a claim; on an error the form comes back with what was typed."""
    check_csrf(principal, csrf_token)
    rows = _related_rows(session, related_claim, related_kind, chosen, other_than=None)
    try:
        claim_create = schemas.ClaimCreate(text=text, related=_parse_related(rows))
        claim = service.create_claim(session, claim_create, by=principal.name)
    except AppError as error:
        return _claim_form(
            request, session, claim=None, text=text, rows=rows, error=error, status_code=error.status_code
        )
    return RedirectResponse(f"/claims/{claim.id}", status_code=303)


def _rows_of(session: Session, claim: Claim) -> list[RelatedRow]:
    """A claim's relations as the form's rows, each related claim shown by its label."""
    return [
        RelatedRow(typed=label, kind=kind.value) for label, kind in service.related_labels(session, claim)
    ]


@router.get("/claims/{claim_id}/edit", response_class=HTMLResponse)
def edit_claim_form(
    request: Request, session: SessionDep, principal: Editor, claim_id: ItemId
) -> HTMLResponse:
    """The form to change a claim's text and its related claims."""
    claim = service.claim_for_change(session, claim_id)
    return _claim_form(request, session, claim=claim, text=claim.text, rows=_rows_of(session, claim))


@router.post("/claims/{claim_id}/edit", response_class=HTMLResponse)
def edit_claim(
    request: Request,
    session: SessionDep,
    principal: Editor,
    claim_id: ItemId,
    text: ClaimTextField = "",
    version: FormVersion = None,
    related_claim: ChoiceList = [],  # noqa: B006 - FastAPI copies parameter defaults
    related_kind: ChoiceList = [],  # noqa: B006 - FastAPI copies parameter defaults
    chosen: RelatedChoices = {},  # noqa: B006 - FastAPI copies parameter defaults
    csrf_token: CsrfField = None,
) -> Response:
    """Save a claim; if someone changed it meanwhile, show what changed and keep what was typed."""
    check_csrf(principal, csrf_token)
    claim = service.claim_for_change(session, claim_id)
    rows = _related_rows(session, related_claim, related_kind, chosen, other_than=claim.id)

    def save() -> Response:
        claim_update = schemas.ClaimUpdate(text=text, related=_parse_related(rows))
        service.update_claim(session, claim, claim_update, by=principal.name)
        return RedirectResponse(f"/claims/{claim.id}", status_code=303)

    def form(error: AppError) -> HTMLResponse:
        return _claim_form(request, session, claim=claim, text=text, rows=rows, error=error)

    return submit_form(session, claim, version, what="claim", save=save, form=form)


@router.get("/claims/{claim_id}/delete", response_class=HTMLResponse)
def delete_claim_form(
    request: Request, session: SessionDep, principal: Editor, claim_id: ItemId
) -> HTMLResponse:
    """Ask before deleting a claim."""
    claim = service.claim_for_change(session, claim_id)
    return render(
        request, "claims/delete.html", {"claim": claim, "detail": service.get_claim(session, claim_id)}
    )


@router.post("/claims/{claim_id}/delete")
def delete_claim(
    session: SessionDep,
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
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


@router.post("/claims/{claim_id}/restore")
def restore_claim(
    session: SessionDep, principal: Admin, claim_id: ItemId, csrf_token: CsrfField = None
) -> Response:
    """Restore a deleted claim with its statements (administrators)."""
    check_csrf(principal, csrf_token)
    claim = service.claim_for_change(session, claim_id, deleted=True)
    service.restore_claim(session, claim, by=principal.name)
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


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
def claim_page(request: Request, session: SessionDep, claim_id: ItemId) -> HTMLResponse:
    """A claim: its statements grouped by stance, its related claims, its verification history."""
    try:
        claim = service.get_claim(session, claim_id)
    except Gone as gone:
        # A deleted claim still answers, saying who deleted it and when; admins can restore it here.
        return render(
            request,
            "claims/deleted.html",
            {"claim_id": claim_id, "detail": gone.message, "details": gone.details},
            status_code=410,
        )
    return render(request, "claims/detail.html", {"claim": claim})


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
