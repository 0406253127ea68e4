"""GET /api/v1/sources: the three seeded articles, their exact texts and every attributed span."""

import hashlib

import pytest
from fastapi.testclient import TestClient

from tests.helpers import (
    SEED_FILES,
    SOURCE_001,
    SOURCE_ENTRIES,
    STATEMENTS,
    get_page,
    get_problem,
    not_found,
    seed_text,
    source_detail,
    source_statements,
)

SOURCE_KEYS = {
    "id",
    "title",
    "title_supplied",
    "outlet",
    "url",
    "published_on",
    "language",
    "sha256",
    "attribution_count",
    "proposals_waiting",
    "ingested_by",
    "ingested_at",
    "version",
}


def test_the_list_has_the_three_articles_as_sources_yaml_describes_them(client: TestClient) -> None:
    page = get_page(client, "/api/v1/sources")

    assert page["next_cursor"] is None
    assert [
        {key: source[key] for key in source if key not in ("id", "ingested_at")} for source in page["items"]
    ] == [
        {
            "title": entry["title"],
            "title_supplied": entry["title_supplied"],
            "outlet": entry["outlet"],
            "url": entry["url"],
            "published_on": entry["published_on"].isoformat(),
            "language": entry["language"],
            "sha256": hashlib.sha256(seed_text(entry["file"]).encode("utf-8")).hexdigest(),
            "attribution_count": sum(1 for s in STATEMENTS if s["source"] == entry["file"]),
            "proposals_waiting": 0,
            "ingested_by": "seed",
            "version": 1,
        }
        for entry in SOURCE_ENTRIES
    ]
    assert {key for source in page["items"] for key in source} == SOURCE_KEYS


def test_outlet_filter_ignores_case(client: TestClient) -> None:
    page = get_page(client, "/api/v1/sources?outlet=newsweek")

    assert [source["title"] for source in page["items"]] == [
        entry["title"] for entry in SOURCE_ENTRIES if entry["outlet"] == "Newsweek"
    ]
    assert get_page(client, "/api/v1/sources?outlet=Pravda") == {"items": [], "next_cursor": None}


def test_pages_of_two_walk_every_source(client: TestClient) -> None:
    first = get_page(client, "/api/v1/sources?limit=2")
    second = get_page(client, f"/api/v1/sources?limit=2&cursor={first['next_cursor']}")

    assert [s["title"] for s in first["items"] + second["items"]] == [e["title"] for e in SOURCE_ENTRIES]
    assert second["next_cursor"] is None


@pytest.mark.parametrize("file_name", SEED_FILES)
def test_a_source_has_its_exact_text_and_its_statements_in_id_order(
    client: TestClient, file_name: str
) -> None:
    detail = source_detail(client, file_name)

    text = seed_text(file_name)
    assert detail["text"] == text
    assert set(detail) == SOURCE_KEYS | {"text", "notes", "attributions"}
    # A seed source has fewer statements than a page: the first page is all of them, and says so.
    first = detail["attributions"]
    seeded = [s for s in STATEMENTS if s["source"] == file_name]
    assert (first["total"], first["next_cursor"], first["next_url"]) == (len(seeded), None, None)
    assert first["total"] == detail["attribution_count"]
    ids = [a["id"] for a in first["items"]]
    assert ids == sorted(ids)
    assert sorted((a["actor"]["slug"], a["claim"]["slug"], a["quote"]) for a in first["items"]) == sorted(
        (s["actor"], s["claim"], s["quote"]) for s in seeded
    )
    for attribution in first["items"]:
        assert text[attribution["quote_start"] : attribution["quote_end"]] == attribution["quote"]
        assert attribution["source"]["id"] == detail["id"]
    # The same as the statements list filtered by the source.
    assert first["items"] == get_page(client, f"/api/v1/attributions?source={detail['id']}")["items"]


def test_newsweek_has_gladkovs_telegram_post_via_the_moscow_times(client: TestClient) -> None:
    detail = source_detail(client, SOURCE_001)

    gladkov = [
        (a["claim"]["slug"], a["medium"], [step["actor"]["slug"] for step in a["via"]])
        for a in source_statements(detail)
        if a["actor"]["slug"] == "vyacheslav-gladkov"
    ]
    assert gladkov == [
        ("helicopter-strike", "Telegram post", ["the-moscow-times"]),
        ("low-altitude-entry", "Telegram post", ["the-moscow-times"]),
    ]


def test_an_unknown_source_is_a_404_problem(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/sources/999999", 404)

    assert problem == not_found("There is no source 999999.")


def test_a_source_id_that_is_not_a_number_is_a_422_problem(client: TestClient) -> None:
    problem = get_problem(client, "/api/v1/sources/000_64c96dffa7f00fd5.txt", 422)

    assert [e["field"] for e in problem["errors"]] == ["source_id"]
