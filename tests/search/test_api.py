"""GET /api/v1/search and the new filters of GET /api/v1/claims: exact shapes, paging, hostile input, and
an index that follows edits made through the API."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.search import service
from app.vocabulary import Role
from tests.conftest import Accounts
from tests.helpers import claim_id, get_items, get_json, get_problem

Client = tuple[TestClient, Session]
SEARCH_PAGE_KEYS = {"items", "next_cursor", "total", "total_capped"}


def get_page(client: TestClient, url: str) -> dict[str, Any]:
    """One page of search results, checked to hold exactly its items, the next cursor and the count."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    assert set(page) == SEARCH_PAGE_KEYS
    return page


def search_items(client: TestClient, query: str) -> list[dict[str, Any]]:
    page = get_page(client, f"/api/v1/search?{query}&limit=200")
    assert page["next_cursor"] is None
    items: list[dict[str, Any]] = page["items"]
    return items


def kinds_and_ids(items: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(item["kind"], item["id"]) for item in items]


def test_the_first_result_for_ropcke_is_his_actor_entry_in_full(client: TestClient) -> None:
    actor = get_json(client, "/api/v1/actors/julian-ropcke")

    first = get_page(client, "/api/v1/search?q=ropcke&limit=1")["items"][0]

    assert first == {
        "kind": "actor",
        "id": actor["id"],
        "url": "/actors/julian-ropcke",
        "api_url": "/api/v1/actors/julian-ropcke",
        "title": "Julian Röpcke",
        "title_parts": [{"text": "Julian ", "match": False}, {"text": "Röpcke", "match": True}],
        "detail": "Röpcke, Roepcke, Julian Roepcke, Ropcke",
        "detail_parts": [
            {"text": "Röpcke", "match": True},
            {"text": ", ", "match": False},
            {"text": "Roepcke", "match": True},
            {"text": ", Julian ", "match": False},
            {"text": "Roepcke", "match": True},
            {"text": ", ", "match": False},
            {"text": "Ropcke", "match": True},
        ],
        "claim": None,
        "contested": None,
        "stance": None,
        "actor": {"id": actor["id"], "slug": "julian-ropcke", "name": "Julian Röpcke", "kind": "person"},
        "source": None,
    }


def test_a_statement_result_names_its_actor_claim_and_source(client: TestClient) -> None:
    statements = search_items(client, "q=zelensky")
    statement = next(item for item in statements if item["kind"] == "attribution")
    stored = get_json(client, statement["api_url"])

    assert statement == {
        "kind": "attribution",
        "id": stored["id"],
        "url": f"/attributions/{stored['id']}",
        "api_url": f"/api/v1/attributions/{stored['id']}",
        "title": stored["quote"],
        "title_parts": statement["title_parts"],
        "detail": "Volodymyr Zelenskyy",
        "detail_parts": [{"text": "Volodymyr ", "match": False}, {"text": "Zelenskyy", "match": True}],
        "claim": {key: stored["claim"][key] for key in ("id", "slug", "text", "verification_status")},
        "contested": None,
        "stance": stored["stance"],
        "actor": {key: stored["actor"][key] for key in ("id", "slug", "name", "kind")},
        "source": {key: stored["source"][key] for key in ("id", "title", "outlet", "published_on")},
    }
    assert "".join(part["text"] for part in statement["title_parts"]) == stored["quote"]


def test_a_claim_result_says_whether_it_is_contested(client: TestClient) -> None:
    claims = {claim["id"]: claim for claim in get_items(client, "/api/v1/claims?limit=200")}

    results = [item for item in search_items(client, "q=Russia") if item["kind"] == "claim"]

    assert results
    for item in results:
        assert item["contested"] == claims[item["id"]]["contested"]
        assert item["claim"]["verification_status"] == claims[item["id"]]["verification_status"]
    assert {item["contested"] for item in results} == {True, False}


def test_pages_follow_one_another(client: TestClient) -> None:
    everything = search_items(client, "q=Belgorod")
    walked: list[dict[str, Any]] = []
    url = "/api/v1/search?q=Belgorod&limit=7"
    while True:
        page = get_page(client, url)
        walked += page["items"]
        if page["next_cursor"] is None:
            break
        assert len(page["items"]) == 7
        url = f"/api/v1/search?q=Belgorod&limit=7&cursor={page['next_cursor']}"

    assert len(everything) > 14
    assert walked == everything


