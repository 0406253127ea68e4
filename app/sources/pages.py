"""HTML pages for sources: the index, and one source's full text with every attributed span marked."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.highlight import highlight
from app.sources import service
from app.web import ItemId, PageDep, SessionDep, render

router = APIRouter(include_in_schema=False)


@router.get("/sources", response_class=HTMLResponse)
def sources_index(request: Request, session: SessionDep, page: PageDep) -> HTMLResponse:
    """Every source with its outlet, date and how many statements it carries."""
    sources = service.list_sources(session, outlet=None, page=page)
    return render(request, "sources/index.html", {"sources": sources, "paged": page.after_id is not None})


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, session: SessionDep, source_id: ItemId) -> HTMLResponse:
    """A source's metadata and full text, each attributed span highlighted and linked to its claim."""
    source = service.get_source(session, source_id)
    return render(
        request,
        "sources/detail.html",
        {"source": source, "highlighted": highlight(source.text, source.attributions)},
    )
