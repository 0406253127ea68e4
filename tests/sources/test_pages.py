"""The sources pages: the index, and each source's full text with every attributed span marked."""

import hashlib

import pytest
from bs4 import Tag
from fastapi.testclient import TestClient

from tests.conftest import sqlite_only
from tests.helpers import (
    SEED_FILES,
    SOURCE_ENTRIES,
    attr,
    get_items,
    one,
    page,
    source_detail,
    source_statements,
    text,
)

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML

SEED_SOURCES = {entry["file"]: entry for entry in SOURCE_ENTRIES}


# ---- helpers ---------------------------------------------------------------------------------------------


def marked_ids(mark: Tag) -> list[int]:
    return [int(value) for value in attr(mark, "data-attributions").split()]


# ---- a source's page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_name", SEED_FILES)
def test_every_statement_has_one_marker_in_the_text_and_one_entry_below(
    client: TestClient, file_name: str
) -> None:
    source = source_detail(client, file_name)
    soup = page(client, f"/sources/{source['id']}")

    text_div = one(soup, "div.source-text")
    entries = one(soup, "ol.source-attributions").select(":scope > li.attribution")
    # Statements are numbered in text order, the order of the API's list.
    assert [attr(entry, "id") for entry in entries] == [
        f"attribution-{a['id']}" for a in source_statements(source)
    ]
    assert len(text_div.select("a.ref")) == len(source_statements(source))
    numbers = {}
    for attribution in source_statements(source):
        marker = one(text_div, f"sup.ref-mark > a.ref#ref-{attribution['id']}")
        assert attr(marker, "href") == f"#attribution-{attribution['id']}"
        numbers[attribution["id"]] = marker.get_text()
        entry = one(soup, f"ol.source-attributions > li.attribution#attribution-{attribution['id']}")
        back = one(entry, "a.ref-back")
        assert (attr(back, "href"), back.get_text()) == (
            f"#ref-{attribution['id']}",
            numbers[attribution["id"]],
        )
        claim_link = one(entry, "a.claim-link")
        assert attr(claim_link, "href") == f"/attributions/{attribution['id']}"
        assert claim_link.get_text() == attribution["claim"]["text"]
        assert one(entry, "mark.quote").get_text() == attribution["quote"]
        assert attr(one(entry, ".attribution-head a.actor-link"), "href") == (
            f"/actors/{attribution['actor']['slug']}"
        )
        assert one(entry, "li.chain-source").get_text() == "this source"
    assert [numbers[a["id"]] for a in source_statements(source)] == [
        f"[{n}]" for n in range(1, len(source_statements(source)) + 1)
    ]


@pytest.mark.parametrize("file_name", SEED_FILES)
def test_every_mark_links_to_the_claim_of_a_statement_it_carries(client: TestClient, file_name: str) -> None:
    source = source_detail(client, file_name)
    claim_of = {a["id"]: a["claim"]["id"] for a in source_statements(source)}
    soup = page(client, f"/sources/{source['id']}")

    marks = one(soup, "div.source-text").select("mark")
    assert {i for mark in marks for i in marked_ids(mark)} == set(claim_of)
    for mark in marks:
        ids = marked_ids(mark)
        assert attr(mark, "data-depth") == str(len(ids))
        link = mark.parent
        assert link is not None
        assert link.name == "a"
        assert "span-link" in link.get_attribute_list("class")
        assert attr(link, "href") in {f"/attributions/{i}" for i in ids}
        (stance,) = [c for c in mark.get_attribute_list("class") if c.startswith("stance-")]
        linked = int(attr(link, "href").removeprefix("/attributions/"))
        (attribution,) = [a for a in source_statements(source) if a["id"] == linked]
        assert stance == f"stance-{attribution['stance']}"


@pytest.mark.parametrize("file_name", SEED_FILES)
def test_the_marks_of_each_statement_spell_its_quote(client: TestClient, file_name: str) -> None:
    source = source_detail(client, file_name)
    soup = page(client, f"/sources/{source['id']}")

    marks = one(soup, "div.source-text").select("mark")
    for attribution in source_statements(source):
        spelled = "".join(mark.get_text() for mark in marks if attribution["id"] in marked_ids(mark))
        assert spelled == attribution["quote"]
        assert source["text"][attribution["quote_start"] : attribution["quote_end"]] == attribution["quote"]


