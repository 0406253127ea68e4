"""Each construction the extractor reads, on short texts of our own."""

import pytest

from app.extraction import extract
from app.vocabulary import Stance
from tests.extraction.helpers import by_cue, one, words


def test_direct_quote_before_its_speaker() -> None:
    text = '"The bridge will reopen in May," the mayor said.'
    found = one(text)
    assert words(text, found.source) == "the mayor"
    assert words(text, found.cue) == "said"
    assert words(text, found.content) == '"The bridge will reopen in May,"'
    assert found.stance == Stance.ASSERTED


def test_quotation_over_two_paragraphs_is_one_statement() -> None:
    text = (
        "\u201cThe harbour was closed at dawn. Nobody could leave.\n\n"
        "\u201cBy noon the boats were back,\u201d the harbourmaster said."
    )
    found = one(text)
    assert words(text, found.source) == "the harbourmaster"
    assert found.content is not None
    assert found.content.start == 0
    assert words(text, found.content).endswith("back,\u201d")  # type: ignore[union-attr]


def test_quotation_split_around_its_cue_keeps_both_halves() -> None:
    text = 'The minister was firm. "We did not do it," he said, "and never would."'
    found = by_cue(text, "said")
    assert words(text, found.source) == "he"
    assert words(text, found.content) == '"We did not do it," he said, "and never would."'


def test_quotation_that_runs_on_in_the_next_paragraph_continues_the_speaker() -> None:
    text = (
        'Ella Brandt, the union leader, spoke first. "Wages must rise," she said.\n\n'
        '"And they must rise this year."\n\nThe talks end on Friday.'
    )
    found = by_cue(text, "said")
    assert found.actor == "Ella Brandt"
    assert words(text, found.content) == '"Wages must rise," she said.\n\n"And they must rise this year."'


@pytest.mark.parametrize(
    ("text", "source", "cue", "content"),
    [
        (
            "Police chief Anna Berg said that the road would stay closed.",
            "Police chief Anna Berg",
            "said",
            "that the road would stay closed",
        ),
        ("Officials said the vote was delayed.", "Officials", "said", "the vote was delayed"),
        (
            "Tom Reyes told reporters on Monday that the plant was safe.",
            "Tom Reyes",
            "told",
            "that the plant was safe",
        ),
        (
            "Lena Fisk, the harbour's owner, has also said the ferry will run.",
            "Lena Fisk, the harbour's owner",
            "said",
            "the ferry will run",
        ),
    ],
)
def test_reported_speech(text: str, source: str, cue: str, content: str) -> None:
    found = one(text)
    assert (words(text, found.source), words(text, found.cue), words(text, found.content)) == (
        source,
        cue,
        content,
    )
    assert found.stance == Stance.ASSERTED


def test_the_medium_a_statement_names() -> None:
    text = "The governor wrote on Telegram that two drones had been shot down."
    found = one(text)
    assert words(text, found.source) == "The governor"
    assert found.medium == "Telegram"
    assert words(text, found.content) == "that two drones had been shot down"


def test_according_to_after_and_before_what_was_said() -> None:
    after = "The dam held through the night, according to the water board."
    found = one(after)
    assert words(after, found.cue) == "according to"
    assert words(after, found.source) == "the water board"
    assert words(after, found.content) == "The dam held through the night"
    no_comma = "The dam held through the night according to the water board."
    found = one(no_comma)
    assert words(no_comma, found.content) == "The dam held through the night"
    before = "According to the water board, the dam held through the night."
    found = one(before)
    assert words(before, found.source) == "the water board"
    assert words(before, found.content) == "the dam held through the night"


def test_cue_before_its_speaker() -> None:
    text = '"It is over," said Maria Lopez, the team\'s coach.'
    found = one(text)
    assert words(text, found.cue) == "said"
    assert words(text, found.source) == "Maria Lopez"
    assert words(text, found.content) == '"It is over,"'


def test_embedded_post_with_its_signature() -> None:
    text = (
        "Residents posted videos all morning.\n\n"
        "The river is over the road near the mill. Stay home. https://t.co/AbCd pic.twitter.com/XyZ "
        "\u2014 Jane Roe (@janeroe) March 3, 2023\n\nThe water fell by evening."
    )
    found = one(text)
    assert words(text, found.cue) == "\u2014"
    assert words(text, found.source) == "Jane Roe (@janeroe)"
    assert words(text, found.content) == "The river is over the road near the mill. Stay home."
    assert (found.actor, found.medium) == ("Jane Roe", "Twitter")


