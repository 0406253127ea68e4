"""Filling a new database with a synthetic corpus (`claimtrack bench generate`), in one transaction.

The corpus (app/bench/corpus.py) is written in batches straight through the driver (executemany
on SQLite, COPY on PostgreSQL; app/bench/loading.py) with the models' secondary indexes dropped,
then the search index is rebuilt by the application's own `rebuild`, the indexes are created again
from the models, and the planner's statistics are refreshed.
"""

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, func, select, text

from app.bench.corpus import COLUMNS, TABLES, Corpus, value_format
from app.bench.loading import (
    BulkWriter,
    bulk_load_settings,
    create_indexes,
    drop_indexes,
    reset_id_sequences,
    secondary_indexes,
)
from app.bench.progress import Progress
from app.claims.repository import rebuild_summaries
from app.db import WRITE_OPTION, analyze
from app.errors import Conflict
from app.models import ClaimSummary, SearchDocument
from app.search.indexing import rebuild

DEFAULT_SEED = 1
BATCH_STATEMENTS = 10_000
"""Statements per batch: the generator holds at most one batch (and one source) in memory."""
LOADED_TABLES = (*TABLES, SearchDocument.__tablename__, ClaimSummary.__tablename__)
SEARCH_INDEX_READS = ("claims", "attributions", "actors", "actor_aliases", "sources")


@dataclass
class GenerateResult:
    """What a generation wrote and how long each of its steps took."""

    attributions: int
    seed: int
    rows: dict[str, int]
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    peak_memory: dict[str, float] = field(default_factory=dict)
    """The process's peak resident memory (MiB) at the end of each step: it only ever grows, so
    the first steps' figures show what generating and writing took before the search index."""

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def holds_records(connection: Connection) -> bool:
    """Whether the database already holds sources, actors or claims (the corpus needs none)."""
    return any(
        connection.execute(text(f"SELECT 1 FROM {table_name} LIMIT 1")).first() is not None
        for table_name in ("sources", "actors", "claims")
    )


def generate(
    engine: Engine,
    attributions: int,
    *,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    defer_indexes: bool = True,
) -> GenerateResult:
    """Fill an empty, migrated database with a synthetic corpus of `attributions` statements.

    One transaction: a failure leaves the database as it was. Fails with Conflict when the
    database already holds sources, actors or claims: the corpus's ids are its own.
    `defer_indexes`: drop the models' secondary indexes for the load and build them afterwards.
    """
    started = time.perf_counter()
    result = GenerateResult(attributions=attributions, seed=seed, rows={})
    with _timed(result, "plan"), _step(progress, "planning the corpus"):
        corpus = Corpus(attributions, seed=seed, values=value_format(engine.dialect.name))
    with engine.connect() as connection:
        connection = connection.execution_options(**{WRITE_OPTION: True})
        with bulk_load_settings(connection), connection.begin() as transaction:
            if holds_records(connection):
                raise Conflict(
                    "The database already holds sources, actors or claims; a benchmark corpus goes "
                    "into a database of its own: point DATABASE_URL at a new one."
                )
            writer = BulkWriter(connection)
            indexes = secondary_indexes(LOADED_TABLES) if defer_indexes else []
            with _timed(result, "rows"):
                drop_indexes(connection, indexes)
                _write_rows(corpus, writer, progress)
                reset_id_sequences(connection, TABLES)
            if connection.dialect.name == "postgresql":
                # PostgreSQL plans the rebuild's joins from statistics. Without any (the rows are
                # new, in this very transaction) it expects a handful of rows and compares every
                # statement with every claim: measured 4.6 s instead of 0.8 s at 100,000 statements.
                with _timed(result, "statistics"), _step(progress, "analysing what the search index reads"):
                    analyze(connection, SEARCH_INDEX_READS)
            with _timed(result, "search index"), _step(progress, "building the search index"):
                rebuild(connection)
            with _timed(result, "indexes"), _step(progress, "building the indexes"):
                create_indexes(connection, indexes)
            # After the indexes: a claim's summary is counted from the covering statement index.
            with _timed(result, "claim summaries"), _step(progress, "counting the claims' summaries"):
                rebuild_summaries(connection)
            derived = {
                model.__tablename__: connection.scalar(select(func.count()).select_from(model))
                for model in (SearchDocument, ClaimSummary)
            }
            with _timed(result, "commit"), _step(progress, "committing"):
                transaction.commit()
        with _timed(result, "analyse"), _step(progress, "analysing"):
            if connection.dialect.name == "postgresql":
                # VACUUM, outside any transaction, also marks the new rows all-visible, so that the
                # covering indexes answer index-only scans without visiting the table.
                autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
                autocommit.exec_driver_sql("VACUUM (ANALYZE)")
            else:
                with connection.begin():
                    analyze(connection)
    result.rows = {name: writer.written.get(name, 0) for name in TABLES}
    result.rows.update({name: int(count or 0) for name, count in derived.items()})
    result.seconds = time.perf_counter() - started
    return result


def _write_rows(corpus: Corpus, writer: BulkWriter, progress: Progress | None) -> None:
    for table_name, rows in corpus.base_rows():
        writer.write(table_name, COLUMNS[table_name], rows)
    if progress is not None:
        progress.start()
    for batch in corpus.statement_batches(BATCH_STATEMENTS):
        for table_name, rows in batch.rows.items():
            writer.write(table_name, COLUMNS[table_name], rows)
        if progress is not None:
            progress.advance(batch.attributions, sum(len(rows) for rows in batch.rows.values()))


@contextmanager
def _timed(result: GenerateResult, step: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    result.steps[step] = result.steps.get(step, 0.0) + time.perf_counter() - started
    # ru_maxrss is in KiB on Linux.
    result.peak_memory[step] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def _step(progress: Progress | None, label: str) -> Iterator[None]:
    if progress is None:
        yield
        return
    with progress.step(label):
        yield
