"""Security headers on every response, and the host names the app answers for.

Both are pure ASGI middleware, as `app/timing.py` is: they add headers or answer at once, and never read
or buffer a body. `SecurityHeaders` wraps even FastAPI's own outermost middleware (`ClaimtrackAPI`),
so that an internal error (500) or a refused body (413) carries the headers like any other answer.
"""

from collections.abc import Sequence

from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.accounts.auth import SESSION_COOKIE

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # No inline script or style anywhere, /docs included: page scripts are files under /static.
        "script-src 'self'",
        "style-src 'self'",
        # Swagger UI's stylesheet draws its icons as data: SVG images.
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

_EVERY_RESPONSE = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    # Links out (a source's URL) tell the other site nothing about claimtrack, not even its address.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
# Only over HTTPS: sent over plain HTTP, the header would be ignored by browsers anyway, and a local
# server on http://127.0.0.1 must stay reachable over plain HTTP.
_OVER_HTTPS = [(b"strict-transport-security", b"max-age=31536000; includeSubDomains")]
_NO_STORE = (b"cache-control", b"no-store")
_SESSION_COOKIE = SESSION_COOKIE.encode("ascii") + b"="  # also found in its __Host- form


def _own_origin(scope: Scope) -> bytes:
    host: bytes = next((value for name, value in scope["headers"] if name == b"host"), b"")
    scheme: str = scope.get("scheme", "http")
    return scheme.encode("ascii") + b"://" + host


def relative_location(headers: list[tuple[bytes, bytes]], origin: bytes) -> list[tuple[bytes, bytes]]:
    """A redirect to this very site by path alone, not to whatever host the request named.

    Starlette builds its redirects (a trailing slash dropped, /actors/ → /actors) from the `Host`
    header: `Host: evil.example` would send the browser, or a cache, to evil.example. A path that
    starts with // stays absolute, as on its own it would name another host.
    """
    located = []
    for name, value in headers:
        if name.lower() == b"location" and value.startswith(origin):
            path = value[len(origin) :]
            if path.startswith(b"/") and not path.startswith(b"//"):
                value = path
        located.append((name, value))
    return located


def _carries_credentials(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"authorization" or (name == b"cookie" and _SESSION_COOKIE in value):
            return True
    return False


class SecurityHeaders:
    """Content-Security-Policy, nosniff, Referrer-Policy and the cross-origin policies on every
    response (HSTS too over HTTPS), and `Cache-Control: no-store` on whatever may be private.

    Private: every response to a request with a session cookie or an API token (what a signed-in
    visitor sees, an API token's secret on /account), and every response that sets a cookie. Anonymous
    pages stay cacheable, and so do the files under /static, which are the same for everyone.
    A response that sets one of these headers itself keeps its own. A redirect to the site itself
    goes by path (`relative_location`).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = _carries_credentials(scope) and not scope["path"].startswith("/static/")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                added = _EVERY_RESPONSE + _OVER_HTTPS if https else _EVERY_RESPONSE
                headers.extend(header for header in added if header[0] not in present)
                if 300 <= message["status"] < 400:
                    headers = relative_location(headers, _own_origin(scope))
                if private or b"set-cookie" in present:
                    headers = [header for header in headers if header[0].lower() != b"cache-control"]
                    headers.append(_NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ClaimtrackAPI(FastAPI):
    """FastAPI, with `SecurityHeaders` outside the error and body-limit middleware it puts first."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def host_name(host_header: str) -> str:
    """The name in a `Host` header, without its port: `Example.org:8000` → `example.org`, `[::1]:80` →
    `[::1]`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    name, colon, port = host.rpartition(":")
    return name if colon and port.isdigit() else host


class TrustedHosts:
    """A 400 for a request whose `Host` is not one of the allowed names (`*.example.org` also allows
    its subdomains), as Starlette's TrustedHostMiddleware does, but with a message that says why."""

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        patterns = [pattern.strip().lower() for pattern in allowed_hosts]
        self.allow_any = "*" in patterns
        self.exact = frozenset(pattern for pattern in patterns if not pattern.startswith("*."))
        self.suffixes = tuple(pattern[1:] for pattern in patterns if pattern.startswith("*."))

    def allows(self, host_header: str) -> bool:
        name = host_name(host_header)
        return name in self.exact or (bool(self.suffixes) and name.endswith(self.suffixes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allow_any or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((value for name, value in scope["headers"] if name == b"host"), b"")
        if self.allows(host.decode("latin-1")):
            await self.app(scope, receive, send)
            return
        refusal = PlainTextResponse(
            "This server does not answer for the host name this request was sent to (its Host header). "
            "Use the site's own address; if this is that address, its operator has to add it to "
            "CLAIMTRACK_ALLOWED_HOSTS.",
            status_code=400,
        )
        await refusal(scope, receive, send)
