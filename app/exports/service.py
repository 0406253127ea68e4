"""Every statement or claim a list's filters select, as CSV or NDJSON, produced a batch at a time.

The rows are read in id order, `BATCH` at a time after the last id of the batch before (keyset pages,
as the lists page), in a session of their own that lives as long as the response's body: whatever the
number of rows, the server holds one batch. Each batch is read in its own statement, so that a row
written meanwhile appears (once) if its id comes after the batches already sent, and a row deleted
meanwhile is absent if its batch was not yet read.

CSV follows RFC 4180 (a header row, CRLF line ends, fields quoted when they hold a comma, a quote or a
line end), in UTF-8. A text cell that a spreadsheet would read as a formula (one that begins with `=`,
`+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, which the spreadsheet shows as text
(OWASP's advice on CSV injection): a quote that begins with "-" reads `'-` in the file. NDJSON keeps
every value as it is.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.claims.schemas import ClaimFilters
from app.exports import repository
from app.pagination import MAX_ID
from app.statements.repository import AttributionFilters
from app.vocabulary import Stance

BATCH = 1_000
"""Rows read, formatted and sent at a time."""
MAX_BATCHES = MAX_ID // BATCH + 1
"""Each batch starts after the last id of the one before, and ids stop at MAX_ID: a bound on the loop."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

STATEMENT_COLUMNS = (
    "id",
    "actor_id",
    "actor",
    "stance",
    "claim_id",
    "claim",
    "status",
    "quote",
    "source_id",
    "source",
    "outlet",
    "url",
    "published_on",
    "medium",
    "chain",
    "created_at",
)
"""A statement's fields, in the order of the CSV's columns. `chain`: the intermediaries through which
the statement reached its source, in order (NDJSON: each with `actor_id`, `actor` and `medium`)."""
CLAIM_COLUMNS = (
    "id",
    "text",
    "status",
    "contested",
    "attribution_count",
    "source_count",
    *(stance.value for stance in Stance),
    "created_at",
    "updated_at",
)
"""A claim's fields: its live statements and their sources counted, and its statements per stance."""

Record = dict[str, Any]


def _statement_batches(factory: sessionmaker[Session], filters: AttributionFilters) -> Iterator[list[Record]]:
    with factory() as session:
        after = 0
        for _batch in range(MAX_BATCHES):
            rows = repository.statement_rows(session, filters, after_id=after, limit=BATCH)
            if not rows:
                return
            steps = repository.chain_steps(session, [row["id"] for row in rows])
            chains = {
                attribution_id: [
                    {"actor_id": step["actor_id"], "actor": step["actor"], "medium": step["medium"]}
                    for step in of_one
                ]
                for attribution_id, of_one in groupby(steps, key=lambda step: step["attribution_id"])
            }
            yield [{**row, "chain": chains.get(row["id"], [])} for row in rows]
            after = rows[-1]["id"]


def _claim_batches(factory: sessionmaker[Session], filters: ClaimFilters) -> Iterator[list[Record]]:
    with factory() as session:
        few = repository.few_statements(session, filters)
        after = 0
        for _batch in range(MAX_BATCHES):
            rows = repository.claim_rows(session, filters, few=few, after_id=after, limit=BATCH)
            if not rows:
                return
            yield [_claim_record(dict(row)) for row in rows]
            after = rows[-1]["id"]


def _claim_record(row: Record) -> Record:
    per_stance = {entry["stance"]: entry["attribution_count"] for entry in row.pop("stances") or []}
    record = {name: row[name] for name in CLAIM_COLUMNS if name in row}
    record["contested"] = bool(record["contested"])
    record["attribution_count"] = record["attribution_count"] or 0
    record["source_count"] = record["source_count"] or 0
    record.update({stance.value: per_stance.get(stance.value, 0) for stance in Stance})
    return {name: record[name] for name in CLAIM_COLUMNS}


def _chain_text(chain: list[Record]) -> str:
    return " → ".join(
        f"{step['actor']} ({step['medium']})" if step["medium"] else str(step["actor"]) for step in chain
    )


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _csv(
    columns: Sequence[str], batches: Iterable[list[Record]], cells: Callable[[Record], Record]
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for batch in batches:
        for record in batch:
            shown = cells(record)
            writer.writerow([_cell(shown[name]) for name in columns])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _ndjson(columns: Sequence[str], batches: Iterable[list[Record]]) -> Iterator[bytes]:
    for batch in batches:
        yield "".join(
            json.dumps({name: record[name] for name in columns}, ensure_ascii=False, default=_json_value)
            + "\n"
            for record in batch
        ).encode()


def _with_chain_text(record: Record) -> Record:
    return {**record, "chain": _chain_text(record["chain"])}


def _as_is(record: Record) -> Record:
    return record


def statements_csv(factory: sessionmaker[Session], filters: AttributionFilters | None) -> Iterator[bytes]:
    """The statements the filters select as CSV (only the header when they can match none)."""
    batches = _statement_batches(factory, filters) if filters is not None else iter(())
    return _csv(STATEMENT_COLUMNS, batches, _with_chain_text)


def statements_ndjson(factory: sessionmaker[Session], filters: AttributionFilters | None) -> Iterator[bytes]:
    """The statements the filters select, one JSON object a line."""
    return _ndjson(
        STATEMENT_COLUMNS, _statement_batches(factory, filters) if filters is not None else iter(())
    )


def claims_csv(factory: sessionmaker[Session], filters: ClaimFilters | None) -> Iterator[bytes]:
    """The claims the filters select as CSV (only the header when they can match none)."""
    return _csv(CLAIM_COLUMNS, _claim_batches(factory, filters) if filters is not None else iter(()), _as_is)


def claims_ndjson(factory: sessionmaker[Session], filters: ClaimFilters | None) -> Iterator[bytes]:
    """The claims the filters select, one JSON object a line."""
    return _ndjson(CLAIM_COLUMNS, _claim_batches(factory, filters) if filters is not None else iter(()))
