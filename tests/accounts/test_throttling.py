"""Failed sign-ins are throttled per account and address, and nobody can lock the owner out."""

import threading
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.service import (
    ACCOUNT_LIMIT,
    ADDRESS_BLOCK,
    ADDRESS_LIMIT,
    THROTTLE_WINDOW,
    TooManyAttempts,
    check_throttle,
    record_failure,
)
from app.config import Settings
from app.main import create_app
from app.models import LoginThrottle
from app.models.base import utcnow
from app.vocabulary import Role
from tests.accounts.test_sign_in import login_csrf, sign_in
from tests.conftest import PASSWORD, Accounts
from tests.helpers import attr, one, parse, text

TESTCLIENT_ADDRESS = "testclient"  # what Starlette's TestClient reports as request.client.host
OTHER_ADDRESS = "203.0.113.7"
OWNER_ADDRESS = "192.0.2.10"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], None]:
    """Stop the accounts service's clock; the test moves it forward by hand."""
    now = [utcnow()]
    monkeypatch.setattr(service, "utcnow", lambda: now[0])

    def advance(by: timedelta) -> None:
        now[0] += by

    return advance


def _pair(session: Session, name: str, address: str) -> LoginThrottle | None:
    return session.get(LoginThrottle, f"pair:{name}|{address}")


def test_repeated_failures_get_429_but_another_address_still_signs_in(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, clock: Callable[[timedelta], None]
) -> None:
    client, _session = client_and_session
    accounts.user(Role.EDITOR, name="erin")
    for _attempt in range(4):  # three free failures, and a fourth that starts the wait
        assert sign_in(client, "erin", "wrong-password-1").status_code == 401
    refused = sign_in(client, "erin")  # even the right password waits
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "2"
    document = parse(refused.text)
    assert text(one(document, "p.form-error")) == "Too many failed sign-ins. Try again in 2 seconds."
    assert attr(one(document, "#login-name"), "value") == "erin"

    elsewhere = TestClient(client.app, client=(OTHER_ADDRESS, 50000))
    assert sign_in(elsewhere, "erin").status_code == 303

    clock(timedelta(seconds=3))
    assert sign_in(client, "erin").status_code == 303


def test_a_success_clears_the_pair_counter(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, clock: Callable[[timedelta], None]
) -> None:
    client, session = client_and_session
    accounts.user(Role.EDITOR, name="erin")
    for _attempt in range(3):
        assert sign_in(client, "erin", "wrong-password-1").status_code == 401
    pair = _pair(session, "erin", TESTCLIENT_ADDRESS)
    assert pair is not None
    assert (pair.failures, pair.blocked_until) == (3, None)
    assert sign_in(client, "erin", PASSWORD).status_code == 303
    assert _pair(session, "erin", TESTCLIENT_ADDRESS) is None
    client.cookies.clear()
    for _attempt in range(3):  # three free failures again
        assert sign_in(client, "erin", "wrong-password-1").status_code == 401


def _from(client: TestClient, host: str) -> TestClient:
    """A client of the same app whose connection comes from `host`."""
    return TestClient(client.app, client=(host, 50000))


def test_forwarded_addresses_are_not_believed_by_default(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, clock: Callable[[timedelta], None]
) -> None:
    """Without a trusted proxy, a rotating X-Forwarded-For gets no more tries: the peer is the client."""
    client, session = client_and_session
    accounts.user(Role.EDITOR, name="erin")
    for attempt in range(4):
        forged = {"X-Forwarded-For": f"198.51.100.{attempt}"}
        response = client.post(
            "/login",
            data={"name": "erin", "password": "wrong-password-1", "csrf_token": login_csrf(client)},
            headers=forged,
        )
        assert response.status_code == 401
    pair = _pair(session, "erin", TESTCLIENT_ADDRESS)
    assert pair is not None
    assert pair.failures == 4
    assert session.get(LoginThrottle, "address:198.51.100.0") is None
    assert sign_in(client, "erin").status_code == 429
    assert sign_in(_from(client, OTHER_ADDRESS), "erin").status_code == 303  # the owner, elsewhere


def test_a_trusted_proxy_names_the_client(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, clock: Callable[[timedelta], None]
) -> None:
    client, session = client_and_session
    same = client.app
    assert isinstance(same, FastAPI)
    behind_proxy = create_app(
        Settings(trusted_proxies=["10.0.0.0/8"]), session_factory=same.state.session_factory
    )
    proxy = TestClient(behind_proxy, client=("10.0.0.5", 50000))
    stranger = TestClient(behind_proxy, client=(OTHER_ADDRESS, 50000))
    accounts.user(Role.EDITOR, name="erin")
    forwarded = {"X-Forwarded-For": "192.0.2.50, 10.0.0.9"}  # the client, then an inner proxy
    for sender in (proxy, stranger):
        response = sender.post(
            "/login",
            data={"name": "erin", "password": "wrong-password-1", "csrf_token": login_csrf(sender)},
            headers=forwarded,
        )
        assert response.status_code == 401
    through_proxy = _pair(session, "erin", "192.0.2.50")
    from_stranger = _pair(session, "erin", OTHER_ADDRESS)  # not a proxy: its header is not believed
    assert through_proxy is not None
    assert from_stranger is not None
    assert (through_proxy.failures, from_stranger.failures) == (1, 1)
    assert _pair(session, "erin", "10.0.0.5") is None


