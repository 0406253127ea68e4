"""JSON routes for attributions."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from app.accounts.auth import ApiAdmin, ApiEditor
from app.actors.service import resolve_actor
from app.attributions import schemas, service
from app.openapi import conflict
from app.schemas import Page
from app.search.fulltext import filter_words
from app.statements.repository import AttributionFilters
from app.statements.schemas import Attribution
from app.vocabulary import Stance, VerificationStatus
from app.web import (
    ChangeConditions,
    IdFilter,
    ItemId,
    OptionalChangeConditions,
    PageDep,
    ReadConditions,
    SessionDep,
    Text,
    etag,
    tagged,
)

router = APIRouter(tags=["attributions"])


@router.get("/attributions", response_model=Page[Attribution])
def list_attributions(
    session: SessionDep,
    page: PageDep,
    actor: Annotated[
        Text | None, Query(description="Any name or alias of an actor, under any spelling.", max_length=300)
    ] = None,
    actor_id: Annotated[IdFilter | None, Query(description="An actor's id.")] = None,
    relayed_by: Annotated[
        IdFilter | None,
        Query(description="An actor's id: statements whose reporting chain passes through this actor."),
    ] = None,
    stance: Stance | None = None,
    source: Annotated[IdFilter | None, Query(description="A source id.")] = None,
    claim: Annotated[IdFilter | None, Query(description="A claim id.")] = None,
    status: Annotated[
        VerificationStatus | None, Query(description="The verification status of the statement's claim.")
    ] = None,
    q: Annotated[
        Text | None,
        Query(
            description="Words in the quote, each matching the start of a word, in any case and with or "
            "without accents: `helicop` matches “helicopters”.",
            max_length=300,
        ),
    ] = None,
) -> Page[Attribution]:
    """List statements: actor, stance, quote with its offsets, medium, reporting chain, claim and source.

    The filters combine: `actor=Kuleba&status=unconfirmed&q=helicopters`.
    """
    filters = AttributionFilters(
        actor_ids=[actor_id] if actor_id is not None else None,
        relayed_by=relayed_by,
        stance=stance,
        source_id=source,
        claim_id=claim,
        status=status,
        words=filter_words("q", q),
    )
    return service.list_attributions(session, actor=actor, filters=filters, page=page)


@router.get("/attributions/{attribution_id}", response_model=Attribution)
def get_attribution(
    session: SessionDep, conditions: ReadConditions, attribution_id: ItemId
) -> Attribution | Response:
    """One statement with its quote, reporting chain, actor, claim and source; its ETag for changes."""
    return conditions.read(service.get_attribution(session, attribution_id))


# Writing: editors, with an API token; every change names the version it read (If-Match).


def _chain(session: Session, steps: list[schemas.ReportingStepInput]) -> list[service.ChainStep]:
    return [
        service.ChainStep(
            actor_id=resolve_actor(session, step.actor, field_name=f"via[{position}].actor").id,
            medium=step.medium,
        )
        for position, step in enumerate(steps)
    ]


def _answer(session: Session, response: Response, attribution_id: int) -> Attribution:
    return tagged(response, service.changed_attribution(session, attribution_id))


@router.post(
    "/attributions",
    response_model=Attribution,
    status_code=201,
    responses=conflict("This statement is recorded already."),
)
def create_attribution(
    session: SessionDep, response: Response, principal: ApiEditor, body: schemas.AttributionCreate
) -> Attribution:
    """Attribute a statement: 422 when the quote is not verbatim in the source or appears several
    times without an `occurrence` (the occurrences are listed), 409 when it is recorded already."""
    attribution_input = service.AttributionInput(
        claim=service.statement_claim(session, body.claim_id),
        actor=resolve_actor(session, body.actor),
        source=service.statement_source(session, body.source_id),
        stance=body.stance,
        quote=body.quote,
        quote_start=body.quote_start,
        quote_end=body.quote_end,
        occurrence=body.occurrence,
        medium=body.medium,
        note=body.note,
        via=_chain(session, body.via),
    )
    attribution = service.create_attribution(session, attribution_input, by=principal.name)
    response.headers["Location"] = f"/api/v1/attributions/{attribution.id}"
    return _answer(session, response, attribution.id)


@router.patch(
    "/attributions/{attribution_id}",
    response_model=Attribution,
    responses=conflict("With this change it would be a statement recorded already."),
)
def update_attribution(
    session: SessionDep,
    conditions: ChangeConditions,
    principal: ApiEditor,
    attribution_id: ItemId,
    body: schemas.AttributionUpdate,
) -> Attribution:
    """Change a statement (only the fields sent); needs `If-Match` with its ETag."""
    attribution = service.attribution_for_change(session, attribution_id)
    conditions.require(attribution)
    sent = body.model_fields_set
    change = service.AttributionChange(
        stance=body.stance,
        claim=service.statement_claim(session, body.claim_id) if body.claim_id is not None else None,
        medium=body.medium,
        note=body.note,
        via=_chain(session, body.via) if body.via is not None else None,
        quote=body.quote,
        quote_start=body.quote_start,
        quote_end=body.quote_end,
        occurrence=body.occurrence,
        clear=frozenset(name for name in ("medium", "note") if name in sent and getattr(body, name) is None),
    )
    service.update_attribution(session, attribution, change, by=principal.name)
    return _answer(session, conditions.response, attribution.id)


@router.delete("/attributions/{attribution_id}", status_code=204)
def delete_attribution(
    session: SessionDep, conditions: ChangeConditions, principal: ApiEditor, attribution_id: ItemId
) -> Response:
    """Delete a statement (an administrator can restore it); needs `If-Match` with its ETag."""
    attribution = service.attribution_for_change(session, attribution_id)
    conditions.require(attribution)
    service.delete_attribution(session, attribution, by=principal.name)
    return Response(status_code=204, headers={"ETag": etag(attribution.version)})


@router.post(
    "/attributions/{attribution_id}/restore",
    response_model=Attribution,
    responses=conflict("The statement is not deleted."),
)
def restore_attribution(
    session: SessionDep,
    conditions: OptionalChangeConditions,
    principal: ApiAdmin,
    attribution_id: ItemId,
) -> Attribution:
    """Restore a deleted statement (administrators); `If-Match` is checked when sent."""
    attribution = service.attribution_for_change(session, attribution_id, deleted=True)
    conditions.require(attribution, required=False)
    service.restore_attribution(session, attribution, by=principal.name)
    return _answer(session, conditions.response, attribution.id)
