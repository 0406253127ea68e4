"""Signing in and out: the form's CSRF token, the session cookie, rotation, logout, disabled accounts."""

import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.auth import SESSION_COOKIE
from app.accounts.service import disable_user, issue_token
from app.models import LoginSession, User
from app.vocabulary import Role
from tests.conftest import PASSWORD, Accounts, sqlite_only
from tests.helpers import attr, one, parse, text

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML


def login_csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD, *, csrf: str | None = None) -> Response:
    form = {"name": name, "password": password, "csrf_token": csrf or login_csrf(client), "next": "/account"}
    response: Response = client.post("/login", data=form, follow_redirects=False)
    return response


def session_cookie(response: Response) -> str:
    """The session cookie's Set-Cookie header, whole (named with the `__Host-` prefix over HTTPS)."""
    names = (f"{SESSION_COOKIE}=", f"__Host-{SESSION_COOKIE}=")
    (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith(names)]
    return header


def cookie_value(response: Response) -> str:
    return session_cookie(response).split(";")[0].split("=", 1)[1]


def is_signed_in_with(client: TestClient, value: str) -> bool:
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, value)
    response: Response = client.get("/account", follow_redirects=False)
    assert response.status_code in (200, 303)
    return response.status_code == 200


def test_a_wrong_password_keeps_the_name_and_says_what_failed(accounts: Accounts) -> None:
    client = accounts.client
    accounts.user(Role.EDITOR, name="erin")
    response = sign_in(client, "erin", "not-the-password")
    assert response.status_code == 401
    document = parse(response.text)
    assert text(one(document, "p.form-error")) == (
        "The account name or the password is wrong, or the account is disabled."
    )
    assert attr(one(document, "#login-name"), "value") == "erin"
    assert one(document, "#login-password").get("value") is None
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_the_session_cookie_is_httponly_and_samesite(accounts: Accounts) -> None:
    client = accounts.client
    accounts.user(Role.EDITOR, name="erin")
    response = sign_in(client, "erin")
    assert (response.status_code, response.headers["location"]) == (303, "/account")
    attributes = [part.strip().lower() for part in session_cookie(response).split(";")[1:]]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "secure" not in attributes  # plain http: a Secure cookie would never come back
    assert client.get("/account").status_code == 200


def test_the_session_cookie_is_secure_over_https(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, _session = client_and_session
    accounts.user(Role.EDITOR, name="erin")
    https = TestClient(client.app, base_url="https://testserver")
    response = sign_in(https, "erin")
    assert response.status_code == 303
    attributes = [part.strip().lower() for part in session_cookie(response).split(";")[1:]]
    assert {"secure", "httponly", "samesite=lax"} <= set(attributes)


def test_every_sign_in_gets_a_new_session_and_ends_the_previous_one(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    user = accounts.user(Role.EDITOR, name="erin")
    first = cookie_value(sign_in(client, "erin"))
    # Signing in again from the browser that holds the first cookie (say, one an attacker planted):
    client.cookies.clear()
    csrf = login_csrf(client)
    client.cookies.set(SESSION_COOKIE, first)
    second = cookie_value(sign_in(client, "erin", csrf=csrf))
    assert first != second
    assert not is_signed_in_with(client, first)
    assert is_signed_in_with(client, second)
    assert len(session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)).all()) == 1


def test_logout_ends_the_session_on_the_server(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR, name="erin")
    value = client.cookies[SESSION_COOKIE]
    refused = client.post("/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert is_signed_in_with(client, value)  # a forged logout changed nothing

    out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert (out.status_code, out.headers["location"]) == (303, "/")
    assert session.scalars(select(LoginSession)).all() == []
    assert not is_signed_in_with(client, value)  # the copied cookie is dead too
    assert ">Sign in</a>" in client.get("/").text


@pytest.mark.parametrize("csrf", [None, "forged-token"])
def test_the_sign_in_form_needs_its_csrf_token(accounts: Accounts, csrf: str | None) -> None:
    client = accounts.client
    accounts.user(Role.EDITOR, name="erin")
    login_csrf(client)  # the browser holds a real token in its cookie...
    form = {"name": "erin", "password": PASSWORD}
    if csrf is not None:
        form["csrf_token"] = csrf  # ...but the form does not carry it
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert "The sign-in form has expired or did not come from claimtrack (CSRF check failed)." in text(
        one(parse(response.text), "main")
    )
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_a_disabled_account_loses_its_sessions_and_tokens(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    accounts.sign_in(Role.EDITOR, name="erin")
    erin = session.scalars(select(User).where(User.name == "erin")).one()
    token = issue_token(session, erin, "script", by="erin").secret
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/account").status_code == 200
    assert client.get("/api/v1/audit?limit=1", headers=bearer).status_code == 200

    disable_user(session, erin, by="admin")
    session.flush()
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/audit?limit=1", headers=bearer).status_code == 401
    client.cookies.clear()
    assert sign_in(client, "erin").status_code == 401
