"""Cutting a long source text into parts, so that its page stays small however long the text is and
however many statements it carries.

A part ends at a paragraph (or, failing that, a line, then a space) and holds at most `PART_CHARS`
characters and at most `PART_SPANS` starts of statements, whichever comes first: a transcript with a
statement every sentence gets shorter parts than a long article with a few. A text within both bounds
is one part, and its page is the whole text, as it always was.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

PART_CHARS = 20_000
"""The most characters of text a part shows."""
PART_SPANS = 50
"""The most statements starting in a part: each adds its highlight and an entry to the list."""


@dataclass(frozen=True)
class Part:
    """Characters `start` to `end` of a text: part `number` (from 1) of `count`."""

    number: int
    count: int
    start: int
    end: int


class _Spans:
    """Where statements start and end, to tell whether a cut would fall inside one."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.starts = [start for start, _end in spans]
        self.reach: list[int] = []  # the furthest end of the spans up to each one
        furthest = 0
        for _start, end in spans:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def inside_one(self, offset: int) -> bool:
        before = bisect_left(self.starts, offset)
        return before > 0 and self.reach[before - 1] > offset

    def start_around(self, offset: int) -> int:
        """Where the first of the spans that `offset` falls inside starts (`offset` when none)."""
        first = bisect_right(self.reach, offset)
        if first < len(self.starts) and self.starts[first] < offset:
            return self.starts[first]
        return offset


def _cut(text: str, start: int, limit: int, spans: _Spans) -> int:
    """The best place to end a part that starts at `start` and must end by `limit` (exclusive): after
    a blank line, else a line break, else a space, looking back from the limit but not so far back
    that the part shrinks by more than half; and not inside a statement's quote, if that can be
    helped, even at the cost of a shorter part."""
    if limit >= len(text):
        return len(text)
    earliest = start + max(1, (limit - start) // 2)
    fallback = None
    for separator in ("\n\n", "\n", " "):
        found = text.rfind(separator, earliest, limit)
        while found != -1:
            cut = found + len(separator)
            if not spans.inside_one(cut):
                return cut
            fallback = fallback or cut
            found = text.rfind(separator, earliest, found)
    if fallback is None:
        return limit
    # Every break in reach falls inside quotes: end the part before the first of them begins.
    before_quote = spans.start_around(fallback)
    if before_quote <= start:
        return fallback  # a quote longer than a part: it has to be cut
    for separator in ("\n\n", "\n", " "):
        found = text.rfind(separator, start, before_quote)
        if found != -1 and found + len(separator) > start and not spans.inside_one(found + len(separator)):
            return found + len(separator)
    return before_quote


def text_parts(
    text: str,
    spans: Sequence[tuple[int, int]],
    *,
    max_chars: int = PART_CHARS,
    max_spans: int = PART_SPANS,
) -> list[Part]:
    """The parts of `text`; `spans` are its statements' (start, end) offsets, ordered by start."""
    bounds: list[tuple[int, int]] = []
    found = _Spans(spans)
    start = 0
    while start < len(text):
        limit = start + max_chars
        first = bisect_left(found.starts, start)
        if first + max_spans < len(found.starts):
            # The part must end before the statement that would be one too many starts.
            limit = min(limit, max(found.starts[first + max_spans], start + 1))
        end = _cut(text, start, limit, found)
        bounds.append((start, end))
        start = end
    if not bounds:
        bounds.append((0, 0))
    return [
        Part(number=number, count=len(bounds), start=start, end=end)
        for number, (start, end) in enumerate(bounds, start=1)
    ]


def part_at(parts: Sequence[Part], offset: int) -> Part:
    """The part holding the character at `offset` (the last part for the end of the text)."""
    index = bisect_left([part.end for part in parts], offset + 1)
    return parts[min(index, len(parts) - 1)]
