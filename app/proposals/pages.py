"""The review queue's forms, on a source's page, and the form that adds a source (which fills its
queue): accept, correct, reject, accept a selection, run the extractor again. Editors only."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.auth import Editor, check_csrf
from app.errors import AppError, Conflict, InvalidInput
from app.pagination import IdField
from app.proposals import schemas, service
from app.sources.pages import Review, new_source_form
from app.sources.schemas import SourceForm
from app.urls import path_for
from app.vocabulary import ActorKind, Stance
from app.web import CsrfField, ItemId, SessionDep, render

router = APIRouter(include_in_schema=False)

QUEUE = "review-queue"
"""The review queue's place on a source's page."""


def _to_source(request: Request, source_id: int, review: Review, count: int) -> RedirectResponse:
    target = path_for(
        request,
        "source_page",
        source_id=source_id,
        query={"reviewed": review.value, "count": count},
        fragment=QUEUE,
    )
    return RedirectResponse(target, status_code=303)


@router.post("/sources", response_class=HTMLResponse, name="create_source_from_form")
def create_source(
    request: Request,
    session: SessionDep,
    principal: Editor,
    form: Annotated[SourceForm, Form()],
    csrf_token: CsrfField = None,
) -> Response:
    """Add a source, and put the statements the extractor finds in it in its review queue; the same
    text again leads to the source on record, saying so."""
    check_csrf(principal, csrf_token)
    values = form.model_dump()
    try:
        added = service.add_source(session, form.create(), by=principal.name)
    except InvalidInput as error:
        return new_source_form(request, values, error=error, status_code=422)
    if not added.is_new:
        target = path_for(request, "source_page", source_id=added.source.id, query={"already": 1})
        return RedirectResponse(target, status_code=303)
    return _to_source(request, added.source.id, Review.PROPOSED, added.proposed)


def _edit_form(
    request: Request,
    session: SessionDep,
    source_id: int,
    proposal_id: int,
    values: dict[str, str] | None = None,
    *,
    error: AppError | None = None,
) -> HTMLResponse:
    view = service.proposal_view(session, source_id, proposal_id)
    proposal = view.proposal
    if values is None:
        values = {
            "actor": proposal.actor.name if proposal.actor else proposal.actor_name or "",
            "actor_kind": "",
            "stance": proposal.stance,
            "claim": f"{proposal.claim.id}: {proposal.claim.text}" if proposal.claim else "",
            "new_claim": "" if proposal.claim else proposal.claim_text or "",
            "quote_start": str(proposal.quote_start),
            "quote_end": str(proposal.quote_end),
            "medium": proposal.medium or "",
            "via": "\n".join(proposal.via),
        }
    context = {
        "view": view,
        "proposal": proposal,
        "values": values,
        "stances": list(Stance),
        "kinds": list(ActorKind),
        "error": error.message if error else None,
        "error_field": error.details.get("field") if error else None,
    }
    return render(request, "proposals/edit.html", context, status_code=error.status_code if error else 200)


@router.get("/sources/{source_id}/proposals/{proposal_id}/edit", response_class=HTMLResponse)
def edit_proposal_form(
    request: Request, session: SessionDep, principal: Editor, source_id: ItemId, proposal_id: ItemId
) -> HTMLResponse:
    """The form to correct a proposal before accepting it (editors): actor, stance, claim, passage,
    medium and reporting chain, with the text around the passage."""
    return _edit_form(request, session, source_id, proposal_id)


@router.post("/sources/{source_id}/proposals/{proposal_id}/accept", response_class=HTMLResponse)
def accept_proposal_from_form(
    request: Request,
    session: SessionDep,
    principal: Editor,
    source_id: ItemId,
    proposal_id: ItemId,
    form: Annotated[schemas.ProposalForm, Form()],
    csrf_token: CsrfField = None,
) -> Response:
    """Accept a proposal, as proposed or with the corrections the form sends; when it cannot be
    accepted, the correction form says why, with what was typed."""
    check_csrf(principal, csrf_token)
    try:
        edits = service.edits_from_form(session, form)
        service.accept_proposal(session, source_id, proposal_id, edits, by=principal.name)
    except (InvalidInput, Conflict) as error:
        # A conflict of the statement (recorded already, a new claim on record already) is shown with
        # the form; a proposal decided meanwhile cannot be corrected, and the form's page says so.
        typed = form.model_dump()
        # The quick "Accept" button sends no field: show the proposal as proposed.
        values = typed if any(typed.values()) else None
        return _edit_form(request, session, source_id, proposal_id, values, error=error)
    return _to_source(request, source_id, Review.ACCEPTED, 1)


@router.post("/sources/{source_id}/proposals/{proposal_id}/reject", response_class=HTMLResponse)
def reject_proposal_from_form(
    request: Request,
    session: SessionDep,
    principal: Editor,
    source_id: ItemId,
    proposal_id: ItemId,
    csrf_token: CsrfField = None,
) -> Response:
    """Reject a proposal: it leaves the queue and is not proposed again."""
    check_csrf(principal, csrf_token)
    service.reject_proposal(session, source_id, proposal_id, by=principal.name)
    return _to_source(request, source_id, Review.REJECTED, 1)


@router.post("/sources/{source_id}/proposals/accept", response_class=HTMLResponse)
def accept_proposals_from_form(
    request: Request,
    session: SessionDep,
    principal: Editor,
    source_id: ItemId,
    proposal_ids: Annotated[list[IdField], Form()] = [],  # noqa: B006 - FastAPI copies a default
    csrf_token: CsrfField = None,
) -> Response:
    """Accept the proposals ticked, as proposed: all of them, or none, with an error naming the one
    that could not be accepted."""
    check_csrf(principal, csrf_token)
    if not proposal_ids:
        raise InvalidInput("Tick the proposals to accept first: none was selected, nothing was accepted.")
    selection = schemas.ProposalSelection(proposal_ids=proposal_ids[: schemas.MAX_SELECTION])
    accepted = service.accept_selection(session, source_id, selection, by=principal.name)
    return _to_source(request, source_id, Review.ACCEPTED, len(accepted.accepted))


@router.post("/sources/{source_id}/extract", response_class=HTMLResponse)
def extract_again_from_form(
    request: Request,
    session: SessionDep,
    principal: Editor,
    source_id: ItemId,
    csrf_token: CsrfField = None,
) -> Response:
    """Run the extractor on the source again: new proposals join the queue; decided ones stay."""
    check_csrf(principal, csrf_token)
    run = service.extract_again(session, source_id)
    return _to_source(request, source_id, Review.EXTRACTED, run.proposed)
