"""A claim's page embeds its verdict as schema.org ClaimReview, read here as search engines read it: a
structured-data extractor (extruct) finds it, a JSON-LD processor (pyld) expands it. The same document
as the API's; none for a claim without a verdict; no text can break out of it."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.actors.schemas import ActorCreate
from app.actors.service import create_actor
from app.attributions.schemas import AttributionCreate
from app.attributions.service import create_attribution
from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim
from app.config import Settings
from app.db import make_session_factory
from app.main import create_app
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source
from app.verification.service import change_status, claim_to_change
from app.vocabulary import ActorKind, Stance
from tests.claimreview.jsonld import embedded, expand, google_problems, node, value, values
from tests.conftest import sqlite_only
from tests.factories import status_change
from tests.helpers import attr, claim_id, get_json, one, parse

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML

BASE = "http://127.0.0.1:8000"
HOSTILE = '</script><script>alert("claim")</script> <!-- ]]> </SCRIPT > & \u2028 done'


def test_a_claim_with_a_verdict_embeds_its_claimreview(client: TestClient) -> None:
    claim = claim_id(client, "helicopter-strike")
    response = client.get(f"/claims/{claim}")
    assert response.status_code == 200

    documents = embedded(response.text, f"{BASE}/claims/{claim}")

    assert documents == [get_json(client, f"/api/v1/claims/{claim}/claimreview")]
    (review,) = expand(documents[0])
    assert google_problems(review) == []
    assert value(node(review, "reviewRating"), "alternateName") == "Partly confirmed"
    page = parse(response.text)
    assert attr(one(page, "a.claim-review-link"), "href") == f"/api/v1/claims/{claim}/claimreview"


def test_a_claim_without_a_verdict_embeds_none(client: TestClient) -> None:
    claim = claim_id(client, "low-altitude-entry")
    response = client.get(f"/claims/{claim}")

    assert embedded(response.text, f"{BASE}/claims/{claim}") == []
    assert parse(response.text).select("a.claim-review-link") == []


def test_no_text_breaks_out_of_the_embedded_document(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    claim = create_claim(session, ClaimCreate(text=f"A claim {HOSTILE}"), by="test")
    actor = create_actor(session, ActorCreate(name=f"Actor {HOSTILE}", kind=ActorKind.PERSON), by="test")
    quote = f"Said {HOSTILE}"
    source, _ = ingest_source(
        session,
        SourceCreate(title=f"Title {HOSTILE}", outlet=f"Outlet {HOSTILE}", text=f"Before. {quote} After."),
        by="test",
    )
    session.flush()
    create_attribution(
        session,
        AttributionCreate(
            claim_id=claim.id, actor=actor.id, source_id=source.id, stance=Stance.ASSERTED, quote=quote
        ),
        by="test",
    )
    change = change_status(
        session,
        claim_to_change(session, claim.id),
        status_change("false", f"Because {HOSTILE}"),
        by="checker",
    )
    session.flush()

    response = client.get(f"/claims/{claim.id}")

    page = parse(response.text)
    scripts = page.find_all("script")
    assert [script.get("type") for script in scripts if not script.get("src")] == ["application/ld+json"]
    # Two elements close a script: the site's own file, and the document, whose text has no "<" left.
    assert response.text.lower().count("</script") == 2
    assert "<script>alert" not in response.text
    (review,) = expand(embedded(response.text, f"{BASE}/claims/{claim.id}"))
    # As stored (a name's inner runs of spaces made one, say), markup and all.
    assert "</script>" in claim.text
    assert value(review, "claimReviewed") == claim.text
    assert value(node(review, "reviewRating"), "ratingExplanation") == change.rationale
    item = node(review, "itemReviewed")
    assert value(node(item, "author"), "name") == actor.name
    first = node(item, "firstAppearance")
    assert value(first, "headline") == source.title
    assert value(node(first, "publisher"), "name") == source.outlet
    assert values(item, "appearance") == [first]


@pytest.fixture
def published_client(seeded_engine: Engine) -> Iterator[TestClient]:
    """A client of an app that names its public address and its reviewer (it only reads: nothing to
    roll back), sending every request to another host name."""
    settings = Settings(
        public_url="https://claims.example.org/tracker/",
        reviewer_name="Example Fact Checks",
        reviewer_url="https://checks.example.org/about",
    )
    app = create_app(settings, session_factory=make_session_factory(seeded_engine))
    with TestClient(app, base_url="http://evil.example") as client:
        yield client


def test_the_urls_are_on_the_public_address_never_the_requests_host(published_client: TestClient) -> None:
    claim = claim_id(published_client, "helicopter-strike")

    response = published_client.get(f"/claims/{claim}", headers={"Host": "evil.example"})

    (document,) = embedded(response.text, "http://evil.example/")
    assert "evil.example" not in str(document)
    (review,) = expand(document)
    assert value(review, "url") == f"https://claims.example.org/tracker/claims/{claim}"
    reviewer = node(review, "author")
    assert (value(reviewer, "name"), value(reviewer, "url")) == (
        "Example Fact Checks",
        "https://checks.example.org/about",
    )
    work = node(node(review, "itemReviewed"), "firstAppearance")
    assert value(work, "url").startswith("https://claims.example.org/tracker/sources/")


@pytest.mark.parametrize(
    "address", ["claims.example.org", "ftp://claims.example.org", "https://x.org/?a=1", "https://"]
)
def test_the_public_address_must_be_an_http_url(address: str) -> None:
    with pytest.raises(ValidationError, match="CLAIMTRACK_PUBLIC_URL must be an absolute http or https URL"):
        Settings(public_url=address)
