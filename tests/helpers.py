"""What the tests share: the project's seeds as the YAML states them, the JSON API, parsed pages, rows.

The seed constants are read once, at import, and must not be changed by a test: every test module
sees the same objects. A test that needs to edit a seed file reads its own copy with `read_yaml`.
"""

import asyncio
import concurrent.futures
import unicodedata
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import yaml
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.main import app
from app.models import AuditEntry, Base
from app.seeds import ANNOTATIONS_FILE, SOURCES_FILE
from app.urls import Paths

# ---- the seeds ---------------------------------------------------------------------------------------------


def read_yaml(seed_dir: Path, name: str) -> dict[str, Any]:
    """A seed YAML file of `seed_dir`, freshly read."""
    document = yaml.safe_load((seed_dir / name).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def seed_text(file_name: str) -> str:
    """A seed source's text as the loader stores it: NFC-normalised."""
    return unicodedata.normalize("NFC", (SEEDS_DIR / file_name).read_bytes().decode("utf-8"))


SEEDS_DIR = get_settings().seeds_dir
ANNOTATIONS = read_yaml(SEEDS_DIR, ANNOTATIONS_FILE)
STATEMENTS: list[dict[str, Any]] = ANNOTATIONS["attributions"]
SOURCE_ENTRIES: list[dict[str, Any]] = read_yaml(SEEDS_DIR, SOURCES_FILE)["sources"]
SEED_FILES: list[str] = [entry["file"] for entry in SOURCE_ENTRIES]
SOURCE_000, SOURCE_001, SOURCE_002 = SEED_FILES
TITLES: dict[str, str] = {entry["file"]: entry["title"] for entry in SOURCE_ENTRIES}


# ---- the JSON API ------------------------------------------------------------------------------------------


def get_json(client: TestClient, url: str) -> Any:
    """The JSON answer to a GET of `url`, checked to be a 200."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    return response.json()


def get_page(client: TestClient, url: str) -> dict[str, Any]:
    """One page of an API collection, checked to hold exactly its items and the next cursor."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    assert set(page) == {"items", "next_cursor"}
    return page


def get_items(client: TestClient, url: str) -> list[dict[str, Any]]:
    """The items of an API collection that `url` answers in one page."""
    page = get_page(client, url)
    assert page["next_cursor"] is None, f"{url} has more than one page"
    items: list[dict[str, Any]] = page["items"]
    return items


def whole_group(client: TestClient, group: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement of a claim's stance group: the ones the claim shows, then the pages its
    `next_url` leads to."""
    statements = list(group["attributions"])
    url = group["next_url"]
    while url:
        page = get_page(client, url)
        statements += page["items"]
        url = f"{url.split('&cursor=')[0]}&cursor={page['next_cursor']}" if page["next_cursor"] else None
    assert len(statements) == group["attribution_count"]
    return statements


def walk_pages(client: TestClient, collection: str, limit: int) -> list[dict[str, Any]]:
    """Every page of an API collection in turn, following each next_cursor: all but the last are full."""
    pages: list[dict[str, Any]] = []
    url = f"{collection}?limit={limit}"
    while True:
        page = get_page(client, url)
        pages.append(page)
        if page["next_cursor"] is None:
            return pages
        assert len(page["items"]) == limit
        url = f"{collection}?limit={limit}&cursor={page['next_cursor']}"


def get_problem(client: TestClient, url: str, status: int) -> dict[str, Any]:
    """The application/problem+json answer to a GET of `url`, checked to carry `status`."""
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    return problem


def not_found(detail: str, **extra: Any) -> dict[str, Any]:
    """The whole problem body of a 404 that says `detail` (and, say, `did_you_mean`)."""
    return {"type": "about:blank", "title": "Not found", "status": 404, "detail": detail, **extra}


def slugs(client: TestClient, url: str) -> list[str]:
    """The slugs of the items `url` lists in one page, in the API's order."""
    return [item["slug"] for item in get_items(client, url)]


def claim_id(client: TestClient, slug: str) -> int:
    """A claim's id, found through the API by its slug (the key in annotations.yaml)."""
    (claim,) = [c for c in get_items(client, "/api/v1/claims?limit=200") if c["slug"] == slug]
    return int(claim["id"])


def claim_detail(client: TestClient, slug: str) -> dict[str, Any]:
    """A claim's detail, found through the API by its slug (the key in annotations.yaml)."""
    detail: dict[str, Any] = get_json(client, f"/api/v1/claims/{claim_id(client, slug)}")
    return detail


def source_id(client: TestClient, file_name: str) -> int:
    """A seed source's id, found through the API by the title sources.yaml gives its file."""
    (title,) = [entry["title"] for entry in SOURCE_ENTRIES if entry["file"] == file_name]
    (source,) = [s for s in get_items(client, "/api/v1/sources") if s["title"] == title]
    return int(source["id"])


def source_detail(client: TestClient, file_name: str) -> dict[str, Any]:
    """A seed source's detail, found through the API by the title sources.yaml gives its file."""
    detail: dict[str, Any] = get_json(client, f"/api/v1/sources/{source_id(client, file_name)}")
    return detail


def source_statements(source: dict[str, Any]) -> list[dict[str, Any]]:
    """A seed source's statements from its API answer, in text order (as its page numbers them): a seed
    source has fewer than a page of them, so its answer holds them all."""
    first = source["attributions"]
    assert first["next_url"] is None
    assert first["total"] == len(first["items"])
    items: list[dict[str, Any]] = first["items"]
    return sorted(items, key=lambda a: (a["quote_start"], -a["quote_end"], a["id"]))


PATHS: Paths = app.state.paths
"""The app's paths, for calling a service that puts links in what it returns."""


# ---- pages -------------------------------------------------------------------------------------------------


def textarea_value(textarea: Tag) -> str:
    """What a browser shows and submits: HTML drops the one newline right after <textarea>."""
    return textarea.get_text().removeprefix("\n")


def as_parsed(typed: str) -> str:
    """What a parser of HTML (a browser's, or lxml) reads of text the page holds as typed: line breaks as
    LF (HTML's input stream preprocessing), NUL as U+FFFD."""
    return typed.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


def parse(html: str) -> BeautifulSoup:
    """Parse a page keeping every character: BeautifulSoup otherwise collapses whitespace-only strings,
    and a source's text is shown whitespace and all (white-space: pre-wrap). lxml: a quarter less time
    per page than html.parser."""
    return BeautifulSoup(html, "lxml", preserve_whitespace_tags={"html"})


def page(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    """The HTML page answering a GET of `url`, checked to carry `status`, parsed."""
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return parse(response.text)


def one(scope: BeautifulSoup | Tag, selector: str) -> Tag:
    """The one element of `scope` that `selector` matches."""
    found = scope.select(selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0]


def attr(tag: Tag, name: str) -> str:
    """The single value of an attribute the tag must have."""
    value = tag.get(name)
    assert isinstance(value, str), f"<{tag.name}> has no single {name!r} attribute"
    return value


def text(tag: Tag) -> str:
    """The text a reader sees, whitespace runs read as one space."""
    return " ".join(tag.get_text().split())


# ---- rows --------------------------------------------------------------------------------------------------


def row_counts(session: Session, *models: type[Base]) -> dict[str, int]:
    """Rows in each model's table, by table name, counting what the session has not flushed yet."""
    session.flush()
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0 for model in models
    }


def audit_trail(session: Session, object_type: str, object_id: int) -> list[AuditEntry]:
    """The audit records of one object (`object_type` is its table), oldest first."""
    session.flush()
    statement = (
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(statement))


T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to its end in an event loop of its own, on a thread of its own.

    The browser tests (Playwright's sync API) leave an event loop running in the main thread, in which
    `asyncio.run` refuses to start another.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()
