"""Which tables a backup holds, in which order, and how each column's values are written in it.

The tables are the schema's own (`Base.metadata.sorted_tables`, parents before children), less those
named in `EXCLUDED` with the reason: a table added to the schema is in every backup from then on,
unless someone decides here that it should not be (tests/backup/test_tables.py holds the two lists to
the schema).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, Integer, String, Table, Text

from app.models import Base
from app.models.base import UTCDateTime

FORMAT = "claimtrack-backup/1"
"""The first line's `format`: a file of another format (or version) is refused before anything is read."""

EXCLUDED: dict[str, str] = {
    "login_sessions": "transient: browser sessions end with the server they were signed in to",
    "login_throttles": "transient: counters of failed sign-ins within a window of minutes",
    "search_documents": "derived from claims, statements, actors and sources; rebuilt by the import",
    "claim_summaries": "derived from the statements; counted again by the import",
}
"""Tables a backup leaves out, and why. The derived ones are rebuilt rather than copied: their words are
folded by the application (app/names.py), so the restoring version folds them as it searches, and a
file cannot bring an index that disagrees with the rows it describes."""

SECRET_TABLES: dict[str, str] = {
    "users": "accounts, with their password hashes",
    "api_tokens": "the hashes of the API tokens",
    "audit_log": "who changed what, by account name, with the values before and after",
}
"""Tables that a backup holds only when asked (`claimtrack export --with-secrets`): a backup without
them restores every record, and nobody can sign in until an admin is created."""


def backup_tables(*, with_secrets: bool) -> list[Table]:
    """The tables a backup holds, parents before children."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name not in EXCLUDED and (with_secrets or table.name not in SECRET_TABLES)
    ]


def table_named(name: str) -> Table | None:
    table = Base.metadata.tables.get(name)
    return table if table is not None and table.name not in EXCLUDED else None


class BadValue(ValueError):
    """A value of the file that its column cannot hold; the message says what the column holds."""


@dataclass(frozen=True)
class ColumnCodec:
    """How one column's values are written in a backup and read back."""

    column: Column[Any]
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadValue("a whole number")
    return value


def _text(length: int | None) -> Callable[[Any], str]:
    def decode(value: Any) -> str:
        if not isinstance(value, str):
            raise BadValue("text")
        if length is not None and len(value) > length:
            raise BadValue(f"text of at most {length} characters (this one has {len(value)})")
        if "\x00" in value:
            raise BadValue("text without NUL characters (PostgreSQL cannot store them)")
        return value

    return decode


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadValue("true or false")
    return value


def _instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise BadValue("a date and time with its offset, such as 2022-04-01T09:30:00+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadValue("a date and time with its offset, such as 2022-04-01T09:30:00+00:00") from None
    if moment.tzinfo is None:
        raise BadValue("a date and time with its offset (this one has none)")
    return moment.astimezone(UTC)


def _day(value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise BadValue("a day written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadValue("a day written YYYY-MM-DD") from None


def _any_json(value: Any) -> Any:
    return value


def _as_is(value: Any) -> Any:
    return value


def _instant_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _day_text(value: date) -> str:
    return value.isoformat()


def codec(column: Column[Any]) -> ColumnCodec:
    """The codec of a column, by its type; a type without one fails here, when the table is first used."""
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return ColumnCodec(column, _instant_text, _instant)
    if isinstance(kind, Boolean):
        return ColumnCodec(column, _as_is, _flag)
    if isinstance(kind, Integer | BigInteger):
        return ColumnCodec(column, _as_is, _whole)
    if isinstance(kind, Date):
        return ColumnCodec(column, _day_text, _day)
    if isinstance(kind, JSON):
        return ColumnCodec(column, _as_is, _any_json)
    if isinstance(kind, String | Text):
        return ColumnCodec(column, _as_is, _text(kind.length))
    raise TypeError(f"{column.table.name}.{column.name}: a backup cannot hold a {kind!r} column yet")


def codecs(table: Table) -> list[ColumnCodec]:
    return [codec(column) for column in table.columns]
