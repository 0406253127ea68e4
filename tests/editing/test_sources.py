"""Editing sources: editors add a source by its text, which never changes; its metadata stays editable.

Every write is refused to anonymous users, viewers and fact-checkers with nothing written, needs a CSRF
token in a form and If-Match in the API, and leaves exactly one audit record.
"""

import hashlib
import unicodedata
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Source
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import (
    SOURCE_000,
    TITLES,
    as_parsed,
    attr,
    audit_trail,
    one,
    parse,
    row_counts,
    seed_text,
    source_id,
    text,
    textarea_value,
)

REFUSED = [(None, 401), (Role.VIEWER, 403), (Role.FACT_CHECKER, 403)]
ALLOWED = [Role.EDITOR, Role.ADMIN]
SIGN_IN_REQUIRED = "Sign in to do this: it needs an account with the right role."
TEXT = "Kyiv, 2 April 2022.\nThe ministry said it had “no information” about the strike.\n"
NEW_SOURCE = {
    "title": "Ministry keeps silent on Belgorod",
    "text": TEXT,
    "outlet": "Example Wire",
    "url": "https://example.org/belgorod",
    "published_on": "2022-04-02",
    "language": "en",
}


def counts(session: Session) -> dict[str, int]:
    return row_counts(session, Source, AuditEntry)


def audit_of(session: Session, source: int) -> list[AuditEntry]:
    return audit_trail(session, "sources", source)


def refused_detail(status: int, role: Role | None) -> str:
    return SIGN_IN_REQUIRED if status == 401 else "This needs the editor role or higher"


