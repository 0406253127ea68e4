"""Every search query has the index it needs: the plans of the queries a search runs, read on a generated
corpus of a few thousand documents after ANALYZE, on both backends (on PostgreSQL with sequential
scans priced out: on so small a table they are rightly cheapest, and the test is about the index path).

Each (tier, kind) stream must be read from the full-text index in document-id order (SQLite: the FTS5
table, which yields rowids in order, so no sort) or from the primary key's order or a GIN index
(PostgreSQL); the filters' checks must reach statements and claims through their indexes. None may
read the whole of `search_documents`, `attributions` or `claims`.
"""

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, insert, select, text
from sqlalchemy.orm import Session

from app.claims.repository import list_claims
from app.claims.schemas import ClaimFilters
from app.cli import upgrade_database
from app.db import create_db_engine
from app.fulltext.indexing import rebuild
from app.fulltext.repository import FTS, FacetQuery, fts5_expression, fts5_matches, words_are_common
from app.models import Actor, ActorAlias, Attribution, Claim, Source
from app.pagination import PositionRequest, decode_position
from app.search.schemas import POSITION_SIZE
from app.search.service import parse_query, search
from app.statements.repository import AttributionFilters, list_attributions
from app.vocabulary import Stance, VerificationStatus
from tests.conftest import _new_database
from tests.helpers import PATHS

WORDS = [
    "the",
    "of",
    "and",
    "oil",
    "depot",
    "fire",
    "strike",
    "helicopters",
    "border",
    "city",
    "region",
    "said",
    "report",
    "video",
    "missile",
    "troops",
    "agency",
    "minister",
    "statement",
    "officials",
    "security",
    "claims",
    "local",
    "sources",
    "news",
    "told",
    "governor",
    "kremlin",
    "ministry",
    "defence",
    "talks",
    "peace",
    "drone",
    "smoke",
    "damage",
    "blast",
    "night",
    "morning",
    "residents",
    "witnesses",
]
STANCES = [stance.value for stance in Stance]
STATUSES = [status.value for status in VerificationStatus]


def _sentence(rng: random.Random, length: int) -> str:
    # Zipf-like: the first words are common, the last ones rare.
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    return " ".join(rng.choices(WORDS, weights, k=length)).capitalize() + "."


