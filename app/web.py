"""Shared pieces of the HTTP layer: the session dependency, page parameters, templates, conditional
requests, and the submission of an edit form."""

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Protocol, TypeVar

import anyio
import sqlalchemy
from fastapi import Depends, Form, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from sqlalchemy.orm import Session, sessionmaker

from app.audit.service import ChangedMeanwhile, changed_since
from app.config import get_settings
from app.db import WriteGate, begin_write
from app.errors import (
    AppError,
    Conflict,
    InvalidInput,
    PreconditionFailed,
    PreconditionRequired,
    changed_since_form,
)
from app.pagination import CURSOR_PATTERN, MAX_ID, PageRequest, decode_cursor
from app.text import Text as Text  # re-exported: the pages' text parameters follow the one text rule
from app.text import valid_text
from app.urls import nav_section, path_for, template_path_for
from app.vocabulary import STANCE_HEADINGS, STATUS_INFO, ActorKind, Role, Stance, VerificationStatus

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, committed on success and rolled back on any error, here and only here.

    An async generator, so that a request that never touches its session (a liveness check, an
    anonymous principal) costs no thread-pool hop: creating and closing an unused Session does no I/O.
    What does I/O (BEGIN of a write, COMMIT, ROLLBACK) runs in a worker thread, never on the event loop.
    A request that may write first waits for its turn to write (`WriteGate`).
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    writes = request.method not in SAFE_METHODS
    async with _write_turn(request) if writes else nullcontext():
        session = factory()
        try:
            if writes:
                # Take SQLite's write lock before the first read (the principal's), so that a second
                # writer waits its turn instead of failing mid-request.
                await run_in_threadpool(begin_write, session)
            yield session
            if _touched(session):
                await _in_own_thread(session.commit)
        except BaseException:
            # FastAPI shields a dependency's exit from cancellation, so the rollback runs to its end.
            if _touched(session):
                await _in_own_thread(session.rollback)
            raise
        finally:
            session.close()


def _write_turn(request: Request) -> AbstractAsyncContextManager[None]:
    gate: WriteGate | None = getattr(request.app.state, "write_gate", None)
    return gate.turn() if gate is not None else nullcontext()


def _touched(session: Session) -> bool:
    """Has the request begun a transaction or added anything? An untouched session has nothing to end."""
    return session.in_transaction() or bool(session.new) or bool(session.deleted) or bool(session.dirty)


async def _in_own_thread(end_transaction: Callable[[], None]) -> None:
    # Outside the shared thread limiter, as FastAPI runs a sync dependency's exit: a request holding a
    # pooled connection must not wait for a thread that waits for a connection.
    await anyio.to_thread.run_sync(end_transaction, limiter=anyio.CapacityLimiter(1))


# scope="function": the session commits when the endpoint returns, before the response is sent. With the
# default ("request") FastAPI commits only after sending it, so a browser following a 303 after a sign-in
# or a change could read the database before the commit and see the old state (or not be signed in).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


