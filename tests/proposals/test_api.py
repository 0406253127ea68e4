"""The review queue through the API: listing a source's proposals, accepting (with corrections, or a
selection at once), rejecting, running the extractor again; editors with tokens only."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Actor, Attribution, AuditEntry, Claim, Proposal
from app.vocabulary import Role
from tests.conftest import Accounts
from tests.helpers import row_counts
from tests.proposals.helpers import TEXT

Client = tuple[TestClient, Session]
SOURCE = {"title": "Bridge closed in Kyiv", "text": TEXT, "outlet": "Example Wire"}


@pytest.fixture
def editor(accounts: Accounts) -> dict[str, str]:
    return accounts.token_headers(Role.EDITOR)


def add(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.post("/api/v1/sources", json=SOURCE, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def queue(client: TestClient, source_id: int, **query: Any) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/sources/{source_id}/proposals", params=query)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def named(proposals: list[dict[str, Any]], name: str) -> dict[str, Any]:
    (proposal,) = [p for p in proposals if (p["actor_name"] or "").endswith(name)]
    return proposal


def counts(session: Session) -> dict[str, int]:
    return row_counts(session, Attribution, Claim, Actor, AuditEntry, Proposal)


def test_adding_a_source_says_how_many_statements_were_proposed(
    client_and_session: Client, editor: dict[str, str]
) -> None:
    client, _session = client_and_session

    body = add(client, editor)

    proposals = queue(client, body["id"])
    assert body["proposals_made"] == len(proposals) >= 3
    assert body["proposals_waiting"] == len(proposals)
    jane = named(proposals, "Jane Doe")
    assert set(jane) == {
        "id", "source_id", "state", "stance", "quote", "quote_start", "quote_end", "speaker", "cue",
        "content", "actor", "actor_name", "medium", "via", "claim", "claim_text", "attribution_id",
        "decided_by", "decided_at", "created_at",
    }  # fmt: skip
    assert (jane["state"], jane["stance"], jane["actor"], jane["attribution_id"]) == (
        "pending", "asserted", None, None
    )  # fmt: skip
    assert jane["quote"] == TEXT[jane["quote_start"] : jane["quote_end"]]
    assert TEXT[jane["cue"]["start"] : jane["cue"]["end"]] == "said"
    assert TEXT[jane["speaker"]["start"] : jane["speaker"]["end"]] == "Jane Doe"
    listed = client.get("/api/v1/sources", params={"waiting": "true"}).json()["items"]
    assert [(s["id"], s["proposals_waiting"]) for s in listed] == [(body["id"], len(proposals))]


def test_the_queue_pages_and_filters_by_state(client_and_session: Client, editor: dict[str, str]) -> None:
    client, _session = client_and_session
    source_id = add(client, editor)["id"]
    everything = queue(client, source_id)
    rejected = everything[0]["id"]
    assert (
        client.post(f"/api/v1/sources/{source_id}/proposals/{rejected}/reject", headers=editor).status_code
        == 200
    )

    first = client.get(f"/api/v1/sources/{source_id}/proposals", params={"limit": 2}).json()
    rest = client.get(
        f"/api/v1/sources/{source_id}/proposals", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()

    assert [p["id"] for p in first["items"] + rest["items"]] == [p["id"] for p in everything]
    assert [p["id"] for p in queue(client, source_id, state="rejected")] == [rejected]
    assert rejected not in [p["id"] for p in queue(client, source_id, state="pending")]
    assert client.get(f"/api/v1/sources/{source_id}/proposals", params={"state": "maybe"}).status_code == 422
    assert client.get("/api/v1/sources/999999/proposals").status_code == 404


def test_accepting_with_corrections_makes_a_statement(
    client_and_session: Client, editor: dict[str, str]
) -> None:
    client, _session = client_and_session
    source_id = add(client, editor)["id"]
    roe = named(queue(client, source_id), "John Roe")
    edits = {"actor": "Dmytro Kuleba", "stance": "denied", "new_claim": "Someone blew up the bridge."}

    response = client.post(
        f"/api/v1/sources/{source_id}/proposals/{roe['id']}/accept", json=edits, headers=editor
    )

    assert response.status_code == 200, response.text
    decision = response.json()
    statement = decision["attribution"]
    assert (statement["actor"]["slug"], statement["stance"]) == ("dmytro-kuleba", "denied")
    assert (statement["quote_start"], statement["quote_end"]) == (roe["quote_start"], roe["quote_end"])
    assert statement["claim"]["text"] == "Someone blew up the bridge."
    assert decision["proposal"]["state"] == "accepted"
    assert decision["proposal"]["attribution_id"] == statement["id"]
    assert client.get(f"/api/v1/attributions/{statement['id']}").status_code == 200


def test_accepting_twice_is_a_409_that_changes_nothing(
    client_and_session: Client, editor: dict[str, str]
) -> None:
    client, session = client_and_session
    source_id = add(client, editor)["id"]
    jane = named(queue(client, source_id), "Jane Doe")
    url = f"/api/v1/sources/{source_id}/proposals/{jane['id']}"
    assert client.post(f"{url}/accept", headers=editor).status_code == 200
    before = counts(session)

    again = client.post(f"{url}/accept", headers=editor)
    reject = client.post(f"{url}/reject", headers=editor)

    assert again.status_code == reject.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["detail"].startswith(f"Proposal {jane['id']} was accepted already, by ")
    assert again.json()["state"] == "accepted"
    assert counts(session) == before


def test_a_selection_is_all_or_nothing(client_and_session: Client, editor: dict[str, str]) -> None:
    client, session = client_and_session
    source_id = add(client, editor)["id"]
    proposals = queue(client, source_id)
    ids = [named(proposals, name)["id"] for name in ("Jane Doe", "John Roe")]
    before = counts(session)

    missing = client.post(
        f"/api/v1/sources/{source_id}/proposals/accept", json={"proposal_ids": [*ids, 999999]}, headers=editor
    )
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"Source {source_id} has no proposal 999999: nothing was accepted."
    assert counts(session) == before

    accepted = client.post(
        f"/api/v1/sources/{source_id}/proposals/accept", json={"proposal_ids": ids}, headers=editor
    )

    assert accepted.status_code == 200, accepted.text
    assert sorted(d["proposal"]["id"] for d in accepted.json()["accepted"]) == sorted(ids)
    assert counts(session)["attributions"] == before["attributions"] + 2


def test_running_the_extractor_again(client_and_session: Client, editor: dict[str, str]) -> None:
    client, _session = client_and_session
    source_id = add(client, editor)["id"]
    proposals = queue(client, source_id)
    client.post(f"/api/v1/sources/{source_id}/proposals/{proposals[0]['id']}/reject", headers=editor)

    response = client.post(f"/api/v1/sources/{source_id}/extract", headers=editor)

    assert response.status_code == 200
    assert response.json() == {
        "source_id": source_id,
        "proposed": 0,
        "waiting": len(proposals) - 1,
        "dropped": 0,
        "decided": 1,
    }
    assert client.post("/api/v1/sources/999999/extract", headers=editor).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"stance": "maybe"},
        {"quote_start": -1},
        {"claim_id": 1, "new_claim": "Both at once."},
        {"quote_start": 0, "quote_end": 10**6},
        {"colour": "red"},
        {"actor": ""},
    ],
)
def test_bad_corrections_are_a_422_that_writes_nothing(
    client_and_session: Client, editor: dict[str, str], body: dict[str, Any]
) -> None:
    client, session = client_and_session
    source_id = add(client, editor)["id"]
    jane = named(queue(client, source_id), "Jane Doe")
    before = counts(session)

    response = client.post(
        f"/api/v1/sources/{source_id}/proposals/{jane['id']}/accept", json=body, headers=editor
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert counts(session) == before
    assert named(queue(client, source_id), "Jane Doe")["state"] == "pending"


@pytest.mark.parametrize(("role", "status"), [(None, 401), (Role.VIEWER, 403), (Role.FACT_CHECKER, 403)])
def test_only_editors_decide(
    client_and_session: Client, accounts: Accounts, editor: dict[str, str], role: Role | None, status: int
) -> None:
    client, session = client_and_session
    source_id = add(client, editor)["id"]
    pid = queue(client, source_id)[0]["id"]
    headers = accounts.token_headers(role)
    before = counts(session)

    answers = [
        client.post(f"/api/v1/sources/{source_id}/proposals/{pid}/accept", headers=headers),
        client.post(f"/api/v1/sources/{source_id}/proposals/{pid}/reject", headers=headers),
        client.post(
            f"/api/v1/sources/{source_id}/proposals/accept", json={"proposal_ids": [pid]}, headers=headers
        ),
        client.post(f"/api/v1/sources/{source_id}/extract", headers=headers),
    ]

    assert [answer.status_code for answer in answers] == [status] * 4
    assert counts(session) == before


def test_a_browser_session_cannot_decide_through_the_api(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, _session = client_and_session
    source_id = add(client, accounts.token_headers(Role.EDITOR))["id"]
    pid = queue(client, source_id)[0]["id"]
    accounts.sign_in(Role.EDITOR)

    response = client.post(f"/api/v1/sources/{source_id}/proposals/{pid}/accept")

    assert response.status_code == 403
    assert "API token" in response.json()["detail"]