def generate(connection: Connection, *, statements: int, seed: int = 3) -> None:
    """A corpus of `statements` statements with their claims, actors and sources, then the index."""
    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    actors = max(10, statements // 100)
    claims = max(10, statements // 10)
    sources = max(10, statements // 20)
    connection.execute(
        insert(Actor),
        [
            {
                "id": i,
                "slug": f"actor-{i}",
                "name": f"Actor Number{i}",
                "kind": "person",
                "role": _sentence(rng, 3),
            }
            for i in range(1, actors + 1)
        ],
    )
    connection.execute(
        insert(ActorAlias),
        [
            {"actor_id": i, "alias": f"Actor Number{i}", "name_key": f"actor number{i}", "is_name": True}
            for i in range(1, actors + 1)
        ],
    )
    connection.execute(
        insert(Claim),
        [
            {
                "id": i,
                "slug": f"claim-{i}",
                "text": _sentence(rng, 10),
                "verification_status": rng.choice(STATUSES),
            }
            for i in range(1, claims + 1)
        ],
    )
    connection.execute(
        insert(Source),
        [
            {
                "id": i,
                "title": _sentence(rng, 6),
                "outlet": f"Outlet {i % 7}",
                "published_on": date(2022, 1, 1) + timedelta(days=i % 300),
                "text": "x",
                "sha256": f"{i:064d}",
                "ingested_by": "test",
                "ingested_at": now,
            }
            for i in range(1, sources + 1)
        ],
    )
    connection.execute(
        insert(Attribution),
        [
            {
                "id": i,
                "claim_id": rng.randint(1, claims),
                # A few actors say most things, as in the news.
                "actor_id": min(actors, int(rng.paretovariate(1.2))),
                "source_id": (i - 1) // 20 + 1,
                "stance": rng.choice(STANCES),
                "quote_start": ((i - 1) % 20) * 100,
                "quote_end": ((i - 1) % 20) * 100 + 10,
                "quote_exact": _sentence(rng, 14),
                "chain_key": "",
            }
            for i in range(1, statements + 1)
        ],
    )
    rebuild(connection)
    connection.exec_driver_sql("ANALYZE")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with _new_database(request.param, tmp_path_factory) as url:
        engine = create_db_engine(url)
        upgrade_database(engine)
        with engine.begin() as connection:
            generate(connection, statements=6_000)
        yield engine
        engine.dispose()


@dataclass
class Captured:
    statements: list[tuple[str, Any]] = field(default_factory=list)


def captured_queries(engine: Engine, work: Any) -> list[tuple[str, Any]]:
    """The SQL (with parameters) that `work(session)` sends which reads the search index."""
    captured = Captured()
    with engine.connect() as connection:

        def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
            if "search_documents" in statement or "search_fts" in statement:
                captured.statements.append((statement, parameters))

        event.listen(connection, "before_cursor_execute", record)
        with Session(bind=connection) as session:
            work(session)
        event.remove(connection, "before_cursor_execute", record)
    return captured.statements


def plan(engine: Engine, statement: str, parameters: Any) -> list[str]:
    with engine.connect() as connection:
        raw: Any = connection.connection.driver_connection
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            return [str(row[3]) for row in cursor.fetchall()]
        # A few thousand rows fit in a few pages, where reading them all is rightly cheapest; with
        # sequential scans priced out, the plan shows the index path each query takes at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + statement, parameters)
        return [str(row[0]) for row in cursor.fetchall()]


def sorts_the_matches(engine: Engine, statement: str, parameters: Any) -> bool:
    """SQLite: whether a sort (a temporary b-tree) reads the full-text matches themselves, rather than
    the few rows a stream's LIMIT let through (which the page's order then merges)."""
    with engine.connect() as connection:
        raw: Any = connection.connection.driver_connection
        rows = raw.cursor().execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
    siblings: dict[int, list[str]] = {}
    for _id, parent, _unused, detail in rows:
        siblings.setdefault(parent, []).append(str(detail))
    return any(
        "USE TEMP B-TREE FOR ORDER BY" in details and any(d.startswith("SCAN search_fts") for d in details)
        for details in siblings.values()
    )


FULL_SCAN = {
    "sqlite": re.compile(r"^SCAN (search_documents|attributions|claims|sources)\b"),
    "postgresql": re.compile(r"Seq Scan on (search_documents|attributions|claims|sources)\b"),
}
ORDERED_STREAM = {
    "sqlite": re.compile(r"^SCAN search_fts VIRTUAL TABLE INDEX"),
    # A narrow range of ids (a deep page, a kind with few documents) may be read by a bitmap of the
    # primary key and sorted: still a read of that range only, bounded by it.
    "postgresql": re.compile(
        r"Index Scan Backward using pk_search_documents|Bitmap Index Scan on ix_search_documents_\w+_vector"
        r"|Bitmap Index Scan on pk_search_documents"
    ),
}

FILTERS = {
    "none": None,
    "stance and status": ClaimFilters(stance=Stance.ASSERTED, status=VerificationStatus.UNVERIFIED),
    "actor, stance and status": ClaimFilters(
        actor_ids=[1], stance=Stance.ASSERTED, status=VerificationStatus.UNVERIFIED
    ),
    "rare actor": ClaimFilters(actor_ids=[55]),
    "source and dates": ClaimFilters(source_id=3, date_from=date(2022, 1, 1), date_to=date(2022, 6, 1)),
    "contested": ClaimFilters(contested=True),
}
QUERIES = ["the", "oil depot", "witnesses", "number1", "the of and oil"]


def walk(session: Session, words: str, filters: ClaimFilters | None) -> None:
    """Three pages of a search, so that deep pages and both tiers are read."""
    after = None
    for _ in range(3):
        page = search(
            session,
            parse_query(words),
            paths=PATHS,
            filters=filters,
            page=PositionRequest(limit=20, after=after),
        )
        if page.next_cursor is None:
            return
        after = decode_position(page.next_cursor, POSITION_SIZE)


@pytest.mark.parametrize("filters", list(FILTERS), ids=list(FILTERS))
@pytest.mark.parametrize("words", QUERIES)
def test_every_search_query_reads_an_index_in_order(corpus: Engine, words: str, filters: str) -> None:
    backend = corpus.dialect.name
    queries = captured_queries(corpus, lambda session: walk(session, words, FILTERS[filters]))

    assert queries
    for statement, parameters in queries:
        lines = plan(corpus, statement, parameters)
        text_of_plan = "\n".join(lines)
        checks_many = "ORDER BY" not in statement and "count(" not in statement and len(parameters) > 100
        if checks_many and backend == "sqlite":
            # A later round's checks of hundreds of candidates by id: on a table of a few thousand
            # documents, SQLite rightly reads it whole rather than look each id up; on a million it
            # looks them up. What matters here is that the round is one query, by the ids.
            assert re.search(r"search_documents\.id IN \(", statement), statement
            continue
        assert not any(FULL_SCAN[backend].search(line.strip()) for line in lines), text_of_plan
        if "ORDER BY" not in statement and "count(" not in statement:
            # The candidates' checks: documents by primary key.
            assert re.search(
                r"USING INTEGER PRIMARY KEY|Index Scan (using|on) pk_search_documents", text_of_plan
            ), text_of_plan
        elif backend == "sqlite":
            assert any(ORDERED_STREAM[backend].search(line.strip()) for line in lines), text_of_plan
            # FTS5 yields the rowids in order: no sort of the matches before the LIMIT.
            assert not sorts_the_matches(corpus, statement, parameters), text_of_plan
        elif "ORDER BY" in statement:
            assert any(ORDERED_STREAM[backend].search(line) for line in lines), text_of_plan


@pytest.mark.parametrize("words", ["the", "witnesses"])
def test_the_text_filters_of_claims_and_statements_read_the_index(corpus: Engine, words: str) -> None:
    """A rare word's claims and statements are gathered from the full-text index; a common word's are
    read in id order, each tested on its documents (reached by index), which stops after the page."""
    backend = corpus.dialect.name

    def work(session: Session) -> None:
        common = words_are_common(session, [words], "claim")
        list_claims(session, ClaimFilters(words=[words], common_words=common), after_id=None, limit=20)
        common = words_are_common(session, [words], "attribution")
        filters = AttributionFilters(words=[words], common_words=common)
        list_attributions(session, filters, after_id=None, limit=20)

    queries = captured_queries(corpus, work)

    lists = [(statement, parameters) for statement, parameters in queries if "ORDER BY" in statement]
    assert len(lists) == 2
    for statement, parameters in lists:
        lines = [line.strip() for line in plan(corpus, statement, parameters)]
        text_of_plan = "\n".join(lines)
        assert not any(re.match(r"SCAN (search_documents|sources)\b", line) for line in lines), text_of_plan
        assert "Seq Scan" not in text_of_plan, text_of_plan
        if backend == "sqlite":
            # Read in id order (a SCAN of the list's own table is its primary key, in order, with no
            # sort), or gathered from the FTS5 index.
            assert "USE TEMP B-TREE FOR ORDER BY" not in text_of_plan, text_of_plan
            assert ("search_fts VIRTUAL TABLE INDEX" in text_of_plan) != (words == "the"), text_of_plan
            if words == "the":
                assert re.search(
                    r"SEARCH search_documents USING (INTEGER PRIMARY KEY|INDEX ix_search_documents_claim_id)",
                    text_of_plan,
                ), text_of_plan


def test_the_generated_corpus_is_indexed_whole(corpus: Engine) -> None:
    with corpus.connect() as connection:
        documents = connection.execute(
            text("SELECT kind, count(*) FROM search_documents GROUP BY kind")
        ).all()
    assert dict(documents) == {"actor": 60, "claim": 600, "source": 300, "attribution": 6_000}


@pytest.mark.parametrize("corpus", ["sqlite"], indirect=True)  # PostgreSQL's tsquery reads prefixes
@pytest.mark.parametrize("word", ["stat", "statement", "minis", "numb", "number12", "zzzz"])
def test_sqlite_searches_a_long_word_as_the_words_it_begins(corpus: Engine, word: str) -> None:
    """Beyond the prefix indexes (three characters) a term is the OR of the indexed words it begins,
    which FTS5 reads lazily: the same documents as FTS5's own prefix query, without its up-front merge."""
    expression = fts5_expression([word], tier=None, facets=FacetQuery())
    with corpus.connect() as connection:
        ours = connection.scalars(select(FTS.c.rowid).where(fts5_matches(expression))).all()
        compiled = str(select(FTS.c.rowid).where(fts5_matches(expression)).compile(connection))
        theirs = (
            connection.exec_driver_sql(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH ?", (f'terms : ("{word}"*)',)
            )
            .scalars()
            .all()
        )
    assert sorted(ours) == sorted(theirs)
    assert (len(theirs) > 0) == (word != "zzzz")
    assert "search_fts_words" in compiled
