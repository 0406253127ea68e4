"""Engine, session factory and the per-request session dependency."""

import logging
import math
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import psycopg
from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.errors import ServiceUnavailable

logger = logging.getLogger("claimtrack")

WRITE_OPTION = "claimtrack_write"


POOL_SIZE = 20
"""Connections kept open per process. Requests run on a pool of 40 threads: with SQLAlchemy's default
of 5, every request beyond the fifth at a time opened a connection (and, on SQLite, configured it)
and closed it again afterwards."""
POOL_OVERFLOW = 20


def create_db_engine(database_url: str, *, echo: bool = False, busy_timeout: float = 30.0) -> Engine:
    """An engine configured for the backend: SQLite gets FKs, WAL, a busy timeout and IMMEDIATE writes.

    `busy_timeout` (seconds, SQLite only): how long a write waits for a write lock held by another
    connection before it fails with "database is locked". The commands wait long (a bulk load may hold
    the lock for minutes); the app waits as long as its `write_wait`, then answers 503.
    """
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
        connect_args={"check_same_thread": False, "timeout": busy_timeout},
        **({} if in_memory else pool),
    )

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={round(busy_timeout * 1000)}")
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


POSTGRES_WRITERS = 8
"""Write transactions in progress at once per process on PostgreSQL. Far fewer than the pool's
connections and the 40 threads, so that reads always find both; more only queue for the same cores
(on 2 cores, 48 writers: 8 at a time wrote as much as 20 did, and reads answered in a third of the
time). Several processes (one per core) write that many each."""


class WriteGate:
    """Admission of write transactions, a few at a time per process: the rest wait without a thread.

    A write request holds a pooled connection from its BEGIN to its COMMIT and needs a worker thread for
    each step between (credentials, the endpoint, the commit). SQLite lets one connection write at a
    time: with 48 concurrent writers, 40 waited in SQLite's busy handler and filled the thread pool, and
    the writer that held the lock got no thread to finish: nothing moved until the busy timeout, 30 s
    later, and reads waited as long. PostgreSQL met the same end at 96 writers: 40 held every pooled
    connection and waited for a thread, while every thread waited for a connection, for the pool's 30 s.

    Here a write waits for its turn on the event loop instead, where waiting costs neither a thread nor
    a connection, in arrival order and for at most `wait_seconds`; then it is refused with 503 and
    Retry-After, before it has done anything. SQLite admits one at a time, as a second admitted writer
    would only wait inside SQLite, in a thread, and wake up late (its busy handler polls). Several
    processes on one SQLite database still meet at its lock, one writer each, and wait there for the
    busy timeout.
    """

    def __init__(self, capacity: int, wait_seconds: float) -> None:
        self.capacity = capacity
        self.wait_seconds = wait_seconds
        self._turn = anyio.Semaphore(capacity)

    @classmethod
    def for_backend(cls, backend: str, wait_seconds: float) -> "WriteGate":
        return cls(1 if backend == "sqlite" else POSTGRES_WRITERS, wait_seconds)

    @property
    def retry_after(self) -> int:
        """Seconds after which a refused writer may try again: about the length of the queue it met."""
        return max(1, math.ceil(self.wait_seconds))

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        admitted = False
        with anyio.move_on_after(self.wait_seconds):  # the wait only: never the request's own work
            await self._turn.acquire()
            admitted = True
        if admitted:
            try:
                yield
            finally:
                self._turn.release()
            return
        one_at_a_time = " (SQLite writes one change at a time)" if self.capacity == 1 else ""
        raise ServiceUnavailable(
            f"The database is busy with other changes{one_at_a_time}, and this one waited "
            f"{self.wait_seconds:g} s for its turn. Nothing was changed: try again in {self.retry_after} s.",
            retry_after=self.retry_after,
        )


UNREACHABLE_RETRY_AFTER = 10
"""Seconds after which to ask again a database that could not be reached: a restart takes about that."""

_SQLITE_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_SQLITE_UNREACHABLE = {
    sqlite3.SQLITE_CANTOPEN: "the database file cannot be opened (is it there, and readable by the server?)",
    sqlite3.SQLITE_PERM: "the server may not open the database file",
    sqlite3.SQLITE_READONLY: "the database file or its directory cannot be written (check their permissions)",
    sqlite3.SQLITE_IOERR: "reading or writing the database file failed (a full or failing disk?)",
    sqlite3.SQLITE_FULL: "the disk that holds the database is full",
    sqlite3.SQLITE_NOTADB: "the file named in DATABASE_URL is not a database",
}
_POSTGRES_UNREACHABLE = {
    "3D000": "the database named in DATABASE_URL does not exist",
    "28000": "the database server refused claimtrack's credentials",
    "28P01": "the database server refused claimtrack's credentials",
    "57P01": "the database server is shutting down",
    "57P02": "the database server is shutting down",
    "57P03": "the database server is starting up",
}


