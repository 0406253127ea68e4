"""Who is making a request, and whether they may: sessions, API tokens, roles and CSRF."""

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.service import Unauthenticated
from app.errors import Forbidden
from app.models import LoginSession, User
from app.vocabulary import Role
from app.web import SessionDep

SESSION_COOKIE = "claimtrack_session"
LOGIN_CSRF_COOKIE = "claimtrack_login_csrf"


@dataclass(frozen=True)
class Principal:
    """A signed-in user, through a browser session (with its CSRF token) or an API token."""

    user: User
    login: LoginSession | None

    @property
    def role(self) -> Role:
        return Role(self.user.role)

    @property
    def name(self) -> str:
        return self.user.name


class BadToken(Unauthenticated):
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}  # noqa: RUF012 - never mutated


class SignInRequired(Unauthenticated):
    headers = {"WWW-Authenticate": "Bearer"}  # noqa: RUF012 - never mutated


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
    cookie = request.cookies.get(SESSION_COOKIE)
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
        return Principal(user=user, login=None)
    if cookie:
        login = service.session_from_cookie(session, cookie)
        return Principal(user=login.user, login=login) if login else None
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
        if principal.login is not None:
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
    if principal.login is None:
        return  # an API token is not sent by browsers on their own: no cross-site forgery
    if not submitted or not hmac.compare_digest(submitted, principal.login.csrf_token):
        raise Forbidden(
            "The form has expired or did not come from claimtrack (CSRF check failed). "
            "Reload the page and submit it again."
        )


def login_csrf_token(request: Request) -> str:
    """The anonymous sign-in form's CSRF token: a random value in a cookie, echoed by the form."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def set_login_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )


def check_login_csrf(request: Request, submitted: str | None) -> None:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise Forbidden(
            "The sign-in form has expired or did not come from claimtrack (CSRF check failed). "
            "Reload the page and sign in again."
        )
