"""Anchoring quotes in source texts, as W3C Web Annotation position and quote selectors."""

from dataclasses import dataclass

from app.errors import InvalidQuote

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class QuoteAnchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def anchor_at(text: str, start: int, end: int, exact: str) -> QuoteAnchor:
    """The anchor of a quote given by offsets; fails unless `exact` is the text at those offsets."""
    if not exact:
        raise InvalidQuote("The quote is empty: give the exact words of the statement.")
    if start < 0 or end <= start or end > len(text):
        raise InvalidQuote(
            f"The quote offsets {start}–{end} fall outside the source text, which has {len(text)} characters."
        )
    found = text[start:end]
    if found != exact:
        raise InvalidQuote(
            f"The quote is not the source's text at {start}–{end}: the source has "
            f"“{_shorten(found)}” there, the quote says “{_shorten(exact)}”.",
            details={"quote_start": start, "quote_end": end, "source_text_at_offsets": found},
        )
    return QuoteAnchor(
        start=start,
        end=end,
        exact=exact,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def occurrences(text: str, quote: str) -> list[int]:
    """Every offset at which `quote` starts in `text`, overlapping ones included."""
    starts = []
    position = text.find(quote)
    while position != -1:
        starts.append(position)
        position = text.find(quote, position + 1)
    return starts


def locate(text: str, quote: str, *, occurrence: int | None = None) -> QuoteAnchor:
    """Find a verbatim quote in a text; `occurrence` (1-based) picks one when it appears several times."""
    if not quote:
        raise InvalidQuote("The quote is empty: give the exact words of the statement.")
    starts = occurrences(text, quote)
    if not starts:
        raise InvalidQuote(
            f"The quote “{_shorten(quote)}” is not in the source text: a quote must be a verbatim "
            "copy, including its punctuation and quotation marks."
        )
    if occurrence is None:
        if len(starts) > 1:
            raise InvalidQuote(
                f"The quote “{_shorten(quote)}” appears {len(starts)} times in the source: say which "
                "occurrence is meant.",
                details={"occurrences": starts},
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise InvalidQuote(
            f"Occurrence {occurrence} was asked for, but the quote appears {len(starts)} time(s)."
        )
    start = starts[occurrence - 1]
    return anchor_at(text, start, start + len(quote), quote)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reanchor(
    text: str,
    exact: str | None,
    *,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
) -> QuoteAnchor:
    """Anchor a quote given by W3C Web Annotation selectors, as an annotation made elsewhere, or before
    the text moved, gives it: at its position (`start`, `end`) when the text there is the quote; else
    where the quote (`exact`) appears, one occurrence told from the others by how much of `prefix` and
    `suffix` the text around it has, then by nearness to the stated position. Without a quote, the
    position alone. InvalidQuote when the quote is nowhere, or its occurrences cannot be told apart."""
    if exact is None:
        if start is None or end is None:
            raise InvalidQuote("The annotation gives neither a quote nor its position in the text.")
        if not 0 <= start < end <= len(text):
            raise InvalidQuote(
                f"The position {start}–{end} falls outside the source text, which has {len(text)} characters."
            )
        return anchor_at(text, start, end, text[start:end])
    if start is not None and end is not None and 0 <= start < end <= len(text) and text[start:end] == exact:
        return anchor_at(text, start, end, exact)
    starts = occurrences(text, exact) if exact else []
    if not starts:
        return locate(text, exact)  # raises, saying the quote is not in the text

    def fit(position: int) -> int:
        before = text[max(0, position - len(prefix)) : position]
        after = text[position + len(exact) : position + len(exact) + len(suffix)]
        return _common_end(before, prefix) + _common_start(after, suffix)

    best = max(fit(position) for position in starts)
    candidates = [position for position in starts if fit(position) == best]
    if len(candidates) > 1 and start is not None:
        nearest = min(abs(position - start) for position in candidates)
        candidates = [position for position in candidates if abs(position - start) == nearest]
    if len(candidates) > 1:
        fitting = "all of them" if len(candidates) == len(starts) else f"{len(candidates)} of them"
        raise InvalidQuote(
            f"The quote “{_shorten(exact)}” appears {len(starts)} times in the source, and its prefix "
            f"and suffix fit {fitting} equally: it cannot be told which is meant.",
            details={"occurrences": candidates[:20]},
        )
    return anchor_at(text, candidates[0], candidates[0] + len(exact), exact)


def _common_start(first: str, second: str) -> int:
    count = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        count += 1
    return count


def _common_end(first: str, second: str) -> int:
    return _common_start(first[::-1], second[::-1])
