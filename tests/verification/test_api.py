"""The status API: a fact-checker's decision on a claim, its If-Match, its checks, and its history."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Claim
from app.models.base import utcnow
from app.verification.service import change_status
from app.vocabulary import Role, VerificationStatus
from tests.conftest import Accounts
from tests.factories import status_change
from tests.helpers import SOURCE_001, TITLES, claim_id, get_json, source_id
from tests.verification.helpers import state_of, status_audit, token_of

UNCHECKED = "low-altitude-entry"  # unverified in the seeds, with no history
CHECKED = "helicopter-strike"  # partly confirmed in the seeds: one history entry
ALLOWED = ["unverified", "in_review", "confirmed", "partly_confirmed", "unconfirmed", "misleading", "false"]


def post_status(
    client: TestClient, claim: int, body: dict[str, Any], headers: dict[str, str], if_match: str | None
) -> Any:
    if if_match is not None:
        headers = {**headers, "If-Match": if_match}
    return client.post(f"/api/v1/claims/{claim}/status", json=body, headers=headers)


def test_a_status_change_is_one_decision_on_record(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    headers = token_of(accounts, Role.FACT_CHECKER, "fiona")
    claim = claim_id(client, UNCHECKED)
    newsweek = source_id(client, SOURCE_001)
    before = state_of(client, session, claim)
    read = client.get(f"/api/v1/claims/{claim}")
    assert read.headers["ETag"] == f'"{before.version}"'

    response = post_status(
        client,
        claim,
        {
            "status": "unconfirmed",
            "rationale": "  Only the governor says so; no video shows the approach.  ",
            "evidence": [
                {"source_id": newsweek, "note": "Relays the governor's Telegram post"},
                {"url": "https://t.me/vvgladkov/1234"},
            ],
        },
        headers,
        read.headers["ETag"],
    )

    assert response.status_code == 200, response.text
    after = state_of(client, session, claim)
    assert response.headers["ETag"] == f'"{before.version + 1}"'
    assert after.version == before.version + 1
    assert response.json() == get_json(client, f"/api/v1/claims/{claim}")
    assert response.json()["verification_status"] == "unconfirmed"
    assert response.json()["verification_label"] == "Unconfirmed"
    assert before.history == []
    (entry,) = after.history
    newsweek_ref = {
        key: get_json(client, f"/api/v1/sources/{newsweek}")[key]
        for key in ("id", "title", "outlet", "published_on")
    }
    assert newsweek_ref["title"] == TITLES[SOURCE_001]
    assert entry == {
        "id": entry["id"],
        "from_status": "unverified",
        "from_label": "Unverified",
        "to_status": "unconfirmed",
        "to_label": "Unconfirmed",
        "rationale": "Only the governor says so; no video shows the approach.",
        "evidence": [
            {"source": newsweek_ref, "url": None, "note": "Relays the governor's Telegram post"},
            {"source": None, "url": "https://t.me/vvgladkov/1234", "note": None},
        ],
        "changed_by": "fiona",
        "changed_at": entry["changed_at"],
    }
    history = get_json(client, f"/api/v1/claims/{claim}/history")
    assert history == {
        "claim_id": claim,
        "verification_status": "unconfirmed",
        "version": before.version + 1,
        "items": after.history,
        "next_cursor": None,
    }
    (audit,) = status_audit(session, claim)
    assert audit.user_name == "fiona"
    assert audit.before is not None
    assert audit.after is not None
    assert (audit.before["verification_status"], audit.after["verification_status"]) == (
        "unverified",
        "unconfirmed",
    )
    assert (audit.before["version"], audit.after["version"]) == (before.version, before.version + 1)
    # One audit record for the claim; the token issued for fiona is the only other new record.
    assert after.audit_count == before.audit_count + 1


def test_the_same_status_again_is_a_recorded_decision(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    headers = token_of(accounts, Role.EDITOR, "edna")
    claim = claim_id(client, CHECKED)
    before = state_of(client, session, claim)
    assert before.status == "partly_confirmed"

    response = post_status(
        client,
        claim,
        {"status": "partly_confirmed", "rationale": "Re-checked after the NYT video analysis."},
        headers,
        f'"{before.version}"',
    )

    assert response.status_code == 200, response.text
    after = state_of(client, session, claim)
    assert (after.status, after.version) == ("partly_confirmed", before.version + 1)
    assert after.history[:-1] == before.history
    assert {key: after.history[-1][key] for key in ("from_status", "to_status", "changed_by")} == {
        "from_status": "partly_confirmed",
        "to_status": "partly_confirmed",
        "changed_by": "edna",
    }
    assert len(before.history) == 1
    assert len(status_audit(session, claim)) == 2  # the seeds' decision, and this one


def test_without_if_match_it_is_428_and_nothing_is_written(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    headers = token_of(accounts, Role.FACT_CHECKER, "fiona")
    claim = claim_id(client, UNCHECKED)
    before = state_of(client, session, claim)

    response = post_status(client, claim, {"status": "false", "rationale": "Refuted."}, headers, None)

    assert response.status_code == 428
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == (
        f'Send an If-Match header with the ETag you read (now "{before.version}"), so that a change '
        "made meanwhile by someone else is not overwritten."
    )
    assert state_of(client, session, claim) == before


def test_a_stale_if_match_is_412_with_the_current_version_and_nothing_is_written(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    fiona = token_of(accounts, Role.FACT_CHECKER, "fiona")
    gustav = token_of(accounts, Role.FACT_CHECKER, "gustav")
    claim = claim_id(client, UNCHECKED)
    read = client.get(f"/api/v1/claims/{claim}").headers["ETag"]
    first = post_status(client, claim, {"status": "in_review", "rationale": "Checking."}, gustav, read)
    assert first.status_code == 200
    before = state_of(client, session, claim)

    response = post_status(client, claim, {"status": "false", "rationale": "Refuted."}, fiona, read)

    assert response.status_code == 412
    problem = response.json()
    assert problem["current_version"] == before.version
    assert problem["title"] == "Changed meanwhile"
    assert state_of(client, session, claim) == before
    assert [entry.user_name for entry in status_audit(session, claim)] == ["gustav"]


BAD_BODIES: list[tuple[str, dict[str, Any], str, str]] = [
    ("no rationale", {"status": "false"}, "rationale", "Field required"),
    (
        "a blank rationale",
        {"status": "false", "rationale": " \n\t "},
        "rationale",
        "Write a rationale: say why the claim has this status.",
    ),
    (
        "a rationale over 5000 characters",
        {"status": "false", "rationale": "x" * 5001},
        "rationale",
        "String should have at most 5000 characters",
    ),
    (
        "a NUL in the rationale",
        {"status": "false", "rationale": "Refuted\x00."},
        "rationale",
        "must not contain NUL (\\x00) characters",
    ),
    (
        "an invisible rationale",
        {"status": "false", "rationale": "\u200b\u200e \ufeff"},
        "rationale",
        "Write a rationale: say why the claim has this status.",
    ),
    (
        "an unknown source",
        {"status": "false", "rationale": "Refuted.", "evidence": [{"source_id": 999999}]},
        "evidence.0",
        "There is no source 999999 in the tracker.",
    ),
    (
        "an ftp link",
        {"status": "false", "rationale": "Refuted.", "evidence": [{"url": "ftp://example.org/video"}]},
        "evidence.0",
        "'ftp://example.org/video' is not a web address: a link starts with http:// or https://.",
    ),
    (
        "a javascript: link",
        {"status": "false", "rationale": "Refuted.", "evidence": [{"url": "javascript:alert(1)"}]},
        "evidence.0",
        "'javascript:alert(1)' is not a web address: a link starts with http:// or https://.",
    ),
    (
        "evidence with both a source and a link",
        {"status": "false", "rationale": "Refuted.", "evidence": [{"source_id": 1, "url": "https://x.org"}]},
        "evidence.0",
        "give either a source_id or a url, not both and not neither",
    ),
    (
        "21 pieces of evidence",
        {
            "status": "false",
            "rationale": "Refuted.",
            "evidence": [{"url": f"https://example.org/{n}"} for n in range(21)],
        },
        "evidence",
        "List should have at most 20 items after validation, not 21",
    ),
]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [case[1:] for case in BAD_BODIES],
    ids=[case[0] for case in BAD_BODIES],
)
def test_bad_input_is_422_naming_the_field_and_nothing_is_written(
    client_and_session: tuple[TestClient, Session],
    accounts: Accounts,
    body: dict[str, Any],
    field: str,
    message: str,
) -> None:
    client, session = client_and_session
    headers = token_of(accounts, Role.FACT_CHECKER, "fiona")
    claim = claim_id(client, UNCHECKED)
    before = state_of(client, session, claim)

    response = post_status(client, claim, body, headers, f'"{before.version}"')

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = [{key: error[key] for key in ("field", "message")} for error in response.json()["errors"]]
    assert errors == [{"field": field, "message": message}]
    assert state_of(client, session, claim) == before


def test_an_unknown_status_is_422_listing_the_allowed_ones(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    headers = token_of(accounts, Role.FACT_CHECKER, "fiona")
    claim = claim_id(client, UNCHECKED)
    before = state_of(client, session, claim)

    response = post_status(client, claim, {"status": "maybe", "rationale": "?"}, headers, '"1"')

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["input"], error["allowed"]) == ("status", "maybe", ALLOWED)
    assert [status.value for status in VerificationStatus] == ALLOWED
    assert state_of(client, session, claim) == before


def test_a_deleted_claim_is_410(client_and_session: tuple[TestClient, Session], accounts: Accounts) -> None:
    client, session = client_and_session
    headers = token_of(accounts, Role.FACT_CHECKER, "fiona")
    claim = claim_id(client, UNCHECKED)
    row = session.get(Claim, claim)
    assert row is not None
    row.deleted_at, row.deleted_by = utcnow(), "edna"
    session.flush()

    response = post_status(client, claim, {"status": "false", "rationale": "x"}, headers, f'"{row.version}"')
    assert response.status_code == 410
    assert response.json()["deleted_by"] == "edna"
    assert client.get(f"/api/v1/claims/{claim}/history").status_code == 410
    assert status_audit(session, claim) == []


def test_an_unknown_claim_is_404(client_and_session: tuple[TestClient, Session], accounts: Accounts) -> None:
    client, _session = client_and_session
    headers = token_of(accounts, Role.FACT_CHECKER, "fiona")
    response = post_status(client, 999999, {"status": "false", "rationale": "x"}, headers, '"1"')
    assert (response.status_code, response.json()["detail"]) == (
        404,
        "There is no claim 999999: the link may be wrong.",
    )
    assert client.get("/api/v1/claims/999999/history").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 401),
        (Role.VIEWER, 403),
        (Role.FACT_CHECKER, 200),
        (Role.EDITOR, 200),
        (Role.ADMIN, 200),
    ],
    ids=["anonymous", "viewer", "fact_checker", "editor", "admin"],
)
def test_who_may_set_a_status_through_the_api(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, role: Role | None, expected: int
) -> None:
    client, session = client_and_session
    headers = token_of(accounts, role, "someone") if role is not None else {}
    claim = claim_id(client, UNCHECKED)
    before = state_of(client, session, claim)

    response = post_status(
        client, claim, {"status": "false", "rationale": "x"}, headers, f'"{before.version}"'
    )

    assert response.status_code == expected, response.text
    assert len(status_audit(session, claim)) == (1 if expected == 200 else 0)
    if expected != 200:
        assert state_of(client, session, claim) == before


def test_a_browser_session_cannot_write_through_the_api(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    accounts.sign_in(Role.FACT_CHECKER, name="fiona")
    claim = claim_id(client, UNCHECKED)
    before = state_of(client, session, claim)

    response = post_status(client, claim, {"status": "false", "rationale": "x"}, {}, f'"{before.version}"')

    assert response.status_code == 403
    assert "use an API token" in response.json()["detail"]
    assert state_of(client, session, claim) == before


def test_the_status_routes_are_documented(client: TestClient) -> None:
    paths = get_json(client, "/api/v1/openapi.json")["paths"]
    assert paths["/api/v1/claims/{claim_id}/status"]["post"]["summary"] == "Set Claim Status"
    assert paths["/api/v1/claims/{claim_id}/status"]["post"]["description"] == (
        "Set a claim's verification status with a rationale and evidence; send If-Match with its ETag."
    )
    assert paths["/api/v1/claims/{claim_id}/history"]["get"]["description"] == (
        "A claim's verification history, oldest first: who, when, from, to, why and on what evidence."
    )


def test_a_long_history_is_shown_last_first_on_the_claim_and_paged_in_full(
    client_and_session: tuple[TestClient, Session],
) -> None:
    client, session = client_and_session
    claim = session.get(Claim, claim_id(client, UNCHECKED))
    assert claim is not None
    statuses = [VerificationStatus.IN_REVIEW, VerificationStatus.UNCONFIRMED]
    for number in range(25):
        change_status(session, claim, status_change(statuses[number % 2], f"Decision {number}"), by="fiona")
    session.flush()

    detail = get_json(client, f"/api/v1/claims/{claim.id}")
    assert detail["history_count"] == 25
    assert [entry["rationale"] for entry in detail["history"]] == [f"Decision {n}" for n in range(5, 25)]

    rationales, cursor = [], None
    while True:
        history = get_json(
            client, f"/api/v1/claims/{claim.id}/history?limit=10" + (f"&cursor={cursor}" if cursor else "")
        )
        rationales += [entry["rationale"] for entry in history["items"]]
        if (cursor := history["next_cursor"]) is None:
            break
    assert rationales == [f"Decision {n}" for n in range(25)]
