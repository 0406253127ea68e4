"""The Atom feeds of a claim, an actor and a selection of the claims index, read by a feed reader's
parser (feedparser): what they hold, in what order, how many, with stable ids and absolute links."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.actors.schemas import ActorCreate
from app.actors.service import create_actor
from app.attributions.schemas import AttributionCreate
from app.attributions.service import create_attribution
from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim, delete_claim
from app.config import Settings
from app.db import make_session_factory
from app.feeds.service import FEED_ENTRIES
from app.main import create_app
from app.models import Claim
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source
from app.verification.service import change_status, claim_to_change
from app.vocabulary import ActorKind, Stance
from tests.conftest import sqlite_only
from tests.factories import busy_claim, status_change
from tests.feeds.reading import link, read_feed
from tests.helpers import claim_detail, claim_id, get_items, get_problem, not_found

BASE = "http://127.0.0.1:8000"


def parsed_moment(struct: Any) -> datetime:
    """A moment as feedparser parses it (a UTC time.struct_time)."""
    year, month, day, hour, minute, second = struct[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def whole_second(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).replace(microsecond=0)


def test_a_claims_feed_holds_its_statements_and_verdicts(client: TestClient) -> None:
    detail = claim_detail(client, "helicopter-strike")
    claim = detail["id"]
    statements = get_items(client, f"/api/v1/attributions?claim={claim}&limit=200")
    assert len(statements) + len(detail["history"]) <= FEED_ENTRIES

    feed = read_feed(client, f"/claims/{claim}/feed.atom")

    assert feed.feed.title == f"Claim {claim}: {detail['text']}"
    assert link(feed.feed, "alternate") == f"{BASE}/claims/{claim}"
    assert link(feed.feed, "self") == f"{BASE}/claims/{claim}/feed.atom"
    assert feed.feed.id.startswith("urn:uuid:")
    assert feed.feed.author_detail.name == "claimtrack"
    assert {link(entry, "alternate") for entry in feed.entries} == {
        *(f"{BASE}/attributions/{statement['id']}" for statement in statements),
        *(f"{BASE}/claims/{claim}#status-change-{change['id']}" for change in detail["history"]),
    }
    moments = [parsed_moment(entry.updated_parsed) for entry in feed.entries]
    assert moments == sorted(moments, reverse=True)
    assert parsed_moment(feed.feed.updated_parsed) == moments[0]
    by_link = {link(entry, "alternate"): entry for entry in feed.entries}
    for statement in statements:
        entry = by_link[f"{BASE}/attributions/{statement['id']}"]
        stance = Stance(statement["stance"])
        assert entry.title == f"{statement['actor']['name']} {stance.label}: {detail['text']}"
        assert f"“{statement['quote']}”" in entry.summary
        assert statement["source"]["title"] in entry.summary
        assert entry.author_detail.name == statement["actor"]["name"]
        assert entry.author_detail.href == f"{BASE}/actors/{statement['actor']['slug']}"
        assert [tag.term for tag in entry.tags] == [stance.value]
        assert parsed_moment(entry.updated_parsed) == whole_second(statement["created_at"])
    verdict = by_link[f"{BASE}/claims/{claim}#status-change-{detail['history'][-1]['id']}"]
    assert verdict.title == f"Verification status: Partly confirmed (was Unverified): {detail['text']}"
    assert verdict.summary.startswith(detail["history"][-1]["rationale"] + "\nEvidence:\n– http")


def test_entry_ids_are_stable_and_unique(client: TestClient) -> None:
    claim = claim_id(client, "helicopter-strike")

    first = read_feed(client, f"/claims/{claim}/feed.atom")
    again = read_feed(client, f"/claims/{claim}/feed.atom")

    ids = [entry.id for entry in first.entries]
    assert ids == [entry.id for entry in again.entries]
    assert len(set(ids)) == len(ids)
    assert all(entry_id.startswith("urn:uuid:") for entry_id in ids)
    # A statement is the same entry in its actor's feed.
    actor_feed = read_feed(client, "/actors/vyacheslav-gladkov/feed.atom")
    shared = {link(e, "alternate"): e.id for e in first.entries}.items() & {
        link(e, "alternate"): e.id for e in actor_feed.entries
    }.items()
    assert shared


def test_a_new_verdict_tops_the_claims_feed(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    claim = claim_id(client, "helicopter-strike")
    evidence: dict[str, object] = {"url": "https://example.org/proof", "note": "the proof"}
    change = change_status(
        session,
        claim_to_change(session, claim),
        status_change("false", "It was shown false.", evidence),
        by="checker",
    )
    session.flush()

    newest = read_feed(client, f"/claims/{claim}/feed.atom").entries[0]

    assert link(newest, "alternate") == f"{BASE}/claims/{claim}#status-change-{change.id}"
    assert newest.title.startswith("Verification status: False (was Partly confirmed): ")
    assert newest.summary == "It was shown false.\nEvidence:\n– https://example.org/proof (the proof)"
    assert newest.author_detail.name == "checker"
    assert [tag.term for tag in newest.tags] == ["false"]


def test_a_reader_polling_a_quiet_feed_is_answered_not_modified_until_it_changes(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    claim = claim_id(client, "helicopter-strike")
    url = f"/claims/{claim}/feed.atom"
    first = client.get(url)
    tag = first.headers["ETag"]
    assert first.headers["Last-Modified"].endswith(" GMT")

    unchanged = client.get(url, headers={"If-None-Match": tag})
    assert (unchanged.status_code, unchanged.content, unchanged.headers["ETag"]) == (304, b"", tag)
    assert client.get(url, headers={"If-None-Match": f'W/{tag}, "other"'}).status_code == 304

    change_status(
        session, claim_to_change(session, claim), status_change("false", "Shown false."), by="checker"
    )
    session.flush()
    changed = client.get(url, headers={"If-None-Match": tag})

    assert changed.status_code == 200
    assert changed.headers["ETag"] != tag
    assert "Shown false." in changed.text


def test_an_actors_feed_holds_their_newest_statements_only(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    busy = busy_claim(session, statements=FEED_ENTRIES + 5, actors=1, sources=3, label="feed")
    (speaker,) = busy.actors
    made = get_items(client, f"/api/v1/attributions?actor={speaker.slug}&limit=200")

    feed = read_feed(client, f"/actors/{speaker.slug}/feed.atom")

    assert feed.feed.title == f"Statements by {speaker.name}"
    assert link(feed.feed, "alternate") == f"{BASE}/actors/{speaker.slug}"
    newest = sorted(made, key=lambda statement: statement["id"], reverse=True)[:FEED_ENTRIES]
    assert [link(entry, "alternate") for entry in feed.entries] == [
        f"{BASE}/attributions/{statement['id']}" for statement in newest
    ]
    assert {entry.author_detail.name for entry in feed.entries} == {speaker.name}


@pytest.mark.parametrize(
    ("page_query", "api_query"),
    [
        ("", "limit=200"),
        ("status=confirmed", "status=confirmed&limit=200"),
        ("actor=roepcke", "actor=roepcke&limit=200"),
        ("actor=Kuleba&stance=could_not_verify", "actor=Kuleba&stance=could_not_verify&limit=200"),
        ("contested=yes", "contested=true&limit=200"),
        ("q=helicopters&status=", "q=helicopters&limit=200"),
    ],
)
def test_the_claims_feed_follows_the_index_filters(
    client: TestClient, page_query: str, api_query: str
) -> None:
    expected = get_items(client, f"/api/v1/claims?{api_query}")
    assert 0 < len(expected) <= FEED_ENTRIES

    feed = read_feed(client, f"/claims.atom?{page_query}")

    assert sorted(link(entry, "alternate") for entry in feed.entries) == sorted(
        f"{BASE}/claims/{claim['id']}" for claim in expected
    )
    by_link = {link(entry, "alternate"): entry for entry in feed.entries}
    for claim in expected:
        entry = by_link[f"{BASE}/claims/{claim['id']}"]
        assert entry.title == claim["text"]
        assert entry.summary.startswith(claim["verification_label"])
        assert [tag.term for tag in entry.tags] == [claim["verification_status"]]


def test_the_claims_feed_of_the_newest_claims_is_bounded(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    made = [
        create_claim(session, ClaimCreate(text=f"New claim number {n} for the feed."), by="test")
        for n in range(FEED_ENTRIES + 3)
    ]
    session.flush()

    feed = read_feed(client, "/claims.atom")

    assert sorted(link(entry, "alternate") for entry in feed.entries) == sorted(
        f"{BASE}/claims/{claim.id}" for claim in made[-FEED_ENTRIES:]
    )


def test_wrong_feeds_are_problems(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    assert get_problem(client, "/claims/999999/feed.atom", 404) == not_found(
        "There is no claim 999999: the link may be wrong."
    )
    assert get_problem(client, "/actors/nobody-at-all/feed.atom", 404) == not_found(
        "There is no actor 'nobody-at-all': the link may be wrong."
    )
    problem = get_problem(client, "/claims.atom?status=maybe", 422)
    assert problem["detail"].startswith("'maybe' is not a verification status.")
    claim = claim_id(client, "helicopter-strike")
    delete_claim(session, session.get_one(Claim, claim), by="editor")
    session.flush()
    assert get_problem(client, f"/claims/{claim}/feed.atom", 410)["detail"].startswith(f"Claim {claim} (“")


HOSTILE = '<script>alert("x")</script> ]]> <![CDATA[ & "quoted" \x01\x0b\x1f\ufffe end'
SHOWN = '<script>alert("x")</script> ]]> <![CDATA[ & "quoted"  end'
"""HOSTILE as a feed shows it: without the characters XML 1.0 cannot hold."""


def shown(stored: str) -> str:
    """Stored text as a feed shows it: without the characters XML 1.0 cannot hold."""
    return "".join(char for char in stored if char not in "\x01\x0b\x1f\ufffe")


@sqlite_only
def test_hostile_text_arrives_as_text(client_and_session: tuple[TestClient, Session]) -> None:
    client, session = client_and_session
    claim = create_claim(session, ClaimCreate(text=f"Claim {HOSTILE}"), by="test")
    actor = create_actor(session, ActorCreate(name=f"Actor {HOSTILE}", kind=ActorKind.PERSON), by="test")
    quote = f"Quote {HOSTILE}"
    source, _ = ingest_source(
        session, SourceCreate(title=f"Title {HOSTILE}", text=f"Before. {quote} After."), by="test"
    )
    session.flush()
    create_attribution(
        session,
        AttributionCreate(
            claim_id=claim.id, actor=actor.id, source_id=source.id, stance=Stance.DISPUTED, quote=quote
        ),
        by="test",
    )
    change_status(
        session, claim_to_change(session, claim.id), status_change("misleading", f"Why {HOSTILE}"), by="c"
    )
    session.flush()
    shown_claim = shown(claim.text)
    assert shown_claim != claim.text

    for url in (
        f"/claims/{claim.id}/feed.atom",
        f"/actors/{actor.slug}/feed.atom",
        "/claims.atom?status=misleading",
    ):
        raw = client.get(url).content
        assert b"<script>" not in raw
        assert not {b"\x01", b"\x0b", b"\x1f"} & {bytes([byte]) for byte in raw}, url
        feed = read_feed(client, url)
        titles = [entry.title for entry in feed.entries]
        assert any(shown_claim in title for title in titles), (url, titles)

    entries = read_feed(client, f"/claims/{claim.id}/feed.atom").entries
    verdict, statement = entries if "Verification" in entries[0].title else entries[::-1]
    assert verdict.summary == f"Why {SHOWN}"
    assert f"“Quote {SHOWN}”" in statement.summary
    assert f"In “Title {SHOWN}”" in statement.summary
    assert statement.author_detail.name == shown(actor.name)


@pytest.fixture
def published_client(seeded_engine: Engine) -> Iterator[TestClient]:
    """A client of an app that names its public address and its reviewer (it only reads: nothing to
    roll back), sending every request to another host name."""
    settings = Settings(public_url="https://claims.example.org/tracker", reviewer_name="Example Fact Checks")
    app = create_app(settings, session_factory=make_session_factory(seeded_engine))
    with TestClient(app, base_url="http://evil.example") as client:
        yield client


@sqlite_only
def test_feed_links_are_on_the_public_address(published_client: TestClient) -> None:
    claim = claim_id(published_client, "helicopter-strike")

    feed = read_feed(published_client, f"/claims/{claim}/feed.atom")

    assert link(feed.feed, "self") == f"https://claims.example.org/tracker/claims/{claim}/feed.atom"
    assert link(feed.feed, "alternate") == f"https://claims.example.org/tracker/claims/{claim}"
    assert feed.feed.author_detail.name == "Example Fact Checks"
    assert feed.feed.author_detail.href == "https://claims.example.org/tracker/"
    assert all(link(e, "alternate").startswith("https://claims.example.org/tracker/") for e in feed.entries)
    index = read_feed(published_client, "/claims.atom?status=confirmed&actor=Times")
    assert (
        link(index.feed, "self")
        == "https://claims.example.org/tracker/claims.atom?actor=Times&status=confirmed"
    )
    assert link(index.feed, "alternate") == "https://claims.example.org/tracker/?actor=Times&status=confirmed"
