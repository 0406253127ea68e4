"""`Server-Timing` on every response: how long the application took to start answering, and how
many database queries it ran for the answer, in how long.

`app;dur=…` is measured from the moment the request reaches the application to the moment its
response headers leave it, so it is the server's own time (routing, database, templates), without the
network or the client. `db;dur=…;desc="N queries"` is the part of it spent in the database, and how
many statements that took (absent when there were none). Browsers show both in their developer tools;
`claimtrack bench run` reads them to report each page's queries beside its time.

A pure ASGI middleware: it adds one header and never reads or buffers a body. The queries are counted
by listeners on the engine (`count_queries`) into a tally that the middleware puts in a context
variable, which follows the request into the worker threads its database work runs in.
"""

import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class QueryTally:
    queries: int = 0
    seconds: float = 0.0


_tally: ContextVar[QueryTally | None] = ContextVar("claimtrack_query_tally", default=None)
_STARTED = "claimtrack_query_started"


def _started(connection: Connection, *_args: Any) -> None:
    connection.info[_STARTED] = time.perf_counter()


def _finished(connection: Connection, *_args: Any) -> None:
    tally = _tally.get()
    began = connection.info.pop(_STARTED, None)
    if tally is not None and began is not None:
        tally.queries += 1
        tally.seconds += time.perf_counter() - began


def count_queries(bind: Engine | Connection) -> None:
    """Tally every statement run through `bind` into the current request's Server-Timing (once per
    bind, however many apps share it)."""
    if not event.contains(bind, "before_cursor_execute", _started):
        event.listen(bind, "before_cursor_execute", _started)
        event.listen(bind, "after_cursor_execute", _finished)


def timing_header(elapsed_s: float, tally: QueryTally) -> bytes:
    value = f"app;dur={elapsed_s * 1000:.1f}"
    if tally.queries:
        value += f', db;dur={tally.seconds * 1000:.1f};desc="{tally.queries} queries"'
    return value.encode("ascii")


class ServerTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        tally = QueryTally()
        token = _tally.set(tally)

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", timing_header(time.perf_counter() - started, tally)))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_timed)
        finally:
            _tally.reset(token)
