"""The ASGI application: routers, error handlers, templates and static files."""

import gc
import logging
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.accounts import admin as accounts_admin
from app.accounts import pages as accounts_pages
from app.accounts.auth import SignInRequired, load_principal
from app.actors import api as actors_api
from app.actors import pages as actors_pages
from app.attributions import api as attributions_api
from app.attributions import pages as attributions_pages
from app.audit import api as audit_api
from app.audit import pages as audit_pages
from app.claims import api as claims_api
from app.claims import pages as claims_pages
from app.config import Settings, get_settings
from app.db import WriteGate, check_database, create_db_engine, make_session_factory, unavailable
from app.docs import install_docs
from app.errors import AppError
from app.form_encoding import FormEncodingCheck, refuse_unreadable_form
from app.methods import HeadAsGet, allowed_methods
from app.openapi import install_openapi
from app.search import api as search_api
from app.search import pages as search_pages
from app.security import ClaimtrackAPI, TrustedHosts
from app.sources import api as sources_api
from app.sources import pages as sources_pages
from app.timing import ServerTiming, count_queries
from app.urls import Paths, path_for
from app.verification import api as verification_api
from app.verification import pages as verification_pages
from app.web import current_version_of_changed, page_authentication, render, templates

logger = logging.getLogger("claimtrack")

NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
OPENAPI_URL = "/api/v1/openapi.json"

