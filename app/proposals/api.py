"""JSON routes of the review queue, and the one that adds a source (which fills its queue)."""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from app.accounts.auth import ApiEditor
from app.openapi import conflict
from app.proposals import schemas, service
from app.schemas import Page
from app.sources import service as sources
from app.sources.schemas import SourceCreate
from app.statements.schemas import ProposedStatement
from app.urls import PathsDep
from app.vocabulary import ProposalState
from app.web import ItemId, PageDep, SessionDep, etag

router = APIRouter(tags=["sources"])

DECIDED = conflict("The proposal was accepted or rejected already: `state` says which, nothing changed.")


@router.post(
    "/sources",
    response_model=schemas.SourceAdded,
    status_code=201,
    responses={200: {"model": schemas.SourceAdded, "description": "This text was on record already."}},
)
def create_source(
    session: SessionDep, paths: PathsDep, principal: ApiEditor, body: SourceCreate, response: Response
) -> schemas.SourceAdded:
    """Add a source (editors); the extractor proposes its statements for review (`proposals_made`).
    The same text again is recognised: 200 with the source on record.

    The text is normalised (Unicode NFC, `\\n` line ends) and hashed; it never changes afterwards.
    """
    added = service.add_source(session, body, by=principal.name)
    created = sources.get_source(session, added.source.id, paths=paths)
    response.status_code = 201 if added.is_new else 200
    response.headers["Location"] = paths("get_source", source_id=added.source.id)
    response.headers["ETag"] = etag(created.version)
    return schemas.SourceAdded(
        **created.model_dump(), already_existed=not added.is_new, proposals_made=added.proposed
    )


@router.get("/sources/{source_id}/proposals", response_model=Page[ProposedStatement])
def list_proposals(
    session: SessionDep,
    page: PageDep,
    source_id: ItemId,
    state: Annotated[
        ProposalState | None, Query(description="Only proposals in this state (`pending`: the queue).")
    ] = None,
) -> Page[ProposedStatement]:
    """The statements the extractor proposed in a source, in id order: each with its spans, actor,
    stance, reporting chain and suggested claim, and, once decided, who decided and what it became."""
    return service.list_proposals(session, source_id, state=state, page=page)


@router.post(
    "/sources/{source_id}/proposals/accept",
    response_model=schemas.SelectionAccepted,
    responses=DECIDED,
)
def accept_proposals(
    session: SessionDep,
    principal: ApiEditor,
    source_id: ItemId,
    body: schemas.ProposalSelection,
) -> schemas.SelectionAccepted:
    """Accept several proposals as proposed (editors): all of them, or, when one cannot be accepted,
    none; the error names the one that failed."""
    return service.accept_selection(session, source_id, body, by=principal.name)


@router.post(
    "/sources/{source_id}/proposals/{proposal_id}/accept",
    response_model=schemas.Decision,
    responses=DECIDED,
)
def accept_proposal(
    session: SessionDep,
    principal: ApiEditor,
    source_id: ItemId,
    proposal_id: ItemId,
    body: Annotated[schemas.ProposalEdits | None, Body()] = None,
) -> schemas.Decision:
    """Accept a proposal (editors), with corrections if any: it becomes a statement under every rule
    of `POST /api/v1/attributions` (audit record included); a new actor or claim it names is created."""
    return service.accept_proposal(session, source_id, proposal_id, body, by=principal.name)


@router.post(
    "/sources/{source_id}/proposals/{proposal_id}/reject",
    response_model=schemas.Decision,
    responses=DECIDED,
)
def reject_proposal(
    session: SessionDep, principal: ApiEditor, source_id: ItemId, proposal_id: ItemId
) -> schemas.Decision:
    """Reject a proposal (editors): it leaves the queue, and running the extractor again does not
    propose it again."""
    return service.reject_proposal(session, source_id, proposal_id, by=principal.name)


@router.post("/sources/{source_id}/extract", response_model=schemas.ExtractionRun)
def extract_again(session: SessionDep, principal: ApiEditor, source_id: ItemId) -> schemas.ExtractionRun:
    """Run the extractor on a source again (editors): new proposals join the queue; accepted and
    rejected ones stay decided and are not proposed again."""
    return service.extract_again(session, source_id)
