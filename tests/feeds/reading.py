"""Reading the Atom feeds as a feed reader does: with feedparser, which says (`bozo`) when a document
is not well-formed XML or not a proper feed."""

from typing import Any

import feedparser
from fastapi.testclient import TestClient

ATOM = "application/atom+xml"


def read_feed(client: TestClient, url: str) -> Any:
    """The feed at `url`, parsed from the answer's bytes (nothing is fetched), checked to be a clean Atom 1.0
    document."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == ATOM
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def link(item: Any, rel: str) -> str:
    """The href of an element's one link of this relation."""
    (found,) = [entry.href for entry in item.links if entry.rel == rel]
    return str(found)
