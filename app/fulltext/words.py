"""The words a reader typed, folded like the search index's, for a search or a text filter."""

from app.errors import InvalidInput
from app.names import fold_name

MAX_TERMS = 12
"""Words searched at most; a pasted paragraph is cut to its first words rather than refused."""


def query_words(text: str | None) -> list[str]:
    """What a reader typed as folded words, each once, in the order typed: folded like the index,
    every other character (FTS syntax, quotes, operators, punctuation) only separates words."""
    return list(dict.fromkeys(fold_name((text or "").strip()).split()))


def filter_words(field: str, text: str | None) -> list[str] | None:
    """The words of a text filter (None: no filter); a filter without a single word is refused
    rather than silently ignored or matching nothing."""
    if text is None or not text.strip():
        return None
    words = query_words(text)
    if not words:
        raise InvalidInput(
            f"“{text.strip()}” has no word to look for in “{field}”: "
            "type at least one letter or digit (punctuation and symbols are not searched)."
        )
    return words[:MAX_TERMS]
