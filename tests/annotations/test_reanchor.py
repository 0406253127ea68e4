"""Re-anchoring a quote by its W3C selectors (`app.attributions.quotes.reanchor`)."""

import pytest

from app.attributions.quotes import reanchor
from app.errors import InvalidQuote

TEXT = "Monday: he said yes. Tuesday: he said yes. Wednesday: he said no."


def test_a_position_that_still_holds_the_quote_is_kept() -> None:
    anchor = reanchor(TEXT, "he said yes", start=30, end=41)
    assert (anchor.start, anchor.end, anchor.prefix, anchor.suffix) == (30, 41, TEXT[:30], TEXT[41:])


def test_a_moved_quote_is_found_by_its_prefix_and_suffix() -> None:
    # The position points at nothing useful (the text moved); the prefix names Tuesday's.
    anchor = reanchor(TEXT, "he said yes", prefix="Tuesday: ", suffix=". Wed", start=3, end=14)
    assert (anchor.start, anchor.end) == (30, 41)
    # Only part of a prefix that fits still tells them apart (the text before it changed).
    assert reanchor(TEXT, "he said yes", prefix="CHANGED Monday: ").start == 8


def test_occurrences_that_fit_equally_are_told_apart_by_nearness_to_the_position() -> None:
    assert reanchor(TEXT, "he said yes", start=26, end=37).start == 30
    assert reanchor(TEXT, "he said yes", start=2, end=13).start == 8


def test_a_quote_that_fits_several_places_equally_is_refused() -> None:
    with pytest.raises(
        InvalidQuote, match="appears 2 times in the source, and its prefix and suffix fit all of them"
    ):
        reanchor(TEXT, "he said yes", suffix=".")


def test_a_quote_that_is_not_in_the_text_is_refused() -> None:
    with pytest.raises(InvalidQuote, match="is not in the source text"):
        reanchor(TEXT, "she said maybe", start=0, end=14)


def test_a_position_alone_anchors_the_text_it_covers() -> None:
    anchor = reanchor(TEXT, None, start=54, end=64)
    assert anchor.exact == "he said no"
    with pytest.raises(InvalidQuote, match="falls outside the source text"):
        reanchor(TEXT, None, start=60, end=600)
    with pytest.raises(InvalidQuote, match="neither a quote nor its position"):
        reanchor(TEXT, None)