@pytest.mark.parametrize("file_name", SEED_FILES)
def test_the_page_shows_the_whole_text_exactly(client: TestClient, file_name: str) -> None:
    source = source_detail(client, file_name)
    soup = page(client, f"/sources/{source['id']}")

    text_div = one(soup, "div.source-text")
    for marker in text_div.select("sup.ref-mark"):
        marker.decompose()
    # Exact, not whitespace-normalised: every quote offset depends on each character of the text.
    assert text_div.get_text() == source["text"]


@pytest.mark.parametrize("file_name", SEED_FILES)
def test_the_page_shows_the_source_facts(client: TestClient, file_name: str) -> None:
    source = source_detail(client, file_name)
    seed = SEED_SOURCES[file_name]
    soup = page(client, f"/sources/{source['id']}")

    assert [heading.get_text() for heading in soup.select("h1")] == [seed["title"]]
    sha256 = one(soup, "dd.sha256 code").get_text()
    assert sha256 == source["sha256"] == hashlib.sha256(source["text"].encode("utf-8")).hexdigest()
    notes = [text(tag) for tag in soup.select("dd.notes")]
    assert notes == [" ".join(seed["notes"].split())]
    assert text(one(soup, "dd.outlet")) == (seed["outlet"] or "unknown")
    supplied = soup.select("p.title-supplied")
    assert len(supplied) == (1 if seed["title_supplied"] else 0)
    assert one(soup, "nav.site-nav a[aria-current='page']").get_text() == "Sources"
    assert attr(one(soup, "a.skip-link"), "href") == "#main"
    assert len(soup.select("main#main")) == 1
    assert soup.title is not None
    title = soup.title.get_text()
    assert title.startswith("Source: ")
    assert title.endswith(" — claimtrack")
    shown = title.removeprefix("Source: ").removesuffix(" — claimtrack")
    assert shown == seed["title"] or (
        shown.endswith("…") and seed["title"].startswith(shown.removesuffix("…"))
    )


def test_only_the_source_whose_title_was_supplied_says_so(client: TestClient) -> None:
    supplied_files = [entry["file"] for entry in SOURCE_ENTRIES if entry["title_supplied"]]
    assert supplied_files == [SEED_FILES[0]]
    for file_name in SEED_FILES:
        soup = page(client, f"/sources/{source_detail(client, file_name)['id']}")

        notes = [text(tag) for tag in soup.select("p.title-supplied")]
        expected = ["Title supplied by the editors: the text has no headline of its own."]
        assert notes == (expected if file_name in supplied_files else [])


# ---- the sources index -----------------------------------------------------------------------------------


def test_the_index_lists_every_source_with_its_statement_count(client: TestClient) -> None:
    sources = get_items(client, "/api/v1/sources")
    soup = page(client, "/sources")

    items = soup.select("ul.source-list > li.source-item")
    assert [attr(item, "data-source-id") for item in items] == [str(source["id"]) for source in sources]
    assert {source["title"] for source in sources} == {entry["title"] for entry in SOURCE_ENTRIES}
    for item, source in zip(items, sources, strict=True):
        assert attr(item, "id") == f"source-{source['id']}"
        link = one(item, "h2.source-title a")
        assert (attr(link, "href"), link.get_text()) == (f"/sources/{source['id']}", source["title"])
        assert attr(one(item, ".source-count"), "data-count") == str(source["attribution_count"])
        notes = [tag.get_text() for tag in item.select(".title-supplied-note")]
        assert notes == (["(title supplied by the editors)"] if source["title_supplied"] else [])


def test_the_index_is_the_sources_page_of_the_site(client: TestClient) -> None:
    soup = page(client, "/sources")

    assert soup.title is not None
    assert soup.title.get_text() == "Sources — claimtrack"
    assert [heading.get_text() for heading in soup.select("h1")] == ["Sources"]
    assert one(soup, "nav.site-nav a[aria-current='page']").get_text() == "Sources"
