"""Who is making a request, and whether they may: sessions, API tokens, roles and CSRF."""

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from app.accounts import service
from app.accounts.service import SESSION_LIFETIME, Unauthenticated
from app.errors import Forbidden
from app.models import LoginSession, User
from app.vocabulary import Role
from app.web import SessionDep

SESSION_COOKIE = "claimtrack_session"
LOGIN_CSRF_COOKIE = "claimtrack_login_csrf"
HOST_ONLY_PREFIX = "__Host-"


def cookie_name(request: HTTPConnection, name: str) -> str:
    """A cookie's name for this request: over HTTPS with the `__Host-` prefix, under which browsers keep
    a cookie only if it is Secure, for path / and no domain, so that neither a plain-HTTP page nor a
    neighbouring subdomain can plant or overwrite it.

    HTTPS is the request's own scheme, which uvicorn takes from a trusted proxy's X-Forwarded-Proto
    (FORWARDED_ALLOW_IPS), so that the name is the same whichever side of the proxy decides.
    """
    return HOST_ONLY_PREFIX + name if request.url.scheme == "https" else name


def session_cookie(request: HTTPConnection) -> str | None:
    """The value of the request's session cookie, under the name for its scheme."""
    return request.cookies.get(cookie_name(request, SESSION_COOKIE))


SameSite = Literal["lax", "strict"]


def _set_cookie(
    request: Request,
    response: Response,
    name: str,
    value: str,
    samesite: SameSite,
    max_age: int | None = None,
) -> None:
    response.set_cookie(
        cookie_name(request, name),
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite=samesite,
    )


def _clear_cookie(request: Request, response: Response, name: str, samesite: SameSite) -> None:
    # A __Host- cookie is only replaced by one with the same attributes, its removal included.
    response.delete_cookie(
        cookie_name(request, name),
        path="/",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite=samesite,
    )


def set_session_cookie(request: Request, response: Response, value: str) -> None:
    _set_cookie(
        request, response, SESSION_COOKIE, value, "lax", max_age=int(SESSION_LIFETIME.total_seconds())
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    _clear_cookie(request, response, SESSION_COOKIE, "lax")


@dataclass(frozen=True)
class Principal:
    """A signed-in user, through a browser session (with its CSRF token) or an API token.

    Plain values, read while the request's session is open: a failed request's session is rolled back
    and closed before its error page renders, and the ORM objects it loaded can no longer be read then.
    """

    user_id: int
    name: str
    role: Role
    csrf_token: str | None
    """The browser session's CSRF token; None for an API token."""

    @property
    def browser(self) -> bool:
        """Signed in through a browser session (a cookie), not an API token."""
        return self.csrf_token is not None

    @classmethod
    def of(cls, user: User, login: LoginSession | None) -> "Principal":
        return cls(
            user_id=user.id,
            name=user.name,
            role=Role(user.role),
            csrf_token=login.csrf_token if login is not None else None,
        )


class BadToken(Unauthenticated):
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}  # noqa: RUF012 - never mutated


class SignInRequired(Unauthenticated):
    headers = {"WWW-Authenticate": "Bearer"}  # noqa: RUF012 - never mutated
    sign_in_first = True


async def load_principal(request: Request, session: SessionDep) -> Principal | None:
    """Resolve the request's credentials once; pages and routes read `request.state.principal`.

    Nearly every request goes through here (a dependency of every router), so it is async and goes to
    the database, in a worker thread, only when the request carries a token or a session cookie: an
    anonymous request reaches its endpoint without a thread-pool hop.
    """
    if hasattr(request.state, "principal"):
        principal: Principal | None = request.state.principal
        return principal
    bearer = bearer_token(request.headers.get("authorization"))
    cookie = session_cookie(request)
    principal = None
    if bearer is not None or cookie:
        principal = await run_in_threadpool(_principal_from, session, bearer, cookie)
    request.state.principal = principal
    return principal


def bearer_token(authorization: str | None) -> str | None:
    """The secret of a `Bearer` Authorization header; None when there is none, or another scheme.

    Only Bearer is a claimtrack credential. Any other scheme (`Basic` added by a proxy in front of the
    app, say) is not meant for it, and is ignored as if absent: refusing it would answer 401 to every
    public read behind such a proxy, and send the sign-in page back to itself forever. A Bearer header
    with a wrong or empty secret is still refused.
    """
    if authorization is None:
        return None
    scheme, _, secret = authorization.strip().partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def _principal_from(session: Session, bearer: str | None, cookie: str | None) -> Principal | None:
    if bearer is not None:
        user = service.user_from_token(session, bearer) if bearer else None
        if user is None:
            raise BadToken("The API token is not valid: it may have been revoked, or mistyped.")
        return Principal.of(user, None)
    if cookie:
        login = service.session_from_cookie(session, cookie)
        return Principal.of(login.user, login) if login else None
    return None


CurrentPrincipal = Annotated[Principal | None, Depends(load_principal)]


def _require(needed: Role) -> object:
    async def dependency(principal: CurrentPrincipal) -> Principal:  # async: no I/O, no thread hop
        if principal is None:
            raise SignInRequired("Sign in to do this: it needs an account with the right role.")
        if not principal.role.can(needed):
            raise Forbidden(
                f"This needs the {needed.label} role or higher; {principal.name} is {principal.role.label}."
            )
        return principal

    return Depends(dependency)


SignedIn = Annotated[Principal, _require(Role.VIEWER)]
FactChecker = Annotated[Principal, _require(Role.FACT_CHECKER)]
Editor = Annotated[Principal, _require(Role.EDITOR)]
Admin = Annotated[Principal, _require(Role.ADMIN)]


def _require_token(needed: Role) -> object:
    """An API write: the role, and an API token, since a browser's cookie is not an API credential."""
    role_check = _require(needed)

    async def dependency(principal: Annotated[Principal, role_check]) -> Principal:
        if principal.browser:
            raise Forbidden(
                "A browser session cannot write through the API: use an API token "
                "(Authorization: Bearer ...), created on your account page."
            )
        return principal

    return Depends(dependency)


ApiFactChecker = Annotated[Principal, _require_token(Role.FACT_CHECKER)]
ApiEditor = Annotated[Principal, _require_token(Role.EDITOR)]
ApiAdmin = Annotated[Principal, _require_token(Role.ADMIN)]


def check_csrf(principal: Principal, submitted: str | None) -> None:
    """A form posted with a browser session must carry that session's CSRF token."""
    if principal.csrf_token is None:
        return  # an API token is not sent by browsers on their own: no cross-site forgery
    if not submitted or not hmac.compare_digest(submitted, principal.csrf_token):
        raise Forbidden(
            "The form has expired or did not come from claimtrack (CSRF check failed). "
            "Reload the page and submit it again."
        )


def login_csrf_token(request: Request) -> str:
    """The anonymous sign-in form's CSRF token: a random value in a cookie, echoed by the form."""
    return request.cookies.get(cookie_name(request, LOGIN_CSRF_COOKIE)) or secrets.token_urlsafe(32)


def set_login_csrf_cookie(request: Request, response: Response, token: str) -> None:
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, token, "strict")


def clear_login_csrf_cookie(request: Request, response: Response) -> None:
    _clear_cookie(request, response, LOGIN_CSRF_COOKIE, "strict")


def check_login_csrf(request: Request, submitted: str | None) -> None:
    expected = request.cookies.get(cookie_name(request, LOGIN_CSRF_COOKIE))
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise Forbidden(
            "The sign-in form has expired or did not come from claimtrack (CSRF check failed). "
            "Reload the page and sign in again."
        )