def add_source(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/sources", json=NEW_SOURCE | overrides, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def db(client_and_session: tuple[TestClient, Session]) -> Session:
    return client_and_session[1]


@pytest.fixture
def client(client_and_session: tuple[TestClient, Session]) -> TestClient:
    return client_and_session[0]


# ---- API: create -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALLOWED)
def test_an_editor_adds_a_source_with_one_audit_record(
    client: TestClient, db: Session, accounts: Accounts, role: Role
) -> None:
    headers = accounts.token_headers(role)
    before = counts(db)

    response = client.post("/api/v1/sources", json=NEW_SOURCE, headers=headers)

    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"/api/v1/sources/{body['id']}"
    assert response.headers["ETag"] == '"1"'
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    user = body["ingested_by"]
    assert user.startswith(role.value.replace("_", "-"))
    # What the extractor proposes in the text is the review queue's business (tests/proposals).
    assert body["proposals_made"] == body["proposals_waiting"]
    shown = {
        k: v for k, v in body.items() if k not in ("id", "ingested_at", "proposals_made", "proposals_waiting")
    }
    assert shown == {
        **NEW_SOURCE,
        "title_supplied": False,
        "sha256": digest,
        "attribution_count": 0,
        "ingested_by": user,
        "version": 1,
        "notes": None,
        "attributions": {"items": [], "next_cursor": None, "total": 0, "next_url": None},
        "already_existed": False,
    }
    assert counts(db) == {"sources": before["sources"] + 1, "audit_log": before["audit_log"] + 1}
    (entry,) = audit_of(db, body["id"])
    assert (entry.user_name, entry.action, entry.before) == (user, "create", None)
    assert entry.after is not None
    assert "text" not in entry.after  # the hash stands for it
    assert {k: entry.after[k] for k in ("title", "outlet", "url", "published_on", "sha256", "version")} == {
        "title": NEW_SOURCE["title"],
        "outlet": "Example Wire",
        "url": "https://example.org/belgorod",
        "published_on": "2022-04-02",
        "sha256": digest,
        "version": 1,
    }
    fetched = client.get(f"/api/v1/sources/{body['id']}")
    assert fetched.headers["ETag"] == '"1"'
    assert fetched.json()["text"] == TEXT


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_refused_roles_add_no_source(
    client: TestClient, db: Session, accounts: Accounts, role: Role | None, status: int
) -> None:
    headers = accounts.token_headers(role)
    before = counts(db)
    response = client.post("/api/v1/sources", json=NEW_SOURCE, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith(refused_detail(status, role))
    assert counts(db) == before


def test_a_browser_session_cannot_write_through_the_api(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    accounts.sign_in(Role.EDITOR)
    before = counts(db)
    response = client.post("/api/v1/sources", json=NEW_SOURCE)
    assert response.status_code == 403
    assert "use an API token" in response.json()["detail"]
    assert counts(db) == before


def test_the_same_text_again_returns_the_source_on_record(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    first = add_source(client, headers)
    before = counts(db)
    # The same text with Windows line ends and a decomposed ü/é: the same after normalisation.
    variant = unicodedata.normalize("NFD", TEXT).replace("\n", "\r\n")
    assert variant != TEXT

    again = client.post(
        "/api/v1/sources", json=NEW_SOURCE | {"title": "Another title", "text": variant}, headers=headers
    )

    assert again.status_code == 200
    assert again.headers["Location"] == f"/api/v1/sources/{first['id']}"
    # Its statements were proposed when it was first added: none are proposed again.
    assert first["proposals_made"] == 1
    assert again.json() == first | {"already_existed": True, "proposals_made": 0}
    assert counts(db) == before


def test_a_seed_text_pasted_again_is_the_seed_source(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(db)
    response = client.post(
        "/api/v1/sources", json={"title": "Pasted again", "text": seed_text(SOURCE_000)}, headers=headers
    )
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["title"]) == (
        source_id(client, SOURCE_000),
        TITLES[SOURCE_000],
    )
    assert response.json()["already_existed"] is True
    assert counts(db) == before


BAD_CREATES: list[tuple[dict[str, Any], str, str]] = [
    ({"title": ""}, "title", "title: a source needs a title."),
    ({"title": "   "}, "title", "title: a source needs a title."),
    (
        {"title": "\u200b\u200e"},
        "title",
        "title: must contain visible text, not only spaces or invisible characters (such as U+200B).",
    ),
    (
        {"outlet": "\ufeff\x07\u200b"},
        "outlet",
        "outlet: must contain visible text, not only spaces or invisible characters (such as U+200B).",
    ),
    (
        {"text": "\u200b\n\u200b"},
        "text",
        "text: the source text must contain visible text, not only spaces or invisible characters "
        "(such as U+200B).",
    ),
    ({"title": "x" * 501}, "title", "title: at most 500 characters; this one has 501."),
    ({"text": ""}, "text", "text: a source needs a text: the text given is empty."),
    ({"text": " \n\t "}, "text", "text: a source needs a text: the text given is empty."),
    ({"text": "a\x00b"}, "text", "text: the source text must not contain NUL (\\x00) characters."),
    ({"title": "a\x00b"}, "title", "title: must not contain NUL (\\x00) characters."),
    (
        {"url": "ftp://example.org/x"},
        "url",
        "url: 'ftp://example.org/x' is not a web address: give one starting with http:// or https://.",
    ),
    (
        {"url": "javascript:alert(1)"},
        "url",
        "url: 'javascript:alert(1)' is not a web address: give one starting with http:// or https://.",
    ),
    ({"outlet": "o" * 201}, "outlet", "outlet: at most 200 characters; this one has 201."),
    (
        {"language": "English please"},
        "language",
        "language: 'English please' is not a language tag: give one such as en, de or pt-BR.",
    ),
]


@pytest.mark.parametrize(("change", "field", "detail"), BAD_CREATES)
def test_bad_input_is_named_and_writes_nothing(
    client: TestClient, db: Session, accounts: Accounts, change: dict[str, Any], field: str, detail: str
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(db)
    response = client.post("/api/v1/sources", json=NEW_SOURCE | change, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json() == {
        "type": "about:blank",
        "title": "Invalid input",
        "status": 422,
        "detail": detail,
        "field": field,
    }
    assert counts(db) == before


def test_an_oversized_text_is_refused(
    client: TestClient, db: Session, accounts: Accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.sources.service.MAX_SOURCE_CHARS", 40)
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(db)
    response = client.post("/api/v1/sources", json=NEW_SOURCE | {"text": "x" * 41}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "text: the source text has 41 characters; the most a source may hold is 40."
    )
    assert counts(db) == before


def test_a_date_that_is_not_iso_is_named(client: TestClient, db: Session, accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(db)
    response = client.post("/api/v1/sources", json=NEW_SOURCE | {"published_on": "2 April"}, headers=headers)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["published_on"]
    assert counts(db) == before


def test_a_lone_surrogate_is_refused_not_a_500(client: TestClient, db: Session, accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.EDITOR) | {"Content-Type": "application/json"}
    before = counts(db)
    body = b'{"title": "T", "text": "broken \\ud800 text"}'
    response = client.post("/api/v1/sources", content=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "text: the source text contains a lone surrogate: it is not valid Unicode "
        "(was it decoded from valid UTF-8?)."
    )
    assert counts(db) == before


def test_invalid_utf8_in_the_body_is_a_400_not_a_500(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    headers = accounts.token_headers(Role.EDITOR) | {"Content-Type": "application/json"}
    before = counts(db)
    response = client.post(
        "/api/v1/sources", content=b'{"title": "T", "text": "a\xff\xfeb"}', headers=headers
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert counts(db) == before


def test_an_unknown_field_is_refused(client: TestClient, db: Session, accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(db)
    response = client.post("/api/v1/sources", json=NEW_SOURCE | {"sha256": "0" * 64}, headers=headers)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["sha256"]
    assert counts(db) == before


# ---- API: edit, and no delete ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALLOWED)
def test_an_editor_edits_the_metadata_with_if_match(
    client: TestClient, db: Session, accounts: Accounts, role: Role
) -> None:
    source = add_source(client, accounts.token_headers(Role.EDITOR))
    headers = accounts.token_headers(role) | {"If-Match": '"1"'}
    before = counts(db)

    response = client.patch(
        f"/api/v1/sources/{source['id']}",
        json={"outlet": "The Example Times", "url": None, "notes": "Corrected outlet."},
        headers=headers,
    )

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    unchanged = {k: v for k, v in source.items() if k not in ("already_existed", "proposals_made")}
    assert response.json() == unchanged | {
        "outlet": "The Example Times",
        "url": None,
        "notes": "Corrected outlet.",
        "version": 2,
    }
    assert counts(db) == {"sources": before["sources"], "audit_log": before["audit_log"] + 1}
    entry = audit_of(db, source["id"])[-1]
    assert entry.action == "update"
    assert entry.before is not None
    assert entry.after is not None
    changed = {k: (entry.before[k], entry.after[k]) for k in entry.after if entry.before[k] != entry.after[k]}
    assert changed == {
        "outlet": ("Example Wire", "The Example Times"),
        "url": ("https://example.org/belgorod", None),
        "notes": (None, "Corrected outlet."),
        "version": (1, 2),
    }


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_refused_roles_edit_nothing(
    client: TestClient, db: Session, accounts: Accounts, role: Role | None, status: int
) -> None:
    source = add_source(client, accounts.token_headers(Role.EDITOR))
    headers = accounts.token_headers(role) | {"If-Match": '"1"'}
    before = counts(db)
    response = client.patch(f"/api/v1/sources/{source['id']}", json={"title": "Hijacked"}, headers=headers)
    assert response.status_code == status
    assert response.json()["detail"].startswith(refused_detail(status, role))
    assert counts(db) == before
    assert client.get(f"/api/v1/sources/{source['id']}").json()["title"] == NEW_SOURCE["title"]


def test_an_edit_without_if_match_is_428_and_a_stale_one_412(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    source = add_source(client, headers)
    url = f"/api/v1/sources/{source['id']}"
    assert client.patch(url, json={"title": "v2"}, headers=headers | {"If-Match": '"1"'}).status_code == 200
    before = counts(db)

    missing = client.patch(url, json={"title": "lost"}, headers=headers)
    stale = client.patch(url, json={"title": "lost"}, headers=headers | {"If-Match": '"1"'})

    assert missing.status_code == 428
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert counts(db) == before
    assert client.get(url).json()["title"] == "v2"


def test_the_text_is_immutable(client: TestClient, db: Session, accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    source = add_source(client, headers)
    before = counts(db)
    response = client.patch(
        f"/api/v1/sources/{source['id']}",
        json={"title": "New title", "text": "Another text"},
        headers=headers | {"If-Match": '"1"'},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "text: the text of a source cannot be changed: every quote's offsets point into it. "
        "If the document was published again with another text, add that text as a new source."
    )
    assert counts(db) == before
    assert client.get(f"/api/v1/sources/{source['id']}").json()["title"] == NEW_SOURCE["title"]


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"title": None}, "title: a source needs a title."),
        ({"title": "t" * 501}, "title: at most 500 characters; this one has 501."),
        (
            {"url": "file:///etc/passwd"},
            "url: 'file:///etc/passwd' is not a web address: give one starting with http:// or https://.",
        ),
    ],
)
def test_a_bad_edit_is_named_and_changes_nothing(
    client: TestClient, db: Session, accounts: Accounts, change: dict[str, Any], detail: str
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    source = add_source(client, headers)
    before = counts(db)
    response = client.patch(
        f"/api/v1/sources/{source['id']}", json=change, headers=headers | {"If-Match": '"1"'}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == detail
    assert counts(db) == before
    assert client.get(f"/api/v1/sources/{source['id']}").json()["version"] == 1


def test_a_source_cannot_be_deleted(client: TestClient, db: Session, accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.ADMIN)
    source = add_source(client, headers)
    before = counts(db)
    response = client.delete(f"/api/v1/sources/{source['id']}", headers=headers | {"If-Match": '"1"'})
    assert response.status_code == 405
    assert counts(db) == before


# ---- browser: add ------------------------------------------------------------------------------------------


def form_data(csrf: str, **overrides: str) -> dict[str, str]:
    values = {k: str(v) for k, v in NEW_SOURCE.items()} | {"notes": ""}
    return values | {"csrf_token": csrf} | overrides


@sqlite_only
@pytest.mark.parametrize("role", ALLOWED)
def test_an_editor_adds_a_source_in_the_browser(
    client: TestClient, db: Session, accounts: Accounts, role: Role
) -> None:
    csrf = accounts.sign_in(role)
    assert one(parse(client.get("/sources").text), "a.add-link").get("href") == "/sources/new"
    form = one(parse(client.get("/sources/new").text), "form.source-form")
    assert attr(form, "action") == "/sources"
    before = counts(db)

    response = client.post("/sources", data=form_data(csrf), follow_redirects=False)

    assert response.status_code == 303
    (new_id,) = db.scalars(select(Source.id).where(Source.title == NEW_SOURCE["title"]))
    assert response.headers["location"].startswith(f"/sources/{new_id}?reviewed=proposed&count=")
    assert response.headers["location"].endswith("#review-queue")
    assert counts(db) == {"sources": before["sources"] + 1, "audit_log": before["audit_log"] + 1}
    page = parse(client.get(response.headers["location"]).text)
    assert text(one(page, "h1.source-title")) == NEW_SOURCE["title"]
    assert text(one(page, "dd.outlet")) == "Example Wire"
    assert one(page, "a.edit-link").get("href") == f"/sources/{new_id}/edit"
    assert page.select("p.already-on-record") == []


@sqlite_only
@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_refused_roles_get_no_form_and_add_nothing(
    client: TestClient, db: Session, accounts: Accounts, role: Role | None, status: int
) -> None:
    csrf = accounts.sign_in(role)
    form = client.get("/sources/new", follow_redirects=False)
    if role is None:
        assert (form.status_code, form.headers["location"]) == (303, "/login?next=/sources/new")
    else:
        assert form.status_code == 403
    assert parse(client.get("/sources").text).select("a.add-link") == []
    before = counts(db)
    response = client.post("/sources", data=form_data(csrf), follow_redirects=False)
    assert response.status_code == status
    assert text(one(parse(response.text), "p.error-detail")).startswith(refused_detail(status, role))
    assert counts(db) == before


@sqlite_only
@pytest.mark.parametrize("csrf", ["", "forged"])
def test_the_add_form_needs_its_csrf_token(
    client: TestClient, db: Session, accounts: Accounts, csrf: str
) -> None:
    accounts.sign_in(Role.EDITOR)
    before = counts(db)
    response = client.post("/sources", data=form_data(csrf), follow_redirects=False)
    assert response.status_code == 403
    assert "CSRF check failed" in text(one(parse(response.text), "p.error-detail"))
    assert counts(db) == before


@sqlite_only
def test_the_same_text_in_the_browser_leads_to_the_source_on_record(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    existing = source_id(client, SOURCE_000)
    before = counts(db)
    response = client.post(
        "/sources",
        data=form_data(csrf, title="Pasted again", text=seed_text(SOURCE_000)),
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/sources/{existing}?already=1"
    assert counts(db) == before
    page = parse(client.get(response.headers["location"]).text)
    assert text(one(page, "p.already-on-record")) == (
        f"This text is already in the tracker as “{TITLES[SOURCE_000]}” (source {existing}): "
        "nothing new was stored, and its details are as they were."
    )


@sqlite_only
@pytest.mark.parametrize(
    ("overrides", "field", "detail"),
    [
        ({"title": ""}, "title", "title: a source needs a title."),
        ({"text": "  "}, "text", "text: a source needs a text: the text given is empty."),
        (
            {"url": "ftp://example.org"},
            "url",
            "url: 'ftp://example.org' is not a web address: give one starting with http:// or https://.",
        ),
        (
            {"published_on": "1 April"},
            "published_on",
            "published_on: '1 April' is not a date: give it as YYYY-MM-DD, e.g. 2022-04-01.",
        ),
        ({"title": "nul\x00"}, "title", "title: must not contain NUL (\\x00) characters."),
    ],
)
def test_a_refused_form_keeps_what_was_typed(
    client: TestClient, db: Session, accounts: Accounts, overrides: dict[str, str], field: str, detail: str
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)
    data = form_data(csrf, **overrides)
    response = client.post("/sources", data=data)
    assert response.status_code == 422
    page = parse(response.text)
    assert text(one(page, "p.form-error")) == detail
    assert one(page, f"[name={field}]").get("aria-invalid") == "true"
    assert textarea_value(one(page, "textarea[name=text]")) == as_parsed(data["text"])
    for name in ("title", "outlet", "url", "published_on", "language"):
        assert one(page, f"input[name={name}]").get("value") == as_parsed(data[name])
    assert counts(db) == before


@sqlite_only
def test_invalid_utf8_in_a_form_is_refused(client: TestClient, db: Session, accounts: Accounts) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)
    body = f"title=Broken&text=caf%C3%A9+%FF%FE&language=en&csrf_token={csrf}".encode()
    response = client.post(
        "/sources", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 422
    # Refused before the page reads the form (app/form_encoding.py): an error page names the field.
    assert text(one(parse(response.text), "p.error-detail")) == (
        "text: the form sent bytes that are not valid UTF-8. "
        "Copy the text again from its original, or save it as UTF-8 first."
    )
    assert counts(db) == before


# ---- browser: edit -----------------------------------------------------------------------------------------


def edit_data(csrf: str, version: int, **overrides: str) -> dict[str, str]:
    values = {k: str(v) for k, v in NEW_SOURCE.items() if k != "text"} | {"notes": ""}
    return values | {"csrf_token": csrf, "version": str(version)} | overrides


@pytest.mark.parametrize("role", ALLOWED)
def test_an_editor_edits_the_metadata_in_the_browser(
    client: TestClient, db: Session, accounts: Accounts, role: Role
) -> None:
    source = add_source(client, accounts.token_headers(Role.EDITOR))
    csrf = accounts.sign_in(role)
    form_page = parse(client.get(f"/sources/{source['id']}/edit").text)
    assert one(form_page, "input[name=title]").get("value") == NEW_SOURCE["title"]
    assert one(form_page, "input[name=version]").get("value") == "1"
    assert one(form_page, "pre.source-text").get_text() == TEXT
    assert form_page.select("[name=text]") == []  # shown, never submitted
    before = counts(db)

    response = client.post(
        f"/sources/{source['id']}/edit",
        data=edit_data(csrf, 1, outlet="The Example Times", published_on=""),
        follow_redirects=False,
    )

    assert (response.status_code, response.headers["location"]) == (303, f"/sources/{source['id']}")
    assert counts(db) == {"sources": before["sources"], "audit_log": before["audit_log"] + 1}
    detail = client.get(f"/api/v1/sources/{source['id']}").json()
    assert (detail["outlet"], detail["published_on"], detail["version"], detail["text"]) == (
        "The Example Times",
        None,
        2,
        TEXT,
    )
    entry = audit_of(db, source["id"])[-1]
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.action, entry.before["outlet"], entry.after["outlet"]) == (
        "update",
        "Example Wire",
        "The Example Times",
    )


@sqlite_only
@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_refused_roles_edit_nothing_in_the_browser(
    client: TestClient, db: Session, accounts: Accounts, role: Role | None, status: int
) -> None:
    source = add_source(client, accounts.token_headers(Role.EDITOR))
    csrf = accounts.sign_in(role)
    assert parse(client.get(f"/sources/{source['id']}").text).select("a.edit-link") == []
    before = counts(db)
    response = client.post(
        f"/sources/{source['id']}/edit", data=edit_data(csrf, 1, title="Hijacked"), follow_redirects=False
    )
    assert response.status_code == status
    assert counts(db) == before


@sqlite_only
@pytest.mark.parametrize("csrf", ["", "forged"])
def test_the_edit_form_needs_its_csrf_token(
    client: TestClient, db: Session, accounts: Accounts, csrf: str
) -> None:
    source = add_source(client, accounts.token_headers(Role.EDITOR))
    accounts.sign_in(Role.EDITOR)
    before = counts(db)
    response = client.post(f"/sources/{source['id']}/edit", data=edit_data(csrf, 1, title="Forged"))
    assert response.status_code == 403
    assert counts(db) == before


def test_a_stale_edit_shows_what_changed_and_keeps_the_typed_values(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    api = accounts.token_headers(Role.EDITOR)
    source = add_source(client, api)
    url = f"/api/v1/sources/{source['id']}"
    assert client.patch(url, json={"outlet": "Wire B"}, headers=api | {"If-Match": '"1"'}).status_code == 200
    other = client.get(url).json()
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)

    response = client.post(
        f"/sources/{source['id']}/edit", data=edit_data(csrf, 1, title="My better title", outlet="Wire C")
    )

    assert response.status_code == 409
    page = parse(response.text)
    notice = one(page, ".changed-meanwhile")
    assert f"({other['ingested_by']})" in text(notice)  # the same editor made the API change
    assert [
        (attr(row, "data-field"), text(one(row, "td.then")), text(one(row, "td.now")))
        for row in notice.select("tr[data-field]")
    ] == [("outlet", "Example Wire", "Wire B")]
    assert one(page, "input[name=title]").get("value") == "My better title"
    assert one(page, "input[name=outlet]").get("value") == "Wire C"
    assert one(page, "input[name=version]").get("value") == "2"
    assert counts(db) == before
    assert client.get(url).json()["title"] == NEW_SOURCE["title"]

    # Saving again from the re-shown form, now based on version 2, goes through.
    resubmitted = client.post(
        f"/sources/{source['id']}/edit",
        data=edit_data(csrf, 2, title="My better title", outlet="Wire C"),
        follow_redirects=False,
    )
    assert resubmitted.status_code == 303
    assert (client.get(url).json()["title"], client.get(url).json()["version"]) == ("My better title", 3)


@sqlite_only
def test_a_bad_edit_form_keeps_the_typed_values(client: TestClient, db: Session, accounts: Accounts) -> None:
    source = add_source(client, accounts.token_headers(Role.EDITOR))
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)
    response = client.post(
        f"/sources/{source['id']}/edit", data=edit_data(csrf, 1, title="", outlet="Kept outlet")
    )
    assert response.status_code == 422
    page = parse(response.text)
    assert text(one(page, "p.form-error")) == "title: a source needs a title."
    assert one(page, "input[name=outlet]").get("value") == "Kept outlet"
    assert counts(db) == before
