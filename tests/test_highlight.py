"""Cutting a source text into highlighted segments: nesting, overlaps, edges, and nothing at all."""

from dataclasses import dataclass

import pytest

from app.highlight import Segment, highlight, highlight_window, text_order


@dataclass(frozen=True)
class Quote:
    id: int
    quote_start: int
    quote_end: int


def at(text: str, part: str, quote_id: int) -> Quote:
    start = text.index(part)
    return Quote(id=quote_id, quote_start=start, quote_end=start + len(part))


def shape(segments: list[Segment[Quote]]) -> list[tuple[str, list[int], list[int]]]:
    """Each segment as (text, ids covering it, ids closing with it): what a template renders."""
    return [(s.text, s.ids, [item.span.id for item in s.closing]) for s in segments]


def test_no_spans_leave_the_text_whole() -> None:
    no_quotes: list[Quote] = []

    result = highlight("Nothing was said.\n\nNothing.", no_quotes)

    assert shape(result.segments) == [("Nothing was said.\n\nNothing.", [], [])]
    assert result.spans == []


def test_empty_text_has_no_segments() -> None:
    no_quotes: list[Quote] = []

    assert highlight("", no_quotes).segments == []


def test_one_span_in_the_middle() -> None:
    text = "Peskov said “no comfort” today."
    result = highlight(text, [at(text, "“no comfort”", 7)])

    assert shape(result.segments) == [
        ("Peskov said ", [], []),
        ("“no comfort”", [7], [7]),
        (" today.", [], []),
    ]
    assert result.segments[1].innermost is not None
    assert result.segments[1].innermost.span.id == 7


def test_nested_span_splits_the_outer_one_and_is_innermost() -> None:
    text = "He said it could have been a false flag to justify attacks."
    outer = at(text, "it could have been a false flag to justify attacks", 1)
    inner = at(text, "a false flag", 2)

    result = highlight(text, [inner, outer])

    assert shape(result.segments) == [
        ("He said ", [], []),
        ("it could have been ", [1], []),
        ("a false flag", [1, 2], [2]),
        (" to justify attacks", [1], [1]),
        (".", [], []),
    ]
    innermost = [s.innermost.span.id if s.innermost else None for s in result.segments]
    assert innermost == [None, 1, 2, 1, None]


def test_overlapping_spans_share_the_middle_segment() -> None:
    text = "alpha beta gamma delta"
    first = at(text, "alpha beta gamma", 10)
    second = at(text, "beta gamma delta", 11)

    result = highlight(text, [second, first])

    assert shape(result.segments) == [
        ("alpha ", [10], []),
        ("beta gamma", [10, 11], [10]),
        (" delta", [11], [11]),
    ]
    # Equally long spans: the one starting later is the innermost where they overlap.
    assert result.segments[1].innermost is not None
    assert result.segments[1].innermost.span.id == 11


def test_adjacent_spans_do_not_merge() -> None:
    text = "first second"
    result = highlight(text, [at(text, "second", 2), at(text, "first ", 1)])

    assert shape(result.segments) == [("first ", [1], [1]), ("second", [2], [2])]


def test_spans_at_the_very_start_and_end() -> None:
    text = "Begin middle end"
    result = highlight(text, [at(text, "Begin", 1), at(text, "end", 2)])

    assert shape(result.segments) == [("Begin", [1], [1]), (" middle ", [], []), ("end", [2], [2])]


def test_a_span_covering_the_whole_text() -> None:
    text = "All of it."
    result = highlight(text, [Quote(id=3, quote_start=0, quote_end=len(text))])

    assert shape(result.segments) == [("All of it.", [3], [3])]


def test_identical_spans_both_cover_and_both_close() -> None:
    text = "one quote, two claims"
    result = highlight(text, [at(text, "one quote", 5), at(text, "one quote", 4)])

    assert shape(result.segments) == [("one quote", [4, 5], [4, 5]), (", two claims", [], [])]


def test_spans_sharing_an_end_close_together_in_number_order() -> None:
    text = "x said that y said z"
    result = highlight(text, [at(text, "y said z", 2), at(text, "x said that y said z", 1)])

    assert shape(result.segments) == [("x said that ", [1], []), ("y said z", [1, 2], [1, 2])]


def test_segments_rebuild_the_text_exactly_with_line_breaks_and_astral_characters() -> None:
    text = "attacks on 🇺🇦.\n\n#BREAKING\nThe “General Staff” <b>&</b> said"
    spans = [at(text, "🇺🇦.\n\n#BREAK", 1), at(text, "“General Staff” <b>", 2), at(text, "<b>&</b>", 3)]

    result = highlight(text, spans)

    assert "".join(s.text for s in result.segments) == text
    assert all(s.text == text[s.start : s.end] and s.start < s.end for s in result.segments)
    # Markup-like text stays as text: escaping it is the template's job.
    assert ("<b>", [2, 3], [2]) in shape(result.segments)


def test_numbers_follow_the_text_with_outer_before_inner() -> None:
    text = "a b c d e"
    later = at(text, "d", 30)
    outer = at(text, "b c", 20)
    inner = at(text, "b", 10)

    numbered = text_order([later, inner, outer])

    assert [(item.number, item.span.id) for item in numbered] == [(1, 20), (2, 10), (3, 30)]
    assert [item.number for item in highlight(text, [later, inner, outer]).segments[1].covering] == [1, 2]


@pytest.mark.parametrize(
    ("start", "end"),
    [(3, 3), (4, 2), (-1, 2), (0, 99)],
    ids=["empty", "reversed", "before-start", "past-end"],
)
def test_a_span_outside_the_text_is_refused(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="Span 9"):
        highlight("short text", [Quote(id=9, quote_start=start, quote_end=end)])


# A window: one part of a long text, its spans numbered as in the whole text.


def test_a_window_shows_its_own_segments_and_cuts_spans_at_its_edges() -> None:
    text = "one two three four five six"
    across_start = at(text, "two three", 1)
    inside = at(text, "four", 2)
    across_end = at(text, "five six", 3)
    outside = at(text, "one", 4)
    numbered = text_order([across_start, inside, across_end, outside])
    window = text.index("three"), text.index(" six")

    result = highlight_window(text, numbered, *window)

    assert shape(result.segments) == [
        ("three", [1], [1]),
        (" ", [], []),
        ("four", [2], [2]),
        (" ", [], []),
        ("five", [3], []),  # continues in the next window, where it closes
    ]
    assert (result.segments[0].start, result.segments[-1].end) == window
    # The numbers are the whole text's: the span before the window keeps its number, and is not shown.
    assert [(item.number, item.span.id) for item in result.spans] == [(2, 1), (3, 2), (4, 3)]


def test_windows_side_by_side_rebuild_the_whole_highlight() -> None:
    text = "alpha beta gamma delta epsilon"
    spans = [at(text, "alpha beta", 1), at(text, "beta gamma delta", 2), at(text, "delta epsilon", 3)]
    numbered = text_order(spans)
    cut = text.index("gamma")

    halves = [highlight_window(text, numbered, 0, cut), highlight_window(text, numbered, cut, len(text))]

    whole = highlight(text, spans)
    joined = halves[0].segments + halves[1].segments
    assert "".join(segment.text for segment in joined) == text
    assert [item.span.id for half in halves for segment in half.segments for item in segment.closing] == [
        item.span.id for segment in whole.segments for item in segment.closing
    ]


def test_a_window_outside_the_text_is_refused() -> None:
    with pytest.raises(ValueError, match="window"):
        highlight_window("short", [], 2, 9)
