"""`Server-Timing: app;dur=…` on every response: how long the application took to start answering.

Measured from the moment the request reaches the application to the moment its response headers
leave it, so it is the server's own time (routing, database, templates), without the network or the
client. Browsers show it in their developer tools; bench/pages.py reports it beside wall-clock time.
A pure ASGI middleware: it adds one header and never reads or buffers a body.
"""

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ServerTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={elapsed_ms:.1f}".encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_timed)