def test_report_named_after_what_it_reports_is_the_chain() -> None:
    text = '"Prices will rise," Lee Park said, the Harbor Gazette reported.'
    statement = by_cue(text, "said")
    assert statement.actor == "Lee Park"
    assert words(text, statement.content) == '"Prices will rise,"'
    assert statement.via == ("Harbor Gazette",)
    report = by_cue(text, "reported")
    assert report.actor == "Harbor Gazette"
    assert report.via == ()


def test_post_quoted_by_an_outlet_carries_medium_and_chain() -> None:
    text = (
        '"The fire is under control," Ivan Sokol, the regional governor, wrote in a Telegram post, '
        "The Kyiv Independent reported."
    )
    statement = by_cue(text, "wrote")
    assert words(text, statement.source) == "Ivan Sokol, the regional governor"
    assert statement.actor == "Ivan Sokol"
    assert statement.medium == "Telegram post"
    assert statement.via == ("Kyiv Independent",)


def test_statements_inside_an_embedded_post_reached_the_article_through_its_author() -> None:
    text = "The ministry says the bridge is open. \u2014 Olek Marr (@olekmarr) May 2, 2023"
    inner = by_cue(text, "says")
    assert words(text, inner.source) == "The ministry"
    assert inner.via == ("Olek Marr",)


@pytest.mark.parametrize(
    ("text", "cue", "stance"),
    [
        (
            "Foreign Minister Ana Ruiz said she could not confirm or deny that troops had crossed.",
            "said",
            Stance.COULD_NOT_VERIFY,
        ),
        (
            "The defence ministry could not confirm or deny the report.",
            "could not confirm or deny",
            Stance.COULD_NOT_VERIFY,
        ),
        (
            "The army has not yet been able to verify the footage.",
            "has not yet been able to verify",
            Stance.COULD_NOT_VERIFY,
        ),
        (
            'The general staff told a reporter it does "not have this information" about the blast.',
            "told",
            Stance.COULD_NOT_VERIFY,
        ),
        (
            "The company did not respond to requests for comment.",
            "did not respond to requests for comment",
            Stance.DECLINED_TO_COMMENT,
        ),
        ("A spokesman for the club declined to comment.", "declined to comment", Stance.DECLINED_TO_COMMENT),
        (
            "The port authority hasn't officially commented on the collision.",
            "hasn't officially commented",
            Stance.DECLINED_TO_COMMENT,
        ),
        ("The mayor's office denied that the tender was rigged.", "denied", Stance.DENIED),
        ("The health agency confirmed two new cases on Sunday.", "confirmed", Stance.CONFIRMED),
        (
            "Independent auditors have been skeptical of the figures.",
            "have been skeptical",
            Stance.DISPUTED,
        ),
    ],
)
def test_refusals_non_confirmations_and_other_stances(text: str, cue: str, stance: Stance) -> None:
    found = one(text)
    assert words(text, found.cue) == cue
    assert found.stance == stance


def test_no_answer_to_a_reporters_request_names_the_reporter_in_the_chain() -> None:
    text = "The ministry did not respond when the Daily Ledger sought comment."
    found = one(text)
    assert words(text, found.source) == "The ministry"
    assert found.stance == Stance.DECLINED_TO_COMMENT
    assert found.via == ("Daily Ledger",)


@pytest.mark.parametrize(
    "text",
    [
        "If the council did not confirm the budget, the works would stop.",
        "He did not say when the works would start.",
        "Opposition claims about the budget were examined.",
        "The clinic reported from the border all week.",
        "Four new members were admitted to the council.",
        "Having said that, the budget is tight.",
        '"As we noted before, the plan is sound," the report said.',
    ],
)
def test_what_only_looks_like_an_attribution(text: str) -> None:
    assert [words(text, f.cue) for f in extract(text)] == (["said"] if "report said" in text else [])


def test_offsets_count_characters_of_the_text_as_given() -> None:
    text = "\u201cNa\u00efve plans fail,\u201d said Zo\u00eb Kr\u00fcger.\r\nShe left."
    found = one(text)
    assert words(text, found.source) == "Zo\u00eb Kr\u00fcger"
    assert words(text, found.content) == "\u201cNa\u00efve plans fail,\u201d"


def test_a_named_addressee_is_in_the_chain_and_a_time_is_not() -> None:
    named = "Tom Reyes told the Harbor Gazette on Friday that the plant was safe."
    assert one(named).via == ("Harbor Gazette",)
    unnamed = "Tom Reyes told reporters later Friday that the plant was safe."
    assert one(unnamed).via == ()
