"""Atom routes: the feeds of an actor's statements, of a claim's statements and verdicts, and of the
claims index under any of its filters. Documented in the OpenAPI document beside the API, and, being
read by programs, their errors are problem+json as the API's are."""

import hashlib
from datetime import UTC
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.claims.filters import FilterDep, chips
from app.feeds import service
from app.feeds.atom import render_atom
from app.urls import SiteDep
from app.web import ItemId, SessionDep, Slug, Text, not_modified

router = APIRouter(tags=["formats"])

ATOM = "application/atom+xml"


class AtomResponse(Response):
    media_type = ATOM


def atom_answer(description: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": description,
            "content": {ATOM: {"schema": {"type": "string"}}},
            "headers": {
                "ETag": {"description": "A tag of the feed's bytes.", "schema": {"type": "string"}},
                "Last-Modified": {"description": "Its newest entry's time.", "schema": {"type": "string"}},
            },
        },
        304: {"description": "Not modified: the copy the reader has (If-None-Match) is current."},
    }


def _atom(request: Request, feed: service.Feed) -> Response:
    """The feed, with an ETag of its bytes and its last update as Last-Modified; 304 Not Modified to a
    reader whose copy is current (If-None-Match), so that polling a quiet feed costs no download."""
    body = render_atom(feed)
    tag = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    unchanged = not_modified(request, tag)
    if unchanged is not None:
        return unchanged
    modified = format_datetime(feed.updated.astimezone(UTC), usegmt=True)
    return AtomResponse(body, headers={"ETag": tag, "Last-Modified": modified})


@router.get(
    "/claims.atom",
    response_class=AtomResponse,
    responses=atom_answer("The newest claims that pass the filters, as an Atom feed."),
)
def claims_feed(
    request: Request,
    session: SessionDep,
    site: SiteDep,
    filter_params: FilterDep,
    q: Annotated[Text | None, Query(max_length=300, description="Words of the claim or a quote.")] = None,
) -> Response:
    """The newest claims of the claims index under the same filters as the page (actor, stance,
    status, contested, source, dates, words), as an Atom feed: the page's address with `.atom`."""
    q = (q or "").strip() or None
    return _atom(
        request,
        service.claims_feed(
            session,
            actor=filter_params.actor,
            filters=filter_params.claim_filters(text=q),
            query=filter_params.query(text=q),
            described="; ".join(chip.label for chip in chips(request.url, filter_params, text=q)),
            site=site,
        ),
    )


@router.get(
    "/claims/{claim_id}/feed.atom",
    response_class=AtomResponse,
    responses={
        **atom_answer("The claim's newest statements and status changes, as an Atom feed."),
        410: {"description": "The claim was deleted."},
    },
)
def claim_feed(request: Request, session: SessionDep, site: SiteDep, claim_id: ItemId) -> Response:
    """A claim's newest statements and changes of its verification status, as an Atom feed."""
    return _atom(request, service.claim_feed(session, claim_id, site=site))


@router.get(
    "/actors/{slug}/feed.atom",
    response_class=AtomResponse,
    responses=atom_answer("The actor's newest statements, as an Atom feed."),
)
def actor_feed(request: Request, session: SessionDep, site: SiteDep, slug: Slug) -> Response:
    """An actor's newest statements, with their quotes and sources, as an Atom feed."""
    return _atom(request, service.actor_feed(session, slug, site=site))
