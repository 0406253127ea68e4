"""JSON-LD routes: statements as W3C Web Annotations."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from app.annotations import schemas, service
from app.pagination import PageRequest, decode_cursor
from app.urls import PublicUrlsDep
from app.web import CursorQuery, ItemId, SessionDep

router = APIRouter(tags=["annotations"])


class AnnotationResponse(JSONResponse):
    media_type = schemas.ANNOTATION_MEDIA_TYPE


@router.get(
    "/attributions/{attribution_id}/annotation",
    response_model=schemas.Annotation,
    response_model_exclude_none=True,
    response_class=AnnotationResponse,
    responses={200: {"description": "The statement as a W3C Web Annotation, in JSON-LD."}},
)
def get_attribution_annotation(
    session: SessionDep, urls: PublicUrlsDep, attribution_id: ItemId
) -> schemas.Annotation:
    """A statement as a W3C Web Annotation (JSON-LD): its source as the target, with the quote's
    TextQuoteSelector and TextPositionSelector; the body says the actor, the stance and the claim."""
    return service.attribution_annotation(session, attribution_id, urls=urls)


@router.get(
    "/sources/{source_id}/annotations",
    response_model=schemas.AnnotationCollection | schemas.AnnotationPage,
    response_model_exclude_none=True,
    response_class=AnnotationResponse,
    responses={
        200: {
            "description": "Without `cursor`, the AnnotationCollection with its first page embedded; with "
            "`cursor`, that AnnotationPage (JSON-LD)."
        }
    },
)
def list_source_annotations(
    session: SessionDep,
    urls: PublicUrlsDep,
    source_id: ItemId,
    limit: Annotated[int, Query(ge=1, le=200, description="How many annotations a page holds.")] = 50,
    cursor: CursorQuery = None,
) -> schemas.AnnotationCollection | schemas.AnnotationPage:
    """A source's statements as a W3C AnnotationCollection (JSON-LD) with `total` and its first page
    embedded; with `cursor` (a page's `next` carries it; empty for the first page), that
    AnnotationPage alone."""
    page = PageRequest(limit=limit, after_id=decode_cursor(cursor))
    return service.source_annotations(session, source_id, page, paged=cursor is not None, urls=urls)
