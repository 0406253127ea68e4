"""Text as people type it: one rule for every field of human text, in the API and in the forms.

A text is stored as valid Unicode without NUL (PostgreSQL cannot hold NUL, and a lone surrogate is not
Unicode at all), in NFC (the form the source texts are kept in, so that "Café" typed with a combining
accent and "Café" typed precomposed are one name), without whitespace or invisible format characters
(category Cf: U+200B ZERO WIDTH SPACE, U+200E LEFT-TO-RIGHT MARK, U+FEFF BYTE ORDER MARK…) at its ends,
which a copy and paste brings along unseen. A name, a title, a claim or a quote must also show
something: an actor called "\\u200b" would be listed as a blank line, with the slug `item`.

The services apply the rule (`clean_field`, `visible_field`): the JSON API and the forms both reach
them, the forms without a schema, so both get the same check and the same message naming the field,
and a domain's own message stays first where it says more ("an actor needs a name"). The schemas and
the pages' parameters refuse only what cannot be stored (`Text`, or `AfterValidator(valid_text)` after
a length bound, which must come first or pydantic words it as a list's "items").
"""

import unicodedata
from typing import Annotated

from pydantic import AfterValidator

from app.errors import InvalidInput

NOT_VISIBLE = "must contain visible text, not only spaces or invisible characters (such as U+200B)"


def text_problem(value: str) -> str | None:
    """What makes a text unstorable, in words; None when it can be stored."""
    if "\x00" in value:
        return "must not contain NUL (\\x00) characters"
    if any("\ud800" <= char <= "\udfff" for char in value):
        return "contains a lone surrogate: it is not valid Unicode (was it decoded from valid UTF-8?)"
    return None


def _invisible_at_edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def tidy(value: str) -> str:
    """The text in NFC, without whitespace or format characters (Cf) at either end."""
    value = unicodedata.normalize("NFC", value)
    start, end = 0, len(value)
    while start < end and _invisible_at_edge(value[start]):
        start += 1
    while end > start and _invisible_at_edge(value[end - 1]):
        end -= 1
    return value[start:end]


def is_visible(value: str) -> bool:
    """Whether the text shows anything: a character that is neither a separator (Z*) nor other (C*)."""
    return any(unicodedata.category(char)[0] not in "ZC" for char in value)


def valid_text(value: str) -> str:
    """The text as given; ValueError when it cannot be stored."""
    if problem := text_problem(value):
        raise ValueError(problem)
    return value


def clean_text(value: str) -> str:
    """The text tidied (NFC, ends stripped); ValueError when it cannot be stored. May be empty."""
    return tidy(valid_text(value))


def visible_text(value: str) -> str:
    """The text tidied; ValueError when it cannot be stored or shows nothing."""
    value = clean_text(value)
    if not is_visible(value):
        raise ValueError(NOT_VISIBLE)
    return value


Text = Annotated[str, AfterValidator(valid_text)]
"""Any Unicode text that can be stored, kept exactly as given."""


def clean_field(field: str, value: str) -> str:
    """`clean_text` for a service: InvalidInput naming the field."""
    try:
        return clean_text(value)
    except ValueError as error:
        raise InvalidInput(f"{field}: {error}.", details={"field": field}) from None


def visible_field(field: str, value: str) -> str:
    """`visible_text` for a service: InvalidInput naming the field."""
    try:
        return visible_text(value)
    except ValueError as error:
        raise InvalidInput(f"{field}: {error}.", details={"field": field}) from None
