"""Writing a backup: the whole database as lines of JSON, streamed table by table.

The file, one JSON value per line (UTF-8):
- the header: `{"format": "claimtrack-backup/1", "revision": <the schema's Alembic revision>,
  "secrets": <whether users, tokens and the audit log are in it>, "tables": {<table>: <rows>, ...}}`;
- then, for each table in that order, a line `{"table": <name>, "columns": [<column>, ...]}` and one
  line per row, in primary-key order: an array of its values in the order of `columns`. Times are
  ISO 8601 in UTC with their offset, days YYYY-MM-DD, JSON columns their JSON, NULL `null`.

Nothing in it depends on the backend, the clock or the machine, so that a database restored from a
backup writes the same backup again, byte for byte. The tables are read in one snapshot (a repeatable
read on PostgreSQL, one read transaction on SQLite): a change committed meanwhile is in none of them or
in all of them.
"""

import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import Connection, Engine, Table

from app.backup.repository import row_count, rows_in_key_order, schema_revision
from app.backup.tables import FORMAT, backup_tables, codecs
from app.bench.progress import Progress

PROGRESS_ROWS = 10_000


def _line(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def export_database(
    engine: Engine, out: IO[bytes], *, with_secrets: bool, show_progress: bool = False
) -> int:
    """Write the database to `out` from one snapshot; the number of rows written."""
    snapshot = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect() as connection, connection.execution_options(**snapshot).begin():
        return write_backup(connection, out, with_secrets=with_secrets, show_progress=show_progress)


def write_backup(
    connection: Connection, out: IO[bytes], *, with_secrets: bool, show_progress: bool = False
) -> int:
    """Write what the connection's transaction sees to `out`; the number of rows written."""
    tables = backup_tables(with_secrets=with_secrets)
    counts = {table.name: row_count(connection, table) for table in tables}
    total = sum(counts.values())
    progress = Progress(total, unit="rows") if show_progress else None
    header = {
        "format": FORMAT,
        "revision": schema_revision(connection),
        "secrets": with_secrets,
        "tables": counts,
    }
    out.write(_line(header))
    for table in tables:
        out.write(_line({"table": table.name, "columns": [column.name for column in table.columns]}))
        pending = 0
        for chunk in _table_lines(connection, table):
            out.write(chunk)
            pending += 1
            if progress is not None and pending == PROGRESS_ROWS:
                progress.advance(pending, pending)
                pending = 0
        if progress is not None and pending:
            progress.advance(pending, pending)
    if progress is not None:
        progress.stream.write("\n")
    return total


def _table_lines(connection: Connection, table: Table) -> Iterator[bytes]:
    encoders = [column_codec.encode for column_codec in codecs(table)]
    for row in rows_in_key_order(connection, table):
        yield _line(
            [None if value is None else encode(value) for encode, value in zip(encoders, row, strict=True)]
        )
