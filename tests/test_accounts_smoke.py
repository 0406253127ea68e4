"""The test accounts fixture signs in through the real form and issues real tokens."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML


def test_sign_in_shows_the_account_in_the_header(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, _session = client_and_session
    accounts.sign_in(Role.FACT_CHECKER, name="fiona")
    page = client.get("/account")
    assert page.status_code == 200
    assert 'data-role="fact_checker"' in page.text
    assert ">fiona</a>" in client.get("/").text


def test_a_token_identifies_its_user(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, _session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    assert client.get("/api/v1/claims?limit=1", headers=headers).status_code == 200
    bad = client.get("/api/v1/claims?limit=1", headers={"Authorization": "Bearer ct_nonsense"})
    assert bad.status_code == 401
    assert bad.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
