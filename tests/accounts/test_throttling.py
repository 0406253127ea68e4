"""Failed sign-ins are throttled per account and address, without locking a real user out for long."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.service import ACCOUNT_LIMIT, TooManyAttempts, check_throttle, record_failure
from app.models import LoginThrottle
from app.models.base import utcnow
from app.vocabulary import Role
from tests.accounts.test_sign_in import sign_in
from tests.conftest import PASSWORD, Accounts
from tests.helpers import attr, one, parse, text

TESTCLIENT_ADDRESS = "testclient"  # what Starlette's TestClient reports as request.client.host
OTHER_ADDRESS = "203.0.113.7"


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


def test_the_blocks_are_short(session: Session) -> None:
    """An attacker failing on purpose keeps a real user out for 5 minutes at most."""
    for attempt in range(ACCOUNT_LIMIT):
        record_failure(session, "erin", f"198.51.100.{attempt}")
    for _attempt in range(30):
        record_failure(session, "erin", "192.0.2.1")
    session.flush()
    now = utcnow()
    account = session.get(LoginThrottle, "account:erin")
    pair = _pair(session, "erin", "192.0.2.1")
    assert account is not None
    assert pair is not None
    for blocked_until in (account.blocked_until, pair.blocked_until):
        assert isinstance(blocked_until, datetime)
        assert now < blocked_until <= now + timedelta(minutes=5)
    with pytest.raises(TooManyAttempts) as refused:
        check_throttle(session, "erin", "203.0.113.99")
    assert 0 < refused.value.retry_after <= 300
