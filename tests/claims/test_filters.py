"""The filter form's actor and source pickers: plain text fields that work without JavaScript (the server
resolves a source's number or title words, and says when they fit none or several), and the small JSON
endpoints that suggest as one types. No page lists every source or actor on record."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.actors.service import SUGGESTIONS as ACTOR_SUGGESTIONS
from app.sources.service import SOURCE_CHOICES
from app.sources.service import SUGGESTIONS as SOURCE_SUGGESTIONS
from tests.bulk import new_actor, new_source
from tests.conftest import QueryLog
from tests.helpers import (
    SOURCE_000,
    SOURCE_001,
    TITLES,
    attr,
    get_items,
    get_json,
    one,
    page,
    source_id,
    text,
)

PAGES = ["/", "/search?q=oil"]


def suggested(client: TestClient, kind: str, typed: str) -> list[dict[str, Any]]:
    body = get_json(client, f"/api/v1/suggest/{kind}?q={typed}")
    assert set(body) == {"items"}
    items: list[dict[str, Any]] = body["items"]
    return items


def listed_claims(client: TestClient, url: str) -> list[str]:
    return [attr(item, "data-claim-id") for item in page(client, url).select("li.claim-item")]


# ---- suggestions -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["rop", "Roep", "röp", "julian r", "JULIAN"])
def test_any_start_of_a_name_suggests_ropcke(client: TestClient, typed: str) -> None:
    items = suggested(client, "actors", typed)

    assert items[0]["slug"] == "julian-ropcke"
    assert set(items[0]) == {"id", "slug", "name", "kind", "role"}
    assert items[0]["name"] == "Julian Röpcke"


@pytest.mark.parametrize(("typed", "slug"), [("зел", "volodymyr-zelenskyy"), ("kul", "dmytro-kuleba")])
def test_a_word_of_a_name_in_any_script_suggests_the_actor(client: TestClient, typed: str, slug: str) -> None:
    assert [item["slug"] for item in suggested(client, "actors", typed)] == [slug]


@pytest.mark.parametrize("typed", ["", "!!!", "qqqqq"])
def test_nothing_to_suggest_is_an_empty_list(client: TestClient, typed: str) -> None:
    assert suggested(client, "actors", typed) == []
    assert suggested(client, "sources", typed) == []


def test_sources_are_suggested_by_words_of_their_title_or_outlet(client: TestClient) -> None:
    newsweek = source_id(client, SOURCE_001)

    assert [item["id"] for item in suggested(client, "sources", "newsw")] == [newsweek]
    assert [item["title"] for item in suggested(client, "sources", "belg oil")] == [TITLES[SOURCE_000]]
    (item,) = suggested(client, "sources", "newsweek")
    assert item == {
        "id": newsweek,
        "title": TITLES[SOURCE_001],
        "outlet": "Newsweek",
        "published_on": "2022-04-01",
    }


def test_suggestions_are_few_however_many_match(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    for number in range(ACTOR_SUGGESTIONS + 5):
        new_actor(session, f"Namesake Number{number}")
        new_source(session, f"Text {number}.", title=f"Namesake report {number}")

    assert len(suggested(client, "actors", "namesake")) == ACTOR_SUGGESTIONS
    assert len(suggested(client, "sources", "namesake")) == SOURCE_SUGGESTIONS


@pytest.mark.parametrize("kind", ["actors", "sources"])
def test_a_suggestion_is_one_query(counted_client: tuple[TestClient, QueryLog], kind: str) -> None:
    client, log = counted_client
    log.reset()

    assert client.get(f"/api/v1/suggest/{kind}?q=ru").status_code == 200

    assert log.count == 1


def test_suggestions_need_the_typed_text(client: TestClient) -> None:
    response = client.get("/api/v1/suggest/actors")

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["q"]


# ---- the form without JavaScript -------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_the_form_has_two_text_fields_and_lists_no_source(client: TestClient, path: str) -> None:
    soup = page(client, path)

    form = one(soup, "form.filters")
    for name, endpoint in (("actor", "/api/v1/suggest/actors"), ("source", "/api/v1/suggest/sources")):
        field = one(form, f"input[name='{name}']")
        assert (attr(field, "type"), attr(field, "data-suggest")) == ("text", endpoint)
        assert attr(field, "value") == ""
    assert form.select("select[name='source']") == []
    assert not any(TITLES[file_name] in text(form) for file_name in TITLES)


def test_a_source_number_filters_and_shows_the_title(client: TestClient) -> None:
    newsweek = source_id(client, SOURCE_001)
    soup = page(client, f"/?source={newsweek}")

    assert attr(one(soup, "#filter-source"), "value") == TITLES[SOURCE_001]
    assert soup.select("#filter-source-problem") == []
    assert text(one(soup, "a.chip[data-filter='source']")) == f"Source: {TITLES[SOURCE_001]} ×"
    expected = [
        str(claim["id"]) for claim in get_items(client, f"/api/v1/claims?source={newsweek}&limit=200")
    ]
    assert listed_claims(client, f"/?source={newsweek}&limit=200") == expected


@pytest.mark.parametrize("typed", ["newsweek", "Negotiations In Doubt", TITLES[SOURCE_001]])
def test_words_of_one_title_or_outlet_filter_by_that_source(client: TestClient, typed: str) -> None:
    newsweek = source_id(client, SOURCE_001)

    soup = page(client, f"/?source={typed}&limit=200")

    assert attr(one(soup, "#filter-source"), "value") == TITLES[SOURCE_001]
    assert listed_claims(client, f"/?source={typed}&limit=200") == listed_claims(
        client, f"/?source={newsweek}&limit=200"
    )


@pytest.mark.parametrize("path", PAGES)
def test_words_that_fit_no_source_say_so_and_match_nothing(client: TestClient, path: str) -> None:
    separator = "&" if "?" in path else "?"
    soup = page(client, f"{path}{separator}source=pravda")

    field = one(soup, "#filter-source")
    assert (attr(field, "value"), attr(field, "aria-invalid")) == ("pravda", "true")
    assert "filter-source-problem" in attr(field, "aria-describedby").split()
    assert text(one(soup, "#filter-source-problem")) == (
        "No source has a title or outlet with the words “pravda”: check the spelling, or type fewer words."
    )
    assert soup.select("li.claim-item, li.search-result") == []
    assert attr(one(soup, "details.filter-panel"), "open") == ""
    assert text(one(soup, "a.chip[data-filter='source']")) == "Source: pravda ×"


def test_a_number_no_source_has_says_so(client: TestClient) -> None:
    soup = page(client, "/?source=999999")

    assert text(one(soup, "#filter-source-problem")) == (
        "There is no source 999999, and no source has a title or outlet with the words “999999”: "
        "check the spelling, or type fewer words."
    )


def test_words_that_fit_several_sources_list_them_to_choose_from(client: TestClient) -> None:
    soup = page(client, "/?stance=asserted&source=russia")

    problem = one(soup, "#filter-source-problem")
    assert text(one(problem, "p")) == "“russia” fits 3 sources: choose one, or type more of its title."
    choices = problem.select("ul.source-choices a.source-choice")
    everything = {source_id(client, file_name): TITLES[file_name] for file_name in TITLES}
    assert {int(attr(a, "data-source-id")): a.get_text() for a in choices} == everything
    assert soup.select("li.claim-item") == []
    # Each choice is the same filters with that source: following one filters by it.
    chosen = choices[0]
    assert attr(chosen, "href") == f"?stance=asserted&source={attr(chosen, 'data-source-id')}"
    again = page(client, "/" + attr(chosen, "href"))
    assert again.select("#filter-source-problem") == []
    assert attr(one(again, "#filter-source"), "value") == chosen.get_text()


def test_many_sources_that_fit_are_a_few_to_choose_from(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    for number in range(SOURCE_CHOICES + 3):
        new_source(session, f"Text {number}.", title=f"Namesake report {number}")

    soup = page(client, "/?source=namesake")

    assert len(soup.select("#filter-source-problem a.source-choice")) == SOURCE_CHOICES
    assert text(one(soup, "#filter-source-problem p")) == (
        f"“namesake” fits more than {SOURCE_CHOICES} sources: choose one, or type more of its title."
    )


def test_a_title_two_sources_share_lists_both(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    first = new_source(session, "One text.", title="Same headline")
    second = new_source(session, "Another text.", title="Same headline")

    soup = page(client, "/?source=Same+headline")

    ids = [int(attr(a, "data-source-id")) for a in soup.select("#filter-source-problem a.source-choice")]
    assert sorted(ids) == sorted([first.id, second.id])


def test_the_search_page_resolves_the_source_the_same_way(client: TestClient) -> None:
    newsweek = source_id(client, SOURCE_001)
    soup = page(client, "/search?q=oil&source=newsweek&limit=200")

    assert attr(one(soup, "#filter-source"), "value") == TITLES[SOURCE_001]
    results = [attr(item, "data-id") for item in soup.select("li.search-result")]
    assert results
    by_number = page(client, f"/search?q=oil&source={newsweek}&limit=200")
    assert [attr(item, "data-id") for item in by_number.select("li.search-result")] == results
