"""Restoring a backup (app/backup/dump.py) into an empty database of either kind.

Twice through the file: first every line is checked (the format and the schema's revision, each
table's columns, each row's values against its column's type, its key's order, and each reference to a
row the file holds) without writing anything; a file that fails is refused with the line, the table and
the row's key. Then, in one transaction, each table's rows are streamed into the database in bulk
(app/backup/loading.py) with the secondary indexes dropped, PostgreSQL's id sequences are moved past
the ids written, the derived tables (the search index, the claims' summaries) are built from what was
restored, and the indexes built again. A failure at any point leaves the database as it was.
"""

import json
import sqlite3
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, Table
from sqlalchemy.exc import DataError, IntegrityError

from app.backup.loading import defer_foreign_keys, write_table
from app.backup.repository import schema_revision, tables_holding_rows
from app.backup.tables import FORMAT, BadValue, ColumnCodec, backup_tables, codecs, table_named
from app.bench.loading import (
    bulk_load_settings,
    create_indexes,
    drop_indexes,
    reset_id_sequences,
    secondary_indexes,
)
from app.bench.progress import Progress
from app.claims.repository import rebuild_summaries
from app.db import WRITE_OPTION, analyze
from app.errors import AppError
from app.fulltext.indexing import rebuild
from app.models import Base

PROGRESS_ROWS = 10_000
SEARCH_INDEX_READS = ("claims", "attributions", "actors", "actor_aliases", "sources")


class BadBackup(AppError):
    """A file that is not a backup this database can take; nothing was written."""

    status_code = 422
    title = "Not a backup this database can take"


@dataclass(frozen=True)
class TablePlan:
    table: Table
    columns: list[str]
    rows: int


@dataclass(frozen=True)
class BackupPlan:
    """What a checked file holds."""

    revision: str
    secrets: bool
    tables: list[TablePlan]

    @property
    def total_rows(self) -> int:
        return sum(plan.rows for plan in self.tables)


@dataclass
class _Keys:
    """The keys of one table's rows read so far, in ascending order (the file's order)."""

    values: "array[int]" = field(default_factory=lambda: array("q"))

    def holds(self, key: int) -> bool:
        at = bisect_left(self.values, key)
        return at < len(self.values) and self.values[at] == key


