"""Queries of the backup: the schema's revision, what each table holds, its rows in key order."""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, select, table, text

STREAM_ROWS = 5_000
"""Rows fetched from the database at a time while a table is written out."""


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at."""
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def row_count(connection: Connection, source: Table) -> int:
    return int(connection.scalar(select(func.count()).select_from(source)) or 0)


def rows_in_key_order(connection: Connection, source: Table) -> Iterator[Sequence[Any]]:
    """Every row of a table in primary-key order, fetched a batch at a time (a server-side cursor on
    PostgreSQL), each with its columns in the table's order."""
    statement = (
        select(*source.columns)
        .order_by(*source.primary_key.columns)
        .execution_options(stream_results=True, yield_per=STREAM_ROWS)
    )
    yield from connection.execute(statement)


def tables_holding_rows(connection: Connection, table_names: Iterable[str]) -> list[str]:
    """Those of the tables that hold at least one row."""
    return [
        name
        for name in table_names
        if connection.execute(select(1).select_from(table(name)).limit(1)).first() is not None
    ]
