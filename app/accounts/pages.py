"""HTML routes for signing in and out and for one's own account and API tokens."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from app.accounts import service
from app.accounts.auth import (
    CurrentPrincipal,
    SignedIn,
    check_csrf,
    check_login_csrf,
    clear_login_csrf_cookie,
    clear_session_cookie,
    login_csrf_token,
    session_cookie,
    set_login_csrf_cookie,
    set_session_cookie,
)
from app.accounts.passwords import MIN_LENGTH
from app.accounts.service import TooManyAttempts, Unauthenticated
from app.errors import AppError, InvalidInput
from app.urls import PathsDep, path_for
from app.web import CsrfField, ItemId, SessionDep, Text, page_authentication, render

router = APIRouter(include_in_schema=False)

FormText = Annotated[Text, Form(max_length=1024)]
Password = Annotated[str, Form(max_length=1024)]


def _safe_next(request: Request, target: str | None) -> str:
    """Only a path on this site: an open redirect would make the sign-in page a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return path_for(request, "claims_index")


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _login_form(
    request: Request, *, next_path: str, name: str = "", error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    token = login_csrf_token(request)
    page = render(
        request,
        "accounts/login.html",
        {"next_path": next_path, "name": name, "error": error, "login_csrf": token},
        status_code=status_code,
    )
    set_login_csrf_cookie(request, page, token)
    return page


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, principal: CurrentPrincipal, next: str | None = None) -> Response:
    if principal is not None:
        return RedirectResponse(_safe_next(request, next), status_code=303)
    return _login_form(request, next_path=_safe_next(request, next))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    name: FormText,
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: CsrfField = None,
    next: Annotated[str | None, Form()] = None,
) -> Response:
    """Sign in; a new session id every time, and failures counted towards throttling."""
    next_path = _safe_next(request, next)
    check_login_csrf(request, csrf_token)
    address = _client_address(request)
    try:
        service.check_throttle(session, name, address)
        user = service.authenticate(session, name, password, address=address)
    except TooManyAttempts as error:
        refused = _login_form(request, next_path=next_path, name=name, error=error.message, status_code=429)
        refused.headers["Retry-After"] = str(error.retry_after)
        return refused
    except Unauthenticated as error:
        # Returned, not raised: the request's transaction commits, so the failure is counted.
        refused = _login_form(request, next_path=next_path, name=name, error=error.message, status_code=401)
        refused.headers["WWW-Authenticate"] = page_authentication(request)
        return refused
    if old := session_cookie(request):
        service.close_session(session, old)
    new_login = service.open_session(session, user)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(request, response, new_login.cookie_value)
    clear_login_csrf_cookie(request, response)
    return response


@router.post("/logout")
def logout(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    csrf_token: CsrfField = None,
) -> Response:
    """Sign out: the session is deleted on the server, so its cookie is dead everywhere."""
    check_csrf(principal, csrf_token)
    if cookie := session_cookie(request):
        service.close_session(session, cookie)
    response = RedirectResponse(path_for(request, "claims_index"), status_code=303)
    clear_session_cookie(request, response)
    return response


def _account_page(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    *,
    new_secret: str | None = None,
    password_changed: bool = False,
    password_error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    tokens = service.list_tokens(session, service.get_user_by_id(session, principal.user_id))
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": tokens,
            "new_secret": new_secret,
            "password_changed": password_changed,
            "password_error": password_error,
            "password_min_length": MIN_LENGTH,
        },
        status_code=status_code,
    )


@router.get("/account", response_class=HTMLResponse)
def account_page(
    request: Request, session: SessionDep, principal: SignedIn, password: str | None = None
) -> HTMLResponse:
    return _account_page(request, session, principal, password_changed=password == "changed")


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    current_password: Password = "",
    new_password: Password = "",
    new_password_repeat: Password = "",
    csrf_token: CsrfField = None,
) -> Response:
    """Change one's own password; every other session of the account ends, this one under a new id."""
    check_csrf(principal, csrf_token)
    user = service.get_user_by_id(session, principal.user_id)
    try:
        if new_password != new_password_repeat:
            raise InvalidInput("The two new passwords differ: type the same new password twice.")
        new_login = service.change_password(
            session, user, current_password, new_password, address=_client_address(request)
        )
    except TooManyAttempts as error:
        refused = _account_page(
            request, session, principal, password_error=error.message, status_code=error.status_code
        )
        refused.headers["Retry-After"] = str(error.retry_after)
        return refused
    except AppError as error:
        # Returned, not raised: the request's transaction commits, so a wrong current password counts.
        return _account_page(
            request, session, principal, password_error=error.message, status_code=error.status_code
        )
    response = RedirectResponse(
        path_for(request, "account_page", query={"password": "changed"}), status_code=303
    )
    set_session_cookie(request, response, new_login.cookie_value)
    return response


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    label: Annotated[Text, Form(max_length=100)] = "",
    csrf_token: CsrfField = None,
) -> HTMLResponse:
    """Issue a personal API token; its secret is shown on this response only."""
    check_csrf(principal, csrf_token)
    user = service.get_user_by_id(session, principal.user_id)
    issued = service.issue_token(session, user, label, by=principal.name)
    return _account_page(request, session, principal, new_secret=issued.secret)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    session: SessionDep,
    paths: PathsDep,
    principal: SignedIn,
    token_id: ItemId,
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(principal, csrf_token)
    user = service.get_user_by_id(session, principal.user_id)
    service.revoke_token(session, user, token_id, by=principal.name)
    return RedirectResponse(paths("account_page"), status_code=303)
