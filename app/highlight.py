"""Splitting a source text into segments at every quote boundary, for highlighting attributed spans.

Quotes can nest (one statement inside a longer one) or overlap (two statements sharing a sentence),
so a highlight is not one element per quote: the text is cut at every start and end offset, and
each segment knows which quotes cover it. Escaping is the template's job; these are plain strings.
"""

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, Protocol, TypeVar


class Span(Protocol):
    """A quote anchored by character offsets (Python string indices) into its source's text."""

    @property
    def id(self) -> int: ...

    @property
    def quote_start(self) -> int: ...

    @property
    def quote_end(self) -> int: ...


SpanT = TypeVar("SpanT", bound=Span)


@dataclass(frozen=True)
class Numbered(Generic[SpanT]):
    """A span with its reference number: 1, 2, 3… in text order."""

    number: int
    span: SpanT


@dataclass(frozen=True)
class Segment(Generic[SpanT]):
    """A stretch of text covered by the same spans throughout; `text` is `source_text[start:end]`."""

    start: int
    end: int
    text: str
    covering: tuple[Numbered[SpanT], ...]
    """The spans covering the whole segment, in text order (outer before inner when they start together)."""
    closing: tuple[Numbered[SpanT], ...]
    """The spans ending with this segment, after which their reference markers go, in number order."""

    @property
    def innermost(self) -> Numbered[SpanT] | None:
        """The shortest covering span (on a tie, the one starting last): where a click on the text leads."""
        if not self.covering:
            return None
        return min(
            self.covering,
            key=lambda item: (item.span.quote_end - item.span.quote_start, -item.span.quote_start),
        )

    @property
    def ids(self) -> list[int]:
        return [item.span.id for item in self.covering]


@dataclass(frozen=True)
class Highlighted(Generic[SpanT]):
    segments: list[Segment[SpanT]]
    """Consecutive, non-empty, and together exactly the text."""
    spans: list[Numbered[SpanT]]
    """Every span with its number, in text order: the list of references below the text."""


def text_order(spans: Iterable[SpanT]) -> list[Numbered[SpanT]]:
    """Number spans by where they start; of two starting together, the longer (outer) one first."""
    ordered = sorted(spans, key=lambda span: (span.quote_start, -span.quote_end, span.id))
    return [Numbered(number=position, span=span) for position, span in enumerate(ordered, start=1)]


def highlight(text: str, spans: Iterable[SpanT]) -> Highlighted[SpanT]:
    """Cut `text` at every span boundary; each segment carries the spans that cover it.

    Raises ValueError for a span that is empty or falls outside the text: offsets are checked when a
    quote is anchored, so such a span means the stored data is broken, not that the reader erred.
    """
    return highlight_window(text, text_order(spans), 0, len(text))


def highlight_window(
    text: str, numbered: Sequence[Numbered[SpanT]], start: int, end: int
) -> Highlighted[SpanT]:
    """The segments of `text[start:end]` alone, for showing a long text a part at a time.

    `numbered` are the spans that meet the window, numbered as in the whole text (their numbers are
    kept, so that a statement has one number in every part). A span reaching beyond the window is cut
    at its edge: it covers the window's first or last segments, and closes (gets its reference marker)
    only in the window where it ends. Segment offsets stay offsets into the whole text.

    One sweep over the sorted boundaries: each span is added where it starts and dropped where it
    ends, so the work is the size of the output (each segment lists the spans covering it), not
    segments × spans.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"The window {start}–{end} is not a range of a text of {len(text)} characters.")
    starting: dict[int, list[Numbered[SpanT]]] = {}
    ending: dict[int, list[Numbered[SpanT]]] = {}
    for item in numbered:
        span = item.span
        if not 0 <= span.quote_start < span.quote_end <= len(text):
            raise ValueError(
                f"Span {span.id} ({span.quote_start}–{span.quote_end}) is not a "
                f"non-empty range of a text of {len(text)} characters."
            )
        if span.quote_end <= start or span.quote_start >= end:
            continue
        starting.setdefault(max(span.quote_start, start), []).append(item)
        ending.setdefault(min(span.quote_end, end), []).append(item)
    boundaries = sorted({start, end} | starting.keys() | ending.keys())
    covering: list[Numbered[SpanT]] = []  # kept in number order
    segments = []
    for segment_start, segment_end in pairwise(boundaries):
        for item in ending.get(segment_start, ()):
            del covering[bisect_left(covering, item.number, key=_number)]
        for item in starting.get(segment_start, ()):
            insort(covering, item, key=_number)
        closing = tuple(item for item in covering if item.span.quote_end == segment_end)
        segments.append(
            Segment(
                start=segment_start,
                end=segment_end,
                text=text[segment_start:segment_end],
                covering=tuple(covering),
                closing=closing,
            )
        )
    shown = sorted({id(item): item for items in starting.values() for item in items}.values(), key=_number)
    return Highlighted(segments=segments, spans=shown)


def _number(item: Numbered[SpanT]) -> int:
    return item.number
