"""The statement forms show a long source's text in the parts of the source's page: a selection counts its
offsets in the whole text, and the part buttons send the form back as it is and show it again with another
part. A seeded article is one part, shown whole, as it always was."""

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.attributions.schemas import AttributionCreate
from app.attributions.service import OCCURRENCES_LISTED, create_attribution
from app.models import Attribution, AuditEntry, Claim, Source
from app.sources.parts import PART_CHARS
from app.vocabulary import Role, Stance
from tests.bulk import new_actor, new_claims, new_source
from tests.conftest import Accounts, sqlite_only
from tests.helpers import SOURCE_000, attr, get_json, one, page, parse, row_counts, source_id, text

pytestmark = sqlite_only

Client = tuple[TestClient, Session]
UNIQUE = "The minister said that the bridge was never built."
PARAGRAPHS = 1_500


@dataclass(frozen=True)
class LongSource:
    id: int
    text: str
    unique_at: int
    """Where the one sentence that appears once starts."""


@pytest.fixture
def long_source(client_and_session: Client) -> LongSource:
    """A text of 1,500 short paragraphs (some 85,000 characters), one of them, far in, said once."""
    _client, session = client_and_session
    paragraphs = [
        f"Paragraph {number:04d} of the long record says little of note.\n\n" for number in range(PARAGRAPHS)
    ]
    paragraphs[1_100] = UNIQUE + "\n\n"
    whole = "".join(paragraphs)
    source = new_source(session, whole, title="A long record")
    return LongSource(id=source.id, text=whole, unique_at=whole.index(UNIQUE))


@dataclass(frozen=True)
class ShownText:
    heading: str
    offset: int
    text: str
    buttons: dict[str, str]
    """The part buttons of the top navigation: their label (or data-rel) → the part they show."""


def shown_text(soup: BeautifulSoup) -> ShownText:
    div = one(soup, "div.quote-source[data-quote-source]")
    nav = one(soup, "nav#part-nav-top")
    buttons = {}
    for button in nav.select("button"):
        assert (attr(button, "type"), attr(button, "name"), attr(button, "form")) == (
            "submit",
            "part",
            "attribution-form",
        )
        assert button.get("formnovalidate") is not None
        rel = button.get("data-rel")
        buttons[rel if isinstance(rel, str) else text(button)] = attr(button, "value")
    return ShownText(
        heading=text(one(soup, "h2#quote-source-heading")),
        offset=int(attr(div, "data-offset")),
        text=div.get_text(),
        buttons=buttons,
    )


def test_a_long_source_is_shown_a_part_at_a_time_as_on_its_page(
    client_and_session: Client, accounts: Accounts, long_source: LongSource
) -> None:
    client, _session = client_and_session
    accounts.sign_in(Role.EDITOR)
    url = f"/sources/{long_source.id}/attributions/new"

    response = client.get(url)

    assert response.status_code == 200
    assert len(response.content) < 200_000
    shown = shown_text(parse(response.text))
    source_page = parse(client.get(f"/sources/{long_source.id}").text)
    count = text(one(source_page, "h2#text-heading")).rsplit(" ", 1)[1]
    assert int(count) > 2
    assert shown.heading == f"The source's text, part 1 of {count}"
    assert shown.offset == 0
    assert shown.text == long_source.text[: len(shown.text)]
    assert len(shown.text) <= PART_CHARS
    assert shown.buttons["next"] == "2"
    assert "prev" not in shown.buttons
    assert attr(one(parse(response.text), "input[name=shown_part]"), "value") == "1"
    # The same parts as the source's page: part 2 starts where the page's part 2 starts.
    second = shown_text(page(client, f"{url}?part=2"))
    page_part = one(page(client, f"/sources/{long_source.id}?part=2"), "div.source-text")
    assert second.offset == int(attr(page_part, "data-offset")) == len(shown.text)
    assert second.heading == f"The source's text, part 2 of {count}"


