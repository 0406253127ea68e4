"""Import throughput (benchmark figure 6): the generator's load path against the driver's own bulk path.

`measure_import` loads the same corpus twice, each time into a new database at the latest migration:
(a) through `app.bench.generate.generate`, the path `claimtrack bench generate` takes, and (b) as
the very rows (a) left behind, every table's, search documents included, written with nothing but
the driver's bulk path: `executemany` on SQLite, `COPY FROM STDIN` on PostgreSQL. The ratio says
how much of the database's raw write speed the application's load path keeps.
"""

import os
import pickle
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from app.bench.generate import DEFAULT_SEED, LOADED_TABLES, generate
from app.bench.loading import bulk_load_settings, table
from app.bench.repository import row_counts
from app.db import WRITE_OPTION, create_db_engine

SPOOL_BATCH_ROWS = 10_000
COPY_BLOCK_BYTES = 1 << 20


@dataclass
class ImportResult:
    """The two loads of one corpus, timed; see `measure_import` for what is counted."""

    backend: str
    attributions: int
    seed: int
    rows: dict[str, int]
    generator_seconds: float
    raw_seconds: float
    generator_steps: dict[str, float] = field(default_factory=dict)
    raw_tables: dict[str, float] = field(default_factory=dict)
    """The raw load's seconds per table (and its commit), to set beside the generator's steps."""
    generator_cpu_seconds: float | None = None
    raw_cpu_seconds: float | None = None
    """CPU time of each load: this process's, plus its PostgreSQL backend's when the server runs on
    this machine (None otherwise). On a shared machine the wall clock also counts the time spent
    waiting for a core; the CPU time does not."""

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def generator_rows_per_second(self) -> float:
        return self.total_rows / self.generator_seconds

    @property
    def raw_rows_per_second(self) -> float:
        return self.total_rows / self.raw_seconds

    @property
    def ratio(self) -> float:
        """The generator's throughput as a share of the raw path's (1.0: as fast)."""
        return self.raw_seconds / self.generator_seconds

    @property
    def cpu_ratio(self) -> float | None:
        """The same ratio measured in CPU time rather than wall-clock time."""
        if self.generator_cpu_seconds is None or self.raw_cpu_seconds is None:
            return None
        return self.raw_cpu_seconds / self.generator_cpu_seconds

    @property
    def raw_method(self) -> str:
        return "executemany" if self.backend == "sqlite" else "COPY"


def measure_import(
    database_url: str,
    *,
    attributions: int,
    seed: int = DEFAULT_SEED,
    spool_dir: Path | None = None,
) -> ImportResult:
    """Time the generator's load path and the raw bulk path over the same rows, and compare them.

    `database_url` says where the two scratch databases go, both dropped at the end: on PostgreSQL,
    the server (its database is used only to create and drop them), on SQLite, the file beside
    which they are made. Both are brought to the latest migration before any clock starts.

    What is counted:
    - rows: every row the corpus holds when (a) has finished, in every table it fills (sources,
      actors, actor_aliases, claims, claim_relations, status_changes, attributions,
      reporting_steps) and in search_documents; the same rows, ids included, are written by (b);
    - (a) seconds: the wall-clock time of `generate()` on the empty migrated database: planning and
      generating the corpus in Python, writing it (executemany or COPY, with the secondary
      indexes dropped), rebuilding the search index with `app.fulltext.indexing.rebuild`, creating
      the indexes again, committing, and analysing;
    - (b) seconds: the time spent inside the driver's bulk calls (`executemany` of pre-built row
      tuples on SQLite; `COPY ... FROM STDIN` of pre-built COPY text on PostgreSQL), in foreign-key
      order in one transaction, plus the commit, on a database with every index, constraint and
      full-text structure of the migrations in place (the triggers that keep SQLite's FTS5 table
      current fire, PostgreSQL's GIN index is maintained). The rows are read from a spool file
      that (a)'s database was dumped to beforehand; reading the spool is not counted. Both loads
      use the same connection settings (`create_db_engine`, and the generator's SQLite page
      cache);
    - rows/s = rows / seconds for each, and the ratio = (a) rows/s ÷ (b) rows/s;
    - beside the wall clock, the CPU time of each load (see `ImportResult.generator_cpu_seconds`),
      the raw one without the reading of the spool, and the ratio of those.
    """
    backend = make_url(database_url).get_backend_name()
    with ExitStack() as stack:
        generated_url = stack.enter_context(scratch_database(database_url, "generated"))
        raw_url = stack.enter_context(scratch_database(database_url, "raw"))
        spool = Path(
            stack.enter_context(tempfile.TemporaryDirectory(dir=spool_dir, prefix="claimtrack-spool-"))
        )

        generated_engine = _migrated_engine(generated_url)
        try:
            cpu_before = cpu_seconds(generated_engine)
            generated = generate(generated_engine, attributions, seed=seed)
            generator_cpu = _elapsed_cpu(cpu_before, cpu_seconds(generated_engine))
            _spool(generated_engine, spool)
        finally:
            generated_engine.dispose()

        raw_engine = _migrated_engine(raw_url)
        try:
            cpu_before = cpu_seconds(raw_engine)
            raw_tables, raw_cpu_reading = _raw_load(raw_engine, spool)
            raw_cpu = _elapsed_cpu(cpu_before, raw_cpu_reading)
            raw_rows = _row_counts(raw_engine)
        finally:
            raw_engine.dispose()
    if raw_rows != generated.rows:
        raise AssertionError(f"the raw load wrote {raw_rows}, the generator {generated.rows}")
    return ImportResult(
        backend=backend,
        attributions=attributions,
        seed=seed,
        rows=generated.rows,
        generator_seconds=generated.seconds,
        raw_seconds=sum(raw_tables.values()),
        generator_steps=generated.steps,
        raw_tables=raw_tables,
        generator_cpu_seconds=generator_cpu,
        raw_cpu_seconds=raw_cpu,
    )


