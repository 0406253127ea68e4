"""Marking the words of a text that match a search, folded as the index folds them.

The text is cut into plain stretches; nothing here is markup. The template escapes every stretch
and wraps the matching ones in <mark>, so user input never reaches the page unescaped.
"""

import re
from collections.abc import Sequence

from app.names import fold_name
from app.search.schemas import TextPart

_WORD = re.compile(r"\w+")


def word_matches(word: str, terms: Sequence[str]) -> bool:
    """Whether a word of a text is one the search found: a folded part of it starts with a term."""
    return any(part.startswith(term) for part in fold_name(word).split() for term in terms)


def highlight(text: str, terms: Sequence[str]) -> list[TextPart]:
    """`text` cut into stretches that together are exactly `text`, the matching words marked."""
    parts: list[TextPart] = []
    position = 0

    def add(stretch: str, match: bool) -> None:
        if not stretch:
            return
        if parts and parts[-1].match == match and not match:
            parts[-1] = TextPart(text=parts[-1].text + stretch, match=False)
        else:
            parts.append(TextPart(text=stretch, match=match))

    for found in _WORD.finditer(text):
        if not word_matches(found.group(), terms):
            continue
        add(text[position : found.start()], False)
        add(found.group(), True)
        position = found.end()
    add(text[position:], False)
    return parts