def test_failures_from_many_addresses_do_not_keep_the_owner_out(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, clock: Callable[[timedelta], None]
) -> None:
    client, session = client_and_session
    owner = _from(client, OWNER_ADDRESS)
    accounts.user(Role.EDITOR, name="erin")
    assert sign_in(owner, "erin").status_code == 303  # the owner has signed in from here before
    owner.cookies.clear()
    for attempt in range(ACCOUNT_LIMIT + 50):  # an attacker, failing on purpose from many addresses
        record_failure(session, "erin", f"198.51.{attempt // 250}.{attempt % 250}")
    session.flush()

    assert sign_in(owner, "erin").status_code == 303
    check_throttle(session, "erin", OWNER_ADDRESS)
    # A new address waits until the attack's window ends, and not for longer.
    with pytest.raises(TooManyAttempts) as refused:
        check_throttle(session, "erin", "203.0.113.99")
    assert 0 < refused.value.retry_after <= THROTTLE_WINDOW.total_seconds()
    clock(THROTTLE_WINDOW + timedelta(seconds=1))
    check_throttle(session, "erin", "203.0.113.99")


def test_below_the_account_limit_a_new_address_signs_in(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, clock: Callable[[timedelta], None]
) -> None:
    client, session = client_and_session
    accounts.user(Role.EDITOR, name="erin")
    for attempt in range(ACCOUNT_LIMIT - 1):
        record_failure(session, "erin", f"198.51.{attempt // 250}.{attempt % 250}")
    session.flush()
    assert sign_in(_from(client, OWNER_ADDRESS), "erin").status_code == 303


def test_each_failure_of_a_pair_doubles_its_wait_up_to_five_minutes(
    session: Session, clock: Callable[[timedelta], None]
) -> None:
    waits = []
    for _attempt in range(20):
        record_failure(session, "erin", "192.0.2.1")
        try:
            check_throttle(session, "erin", "192.0.2.1")
            waits.append(0)
        except TooManyAttempts as refused:
            waits.append(refused.retry_after)
    assert waits[:12] == [0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert set(waits[12:]) == {300}
    check_throttle(session, "erin", "192.0.2.2")  # another address is not slowed down


def test_an_address_failing_on_many_accounts_is_refused_except_where_it_signed_in(
    client_and_session: tuple[TestClient, Session], accounts: Accounts, clock: Callable[[timedelta], None]
) -> None:
    client, session = client_and_session
    shared = _from(client, OWNER_ADDRESS)  # an office's address, say
    accounts.user(Role.EDITOR, name="erin")
    assert sign_in(shared, "erin").status_code == 303
    shared.cookies.clear()
    for attempt in range(ADDRESS_LIMIT):
        record_failure(session, f"nobody-{attempt}", OWNER_ADDRESS)
    session.flush()
    with pytest.raises(TooManyAttempts) as refused:
        check_throttle(session, "someone-else", OWNER_ADDRESS)
    assert refused.value.retry_after == ADDRESS_BLOCK.total_seconds()
    assert sign_in(shared, "erin").status_code == 303


def test_failures_at_the_same_moment_are_all_counted(empty_engine: Engine) -> None:
    """Two tries of one pair at once: neither fails on the new row, and neither failure is lost."""
    name, address = f"race-{uuid.uuid4().hex[:8]}", "198.51.100.9"
    errors: list[BaseException] = []

    def second_try() -> None:
        try:
            with Session(empty_engine) as other:
                record_failure(other, name, address)
                other.commit()
        except BaseException as error:
            errors.append(error)

    try:
        with Session(empty_engine) as first:
            record_failure(first, name, address)  # holds its new rows until it commits
            racer = threading.Thread(target=second_try)
            racer.start()
            racer.join(timeout=0.5)  # the other try now waits on those rows (or on SQLite's lock)
            first.commit()
        racer.join(timeout=30)
        assert not racer.is_alive()
        assert errors == []
        with Session(empty_engine) as check:
            pair = _pair(check, name, address)
            assert pair is not None
            assert pair.failures == 2
    finally:
        with Session(empty_engine) as cleanup:
            cleanup.execute(delete(LoginThrottle).where(LoginThrottle.key.contains(name)))
            cleanup.execute(delete(LoginThrottle).where(LoginThrottle.key == f"address:{address}"))
            cleanup.commit()
