"""JSON routes for attributions."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from app.accounts.auth import ApiAdmin, ApiEditor
from app.attributions import schemas, service
from app.fulltext.words import filter_words
from app.openapi import conflict
from app.schemas import Page
from app.statements.schemas import Attribution
from app.urls import PathsDep
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
    tagged,
)

router = APIRouter(tags=["attributions"])


# async: it only parses, and a plain `def` dependency costs every request a thread-pool hop.
async def attribution_query(
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
) -> schemas.AttributionQuery:
    """The filters of `GET /attributions` and of its bulk exports (app/exports)."""
    return schemas.AttributionQuery(
        actor=actor,
        actor_id=actor_id,
        relayed_by=relayed_by,
        stance=stance,
        source_id=source,
        claim_id=claim,
        status=status,
        words=filter_words("q", q),
    )


AttributionQueryDep = Annotated[schemas.AttributionQuery, Depends(attribution_query)]


@router.get("/attributions", response_model=Page[Attribution])
def list_attributions(session: SessionDep, page: PageDep, query: AttributionQueryDep) -> Page[Attribution]:
    """List statements: actor, stance, quote with its offsets, medium, reporting chain, claim and source.

    The filters combine: `actor=Kuleba&status=unconfirmed&q=helicopters`.
    """
    return service.list_attributions(session, page=page, query=query)


@router.get("/attributions/{attribution_id}", response_model=Attribution)
def get_attribution(
    session: SessionDep, conditions: ReadConditions, attribution_id: ItemId
) -> Attribution | Response:
    """One statement with its quote, reporting chain, actor, claim and source; its ETag for changes."""
    return conditions.read(service.get_attribution(session, attribution_id))


# Writing: editors, with an API token; every change names the version it read (If-Match).


@router.post(
    "/attributions",
    response_model=Attribution,
    status_code=201,
    responses=conflict("This statement is recorded already."),
)
def create_attribution(
    session: SessionDep,
    paths: PathsDep,
    response: Response,
    principal: ApiEditor,
    body: schemas.AttributionCreate,
) -> Attribution:
    """Attribute a statement: 422 when the quote is not verbatim in the source or appears several
    times without an `occurrence` (the occurrences are listed), 409 when it is recorded already."""
    attribution = service.create_attribution(session, body, by=principal.name)
    response.headers["Location"] = paths("get_attribution", attribution_id=attribution.id)
    return tagged(response, service.changed_attribution(session, attribution.id))


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
    return conditions.change(
        service.attribution_for_change(session, attribution_id),
        lambda attribution: service.update_attribution(session, attribution, body, by=principal.name),
        lambda attribution: service.changed_attribution(session, attribution.id),
    )


@router.delete("/attributions/{attribution_id}", status_code=204)
def delete_attribution(
    session: SessionDep, conditions: ChangeConditions, principal: ApiEditor, attribution_id: ItemId
) -> Response:
    """Delete a statement (an administrator can restore it); needs `If-Match` with its ETag."""
    return conditions.delete(
        service.attribution_for_change(session, attribution_id),
        lambda attribution: service.delete_attribution(session, attribution, by=principal.name),
    )


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
    return conditions.change(
        service.attribution_for_change(session, attribution_id, deleted=True),
        lambda attribution: service.restore_attribution(session, attribution, by=principal.name),
        lambda attribution: service.changed_attribution(session, attribution.id),
        required=False,
    )
