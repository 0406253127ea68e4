"""Stored and typed text is shown as text: markup in a name, claim, title or quote never becomes a tag."""

import re
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.actors.schemas import ActorCreate
from app.actors.service import create_actor
from app.attributions.schemas import AttributionCreate
from app.attributions.service import create_attribution
from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source
from app.vocabulary import ActorKind, Stance
from tests.conftest import sqlite_only
from tests.helpers import one, parse, text

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML

ACTOR = '<script>alert("actor")</script>'
CLAIM = 'A claim "><script>alert("claim")</script> with markup in it.'
TITLE = '<script>alert("title")</script>'
QUOTE = '<script>alert("quote")</script> said the actor.'
TEXT = f"Before it all. {QUOTE} After it all.\n"
TYPED = '"><script>alert("typed")</script>'


class Written:
    """The ids of the rows holding markup."""

    def __init__(self, claim_id: int, actor_slug: str, source_id: int, attribution_id: int) -> None:
        self.claim_id = claim_id
        self.actor_slug = actor_slug
        self.source_id = source_id
        self.attribution_id = attribution_id


def write_markup(session: Session) -> Written:
    source, created = ingest_source(session, SourceCreate(title=TITLE, text=TEXT), by="test")
    assert created
    actor = create_actor(
        session, ActorCreate(name=ACTOR, kind=ActorKind.PERSON, role=ACTOR, aliases=[TYPED]), by="test"
    )
    claim = create_claim(session, ClaimCreate(text=CLAIM), by="test")
    session.flush()
    attribution = create_attribution(
        session,
        AttributionCreate(
            claim_id=claim.id,
            actor=actor.id,
            source_id=source.id,
            stance=Stance.ASSERTED,
            quote=QUOTE,
            medium=ACTOR,
            note=ACTOR,
        ),
        by="test",
    )
    session.flush()
    return Written(claim.id, actor.slug, source.id, attribution.id)


def safe_page(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    """A page whose only script is the site's own file, with every payload shown escaped."""
    response = client.get(url)
    assert response.status_code == status, response.text
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(" in response.text
    soup = parse(response.text)
    scripts = soup.find_all("script")
    assert [urlsplit(str(script.get("src"))).path for script in scripts] == ["/static/claimtrack.js"]
    assert [script.get_text() for script in scripts] == [""]
    assert soup.find("script", string=re.compile("alert")) is None
    return soup


def test_the_claims_index_shows_markup_as_text(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    written = write_markup(session)

    soup = safe_page(client, "/?limit=200")

    item = one(soup, f"li.claim-item#claim-{written.claim_id}")
    assert one(item, "h2.claim-text a").get_text() == CLAIM
    assert one(item, "p.claim-summary").get_text() == f"Asserted by {ACTOR}"


def test_the_claim_page_shows_markup_as_text(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    written = write_markup(session)

    soup = safe_page(client, f"/claims/{written.claim_id}")

    assert [heading.get_text() for heading in soup.select("h1")] == [CLAIM]
    statement = one(soup, f"section#stance-asserted li.attribution#attribution-{written.attribution_id}")
    assert one(statement, ".attribution-head a.actor-link").get_text() == ACTOR
    assert one(statement, ".actor-role").get_text() == f", {ACTOR}"
    assert one(statement, "mark.quote").get_text() == QUOTE
    assert one(statement, "dd.attribution-medium").get_text() == ACTOR
    assert one(statement, "dd.attribution-note").get_text() == ACTOR
    assert one(statement, "a.source-link cite").get_text() == TITLE


def test_the_actor_page_shows_markup_as_text(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    written = write_markup(session)

    soup = safe_page(client, f"/actors/{url_quote(written.actor_slug)}")

    assert [heading.get_text() for heading in soup.select("h1")] == [ACTOR]
    assert [alias.get_text() for alias in soup.select("dd.actor-aliases li")] == [TYPED]
    statements = one(soup, f"section#statements section.claim-statements#claim-{written.claim_id}")
    assert one(statements, "h3 a").get_text() == CLAIM
    assert one(statements, "mark.quote").get_text() == QUOTE
    assert soup.title is not None
    assert soup.title.get_text() == f"Actor: {ACTOR} — claimtrack"


def test_the_source_page_shows_markup_as_text(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    written = write_markup(session)

    soup = safe_page(client, f"/sources/{written.source_id}")

    assert [heading.get_text() for heading in soup.select("h1")] == [TITLE]
    link = one(soup, "div.source-text a.span-link")
    # The claim's quotes and angle brackets stay inside the tooltip's attribute and its description.
    assert link.get("data-tip") == f"{ACTOR} — asserted — {CLAIM}"
    description = one(soup, f"ul.span-descriptions li#{link.get('aria-describedby')}")
    assert text(description) == f"Statement 1: {ACTOR}, asserted, on the claim “{CLAIM}”."
    assert one(link, "mark").get_text() == QUOTE
    source_text = one(soup, "div.source-text")
    for marker in source_text.select("sup.ref-mark"):
        marker.decompose()
    assert source_text.get_text() == TEXT


def test_the_actors_index_shows_markup_as_text(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    written = write_markup(session)

    soup = safe_page(client, "/actors?limit=200")

    item = one(soup, f"li.actor-item[data-actor-slug='{written.actor_slug}']")
    assert one(item, "h2.actor-name a").get_text() == ACTOR
    assert text(one(item, "p.aliases")) == f"Also known as: {TYPED}"


def test_what_a_user_types_in_the_claim_filters_stays_a_value(client: TestClient) -> None:
    soup = safe_page(client, "/?" + "&".join(f"{name}={url_quote(TYPED)}" for name in ("actor", "q")))

    assert one(soup, "#filter-actor").get("value") == TYPED
    assert one(soup, "#filter-q").get("value") == TYPED
    assert one(soup, "p.empty")


def test_what_a_user_types_in_the_actor_search_stays_text(client: TestClient) -> None:
    soup = safe_page(client, f"/actors?name={url_quote(TYPED)}")

    assert one(soup, "#actor-name").get("value") == TYPED
    assert text(one(soup, "p.empty")) == f"No actor goes by “{TYPED}”. Show all actors."


def test_a_not_found_page_shows_the_address_as_text(visitor: TestClient) -> None:
    soup = safe_page(visitor, f"/actors/{url_quote(TYPED)}", status=404)

    # The payload's "/" makes it two path segments: no actor route matches, so the generic 404 answers.
    assert one(soup, "p.error-detail").get_text() == f"Nothing is at /actors/{TYPED}."


def test_a_missing_actor_page_shows_the_slug_as_text(visitor: TestClient) -> None:
    slug = '"><img src=x onerror=alert(1)>'
    response = visitor.get(f"/actors/{url_quote(slug)}")

    assert response.status_code == 404
    soup = parse(response.text)
    assert soup.find("img") is None
    assert one(soup, "p.error-detail").get_text() == f"There is no actor '{slug}'."
