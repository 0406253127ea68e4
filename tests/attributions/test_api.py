"""GET /api/v1/attributions: the statements of the seeded articles, filtered, paginated, exact."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.vocabulary import Stance, VerificationStatus, values
from tests.helpers import (
    ANNOTATIONS,
    SEED_FILES,
    SOURCE_000,
    SOURCE_001,
    SOURCE_002,
    STATEMENTS,
    TITLES,
    claim_id,
    get_items,
    get_json,
    get_page,
    get_problem,
    not_found,
    source_id,
    walk_pages,
)

ATTRIBUTION_KEYS = {
    "id",
    "stance",
    "quote",
    "quote_start",
    "quote_end",
    "quote_prefix",
    "quote_suffix",
    "medium",
    "note",
    "via",
    "actor",
    "claim",
    "source",
    "created_at",
    "version",
}


def statement_keys(items: list[dict[str, Any]]) -> list[tuple[str, str, str, str, str]]:
    """(source title, actor slug, claim slug, stance, quote) of each item, sorted."""
    return sorted(
        (i["source"]["title"], i["actor"]["slug"], i["claim"]["slug"], i["stance"], i["quote"]) for i in items
    )


def yaml_statements(**where: str) -> list[tuple[str, str, str, str, str]]:
    """The same keys for the statements of annotations.yaml matching `where`, sorted."""
    return sorted(
        (TITLES[s["source"]], s["actor"], s["claim"], s["stance"], s["quote"])
        for s in STATEMENTS
        if all(s[key] == value for key, value in where.items())
    )


# What a reader of the three articles expects


def test_kuleba_could_not_verify_the_helicopter_strike_in_two_sources(client: TestClient) -> None:
    items = get_items(client, "/api/v1/attributions?actor=Kuleba")

    assert [(i["stance"], i["claim"]["slug"], i["source"]["title"]) for i in items] == [
        ("could_not_verify", "helicopter-strike", TITLES[SOURCE_000]),
        ("could_not_verify", "helicopter-strike", TITLES[SOURCE_002]),
    ]
    assert items[0]["quote"] == (
        "Ukrainian Foreign Minister Dmytro Kuleba said he could not confirm or deny that the explosion "
        "came after Ukrainian helicopters attacked the site on Friday"
    )
    assert [step["actor"]["slug"] for step in items[0]["via"]] == ["reuters"]
    assert items[1]["via"] == []


def test_peskov_asserted_that_talks_are_hampered_in_000_and_001(client: TestClient) -> None:
    talks = claim_id(client, "talks-hampered")

    items = get_items(client, f"/api/v1/attributions?actor=Peskov&claim={talks}")

    assert {i["stance"] for i in items} == {"asserted"}
    assert {TITLES[SOURCE_000], TITLES[SOURCE_001]} <= {i["source"]["title"] for i in items}
    assert statement_keys(items) == yaml_statements(actor="dmitry-peskov", claim="talks-hampered")
    assert (
        TITLES[SOURCE_000],
        "dmitry-peskov",
        "talks-hampered",
        "asserted",
        "“Of course this cannot be perceived as creating comfortable conditions for continuing the talks,”"
        " Peskov said.",
    ) in statement_keys(items)


def test_gladkov_in_newsweek_reached_it_by_telegram_and_the_moscow_times(client: TestClient) -> None:
    newsweek, strike = source_id(client, SOURCE_001), claim_id(client, "helicopter-strike")

    (item,) = get_items(client, f"/api/v1/attributions?actor=Gladkov&source={newsweek}&claim={strike}")

    assert item["stance"] == "asserted"
    assert item["medium"] == "Telegram post"
    assert item["actor"]["slug"] == "vyacheslav-gladkov"
    assert item["actor"]["role"] == "Governor of Belgorod Oblast"
    assert item["source"]["outlet"] == "Newsweek"
    assert [(step["position"], step["actor"]["slug"], step["medium"]) for step in item["via"]] == [
        (0, "the-moscow-times", "news report")
    ]
    assert item["via"][0]["actor"] == {
        "id": item["via"][0]["actor"]["id"],
        "slug": "the-moscow-times",
        "name": "The Moscow Times",
        "kind": "outlet",
    }


def test_the_new_york_times_confirmed_the_airstrike(client: TestClient) -> None:
    (item,) = get_items(client, "/api/v1/attributions?actor=The New York Times&stance=confirmed")

    assert item["claim"]["slug"] == "airstrike-caused-fire"
    assert item["claim"]["verification_status"] == "confirmed"
    assert item["medium"] == "video review"
    assert item["quote"] == (
        "The Times said that after its review of the video, it was confirmed that an airstrike caused "
        "the fire raging at the oil depot."
    )
    assert item["source"]["title"] == TITLES[SOURCE_000]


def test_a_reporting_chain_is_ordered_by_position(client: TestClient) -> None:
    general_staff = get_items(
        client, "/api/v1/attributions?actor=Ukrainian General Staff&stance=could_not_verify"
    )

    chains = [[(s["position"], s["actor"]["slug"], s["medium"]) for s in i["via"]] for i in general_staff]
    assert chains == [
        [(0, "filipp-piatov", None), (1, "julian-ropcke", "tweet")],
        [(0, "filipp-piatov", None), (1, "julian-ropcke", "tweet")],
        [(0, "filipp-piatov", None), (1, "julian-ropcke", "tweet")],
    ]


# Any spelling of an actor


@pytest.mark.parametrize("spelling", ["Röpcke", "Roepcke", "roepcke", "Ropcke", "Julian Röpcke", "RÖPCKE"])
def test_any_spelling_of_ropcke_gives_his_statements(client: TestClient, spelling: str) -> None:
    items = get_items(client, f"/api/v1/attributions?actor={spelling}")

    assert statement_keys(items) == yaml_statements(actor="julian-ropcke")
    assert {i["actor"]["name"] for i in items} == {"Julian Röpcke"}


@pytest.mark.parametrize("spelling", ["Zelensky", "Zelenskyy", "Zelenskiy", "Зеленский", "Зеленський"])
def test_any_spelling_of_zelenskyy_gives_his_statements(client: TestClient, spelling: str) -> None:
    items = get_items(client, f"/api/v1/attributions?actor={spelling}")

    assert statement_keys(items) == yaml_statements(actor="volodymyr-zelenskyy")
    assert len(items) == 2


@pytest.mark.parametrize("name", ["Navalny", "Kuleb", "zzz", "!!!"])
def test_an_unknown_actor_gives_an_empty_page(client: TestClient, name: str) -> None:
    assert get_page(client, f"/api/v1/attributions?actor={name}") == {"items": [], "next_cursor": None}


# Exact shapes


def test_an_attribution_has_exactly_the_documented_keys(client: TestClient) -> None:
    items = get_items(client, "/api/v1/attributions?limit=200")

    assert len(items) == len(STATEMENTS)
    for item in items:
        assert set(item) == ATTRIBUTION_KEYS
        assert set(item["actor"]) == {"id", "slug", "name", "kind", "aliases", "role"}
        assert set(item["claim"]) == {"id", "slug", "text", "verification_status"}
        assert set(item["source"]) == {"id", "title", "outlet", "published_on"}
        for step in item["via"]:
            assert set(step) == {"position", "actor", "medium"}
            assert set(step["actor"]) == {"id", "slug", "name", "kind"}


def test_one_attribution_by_id_is_the_same_as_in_the_list(client: TestClient) -> None:
    listed = get_page(client, "/api/v1/attributions?actor=Roepcke&limit=1")["items"][0]

    response = client.get(f"/api/v1/attributions/{listed['id']}")

    assert response.status_code == 200
    assert response.json() == listed


def test_an_attribution_shows_its_quote_in_context(client: TestClient) -> None:
    (item,) = get_items(
        client, f"/api/v1/attributions?actor=Julian Röpcke&source={source_id(client, SOURCE_000)}"
    )
    source = client.get(f"/api/v1/sources/{item['source']['id']}").json()

    assert item == {
        "id": item["id"],
        "stance": "asserted",
        "quote": "Julian Roepcke said it “could have been a Russian false flag operation to justify further "
        "brutal attacks.”",
        "quote_start": source["text"].index("Julian Roepcke said it"),
        "quote_end": source["text"].index("Julian Roepcke said it") + len(item["quote"]),
        "quote_prefix": source["text"][item["quote_start"] - 32 : item["quote_start"]],
        "quote_suffix": source["text"][item["quote_end"] : item["quote_end"] + 32],
        "medium": "tweet",
        "note": next(
            s["note"] for s in STATEMENTS if s["actor"] == "julian-ropcke" and s["source"] == SOURCE_000
        ),
        "via": [],
        "actor": {
            "id": item["actor"]["id"],
            "slug": "julian-ropcke",
            "name": "Julian Röpcke",
            "kind": "person",
            "aliases": ["Röpcke", "Roepcke", "Julian Roepcke", "Ropcke", "@JulianRoepcke"],
            "role": "Bild reporter",
        },
        "claim": {
            "id": claim_id(client, "false-flag"),
            "slug": "false-flag",
            "text": "The 1 April 2022 attack on the Belgorod oil depot was a Russian false-flag operation.",
            "verification_status": "unconfirmed",
        },
        "source": {
            "id": source_id(client, SOURCE_000),
            "title": TITLES[SOURCE_000],
            "outlet": None,
            "published_on": "2022-04-01",
        },
        "created_at": item["created_at"],
        "version": 1,
    }


# Filters


@pytest.mark.parametrize("stance", values(Stance))
def test_stance_filter(client: TestClient, stance: str) -> None:
    items = get_items(client, f"/api/v1/attributions?stance={stance}&limit=200")

    assert statement_keys(items) == yaml_statements(stance=stance)


@pytest.mark.parametrize("file_name", SEED_FILES)
def test_source_filter(client: TestClient, file_name: str) -> None:
    items = get_items(client, f"/api/v1/attributions?source={source_id(client, file_name)}&limit=200")

    assert statement_keys(items) == yaml_statements(source=file_name)


@pytest.mark.parametrize("slug", ["helicopter-strike", "false-flag", "air-superiority", "depot-fire"])
def test_claim_filter(client: TestClient, slug: str) -> None:
    items = get_items(client, f"/api/v1/attributions?claim={claim_id(client, slug)}&limit=200")

    assert statement_keys(items) == yaml_statements(claim=slug)


def test_filters_combine_on_one_statement(client: TestClient) -> None:
    strike = claim_id(client, "helicopter-strike")
    source_002 = source_id(client, SOURCE_002)

    items = get_items(
        client, f"/api/v1/attributions?claim={strike}&source={source_002}&stance=declined_to_comment"
    )

    assert statement_keys(items) == yaml_statements(
        claim="helicopter-strike", source=SOURCE_002, stance="declined_to_comment"
    )
    assert [i["actor"]["slug"] for i in items] == ["russian-defense-ministry"]
    assert get_items(client, "/api/v1/attributions?actor=Kuleba&stance=asserted") == []


@pytest.mark.parametrize("status", values(VerificationStatus))
def test_status_filter_gives_the_statements_of_claims_with_that_status(
    client: TestClient, status: str
) -> None:
    with_status = {claim["key"] for claim in ANNOTATIONS["claims"] if claim["status"] == status}

    items = get_items(client, f"/api/v1/attributions?status={status}&limit=200")

    assert statement_keys(items) == sorted(key for key in yaml_statements() if key[2] in with_status)


@pytest.mark.parametrize("words", ["helicopters", "HELICOP", "hélico", "Helicopters airstrike"])
def test_text_filter_matches_the_starts_of_words_in_quotes_in_any_case(
    client: TestClient, words: str
) -> None:
    folded = [word.lower().replace("é", "e") for word in words.split()]

    items = get_items(client, f"/api/v1/attributions?q={words}&limit=200")

    expected = [
        key
        for key in yaml_statements()
        if all(re.search(rf"\b{re.escape(word)}", key[4].lower()) for word in folded)
    ]
    assert expected
    assert statement_keys(items) == expected


def test_text_filter_finds_roepcke_quoted_under_any_spelling(client: TestClient) -> None:
    items = get_items(client, "/api/v1/attributions?q=Röpcke")

    found = [(item["actor"]["slug"], item["claim"]["slug"]) for item in items]
    assert found == [("julian-ropcke", "false-flag")]


def test_text_and_status_and_actor_combine(client: TestClient) -> None:
    url = "/api/v1/attributions?actor=Gladkov&q=helicopters&status=partly_confirmed&limit=200"

    items = get_items(client, url)

    assert statement_keys(items) == [
        key
        for key in yaml_statements(actor="vyacheslav-gladkov", claim="helicopter-strike")
        if "helicopters" in key[4]
    ]
    assert len(items) == 3


def test_a_text_filter_without_a_word_is_a_problem(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/attributions?q=%25%25", 422)

    assert "no word to look for" in problem["detail"]


def test_an_unknown_claim_or_source_filter_gives_an_empty_page(client: TestClient) -> None:
    assert get_page(client, "/api/v1/attributions?claim=999999") == {"items": [], "next_cursor": None}
    assert get_page(client, "/api/v1/attributions?source=999999") == {"items": [], "next_cursor": None}


# Pagination


def test_walking_pages_of_seven_returns_every_attribution_once_in_order(client: TestClient) -> None:
    everything = get_items(client, "/api/v1/attributions?limit=200")
    pages = walk_pages(client, "/api/v1/attributions", 7)
    walked = [item for page in pages for item in page["items"]]

    assert walked == everything
    assert len(walked) == len(STATEMENTS)
    assert len(pages) == -(-len(STATEMENTS) // 7)
    assert [i["id"] for i in walked] == sorted({i["id"] for i in walked})


def test_a_filtered_walk_keeps_its_filter(client: TestClient) -> None:
    first = get_page(client, "/api/v1/attributions?stance=asserted&limit=7")
    second = get_page(client, f"/api/v1/attributions?stance=asserted&limit=7&cursor={first['next_cursor']}")

    assert {i["stance"] for i in first["items"] + second["items"]} == {"asserted"}
    assert first["items"][-1]["id"] < second["items"][0]["id"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "eyJhZnRlciI6LTF9",  # {"after":-1}
        "eyJhZnRlciI6IjMifQ",  # {"after":"3"}
        "eyJiZWZvcmUiOjN9",  # {"before":3}
        "e30",  # {}
        "%20",
    ],
)
def test_a_tampered_cursor_is_a_problem_with_a_helpful_detail(client: TestClient, cursor: str) -> None:
    problem = get_problem(client, f"/api/v1/attributions?cursor={cursor}", 422)

    assert problem == {
        "type": "about:blank",
        "title": "Invalid input",
        "status": 422,
        "detail": "The cursor is not valid: pass the next_cursor of a previous page unchanged.",
    }


@pytest.mark.parametrize("limit", ["0", "-1", "201", "1000", "seven"])
def test_an_out_of_range_limit_is_a_problem(client: TestClient, limit: str) -> None:
    problem = get_problem(client, f"/api/v1/attributions?limit={limit}", 422)

    assert (problem["title"], problem["status"]) == ("Invalid request", 422)
    assert problem["detail"].startswith("limit: ")
    assert [(error["field"], error["input"]) for error in problem["errors"]] == [("limit", limit)]


# Errors


def test_an_unknown_stance_lists_the_allowed_ones(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/attributions?stance=rumoured", 422)

    assert problem["errors"] == [
        {
            "field": "stance",
            "message": problem["errors"][0]["message"],
            "input": "rumoured",
            "allowed": values(Stance),
        }
    ]
    assert problem["detail"].endswith(f"(allowed: {', '.join(values(Stance))})")


def test_an_unknown_attribution_is_a_404_problem(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/attributions/999999", 404)

    assert problem == not_found("There is no attribution 999999.")


def test_actor_id_and_relayed_by_select_by_id(client: TestClient) -> None:
    ropcke = get_json(client, "/api/v1/actors/julian-ropcke")
    said = get_items(client, f"/api/v1/attributions?actor_id={ropcke['id']}&limit=200")

    assert said
    assert {item["actor"]["slug"] for item in said} == {"julian-ropcke"}
    assert [item["id"] for item in said] == [
        item["id"] for item in get_items(client, "/api/v1/attributions?actor=Roepcke&limit=200")
    ]
    # With a name too, both must designate the statement's actor.
    assert get_items(client, f"/api/v1/attributions?actor_id={ropcke['id']}&actor=Kuleba") == []

    relayed = get_items(client, f"/api/v1/attributions?relayed_by={ropcke['id']}&limit=200")
    assert relayed
    for item in relayed:
        assert "julian-ropcke" in [step["actor"]["slug"] for step in item["via"]]
    everything = get_items(client, "/api/v1/attributions?limit=200")
    assert {item["id"] for item in relayed} == {
        item["id"] for item in everything if any(s["actor"]["id"] == ropcke["id"] for s in item["via"])
    }
