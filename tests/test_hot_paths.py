"""On a generated corpus (Zipf-like popularity: a few claims, actors and sources carry most statements),
every page type stays within its budget of bytes and queries, and the queries behind the pages and
lists people open most read indexes, never a whole table."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import sessionmaker

from app.main import create_app
from app.web import get_session
from tests.conftest import QueryLog, sqlite_only

PAGE_BYTES = 200_000
PAGE_QUERIES = 20


@dataclass(frozen=True)
class Busiest:
    actor_name: str
    actor_slug: str
    claim: int
    source: int


def busiest(engine: Engine) -> Busiest:
    live = "deleted_at IS NULL"
    with engine.connect() as connection:

        def top(column: str) -> int:
            query = f"SELECT {column} FROM attributions WHERE {live} GROUP BY {column}"
            return int(connection.scalar(text(query + f" ORDER BY count(*) DESC, {column} LIMIT 1")))

        actor = connection.execute(
            text("SELECT name, slug FROM actors WHERE id = :id"), {"id": top("actor_id")}
        ).one()
        return Busiest(actor.name, actor.slug, top("claim_id"), top("source_id"))


def hot_urls(subjects: Busiest, *, pages: bool) -> list[str]:
    actor = quote(subjects.actor_name)
    api = [
        "/api/v1/claims",
        f"/api/v1/claims?actor={actor}",
        f"/api/v1/claims?actor={actor}&stance=asserted&status=unverified",
        "/api/v1/claims?contested=true",
        "/api/v1/claims?q=the",
        f"/api/v1/attributions?actor={actor}",
        f"/api/v1/attributions?actor={actor}&q=the",
        f"/api/v1/claims/{subjects.claim}",
        f"/api/v1/actors/{subjects.actor_slug}",
        f"/api/v1/sources/{subjects.source}",
        "/api/v1/search?q=the",
        f"/api/v1/search?q=the&actor={actor}&stance=asserted",
    ]
    html = [
        "/",
        f"/?actor={actor}&contested=yes",
        f"/claims/{subjects.claim}",
        f"/claims/{subjects.claim}/statements?stance=asserted",
        f"/actors/{subjects.actor_slug}",
        f"/sources/{subjects.source}",
        "/search?q=the",
    ]
    return api + html if pages else api


@sqlite_only
def test_every_page_type_stays_within_its_budget(
    corpus_engine: Engine, corpus_client: tuple[TestClient, QueryLog]
) -> None:
    client, log = corpus_client
    for url in hot_urls(busiest(corpus_engine), pages=True):
        log.reset()
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        assert len(response.content) < PAGE_BYTES, url
        assert log.count < PAGE_QUERIES, (url, log.count)


# ---- the plans of the hot queries ------------------------------------------------------------------------

BIG_TABLES = (
    "attributions",
    "claims",
    "claim_summaries",
    "sources",
    "actors",
    "actor_aliases",
    "reporting_steps",
    "search_documents",
    "status_changes",
)
SQLITE_SCAN = re.compile(rf"^SCAN ({'|'.join(BIG_TABLES)})\b(?! USING)")
SQLITE_FULL_INDEX_SCAN = re.compile(rf"^SCAN ({'|'.join(BIG_TABLES)}) USING (COVERING )?INDEX")
POSTGRES_SCAN = re.compile(rf"Seq Scan on ({'|'.join(BIG_TABLES)})\b")
BY_IDS = re.compile(r"WHERE \w+\.\w+ IN \(\s*[?%(),\s\w]*\)\s*(ORDER BY [\w., ]+)?$", re.DOTALL)
"""Rows fetched by the ids a page shows (`WHERE <table>.<key> IN (...)`, nothing else): as many as the
page, whatever the plan reads them by."""


def walks_in_order(statement: str, table: str) -> bool:
    """A list read in its key's order that stops after the page: the plan's SCAN of the table is a
    walk of its primary key, as long as the page needs."""
    return re.search(rf"ORDER BY {table}\.id( DESC)?\s+LIMIT", statement) is not None


def reads_a_whole_table(engine: Engine, statement: str, parameters: Any) -> list[str]:
    """The plan lines that read a whole big table (or a whole index of one)."""
    if BY_IDS.search(statement):
        return []
    with engine.connect() as connection:
        raw: Any = connection.connection.driver_connection
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            lines = [str(row[3]) for row in cursor.fetchall()]
            return [
                line
                for line in lines
                if (match := SQLITE_SCAN.match(line) or SQLITE_FULL_INDEX_SCAN.match(line))
                and not walks_in_order(statement, match.group(1))
            ]
        # A few thousand rows fit in a few pages, where reading them all is rightly cheapest; with
        # sequential scans priced out, the plan shows the index path each query takes at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + statement, parameters)
        return [str(row[0]) for row in cursor.fetchall() if POSTGRES_SCAN.search(str(row[0]))]


@pytest.fixture
def captured_client(corpus_engine: Engine) -> Iterator[tuple[TestClient, list[tuple[str, Any]]]]:
    """A client on the corpus whose SELECT statements are kept with their parameters (nothing is
    written: the hot paths only read)."""
    captured: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    event.listen(corpus_engine, "before_cursor_execute", record)
    app = create_app(session_factory=sessionmaker(bind=corpus_engine))

    def session() -> Iterator[Any]:
        with sessionmaker(bind=corpus_engine)() as db_session:
            yield db_session
            db_session.rollback()

    app.dependency_overrides[get_session] = session
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client, captured
    finally:
        event.remove(corpus_engine, "before_cursor_execute", record)


def test_the_hot_queries_read_indexes_not_tables(
    corpus_engine: Engine, captured_client: tuple[TestClient, list[tuple[str, Any]]]
) -> None:
    client, captured = captured_client
    for url in hot_urls(busiest(corpus_engine), pages=False):
        captured.clear()
        assert client.get(url).status_code == 200, url
        assert captured, url
        for statement, parameters in list(captured):
            assert reads_a_whole_table(corpus_engine, statement, parameters) == [], (url, statement)
