"""Error pages: a wrong address shows an HTML page that says what went wrong and offers ways on."""

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient

from tests.helpers import get_problem, one, text

WAYS_ON = ["/", "/actors", "/sources"]


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def error_page(client: TestClient, url: str, status: int) -> Tag:
    """The error section of the HTML page answering `url`, checked to carry `status`."""
    response = client.get(url)
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
        ("/sources/999999", "There is no source 999999."),
        ("/actors/nobody-at-all", "There is no actor 'nobody-at-all'."),
        ("/no/such/page", "Nothing is at /no/such/page."),
    ],
)
def test_a_missing_page_is_a_not_found_page_with_ways_on(client: TestClient, url: str, message: str) -> None:
    section = error_page(client, url, 404)

    assert detail(section).startswith(message)
    assert [link.get("href") for link in section.select("ul.ways-on a")] == WAYS_ON
    assert section.select("h1")[0].get_text() == "Not found"
    # The page offers the two searches: claims and quotes, and actors by any spelling.
    assert [form.get("action") for form in section.select("form[role='search']")] == ["/", "/actors"]


@pytest.mark.parametrize(
    ("url", "field"),
    [("/claims/abc", "claim_id"), ("/sources/abc", "source_id"), ("/?limit=0", "limit")],
)
def test_a_malformed_address_is_an_invalid_request_page(client: TestClient, url: str, field: str) -> None:
    section = error_page(client, url, 422)

    assert detail(section).startswith(f"{field}: ")
    assert section.select("h1")[0].get_text() == "Invalid request"
    assert [link.get("href") for link in section.select("ul.ways-on a")] == WAYS_ON


def test_a_tampered_cursor_is_an_invalid_input_page(client: TestClient) -> None:
    section = error_page(client, "/?cursor=not-a-cursor", 422)

    assert detail(section) == "The cursor is not valid: pass the next_cursor of a previous page unchanged."


def test_an_error_page_is_titled_by_its_error(client: TestClient) -> None:
    not_found = parse(client.get("/claims/999999").text)
    invalid = parse(client.get("/claims/abc").text)

    assert not_found.title is not None
    assert not_found.title.get_text() == "Not found — claimtrack"
    assert invalid.title is not None
    assert invalid.title.get_text() == "Invalid request (error 422) — claimtrack"


def test_the_api_answers_errors_in_json_not_html(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/claims/999999", 404)

    assert problem["status"] == 404