@pytest.mark.parametrize(
    "cursor", ["nonsense", "eyJhZnRlciI6IDV9", "eyJhZnRlciI6WzEsMl19", "eyJhZnRlciI6WzMsMSw1XX0"]
)
def test_a_bad_cursor_is_a_422(client: TestClient, cursor: str) -> None:
    # "eyJhZnRlciI6IDV9" is the cursor of an id-ordered list; "eyJhZnRlciI6WzEsMl19" ([1, 2]) has too
    # few values; "eyJhZnRlciI6WzMsMSw1XX0" ([3, 1, 5]) names a tier that does not exist.
    problem = get_problem(client, f"/api/v1/search?q=Belgorod&cursor={cursor}", 422)

    assert problem["detail"] == "The cursor is not valid: pass the next_cursor of a previous page unchanged."


@pytest.mark.parametrize(
    "query", ['"', "*", "-x", "NEAR(a b)", "a OR b", "(", "')", "x" * 300, ":*", "&|!", "  ", "💥"]
)
def test_query_syntax_is_plain_words(client: TestClient, query: str) -> None:
    response = client.get("/api/v1/search", params={"q": query})

    assert response.status_code == 200
    assert set(response.json()) == SEARCH_PAGE_KEYS


def test_the_count_is_exact_when_one_page_holds_everything(client: TestClient) -> None:
    everything = search_items(client, "q=Belgorod")

    page = get_page(client, "/api/v1/search?q=Belgorod&limit=200")
    first = get_page(client, "/api/v1/search?q=Belgorod&limit=3")
    second = get_page(client, f"/api/v1/search?q=Belgorod&limit=3&cursor={first['next_cursor']}")

    assert (page["total"], page["total_capped"]) == (len(everything), False)
    assert (first["total"], first["total_capped"]) == (len(everything), False)
    assert (second["total"], second["total_capped"]) == (len(everything), False)
    nothing = get_page(client, "/api/v1/search?q=qqqzzzxxx")
    assert (nothing["total"], nothing["total_capped"]) == (0, False)


