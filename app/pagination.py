"""Opaque cursors for keyset pagination: a page ends at an id, the next one starts after it."""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Protocol, TypeVar

from pydantic import Field

from app.errors import InvalidInput
from app.schemas import Page


class HasId(Protocol):
    @property
    def id(self) -> int: ...


MAX_ID = 2**31 - 1
"""The largest id a table holds (a 32-bit signed integer on PostgreSQL)."""

IdField = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An id in a JSON body."""

INVALID_CURSOR = "The cursor is not valid: pass the next_cursor of a previous page unchanged."


def whole_number(text: str) -> int | None:
    """The number `text` spells in the digits 0 to 9, when it is one from 0 to MAX_ID; else None.

    `str.isdigit()` alone lets through what `int()` refuses ('²'), and numbers no column holds.
    """
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after_id: int | None = None


def encode_cursor(after_id: int) -> str:
    payload = json.dumps({"after": after_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


# The cursors encode_cursor makes, and only those: `{"after":N}` (N of 1 to 10 digits) in unpadded
# base64url. `{"after":` is 9 bytes, so it always encodes as the same 12 characters; the digits and the
# closing brace follow in groups of 3 bytes (4 characters each), a digit being 0x30-0x39 and "}" 0x7D:
_DIGITS_3 = "(?:[MN][DTjz]|O[DT])[AEIMQUYcgk][w-z0-5]"  # three digits
_DIGITS_2_END = "(?:[MN][DTjz]|O[DT])[BFJNRVZdhl]9"  # two digits and "}"
_DIGIT_END = "(?:[MN][HXn3]|O[HX])0"  # one digit and "}" (unpadded)
_END = "fQ"  # "}" alone (unpadded)
CURSOR_PATTERN = (
    f"^(?:eyJhZnRlciI6(?:(?:{_DIGITS_3}){{1,3}}{_END}|(?:{_DIGITS_3}){{0,3}}{_DIGIT_END}"
    f"|(?:{_DIGITS_3}){{0,2}}{_DIGITS_2_END}))?$"
)
"""A page cursor, exactly: what `next_cursor` holds (or nothing, for the first page)."""
_CURSOR = re.compile(CURSOR_PATTERN)
_CURSOR_PREFIX = len(b'{"after":')


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    if _CURSOR.fullmatch(cursor) is None:
        raise InvalidInput(INVALID_CURSOR)
    digits = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))[_CURSOR_PREFIX:-1]
    # Past the largest id there is nothing to list: the page after it is empty.
    return min(int(digits), MAX_ID)


ItemT = TypeVar("ItemT", bound=HasId)


def paginate(items: list[ItemT], limit: int) -> "Page[ItemT]":
    """A page from `limit + 1` rows fetched in id order: the extra row only says there is more."""
    if len(items) <= limit:
        return Page(items=items, next_cursor=None)
    items = items[:limit]
    return Page(items=items, next_cursor=encode_cursor(items[-1].id))


# Ranked lists (search results) end at a position in their order, not at an id: the cursor carries the
# whole sort key of the last row, and the next page starts strictly after it.


@dataclass(frozen=True)
class PositionRequest:
    limit: int
    after: tuple[int, ...] | None = None


def encode_position(position: tuple[int, ...]) -> str:
    payload = json.dumps({"after": list(position)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_position(cursor: str | None, size: int) -> tuple[int, ...] | None:
    """The sort key a cursor carries, checked to be `size` integers in range."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise InvalidInput(
            "The cursor is not valid: pass the next_cursor of a previous page unchanged."
        ) from error
    if (
        not isinstance(after, list)
        or len(after) != size
        or not all(
            isinstance(value, int) and not isinstance(value, bool) and -MAX_ID <= value <= MAX_ID
            for value in after
        )
    ):
        raise InvalidInput("The cursor is not valid: pass the next_cursor of a previous page unchanged.")
    return tuple(after)


# Lists newest first by a moment other than creation (deleted items, most recently deleted first) end at
# a moment and an id: the cursor carries both, and the next page starts strictly before them.


def encode_moment(moment: datetime, item_id: int) -> str:
    payload = json.dumps({"before": [moment.isoformat(), item_id]}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_moment(cursor: str | None) -> tuple[datetime, int] | None:
    """The (moment, id) a cursor carries: a timezone-aware moment and an id in range."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, item_id = json.loads(base64.urlsafe_b64decode(padded.encode()))["before"]
        at = datetime.fromisoformat(moment)
        # In UTC, as the moments are stored: a moment near an end of the calendar in another time zone
        # (0001-01-01T00:00+14:00) is not one in UTC, which the database would fail to compare.
        at = at.astimezone(UTC) if at.tzinfo is not None else at
    except (binascii.Error, ValueError, KeyError, TypeError, OverflowError) as error:
        raise InvalidInput(INVALID_CURSOR) from error
    if at.tzinfo is None or not isinstance(item_id, int) or isinstance(item_id, bool):
        raise InvalidInput(INVALID_CURSOR)
    if not 0 <= item_id <= MAX_ID:
        raise InvalidInput(INVALID_CURSOR)
    return at, item_id
