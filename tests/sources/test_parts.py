"""A source with hundreds of statements: its answer holds the first page of them, its page one part of
the text with the statements in it, and walking the parts gives the whole text and every statement once,
numbered in text order across parts, in as many queries as for a seeded article."""

import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.sources.parts import PART_CHARS, PART_SPANS, text_parts
from app.sources.service import FIRST_STATEMENTS
from app.vocabulary import Role, Stance
from tests.bulk import Planned, insert_statements, new_actor, new_claims, new_source
from tests.conftest import Accounts, QueryLog
from tests.helpers import SOURCE_000, attr, get_json, get_page, one, page, parse, source_id, text

Counted = tuple[TestClient, QueryLog, Session]
PARAGRAPHS = 100
SENTENCES = 10
QUOTED = 3
"""Statements per paragraph: its first three sentences."""
STANCES = list(Stance)


def sentence(paragraph: int, number: int) -> str:
    return f"Sentence {number} of paragraph {paragraph:03d} is on the record. "


@dataclass(frozen=True)
class Transcript:
    source_id: int
    text: str
    in_text_order: list[int]
    """Every statement's id, in text order (the order of their numbers)."""


@pytest.fixture
def transcript(counted_client_and_session: Counted) -> Transcript:
    """A transcript of 100 paragraphs, the first three sentences of each quoted: 300 statements."""
    _client, _log, session = counted_client_and_session
    paragraphs = [
        "".join(sentence(paragraph, number) for number in range(SENTENCES)).rstrip() + "\n\n"
        for paragraph in range(PARAGRAPHS)
    ]
    text = "".join(paragraphs)
    source = new_source(session, text)
    speaker = new_actor(session, "Long Speaker")
    claims = new_claims(session, 5, prefix="Transcript claim")
    planned = []
    for paragraph in range(PARAGRAPHS):
        for number in range(QUOTED):
            quote = sentence(paragraph, number).rstrip()
            start = text.index(quote)
            planned.append(
                Planned(speaker, claims[paragraph % 5], STANCES[number % 6], start, start + len(quote))
            )
    # Written in reverse, so that id order is not text order.
    ids = insert_statements(session, source, text, planned[::-1])
    session.flush()
    return Transcript(source_id=source.id, text=text, in_text_order=ids[::-1])


def queries_for(counted: Counted, url: str) -> int:
    client, log, _session = counted
    log.reset()
    response = client.get(url)
    assert response.status_code == 200, response.text
    return log.count


# ---- the API -------------------------------------------------------------------------------------------


def test_the_answer_has_the_text_and_the_first_page_of_statements(
    counted_client_and_session: Counted, transcript: Transcript
) -> None:
    client = counted_client_and_session[0]
    detail = get_json(client, f"/api/v1/sources/{transcript.source_id}")

    assert detail["text"] == transcript.text
    assert detail["attribution_count"] == len(transcript.in_text_order)
    first = detail["attributions"]
    assert (first["total"], len(first["items"])) == (len(transcript.in_text_order), FIRST_STATEMENTS)
    by_id = sorted(transcript.in_text_order)
    assert [a["id"] for a in first["items"]] == by_id[:FIRST_STATEMENTS]
    assert (
        first["next_url"]
        == f"/api/v1/attributions?source={transcript.source_id}&cursor={first['next_cursor']}"
    )
    # The list it leads to continues it: every statement once.
    seen = [a["id"] for a in first["items"]]
    url = first["next_url"]
    while url:
        listed = get_page(client, url)
        seen.extend(a["id"] for a in listed["items"])
        cursor = listed["next_cursor"]
        url = f"/api/v1/attributions?source={transcript.source_id}&cursor={cursor}" if cursor else None
    assert seen == by_id


@pytest.mark.parametrize("path", ["/api/v1/sources/{id}", "/sources/{id}", "/sources/{id}?part=3"])
def test_a_long_source_costs_what_a_seeded_article_costs(
    counted_client_and_session: Counted, transcript: Transcript, path: str
) -> None:
    article = source_id(counted_client_and_session[0], SOURCE_000)
    seeded = queries_for(counted_client_and_session, path.format(id=article).replace("?part=3", ""))

    assert queries_for(counted_client_and_session, path.format(id=transcript.source_id)) == seeded
    assert seeded <= 6


