"""Engine, session factory and the per-request session dependency."""

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import Request
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

WRITE_OPTION = "claimtrack_write"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def create_db_engine(database_url: str, *, echo: bool = False) -> Engine:
    """An engine configured for the backend: SQLite gets FKs, WAL, a busy timeout and IMMEDIATE writes."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)

    # check_same_thread=False: FastAPI runs sync endpoints in a thread pool; the pool hands each
    # connection to one thread at a time. autocommit=False would hide BEGIN from us, so we issue it.
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

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


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, committed on success and rolled back on any error, here and only here."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        if request.method not in SAFE_METHODS:
            # Everything else may write: take SQLite's write lock before the first read (the
            # principal's), so that a second writer waits its turn instead of failing mid-request.
            begin_write(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def begin_write(session: Session) -> None:
    """Mark the session's transaction as a write; on SQLite it then begins IMMEDIATE.

    Call before the first statement of a unit of work that writes.
    """
    session.connection(execution_options={WRITE_OPTION: True})


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
