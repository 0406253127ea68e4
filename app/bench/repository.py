"""Queries of the benchmarks' generator and import measurement: what a database holds, table by table.

The rows themselves are written in bulk by `app.bench.loading`, below the ORM."""

from collections.abc import Iterable

from sqlalchemy import Connection, func, select, table


def holds_records(connection: Connection) -> bool:
    """Whether the database already holds sources, actors or claims (the corpus needs none)."""
    return any(
        connection.execute(select(1).select_from(table(table_name)).limit(1)).first() is not None
        for table_name in ("sources", "actors", "claims")
    )


def row_counts(connection: Connection, table_names: Iterable[str]) -> dict[str, int]:
    return {
        table_name: int(connection.scalar(select(func.count()).select_from(table(table_name))) or 0)
        for table_name in table_names
    }
