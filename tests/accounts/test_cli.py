"""`claimtrack users ...` and `claimtrack tokens create` as an admin runs them, password piped."""

from sqlalchemy import select

from app.accounts.passwords import verify_password
from app.accounts.service import user_from_token
from app.db import create_db_engine, make_session_factory
from app.models import AuditEntry, User
from tests.conftest import Claimtrack

PASSWORD = "copper-kettle-morning-9"


def test_users_and_tokens_from_the_command_line(fresh_database_url: str, claimtrack: Claimtrack) -> None:
    url = fresh_database_url
    assert claimtrack(url, "db", "upgrade").exit_code == 0

    weak = claimtrack(url, "users", "create", "alice", "--role", "editor", stdin="alice-1234567\n")
    assert (weak.exit_code, weak.stderr) == (
        1,
        "claimtrack: The password must not contain the account name.\n",
    )
    created = claimtrack(url, "users", "create", "Alice", "--role", "editor", stdin=PASSWORD + "\n")
    assert (created.exit_code, created.stdout) == (0, "claimtrack: created alice (editor).\n")
    again = claimtrack(url, "users", "create", "alice", "--role", "viewer", stdin=PASSWORD + "\n")
    assert (again.exit_code, again.stderr) == (1, "claimtrack: The account 'alice' exists already.\n")

    promoted = claimtrack(url, "users", "set-role", "alice", "admin")
    assert (promoted.exit_code, promoted.stdout) == (0, "claimtrack: alice is now admin.\n")
    issued = claimtrack(url, "tokens", "create", "alice", "--label", "deploy")
    assert issued.exit_code == 0
    secret = issued.stdout.strip()
    assert secret.startswith("ct_")

    last_admin = claimtrack(url, "users", "disable", "alice")
    assert last_admin.exit_code == 1
    assert last_admin.stderr == (
        "claimtrack: alice is the last active admin: disabling it would leave nobody able to manage "
        "accounts. Make another account admin first.\n"
    )
    assert claimtrack(url, "users", "create", "bob", "--role", "admin", stdin=PASSWORD + "\n").exit_code == 0
    disabled = claimtrack(url, "users", "disable", "alice")
    assert (disabled.exit_code, disabled.stdout) == (
        0,
        "claimtrack: alice is disabled; its sessions and tokens no longer work.\n",
    )

    listed = claimtrack(url, "users", "list")
    assert listed.exit_code == 0
    lines = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [line[:2] for line in lines] == [["alice", "admin"], ["bob", "admin"]]
    assert lines[0][2].startswith("disabled ")
    assert lines[1][2] == "active"

    engine = create_db_engine(url)
    try:
        with make_session_factory(engine)() as session:
            alice = session.scalars(select(User).where(User.name == "alice")).one()
            assert alice.password_hash.startswith("$argon2id$")
            assert verify_password(alice.password_hash, PASSWORD)
            assert user_from_token(session, secret) is None  # disabled: the token no longer works
            actions = session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.object_type == "users", AuditEntry.object_id == alice.id)
                .order_by(AuditEntry.id)
            ).all()
            assert actions == ["create", "role_change", "disable"]
    finally:
        engine.dispose()


def test_the_first_account_can_be_created_before_the_database_exists(
    fresh_database_url: str, claimtrack: Claimtrack
) -> None:
    """A newcomer's first command may be `users create`: it brings the new database to the schema first."""
    created = claimtrack(
        fresh_database_url, "users", "create", "ada", "--role", "admin", stdin=PASSWORD + "\n"
    )
    assert (created.exit_code, created.stdout) == (0, "claimtrack: created ada (admin).\n")
    listed = claimtrack(fresh_database_url, "users", "list")
    assert (listed.exit_code, listed.stdout) == (0, "ada\tadmin\tactive\n")


def test_an_unreachable_database_is_named_without_a_traceback(claimtrack: Claimtrack) -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/claimtrack"
    listed = claimtrack(url, "users", "list")
    assert listed.exit_code == 1
    assert listed.stderr.startswith(
        "claimtrack: cannot use the database postgresql+psycopg://nobody:***@127.0.0.1:1/claimtrack: "
    )
    assert "Traceback" not in listed.stderr
    assert "secret" not in listed.stderr