def unavailable(error: Exception, *, busy_retry_after: int = 1) -> ServiceUnavailable | None:
    """The 503 that a database error means, when it means that the database is busy or unreachable
    (the request may succeed later); None for any other error.

    `busy_retry_after`: the Retry-After of a busy database (as long as a change may wait its turn).
    """
    if isinstance(error, exc.TimeoutError):  # no pooled connection came free in time
        return _busy("every connection to the database is in use", busy_retry_after)
    if not isinstance(error, exc.DBAPIError):
        return None
    cause = error.orig
    reason: str | None = None
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", 0) & 0xFF  # the primary code of an extended one
        if code in _SQLITE_BUSY:
            return _busy("another connection holds SQLite's write lock", busy_retry_after)
        reason = _SQLITE_UNREACHABLE.get(code)
    elif isinstance(cause, psycopg.Error):
        if cause.sqlstate == "53300":
            return _busy("the database server has no connection to spare", busy_retry_after)
        if str(cause).startswith("connection failed:"):  # psycopg's words when it cannot connect
            reason = _postgres_connection_failure(str(cause))
        else:
            reason = _POSTGRES_UNREACHABLE.get(cause.sqlstate or "")
    if reason is not None:
        return ServiceUnavailable(
            f"claimtrack cannot reach its database: {reason}. Nothing was changed. Try again in "
            f"{UNREACHABLE_RETRY_AFTER} s; if this goes on, whoever runs claimtrack should check the "
            "database and DATABASE_URL (the server's log has the database's own words).",
            retry_after=UNREACHABLE_RETRY_AFTER,
        )
    if error.connection_invalidated or isinstance(error, exc.InterfaceError):
        # Lost on the way, perhaps during COMMIT: whether a change was saved is not known.
        return ServiceUnavailable(
            "claimtrack lost its connection to the database during this request. A change sent with "
            "it may or may not have been saved: look before sending it again. Try again in "
            f"{UNREACHABLE_RETRY_AFTER} s.",
            retry_after=UNREACHABLE_RETRY_AFTER,
        )
    return None


def check_database(session_factory: sessionmaker[Session]) -> None:
    """Raise a 503 that says why, unless the database answers and holds claimtrack's tables."""
    try:
        with session_factory() as session:
            # A table of the schema, not `SELECT 1`: SQLite answers that from the new, empty file it
            # makes where the database was removed, or where a mistyped DATABASE_URL points.
            session.execute(text("SELECT 1 FROM alembic_version"))
    except (exc.DBAPIError, exc.TimeoutError) as error:
        logger.warning("/healthz: the database does not answer: %s", error)
        raise unavailable(error) or ServiceUnavailable(
            "The database answered with an error: it may not hold claimtrack's tables (run "
            "`claimtrack db upgrade` against it), or have been removed. The server's log has the "
            "database's own words.",
            retry_after=UNREACHABLE_RETRY_AFTER,
        ) from error
    database_file = _sqlite_file(session_factory.kw.get("bind"))
    if database_file is not None and not database_file.exists():
        # The server's connections still read (and write, to be lost) the file they opened, removed since.
        raise ServiceUnavailable(
            "claimtrack cannot reach its database: the database file named in DATABASE_URL is not "
            "there any more (removed or moved while the server ran; what is written now is lost). "
            "Put it back, then restart the server.",
            retry_after=UNREACHABLE_RETRY_AFTER,
        )


def _sqlite_file(bind: object) -> Path | None:
    """The file of a SQLite database; None for another backend, or SQLite in memory."""
    if not isinstance(bind, Engine | Connection) or bind.dialect.name != "sqlite":
        return None
    database = bind.engine.url.database
    return Path(database) if database not in (None, "", ":memory:") else None


def _postgres_connection_failure(message: str) -> str:
    if 'database "' in message and "does not exist" in message:
        return "the database named in DATABASE_URL does not exist"
    if "password authentication failed" in message or ('role "' in message and "does not exist" in message):
        return "the database server refused claimtrack's credentials"
    return "the database server refused the connection or did not answer (is it running, at that address?)"


def _busy(reason: str, retry_after: int) -> ServiceUnavailable:
    return ServiceUnavailable(
        f"The database is too busy to take this request now ({reason}). Nothing was changed: try "
        f"again in {retry_after} s.",
        retry_after=retry_after,
    )


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
