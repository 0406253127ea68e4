"""Only `Authorization: Bearer` is a credential: another scheme (a proxy's Basic) is ignored, not refused."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts.auth import bearer_token
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import one, parse, text

BASIC = {"Authorization": "Basic cHJveHk6c2VjcmV0"}  # proxy:secret, as a proxy in front may add


@pytest.mark.parametrize(
    ("header", "secret"),
    [
        (None, None),
        ("Bearer ct_abc", "ct_abc"),
        ("bearer   ct_abc ", "ct_abc"),
        ("Bearer", ""),
        ("Bearer ", ""),
        ("Basic cHJveHk6c2VjcmV0", None),
        ("Digest username=proxy", None),
        ("ct_abc", None),
    ],
)
def test_only_the_bearer_scheme_carries_a_token(header: str | None, secret: str | None) -> None:
    assert bearer_token(header) == secret


def test_public_reads_ignore_another_scheme(client: TestClient) -> None:
    response = client.get("/api/v1/claims?limit=1", headers=BASIC)
    assert response.status_code == 200, response.text
    assert client.get("/", headers=BASIC).status_code == 200


@sqlite_only
def test_the_sign_in_page_ignores_another_scheme(client: TestClient) -> None:
    response = client.get("/login", headers=BASIC, follow_redirects=False)
    assert response.status_code == 200
    assert text(one(parse(response.text), "h1")) == "Sign in"


@sqlite_only
def test_a_session_still_counts_beside_another_scheme(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, _session = client_and_session
    accounts.sign_in(Role.EDITOR, name="erin")
    response = client.get("/account", headers=BASIC, follow_redirects=False)
    assert response.status_code == 200
    assert text(one(parse(response.text), "h1")) == "erin"


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer", "Bearer "])
def test_a_wrong_bearer_token_is_still_refused(client: TestClient, header: str) -> None:
    response = client.get("/api/v1/claims?limit=1", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


@sqlite_only
def test_a_wrong_bearer_token_on_a_page_is_refused_not_sent_round_in_circles(client: TestClient) -> None:
    """Sending it to the sign-in form would only meet the same token there, and again, for ever."""
    response = client.get("/login", headers={"Authorization": "Bearer not-a-token"}, follow_redirects=False)
    assert response.status_code == 401
    assert "The API token is not valid" in text(one(parse(response.text), "main"))
