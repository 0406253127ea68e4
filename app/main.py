"""The ASGI application: routers, error handlers, templates and static files."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.accounts import admin as accounts_admin
from app.accounts import pages as accounts_pages
from app.accounts.auth import load_principal
from app.actors import api as actors_api
from app.actors import pages as actors_pages
from app.annotations import api as annotations_api
from app.attributions import api as attributions_api
from app.attributions import pages as attributions_pages
from app.audit_log import api as audit_api
from app.audit_log import pages as audit_pages
from app.claimreview import api as claimreview_api
from app.claims import api as claims_api
from app.claims import pages as claims_pages
from app.config import Settings, get_settings
from app.db import WriteGate, check_database, create_db_engine, make_session_factory
from app.derived import keep_derived_tables_current
from app.docs import install_docs
from app.errors import install_error_handlers
from app.exports import api as exports_api
from app.feeds import pages as feeds_pages
from app.form_encoding import FormEncodingCheck, refuse_unreadable_form
from app.methods import HeadAsGet
from app.openapi import install_openapi
from app.proposals import api as proposals_api
from app.proposals import pages as proposals_pages
from app.prov import api as prov_api
from app.search import api as search_api
from app.search import pages as search_pages
from app.security import ClaimtrackAPI, TrustedHosts
from app.sources import api as sources_api
from app.sources import pages as sources_pages
from app.timing import ServerTiming, count_queries
from app.urls import Paths, PublicSite
from app.verification import api as verification_api
from app.verification import pages as verification_pages
from app.web import templates

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
    keep_derived_tables_current()
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
        exports_api.router,
        claims_api.router,
        actors_api.router,
        sources_api.router,
        attributions_api.router,
        audit_api.router,
        verification_api.router,
        proposals_api.router,
        search_api.router,
        annotations_api.router,
        prov_api.router,
        claimreview_api.router,
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
        proposals_pages.router,
        search_pages.router,
        feeds_pages.router,
    ):
        app.include_router(router, dependencies=every_route)

    install_error_handlers(app)
    app.state.paths = Paths.of(app)
    app.state.site = PublicSite(
        app.state.paths,
        base_url=settings.public_url,
        reviewer_name=settings.reviewer_name,
        reviewer_url=settings.reviewer_home,
    )
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


app = create_app()
