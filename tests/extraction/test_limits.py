"""Texts the extractor refuses, and texts that are not prose, which it reads within its budget."""

import pytest

from app.extraction import MAX_TEXT_CHARS, TextTooLarge, extract


def test_a_text_over_the_limit_is_refused_with_its_length() -> None:
    five_megabytes = "The council said the budget was fine. " * (5 * 1024 * 1024 // 38)
    with pytest.raises(TextTooLarge, match=f"{len(five_megabytes):,} characters"):
        extract(five_megabytes)


def test_a_text_at_the_limit_is_read() -> None:
    text = ("Officials said the road was open. " * (MAX_TEXT_CHARS // 34))[:MAX_TEXT_CHARS]
    found = extract(text)
    assert len(found) == MAX_TEXT_CHARS // 34
    assert {text[f.cue.start : f.cue.end] for f in found} == {"said"}


def test_words_that_are_not_sentences_examine_a_bounded_number_of_verbs() -> None:
    assert extract("said " * (MAX_TEXT_CHARS // 5)) == []
    assert extract('"' * MAX_TEXT_CHARS) == []
    assert extract("\n" * MAX_TEXT_CHARS) == []