API_DESCRIPTION = """
claimtrack records, for every claim made in the news, who asserted, confirmed, denied, disputed,
could not verify or declined to comment on it, with the exact quote, the source and the reporting
chain through which the statement reached the source.

Lists are paginated: pass `limit`, and the `next_cursor` of one page as `cursor` to get the next.
`actor` filters accept any name or alias of an actor, under any case, diacritics or transliteration
(`Röpcke`, `Roepcke` and `ropcke` are the same person). Errors are `application/problem+json`.
"""


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Once the server is up: compile every template, then freeze what start-up built.

    Start-up leaves some 115,000 long-lived objects (modules, SQLAlchemy's mappers, FastAPI's routes).
    Python's oldest garbage-collector generation walks all of them on every full collection, which
    held a request up by about 140 ms every few dozen requests (measured; see bench/pages.py).
    `gc.freeze()` moves them out of the collector's sight; they live as long as the process anyway.
    It happens once per process, as the templates are shared by every app: the tests start an app per
    test, and a full collection of their ever larger heap at each start doubled the suite's time.
    """
    if gc.get_freeze_count() == 0:
        for name in templates.env.list_templates(extensions=["html"]):
            templates.env.get_template(name)
        gc.collect()
        gc.freeze()
    yield


def create_app(
    settings: Settings | None = None, session_factory: sessionmaker[Session] | None = None
) -> FastAPI:
    """Build the application; tests pass their own session factory."""
    settings = settings or get_settings()
    app = ClaimtrackAPI(
        title="claimtrack",
        version="0.1.0",
        description=API_DESCRIPTION,
        openapi_url=OPENAPI_URL,
        docs_url=None,  # served by install_docs, without a CDN or an inline script
        redoc_url=None,
        lifespan=lifespan,
        telemetry=None if settings.telemetry else NO_TELEMETRY,
    )
    if session_factory is None:
        session_factory = make_session_factory(
            create_db_engine(settings.database_url, echo=settings.echo_sql, busy_timeout=settings.write_wait)
        )
    app.state.session_factory = session_factory
    bind = session_factory.kw.get("bind")
    if isinstance(bind, Engine | Connection):
        count_queries(bind)
    # Without an engine to ask (never, in practice), the cautious one writer at a time.
    backend = bind.dialect.name if isinstance(bind, Engine | Connection) else "sqlite"
    app.state.write_gate = WriteGate.for_backend(backend, settings.write_wait)

    # The operations endpoints come first, as routes are matched in order and these are asked several
    # times a second by a load balancer or an orchestrator; and they resolve no credentials, which
    # they have no use for (a health check answers whoever asks).
    app.add_route("/livez", livez, methods=["GET"], include_in_schema=False)

    @app.get("/healthz", tags=["operations"])
    def healthz(request: Request) -> dict[str, str]:
        """Answers 200 once the application can reach its database, and 503 with the reason while not."""
        check_database(request.app.state.session_factory)
        return {"status": "ok"}

    install_docs(app, "/docs", openapi_url=OPENAPI_URL)
    install_openapi(app)
    app.mount("/static", StaticFiles(directory=str(settings.static_dir)), name="static")
    # Every other route resolves the request's credentials first, so that pages and error pages
    # know who is signed in, and a bad API token is refused on any route; then refuses a form that
    # is not UTF-8 (see app/form_encoding.py), before its endpoint can store it.
    every_route = [Depends(load_principal), Depends(refuse_unreadable_form)]
    for router in (
        claims_api.router,
        actors_api.router,
        sources_api.router,
        attributions_api.router,
        audit_api.router,
        verification_api.router,
        search_api.router,
    ):
        app.include_router(router, prefix="/api/v1", dependencies=every_route)
    for router in (
        claims_pages.router,
        actors_pages.router,
        sources_pages.router,
        attributions_pages.router,
        accounts_pages.router,
        accounts_admin.router,
        audit_pages.router,
        verification_pages.router,
        search_pages.router,
    ):
        app.include_router(router, dependencies=every_route)

    install_error_handlers(app)
    app.state.paths = Paths.of(app)
    app.add_middleware(FormEncodingCheck)
    app.add_middleware(TrustedHosts, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(ServerTiming)
    if settings.trusted_proxies:
        # Here rather than in uvicorn, which trusts 127.0.0.1 unless told otherwise (`claimtrack
        # serve` turns that off): one setting decides who the client is, under any server and in tests.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.add_middleware(HeadAsGet)  # outermost of these, so that every route and middleware sees a GET
    return app


async def livez(_request: Request) -> Response:
    """Answers 200 while the process serves requests, without touching the database.

    Also the constant endpoint against which the app's cost per request is measured (app/bench/).
    A plain Starlette route, as /docs is: it still goes through every middleware and
    error handler, but with nothing to validate and no dependency to solve, FastAPI's request
    handling would only add its fixed cost (measured in the README's Deployment section).
    """
    return JSONResponse({"status": "ok"})


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in ("/livez", "/healthz")


def problem(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse(
        json_safe({"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}),
        status_code=status,
        media_type="application/problem+json",
        headers=headers,
    )


def _error_page(
    request: Request, status: int, title: str, detail: str, details: dict[str, Any] | None = None
) -> Response:
    template = "errors/404.html" if status == 404 else "errors/error.html"
    context = {
        "status": status,
        "title": title,
        "detail": json_safe(detail),
        "details": json_safe(details or {}),
    }
    return render(request, template, context, status_code=status)


LONE_SURROGATE = (
    "contains a lone surrogate (an escape from \\ud800 to \\udfff without its pair): it is not Unicode "
    "text, and cannot be stored. Send the character itself, or both halves of its surrogate pair."
)


def _validation_message(error: dict[str, Any]) -> dict[str, Any]:
    if error["type"] == "json_invalid":
        # FastAPI reports where the JSON broke as the location; say it in words instead.
        position = error["loc"][-1]
        reason = (error.get("ctx") or {}).get("error", "JSON decode error")
        return {"field": "body", "message": f"not valid JSON: {reason} at character {position}"}
    location = [str(part) for part in error["loc"] if part not in ("query", "path", "body")]
    # A body that is not an object (or whose keys cannot be read) is named as the body.
    field = ".".join(location) or ("body" if error["loc"][:1] == ("body",) else "request")
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "string_unicode":
        # A "\ud800" escape in JSON without its pair: a lone surrogate, which no UTF-8 text can hold.
        message = LONE_SURROGATE
    entry: dict[str, Any] = {"field": field, "message": message, "input": error.get("input")}
    expected = (error.get("ctx") or {}).get("expected")
    if error["type"] == "enum" and expected:
        entry["allowed"] = [value.strip().strip("'") for value in expected.replace(" or ", ", ").split(",")]
    return entry


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    def app_error(request: Request, error: AppError) -> Response:
        headers = dict(error.headers)
        if "retry_after" in error.details:
            headers["Retry-After"] = str(error.details["retry_after"])
        if _wants_json(request):
            return problem(error.status_code, error.title, error.message, headers, **error.details)
        # Only a missing sign-in is sent to the sign-in form: a refused API token would be sent
        # again with the form's own request, and refused there again, for ever.
        if isinstance(error, SignInRequired) and request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(path_for(request, "login_page", query={"next": target}), status_code=303)
        if error.status_code == 401 and "authorization" not in request.headers:
            headers["WWW-Authenticate"] = page_authentication(request)
        response = _error_page(request, error.status_code, error.title, error.message, error.details)
        response.headers.update(headers)
        return response

    @app.exception_handler(StaleDataError)
    def stale(request: Request, error: StaleDataError) -> Response:
        # Two writers read the same version; the other one committed first. Nothing of ours was kept.
        detail = (
            "Someone else changed this meanwhile, and your change was not saved. Reload, then re-apply it."
        )
        current_version = current_version_of_changed(request)
        details: dict[str, Any] = {} if current_version is None else {"current_version": current_version}
        if _wants_json(request):
            return problem(412, "Changed meanwhile", detail, **details)
        return _error_page(request, 412, "Changed meanwhile", detail, details)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError) -> Response:
        errors = [_validation_message(dict(e)) for e in error.errors()]
        detail = "; ".join(
            f"{e['field']}: {e['message']}"
            + (f" (allowed: {', '.join(e['allowed'])})" if "allowed" in e else "")
            for e in errors
        )
        if _wants_json(request):
            return problem(422, "Invalid request", detail, errors=errors)
        return _error_page(request, 422, "Invalid request", detail)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> Response:
        detail = f"Nothing is at {request.url.path}." if error.status_code == 404 else str(error.detail)
        if error.status_code == 400 and detail == "There was an error parsing the body":
            # FastAPI's words when the body is not even text (invalid UTF-8), or a form cannot be parsed.
            detail = (
                "The request body could not be read: send JSON encoded as UTF-8 "
                "(Content-Type: application/json), or a form as the page sends it."
            )
        title = "Not found" if error.status_code == 404 else "Request failed"
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app.router.routes, request.scope))
            title, detail = "Method not allowed", f"{request.url.path} answers {headers['Allow']}."
        if _wants_json(request):
            return problem(error.status_code, title, detail, headers)
        response = _error_page(request, error.status_code, title, detail)
        response.headers.update(headers)
        return response

    @app.exception_handler(Exception)
    def unexpected(request: Request, error: Exception) -> Response:
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        detail = "Something went wrong on our side; nothing was changed. Try again, or report it."
        if _wants_json(request):
            return problem(500, "Internal error", detail)
        return _error_page(request, 500, "Internal error", detail)

    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeoutError)
    def database_error(request: Request, error: Exception) -> Response:
        # A database that is busy (SQLite's write lock, no free connection) or unreachable is a 503
        # that says when to try again; any other database error is ours, a 500.
        gate: WriteGate = request.app.state.write_gate
        refusal = unavailable(error, busy_retry_after=gate.retry_after)
        if refusal is None:
            return unexpected(request, error)
        logger.warning("%s %s: %s", request.method, request.url.path, error)
        return app_error(request, refusal)


def json_safe(value: Any) -> Any:
    """What an error answer echoes, made writable as JSON in UTF-8, whatever the request held.

    A JSON body may carry `NaN`, `Infinity` or `1e400` (Python's parser reads them as floats JSON
    cannot write back: they are echoed as the text that was sent), and "\\ud800" escapes (lone
    surrogates, which UTF-8 cannot encode: echoed as that escape); any other value as its repr.
    """
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {json_safe(str(key)): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return json_safe(repr(value))


app = create_app()
