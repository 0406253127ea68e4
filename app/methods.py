"""HTTP methods (RFC 9110 §9): HEAD answers wherever GET does, and a 405 says which methods are allowed."""

from starlette.routing import BaseRoute, Match, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Answer HEAD as GET without the body, keeping GET's headers (Content-Length, ETag...).

    FastAPI registers no HEAD for its GET routes (405); doing it here covers every route, mounted or
    not, at the cost of a GET. The routes only ever see GET, so HEAD never shows in the OpenAPI document.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(routes: list[BaseRoute], scope: Scope) -> list[str]:
    """The methods the path of `scope` answers to, HEAD wherever GET, for the `Allow` of a 405.

    Each method is tried against the routes as the router would (FastAPI nests included routers, so
    the routes' own method sets are not all at hand); the static files answer GET only.
    """
    # A mounted app (the static files) answers with its own scope: match from the application's root.
    scope = {**scope, "root_path": scope.get("app_root_path", scope.get("root_path", ""))}
    allowed: set[str] = set()
    for route in routes:
        if isinstance(route, Mount):
            if isinstance(route.app, StaticFiles) and route.matches(scope)[0] is not Match.NONE:
                allowed.add("GET")
            continue
        for method in METHODS:
            if method not in allowed and route.matches({**scope, "method": method})[0] is Match.FULL:
                allowed.add(method)
    if "GET" in allowed:
        allowed.add("HEAD")
    return sorted(allowed)
