"""HTML route for browsing the audit log (editors and admins); there is no route that changes it."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.accounts.auth import Editor
from app.audit_log import service
from app.audit_log.api import AuditFiltersDep
from app.urls import PathsDep
from app.web import PageDep, SessionDep, render

router = APIRouter(include_in_schema=False)


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    session: SessionDep,
    paths: PathsDep,
    _principal: Editor,
    filters: AuditFiltersDep,
    page: PageDep,
) -> HTMLResponse:
    """Every change made through the product, newest first, filtered by user, object, action and days."""
    records = service.list_records(session, filters, page, paths=paths)
    return render(
        request,
        "audit/index.html",
        {
            "records": records,
            "filters": filters,
            "form": {
                "user": request.query_params.get("user", ""),
                "object_type": request.query_params.get("object_type", ""),
                "object_id": request.query_params.get("object_id", ""),
                "action": request.query_params.get("action", ""),
                "from": request.query_params.get("from", ""),
                "to": request.query_params.get("to", ""),
            },
            "choices": service.filter_choices(),
            "filtered": filters.active,
            "paged": page.after_id is not None,
        },
    )