class _Lines:
    """The file's lines, numbered from 1, each parsed as JSON; a line that is not says so."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.number = 0

    def fail(self, message: str) -> BadBackup:
        return BadBackup(f"{self.path.name} line {self.number}: {message}; nothing was imported.")

    def __iter__(self) -> Iterator[Any]:
        with self.path.open("rb") as lines:
            for raw in lines:
                self.number += 1
                if not raw.endswith(b"\n"):
                    raise self.fail("the line is cut short (the file is truncated)")
                try:
                    yield json.loads(raw)
                except UnicodeDecodeError:
                    raise self.fail("the line is not UTF-8") from None
                except ValueError as error:
                    raise self.fail(f"the line is not JSON ({error})") from None


def _header(lines: _Lines, first: Any, revision: str) -> tuple[bool, dict[str, int]]:
    if not isinstance(first, dict) or not isinstance(first.get("format"), str):
        raise lines.fail(
            f"this is not a claimtrack backup (its first line names no format; {FORMAT} expected)"
        )
    if first["format"] != FORMAT:
        raise lines.fail(f"the file is in the format {first['format']!r}; this claimtrack reads {FORMAT!r}")
    if first.get("revision") != revision:
        raise lines.fail(
            f"the file was written at schema revision {first.get('revision')!r} and this database is at "
            f"{revision!r}: restore it with the claimtrack version that wrote it, or export again with "
            "this one"
        )
    secrets, counts = first.get("secrets"), first.get("tables")
    if not isinstance(secrets, bool) or not isinstance(counts, dict):
        raise lines.fail("the header lacks `secrets` (true or false) or `tables` (rows per table)")
    expected = [table.name for table in backup_tables(with_secrets=secrets)]
    if list(counts) != expected:
        raise lines.fail(
            f"the header lists the tables {list(counts)}; a backup at this revision holds {expected}"
        )
    for name, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise lines.fail(f"the header's row count of {name} is not a number of rows")
    return secrets, counts


def _section(lines: _Lines, line: Any, expected: str) -> list[str]:
    if not isinstance(line, dict) or "table" not in line:
        raise lines.fail(
            f"a row where the table {expected} should begin (the table before it has too many rows)"
        )
    if line["table"] != expected:
        raise lines.fail(f"the table {line['table']!r} where {expected} should begin")
    table = table_named(expected)
    assert table is not None
    columns = line.get("columns")
    known = [column.name for column in table.columns]
    if (
        not isinstance(columns, list)
        or sorted(map(str, columns)) != sorted(known)
        or len(columns) != len(known)
    ):
        raise lines.fail(f"{expected}: the columns {columns} are not those of the table, {known}")
    return [str(name) for name in columns]


@dataclass
class _TableCheck:
    """Checks one table's rows as they come, and the references they make."""

    table: Table
    columns: list[str]
    keys: dict[str, _Keys]
    codecs: list[ColumnCodec] = field(init=False)
    key_at: int = field(init=False)
    references: list[tuple[int, str]] = field(init=False)
    """(position in the row, the table it refers to) of each foreign key."""
    last_key: int | None = None
    rows: int = 0
    forward: list[tuple[int, int, str, int]] = field(default_factory=list)
    """References to rows of the same table further on: (line, key, column, value), checked at its end."""

    def __post_init__(self) -> None:
        by_name = {column_codec.column.name: column_codec for column_codec in codecs(self.table)}
        self.codecs = [by_name[name] for name in self.columns]
        (key_column,) = self.table.primary_key.columns
        self.key_at = self.columns.index(key_column.name)
        self.references = []
        for foreign_key in self.table.foreign_keys:
            self.references.append(
                (self.columns.index(foreign_key.parent.name), foreign_key.column.table.name)
            )

    def check(self, lines: _Lines, row: Any) -> None:
        name = self.table.name
        if not isinstance(row, list) or len(row) != len(self.columns):
            raise lines.fail(f"{name}: a row of {len(self.columns)} values in a JSON array expected")
        key = row[self.key_at]
        where = f"{name} {self.columns[self.key_at]} {key}"
        for column_codec, value in zip(self.codecs, row, strict=True):
            column = column_codec.column
            if value is None:
                if not column.nullable:
                    raise lines.fail(f"{where}: {column.name} is empty, and a {name} row must have one")
                continue
            try:
                column_codec.decode(value)
            except BadValue as error:
                raise lines.fail(
                    f"{where}: {column.name} is {json.dumps(value)[:80]}, where {error} is expected"
                ) from None
        if self.last_key is not None and key <= self.last_key:
            raise lines.fail(
                f"{where}: the rows are not in the order of their keys (or the key repeats), "
                f"after {self.last_key}"
            )
        self.last_key = key
        if name in self.keys:
            self.keys[name].values.append(key)
        for position, target in self.references:
            value = row[position]
            if value is None:
                continue
            column_name = self.columns[position]
            if target == name and value > key:
                self.forward.append((lines.number, key, column_name, value))
            elif target not in self.keys or not self.keys[target].holds(value):
                raise lines.fail(
                    f"{where}: {column_name} refers to {target} {value}, which the file does not hold"
                )
        self.rows += 1

    def finish(self, lines: _Lines, expected_rows: int) -> None:
        name = self.table.name
        if self.rows != expected_rows:
            raise lines.fail(
                f"the file holds {self.rows} rows of {name} where its header says {expected_rows} "
                "(the file is truncated, or was edited)"
            )
        for line, key, column_name, value in self.forward:
            if not self.keys[name].holds(value):
                lines.number = line
                raise lines.fail(
                    f"{name} id {key}: {column_name} refers to {name} {value}, which the file does not hold"
                )


def _referenced(tables: Sequence[Table]) -> set[str]:
    return {foreign_key.column.table.name for table in tables for foreign_key in table.foreign_keys}


def check_backup(path: Path, *, revision: str) -> BackupPlan:
    """Read the whole file and check it against this schema; BadBackup names the first thing wrong."""
    lines = _Lines(path)
    lines_read = iter(lines)
    try:
        first = next(lines_read, None)
    except BadBackup:
        raise BadBackup(
            f"{path.name} is not a claimtrack backup: its first line is not the JSON header of the format "
            f"{FORMAT} (a file of `claimtrack export`); nothing was imported."
        ) from None
    if first is None:
        raise BadBackup(f"{path.name} is empty; nothing was imported.")
    secrets, counts = _header(lines, first, revision)
    tables = backup_tables(with_secrets=secrets)
    keys = {name: _Keys() for name in _referenced(tables)}
    plans: list[TablePlan] = []
    for table in tables:
        line = next(lines_read, None)
        if line is None:
            raise lines.fail(f"the file ends where the table {table.name} should begin (it is truncated)")
        columns = _section(lines, line, table.name)
        checking = _TableCheck(table, columns, keys)
        for _ in range(counts[table.name]):
            row = next(lines_read, None)
            if row is None:
                break
            if isinstance(row, dict):  # the next table's line: this one has fewer rows than its header says
                checking.finish(lines, counts[table.name])
            checking.check(lines, row)
        checking.finish(lines, counts[table.name])
        plans.append(TablePlan(table, columns, counts[table.name]))
    if next(lines_read, None) is not None:
        raise lines.fail("more lines follow the last table's rows")
    return BackupPlan(revision=revision, secrets=secrets, tables=plans)


