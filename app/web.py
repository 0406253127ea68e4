"""Shared pieces of the HTTP layer: the session dependency, page parameters, templates."""

from typing import Annotated, Any

from fastapi import Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import AfterValidator, Field
from sqlalchemy.orm import Session

from app.config import get_settings
from app.db import get_session
from app.errors import InvalidInput, PreconditionFailed, PreconditionRequired
from app.pagination import MAX_ID, PageRequest, decode_cursor
from app.text import Text as Text  # re-exported: the pages' text parameters follow the one text rule
from app.text import valid_text
from app.vocabulary import STANCE_HEADINGS, STATUS_INFO, ActorKind, Role, Stance, VerificationStatus

# scope="function": the session commits when the endpoint returns, before the response is sent. With the
# default ("request") FastAPI commits only after sending it, so a browser following a 303 after a sign-in
# or a change could read the database before the commit and see the old state (or not be signed in).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


# Every id a request carries is bounded by what the id columns hold: a larger one is a 422 that names
# it, where the database would fail ("integer out of range" on PostgreSQL, an overflow on SQLite).
IdField = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An id in a JSON body."""
ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="The item's id.")]
IdFilter = Annotated[int, Query(ge=1, le=MAX_ID)]
FormNumber = Annotated[int | None, Form(ge=1, le=MAX_ID)]
"""A whole number in a form (an occurrence, a part), bounded as ids are; empty for none."""
FormVersion = Annotated[int | None, Form(ge=0, le=MAX_ID)]
"""The version an edit form was based on; an older one than the item's (0, say) is a stale form."""
Slug = Annotated[
    str, Path(min_length=1, max_length=120, description="The actor's slug."), AfterValidator(valid_text)
]


# async: it only parses, and a plain `def` dependency costs every request a thread-pool hop.
async def page_request(
    limit: Annotated[int, Query(ge=1, le=200, description="How many items a page holds.")] = 50,
    cursor: Annotated[
        str | None, Query(description="The `next_cursor` of the previous page; omit for the first.")
    ] = None,
) -> PageRequest:
    return PageRequest(limit=limit, after_id=decode_cursor(cursor))


PageDep = Annotated[PageRequest, Depends(page_request)]


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(get_settings().templates_dir))
    templates.env.globals.update(
        Stance=Stance,
        VerificationStatus=VerificationStatus,
        ActorKind=ActorKind,
        STANCE_HEADINGS=STANCE_HEADINGS,
        STATUS_INFO=STATUS_INFO,
        Role=Role,
    )
    return templates


templates = _templates()


# The editors' form fields are taken as they come and checked by the service, so that a refused
# form is shown again with everything the editor typed, and the error beside it.
FormField = Annotated[str, Form()]
CsrfField = Annotated[str | None, Form()]
"""The hidden `csrf_token` of every form that changes something."""


def form_version(value: str, what: str) -> int:
    """The version of the item (`what`: "actor", "source") that an edit form was based on."""
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(
            f"The form does not say which version of the {what} it was based on. Reload the page and "
            "make your change again.",
            details={"field": "version"},
        ) from None


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render a page template; every page gets the request and the signed-in principal, if any."""
    principal = getattr(request.state, "principal", None)
    csrf_token = principal.csrf_token if principal is not None else None
    context = {"principal": principal, "csrf_token": csrf_token, **context}
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def etag(version: int) -> str:
    """The ETag of a versioned object (claims, attributions, actors, sources)."""
    return f'"{version}"'


def require_if_match(request: Request, current_version: int) -> None:
    """Optimistic concurrency: a change must name the version it was based on.

    Missing If-Match is 428; a stale one is 412 with the current version, so the client can re-read.
    """
    header = request.headers.get("if-match")
    if header is None:
        raise PreconditionRequired(
            f"Send an If-Match header with the ETag you read (now {etag(current_version)}), so that "
            "a change made meanwhile by someone else is not overwritten."
        )
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" not in tags and etag(current_version) not in tags:
        raise PreconditionFailed(
            f"It was changed meanwhile: it is now at version {current_version}, and your change was "
            f"based on {header}. Read it again, then re-apply your change.",
            details={"current_version": current_version},
        )
