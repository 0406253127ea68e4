"""JSON-LD routes for ClaimReview: one claim's verdict, and the feed of every verdict."""

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from app.claimreview import schemas, service
from app.urls import SiteDep
from app.web import ItemId, PageDep, SessionDep

router = APIRouter(tags=["formats"])


class JsonLdResponse(JSONResponse):
    media_type = "application/ld+json"


@router.get(
    "/claims/{claim_id}/claimreview",
    response_model=schemas.ClaimReview,
    response_class=JsonLdResponse,
    responses={
        404: {"description": "No such claim, or it has no verdict yet (it is unverified or in review)."}
    },
)
def get_claim_review(session: SessionDep, site: SiteDep, claim_id: ItemId) -> schemas.ClaimReview:
    """A claim's verdict as schema.org ClaimReview (JSON-LD), the document its page embeds."""
    return service.claim_review(session, claim_id, site=site)


NEXT_PAGE_LINK = {
    "Link": {
        "description": 'The next page, when there is one: `<URL>; rel="next"`.',
        "schema": {"type": "string"},
    }
}


@router.get(
    "/claimreview",
    response_model=schemas.ClaimReviewFeed,
    response_class=JsonLdResponse,
    responses={200: {"headers": NEXT_PAGE_LINK}},
)
def claim_review_feed(
    session: SessionDep, site: SiteDep, response: Response, page: PageDep
) -> schemas.ClaimReviewFeed:
    """Every claim with a verdict as a ClaimReview data feed (a schema.org DataFeed, the shape
    fact-check aggregators ingest), in claim id order, a page at a time; the next page is also in the
    `Link` header (rel="next")."""
    feed = service.review_feed(session, page, site=site)
    if feed.next_cursor is not None:
        after = site.url("claim_review_feed", query={"limit": page.limit, "cursor": feed.next_cursor})
        response.headers["Link"] = f'<{after}>; rel="next"'
    return feed