# async: it only hands the factory on, and a plain `def` dependency costs every request a thread-pool hop.
async def get_session_factory(request: Request) -> sessionmaker[Session]:
    """The app's session factory, for a response that reads after its endpoint has returned (a
    streamed export opens a session of its own for as long as its body is being sent)."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]


# Every id a request carries is bounded by what the id columns hold: a larger one is a 422 that names
# it, where the database would fail ("integer out of range" on PostgreSQL, an overflow on SQLite).
def _written_as_a_day(value: object) -> object:
    # Pydantic would also take a number (`0`, `1.5e9`) as seconds since 1970; a day here is written as one.
    if not isinstance(value, str) or re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) is None:
        raise ValueError("must be a day written YYYY-MM-DD, such as 2022-04-01")
    return value


Day = Annotated[date, BeforeValidator(_written_as_a_day)]
"""A day in a query parameter: YYYY-MM-DD and nothing else."""
ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="The item's id.")]
IdFilter = Annotated[int, Query(ge=1, le=MAX_ID)]
FormNumber = Annotated[int | None, Form(ge=1, le=MAX_ID)]
"""A whole number in a form (an occurrence, a part), bounded as ids are; empty for none."""
Slug = Annotated[
    str, Path(min_length=1, max_length=120, description="The actor's slug."), AfterValidator(valid_text)
]


# The pattern is documented, and checked by decode_cursor, which says in words what is wrong.
Cursor = Annotated[str, WithJsonSchema({"type": "string", "pattern": CURSOR_PATTERN})]
CursorQuery = Annotated[
    Cursor | None, Query(description="The `next_cursor` of the previous page; omit for the first.")
]


# async: it only parses, and a plain `def` dependency costs every request a thread-pool hop.
async def page_request(
    limit: Annotated[int, Query(ge=1, le=200, description="How many items a page holds.")] = 50,
    cursor: CursorQuery = None,
) -> PageRequest:
    return PageRequest(limit=limit, after_id=decode_cursor(cursor))


PageDep = Annotated[PageRequest, Depends(page_request)]


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(get_settings().templates_dir))
    # Starlette's `url_for` gives absolute URLs, from the request's Host header: links are paths.
    del templates.env.globals["url_for"]
    templates.env.globals.update(
        path_for=template_path_for,
        nav_section=nav_section,
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


FormVersion = Annotated[int | None, Form(ge=0, le=MAX_ID)]
"""The hidden `version` of an edit or delete form: the version of the item the form was based on; empty
or missing in a form that lost it (`form_version` says so), and bounded as ids are."""


def form_version(value: int | None, what: str) -> int:
    """The version of the item (`what`: "actor", "claim") that an edit or delete form was based on."""
    if value is None:
        raise InvalidInput(
            f"The form does not say which version of the {what} it was based on. Reload the page and "
            "make your change again.",
            details={"field": "version"},
        )
    return value


class VersionedRow(Protocol):
    __tablename__: Any

    @property
    def id(self) -> int: ...

    @property
    def version(self) -> int: ...


class StaleForm(Conflict):
    """An edit form based on an older version of its item than the current one: nothing was saved.
    `meanwhile` says who changed which of the compared fields since; the page shows the form again."""

    def __init__(self, what: str, based_on: int, current_version: int, meanwhile: ChangedMeanwhile) -> None:
        super().__init__(
            f"Not saved: {', '.join(meanwhile.by) or 'someone'} changed this {what} after you opened the "
            f"form (it is now at version {current_version}). Compare with the current {what} below; "
            "submit again to save your version.",
            details={"current_version": current_version},
        )
        self.based_on = based_on
        self.current_version = current_version
        self.meanwhile = meanwhile


def check_form_version(
    session: Session,
    item: VersionedRow,
    version: int | None,
    *,
    what: str,
    compared: Callable[[], dict[str, Any]] = dict,
) -> None:
    """Refuse a form without its version (InvalidInput), or based on an older one (StaleForm, with what
    changed meanwhile in the fields `compared` returns, read from the audit log)."""
    based_on = form_version(version, what)
    if based_on != item.version:
        meanwhile = changed_since(session, item.__tablename__, item.id, based_on, compared())
        raise StaleForm(what, based_on, item.version, meanwhile)


def check_delete_form(item: VersionedRow, version: int | None, *, what: str) -> None:
    """Refuse a form that acts without showing the item again (a delete) when it has no version
    (InvalidInput) or an older one than the item's (412, saying to look again)."""
    based_on = form_version(version, what)
    if based_on != item.version:
        raise changed_since_form(f"{what} {item.id}", item.version, based_on)


def submit_form(
    session: Session,
    item: VersionedRow,
    version: int | None,
    *,
    what: str,
    save: Callable[[], Response],
    form: Callable[[AppError], HTMLResponse],
    compared: Callable[[], dict[str, Any]] = dict,
) -> Response:
    """An edit form sent: `save` when it is based on the item's current version, its answer returned.
    Else, and when `save` refuses the input, the page's `form` shows the form again with what was typed
    and the error, under the error's status: 409 with a StaleForm when someone changed the item
    meanwhile (resubmitting it saves it), 422 without a version, the service's status otherwise.

    `save` must check everything before it writes (services do), as nothing is rolled back here.
    """
    try:
        check_form_version(session, item, version, what=what, compared=compared)
        return save()
    except AppError as error:
        response = form(error)
        response.status_code = error.status_code
        return response


