"""`GET /api/v1/claims/{id}/claimreview` and `GET /api/v1/claimreview`: a claim's verdict as schema.org
ClaimReview, and the data feed of every verdict, expanded by a JSON-LD processor and checked against
Google's required and recommended fields and against what the rest of the API says of the claim."""

from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.actors.schemas import ActorCreate
from app.actors.service import create_actor
from app.attributions.schemas import AttributionCreate
from app.attributions.service import create_attribution
from app.claimreview.service import APPEARANCES_LISTED, AUTHORS_NAMED
from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim, delete_claim
from app.models import Claim
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source
from app.verification.service import change_status, claim_to_change
from app.vocabulary import ActorKind, Stance, VerificationStatus
from tests.claimreview.jsonld import expand, google_problems, node, types, value, values
from tests.factories import busy_claim, status_change
from tests.helpers import claim_detail, claim_id, get_items, get_json, get_problem, not_found

BASE = "http://127.0.0.1:8000"
LD_JSON = "application/ld+json"
RATED = [status for status in VerificationStatus if status.info.claim_review_rating is not None]


def review_of(client: TestClient, claim: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/claims/{claim}/claimreview")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == LD_JSON
    document: dict[str, Any] = response.json()
    return document


def expanded_review(client: TestClient, claim: int) -> dict[str, Any]:
    (review,) = expand(review_of(client, claim))
    return review


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def first_asserters(client: TestClient, claim: int) -> list[dict[str, Any]]:
    """The actors who asserted the claim, in the order of their first assertion, as the API has them."""
    statements = get_items(client, f"/api/v1/attributions?claim={claim}&stance=asserted&limit=200")
    slugs = list(dict.fromkeys(statement["actor"]["slug"] for statement in statements))
    return [get_json(client, f"/api/v1/actors/{slug}") for slug in slugs]


def earliest_sources(client: TestClient, claim: int) -> list[dict[str, Any]]:
    """The sources of the claim's statements, earliest published first, undated ones last."""
    statements = get_items(client, f"/api/v1/attributions?claim={claim}&limit=200")
    ids = sorted({statement["source"]["id"] for statement in statements})
    sources = [get_json(client, f"/api/v1/sources/{source}") for source in ids]
    return sorted(sources, key=lambda s: (s["published_on"] is None, s["published_on"] or "", s["id"]))


def test_a_reviewed_claim_answers_its_verdict_as_claimreview(client: TestClient) -> None:
    detail = claim_detail(client, "helicopter-strike")
    claim = detail["id"]

    review = expanded_review(client, claim)

    assert google_problems(review) == []
    assert value(review, "claimReviewed") == detail["text"]
    assert value(review, "url") == f"{BASE}/claims/{claim}"
    verdict = detail["history"][-1]
    assert moment(value(review, "datePublished")) == moment(verdict["changed_at"])
    rating = node(review, "reviewRating")
    assert (value(rating, "ratingValue"), value(rating, "bestRating"), value(rating, "worstRating")) == (
        4,
        5,
        1,
    )
    assert value(rating, "alternateName") == "Partly confirmed"
    assert value(rating, "name") == "Mostly true"
    assert value(rating, "ratingExplanation") == verdict["rationale"]
    reviewer = node(review, "author")
    assert types(reviewer) == {"Organization"}
    assert (value(reviewer, "name"), value(reviewer, "url")) == ("claimtrack", f"{BASE}/")


def test_the_claim_is_made_by_those_who_asserted_it_and_appears_in_its_sources(client: TestClient) -> None:
    claim = claim_id(client, "helicopter-strike")

    item = node(expanded_review(client, claim), "itemReviewed")

    asserters = first_asserters(client, claim)
    assert len(asserters) > 1
    authors = values(item, "author")
    assert [value(author, "name") for author in authors] == [actor["name"] for actor in asserters]
    for author, actor in zip(authors, asserters, strict=True):
        assert types(author) == ({"Person"} if actor["kind"] == ActorKind.PERSON else {"Organization"})
        same_as = [entry["@value"] for entry in values(author, "sameAs")]
        qid = actor["wikidata_qid"]
        assert same_as == ([f"https://www.wikidata.org/wiki/{qid}"] if qid else [])
    sources = earliest_sources(client, claim)
    appearances = values(item, "appearance")
    assert [value(work, "headline") for work in appearances] == [source["title"] for source in sources]
    for work, source in zip(appearances, sources, strict=True):
        assert value(work, "url") == (source["url"] or f"{BASE}/sources/{source['id']}")
        assert [value(p, "name") for p in values(work, "publisher")] == (
            [source["outlet"]] if source["outlet"] else []
        )
        assert [d["@value"] for d in values(work, "datePublished")] == (
            [source["published_on"]] if source["published_on"] else []
        )
    assert node(item, "firstAppearance") == appearances[0]
    assert value(item, "datePublished") == sources[0]["published_on"]


def test_an_actor_with_a_wikidata_item_is_the_same_as_it(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    claim = _claim_asserted_by(
        session,
        [("Ministry of Examples", ActorKind.GOVERNMENT_BODY, "Q42"), ("A Person", ActorKind.PERSON, None)],
    )
    _rate(session, claim, VerificationStatus.FALSE)

    item = node(expanded_review(client, claim.id), "itemReviewed")

    ministry, person = values(item, "author")
    assert types(ministry) == {"Organization"}
    assert values(ministry, "sameAs") == [{"@value": "https://www.wikidata.org/wiki/Q42"}]
    assert types(person) == {"Person"}
    assert values(person, "sameAs") == []


@pytest.mark.parametrize("status", RATED)
def test_each_verdict_is_rated_as_the_vocabulary_says(
    client_and_session: tuple[TestClient, Session], status: VerificationStatus
) -> None:
    client, session = client_and_session
    claim = claim_id(client, "low-altitude-entry")
    change = change_status(
        session,
        claim_to_change(session, claim),
        status_change(status.value, f"Rated {status.value}."),
        by="checker",
    )
    session.flush()

    review = expanded_review(client, claim)

    rating = node(review, "reviewRating")
    assert value(rating, "ratingValue") == status.info.claim_review_rating
    assert value(rating, "alternateName") == status.label
    assert value(rating, "name") == status.info.claim_review_name
    assert value(rating, "ratingExplanation") == f"Rated {status.value}."
    assert moment(value(review, "datePublished")) == change.changed_at
    assert google_problems(review) == []


@pytest.mark.parametrize("status", [VerificationStatus.UNVERIFIED, VerificationStatus.IN_REVIEW])
def test_a_claim_without_a_verdict_has_no_claimreview(
    client_and_session: tuple[TestClient, Session], status: VerificationStatus
) -> None:
    client, session = client_and_session
    claim = claim_id(client, "helicopter-strike")
    change_status(
        session, claim_to_change(session, claim), status_change(status.value, "Back to square one."), by="c"
    )
    session.flush()

    problem = get_problem(client, f"/api/v1/claims/{claim}/claimreview", 404)

    assert problem["detail"] == (
        f"Claim {claim} has no verdict yet (its status is “{status.label}”), so there is no ClaimReview "
        "of it: one is published once a fact-checker rates it."
    )
    assert problem["verification_status"] == status.value
    feed = get_json(client, "/api/v1/claimreview?limit=200")
    assert claim not in [_claim_of(element) for element in feed["dataFeedElement"]]


def test_an_unknown_claim_is_404_and_a_deleted_one_410(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    assert get_problem(client, "/api/v1/claims/999999/claimreview", 404) == not_found(
        "There is no claim 999999: the link may be wrong."
    )
    claim = claim_id(client, "helicopter-strike")
    delete_claim(session, session.get_one(Claim, claim), by="editor")
    session.flush()

    problem = get_problem(client, f"/api/v1/claims/{claim}/claimreview", 410)

    assert problem["detail"].startswith(f"Claim {claim} (“")
    feed = get_json(client, "/api/v1/claimreview?limit=200")
    assert claim not in [_claim_of(element) for element in feed["dataFeedElement"]]


def _claim_of(element: dict[str, Any]) -> int:
    return int(element["url"].rsplit("/", 1)[1])


def test_the_feed_holds_the_same_review_of_every_reviewed_claim_a_page_at_a_time(client: TestClient) -> None:
    reviewed = [
        claim["id"]
        for claim in get_items(client, "/api/v1/claims?limit=200")
        if VerificationStatus(claim["verification_status"]) in RATED
    ]
    assert len(reviewed) > 2

    elements: list[dict[str, Any]] = []
    url: str | None = "/api/v1/claimreview?limit=2"
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == LD_JSON
        feed = response.json()
        (expanded_feed,) = expand(feed)
        assert types(expanded_feed) == {"DataFeed"}
        assert all(types(item) == {"DataFeedItem"} for item in values(expanded_feed, "dataFeedElement"))
        elements += feed["dataFeedElement"]
        cursor = feed["next_cursor"]
        assert len(feed["dataFeedElement"]) == (2 if cursor else len(reviewed) % 2 or 2)
        url = f"/api/v1/claimreview?limit=2&cursor={cursor}" if cursor else None
        assert response.headers.get("link") == (f'<{BASE}{url}>; rel="next"' if url else None)

    assert [_claim_of(element) for element in elements] == reviewed
    for element in elements:
        (review,) = element["item"]
        assert element["url"] == review["url"]
        assert review == review_of(client, _claim_of(element))
        (expanded,) = expand(review)
        assert google_problems(expanded) == []


def _claim_asserted_by(session: Session, speakers: list[tuple[str, ActorKind, str | None]]) -> Claim:
    claim = create_claim(
        session, ClaimCreate(text="The examples were asserted by several speakers."), by="test"
    )
    text = " ".join(f"Speaker {n} said so." for n in range(len(speakers)))
    source, _ = ingest_source(session, SourceCreate(title="Examples", text=text), by="test")
    session.flush()
    for n, (name, kind, qid) in enumerate(speakers):
        actor = create_actor(session, ActorCreate(name=name, kind=kind, wikidata_qid=qid), by="test")
        quote = f"Speaker {n} said so."
        create_attribution(
            session,
            AttributionCreate(
                claim_id=claim.id, actor=actor.id, source_id=source.id, stance=Stance.ASSERTED, quote=quote
            ),
            by="test",
        )
    session.flush()
    return claim


def _rate(session: Session, claim: Claim, status: VerificationStatus) -> None:
    change_status(
        session, claim_to_change(session, claim.id), status_change(status.value, "Checked."), by="checker"
    )
    session.flush()


def test_a_busy_claim_names_its_first_authors_and_appearances_only(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    busy = busy_claim(session, statements=36, actors=AUTHORS_NAMED + 3, sources=APPEARANCES_LISTED + 2)
    _rate(session, busy.claim, VerificationStatus.MISLEADING)

    item = node(expanded_review(client, busy.claim.id), "itemReviewed")

    # Speaker n made statement n first: the first ten to assert it, in that order.
    assert [value(a, "name") for a in values(item, "author")] == [a.name for a in busy.actors[:AUTHORS_NAMED]]
    # None of the sources is dated: in the order they were recorded.
    assert [value(w, "headline") for w in values(item, "appearance")] == [
        s.title for s in busy.sources[:APPEARANCES_LISTED]
    ]


def test_the_first_appearance_is_the_earliest_published(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    claim = create_claim(session, ClaimCreate(text="The dates of the sources decide the order."), by="test")
    session.flush()
    speaker = create_actor(session, ActorCreate(name="Dated Speaker", kind=ActorKind.PERSON), by="test")
    published = [None, date(2022, 4, 3), date(2022, 4, 1), date(2022, 4, 2)]
    for n, day in enumerate(published):
        source, _ = ingest_source(
            session,
            SourceCreate(
                title=f"Dated {n}",
                text=f"The speaker said it, {n}.",
                outlet=f"Outlet {n}",
                published_on=day,
                url=f"https://news.example.org/{n}",
            ),
            by="test",
        )
        session.flush()
        create_attribution(
            session,
            AttributionCreate(
                claim_id=claim.id,
                actor=speaker.id,
                source_id=source.id,
                stance=Stance.DENIED,
                quote=f"said it, {n}",
            ),
            by="test",
        )
    _rate(session, claim, VerificationStatus.CONFIRMED)

    item = node(expanded_review(client, claim.id), "itemReviewed")

    # Denied, not asserted: nobody is the claim's author.
    assert values(item, "author") == []
    assert [value(w, "headline") for w in values(item, "appearance")] == [
        "Dated 2",
        "Dated 3",
        "Dated 1",
        "Dated 0",
    ]
    first = node(item, "firstAppearance")
    assert value(first, "url") == "https://news.example.org/2"
    assert value(node(first, "publisher"), "name") == "Outlet 2"
    assert value(first, "datePublished") == "2022-04-01"
    assert value(item, "datePublished") == "2022-04-01"
