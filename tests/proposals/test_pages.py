"""The review queue on a source's page, and the sources waiting for review in the list (SQLite: the
database does not change the HTML)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Actor, Attribution, Claim, Proposal, Source
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import attr, one, parse, text
from tests.proposals.helpers import TEXT, by_actor, proposals_of

pytestmark = sqlite_only
Client = tuple[TestClient, Session]
FORM = {"title": "Bridge closed in Kyiv", "text": TEXT, "outlet": "Example Wire", "language": "en"}


def add_in_browser(client: TestClient, db: Session, csrf: str) -> tuple[int, Any]:
    response = client.post("/sources", data=FORM | {"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303, response.text
    (source_id,) = db.scalars(select(Source.id).where(Source.title == FORM["title"]))
    return source_id, response


def test_adding_a_source_leads_to_its_review_queue(client_and_session: Client, accounts: Accounts) -> None:
    client, db = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)

    source_id, response = add_in_browser(client, db, csrf)

    proposals = proposals_of(db, source_id)
    location = response.headers["location"]
    assert location == f"/sources/{source_id}?reviewed=proposed&count={len(proposals)}#review-queue"
    page = parse(client.get(location).text)
    assert text(one(page, "p.review-notice")).startswith(
        f"The source is stored. The extractor proposed {len(proposals)} statements in it"
    )
    queue = one(page, "section#review-queue")
    assert text(one(queue, "h2")) == f"Review queue ({len(proposals)} waiting)"
    items = queue.select("li.proposal")
    assert [attr(item, "data-proposal-id") for item in items] == [str(p.id) for p in proposals]
    jane = by_actor(db, source_id, "Jane Doe")
    item = one(queue, f"#proposal-{jane.id}")
    assert text(one(item, ".proposal-actor")) == "Jane Doe (new actor)"
    assert text(one(item, ".stance-badge")) == "asserted"
    assert text(one(item, ".proposal-quote")) == TEXT[jane.quote_start : jane.quote_end]
    assert text(one(item, ".claim-draft")) == jane.claim_text
    # Each proposal is marked in the text, and its mark leads to its entry.
    marked: dict[str, str] = {}
    for link in queue.select(".proposal-text a.proposal-link"):
        marked[attr(link, "href")] = (
            marked.get(attr(link, "href"), "") + one(link, "mark.proposed").get_text()
        )
    assert marked[f"#proposal-{jane.id}"] == TEXT[jane.quote_start : jane.quote_end]
    assert set(marked) == {f"#proposal-{p.id}" for p in proposals}


def test_the_queue_s_controls_are_real_forms_in_reading_order(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, db = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    source_id, _ = add_in_browser(client, db, csrf)
    page = parse(client.get(f"/sources/{source_id}").text)
    queue = one(page, "section#review-queue")

    selected = one(queue, "form#accept-selected")
    assert attr(selected, "action") == f"/sources/{source_id}/proposals/accept"
    assert attr(one(selected, "input[name=csrf_token]"), "value") == csrf
    assert one(selected, "button[type=submit]").get("accesskey") == ["s"]
    for item in queue.select("li.proposal"):
        pid = attr(item, "data-proposal-id")
        tick = one(item, "input[type=checkbox][name=proposal_ids]")
        assert (attr(tick, "form"), attr(tick, "value")) == ("accept-selected", pid)
        controls = item.select("input[type=checkbox], button, a.correct")
        assert [c.get("data-review-action") or "tick" for c in controls] == [
            "tick",
            "accept",
            "edit",
            "reject",
        ]
        accept, reject = item.select("form")
        assert attr(accept, "action") == f"/sources/{source_id}/proposals/{pid}/accept"
        assert attr(reject, "action") == f"/sources/{source_id}/proposals/{pid}/reject"
        assert {attr(one(f, "input[name=csrf_token]"), "value") for f in (accept, reject)} == {csrf}
        assert attr(one(item, "a.correct"), "href") == f"/sources/{source_id}/proposals/{pid}/edit"
    assert attr(one(queue, "form.extract-again"), "action") == f"/sources/{source_id}/extract"
    assert one(page, "script[src='/static/review.js']") is not None


def test_the_source_list_shows_and_filters_the_sources_waiting(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, db = client_and_session
    source_id, _ = add_in_browser(client, db, accounts.sign_in(Role.EDITOR))
    waiting = len(proposals_of(db, source_id))
    accounts.sign_in(None)

    listed = parse(client.get("/sources").text)
    badge = one(listed, f"#source-{source_id} a.proposals-waiting")
    assert (text(badge), attr(badge, "data-count")) == (f"{waiting} proposals to review", str(waiting))
    assert attr(badge, "href") == f"/sources/{source_id}#review-queue"
    assert len(listed.select("a.proposals-waiting")) == 1
    assert attr(one(listed, "nav.source-filter a"), "href") == "/sources?waiting=1"

    filtered = parse(client.get("/sources?waiting=1").text)
    assert [attr(item, "data-source-id") for item in filtered.select("li.source-item")] == [str(source_id)]


def test_accepting_and_rejecting_from_the_page(client_and_session: Client, accounts: Accounts) -> None:
    client, db = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    source_id, _ = add_in_browser(client, db, csrf)
    jane, roe = (by_actor(db, source_id, name) for name in ("Jane Doe", "John Roe"))
    waiting = len(proposals_of(db, source_id))

    accepted = client.post(
        f"/sources/{source_id}/proposals/{jane.id}/accept", data={"csrf_token": csrf}, follow_redirects=False
    )
    rejected = client.post(
        f"/sources/{source_id}/proposals/{roe.id}/reject", data={"csrf_token": csrf}, follow_redirects=False
    )

    assert accepted.status_code == rejected.status_code == 303
    assert accepted.headers["location"] == f"/sources/{source_id}?reviewed=accepted&count=1#review-queue"
    (attribution,) = db.scalars(select(Attribution).where(Attribution.source_id == source_id))
    assert attribution.quote_start == jane.quote_start
    page = parse(client.get(rejected.headers["location"]).text)
    assert text(one(page, "p.review-notice")) == "Rejected the proposal: it will not be proposed again."
    assert text(one(page, "#review-queue h2")) == f"Review queue ({waiting - 2} waiting)"
    assert page.select(f"#proposal-{jane.id}") == page.select(f"#proposal-{roe.id}") == []
    assert len(page.select(f"#attribution-{attribution.id}")) == 1


def test_accepting_the_ticked_proposals(client_and_session: Client, accounts: Accounts) -> None:
    client, db = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    source_id, _ = add_in_browser(client, db, csrf)
    ids = [by_actor(db, source_id, name).id for name in ("Jane Doe", "John Roe")]

    response = client.post(
        f"/sources/{source_id}/proposals/accept",
        data={"csrf_token": csrf, "proposal_ids": [str(i) for i in ids]},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"/sources/{source_id}?reviewed=accepted&count=2#review-queue"
    states = {p.id: p.state for p in proposals_of(db, source_id)}
    assert [states[i] for i in ids] == ["accepted", "accepted"]

    none = client.post(f"/sources/{source_id}/proposals/accept", data={"csrf_token": csrf})
    assert none.status_code == 422
    assert "none was selected" in none.text


def test_correcting_a_proposal_before_accepting_it(client_and_session: Client, accounts: Accounts) -> None:
    client, db = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    source_id, _ = add_in_browser(client, db, csrf)
    roe = by_actor(db, source_id, "John Roe")
    form = parse(client.get(f"/sources/{source_id}/proposals/{roe.id}/edit").text)
    assert (
        attr(one(form, "form.proposal-form"), "action") == f"/sources/{source_id}/proposals/{roe.id}/accept"
    )
    assert attr(one(form, "#proposal-actor"), "value") == "John Roe"
    assert attr(one(form, "#proposal-stance option[selected]"), "value") == "asserted"
    assert text(one(form, ".proposal-in-context mark")) == TEXT[roe.quote_start : roe.quote_end]

    refused = client.post(
        f"/sources/{source_id}/proposals/{roe.id}/accept",
        data={"csrf_token": csrf, "actor": "Dmytro Kuleba", "stance": "denied", "quote_end": "999999"},
    )
    assert refused.status_code == 422
    again = parse(refused.text)
    assert "is not a passage of the source" in text(one(again, "p.form-error"))
    assert attr(one(again, "#proposal-actor"), "value") == "Dmytro Kuleba"
    assert db.scalars(select(Attribution).where(Attribution.source_id == source_id)).all() == []

    accepted = client.post(
        f"/sources/{source_id}/proposals/{roe.id}/accept",
        data={
            "csrf_token": csrf,
            "actor": "Dmytro Kuleba",
            "stance": "denied",
            "new_claim": "Someone blew up a bridge.",
        },
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    (attribution,) = db.scalars(select(Attribution).where(Attribution.source_id == source_id))
    kuleba = db.scalars(select(Actor).where(Actor.slug == "dmytro-kuleba")).one()
    claim = db.get(Claim, attribution.claim_id)
    assert (attribution.stance, attribution.actor_id) == ("denied", kuleba.id)
    assert claim is not None
    assert claim.text == "Someone blew up a bridge."
    db.expire_all()
    proposal = db.get(Proposal, roe.id)
    assert proposal is not None
    assert (proposal.state, proposal.attribution_id) == ("accepted", attribution.id)


def test_a_decided_proposal_s_form_says_so(client_and_session: Client, accounts: Accounts) -> None:
    client, db = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    source_id, _ = add_in_browser(client, db, csrf)
    jane = by_actor(db, source_id, "Jane Doe")
    client.post(f"/sources/{source_id}/proposals/{jane.id}/reject", data={"csrf_token": csrf})

    again = client.post(f"/sources/{source_id}/proposals/{jane.id}/accept", data={"csrf_token": csrf})
    form = client.get(f"/sources/{source_id}/proposals/{jane.id}/edit")

    assert again.status_code == form.status_code == 409
    assert f"Proposal {jane.id} was rejected already" in again.text


@pytest.mark.parametrize("role", [None, Role.VIEWER, Role.FACT_CHECKER])
def test_readers_see_how_many_wait_but_no_queue(
    client_and_session: Client, accounts: Accounts, role: Role | None
) -> None:
    client, db = client_and_session
    source_id, _ = add_in_browser(client, db, accounts.sign_in(Role.EDITOR))
    waiting = len(proposals_of(db, source_id))
    accounts.sign_in(role)

    page = parse(client.get(f"/sources/{source_id}").text)

    assert page.select("#review-queue") == []
    assert (
        text(one(page, "p.proposals-waiting"))
        == f"{waiting} proposed statements wait for an editor's review."
    )


def test_a_new_claim_on_record_already_is_said_beside_the_form(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, db = client_and_session
    csrf = accounts.sign_in(Role.EDITOR)
    source_id, _ = add_in_browser(client, db, csrf)
    jane = by_actor(db, source_id, "Jane Doe")
    claim = db.scalars(select(Claim).order_by(Claim.id)).first()
    assert claim is not None

    response = client.post(
        f"/sources/{source_id}/proposals/{jane.id}/accept",
        data={"csrf_token": csrf, "new_claim": claim.text, "actor": "Jane Doe"},
    )

    assert response.status_code == 409
    form = parse(response.text)
    assert f"Claim {claim.id} already says exactly this" in text(one(form, "p.form-error"))
    assert one(form, "#proposal-new_claim").get_text().strip() == claim.text
    assert db.scalars(select(Attribution).where(Attribution.source_id == source_id)).all() == []
    assert db.scalars(select(Actor).where(Actor.name == "Jane Doe")).all() == []
