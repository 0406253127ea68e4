"""The operations endpoints: /livez answers from the process alone, through the app's middleware and
error handling; /healthz (tests/claims/test_api.py) answers once the database does."""

import re

from fastapi.testclient import TestClient

from app.accounts.auth import SESSION_COOKIE
from tests.conftest import QueryLog

SERVER_TIMING = re.compile(r"^app;dur=\d+\.\d$")  # no database part: no query


def test_livez_answers_without_a_database_query(counted_client: tuple[TestClient, QueryLog]) -> None:
    client, log = counted_client
    log.reset()

    response = client.get("/livez")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["content-type"] == "application/json"
    assert SERVER_TIMING.match(response.headers["server-timing"])
    assert log.statements == []


def test_livez_answers_whoever_asks(counted_client: tuple[TestClient, QueryLog]) -> None:
    """A probe resolves no credentials: a revoked token or a stale cookie costs no query and no 401."""
    client, log = counted_client
    client.cookies.set(SESSION_COOKIE, "a-session-that-ended")
    log.reset()

    response = client.get("/livez", headers={"Authorization": "Bearer ct_revoked-long-ago"})

    assert response.status_code == 200
    assert log.statements == []


def test_livez_refuses_other_methods_as_the_api_does(client: TestClient) -> None:
    response = client.post("/livez")

    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json() == {
        "type": "about:blank",
        "title": "Method not allowed",
        "status": 405,
        "detail": "/livez answers GET, HEAD.",
    }
    assert SERVER_TIMING.match(response.headers["server-timing"])