def cpu_seconds(engine: Engine) -> float | None:
    """CPU seconds used so far by this process and, on PostgreSQL, by the engine's server backends.

    The backends are read from /proc, so only for a server on this machine (None otherwise); the
    engine's pool keeps one connection, so the same backend serves the whole load.
    """
    used = time.process_time()
    if engine.dialect.name != "postgresql":
        return used
    with engine.connect() as connection:
        pids = connection.scalars(
            text(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND backend_type = 'client backend'"
            )
        )
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            used += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return used


def _elapsed_cpu(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def _migrated_engine(database_url: str) -> Engine:
    # app.cli imports this module for `claimtrack bench import`; importing it back here, lazily,
    # keeps the migration code in one place without an import cycle.
    from app.cli import upgrade_database

    engine = create_db_engine(database_url)
    upgrade_database(engine)
    return engine


@contextmanager
def scratch_database(database_url: str, label: str) -> Iterator[str]:
    """A new, empty database beside `database_url` for the length of the block, then dropped."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database, "a SQLite scratch database needs a file path"
        base = Path(url.database)
        path = base.with_name(f"{base.stem}.{label}-{uuid.uuid4().hex[:8]}{base.suffix or '.db'}")
        try:
            yield url.set(database=str(path)).render_as_string(hide_password=False)
        finally:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
                leftover.unlink(missing_ok=True)
        return
    name = f"claimtrack_import_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _columns(table_name: str) -> list[str]:
    return [column.name for column in table(table_name).columns]


def _spool(engine: Engine, spool: Path) -> None:
    """Dump every loaded table, in id order: pickled row batches (SQLite) or COPY text (PostgreSQL)."""
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        for table_name in LOADED_TABLES:
            columns = ", ".join(_columns(table_name))
            path = spool / table_name
            if engine.dialect.name == "sqlite":
                cursor = driver.cursor()
                cursor.execute(f"SELECT {columns} FROM {table_name} ORDER BY {_key(table_name)}")
                with path.open("wb") as out:
                    while batch := cursor.fetchmany(SPOOL_BATCH_ROWS):
                        pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
                cursor.close()
            else:
                query = f"COPY (SELECT {columns} FROM {table_name} ORDER BY {_key(table_name)}) TO STDOUT"
                with driver.cursor() as cursor, cursor.copy(query) as copy, path.open("wb") as out:
                    for block in copy:
                        out.write(block)


def _raw_load(engine: Engine, spool: Path) -> tuple[dict[str, float], float | None]:
    """Write the spooled rows with the driver's bulk path in one transaction.

    Returns the seconds spent in the driver's calls for each table (and the commit), and the CPU
    reading (`cpu_seconds`) at the end, less the CPU time spent reading the spool.
    """
    elapsed: dict[str, float] = {}
    reading = 0.0
    with engine.connect() as connection:
        connection = connection.execution_options(**{WRITE_OPTION: True})
        with bulk_load_settings(connection):
            transaction = connection.begin()
            driver = connection.connection.driver_connection
            assert driver is not None
            for table_name in LOADED_TABLES:
                elapsed[table_name], table_reading = _raw_table(
                    connection, driver, table_name, spool / table_name
                )
                reading += table_reading
            started = time.perf_counter()
            transaction.commit()
            elapsed["commit"] = time.perf_counter() - started
    used = cpu_seconds(engine)
    return elapsed, None if used is None else used - reading


def _raw_table(connection: Connection, driver: object, table_name: str, path: Path) -> tuple[float, float]:
    """Seconds in the driver's calls for one table, and CPU seconds spent reading its spool."""
    elapsed = 0.0
    reading = 0.0
    columns = _columns(table_name)
    names = ", ".join(columns)
    with path.open("rb") as spooled:
        if connection.dialect.name == "sqlite":
            statement = f"INSERT INTO {table_name} ({names}) VALUES ({', '.join('?' * len(columns))})"
            cursor = driver.cursor()  # type: ignore[attr-defined]
            while True:
                read_from = time.process_time()
                try:
                    batch = pickle.load(spooled)
                except EOFError:
                    break
                finally:
                    reading += time.process_time() - read_from
                started = time.perf_counter()
                cursor.executemany(statement, batch)
                elapsed += time.perf_counter() - started
            cursor.close()
            return elapsed, reading
        with driver.cursor() as cursor:  # type: ignore[attr-defined]
            started = time.perf_counter()
            with cursor.copy(f"COPY {table_name} ({names}) FROM STDIN") as copy:
                elapsed += time.perf_counter() - started
                while True:
                    read_from = time.process_time()
                    block = spooled.read(COPY_BLOCK_BYTES)
                    reading += time.process_time() - read_from
                    if not block:
                        break
                    started = time.perf_counter()
                    copy.write(block)
                    elapsed += time.perf_counter() - started
                started = time.perf_counter()
            elapsed += time.perf_counter() - started
    return elapsed, reading


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return row_counts(connection, LOADED_TABLES)


def _key(table_name: str) -> str:
    """The table's primary key columns, the order its rows are dumped in."""
    return ", ".join(column.name for column in table(table_name).primary_key.columns)
