"""The session and sign-in cookies: over HTTPS under the `__Host-` prefix (Secure, Path=/, no Domain), so
that no plain-HTTP page and no other subdomain can plant or overwrite them; over plain HTTP (a local
server) under their plain names; and each read only under the name for the request's scheme."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from app.accounts.auth import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from app.vocabulary import Role
from tests.conftest import PASSWORD, Accounts, sqlite_only

pytestmark = sqlite_only


@pytest.fixture
def https_accounts(client_and_session: tuple[TestClient, Session]) -> Iterator[Accounts]:
    """Accounts on the same app and transaction, reached over HTTPS (as behind a TLS proxy)."""
    client, session = client_and_session
    with TestClient(client.app, base_url="https://testserver", raise_server_exceptions=False) as https:
        yield Accounts(client=https, session=session)


def set_cookies(response: Response) -> dict[str, list[str]]:
    """Each cookie the response sets, by name, with its attributes (lower case, value left out)."""
    cookies = {}
    for header in response.headers.get_list("set-cookie"):
        name_and_value, *attributes = [part.strip() for part in header.split(";")]
        cookies[name_and_value.split("=", 1)[0]] = sorted(a.lower() for a in attributes if a)
    return cookies


def sign_in(accounts: Accounts) -> Response:
    user = accounts.user(Role.EDITOR)
    form = accounts.client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    form_data = {"name": user.name, "password": PASSWORD, "csrf_token": csrf.group(1), "next": "/account"}
    response: Response = accounts.client.post("/login", data=form_data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response


def test_over_https_the_sign_in_form_cookie_is_host_only(https_accounts: Accounts) -> None:
    response = https_accounts.client.get("/login")

    assert set_cookies(response) == {
        f"__Host-{LOGIN_CSRF_COOKIE}": ["httponly", "path=/", "samesite=strict", "secure"],
    }


def test_over_https_the_session_cookie_is_host_only(https_accounts: Accounts) -> None:
    response = sign_in(https_accounts)

    cookies = set_cookies(response)
    assert sorted(cookies) == [f"__Host-{LOGIN_CSRF_COOKIE}", f"__Host-{SESSION_COOKIE}"]
    session_attributes = cookies[f"__Host-{SESSION_COOKIE}"]
    assert [a for a in session_attributes if not a.startswith("max-age=")] == [
        "httponly",
        "path=/",
        "samesite=lax",
        "secure",
    ]
    assert not [a for a in session_attributes if a.startswith("domain")]
    # The sign-in form's cookie is removed under the attributes it was set with, or browsers keep it.
    assert "secure" in cookies[f"__Host-{LOGIN_CSRF_COOKIE}"]
    assert "max-age=0" in cookies[f"__Host-{LOGIN_CSRF_COOKIE}"]
    assert https_accounts.client.get("/account", follow_redirects=False).status_code == 200


def test_over_http_the_cookies_keep_their_plain_names(accounts: Accounts) -> None:
    response = sign_in(accounts)

    cookies = set_cookies(response)
    assert sorted(cookies) == [LOGIN_CSRF_COOKIE, SESSION_COOKIE]
    assert "secure" not in cookies[SESSION_COOKIE]
    assert accounts.client.get("/account", follow_redirects=False).status_code == 200


def test_over_https_a_cookie_without_the_prefix_signs_no_one_in(https_accounts: Accounts) -> None:
    """A cookie under the plain name may have been planted over plain HTTP or by a subdomain."""
    sign_in(https_accounts)
    client = https_accounts.client
    value = client.cookies[f"__Host-{SESSION_COOKIE}"]

    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, value)

    assert client.get("/account", follow_redirects=False).status_code == 303


def test_over_http_a_prefixed_cookie_signs_no_one_in(accounts: Accounts) -> None:
    sign_in(accounts)
    client = accounts.client
    value = client.cookies[SESSION_COOKIE]

    client.cookies.clear()
    client.cookies.set(f"__Host-{SESSION_COOKIE}", value)

    assert client.get("/account", follow_redirects=False).status_code == 303


def test_over_https_signing_out_removes_the_host_only_cookie(https_accounts: Accounts) -> None:
    csrf = https_accounts.sign_in(Role.EDITOR)
    client = https_accounts.client

    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)

    assert response.status_code == 303
    removed = set_cookies(response)[f"__Host-{SESSION_COOKIE}"]
    assert {"max-age=0", "path=/", "secure"} <= set(removed)
    assert client.get("/account", follow_redirects=False).status_code == 303
