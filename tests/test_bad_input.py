"""Bad input in a URL or a body is a clear 4xx naming what was wrong, on every backend: never a 500."""

from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Actor, Attribution, AuditEntry, Claim, Source, StatusChange
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import get_problem, parse, row_counts

TOO_BIG = str(2**63)

API_CASES = [
    (f"/api/v1/claims/{TOO_BIG}", "claim_id"),
    ("/api/v1/claims/0", "claim_id"),
    (f"/api/v1/sources/{TOO_BIG}", "source_id"),
    (f"/api/v1/attributions/{TOO_BIG}", "attribution_id"),
    (f"/api/v1/claims?source={TOO_BIG}", "source"),
    (f"/api/v1/attributions?claim={TOO_BIG}", "claim"),
    ("/api/v1/claims?q=%00", "q"),
    ("/api/v1/claims?actor=a%00b", "actor"),
    ("/api/v1/attributions?actor=%00", "actor"),
    ("/api/v1/actors?name=%00", "name"),
    ("/api/v1/sources?outlet=%00", "outlet"),
    ("/api/v1/actors/%00", "slug"),
    ("/api/v1/claims?limit=abc", "limit"),
    ("/api/v1/claims?q=" + "x" * 301, "q"),
]


@pytest.mark.parametrize(("url", "parameter"), API_CASES)
def test_api_rejects_bad_parameters_by_name(client: TestClient, url: str, parameter: str) -> None:
    body = get_problem(client, url, 422)
    assert body["title"] == "Invalid request"
    assert [error["field"] for error in body["errors"]] == [parameter]
    assert body["detail"].startswith(f"{parameter}: ")


def test_a_cursor_beyond_any_id_is_refused(client: TestClient) -> None:
    # {"after": 999999999999999} encoded as the API encodes cursors
    response = client.get("/api/v1/claims", params={"cursor": "eyJhZnRlciI6OTk5OTk5OTk5OTk5OTk5fQ"})
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "The cursor is not valid: pass the next_cursor of a previous page unchanged."
    )


@pytest.mark.parametrize("text", ["%", "_", "\\", "%_*"])
def test_search_text_without_a_word_is_refused_by_name(client: TestClient, text: str) -> None:
    body = get_problem(client, "/api/v1/claims?" + urlencode({"q": text}), 422)
    assert "no word to look for in “q”" in body["detail"]


@pytest.mark.parametrize("text", ["'; DROP TABLE claims; --", 'drop" OR "1', "NEAR(drop table)"])
def test_search_text_is_only_words(client: TestClient, text: str) -> None:
    response = client.get("/api/v1/claims", params={"q": text})
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}
    assert client.get("/api/v1/claims?limit=1").json()["items"]


@sqlite_only
@pytest.mark.parametrize(
    "url",
    [
        f"/claims/{TOO_BIG}",
        "/?q=%00",
        "/?actor=%00",
        "/actors?name=%00",
        "/actors/%00x",
        f"/sources/{TOO_BIG}",
    ],
)
def test_pages_answer_bad_parameters_with_an_error_page(visitor: TestClient, url: str) -> None:
    response = visitor.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    error = page.select_one("section.error-page")
    assert error is not None
    assert error["data-status"] == "422"


# Bodies that are not JSON, or not even text, on every JSON write route: a 4xx that says so, nothing written.

WRITE_ROUTES = [
    ("POST", "/api/v1/claims"),
    ("PATCH", "/api/v1/claims/1"),
    ("POST", "/api/v1/claims/1/status"),
    ("POST", "/api/v1/actors"),
    ("PATCH", "/api/v1/actors/vyacheslav-gladkov"),
    ("POST", "/api/v1/sources"),
    ("PATCH", "/api/v1/sources/1"),
    ("POST", "/api/v1/attributions"),
    ("PATCH", "/api/v1/attributions/1"),
]
UNREADABLE = "The request body could not be read: send JSON encoded as UTF-8"


@pytest.mark.parametrize(("method", "path"), WRITE_ROUTES, ids=[f"{m} {p}" for m, p in WRITE_ROUTES])
def test_a_body_that_is_not_json_is_named_and_changes_nothing(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, method: str, path: str
) -> None:
    client, session = client_and_session
    headers = {**accounts.token_headers(Role.ADMIN), "If-Match": '"1"', "Content-Type": "application/json"}
    before = row_counts(session, Claim, Actor, Source, Attribution, StatusChange, AuditEntry)

    not_text = client.request(method, path, content=b'{"text": "a\xff\xfeb"}', headers=headers)
    assert not_text.status_code == 400
    assert not_text.headers["content-type"] == "application/problem+json"
    assert not_text.json()["detail"].startswith(UNREADABLE)

    broken = client.request(method, path, content=b'{"text": "abc",}', headers=headers)
    assert broken.status_code == 422
    assert broken.json()["errors"] == [
        {
            "field": "body",
            "message": "not valid JSON: Expecting property name enclosed in double quotes at character 15",
        }
    ]
    assert row_counts(session, Claim, Actor, Source, Attribution, StatusChange, AuditEntry) == before