# ---- the page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownPart:
    heading: str
    offset: int
    text: str
    statements: list[tuple[int, str]]
    """(statement id, its number as shown) of the list beside the text."""
    next_href: str | None
    size: int


def read_part(client: TestClient, url: str) -> ShownPart:
    response = client.get(url)
    assert response.status_code == 200, response.text
    soup = parse(response.text)
    text_div = one(soup, "div.source-text")
    for marker in text_div.select("sup.ref-mark"):
        marker.decompose()
    nav = one(soup, "nav#part-nav-top")
    following = nav.select("a[rel='next']")
    return ShownPart(
        heading=text(one(soup, "h2#text-heading")),
        offset=int(attr(text_div, "data-offset")),
        text=text_div.get_text(),
        statements=[
            (int(attr(item, "data-attribution-id")), text(one(item, "a.ref-back")))
            for item in soup.select("ol.source-attributions > li.attribution")
        ],
        next_href=attr(following[0], "href") if following else None,
        size=len(response.content),
    )


def test_walking_the_parts_shows_the_whole_text_and_every_statement_once(
    counted_client_and_session: Counted, transcript: Transcript
) -> None:
    client = counted_client_and_session[0]
    url = f"/sources/{transcript.source_id}"
    parts: list[ShownPart] = []
    while url:
        shown = read_part(client, url)
        parts.append(shown)
        url = f"/sources/{transcript.source_id}{shown.next_href}" if shown.next_href else ""

    count = len(parts)
    assert count > 1
    assert [part.heading for part in parts] == [f"Text, part {n} of {count}" for n in range(1, count + 1)]
    assert "".join(part.text for part in parts) == transcript.text
    assert [part.offset for part in parts] == [sum(len(p.text) for p in parts[:n]) for n in range(count)]
    # Every part ends at a paragraph and holds at most a part's worth of statements.
    assert all(part.text.endswith("\n\n") for part in parts)
    assert all(len(part.statements) <= PART_SPANS for part in parts)
    statements = [statement for part in parts for statement in part.statements]
    assert statements == [
        (attribution_id, f"[{number}]")
        for number, attribution_id in enumerate(transcript.in_text_order, start=1)
    ]
    assert max(part.size for part in parts) < 200_000


def test_a_part_says_where_it_is_and_how_many_statements_it_has(
    counted_client_and_session: Counted, transcript: Transcript
) -> None:
    client = counted_client_and_session[0]
    soup = page(client, f"/sources/{transcript.source_id}?part=2")

    total = len(transcript.in_text_order)
    assert text(one(soup, "h2#attributions-heading")) == f"Statements in this source ({total})"
    listed = soup.select("ol.source-attributions > li.attribution")
    assert text(one(soup, "p.part-statements-note")) == (
        f"{len(listed)} of them reach into part 2; the others are listed with their parts."
    )
    nav = one(soup, "nav#part-nav-top")
    assert attr(one(nav, "a[rel='prev']"), "href") == "?part=1#text"
    assert attr(one(nav, "a[rel='next']"), "href") == "?part=3#text"
    assert re.fullmatch(r"Part 2 of \d+", text(one(nav, "a[aria-current='page']")))
    assert text(one(soup, "p.part-note")).startswith("The text is long, so it is shown in parts")


def test_a_statement_leads_to_the_part_it_is_in(
    counted_client_and_session: Counted, transcript: Transcript
) -> None:
    client = counted_client_and_session[0]
    wanted = transcript.in_text_order[-1]

    soup = page(client, f"/sources/{transcript.source_id}?statement={wanted}")

    heading = text(one(soup, "h2#text-heading"))
    number, count = re.fullmatch(r"Text, part (\d+) of (\d+)", heading).groups()  # type: ignore[union-attr]
    assert number == count
    one(soup, f"ol.source-attributions > li#attribution-{wanted}")
    one(soup, f"div.source-text a.ref#ref-{wanted}")


