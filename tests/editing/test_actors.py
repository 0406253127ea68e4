"""Editing actors: editors add and change actors with their aliases, and delete one nothing refers to.

Every write is refused to anonymous users, viewers and fact-checkers with nothing written, needs a CSRF
token in a form and If-Match in the API, and leaves exactly one audit record with the values before and
after.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Actor, ActorAlias, AuditEntry
from app.vocabulary import Role
from tests.conftest import Accounts, sqlite_only
from tests.helpers import (
    as_parsed,
    attr,
    audit_trail,
    get_json,
    one,
    parse,
    row_counts,
    slugs,
    text,
    textarea_value,
)

REFUSED = [(None, 401), (Role.VIEWER, 403), (Role.FACT_CHECKER, 403)]
ALLOWED = [Role.EDITOR, Role.ADMIN]
SIGN_IN_REQUIRED = "Sign in to do this: it needs an account with the right role."
KINDS = "person, organisation, outlet, government_body, group"
NEW_ACTOR = {
    "name": "Paul Ronzheimer",
    "kind": "person",
    "role": "Bild deputy editor-in-chief",
    "affiliation": "bild",
    "wikidata_qid": "Q1906870",
    "aliases": ["Ronzheimer", "the Bild deputy editor"],
}


def counts(session: Session) -> dict[str, int]:
    return row_counts(session, Actor, ActorAlias, AuditEntry)


def audit_of(session: Session, actor_id: int) -> list[AuditEntry]:
    return audit_trail(session, "actors", actor_id)


def refused_detail(status: int) -> str:
    return SIGN_IN_REQUIRED if status == 401 else "This needs the editor role or higher"


def add_actor(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/actors", json=NEW_ACTOR | overrides, headers=headers)
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
def test_an_editor_adds_an_actor_findable_by_any_alias(
    client: TestClient, db: Session, accounts: Accounts, role: Role
) -> None:
    headers = accounts.token_headers(role)
    bild = get_json(client, "/api/v1/actors/bild")
    before = counts(db)

    response = client.post("/api/v1/actors", json=NEW_ACTOR, headers=headers)

    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == "/api/v1/actors/paul-ronzheimer"
    assert response.headers["ETag"] == '"1"'
    assert {k: v for k, v in body.items() if k not in ("id", "created_at")} == {
        "slug": "paul-ronzheimer",
        "name": "Paul Ronzheimer",
        "kind": "person",
        "role": "Bild deputy editor-in-chief",
        "aliases": ["Ronzheimer", "the Bild deputy editor"],
        "affiliation": {"id": bild["id"], "slug": "bild", "name": bild["name"], "kind": bild["kind"]},
        "wikidata_qid": "Q1906870",
        "attribution_count": 0,
        "version": 1,
        "stance_matrix": {"columns": [], "rows": []},
        "claims": {"items": [], "next_cursor": None, "total": 0, "next_url": None},
        "relayed_count": 0,
        "relayed": {"items": [], "next_cursor": None, "total": 0, "next_url": None},
    }
    assert counts(db) == {
        "actors": before["actors"] + 1,
        "actor_aliases": before["actor_aliases"] + 3,  # the name is an alias too
        "audit_log": before["audit_log"] + 1,
    }
    assert slugs(client, "/api/v1/actors?name=ronzheimer") == ["paul-ronzheimer"]
    assert slugs(client, "/api/v1/actors?name=THE%20BILD%20DEPUTY%20EDITOR") == ["paul-ronzheimer"]
    (entry,) = audit_of(db, body["id"])
    assert (entry.action, entry.before) == ("create", None)
    assert entry.after is not None
    assert {k: entry.after[k] for k in ("slug", "name", "affiliation_id", "wikidata_qid", "aliases")} == {
        "slug": "paul-ronzheimer",
        "name": "Paul Ronzheimer",
        "affiliation_id": bild["id"],
        "wikidata_qid": "Q1906870",
        "aliases": ["Ronzheimer", "the Bild deputy editor"],
    }
    assert client.get("/api/v1/actors/paul-ronzheimer").headers["ETag"] == '"1"'


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_refused_roles_add_no_actor(
    client: TestClient, db: Session, accounts: Accounts, role: Role | None, status: int
) -> None:
    headers = accounts.token_headers(role)
    before = counts(db)
    response = client.post("/api/v1/actors", json=NEW_ACTOR, headers=headers)
    assert response.status_code == status
    assert response.json()["detail"].startswith(refused_detail(status))
    assert counts(db) == before


def test_a_browser_session_cannot_write_through_the_api(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    accounts.sign_in(Role.ADMIN)
    before = counts(db)
    response = client.post("/api/v1/actors", json=NEW_ACTOR)
    assert response.status_code == 403
    assert "use an API token" in response.json()["detail"]
    assert counts(db) == before


BAD_CREATES: list[tuple[dict[str, Any], int, str]] = [
    ({"name": " "}, 422, "name: an actor needs a name."),
    (
        {"name": "\u200b\u200e\ufeff"},
        422,
        "name: must contain visible text, not only spaces or invisible characters (such as U+200B).",
    ),
    (
        {"role": "\u200b\x07"},
        422,
        "role: must contain visible text, not only spaces or invisible characters (such as U+200B).",
    ),
    ({"name": "n" * 301}, 422, "name: at most 300 characters; this one has 301."),
    ({"slug": "julian-ropcke"}, 409, "An actor with the slug 'julian-ropcke' exists already."),
    ({"name": "Julian Ropcke"}, 409, "An actor with the slug 'julian-ropcke' exists already."),
    (
        {"slug": "Not A Slug"},
        422,
        "slug: 'Not A Slug' is not a slug: lower-case letters and digits joined "
        "by single hyphens, at most 120 characters (e.g. julian-ropcke).",
    ),
    ({"slug": "new"}, 422, "slug: 'new' is reserved for a page; choose another."),
    (
        {"affiliation": "daily-planet"},
        422,
        "affiliation: there is no actor 'daily-planet' on record to be affiliated with; "
        "add that actor first, or give the slug of one on record.",
    ),
    ({"wikidata_qid": "7747"}, 422, "wikidata_qid: '7747' is not a Wikidata id: it should look like Q7747."),
    ({"aliases": ["ok", "a\x00b"]}, 422, "aliases: must not contain NUL (\\x00) characters."),
    ({"aliases": ["x" * 301]}, 422, "aliases: at most 300 characters; this one has 301."),
]


@pytest.mark.parametrize(("change", "status", "detail"), BAD_CREATES)
def test_bad_input_is_named_and_writes_nothing(
    client: TestClient, db: Session, accounts: Accounts, change: dict[str, Any], status: int, detail: str
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(db)
    response = client.post("/api/v1/actors", json=NEW_ACTOR | change, headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["detail"] == detail
    assert counts(db) == before


def test_a_bad_kind_lists_the_allowed_ones(client: TestClient, db: Session, accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    before = counts(db)
    response = client.post("/api/v1/actors", json=NEW_ACTOR | {"kind": "robot"}, headers=headers)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["allowed"]) == ("kind", KINDS.split(", "))
    assert counts(db) == before


# ---- API: edit ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALLOWED)
def test_an_editor_replaces_the_aliases_and_the_name_stays_one(
    client: TestClient, db: Session, accounts: Accounts, role: Role
) -> None:
    actor = add_actor(client, accounts.token_headers(Role.EDITOR))
    headers = accounts.token_headers(role) | {"If-Match": '"1"'}
    before = counts(db)

    response = client.patch(
        "/api/v1/actors/paul-ronzheimer",
        json={
            "name": "Paul Ronzheimer (Bild)",
            "aliases": ["Ronzheimer", "Пауль Ронцхаймер"],
            "affiliation": None,
        },
        headers=headers,
    )

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    body = response.json()
    assert (body["name"], body["aliases"], body["affiliation"], body["version"]) == (
        "Paul Ronzheimer (Bild)",
        ["Ronzheimer", "Пауль Ронцхаймер"],
        None,
        2,
    )
    assert counts(db) == {
        "actors": before["actors"],
        "actor_aliases": before["actor_aliases"],
        "audit_log": before["audit_log"] + 1,
    }
    assert slugs(client, "/api/v1/actors?name=paul%20ronzheimer%20bild") == ["paul-ronzheimer"]
    assert slugs(client, "/api/v1/actors?name=Пауль%20Ронцхаймер") == ["paul-ronzheimer"]
    assert slugs(client, "/api/v1/actors?name=the%20Bild%20deputy%20editor") == []
    entry = audit_of(db, actor["id"])[-1]
    assert entry.before is not None
    assert entry.after is not None
    changed = {k: (entry.before[k], entry.after[k]) for k in entry.after if entry.before[k] != entry.after[k]}
    assert changed == {
        "name": ("Paul Ronzheimer", "Paul Ronzheimer (Bild)"),
        "affiliation_id": (actor["affiliation"]["id"], None),
        "version": (1, 2),
        "aliases": (["Ronzheimer", "the Bild deputy editor"], ["Ronzheimer", "Пауль Ронцхаймер"]),
    }


def test_an_alias_only_edit_moves_the_version_on(client: TestClient, db: Session, accounts: Accounts) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    add_actor(client, headers)
    response = client.patch(
        "/api/v1/actors/paul-ronzheimer", json={"aliases": []}, headers=headers | {"If-Match": '"1"'}
    )
    assert (response.status_code, response.json()["aliases"], response.json()["version"]) == (200, [], 2)


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_refused_roles_edit_and_delete_nothing(
    client: TestClient, db: Session, accounts: Accounts, role: Role | None, status: int
) -> None:
    add_actor(client, accounts.token_headers(Role.EDITOR))
    headers = accounts.token_headers(role) | {"If-Match": '"1"'}
    before = counts(db)
    patched = client.patch("/api/v1/actors/paul-ronzheimer", json={"name": "Hijacked"}, headers=headers)
    deleted = client.delete("/api/v1/actors/paul-ronzheimer", headers=headers)
    assert (patched.status_code, deleted.status_code) == (status, status)
    assert deleted.json()["detail"].startswith(refused_detail(status))
    assert counts(db) == before
    assert get_json(client, "/api/v1/actors/paul-ronzheimer")["name"] == "Paul Ronzheimer"


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_change_without_if_match_is_428_and_a_stale_one_412(
    client: TestClient, db: Session, accounts: Accounts, method: str
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    add_actor(client, headers)
    url = "/api/v1/actors/paul-ronzheimer"
    assert (
        client.patch(url, json={"role": "Reporter"}, headers=headers | {"If-Match": '"1"'}).status_code == 200
    )
    before = counts(db)
    body = {"json": {"role": "lost"}} if method == "PATCH" else {}

    missing = client.request(method, url, headers=headers, **body)
    stale = client.request(method, url, headers=headers | {"If-Match": '"1"'}, **body)

    assert missing.status_code == 428
    assert (stale.status_code, stale.json()["current_version"]) == (412, 2)
    assert counts(db) == before
    assert get_json(client, url)["role"] == "Reporter"


@pytest.mark.parametrize(
    ("change", "status", "detail"),
    [
        ({"slug": "bild"}, 409, "An actor with the slug 'bild' exists already."),
        ({"name": None}, 422, "name: an actor needs a name."),
        ({"wikidata_qid": "Q0"}, 422, "wikidata_qid: 'Q0' is not a Wikidata id: it should look like Q7747."),
        (
            {"affiliation": "nobody-at-all"},
            422,
            "affiliation: there is no actor 'nobody-at-all' on record to be affiliated with; "
            "add that actor first, or give the slug of one on record.",
        ),
        (
            {"affiliation": "paul-ronzheimer"},
            422,
            "affiliation: Paul Ronzheimer cannot be affiliated with themselves, directly or through the "
            "actors they are affiliated with.",
        ),
    ],
)
def test_a_bad_edit_is_named_and_changes_nothing(
    client: TestClient, db: Session, accounts: Accounts, change: dict[str, Any], status: int, detail: str
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    add_actor(client, headers)
    before = counts(db)
    response = client.patch(
        "/api/v1/actors/paul-ronzheimer", json=change, headers=headers | {"If-Match": '"1"'}
    )
    assert response.status_code == status, response.text
    assert response.json()["detail"] == detail
    assert counts(db) == before
    assert get_json(client, "/api/v1/actors/paul-ronzheimer")["version"] == 1


def test_an_affiliation_cycle_through_another_actor_is_refused(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    headers = accounts.token_headers(Role.EDITOR)
    bild = get_json(client, "/api/v1/actors/bild")
    before = counts(db)
    # Röpcke is affiliated with Bild: Bild cannot become affiliated with Röpcke.
    response = client.patch(
        "/api/v1/actors/bild",
        json={"affiliation": "julian-ropcke"},
        headers=headers | {"If-Match": f'"{bild["version"]}"'},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        f"affiliation: {bild['name']} cannot be affiliated with themselves, directly or through the actors "
        "they are affiliated with."
    )
    assert counts(db) == before


# ---- API: delete -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALLOWED)
def test_an_actor_nothing_refers_to_is_deleted(
    client: TestClient, db: Session, accounts: Accounts, role: Role
) -> None:
    actor = add_actor(client, accounts.token_headers(Role.EDITOR))
    headers = accounts.token_headers(role) | {"If-Match": '"1"'}
    before = counts(db)

    response = client.delete("/api/v1/actors/paul-ronzheimer", headers=headers)

    assert response.status_code == 204
    assert counts(db) == {
        "actors": before["actors"] - 1,
        "actor_aliases": before["actor_aliases"] - 3,
        "audit_log": before["audit_log"] + 1,
    }
    assert client.get("/api/v1/actors/paul-ronzheimer").status_code == 404
    entry = audit_of(db, actor["id"])[-1]
    assert (entry.action, entry.after) == ("delete", None)
    assert entry.before is not None
    assert (entry.before["name"], entry.before["aliases"]) == (
        "Paul Ronzheimer",
        ["Ronzheimer", "the Bild deputy editor"],
    )


@pytest.mark.parametrize(
    ("slug", "detail", "references"),
    [
        (
            "julian-ropcke",
            "Julian Röpcke cannot be deleted: 2 statements are attributed to them; 3 statements reached a "
            "source through them.",
            {"attributions": 2, "relayed": 3, "affiliated_actors": 0},
        ),
        (
            "bild",
            "Bild cannot be deleted: 2 actors are affiliated with it.",
            {"attributions": 0, "relayed": 0, "affiliated_actors": 2},
        ),
    ],
)
def test_an_actor_something_refers_to_is_kept(
    client: TestClient, db: Session, accounts: Accounts, slug: str, detail: str, references: dict[str, int]
) -> None:
    headers = accounts.token_headers(Role.ADMIN)
    version = get_json(client, f"/api/v1/actors/{slug}")["version"]
    before = counts(db)
    response = client.delete(f"/api/v1/actors/{slug}", headers=headers | {"If-Match": f'"{version}"'})
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == (
        detail + " Change or remove those first (deleted statements count too: an administrator can "
        "restore them)."
    )
    assert {key: body[key] for key in references} == references
    assert counts(db) == before


# ---- browser -----------------------------------------------------------------------------------------------


def form_data(csrf: str, **overrides: str) -> dict[str, str]:
    values = {
        "name": "Paul Ronzheimer",
        "kind": "person",
        "slug": "",
        "role": "Bild deputy editor-in-chief",
        "affiliation": "Bild",
        "wikidata_qid": "Q1906870",
        "aliases": "Ronzheimer\r\n\r\n  the Bild deputy editor \r\n",
    }
    return values | {"csrf_token": csrf} | overrides


@sqlite_only
@pytest.mark.parametrize("role", ALLOWED)
def test_an_editor_adds_an_actor_in_the_browser(
    client: TestClient, db: Session, accounts: Accounts, role: Role
) -> None:
    csrf = accounts.sign_in(role)
    assert one(parse(client.get("/actors").text), "a.add-link").get("href") == "/actors/new"
    form = one(parse(client.get("/actors/new").text), "form.actor-form")
    assert attr(form, "action") == "/actors"
    assert [attr(option, "value") for option in form.select("select[name=kind] option")] == KINDS.split(", ")
    before = counts(db)

    response = client.post("/actors", data=form_data(csrf), follow_redirects=False)

    assert (response.status_code, response.headers["location"]) == (303, "/actors/paul-ronzheimer")
    assert counts(db) == {
        "actors": before["actors"] + 1,
        "actor_aliases": before["actor_aliases"] + 3,
        "audit_log": before["audit_log"] + 1,
    }
    page = parse(client.get("/actors/paul-ronzheimer").text)
    assert [text(li) for li in page.select("dd.actor-aliases li")] == ["Ronzheimer", "the Bild deputy editor"]
    assert text(one(page, "dd.actor-affiliation")) == "Bild"
    assert one(page, "a.edit-link").get("href") == "/actors/paul-ronzheimer/edit"


@sqlite_only
@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_refused_roles_get_no_form_and_write_nothing(
    client: TestClient, db: Session, accounts: Accounts, role: Role | None, status: int
) -> None:
    csrf = accounts.sign_in(role)
    new_form = client.get("/actors/new", follow_redirects=False)
    edit_form = client.get("/actors/bild/edit", follow_redirects=False)
    if role is None:
        assert (new_form.status_code, new_form.headers["location"]) == (303, "/login?next=/actors/new")
        assert (edit_form.status_code, edit_form.headers["location"]) == (
            303,
            "/login?next=/actors/bild/edit",
        )
    else:
        assert (new_form.status_code, edit_form.status_code) == (403, 403)
    assert parse(client.get("/actors/bild").text).select("a.edit-link") == []
    before = counts(db)
    created = client.post("/actors", data=form_data(csrf), follow_redirects=False)
    edited = client.post(
        "/actors/bild/edit",
        data=form_data(csrf, name="Hijacked", kind="outlet", slug="bild", version="1"),
        follow_redirects=False,
    )
    assert (created.status_code, edited.status_code) == (status, status)
    assert text(one(parse(created.text), "p.error-detail")).startswith(refused_detail(status))
    assert counts(db) == before


@pytest.mark.parametrize("csrf", ["", "forged"])
def test_the_actor_forms_need_their_csrf_token(
    client: TestClient, db: Session, accounts: Accounts, csrf: str
) -> None:
    accounts.sign_in(Role.EDITOR)
    version = str(get_json(client, "/api/v1/actors/bild")["version"])
    before = counts(db)
    created = client.post("/actors", data=form_data(csrf))
    edited = client.post(
        "/actors/bild/edit", data=form_data(csrf, name="Forged", slug="bild", version=version)
    )
    assert (created.status_code, edited.status_code) == (403, 403)
    assert "CSRF check failed" in text(one(parse(created.text), "p.error-detail"))
    assert counts(db) == before


@sqlite_only
@pytest.mark.parametrize(
    ("overrides", "status", "field", "detail"),
    [
        ({"name": ""}, 422, "name", "name: an actor needs a name."),
        (
            {"name": "\u200b \u2060"},
            422,
            "name",
            "name: must contain visible text, not only spaces or invisible characters (such as U+200B).",
        ),
        ({"kind": "robot"}, 422, "kind", f"kind: 'robot' is not a kind of actor; allowed: {KINDS}."),
        ({"slug": "bild"}, 409, "slug", "An actor with the slug 'bild' exists already."),
        (
            {"wikidata_qid": "wd:1"},
            422,
            "wikidata_qid",
            "wikidata_qid: 'wd:1' is not a Wikidata id: it should look like Q7747.",
        ),
        (
            {"affiliation": "Daily Planet"},
            422,
            "affiliation",
            "affiliation: there is no actor 'Daily Planet' on record to be affiliated with; "
            "add that actor first, or give the slug of one on record.",
        ),
    ],
)
def test_a_refused_actor_form_keeps_what_was_typed(
    client: TestClient,
    db: Session,
    accounts: Accounts,
    overrides: dict[str, str],
    status: int,
    field: str,
    detail: str,
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    data = form_data(csrf, **overrides)
    before = counts(db)
    response = client.post("/actors", data=data)
    assert response.status_code == status
    page = parse(response.text)
    assert text(one(page, "p.form-error")) == detail
    assert one(page, f"[name={field}]").get("aria-invalid") == "true"
    for name in ("name", "slug", "role", "affiliation", "wikidata_qid"):
        assert one(page, f"input[name={name}]").get("value") == as_parsed(data[name])
    assert textarea_value(one(page, "textarea[name=aliases]")) == as_parsed(data["aliases"])
    assert counts(db) == before


@sqlite_only
def test_invalid_utf8_in_the_actor_form_is_refused(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)
    body = f"name=R%C3%B6pcke+%FF&kind=person&csrf_token={csrf}".encode()
    response = client.post(
        "/actors", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 422
    # Refused before the page reads the form (app/form_encoding.py): an error page names the field.
    assert text(one(parse(response.text), "p.error-detail")).startswith(
        "name: the form sent bytes that are not valid UTF-8"
    )
    assert counts(db) == before


def edit_data(csrf: str, version: int, **overrides: str) -> dict[str, str]:
    return form_data(csrf, slug="paul-ronzheimer", affiliation="bild", version=str(version)) | overrides


@pytest.mark.parametrize("role", ALLOWED)
def test_an_editor_edits_an_actor_in_the_browser(
    client: TestClient, db: Session, accounts: Accounts, role: Role
) -> None:
    actor = add_actor(client, accounts.token_headers(Role.EDITOR))
    csrf = accounts.sign_in(role)
    form = parse(client.get("/actors/paul-ronzheimer/edit").text)
    assert textarea_value(one(form, "textarea[name=aliases]")) == "Ronzheimer\nthe Bild deputy editor"
    assert one(form, "input[name=affiliation]").get("value") == "bild"
    assert one(form, "input[name=version]").get("value") == "1"
    assert attr(one(form, "select[name=kind] option[selected]"), "value") == "person"
    before = counts(db)

    response = client.post(
        "/actors/paul-ronzheimer/edit",
        data=edit_data(csrf, 1, aliases="Ronzheimer\nRonzi", affiliation=""),
        follow_redirects=False,
    )

    assert (response.status_code, response.headers["location"]) == (303, "/actors/paul-ronzheimer")
    assert counts(db) == {
        "actors": before["actors"],
        "actor_aliases": before["actor_aliases"],
        "audit_log": before["audit_log"] + 1,
    }
    detail = get_json(client, "/api/v1/actors/paul-ronzheimer")
    assert (detail["aliases"], detail["affiliation"], detail["version"]) == (["Ronzheimer", "Ronzi"], None, 2)
    entry = audit_of(db, actor["id"])[-1]
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["aliases"], entry.after["aliases"]) == (
        ["Ronzheimer", "the Bild deputy editor"],
        ["Ronzheimer", "Ronzi"],
    )


def test_a_stale_actor_form_shows_what_changed_and_keeps_the_typed_values(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    api = accounts.token_headers(Role.EDITOR)
    add_actor(client, api)
    patched = client.patch(
        "/api/v1/actors/paul-ronzheimer",
        json={"role": "Reporter", "aliases": ["Ronzheimer"]},
        headers=api | {"If-Match": '"1"'},
    )
    assert patched.status_code == 200
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)

    response = client.post("/actors/paul-ronzheimer/edit", data=edit_data(csrf, 1, name="Paul R."))

    assert response.status_code == 409
    page = parse(response.text)
    notice = one(page, ".changed-meanwhile")
    assert [
        (attr(row, "data-field"), text(one(row, "td.then")), text(one(row, "td.now")))
        for row in notice.select("tr[data-field]")
    ] == [
        ("role", "Bild deputy editor-in-chief", "Reporter"),
        ("aliases", "Ronzheimer; the Bild deputy editor", "Ronzheimer"),
    ]
    assert one(page, "input[name=name]").get("value") == "Paul R."
    assert one(page, "input[name=version]").get("value") == "2"
    assert counts(db) == before
    assert get_json(client, "/api/v1/actors/paul-ronzheimer")["name"] == "Paul Ronzheimer"


@sqlite_only
def test_a_bad_actor_edit_keeps_the_typed_values(client: TestClient, db: Session, accounts: Accounts) -> None:
    add_actor(client, accounts.token_headers(Role.EDITOR))
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)
    response = client.post(
        "/actors/paul-ronzheimer/edit", data=edit_data(csrf, 1, kind="robot", role="Kept role")
    )
    assert response.status_code == 422
    page = parse(response.text)
    assert text(one(page, "p.form-error")) == f"kind: 'robot' is not a kind of actor; allowed: {KINDS}."
    assert one(page, "input[name=role]").get("value") == "Kept role"
    assert counts(db) == before


@sqlite_only
def test_an_actor_form_without_its_version_says_to_reload_the_actor(
    client: TestClient, db: Session, accounts: Accounts
) -> None:
    add_actor(client, accounts.token_headers(Role.EDITOR))
    csrf = accounts.sign_in(Role.EDITOR)
    before = counts(db)

    response = client.post(
        "/actors/paul-ronzheimer/edit", data=edit_data(csrf, 1, role="Kept") | {"version": ""}
    )

    assert response.status_code == 422
    page = parse(response.text)
    assert text(one(page, "p.form-error")).startswith(
        "The form does not say which version of the actor it was based on."
    )
    assert one(page, "input[name=role]").get("value") == "Kept"
    assert counts(db) == before
