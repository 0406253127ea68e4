"""JSON route for search."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.claims.schemas import ClaimFilters
from app.errors import InvalidInput
from app.pagination import PositionRequest, decode_position
from app.search import service
from app.search.schemas import POSITION_SIZE, SearchPage
from app.urls import PathsDep
from app.vocabulary import Stance, VerificationStatus
from app.web import Day, IdFilter, SessionDep, Text

router = APIRouter(tags=["search"])


# async: it only parses, and a plain `def` dependency costs every request a thread-pool hop.
async def position_request(
    limit: Annotated[int, Query(ge=1, le=200, description="How many results a page holds.")] = 20,
    cursor: Annotated[
        str | None, Query(description="The `next_cursor` of the previous page; omit for the first.")
    ] = None,
) -> PositionRequest:
    return PositionRequest(limit=limit, after=decode_position(cursor, POSITION_SIZE))


PositionDep = Annotated[PositionRequest, Depends(position_request)]


@router.get("/search", response_model=SearchPage)
def search(
    session: SessionDep,
    paths: PathsDep,
    page: PositionDep,
    q: Annotated[
        Text,
        Query(
            description="Words to find in claims, quotes, actors' names and aliases, and source titles; "
            "case, accents and transliteration do not matter (`ropcke` finds Röpcke). Plain words only: "
            "punctuation and operators separate words.",
            max_length=service.MAX_QUERY_CHARS,
        ),
    ],
    actor: Annotated[
        Text | None, Query(description="Any name or alias of an actor, under any spelling.", max_length=300)
    ] = None,
    stance: Annotated[Stance | None, Query(description="Statements with this stance.")] = None,
    status: Annotated[VerificationStatus | None, Query(description="Claims with this status.")] = None,
    contested: Annotated[bool | None, Query(description="Only contested claims (true) or others.")] = None,
    source: Annotated[IdFilter | None, Query(description="Statements in this source (id).")] = None,
    date_from: Annotated[Day | None, Query(description="In sources published on or after.")] = None,
    date_to: Annotated[Day | None, Query(description="In sources published on or before.")] = None,
) -> SearchPage:
    """Search claims, statements, actors and sources at once, best matches first.

    The filters narrow the results as they narrow the claims list: a claim must pass them as a
    claim; a statement must itself have the actor, stance, source and date, and its claim the status;
    an actor or a source must have such a statement.
    """
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInput(f"date_from ({date_from}) is after date_to ({date_to}): swap them.")
    filters = ClaimFilters(
        stance=stance,
        status=status,
        contested=contested,
        source_id=source,
        date_from=date_from,
        date_to=date_to,
    )
    active = any(value is not None for value in (stance, status, contested, source, date_from, date_to))
    actor = (actor or "").strip() or None
    return service.search(
        session,
        service.parse_query(q),
        paths=paths,
        actor=actor,
        filters=filters if active else None,
        page=page,
    )