def test_walking_the_parts_keeps_what_was_typed_and_writes_nothing(
    client_and_session: Client, accounts: Accounts, long_source: LongSource
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    url = f"/sources/{long_source.id}/attributions/new"
    before = row_counts(session, Claim, Attribution, AuditEntry)
    typed = {
        "csrf_token": csrf,
        "quote": "Paragraph 0007",
        "quote_start": "",
        "quote_end": "",
        "actor": "Roepcke",
        "claim": "false flag",
        "new_claim": "",
        "stance": "disputed",
        "medium": "tweet",
        "via": "Bild",
        "note": "Typed before moving on.",
    }
    walked = ""
    part: str | None = "1"
    while part is not None:
        response = client.post(url, data={**typed, "shown_part": "1", "part": part})
        assert response.status_code == 200, response.text
        soup = parse(response.text)
        shown = shown_text(soup)
        assert shown.offset == len(walked)
        walked += shown.text
        assert attr(one(soup, "input[name=shown_part]"), "value") == part
        assert attr(one(soup, "#attribution-actor"), "value") == "Roepcke"
        assert attr(one(soup, "#attribution-claim"), "value") == "false flag"
        assert one(soup, "textarea[name=quote]").get_text() == "Paragraph 0007"
        assert one(soup, "textarea[name=note]").get_text() == "Typed before moving on."
        assert attr(one(soup, "select[name=stance] option[selected]"), "value") == "disputed"
        assert soup.select(".form-error") == []
        part = shown.buttons.get("next")

    assert walked == long_source.text
    assert row_counts(session, Claim, Attribution, AuditEntry) == before


def test_a_selected_passage_opens_its_part_and_its_offsets_count_in_the_whole_text(
    client_and_session: Client, accounts: Accounts, long_source: LongSource
) -> None:
    client, _session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    url = f"/sources/{long_source.id}/attributions/new"
    start, end = long_source.unique_at, long_source.unique_at + len(UNIQUE)

    soup = page(client, f"{url}?start={start}&end={end}")

    shown = shown_text(soup)
    assert shown.offset < start < shown.offset + len(shown.text)
    assert shown.text[start - shown.offset : end - shown.offset] == UNIQUE
    assert not shown.heading.startswith("The source's text, part 1 of")
    assert one(soup, "textarea[name=quote]").get_text() == UNIQUE
    assert (
        attr(one(soup, "input[name=quote_start]"), "value"),
        attr(one(soup, "input[name=quote_end]"), "value"),
    ) == (
        str(start),
        str(end),
    )
    done = client.post(
        url,
        data={
            "csrf_token": csrf,
            "quote": UNIQUE,
            "quote_start": str(start),
            "quote_end": str(end),
            "actor": "Peskov",
            "claim": "false flag",
            "stance": "asserted",
            "shown_part": attr(one(soup, "input[name=shown_part]"), "value"),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    attribution_id = done.headers["location"].rsplit("#attribution-", 1)[1]
    statement = get_json(client, f"/api/v1/attributions/{attribution_id}")
    assert (statement["quote_start"], statement["quote_end"]) == (start, end)


def test_a_refused_form_comes_back_on_the_part_it_showed(
    client_and_session: Client, accounts: Accounts, long_source: LongSource
) -> None:
    client, _session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)

    refused = client.post(
        f"/sources/{long_source.id}/attributions/new",
        data={
            "csrf_token": csrf,
            "quote": "not in it",
            "actor": "Peskov",
            "claim": "false flag",
            "shown_part": "3",
        },
    )

    assert refused.status_code == 422
    soup = parse(refused.text)
    assert text(one(soup, "p#form-error")).startswith("Stance: choose the stance")
    assert shown_text(soup).heading.startswith("The source's text, part 3 of ")


def test_the_edit_form_opens_at_the_part_of_its_quote(
    client_and_session: Client, accounts: Accounts, long_source: LongSource
) -> None:
    client, session = client_and_session
    accounts.sign_in(Role.EDITOR)
    (claim,) = new_claims(session, 1, prefix="The bridge claim")
    source = session.get(Source, long_source.id)
    assert source is not None
    minister = new_actor(session, "A Minister")
    session.flush()
    attribution = create_attribution(
        session,
        AttributionCreate(
            claim_id=claim.id,
            actor=minister.id,
            source_id=source.id,
            stance=Stance.ASSERTED,
            quote=UNIQUE,
            quote_start=long_source.unique_at,
            quote_end=long_source.unique_at + len(UNIQUE),
        ),
        by="test",
    )
    session.flush()
    url = f"/attributions/{attribution.id}/edit"

    shown = shown_text(page(client, url))

    assert shown.offset <= long_source.unique_at < shown.offset + len(shown.text)
    assert UNIQUE in shown.text
    assert shown_text(page(client, f"{url}?part=1")).offset == 0
    assert client.get(f"{url}?part=999").status_code == 404


def test_a_part_beyond_the_last(
    client_and_session: Client, accounts: Accounts, long_source: LongSource
) -> None:
    client, _session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    url = f"/sources/{long_source.id}/attributions/new"
    count = int(shown_text(page(client, url)).heading.rsplit(" ", 1)[1])

    missing = page(client, f"{url}?part={count + 1}", status=404)
    assert text(one(missing, "p.error-detail")) == (
        f"Source {long_source.id} has no part {count + 1}: its text is in {count} parts."
    )
    # A form sent back after its parts moved shows the last part rather than losing what was typed.
    sent_back = client.post(url, data={"csrf_token": csrf, "actor": "Peskov", "part": str(count + 1)})
    assert sent_back.status_code == 200
    assert shown_text(parse(sent_back.text)).heading == f"The source's text, part {count} of {count}"


def test_a_seeded_article_is_shown_whole_as_before(client_and_session: Client, accounts: Accounts) -> None:
    client, _session = client_and_session
    accounts.sign_in(Role.EDITOR)

    soup = page(client, f"/sources/{source_id(client, SOURCE_000)}/attributions/new")

    assert text(one(soup, "h2#quote-source-heading")) == "The source's text"
    assert one(soup, "div.quote-source").get("data-offset") is None
    assert soup.select("nav.part-nav, input[name=shown_part], button[name=part]") == []


def test_a_quote_found_hundreds_of_times_lists_the_first_few(
    client_and_session: Client, accounts: Accounts, long_source: LongSource
) -> None:
    """“Paragraph” is in every paragraph: the form and the API list the first occurrences, and say how many
    there are, rather than growing with the text."""
    client, session = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    before = row_counts(session, Attribution, AuditEntry)
    data = {
        "csrf_token": csrf,
        "quote": "Paragraph",
        "actor": "Peskov",
        "claim": "false flag",
        "stance": "asserted",
    }

    response = client.post(f"/sources/{long_source.id}/attributions/new", data=data)

    assert response.status_code == 422
    assert len(response.content) < 200_000
    soup = parse(response.text)
    occurrences = one(soup, "fieldset.occurrences")
    assert (
        text(one(occurrences, "legend")) == f"The quote appears {PARAGRAPHS - 1:,} times: which one is meant?"
    )
    assert text(one(occurrences, "p.occurrences-listed")) == (
        f"The first {OCCURRENCES_LISTED} are listed. "
        "For another, type more of the quote, or select it in the text."
    )
    radios = occurrences.select("input[name=occurrence]")
    assert [attr(radio, "value") for radio in radios] == [str(n) for n in range(1, OCCURRENCES_LISTED + 1)]
    assert all(radio.get("required") is None for radio in radios)
    assert row_counts(session, Attribution, AuditEntry) == before

    headers = accounts.token_headers(Role.EDITOR)
    problem = client.post(
        "/api/v1/attributions",
        json={
            "source_id": long_source.id,
            "quote": "Paragraph",
            "actor": "Peskov",
            "claim_id": 1,
            "stance": "asserted",
        },
        headers=headers,
    ).json()
    assert problem["occurrence_count"] == PARAGRAPHS - 1
    assert [item["occurrence"] for item in problem["occurrences"]] == list(range(1, OCCURRENCES_LISTED + 1))
    assert problem["detail"].endswith(f"The first {OCCURRENCES_LISTED} are listed.")
    chosen = client.post(
        f"/sources/{long_source.id}/attributions/new",
        data={**data, "occurrence": "700"},
        follow_redirects=False,
    )
    assert chosen.status_code == 303, chosen.text
    statement = get_json(client, f"/api/v1/attributions/{chosen.headers['location'].rsplit('-', 1)[1]}")
    assert statement["quote_start"] == long_source.text.index("Paragraph 0699")  # the 700th, counted from 1