# A 401 must say how to authenticate (RFC 9110 §15.5.2). Pages sign in with a form and a cookie, which no
# registered scheme describes: this is the "Cookie" scheme of draft-broyer-http-cookie-auth, which browsers
# do not act on (unlike Basic, they show no password dialog).
def page_authentication(request: Request) -> str:
    """The WWW-Authenticate of a page's 401: sign in with the form of the sign-in page."""
    return f'Cookie realm="claimtrack", form-action="{path_for(request, "login")}"'


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render a page template; every page gets the request and the signed-in principal, if any."""
    principal = getattr(request.state, "principal", None)
    csrf_token = principal.csrf_token if principal is not None else None
    context = {"principal": principal, "csrf_token": csrf_token, **context}
    return templates.TemplateResponse(request, template, context, status_code=status_code)


ETAG_PATTERN = r'^(\*|(W/)?"[0-9]+")(, *(W/)?"[0-9]+")*$'
"""What an If-Match header holds here: `*`, or entity tags (`"3"`, or a weak `W/"3"`, which never matches)."""


def etag(version: int) -> str:
    """The ETag of a versioned object (claims, attributions, actors, sources)."""
    return f'"{version}"'


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


VersionedT = TypeVar("VersionedT", bound=Versioned)
ItemT = TypeVar("ItemT", bound=Versioned)

_CHANGING = "claimtrack_changing"


def tagged(response: Response, item: VersionedT) -> VersionedT:
    """The item, its ETag set on the response (a new item's, or a changed item's new one)."""
    response.headers["ETag"] = etag(item.version)
    return item


def _entity_tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def not_modified(request: Request, tag: str) -> Response | None:
    """304 Not Modified when the client's copy is current: If-None-Match names `tag` (compared weakly,
    RFC 9110 §13.1.2) or `*`; None when the answer is to be sent."""
    header = request.headers.get("if-none-match")
    if header is not None:
        tags = {given.removeprefix("W/") for given in _entity_tags(header)}
        if "*" in tags or tag in tags:
            return Response(status_code=304, headers={"ETag": tag})
    return None


@dataclass(frozen=True)
class Conditions:
    """Conditional requests on one versioned item (RFC 9110 §13): its ETag out; If-Match on a change,
    compared strongly; If-None-Match on a read, compared weakly. Every single-item route uses it."""

    request: Request
    response: Response

    def tagged(self, item: VersionedT) -> VersionedT:
        """The item, its ETag set on the response."""
        return tagged(self.response, item)

    def read(self, item: VersionedT) -> VersionedT | Response:
        """The item with its ETag, or 304 Not Modified when the client's copy (If-None-Match) is current."""
        unchanged = not_modified(self.request, etag(item.version))
        return unchanged if unchanged is not None else self.tagged(item)

    def require(self, item: Versioned, *, required: bool = True) -> None:
        """Optimistic concurrency: a change must name the version of the ORM `item` it was based on.

        Missing If-Match is 428 (unless not `required`); a stale or weak one is 412 with the current
        version, so the client can re-read. The item is remembered: should another writer commit between
        this check and the write (the version no longer matches at UPDATE), the 412 still says which
        version is current.
        """
        current_version = item.version
        setattr(self.request.state, _CHANGING, (type(item), sqlalchemy.inspect(item).identity))
        header = self.request.headers.get("if-match")
        if header is None:
            if not required:
                return
            raise PreconditionRequired(
                f"Send an If-Match header with the ETag you read (now {etag(current_version)}), so that "
                "a change made meanwhile by someone else is not overwritten.",
                details={"current_version": current_version},
            )
        # Strong comparison (RFC 9110 §13.1.1): a weak tag never matches.
        tags = set(_entity_tags(header))
        if "*" not in tags and etag(current_version) not in tags:
            raise PreconditionFailed(
                f"It was changed meanwhile: it is now at version {current_version}, and your change was "
                f"based on {header}. Read it again, then re-apply your change.",
                details={"current_version": current_version},
            )

    def change(
        self,
        item: ItemT,
        write: Callable[[ItemT], object],
        answer: Callable[[ItemT], VersionedT],
        *,
        required: bool = True,
    ) -> VersionedT:
        """The API's change of one ORM `item`: If-Match checked (see `require`), `write` applied (the
        service, which flushes), and `answer` (the item read again) returned with its new ETag."""
        self.require(item, required=required)
        write(item)
        return self.tagged(answer(item))

    def delete(self, item: ItemT, write: Callable[[ItemT], object]) -> Response:
        """The API's deletion of one ORM `item`: If-Match checked, `write` applied; 204 with the ETag
        of the version it leaves (a restore may name it)."""
        self.require(item)
        write(item)
        return Response(status_code=204, headers={"ETag": etag(item.version)})


def current_version_of_changed(request: Request) -> int | None:
    """The committed version of the item this request set out to change, read in a new transaction
    (its own was rolled back): after a lost race, what the client must re-read."""
    changing = getattr(request.state, _CHANGING, None)
    if changing is None:
        return None
    model, identity = changing
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        item = session.get(model, identity)
        return None if item is None else int(item.version)


IF_NONE_MATCH = "The ETag of the copy you hold: 304 Not Modified, without a body, when it is still current."
IF_MATCH = (
    "The ETag you read (as `ETag` answered it). Without it 428; when it is not the current one (or weak), "
    "412 with `current_version`."
)


# async: they only hand the request on, and a plain `def` dependency costs every request a thread-pool hop.
async def read_conditions(
    request: Request,
    response: Response,
    _if_none_match: Annotated[str | None, Header(alias="If-None-Match", description=IF_NONE_MATCH)] = None,
) -> Conditions:
    return Conditions(request, response)


async def change_conditions(
    request: Request,
    response: Response,
    _if_match: Annotated[
        str | None,
        Header(alias="If-Match", description=IF_MATCH, json_schema_extra={"pattern": ETAG_PATTERN}),
    ] = None,
) -> Conditions:
    return Conditions(request, response)


async def optional_change_conditions(
    request: Request,
    response: Response,
    _if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description="The ETag you read; checked when sent (412 with `current_version` when stale).",
            json_schema_extra={"pattern": ETAG_PATTERN},
        ),
    ] = None,
) -> Conditions:
    return Conditions(request, response)


ReadConditions = Annotated[Conditions, Depends(read_conditions)]
"""A single-item read: its ETag, and 304 for If-None-Match."""
ChangeConditions = Annotated[Conditions, Depends(change_conditions)]
"""A change of one item: If-Match is required (428 without it)."""
OptionalChangeConditions = Annotated[Conditions, Depends(optional_change_conditions)]
"""A change of one item for which If-Match is checked when sent (a restore)."""