def test_a_count_beyond_the_cap_says_so(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = search_items(client, "q=Belgorod")
    monkeypatch.setattr(service, "COUNT_CAP", 5)

    page = get_page(client, "/api/v1/search?q=Belgorod&limit=2")
    one_page = get_page(client, "/api/v1/search?q=Belgorod&limit=200")
    filtered = get_page(client, "/api/v1/search?q=Belgorod&stance=disputed&limit=1")

    assert len(everything) > 5
    assert (page["total"], page["total_capped"]) == (5, True)
    # A page that holds every result counts them exactly, whatever the cap.
    assert (one_page["total"], one_page["total_capped"]) == (len(everything), False)
    disputed = search_items(client, "q=Belgorod&stance=disputed")
    assert (filtered["total"], filtered["total_capped"]) == (
        (5, True) if len(disputed) > 5 else (len(disputed), False)
    )


def test_plain_words_around_syntax_still_match(client: TestClient) -> None:
    plain = kinds_and_ids(search_items(client, "q=false+flag"))

    for noisy in ('"false flag"', "false* -flag", "(false) {flag}: ^"):
        response = client.get("/api/v1/search", params={"q": noisy, "limit": 200})
        assert kinds_and_ids(response.json()["items"]) == plain, noisy


def test_bad_parameters_are_422_problems(client: TestClient) -> None:
    assert get_problem(client, "/api/v1/search", 422)["errors"][0]["field"] == "q"
    assert "NUL" in get_problem(client, "/api/v1/search?q=a%00b", 422)["detail"]
    assert get_problem(client, "/api/v1/search?q=" + "x" * 1001, 422)["errors"][0]["field"] == "q"
    stance = get_problem(client, "/api/v1/search?q=x&stance=bogus", 422)
    assert "asserted" in stance["errors"][0]["allowed"]
    assert get_problem(client, "/api/v1/search?q=x&date_from=2022-04-02&date_to=2022-04-01", 422)[
        "detail"
    ] == ("date_from (2022-04-02) is after date_to (2022-04-01): swap them.")


def test_search_filters_combine(client: TestClient) -> None:
    kuleba = get_json(client, "/api/v1/actors/dmytro-kuleba")

    items = search_items(client, "q=helicopters&actor=kuleba&stance=could_not_verify")

    assert items
    assert {item["kind"] for item in items} >= {"claim", "attribution"}
    for item in items:
        if item["kind"] == "attribution":
            assert (item["actor"]["id"], item["stance"]) == (kuleba["id"], "could_not_verify")
    assert search_items(client, "q=helicopters&actor=kuleba&stance=denied") == []
    assert search_items(client, "q=helicopters&actor=nobody-at-all") == []
    assert search_items(client, "q=Belgorod&date_from=2022-04-02") == []


# ---- the index follows edits made through the API --------------------------------------------------------


def test_an_edited_claim_is_found_by_its_new_text(client_and_session: Client, accounts: Accounts) -> None:
    client, _session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    strike = claim_id(client, "helicopter-strike")
    version = get_json(client, f"/api/v1/claims/{strike}")["version"]

    response = client.patch(
        f"/api/v1/claims/{strike}",
        json={"text": "Two Ukrainian gyrocopters struck the Belgorod oil depot."},
        headers=headers | {"If-Match": f'"{version}"'},
    )

    assert response.status_code == 200, response.text
    assert ("claim", strike) in kinds_and_ids(search_items(client, "q=gyrocopters"))
    (result,) = [item for item in search_items(client, "q=gyrocopter") if item["kind"] == "claim"]
    assert [part["text"] for part in result["title_parts"] if part["match"]] == ["gyrocopters"]


def test_a_deleted_claim_leaves_the_results_with_its_statements(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    false_flag = claim_id(client, "false-flag")
    detail = get_json(client, f"/api/v1/claims/{false_flag}")
    statements = {a["id"] for group in detail["groups"] for a in group["attributions"]}
    assert ("claim", false_flag) in kinds_and_ids(search_items(client, "q=false+flag"))

    response = client.delete(
        f"/api/v1/claims/{false_flag}", headers=headers | {"If-Match": f'"{detail["version"]}"'}
    )

    assert response.status_code == 204, response.text
    after = search_items(client, "q=false+flag")
    assert ("claim", false_flag) not in kinds_and_ids(after)
    assert not statements & {item["id"] for item in after if item["kind"] == "attribution"}


def test_a_deleted_statement_leaves_the_results(client_and_session: Client, accounts: Accounts) -> None:
    client, _session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    statement = next(item for item in search_items(client, "q=Roepcke") if item["kind"] == "attribution")
    version = get_json(client, statement["api_url"])["version"]

    response = client.delete(statement["api_url"], headers=headers | {"If-Match": f'"{version}"'})

    assert response.status_code == 204, response.text
    assert ("attribution", statement["id"]) not in kinds_and_ids(search_items(client, "q=Roepcke"))


def test_a_new_alias_finds_the_actor_and_what_they_said(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    actor = get_json(client, "/api/v1/actors/dmytro-kuleba")
    said = {item["id"] for item in get_items(client, "/api/v1/attributions?actor=dmytro-kuleba&limit=200")}
    assert search_items(client, "q=Kulebinski") == []

    response = client.patch(
        "/api/v1/actors/dmytro-kuleba",
        json={"aliases": [*actor["aliases"], "Kulebinski"]},
        headers=headers | {"If-Match": f'"{actor["version"]}"'},
    )

    assert response.status_code == 200, response.text
    found = search_items(client, "q=kulebinski")
    assert found[0]["url"] == "/actors/dmytro-kuleba"
    assert {item["id"] for item in found if item["kind"] == "attribution"} == said


# ---- the new filters of the claims list ----------------------------------------------------------------


def test_the_contested_filter_splits_the_claims(client: TestClient) -> None:
    every = get_items(client, "/api/v1/claims?limit=200")

    contested = get_items(client, "/api/v1/claims?contested=true&limit=200")
    uncontested = get_items(client, "/api/v1/claims?contested=false&limit=200")

    assert [c["id"] for c in contested] == [c["id"] for c in every if c["contested"]]
    assert [c["id"] for c in uncontested] == [c["id"] for c in every if not c["contested"]]
    assert contested
    assert uncontested


def test_the_date_filters_read_the_sources_publication_dates(client: TestClient) -> None:
    with_statements = [
        c["id"] for c in get_items(client, "/api/v1/claims?limit=200") if c["attribution_count"]
    ]

    same_day = get_items(client, "/api/v1/claims?date_from=2022-04-01&date_to=2022-04-01&limit=200")

    assert [c["id"] for c in same_day] == with_statements
    assert get_items(client, "/api/v1/claims?date_from=2022-04-02") == []
    assert get_items(client, "/api/v1/claims?date_to=2022-03-31") == []
    assert get_problem(client, "/api/v1/claims?date_from=2022-04-02&date_to=2022-04-01", 422)["detail"] == (
        "date_from (2022-04-02) is after date_to (2022-04-01): swap them."
    )


def test_the_new_claim_filters_combine_with_the_old_ones(client: TestClient) -> None:
    disputed = get_items(client, "/api/v1/claims?stance=disputed&limit=200")

    both = get_items(client, "/api/v1/claims?stance=disputed&contested=true&date_from=2022-04-01&limit=200")

    assert [c["id"] for c in both] == [c["id"] for c in disputed if c["contested"]]
    assert both
