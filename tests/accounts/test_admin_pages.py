"""The admin's users page: list, change a role, disable, create; each change audited; one admin kept."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import admin
from app.accounts.service import disable_user, issue_token
from app.models import AuditEntry, User
from app.vocabulary import Role
from tests.conftest import PASSWORD, Accounts, sqlite_only
from tests.helpers import attr, one, page, parse, text

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML


def _audit(session: Session, user: User) -> list[tuple[str, str, dict[str, object] | None]]:
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "users", AuditEntry.object_id == user.id)
        .order_by(AuditEntry.id)
    )
    return [
        (entry.user_name, entry.action, entry.after and {"role": entry.after["role"]}) for entry in entries
    ]


def _row(client: TestClient, name: str) -> dict[str, str]:
    row = one(page(client, "/admin/users"), f"tr#user-{name}")
    return {
        "name": text(one(row, ".user-name")),
        "role": attr(one(row, "select[name=role] option[selected]"), "value"),
        "active": attr(row, "data-active"),
        "state": text(one(row, ".user-state")).split(" ")[0],
    }


def test_only_admins_manage_users(client_and_session: tuple[TestClient, Session], accounts: Accounts) -> None:
    client, _session = client_and_session
    anonymous = client.get("/admin/users", follow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/login?next=/admin/users")
    accounts.sign_in(Role.EDITOR)
    assert "This needs the admin role or higher" in text(
        one(page(client, "/admin/users", status=403), "main")
    )
    accounts.user(Role.FACT_CHECKER, name="fred")
    accounts.sign_in(Role.ADMIN, name="ada")
    document = page(client, "/admin/users")
    assert text(one(document, "h1")) == "Users"
    assert _row(client, "fred") == {
        "name": "fred",
        "role": "fact_checker",
        "active": "true",
        "state": "active",
    }
    assert _row(client, "ada")["name"] == "ada (you)"
    fred = one(document, "tr#user-fred")
    assert attr(one(fred, ".user-created time"), "datetime").endswith("+00:00")
    assert attr(one(fred, "a.disable-link"), "href") == "/admin/users/fred/disable"


def test_changing_a_role_needs_the_form_token_and_is_audited(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    fred = accounts.user(Role.VIEWER, name="fred")
    csrf = accounts.sign_in(Role.ADMIN, name="ada")
    forged = client.post("/admin/users/fred/role", data={"role": "admin"}, follow_redirects=False)
    assert forged.status_code == 403
    assert _row(client, "fred")["role"] == "viewer"

    changed = client.post(
        "/admin/users/fred/role", data={"role": "editor", "csrf_token": csrf}, follow_redirects=False
    )
    assert (changed.status_code, changed.headers["location"]) == (303, "/admin/users?from=fred#user-fred")
    assert _row(client, "fred")["role"] == "editor"
    assert _audit(session, fred) == [
        ("test", "create", {"role": "viewer"}),
        ("ada", "role_change", {"role": "editor"}),
    ]

    same = client.post(
        "/admin/users/fred/role", data={"role": "editor", "csrf_token": csrf}, follow_redirects=False
    )
    assert same.status_code == 303
    assert len(_audit(session, fred)) == 2  # nothing changed, nothing recorded

    unknown = client.post("/admin/users/fred/role", data={"role": "owner", "csrf_token": csrf})
    assert unknown.status_code == 422
    assert text(one(parse(unknown.text), "p.form-error")) == (
        "'owner' is not a role. Use one of: viewer, fact_checker, editor, admin."
    )
    assert (
        client.post("/admin/users/nobody/role", data={"role": "editor", "csrf_token": csrf}).status_code
        == 404
    )


def test_disabling_asks_first_then_ends_the_account(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    fred = accounts.user(Role.EDITOR, name="fred")
    fred_headers = {"Authorization": f"Bearer {_token_of(session, fred)}"}
    assert client.get("/api/v1/audit?limit=1", headers=fred_headers).status_code == 200
    csrf = accounts.sign_in(Role.ADMIN, name="ada")

    confirm = page(client, "/admin/users/fred/disable")
    assert text(one(confirm, "h1")) == "Disable fred?"
    form = one(confirm, "form.disable-form")
    assert (attr(form, "method"), attr(form, "action")) == ("post", "/admin/users/fred/disable")
    assert _row(client, "fred")["active"] == "true"  # asking changed nothing

    assert client.post("/admin/users/fred/disable", follow_redirects=False).status_code == 403
    done = client.post("/admin/users/fred/disable", data={"csrf_token": csrf}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/admin/users?from=fred#user-fred")
    assert _row(client, "fred")["state"] == "disabled"
    assert _audit(session, fred)[-1] == ("ada", "disable", {"role": "editor"})
    assert client.get("/api/v1/audit?limit=1", headers=fred_headers).status_code == 401


def _token_of(session: Session, user: User) -> str:
    issued = issue_token(session, user, "fred's", by=user.name)
    session.flush()
    return issued.secret


def test_creating_an_account_keeps_the_input_on_a_refusal(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.ADMIN, name="ada")

    def create(name: str, role: str, password: str, repeat: str | None = None) -> tuple[int, str]:
        form = {"name": name, "role": role, "password": password, "password_repeat": repeat or password}
        response = client.post("/admin/users", data={**form, "csrf_token": csrf}, follow_redirects=False)
        return response.status_code, response.text

    for password, repeat, status, message in [
        ("Zq9-xw-8t!p", None, 422, "The password is too short: use at least 12 characters."),
        ("password1234", None, 422, "That password is one of the most common ones: choose another."),
        ("nora-the-checker", None, 422, "The password must not contain the account name."),
        (PASSWORD, PASSWORD + "x", 422, "The two passwords differ: type the same password twice."),
    ]:
        code, html = create("nora", "fact_checker", password, repeat)
        assert code == status
        document = parse(html)
        assert text(one(document, "p.form-error")) == message
        assert attr(one(document, "#new-name"), "value") == "nora"
        assert attr(one(document, "#new-role option[selected]"), "value") == "fact_checker"
        assert one(document, "#new-password").get("value") is None
        assert one(document, "#new-password-repeat").get("value") is None
        assert password not in html
    assert session.scalars(select(User).where(User.name == "nora")).first() is None

    assert create("nora", "fact_checker", PASSWORD)[0] == 303
    assert _row(client, "nora") == {
        "name": "nora",
        "role": "fact_checker",
        "active": "true",
        "state": "active",
    }
    nora = session.scalars(select(User).where(User.name == "nora")).one()
    assert _audit(session, nora) == [("ada", "create", {"role": "fact_checker"})]

    code, html = create("nora", "editor", PASSWORD)
    assert code == 409
    assert text(one(parse(html), "p.form-error")) == "The account 'nora' exists already."


def test_the_last_active_admin_cannot_demote_or_disable_themselves(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    csrf = accounts.sign_in(Role.ADMIN, name="ada")
    ada = session.scalars(select(User).where(User.name == "ada")).one()
    message = (
        "ada is the last active admin: {} would leave nobody able to manage accounts. "
        "Make another account admin first."
    )
    demoted = client.post("/admin/users/ada/role", data={"role": "editor", "csrf_token": csrf})
    assert demoted.status_code == 409
    assert text(one(parse(demoted.text), "p.form-error")) == message.format("making it editor")
    disabled = client.post("/admin/users/ada/disable", data={"csrf_token": csrf})
    assert disabled.status_code == 409
    assert text(one(parse(disabled.text), "p.form-error")) == message.format("disabling it")
    assert _row(client, "ada")["role"] == "admin"
    assert _audit(session, ada) == [("test", "create", {"role": "admin"})]

    # A disabled admin does not count; a second active one does.
    disable_user(session, accounts.user(Role.ADMIN, name="cid"), by="test")
    assert (
        client.post("/admin/users/ada/role", data={"role": "editor", "csrf_token": csrf}).status_code == 409
    )
    accounts.user(Role.ADMIN, name="bea")
    assert (
        client.post(
            "/admin/users/ada/role", data={"role": "editor", "csrf_token": csrf}, follow_redirects=False
        ).status_code
        == 303
    )
    assert _audit(session, ada)[-1] == ("ada", "role_change", {"role": "editor"})


def test_the_accounts_are_listed_a_page_at_a_time(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, session = client_and_session
    monkeypatch.setattr(admin, "USERS_PER_PAGE", 3)
    accounts.sign_in(Role.ADMIN, name="ada")
    for name in ("bea", "cy", "dot", "eve", "fay"):
        session.add(User(name=name, password_hash="!unusable", role=Role.VIEWER.value))
    session.flush()
    names = list(session.scalars(select(User.name).order_by(User.name)))

    shown: list[str] = []
    url: str | None = "/admin/users"
    while url is not None:
        document = page(client, url)
        listed = [attr(row, "data-name") for row in document.select("tr.user-row")]
        assert 0 < len(listed) <= 3
        shown += listed
        following = document.select("nav.pager a.next-page")
        url = "/admin/users" + attr(following[0], "href") if following else None

    assert shown == names
    # A change leads back to the page that starts with the account changed, at its row.
    rows = page(client, "/admin/users?from=eve").select("tr.user-row")
    assert [attr(row, "id") for row in rows] == ["user-eve", "user-fay"]
