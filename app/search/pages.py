"""The search page: one box on every page leads here."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.claims.filters import FilterDep, chips
from app.search import service
from app.search.api import PositionDep
from app.urls import PathsDep
from app.web import SessionDep, Text, render

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    paths: PathsDep,
    page: PositionDep,
    filter_params: FilterDep,
    q: Annotated[Text | None, Query(max_length=service.MAX_QUERY_CHARS)] = None,
) -> HTMLResponse:
    """Results for the words typed in the search box, best first, with the filters of the claims index."""
    query = service.parse_query(q)
    filters = filter_params.claim_filters() if filter_params.active else None
    results = service.search(
        session, query, paths=paths, actor=filter_params.actor, filters=filters, page=page
    )
    return render(
        request,
        "search/index.html",
        {
            "query": query,
            "results": results,
            "filters": filter_params,
            "chips": chips(request.url, filter_params),
            "filtered": filter_params.active,
            "paged": page.after is not None,
        },
    )
