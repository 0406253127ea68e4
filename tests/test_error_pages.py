"""Error pages: a wrong address shows an HTML page that says what went wrong and offers ways on.

Every page test runs for each kind of visitor (`visitor`: anonymous, signed in, with an API token), on a
client whose requests have their own session, as in production: a signed-in visitor's error page is
rendered after the request's session was rolled back and closed.
"""

import pytest
from bs4 import Tag
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.accounts.service import issue_token
from app.models import ApiToken
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import get_problem, one, parse, text

pytestmark = sqlite_only

WAYS_ON = ["/", "/actors", "/sources"]


def error_page(
    client: TestClient, url: str, status: int, *, method: str = "GET", data: dict[str, str] | None = None
) -> Tag:
    """The error section of the HTML page answering `url`, checked to carry `status`."""
    response = client.request(method, url, data=data)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    soup = parse(response.text)
    (section,) = soup.select("section.error-page")
    assert section.get("data-status") == str(status)
    assert len(soup.select("h1")) == 1
    assert len(soup.select("main#main")) == 1
    assert [link.get("href") for link in soup.select("a.skip-link")] == ["#main"]
    return section


def detail(section: Tag) -> str:
    return text(one(section, "p.error-detail"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/claims/999999", "There is no claim 999999: the link may be wrong."),
        ("/claims/99999", "There is no claim 99999: the link may be wrong."),
        ("/sources/999999", "There is no source 999999."),
        ("/actors/nobody-at-all", "There is no actor 'nobody-at-all'."),
        ("/no/such/page", "Nothing is at /no/such/page."),
    ],
)
def test_a_missing_page_is_a_not_found_page_with_ways_on(visitor: TestClient, url: str, message: str) -> None:
    section = error_page(visitor, url, 404)

    assert detail(section).startswith(message)
    assert [link.get("href") for link in section.select("ul.ways-on a")] == WAYS_ON
    assert section.select("h1")[0].get_text() == "Not found"
    # The page offers the two searches: claims and quotes, and actors by any spelling.
    assert [form.get("action") for form in section.select("form[role='search']")] == ["/", "/actors"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/claims/abc", "claim_id"),
        ("/sources/abc", "source_id"),
        ("/?limit=0", "limit"),
        ("/?limit=abc", "limit"),
        ("/search?q=%00", "q"),
    ],
)
def test_a_malformed_address_is_an_invalid_request_page(visitor: TestClient, url: str, field: str) -> None:
    section = error_page(visitor, url, 422)

    assert detail(section).startswith(f"{field}: ")
    assert section.select("h1")[0].get_text() == "Invalid request"
    assert [link.get("href") for link in section.select("ul.ways-on a")] == WAYS_ON


def test_a_tampered_cursor_is_an_invalid_input_page(visitor: TestClient) -> None:
    section = error_page(visitor, "/?cursor=not-a-cursor", 422)

    assert detail(section) == "The cursor is not valid: pass the next_cursor of a previous page unchanged."


def test_an_error_page_is_titled_by_its_error(visitor: TestClient) -> None:
    not_found = parse(visitor.get("/claims/999999").text)
    invalid = parse(visitor.get("/claims/abc").text)

    assert not_found.title is not None
    assert not_found.title.get_text() == "Not found — claimtrack"
    assert invalid.title is not None
    assert invalid.title.get_text() == "Invalid request (error 422) — claimtrack"


def test_the_api_answers_errors_in_json_not_html(visitor: TestClient) -> None:
    problem = get_problem(visitor, "/api/v1/claims/999999", 404)

    assert problem["status"] == 404


def test_a_sign_in_form_with_a_nul_is_an_invalid_request_page(visitor: TestClient) -> None:
    section = error_page(
        visitor, "/login", 422, method="POST", data={"name": "a\x00b", "password": "x", "csrf_token": "x"}
    )

    assert detail(section).startswith("name: ")


REFUSED_FORMS = ["/claims/new", "/logout", "/account/tokens", "/admin/users"]


@pytest.mark.parametrize("url", REFUSED_FORMS)
def test_a_form_with_a_wrong_csrf_token_is_a_forbidden_page(accounts: Accounts, url: str) -> None:
    accounts.sign_in(Role.ADMIN)

    section = error_page(accounts.client, url, 403, method="POST", data={"csrf_token": "forged"})

    assert "CSRF check failed" in detail(section)
    assert [link.get("href") for link in section.select("ul.ways-on a")] == WAYS_ON


def test_revoking_another_users_token_is_a_not_found_page(accounts: Accounts) -> None:
    session = accounts.session
    issue_token(session, accounts.user(Role.VIEWER), "theirs", by="test")
    session.flush()
    theirs = session.scalars(select(ApiToken.id).where(ApiToken.label == "theirs")).one()
    csrf = accounts.sign_in(Role.ADMIN, name="mallory")

    section = error_page(
        accounts.client,
        f"/account/tokens/{theirs}/revoke",
        404,
        method="POST",
        data={"csrf_token": csrf},
    )

    assert detail(section) == f"mallory has no token {theirs}."
