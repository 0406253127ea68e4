"""The restore's bulk writer: a table's rows streamed into `COPY ... FROM STDIN` on PostgreSQL (psycopg 3)
and into one `executemany` on SQLite, on the DBAPI connection under a SQLAlchemy `Connection`, in the
transaction it has begun.

Each value goes through the column type's own bind processing first (`dialect_impl(...).bind_processor`:
UTC timestamps, JSON, flags), so that the rows are stored exactly as the ORM stores them. One statement
per table, fed from an iterator: the writer holds one row at a time, and a row may refer to a later row
of its own table (an actor's affiliation), since PostgreSQL checks the foreign keys of a COPY at its end
and SQLite's are deferred to the commit (`defer_foreign_keys`).
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Table


def _processors(
    connection: Connection, table: Table, columns: Sequence[str]
) -> list[Callable[[Any], Any] | None]:
    dialect = connection.dialect
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def _driver_rows(
    rows: Iterable[Sequence[Any]], processors: list[Callable[[Any], Any] | None]
) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        yield tuple(
            value if process is None or value is None else process(value)
            for process, value in zip(processors, row, strict=True)
        )


def defer_foreign_keys(connection: Connection) -> None:
    """SQLite: check foreign keys at the commit, not row by row (until the transaction ends)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")


def write_table(
    connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Append rows (values in the order of `columns`, as the ORM reads them) to a table."""
    unknown = [name for name in columns if name not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column {', '.join(unknown)}")
    driver_rows = _driver_rows(rows, _processors(connection, table, columns))
    names = ", ".join(f'"{name}"' for name in columns)
    dbapi_connection = connection.connection.driver_connection
    assert dbapi_connection is not None
    if connection.dialect.name == "sqlite":
        cursor = dbapi_connection.cursor()
        try:
            placeholders = ", ".join("?" * len(columns))
            cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({placeholders})', driver_rows)
        finally:
            cursor.close()
        return
    with (
        dbapi_connection.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for row in driver_rows:
            copy.write_row(row)
