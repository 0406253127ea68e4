"""Editing claims through the API and in the browser: roles, CSRF, If-Match, audit, delete and restore."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import AuditEntry, Claim, ClaimRelation
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import (
    SOURCE_000,
    attr,
    audit_trail,
    claim_id,
    get_items,
    get_json,
    one,
    page,
    parse,
    row_counts,
    source_id,
    text,
)

Client = tuple[TestClient, Session]
NEW_TEXT = "A third helicopter took part in the strike on the Belgorod depot."


def counts(session: Session) -> dict[str, int]:
    """Rows of every table an edit of a claim can write."""
    return row_counts(session, Claim, ClaimRelation, AuditEntry)


def audit_of(session: Session, object_id: int, object_type: str = "claims") -> list[AuditEntry]:
    return audit_trail(session, object_type, object_id)


def create(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    response = client.post("/api/v1/claims", json={"text": NEW_TEXT, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


# ---- API: create, update, delete, restore ----------------------------------------------------------------


def test_an_editor_creates_a_claim_with_related_claims(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    strike = claim_id(client, "helicopter-strike")
    before = counts(session)
    response = create(
        client, headers, text=f"  {NEW_TEXT}\n", related=[{"claim_id": strike, "kind": "narrows"}]
    )
    claim = response.json()
    assert response.headers["Location"] == f"/api/v1/claims/{claim['id']}"
    assert response.headers["ETag"] == '"1"'
    assert (claim["text"], claim["version"], claim["verification_status"]) == (NEW_TEXT, 1, "unverified")
    assert claim["slug"] == "a-third-helicopter-took-part-in-the-strike-on-the-belgorod-d"
    assert [(r["relation"], r["claim"]["id"]) for r in claim["related"]] == [("narrows", strike)]
    assert counts(session) == {
        "claims": before["claims"] + 1,
        "claim_relations": before["claim_relations"] + 1,
        "audit_log": before["audit_log"] + 1,
    }
    (entry,) = audit_of(session, claim["id"])
    assert (entry.action, entry.before) == ("create", None)
    assert entry.after is not None
    assert entry.after["text"] == NEW_TEXT
    assert entry.after["related"] == [{"claim_id": strike, "kind": "narrows"}]
    listed = [c["text"] for c in get_items(client, "/api/v1/claims?limit=200&q=third%20helicopter")]
    assert listed == [NEW_TEXT]


def test_the_same_text_twice_is_a_conflict(client_and_session: Client, accounts: Accounts) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    first = create(client, headers).json()
    before = counts(session)
    response = client.post("/api/v1/claims", json={"text": NEW_TEXT}, headers=headers)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"Claim {first['id']} already says exactly this: attribute statements to it instead."
    )
    assert counts(session) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 401), (Role.VIEWER, 403), (Role.FACT_CHECKER, 403), (Role.EDITOR, 201), (Role.ADMIN, 201)],
)
def test_who_may_create_a_claim(
    client_and_session: Client, accounts: Accounts, role: Role | None, status: int
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(role) if role else {}
    before = counts(session)
    response = client.post("/api/v1/claims", json={"text": NEW_TEXT}, headers=headers)
    assert response.status_code == status, response.text
    if status == 201:
        assert counts(session)["claims"] == before["claims"] + 1
    else:
        assert response.headers["content-type"] == "application/problem+json"
        assert counts(session) == before


def test_a_browser_session_cannot_write_through_the_api(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    accounts.sign_in(Role.ADMIN)
    before = counts(session)
    response = client.post("/api/v1/claims", json={"text": NEW_TEXT})
    assert response.status_code == 403
    assert "use an API token" in response.json()["detail"]
    assert counts(session) == before


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"text": "x" * 2001}, "A claim is one proposition of at most 2000 characters; this one has 2001."),
        ({"text": "   "}, "A claim needs a text: one checkable proposition."),
        (
            {"text": "\u200b\u200e\ufeff"},
            "text: must contain visible text, not only spaces or invisible characters (such as U+200B).",
        ),
        (
            {"text": NEW_TEXT, "related": [{"claim_id": 99999, "kind": "narrows"}]},
            "There is no claim 99999 to relate this claim to.",
        ),
        (
            {"text": NEW_TEXT, "related": [{"claim_id": 1, "kind": "implies"}]},
            "related.0.kind: Input should be 'contradicts', 'narrows' or 'supports' "
            "(allowed: contradicts, narrows, supports)",
        ),
        ({"text": "nul \x00 inside"}, "text: must not contain NUL (\\x00) characters"),
    ],
)
def test_bad_claims_are_refused_and_nothing_is_written(
    client_and_session: Client, accounts: Accounts, body: dict[str, Any], detail: str
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(session)
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == detail
    assert counts(session) == before


def test_patch_needs_if_match_and_replaces_the_related_claims(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(Role.EDITOR)
    strike, fire = claim_id(client, "helicopter-strike"), claim_id(client, "depot-fire")
    claim = create(client, headers, related=[{"claim_id": strike, "kind": "narrows"}]).json()
    url = f"/api/v1/claims/{claim['id']}"
    change = {"text": NEW_TEXT + " (edited)", "related": [{"claim_id": fire, "kind": "supports"}]}
    before = counts(session)

    missing = client.patch(url, json=change, headers=headers)
    assert missing.status_code == 428
    stale = client.patch(url, json=change, headers={**headers, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 1
    assert counts(session) == before

    response = client.patch(url, json=change, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    assert response.json()["text"] == NEW_TEXT + " (edited)"
    assert [(r["relation"], r["claim"]["id"]) for r in response.json()["related"]] == [("supports", fire)]
    # Relations alone also move the version on.
    again = client.patch(url, json={"related": []}, headers={**headers, "If-Match": '"2"'})
    assert (again.status_code, again.headers["ETag"], again.json()["related"]) == (200, '"3"', [])
    assert counts(session)["audit_log"] == before["audit_log"] + 2
    _create_entry, first, second = audit_of(session, claim["id"])
    assert first.action == "update"
    assert first.before is not None
    assert first.after is not None
    assert (first.before["text"], first.before["version"]) == (NEW_TEXT, 1)
    assert first.before["related"] == [{"claim_id": strike, "kind": "narrows"}]
    assert (first.after["text"], first.after["version"]) == (NEW_TEXT + " (edited)", 2)
    assert first.after["related"] == [{"claim_id": fire, "kind": "supports"}]
    assert second.after is not None
    assert second.after["related"] == []


@pytest.mark.parametrize(("role", "status"), [(None, 401), (Role.VIEWER, 403), (Role.FACT_CHECKER, 403)])
def test_who_may_not_edit_or_delete(
    client_and_session: Client, accounts: Accounts, role: Role | None, status: int
) -> None:
    client, session = client_and_session
    headers = accounts.token_headers(role) if role else {}
    strike = claim_id(client, "helicopter-strike")
    before = counts(session)
    url = f"/api/v1/claims/{strike}"
    with_etag = {**headers, "If-Match": '"1"'}
    assert client.patch(url, json={"text": "changed"}, headers=with_etag).status_code == status
    assert client.delete(url, headers=with_etag).status_code == status
    assert client.post(f"{url}/restore", headers=headers).status_code == status
    assert counts(session) == before


def test_a_deleted_claim_disappears_and_its_page_says_why(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    editor = accounts.user(Role.EDITOR, name="edna")
    from app.accounts.service import issue_token

    headers = {"Authorization": f"Bearer {issue_token(session, editor, 't', by='test').secret}"}
    fire = claim_id(client, "fuel-tanks-burning")
    detail_before = get_json(client, f"/api/v1/claims/{fire}")
    source = source_id(client, SOURCE_000)
    actor_slugs = sorted({a["actor"]["slug"] for g in detail_before["groups"] for a in g["attributions"]})
    assert actor_slugs
    url = f"/api/v1/claims/{fire}"
    assert client.delete(url, headers=headers).status_code == 428
    deleted = client.delete(url, headers={**headers, "If-Match": f'"{detail_before["version"]}"'})
    assert deleted.status_code == 204
    assert deleted.headers["ETag"] == f'"{detail_before["version"] + 1}"'

    assert fire not in [c["id"] for c in get_items(client, "/api/v1/claims?limit=200")]
    assert get_items(client, f"/api/v1/attributions?claim={fire}") == []
    assert f'href="/claims/{fire}"' not in client.get("/").text
    assert f"/claims/{fire}#" not in client.get(f"/sources/{source}").text
    for slug in actor_slugs:
        assert f"/claims/{fire}" not in client.get(f"/actors/{slug}").text
    assert get_items(client, "/api/v1/claims?q=fuel%20tanks") == [
        c for c in get_items(client, "/api/v1/claims?q=fuel%20tanks") if c["id"] != fire
    ]

    gone = page(client, f"/claims/{fire}", status=410)
    assert text(one(gone, "h1")) == "This claim was deleted"
    day = session.get(Claim, fire)
    assert day is not None
    assert day.deleted_at is not None
    assert text(one(gone, ".error-detail")) == (
        f"Claim {fire} (“{detail_before['text']}”) was deleted by edna on "
        f"{day.deleted_at.day} {day.deleted_at:%B %Y}. An administrator can restore it."
    )
    assert gone.select(".restore-form") == []  # anonymous: no restore button
    problem = client.get(url)
    assert problem.status_code == 410
    assert problem.json()["deleted_by"] == "edna"

    (entry,) = [e for e in audit_of(session, fire) if e.action == "delete"]
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["deleted_at"], entry.after["deleted_by"]) == (None, "edna")

    # Not an admin: 403, nothing restored.
    assert client.post(f"{url}/restore", headers=headers).status_code == 403
    assert client.get(url).status_code == 410
    admin = accounts.token_headers(Role.ADMIN)
    restored = client.post(f"{url}/restore", headers=admin)
    assert restored.status_code == 200, restored.text
    after = get_json(client, url)
    unchanged = {"version", "updated_at"}
    assert {k: v for k, v in after.items() if k not in unchanged} == {
        k: v for k, v in detail_before.items() if k not in unchanged
    }
    assert after["version"] == detail_before["version"] + 2
    assert client.post(f"{url}/restore", headers=admin).status_code == 409


# ---- the browser -------------------------------------------------------------------------------------------


@sqlite_only
def test_the_new_claim_form_by_role(client_and_session: Client, accounts: Accounts) -> None:
    client, _session = client_and_session
    anonymous = client.get("/claims/new", follow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/login?next=/claims/new")
    for role in (Role.VIEWER, Role.FACT_CHECKER):
        accounts.sign_in(role)
        assert client.get("/claims/new").status_code == 403
    accounts.sign_in(Role.EDITOR)
    form = page(client, "/claims/new")
    assert text(one(form, "h1")) == "New claim"
    assert len(form.select("select[name=related_kind]")) == 3


def test_an_editor_creates_and_edits_a_claim_in_the_browser(
    client_and_session: Client, accounts: Accounts
) -> None:
    client, session = client_and_session
    editor_name = "claim-editor"
    csrf = accounts.sign_in(Role.EDITOR, editor_name)
    strike = claim_id(client, "helicopter-strike")
    before = counts(session)

    refused = client.post("/claims/new", data={"text": NEW_TEXT}, follow_redirects=False)
    assert refused.status_code == 403
    assert counts(session) == before

    too_long = client.post("/claims/new", data={"text": "y" * 2500, "csrf_token": csrf})
    assert too_long.status_code == 422
    form = parse(too_long.text)
    assert (
        text(one(form, ".form-error"))
        == "A claim is one proposition of at most 2000 characters; this one has 2500."
    )
    assert one(form, "textarea[name=text]").get_text() == "y" * 2500
    assert counts(session) == before

    created = client.post(
        "/claims/new",
        data={
            "text": NEW_TEXT,
            "csrf_token": csrf,
            "related_claim": [str(strike), ""],
            "related_kind": ["narrows", ""],
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    new_id = int(created.headers["location"].removeprefix("/claims/"))
    detail = page(client, f"/claims/{new_id}")
    assert text(one(detail, "h1.claim-text")) == NEW_TEXT
    assert attr(one(detail, "a.edit-claim"), "href") == f"/claims/{new_id}/edit"
    assert counts(session)["audit_log"] == before["audit_log"] + 1

    edit = page(client, f"/claims/{new_id}/edit")
    assert attr(one(edit, "input[name=version]"), "value") == "1"
    strike_text = get_json(client, f"/api/v1/claims/{strike}")["text"]
    assert attr(one(edit, "#related-claim-1"), "value") == f"{strike}: {strike_text}"
    saved = client.post(
        f"/claims/{new_id}/edit",
        data={
            "text": "Edited text.",
            "version": "1",
            "csrf_token": csrf,
            "related_claim": [""],
            "related_kind": [""],
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert get_json(client, f"/api/v1/claims/{new_id}")["related"] == []

    stale = client.post(
        f"/claims/{new_id}/edit", data={"text": "My late edit.", "version": "1", "csrf_token": csrf}
    )
    assert stale.status_code == 409
    stale_form = parse(stale.text)
    assert text(one(stale_form, ".form-error")).startswith(
        f"Not saved: {editor_name} changed this claim after you opened the form (it is now at version 2)."
    )
    assert text(one(stale_form, ".current-text")) == "Edited text."
    assert one(stale_form, "textarea[name=text]").get_text() == "My late edit."
    assert attr(one(stale_form, "input[name=version]"), "value") == "2"
    assert get_json(client, f"/api/v1/claims/{new_id}")["text"] == "Edited text."


def test_delete_and_restore_in_the_browser(client_and_session: Client, accounts: Accounts) -> None:
    client, session = client_and_session
    fire = claim_id(client, "depot-fire")
    version = get_json(client, f"/api/v1/claims/{fire}")["version"]
    csrf = accounts.sign_in(Role.EDITOR)
    confirm = page(client, f"/claims/{fire}/delete")
    assert text(one(confirm, "h1")) == "Delete this claim?"
    assert attr(one(confirm, "form.confirm-form"), "method") == "post"
    assert client.get(f"/claims/{fire}").status_code == 200  # the GET changed nothing

    assert client.post(f"/claims/{fire}/delete", data={"version": str(version)}).status_code == 403
    done = client.post(
        f"/claims/{fire}/delete", data={"version": str(version), "csrf_token": csrf}, follow_redirects=False
    )
    assert (done.status_code, done.headers["location"]) == (303, f"/claims/{fire}")
    assert client.get(f"/claims/{fire}").status_code == 410
    assert client.post(f"/claims/{fire}/restore", data={"csrf_token": csrf}).status_code == 403
    assert client.get("/admin/deleted").status_code == 403

    admin_csrf = accounts.sign_in(Role.ADMIN)
    gone = page(client, f"/claims/{fire}", status=410)
    assert attr(one(gone, ".restore-form"), "action") == f"/claims/{fire}/restore"
    listing = page(client, "/admin/deleted")
    assert [attr(li, "data-claim-id") for li in listing.select(".deleted-claim")] == [str(fire)]
    assert client.post(f"/claims/{fire}/restore", data={}).status_code == 403
    restored = client.post(f"/claims/{fire}/restore", data={"csrf_token": admin_csrf}, follow_redirects=False)
    assert restored.status_code == 303
    assert client.get(f"/claims/{fire}").status_code == 200
    assert [e.action for e in audit_of(session, fire)][-2:] == ["delete", "restore"]
