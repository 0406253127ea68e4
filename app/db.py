"""Engine, session factory and the per-request session dependency."""

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import anyio
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

WRITE_OPTION = "claimtrack_write"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


POOL_SIZE = 20
"""Connections kept open per process. Requests run on a pool of 40 threads: with SQLAlchemy's default
of 5, every request beyond the fifth at a time opened a connection (and, on SQLite, configured it)
and closed it again afterwards."""
POOL_OVERFLOW = 20


def create_db_engine(database_url: str, *, echo: bool = False) -> Engine:
    """An engine configured for the backend: SQLite gets FKs, WAL, a busy timeout and IMMEDIATE writes."""
    url = make_url(database_url)
    pool = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
    if url.get_backend_name() != "sqlite":
        engine = create_engine(url, echo=echo, pool_pre_ping=True, **pool)
        event.listen(engine, "connect", _plan_each_execution)
        return engine

    # check_same_thread=False: FastAPI runs sync endpoints in a thread pool; the pool hands each
    # connection to one thread at a time. autocommit=False would hide BEGIN from us, so we issue it.
    in_memory = url.database in (None, "", ":memory:")
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": 30},
        **({} if in_memory else pool),
    )

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A write transaction takes the write lock up front (IMMEDIATE), so two writers queue on
        # busy_timeout instead of failing with "database is locked" when a read upgrades to a write.
        # Reads stay DEFERRED so that they never wait for a writer under WAL.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _plan_each_execution(dbapi_connection: Any, _record: Any) -> None:
    """PostgreSQL: plan every execution of a prepared statement for its own parameters.

    psycopg prepares a statement on the server once a connection has run it five times; after five
    more, PostgreSQL may switch to a generic plan, made without the parameters. Ours depend on them
    (a common word is read along the primary key and stops after the page, a rare one gathered from
    the GIN index; a busy actor's claims are probed, a quiet one's gathered): the generic plan of a
    search for a common word took 0.9 s where the planned one takes 20 ms. The statements stay
    prepared, so they are still parsed only once.
    """
    dbapi_connection.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, committed on success and rolled back on any error, here and only here.

    An async generator, so that a request that never touches its session (a liveness check, an
    anonymous principal) costs no thread-pool hop: creating and closing an unused Session does no I/O.
    What does I/O (BEGIN of a write, COMMIT, ROLLBACK) runs in a worker thread, never on the event loop.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = factory()
    try:
        if request.method not in SAFE_METHODS:
            # Everything else may write: take SQLite's write lock before the first read (the
            # principal's), so that a second writer waits its turn instead of failing mid-request.
            await run_in_threadpool(begin_write, session)
        yield session
        if _touched(session):
            await _in_own_thread(session.commit)
    except BaseException:
        # FastAPI shields a dependency's exit from cancellation, so the rollback runs to its end.
        if _touched(session):
            await _in_own_thread(session.rollback)
        raise
    finally:
        session.close()


def _touched(session: Session) -> bool:
    """Has the request begun a transaction or added anything? An untouched session has nothing to end."""
    return session.in_transaction() or bool(session.new) or bool(session.deleted) or bool(session.dirty)


async def _in_own_thread(end_transaction: Callable[[], None]) -> None:
    # Outside the shared thread limiter, as FastAPI runs a sync dependency's exit: a request holding a
    # pooled connection must not wait for a thread that waits for a connection.
    await anyio.to_thread.run_sync(end_transaction, limiter=anyio.CapacityLimiter(1))


def begin_write(session: Session) -> None:
    """Mark the session's transaction as a write; on SQLite it then begins IMMEDIATE.

    Call before the first statement of a unit of work that writes.
    """
    session.connection(execution_options={WRITE_OPTION: True})


def analyze_if_never(engine: Engine) -> bool:
    """Gather the planner's statistics of a database that holds statements but was never analysed
    (say, filled by another program); whether it had to. Run on start: without statistics both
    planners guess, and SQLite's guesses pick the index of `deleted_at` for nearly every query.

    SQLite: `PRAGMA optimize` too, which refreshes the statistics of tables that changed much since.
    """
    with engine.begin() as connection:
        analysed = _has_statistics(connection)
        empty = connection.exec_driver_sql("SELECT 1 FROM attributions LIMIT 1").first() is None
        needed = not analysed and not empty
        if needed:
            analyze(connection)
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA optimize")
    return needed


def _has_statistics(connection: Connection) -> bool:
    """Whether the planner has statistics of `attributions` (rows that ANALYZE writes synchronously)."""
    if connection.dialect.name == "sqlite":
        if (
            connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
            is None
        ):
            return False
        query = "SELECT 1 FROM sqlite_stat1 WHERE tbl = 'attributions'"
    else:
        query = "SELECT 1 FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'attributions'"
    return connection.exec_driver_sql(query + " LIMIT 1").first() is not None


def analyze(connection: Connection, table_names: Sequence[str] = ()) -> None:
    """Refresh the query planner's statistics (of these tables, or of all); call after a bulk load.

    SQLite: ANALYZE, then `PRAGMA optimize` (which also records that the statistics are fresh);
    PostgreSQL: ANALYZE, without waiting for autovacuum to notice the new rows. Both see the rows
    of the current transaction, so a load can analyse what it wrote before it queries it.
    """
    if connection.dialect.name == "sqlite":
        for target in table_names or [""]:
            connection.exec_driver_sql(f"ANALYZE {target}".strip())
        connection.exec_driver_sql("PRAGMA optimize")
    else:
        connection.exec_driver_sql(f"ANALYZE {', '.join(table_names)}".strip())
