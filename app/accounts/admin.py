"""HTML routes for admins: the accounts, their roles, creating and disabling them, resetting passwords."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.auth import Admin, Principal, check_csrf
from app.accounts.passwords import MIN_LENGTH
from app.errors import AppError, Conflict, InvalidInput
from app.models import User
from app.urls import path_for
from app.vocabulary import Role
from app.web import CsrfField, SessionDep, Text, render

router = APIRouter(include_in_schema=False)

UserName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")]
Password = Annotated[str, Form(max_length=1024)]


USERS_PER_PAGE = 50


@dataclass(frozen=True)
class UsersPage:
    """A page of accounts by name; `next_cursor` is the name the next page starts from."""

    items: list[User]
    next_cursor: str | None


def _users_page(
    request: Request,
    session: Session,
    *,
    start: str | None = None,
    new_user: dict[str, Any] | None = None,
    error: str | None = None,
    error_for: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    rows = service.list_users(session, start=start, limit=USERS_PER_PAGE + 1)
    users = UsersPage(
        items=rows[:USERS_PER_PAGE],
        next_cursor=rows[USERS_PER_PAGE].name if len(rows) > USERS_PER_PAGE else None,
    )
    return render(
        request,
        "accounts/admin_users.html",
        {
            "users": users,
            "paged": start is not None,
            "roles": list(Role),
            "new_user": new_user or {"name": "", "role": Role.VIEWER.value},
            "error": error,
            "error_for": error_for,
        },
        status_code=status_code,
    )


def _users_from(request: Request, name: str) -> str:
    """The accounts page that starts with this account, at its row: it may be far down a long list."""
    return path_for(request, "users_page", query={"from": name}, fragment=f"user-{name}")


def _parse_role(value: str) -> Role:
    try:
        return Role(value.strip())
    except ValueError:
        allowed = ", ".join(role.value for role in Role)
        raise InvalidInput(f"'{value}' is not a role. Use one of: {allowed}.") from None


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request,
    session: SessionDep,
    _principal: Admin,
    start: Annotated[
        str | None, Query(alias="from", max_length=64, description="The name this page starts from.")
    ] = None,
) -> HTMLResponse:
    """The accounts by name, a page at a time, with their role and state, and the forms to manage them."""
    return _users_page(request, session, start=start)


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(
    request: Request,
    session: SessionDep,
    principal: Admin,
    name: Annotated[Text, Form(max_length=64)] = "",
    role: Annotated[Text, Form(max_length=32)] = "",
    password: Password = "",
    password_repeat: Password = "",
    csrf_token: CsrfField = None,
) -> Response:
    """Create an account; a refused password is said, and the name and role are kept (not the passwords)."""
    check_csrf(principal, csrf_token)
    kept = {"name": name, "role": role}
    try:
        if password != password_repeat:
            raise InvalidInput("The two passwords differ: type the same password twice.")
        created = service.create_user(session, name, password, _parse_role(role), by=principal.name)
    except AppError as error:
        return _users_page(
            request,
            session,
            new_user=kept,
            error=error.message,
            error_for="create",
            status_code=error.status_code,
        )
    return RedirectResponse(_users_from(request, created.name), status_code=303)


def _change(
    request: Request,
    session: Session,
    principal: Principal,
    csrf_token: str | None,
    name: str,
    apply: Callable[[User], object],
) -> Response:
    """Apply one change to an account; a refusal re-renders the list with the reason beside it."""
    check_csrf(principal, csrf_token)
    user = service.get_user(session, name)
    try:
        apply(user)
    except AppError as error:
        return _users_page(
            request, session, error=error.message, error_for=user.name, status_code=error.status_code
        )
    return RedirectResponse(_users_from(request, user.name), status_code=303)


@router.post("/admin/users/{name}/role", response_class=HTMLResponse)
def change_role(
    request: Request,
    session: SessionDep,
    principal: Admin,
    name: UserName,
    role: Annotated[Text, Form(max_length=32)] = "",
    csrf_token: CsrfField = None,
) -> Response:
    """Change an account's role; the last active admin cannot be demoted (409)."""
    return _change(
        request,
        session,
        principal,
        csrf_token,
        name,
        lambda user: service.set_role(session, user, _parse_role(role), by=principal.name),
    )


@router.get("/admin/users/{name}/disable", response_class=HTMLResponse)
def confirm_disable(request: Request, session: SessionDep, _principal: Admin, name: UserName) -> HTMLResponse:
    """Ask for confirmation before disabling an account."""
    user = service.get_user(session, name)
    return render(request, "accounts/admin_disable.html", {"user": user})


@router.post("/admin/users/{name}/disable", response_class=HTMLResponse)
def disable_user(
    request: Request, session: SessionDep, principal: Admin, name: UserName, csrf_token: CsrfField = None
) -> Response:
    """Disable an account: its sessions and tokens stop working; the last active admin cannot be (409)."""
    return _change(
        request,
        session,
        principal,
        csrf_token,
        name,
        lambda user: service.disable_user(session, user, by=principal.name),
    )


def _reset_form(
    request: Request, user: User, *, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "accounts/admin_password.html",
        {"user": user, "error": error, "password_min_length": MIN_LENGTH},
        status_code=status_code,
    )


@router.get("/admin/users/{name}/password", response_class=HTMLResponse)
def reset_password_form(
    request: Request, session: SessionDep, _principal: Admin, name: UserName
) -> HTMLResponse:
    """The form to set a new password for an account."""
    return _reset_form(request, service.get_user(session, name))


@router.post("/admin/users/{name}/password", response_class=HTMLResponse)
def reset_password(
    request: Request,
    session: SessionDep,
    principal: Admin,
    name: UserName,
    password: Password = "",
    password_repeat: Password = "",
    csrf_token: CsrfField = None,
) -> Response:
    """Set a new password for an account; all of its sessions end. One's own is changed on /account."""
    check_csrf(principal, csrf_token)
    user = service.get_user(session, name)
    try:
        if user.name == principal.name:
            # There, the current password is asked for: a session left open is not enough to change it.
            raise Conflict(
                "Change your own password on your account page: it asks for your current one, "
                "and keeps you signed in."
            )
        if password != password_repeat:
            raise InvalidInput("The two passwords differ: type the same password twice.")
        service.reset_password(session, user, password, by=principal.name)
    except AppError as error:
        return _reset_form(request, user, error=error.message, status_code=error.status_code)
    return RedirectResponse(_users_from(request, user.name), status_code=303)
