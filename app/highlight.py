"""Splitting a source text into segments at every quote boundary, for highlighting attributed spans.

Quotes can nest (one statement inside a longer one) or overlap (two statements sharing a sentence),
so a highlight is not one element per quote: the text is cut at every start and end offset, and
each segment knows which quotes cover it. Escaping is the template's job; these are plain strings.
"""

from collections.abc import Iterable
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
    numbered = text_order(spans)
    for item in numbered:
        if not 0 <= item.span.quote_start < item.span.quote_end <= len(text):
            raise ValueError(
                f"Span {item.span.id} ({item.span.quote_start}–{item.span.quote_end}) is not a "
                f"non-empty range of a text of {len(text)} characters."
            )
    boundaries = sorted(
        {0, len(text)}
        | {item.span.quote_start for item in numbered}
        | {item.span.quote_end for item in numbered}
    )
    segments = []
    for start, end in pairwise(boundaries):
        covering = tuple(
            item for item in numbered if item.span.quote_start <= start and end <= item.span.quote_end
        )
        closing = tuple(item for item in covering if item.span.quote_end == end)
        segments.append(
            Segment(start=start, end=end, text=text[start:end], covering=covering, closing=closing)
        )
    return Highlighted(segments=segments, spans=numbered)
