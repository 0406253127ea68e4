"""Changing one's own password on /account, an admin's reset, and `claimtrack users set-password`."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.passwords import verify_password
from app.db import create_db_engine, make_session_factory
from app.models import AuditEntry, LoginSession, LoginThrottle, User
from app.vocabulary import Role
from tests.accounts.test_sign_in import cookie_value, is_signed_in_with, sign_in
from tests.conftest import PASSWORD, Accounts, Claimtrack, sqlite_only
from tests.helpers import attr, one, page, parse, text

# Pages and markup (the database does not change the HTML), and the hashing at its production cost.
pytestmark = [pytest.mark.usefixtures("production_password_hashing"), sqlite_only]

NEW_PASSWORD = "sturdy-lantern-harvest-31"


def _csrf(client: TestClient, url: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text)
    assert found is not None
    return found.group(1)


def _audit(session: Session, user: User) -> list[tuple[str, str]]:
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "users", AuditEntry.object_id == user.id)
        .order_by(AuditEntry.id)
    )
    return [(entry.user_name, entry.action) for entry in entries]


def _sessions_of(session: Session, user: User) -> int:
    return len(session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)).all())


def _change(client: TestClient, current: str, new: str, repeat: str | None = None) -> tuple[int, str]:
    form = {
        "current_password": current,
        "new_password": new,
        "new_password_repeat": new if repeat is None else repeat,
        "csrf_token": _csrf(client, "/account"),
    }
    response = client.post("/account/password", data=form, follow_redirects=False)
    return response.status_code, response.text


@pytest.mark.parametrize(
    ("current", "new", "repeat", "status", "message"),
    [
        (
            "not-the-password",
            NEW_PASSWORD,
            None,
            422,
            "The current password is wrong: your password was not changed.",
        ),
        (
            PASSWORD,
            NEW_PASSWORD,
            NEW_PASSWORD + "x",
            422,
            "The two new passwords differ: type the same new password twice.",
        ),
        (PASSWORD, "short-pass1", None, 422, "The password is too short: use at least 12 characters."),
        (
            PASSWORD,
            "qwerty123456",
            None,
            422,
            "That password is one of the most common ones: choose another.",
        ),
        (PASSWORD, "erin-and-her-cat", None, 422, "The password must not contain the account name."),
        (PASSWORD, PASSWORD, None, 422, "The new password is the current one: choose another."),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(
    client_and_session: tuple[TestClient, Session],
    accounts: Accounts,
    current: str,
    new: str,
    repeat: str | None,
    status: int,
    message: str,
) -> None:
    client, session = client_and_session
    erin = accounts.user(Role.EDITOR, name="erin")
    assert sign_in(client, "erin").status_code == 303
    before = erin.password_hash

    code, html = _change(client, current, new, repeat)
    assert code == status
    document = parse(html)
    assert text(one(document, "p.password-error")) == message
    for field in ("#current-password", "#new-password", "#new-password-repeat"):
        assert one(document, field).get("value") is None
    assert new not in html
    session.refresh(erin)
    assert erin.password_hash == before
    assert erin.password_changed_at is None
    assert _audit(session, erin) == [("test", "create")]
    assert client.get("/account", follow_redirects=False).status_code == 200  # still signed in


def test_a_wrong_current_password_counts_as_a_failed_sign_in(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    accounts.user(Role.EDITOR, name="erin")
    assert sign_in(client, "erin").status_code == 303
    for _attempt in range(4):
        assert _change(client, "not-the-password", NEW_PASSWORD)[0] == 422
    pair = session.get(LoginThrottle, "pair:erin|testclient")
    assert pair is not None
    assert pair.failures == 4
    code, html = _change(client, PASSWORD, NEW_PASSWORD)  # even the right one waits now
    assert code == 429
    assert text(one(parse(html), "p.password-error")) == "Too many failed sign-ins. Try again in 2 seconds."


def test_changing_the_password_signs_out_the_other_sessions_and_renews_this_one(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    erin = accounts.user(Role.EDITOR, name="erin")
    laptop = TestClient(client.app)
    old_laptop = cookie_value(sign_in(laptop, "erin"))
    old_here = cookie_value(sign_in(client, "erin"))
    assert _sessions_of(session, erin) == 2

    form = {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_repeat": NEW_PASSWORD,
        "csrf_token": _csrf(client, "/account"),
    }
    changed = client.post("/account/password", data=form, follow_redirects=False)
    assert (changed.status_code, changed.headers["location"]) == (303, "/account?password=changed")
    new_here = cookie_value(changed)
    assert new_here != old_here
    notice = one(page(client, "/account?password=changed"), "p.password-changed")
    assert text(notice) == "Your password is changed. Any other session of your account is signed out."
    assert _sessions_of(session, erin) == 1

    assert not is_signed_in_with(laptop, old_laptop)
    assert not is_signed_in_with(client, old_here)
    assert is_signed_in_with(client, new_here)
    client.cookies.clear()
    assert sign_in(client, "erin", PASSWORD).status_code == 401
    assert sign_in(client, "erin", NEW_PASSWORD).status_code == 303

    session.refresh(erin)
    assert verify_password(erin.password_hash, NEW_PASSWORD)
    assert erin.password_changed_at is not None
    assert _audit(session, erin) == [("test", "create"), ("erin", "password_change")]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "password_change")).one()
    assert entry.after is not None
    assert "password_hash" not in entry.after
    assert entry.after["password_changed_at"] is not None


def test_an_admin_sets_a_new_password_and_every_session_of_the_account_ends(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, session = client_and_session
    fred = accounts.user(Role.FACT_CHECKER, name="fred")
    freds_browser = TestClient(client.app)
    freds_cookie = cookie_value(sign_in(freds_browser, "fred"))

    accounts.sign_in(Role.ADMIN, name="ada")
    link = one(page(client, "/admin/users?from=fred"), "tr#user-fred a.password-link")
    assert attr(link, "href") == "/admin/users/fred/password"
    assert not page(client, "/admin/users?from=ada").select("tr#user-ada a.password-link")
    form_page = page(client, "/admin/users/fred/password")
    assert text(one(form_page, "h1")) == "New password for fred"
    csrf = attr(one(form_page, "form.reset-password-form input[name=csrf_token]"), "value")

    def reset(password: str, repeat: str | None = None, csrf_token: str = csrf) -> tuple[int, str]:
        form = {"password": password, "password_repeat": repeat or password, "csrf_token": csrf_token}
        response = client.post("/admin/users/fred/password", data=form, follow_redirects=False)
        return response.status_code, response.text

    assert reset(NEW_PASSWORD, csrf_token="forged")[0] == 403
    for password, repeat, message in [
        ("short-pass1", None, "The password is too short: use at least 12 characters."),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords differ: type the same password twice."),
    ]:
        code, html = reset(password, repeat)
        assert code == 422
        assert text(one(parse(html), "p.form-error")) == message
        assert password not in html
    assert is_signed_in_with(freds_browser, freds_cookie)

    code, _html = reset(NEW_PASSWORD)
    assert code == 303
    assert not is_signed_in_with(freds_browser, freds_cookie)
    assert _sessions_of(session, fred) == 0
    freds_browser.cookies.clear()
    assert sign_in(freds_browser, "fred", PASSWORD).status_code == 401
    assert sign_in(freds_browser, "fred", NEW_PASSWORD).status_code == 303
    assert _audit(session, fred) == [("test", "create"), ("ada", "password_reset")]


def test_an_admin_changes_their_own_password_on_the_account_page(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, _session = client_and_session
    csrf = accounts.sign_in(Role.ADMIN, name="ada")
    form = {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD, "csrf_token": csrf}
    response = client.post("/admin/users/ada/password", data=form, follow_redirects=False)
    assert response.status_code == 409
    assert text(one(parse(response.text), "p.form-error")) == (
        "Change your own password on your account page: it asks for your current one, "
        "and keeps you signed in."
    )
    assert client.get("/account", follow_redirects=False).status_code == 200


def test_only_admins_set_other_peoples_passwords(
    client_and_session: tuple[TestClient, Session], accounts: Accounts
) -> None:
    client, _session = client_and_session
    accounts.user(Role.VIEWER, name="fred")
    csrf = accounts.sign_in(Role.EDITOR, name="erin")
    assert client.get("/admin/users/fred/password").status_code == 403
    form = {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD, "csrf_token": csrf}
    refused = client.post("/admin/users/fred/password", data=form, follow_redirects=False)
    assert refused.status_code == 403
    assert "This needs the admin role or higher" in text(one(parse(refused.text), "main"))
    assert sign_in(TestClient(client.app), "fred", PASSWORD).status_code == 303


def test_set_password_from_the_command_line(fresh_database_url: str, claimtrack: Claimtrack) -> None:
    """The password piped on standard input as `users create` reads it."""
    url = fresh_database_url
    assert (
        claimtrack(url, "users", "create", "dana", "--role", "editor", stdin=PASSWORD + "\n").exit_code == 0
    )
    common = claimtrack(url, "users", "set-password", "dana", stdin="qwerty123456\n")
    assert (common.exit_code, common.stderr) == (
        1,
        "claimtrack: That password is one of the most common ones: choose another.\n",
    )
    nobody = claimtrack(url, "users", "set-password", "nobody", stdin=NEW_PASSWORD + "\n")
    assert (nobody.exit_code, nobody.stderr) == (1, "claimtrack: There is no account 'nobody'.\n")
    changed = claimtrack(url, "users", "set-password", "Dana", stdin=NEW_PASSWORD + "\n")
    assert (changed.exit_code, changed.stdout) == (
        0,
        "claimtrack: dana has a new password; its sessions are signed out.\n",
    )

    engine = create_db_engine(fresh_database_url)
    try:
        with make_session_factory(engine)() as session:
            dana = session.scalars(select(User).where(User.name == "dana")).one()
            assert verify_password(dana.password_hash, NEW_PASSWORD)
            assert dana.password_hash.startswith("$argon2id$")
            assert _audit(session, dana) == [("cli", "create"), ("cli", "password_reset")]
    finally:
        engine.dispose()
