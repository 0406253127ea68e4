"""Anchoring quotes in source texts: by offsets (anchor_at) and by looking the words up (locate)."""

import pytest

from app.attributions.quotes import CONTEXT_CHARS, QuoteAnchor, anchor_at, locate
from app.errors import InvalidQuote

TEXT = (
    "Kremlin spokesman Dmitry Peskov said Russian President Vladimir Putin was briefed about the incident. "
    "“Of course this cannot be perceived as creating comfortable conditions for continuing the talks,” "
    "Peskov said. Kuleba said he could not confirm or deny it. Peskov said."
)
PESKOV_SAID = "Peskov said"


def test_anchor_at_accepts_the_exact_text_at_the_offsets() -> None:
    start = TEXT.index("Vladimir Putin")

    anchor = anchor_at(TEXT, start, start + len("Vladimir Putin"), "Vladimir Putin")

    assert anchor == QuoteAnchor(
        start=start,
        end=start + len("Vladimir Putin"),
        exact="Vladimir Putin",
        prefix=TEXT[start - CONTEXT_CHARS : start],
        suffix=TEXT[start + len("Vladimir Putin") : start + len("Vladimir Putin") + CONTEXT_CHARS],
    )
    assert anchor.prefix == "y Peskov said Russian President "
    assert anchor.suffix == " was briefed about the incident."


def test_anchor_at_rejects_a_mismatch_and_says_what_is_at_the_offsets() -> None:
    start = TEXT.index("Vladimir Putin")

    with pytest.raises(InvalidQuote) as caught:
        anchor_at(TEXT, start, start + len("Vladimir Putin"), "Vladimir Lenin")

    assert "“Vladimir Putin”" in caught.value.message
    assert "“Vladimir Lenin”" in caught.value.message
    assert f"{start}–{start + 14}" in caught.value.message
    assert caught.value.details == {
        "quote_start": start,
        "quote_end": start + 14,
        "source_text_at_offsets": "Vladimir Putin",
    }


def test_anchor_at_rejects_offsets_shifted_by_one() -> None:
    start = TEXT.index("Vladimir Putin") + 1

    with pytest.raises(InvalidQuote) as caught:
        anchor_at(TEXT, start, start + 14, "Vladimir Putin")

    assert "“ladimir Putin ”" in caught.value.message


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 5), (10, 10), (10, 5), (len(TEXT) - 3, len(TEXT) + 1), (len(TEXT) + 5, len(TEXT) + 9)],
)
def test_anchor_at_rejects_offsets_outside_the_text(start: int, end: int) -> None:
    with pytest.raises(InvalidQuote) as caught:
        anchor_at(TEXT, start, end, "said")

    assert caught.value.message == (
        f"The quote offsets {start}–{end} fall outside the source text, which has {len(TEXT)} characters."
    )


def test_anchor_at_rejects_an_empty_quote() -> None:
    with pytest.raises(InvalidQuote, match="The quote is empty"):
        anchor_at(TEXT, 0, 1, "")


def test_locate_finds_a_unique_quote() -> None:
    quote = "could not confirm or deny it"

    anchor = locate(TEXT, quote)

    assert (anchor.start, anchor.end) == (TEXT.index(quote), TEXT.index(quote) + len(quote))
    assert TEXT[anchor.start : anchor.end] == anchor.exact == quote


def test_locate_refuses_an_ambiguous_quote_without_occurrence() -> None:
    starts = [TEXT.index(PESKOV_SAID), TEXT.index(PESKOV_SAID, TEXT.index(PESKOV_SAID) + 1)]
    starts.append(TEXT.index(PESKOV_SAID, starts[1] + 1))

    with pytest.raises(InvalidQuote) as caught:
        locate(TEXT, PESKOV_SAID)

    assert caught.value.message == (
        "The quote “Peskov said” appears 3 times in the source: say which occurrence is meant."
    )
    assert caught.value.details == {"occurrences": starts}


@pytest.mark.parametrize("occurrence", [1, 2, 3])
def test_locate_picks_the_asked_occurrence(occurrence: int) -> None:
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(PESKOV_SAID, start + 1)

    anchor = locate(TEXT, PESKOV_SAID, occurrence=occurrence)

    assert (anchor.start, anchor.end) == (start, start + len(PESKOV_SAID))
    assert anchor.prefix == TEXT[max(0, start - CONTEXT_CHARS) : start]
    assert anchor.suffix == TEXT[start + len(PESKOV_SAID) : start + len(PESKOV_SAID) + CONTEXT_CHARS]


def test_locate_rejects_an_occurrence_that_does_not_exist() -> None:
    with pytest.raises(InvalidQuote) as caught:
        locate(TEXT, PESKOV_SAID, occurrence=4)

    assert caught.value.message == "Occurrence 4 was asked for, but the quote appears 3 time(s)."


def test_locate_rejects_a_missing_quote() -> None:
    with pytest.raises(InvalidQuote) as caught:
        locate(TEXT, "Peskov denied it")

    assert caught.value.message.startswith("The quote “Peskov denied it” is not in the source text")


def test_locate_does_not_forgive_straight_for_curly_quotes() -> None:
    with pytest.raises(InvalidQuote, match="is not in the source text"):
        locate(TEXT, '"Of course this cannot be perceived')


def test_prefix_and_suffix_are_the_neighbouring_characters() -> None:
    quote = "comfortable conditions"
    start = TEXT.index(quote)

    anchor = locate(TEXT, quote)

    assert anchor.prefix == TEXT[start - CONTEXT_CHARS : start]
    assert len(anchor.prefix) == CONTEXT_CHARS
    assert anchor.prefix + anchor.exact + anchor.suffix in TEXT
    assert anchor.suffix == TEXT[start + len(quote) : start + len(quote) + CONTEXT_CHARS]


def test_prefix_and_suffix_are_cut_short_at_the_edges_of_the_text() -> None:
    first = locate(TEXT, "Kremlin spokesman")
    last = locate(TEXT, "deny it. Peskov said.")

    assert first.prefix == ""
    assert first.suffix == TEXT[len("Kremlin spokesman") : len("Kremlin spokesman") + CONTEXT_CHARS]
    assert last.suffix == ""
    assert last.end == len(TEXT)
