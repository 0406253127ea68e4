"""Bulk writing of prepared rows: `executemany` on SQLite, `COPY` on PostgreSQL, in the caller's transaction.

The rows are tuples of values the driver takes as they are (see `app.bench.corpus.ValueFormat`), so
nothing stands between them and the database but the driver itself: no ORM, no per-row SQLAlchemy
processing. Both writers work on the DBAPI connection under a SQLAlchemy `Connection`, inside the
transaction that connection has begun.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Index, Table, text

from app.models import Base

Row = tuple[Any, ...]
SQLITE_LOAD_CACHE_KIB = 256 * 1024
"""SQLite's page cache during a bulk load, so that index builds sort in memory rather than on disk."""


def table(name: str) -> Table:
    return Base.metadata.tables[name]


class BulkWriter:
    """Appends rows to tables through the connection's own DBAPI connection, in its transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.written: dict[str, int] = {}
        self._statements: dict[tuple[str, tuple[str, ...]], str] = {}

    def write(self, table_name: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if not rows:
            return
        key = (table_name, tuple(columns))
        if key not in self._statements:
            self._statements[key] = self._statement(table_name, columns)
        dbapi_connection = self.connection.connection.driver_connection
        assert dbapi_connection is not None
        if self.dialect == "sqlite":
            cursor = dbapi_connection.cursor()
            try:
                cursor.executemany(self._statements[key], rows)
            finally:
                cursor.close()
        else:
            with dbapi_connection.cursor() as cursor, cursor.copy(self._statements[key]) as copy:
                for row in rows:
                    copy.write_row(row)
        self.written[table_name] = self.written.get(table_name, 0) + len(rows)

    def _statement(self, table_name: str, columns: Sequence[str]) -> str:
        known = set(table(table_name).columns.keys())
        unknown = [column for column in columns if column not in known]
        if unknown:
            raise ValueError(f"{table_name} has no column {', '.join(unknown)}")
        names = ", ".join(columns)
        if self.dialect == "sqlite":
            return f"INSERT INTO {table_name} ({names}) VALUES ({', '.join('?' * len(columns))})"
        return f"COPY {table_name} ({names}) FROM STDIN"


def reset_id_sequences(connection: Connection, table_names: Iterable[str]) -> None:
    """PostgreSQL: move each table's id sequence past the ids written explicitly (SQLite needs nothing)."""
    if connection.dialect.name != "postgresql":
        return
    for table_name in table_names:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), max(id)) FROM {table_name} "
                "HAVING max(id) IS NOT NULL"
            )
        )


def secondary_indexes(table_names: Iterable[str]) -> list[Index]:
    """The indexes the models declare on these tables (unique constraints and keys are not among them)."""
    return [
        index
        for table_name in table_names
        for index in sorted(table(table_name).indexes, key=lambda index: str(index.name))
    ]


def drop_indexes(connection: Connection, indexes: Sequence[Index]) -> None:
    """Drop indexes for a bulk load: building an index once over all rows is cheaper than row by row."""
    for index in indexes:
        index.drop(connection)


def create_indexes(connection: Connection, indexes: Sequence[Index]) -> None:
    """Create indexes from the models' own definitions, which the migrations are checked against,
    so that a database ends a bulk load with exactly the indexes it started with."""
    for index in indexes:
        index.create(connection)


@contextmanager
def bulk_load_settings(connection: Connection) -> Iterator[None]:
    """SQLite: a page cache large enough to build indexes in memory, for the length of a bulk load."""
    if connection.dialect.name != "sqlite":
        yield
        return
    # On the driver's connection: through SQLAlchemy's, the PRAGMA would begin the transaction.
    driver = connection.connection.driver_connection
    assert driver is not None
    (previous,) = driver.execute("PRAGMA cache_size").fetchone()
    driver.execute(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size = {previous}")
