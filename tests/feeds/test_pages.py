"""The pages announce their feeds (`<link rel="alternate" type="application/atom+xml">` in the head, for
feed readers and browsers) and link to them where a reader sees it; each feed follows its page back."""

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from tests.conftest import sqlite_only
from tests.feeds.reading import ATOM, link, read_feed
from tests.helpers import attr, claim_id, one, page

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML

BASE = "http://127.0.0.1:8000"


def announced_feed(document: BeautifulSoup) -> str:
    """The one feed a page announces in its head, which its visible feed link also leads to."""
    (announced,) = document.select(f'head link[rel="alternate"][type="{ATOM}"]')
    href = attr(announced, "href")
    assert attr(one(document, "main a.feed-link"), "href") == href
    return href


def test_a_claim_page_announces_its_feed(client: TestClient) -> None:
    claim = claim_id(client, "helicopter-strike")

    href = announced_feed(page(client, f"/claims/{claim}"))

    assert href == f"/claims/{claim}/feed.atom"
    assert link(read_feed(client, href).feed, "alternate") == f"{BASE}/claims/{claim}"


def test_an_actor_page_announces_its_feed(client: TestClient) -> None:
    href = announced_feed(page(client, "/actors/dmytro-kuleba"))

    assert href == "/actors/dmytro-kuleba/feed.atom"
    feed = read_feed(client, href)
    assert link(feed.feed, "alternate") == f"{BASE}/actors/dmytro-kuleba"
    assert feed.entries


@pytest.mark.parametrize(
    "query",
    ["", "?status=unconfirmed", "?actor=Kuleba&stance=could_not_verify", "?contested=yes&q=russia"],
)
def test_the_claims_index_announces_the_feed_of_its_selection(client: TestClient, query: str) -> None:
    document = page(client, f"/{query}")
    shown = {int(attr(item, "data-claim-id")) for item in document.select("li.claim-item")}
    assert shown

    href = announced_feed(document)

    assert href == f"/claims.atom{query}"
    feed = read_feed(client, href)
    assert link(feed.feed, "alternate") == f"{BASE}/{query}"
    assert {int(link(entry, "alternate").rsplit("/", 1)[1]) for entry in feed.entries} == shown


def test_a_paged_index_announces_the_feed_without_its_cursor(client: TestClient) -> None:
    first = page(client, "/?status=unverified&limit=2")
    next_page = attr(one(first, "a.next-page"), "href")

    assert announced_feed(page(client, next_page)) == "/claims.atom?status=unverified"
