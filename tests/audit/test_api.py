"""GET /api/v1/audit: the same log and filters as the page, for editor and admin tokens only."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.service import set_role
from app.audit.service import record, snapshot
from app.models import Claim
from app.vocabulary import Role
from tests.conftest import Accounts


def test_only_editor_and_admin_tokens_read_the_log(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, _session = client_and_session
    anonymous = client.get("/api/v1/audit")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    for role in (Role.VIEWER, Role.FACT_CHECKER):
        refused = client.get("/api/v1/audit", headers=accounts.token_headers(role))
        assert refused.status_code == 403
        assert refused.json()["detail"].startswith("This needs the editor role or higher; ")
    for role in (Role.EDITOR, Role.ADMIN):
        assert client.get("/api/v1/audit?limit=1", headers=accounts.token_headers(role)).status_code == 200


def test_records_newest_first_with_their_changes(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    target = accounts.user(Role.FACT_CHECKER, name="tess")
    set_role(session, target, Role.EDITOR, by="ann")
    claim = session.scalars(select(Claim).order_by(Claim.id)).first()
    assert claim is not None
    entry = record(session, user_name="ann", action="update", row=claim, before=snapshot(claim))
    entry.at = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
    session.flush()

    response = client.get("/api/v1/audit?user=ann", headers=headers)
    assert response.status_code == 200
    page = response.json()
    assert page["next_cursor"] is None
    newest, oldest = page["items"]
    assert newest == {
        "id": entry.id,
        "at": "2026-02-03T04:05:06Z",
        "user_name": "ann",
        "action": "update",
        "object_type": "claims",
        "object_id": claim.id,
        "url": f"/claims/{claim.id}",
        "before": snapshot(claim),
        "after": snapshot(claim),
        "changes": [],
    }
    assert oldest["action"] == "role_change"
    assert (oldest["object_type"], oldest["object_id"], oldest["url"]) == ("users", target.id, None)
    assert oldest["changes"] == [
        {"field": "role", "before": "fact_checker", "after": "editor"},
        {"field": "version", "before": 1, "after": 2},
    ]
    assert "password_hash" not in oldest["before"]
    assert "password_hash" not in oldest["after"]


def test_filters_and_cursor(client_and_session: tuple[TestClient, Session], accounts: Accounts) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.ADMIN)
    claims = list(session.scalars(select(Claim).order_by(Claim.id).limit(3)))
    entries = []
    for day, claim in enumerate(claims, start=1):
        entry = record(session, user_name="cora", action="update", row=claim, before=snapshot(claim))
        entry.at = datetime(2026, 5, day, 12, tzinfo=UTC)
        entries.append(entry)
    session.flush()
    ids = [entry.id for entry in entries]

    first = client.get("/api/v1/audit?user=cora&limit=2", headers=headers).json()
    assert [item["id"] for item in first["items"]] == [ids[2], ids[1]]
    second = client.get(f"/api/v1/audit?user=cora&limit=2&cursor={first['next_cursor']}", headers=headers)
    assert second.json() == {"items": [second.json()["items"][0]], "next_cursor": None}
    assert second.json()["items"][0]["id"] == ids[0]

    def found(query: str) -> list[int]:
        response = client.get(f"/api/v1/audit?user=cora&{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert found("from=2026-05-02") == [ids[2], ids[1]]
    assert found("to=2026-05-02") == [ids[1], ids[0]]
    assert found("from=2026-05-02&to=2026-05-02") == [ids[1]]
    assert found(f"object_type=claims&object_id={claims[0].id}") == [ids[0]]
    assert found("object_type=users") == []
    assert found("action=delete") == []

    bad = client.get("/api/v1/audit?to=yesterday", headers=headers)
    assert bad.status_code == 422
    assert bad.json()["detail"] == "'yesterday' is not a date for 'to': write it as YYYY-MM-DD."