def _rows_of(path: Path, plan: BackupPlan) -> Iterator[tuple[TablePlan, Iterator[list[Any]]]]:
    """The second reading of a checked file: each table with an iterator of its rows, decoded."""
    with path.open("rb") as lines:
        next(lines)  # the header
        for table_plan in plan.tables:
            next(lines)  # the table's line
            decoders = [column_codec.decode for column_codec in _ordered_codecs(table_plan)]

            def rows(count: int = table_plan.rows, decoders: list[Any] = decoders) -> Iterator[list[Any]]:
                for _ in range(count):
                    values = json.loads(next(lines))
                    yield [
                        None if value is None else decode(value)
                        for decode, value in zip(decoders, values, strict=True)
                    ]

            table_rows = rows()
            yield table_plan, table_rows
            for _ in table_rows:  # whatever the writer left unread
                pass


def _ordered_codecs(table_plan: TablePlan) -> list[ColumnCodec]:
    by_name = {column_codec.column.name: column_codec for column_codec in codecs(table_plan.table)}
    return [by_name[name] for name in table_plan.columns]


def _counted(rows: Iterator[list[Any]], progress: Progress | None) -> Iterator[list[Any]]:
    if progress is None:
        yield from rows
        return
    pending = 0
    for row in rows:
        yield row
        pending += 1
        if pending == PROGRESS_ROWS:
            progress.advance(pending, pending)
            pending = 0
    if pending:
        progress.advance(pending, pending)


def refuse_unless_empty(connection: Connection) -> None:
    """BadBackup unless every table of the schema is empty: a restore adds to nothing."""
    holding = tables_holding_rows(connection, [table.name for table in Base.metadata.sorted_tables])
    if holding:
        database = connection.engine.url.render_as_string(hide_password=True)
        raise BadBackup(
            f"{database} holds rows already (in {', '.join(holding)}): a backup is restored into an empty "
            "database only. Point DATABASE_URL at a new database; nothing was imported."
        )


def database_revision(engine: Engine) -> str:
    with engine.connect() as connection:
        revision = schema_revision(connection)
    if revision is None:
        raise BadBackup("The database has no schema revision: run `claimtrack db upgrade` first.")
    return revision


def restore_backup(engine: Engine, path: Path, *, show_progress: bool = False) -> BackupPlan:
    """Check the file, then restore it into the (empty, migrated) database in one transaction."""
    with engine.connect() as connection, connection.begin():
        refuse_unless_empty(connection)
    plan = check_backup(path, revision=database_revision(engine))
    progress = Progress(plan.total_rows, unit="rows") if show_progress else None
    try:
        _write(engine, path, plan, progress)
    except (
        IntegrityError,
        DataError,
        sqlite3.IntegrityError,
        psycopg.IntegrityError,
        psycopg.DataError,
    ) as error:
        # What the check does not read: a constraint between rows (a slug or a statement twice, a
        # value outside its vocabulary). The transaction was rolled back as the error left it.
        raise BadBackup(
            f"{path.name}: the database refused a row of the file ({_first_line(error)}); "
            "nothing was imported."
        ) from error
    return plan


def _first_line(error: BaseException | None) -> str:
    return (
        str(error).strip().splitlines()[0] if error is not None and str(error).strip() else "no reason given"
    )


def _write(engine: Engine, path: Path, plan: BackupPlan, progress: Progress | None) -> None:
    loaded = [table_plan.table.name for table_plan in plan.tables]
    derived = ["search_documents", "claim_summaries"]
    with engine.connect() as connection:
        connection = connection.execution_options(**{WRITE_OPTION: True})
        with bulk_load_settings(connection), connection.begin() as transaction:
            refuse_unless_empty(connection)
            defer_foreign_keys(connection)
            indexes = secondary_indexes([*loaded, *derived])
            drop_indexes(connection, indexes)
            if progress is not None:
                progress.start()
            for table_plan, rows in _rows_of(path, plan):
                write_table(connection, table_plan.table, table_plan.columns, _counted(rows, progress))
            reset_id_sequences(connection, [name for name in loaded if "id" in Base.metadata.tables[name].c])
            with _step(progress, "building the search index"):
                if connection.dialect.name == "postgresql":
                    analyze(connection, SEARCH_INDEX_READS)
                rebuild(connection)
            with _step(progress, "building the indexes"):
                create_indexes(connection, indexes)
            with _step(progress, "counting the claims' summaries"):
                rebuild_summaries(connection)
            with _step(progress, "committing"):
                transaction.commit()
        with _step(progress, "analysing"):
            if connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM (ANALYZE)")
            else:
                with connection.begin():
                    analyze(connection)


class _NoStep:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exc: object) -> None:
        return None


def _step(progress: Progress | None, label: str) -> Any:
    return progress.step(label) if progress is not None else _NoStep()