def test_a_part_beyond_the_last_is_not_found(
    counted_client_and_session: Counted, transcript: Transcript
) -> None:
    client = counted_client_and_session[0]
    count = int(text(one(page(client, f"/sources/{transcript.source_id}"), "h2#text-heading")).split()[-1])

    soup = page(client, f"/sources/{transcript.source_id}?part={count + 1}", status=404)

    assert text(one(soup, "p.error-detail")) == (
        f"Source {transcript.source_id} has no part {count + 1}: its text is in {count} parts."
    )


def test_a_seeded_article_is_one_part_shown_whole(client: TestClient) -> None:
    soup = page(client, f"/sources/{source_id(client, SOURCE_000)}")

    assert text(one(soup, "h2#text-heading")) == "Full text"
    assert soup.select("nav.part-nav") == []
    assert one(soup, "div.source-text").get("data-offset") is None


# ---- cutting a text into parts -------------------------------------------------------------------------


def spans_at(text: str, *quotes: str) -> list[tuple[int, int]]:
    return sorted((text.index(quote), text.index(quote) + len(quote)) for quote in quotes)


def test_a_short_text_is_one_part() -> None:
    text_ = "One paragraph.\n\nAnother."

    assert [(part.start, part.end) for part in text_parts(text_, [])] == [(0, len(text_))]


def test_parts_end_after_a_blank_line_within_the_character_limit() -> None:
    paragraphs = ["a" * 40 + "\n\n" for _ in range(10)]  # 42 characters each
    text_ = "".join(paragraphs)

    parts = text_parts(text_, [], max_chars=100)

    assert [(part.start, part.end) for part in parts] == [
        (0, 84),
        (84, 168),
        (168, 252),
        (252, 336),
        (336, 420),
    ]
    assert [part.number for part in parts] == [1, 2, 3, 4, 5]
    assert {part.count for part in parts} == {5}


def test_parts_end_before_one_statement_too_many() -> None:
    text_ = "".join(f"Line {n:02d}.\n" for n in range(20))  # 9 characters a line
    spans = [(n * 9, n * 9 + 8) for n in range(20)]

    parts = text_parts(text_, spans, max_chars=10_000, max_spans=6)

    assert [(part.start, part.end) for part in parts] == [(0, 54), (54, 108), (108, 162), (162, 180)]


def test_a_cut_avoids_falling_inside_a_quote() -> None:
    text_ = "First paragraph.\n\nA quote that spans\n\ntwo paragraphs.\n\nLast one here.\n\n"
    quote = "A quote that spans\n\ntwo paragraphs."
    start = text_.index(quote)

    parts = text_parts(text_, spans_at(text_, quote), max_chars=45)

    # The blank line inside the quote is where a part would end; it ends before the quote instead.
    assert [(part.start, part.end) for part in parts] == [(0, start), (start, 55), (55, 71)]
    assert text_[start:55] == quote + "\n\n"


def test_a_text_without_breaks_is_cut_at_a_space_or_at_the_limit() -> None:
    assert [(p.start, p.end) for p in text_parts("aaaa bbbb cccc", [], max_chars=8)] == [
        (0, 5),
        (5, 10),
        (10, 14),
    ]
    assert [(p.start, p.end) for p in text_parts("x" * 20, [], max_chars=8)] == [(0, 8), (8, 16), (16, 20)]


def test_the_edit_form_shows_the_start_of_a_long_text(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    long_text = "A paragraph of the record.\n\n" * 2_000
    source = new_source(session, long_text)
    accounts.sign_in(Role.EDITOR)

    soup = page(client, f"/sources/{source.id}/edit")

    assert one(soup, "pre.source-text").get_text() == long_text[:PART_CHARS]
    assert text(one(soup, "p.text-shown-note")) == (
        f"These are the first {PART_CHARS:,} of its {len(long_text):,} characters; "
        "the source's page shows the whole text, part by part."
    )
