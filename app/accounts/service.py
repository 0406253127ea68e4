"""Accounts: users and roles, browser sessions, API tokens, and the throttling of failed logins."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.accounts import repository
from app.accounts.passwords import DUMMY_HASH, check_policy, hash_password, needs_rehash, verify_password
from app.audit.service import record, snapshot
from app.errors import AppError, Conflict, InvalidInput, NotFound
from app.models import ApiToken, LoginSession, LoginThrottle, User
from app.models.base import utcnow
from app.repository import get_by_id
from app.text import clean_field
from app.vocabulary import Role

USER_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
SESSION_LIFETIME = timedelta(days=14)
TOKEN_PREFIX = "ct_"
SECRET_FIELDS = frozenset({"password_hash", "token_hash", "csrf_token"})

# Throttling of failed sign-ins, without CAPTCHAs and without a lock-out that an attacker can impose
# on the real owner (OWASP ASVS 5.0 V6.3):
# - Per (account, address) pair: three free failures, then each failure doubles that pair's wait
#   before its next try, up to 5 minutes. Guessing one account from one address is slowed down; the
#   owner, from their own address, is not affected by failures from anywhere else.
# - Per account over all addresses, against guessing spread over many addresses: past ACCOUNT_LIMIT
#   failures in a window, addresses that never signed in to that account wait for the window's end.
#   The addresses it was signed in to from (within KNOWN_ADDRESS_FOR) go on as before, so that an
#   attacker who fails on purpose from many addresses cannot keep the owner out; the price is that
#   the owner, from a new address, may wait up to 15 minutes while such an attack goes on.
# - Per address over all accounts, against one address trying many accounts: past ADDRESS_LIMIT
#   failures, the address is refused for a while, again except on the accounts it signed in to (an
#   address may be shared by many people: an office, or a proxy whose forwarded headers are not trusted).
THROTTLE_WINDOW = timedelta(minutes=15)
PAIR_FREE_FAILURES = 3
PAIR_MAX_WAIT = timedelta(minutes=5)
ACCOUNT_LIMIT = 100
ADDRESS_LIMIT, ADDRESS_BLOCK = 50, timedelta(minutes=15)
KNOWN_ADDRESS_FOR = timedelta(days=90)


class Unauthenticated(AppError):
    status_code = 401
    title = "Sign-in required"


class TooManyAttempts(AppError):
    status_code = 429
    title = "Too many attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many failed sign-ins. Try again in {retry_after} second{'s' if retry_after != 1 else ''}.",
            details={"retry_after": retry_after},
        )
        self.retry_after = retry_after


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _user_snapshot(user: User) -> dict[str, object]:
    return snapshot(user, exclude=SECRET_FIELDS)


def get_user(session: Session, name: str) -> User:
    user = repository.user_named(session, name.lower())
    if user is None:
        raise NotFound(f"There is no account '{name}'.")
    return user


def get_user_by_id(session: Session, user_id: int) -> User:
    """A signed-in principal's account: already in the request's session, so no query is made."""
    user = get_by_id(session, User, user_id)
    if user is None:
        raise NotFound(f"There is no account {user_id}.")
    return user


def list_users(session: Session, *, start: str | None = None, limit: int | None = None) -> list[User]:
    """Accounts by name: from the name `start` on, at most `limit` of them (all, for the CLI)."""
    return repository.list_users(session, start=start, limit=limit)


def create_user(session: Session, name: str, password: str, role: Role, *, by: str) -> User:
    """Create an account; the name is folded to lower case, the password checked and hashed."""
    name = name.strip().lower()
    if not USER_NAME.fullmatch(name):
        raise InvalidInput(
            "An account name is 2 to 64 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    check_policy(password, user_name=name)
    if repository.user_named(session, name) is not None:
        raise Conflict(f"The account '{name}' exists already.")
    user = User(name=name, password_hash=hash_password(password), role=role.value)
    session.add(user)
    record(session, user_name=by, action="create", row=user, exclude=SECRET_FIELDS)
    return user


def _keep_an_admin(session: Session, user: User, change: str) -> None:
    """Refuse to leave the product without an active admin: nobody could manage accounts then."""
    if user.role != Role.ADMIN.value or not user.is_active:
        return
    if not repository.has_other_active_admin(session, user):
        raise Conflict(
            f"{user.name} is the last active admin: {change} would leave nobody able to manage "
            "accounts. Make another account admin first."
        )


def set_role(session: Session, user: User, role: Role, *, by: str) -> User:
    """Change an account's role; the last active admin cannot be demoted (409)."""
    if user.role == role.value:
        return user  # nothing changes, so nothing is recorded
    if role is not Role.ADMIN:
        _keep_an_admin(session, user, f"making it {role.label}")
    before = _user_snapshot(user)
    user.role = role.value
    record(session, user_name=by, action="role_change", row=user, before=before, exclude=SECRET_FIELDS)
    return user


def disable_user(session: Session, user: User, *, by: str) -> User:
    """Disable an account: it can no longer sign in, and its sessions and tokens stop working."""
    if user.disabled_at is not None:
        return user
    _keep_an_admin(session, user, "disabling it")
    before = _user_snapshot(user)
    user.disabled_at = utcnow()
    repository.end_login_sessions(session, user)
    record(session, user_name=by, action="disable", row=user, before=before, exclude=SECRET_FIELDS)
    return user


# Browser sessions


@dataclass(frozen=True)
class NewLogin:
    """A session just opened; `cookie_value` is the only copy of its secret."""

    login: LoginSession
    cookie_value: str


def _throttle(session: Session, key: str, now: datetime) -> LoginThrottle:
    throttle = repository.locked_throttle(session, key, now)
    if now - throttle.window_started_at > THROTTLE_WINDOW and (
        throttle.blocked_until is None or throttle.blocked_until <= now
    ):
        throttle.failures, throttle.window_started_at, throttle.blocked_until = 0, now, None
    return throttle


@dataclass(frozen=True)
class _ThrottleKeys:
    pair: str
    account: str
    address: str
    known: str
    """Present while this address has signed in to this account lately (see KNOWN_ADDRESS_FOR)."""


def _throttle_keys(name: str, address: str) -> _ThrottleKeys:
    name = name.strip().lower()
    return _ThrottleKeys(
        pair=f"pair:{name}|{address}",
        account=f"account:{name}",
        address=f"address:{address}",
        known=f"known:{name}|{address}",
    )


def _is_known(session: Session, keys: _ThrottleKeys, now: datetime) -> bool:
    known = get_by_id(session, LoginThrottle, keys.known)
    return known is not None and now - known.window_started_at < KNOWN_ADDRESS_FOR


def _wait(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() + 0.999))


def check_throttle(session: Session, name: str, address: str) -> None:
    """Refuse a sign-in attempt while its pair, or for a new address its account or address, waits (429)."""
    now = utcnow()
    keys = _throttle_keys(name, address)
    waits = []
    pair = get_by_id(session, LoginThrottle, keys.pair)
    if pair is not None and pair.blocked_until is not None and pair.blocked_until > now:
        waits.append(pair.blocked_until)
    if not waits and not _is_known(session, keys, now):
        account = get_by_id(session, LoginThrottle, keys.account)
        if (
            account is not None
            and account.failures >= ACCOUNT_LIMIT
            and account.window_started_at + THROTTLE_WINDOW > now
        ):
            waits.append(account.window_started_at + THROTTLE_WINDOW)
        by_address = get_by_id(session, LoginThrottle, keys.address)
        if by_address is not None and by_address.blocked_until is not None and by_address.blocked_until > now:
            waits.append(by_address.blocked_until)
    if waits:
        raise TooManyAttempts(_wait(max(waits), now))


def record_failure(session: Session, name: str, address: str) -> None:
    now = utcnow()
    keys = _throttle_keys(name, address)
    pair = _throttle(session, keys.pair, now)
    pair.failures += 1
    if pair.failures > PAIR_FREE_FAILURES:
        wait = timedelta(seconds=2 ** min(pair.failures - PAIR_FREE_FAILURES, 20))
        pair.blocked_until = now + min(wait, PAIR_MAX_WAIT)
    _throttle(session, keys.account, now).failures += 1  # checked against ACCOUNT_LIMIT, never blocked
    by_address = _throttle(session, keys.address, now)
    by_address.failures += 1
    if by_address.failures >= ADDRESS_LIMIT:
        by_address.blocked_until = now + ADDRESS_BLOCK


def _record_success(session: Session, name: str, address: str) -> None:
    """The pair starts afresh, and the address is known for this account from now on."""
    now = utcnow()
    keys = _throttle_keys(name, address)
    pair = get_by_id(session, LoginThrottle, keys.pair)
    if pair is not None:
        session.delete(pair)
    repository.locked_throttle(session, keys.known, now).window_started_at = now


def authenticate(session: Session, name: str, password: str, *, address: str) -> User:
    """The active account with this name and password; a failure is counted and throttled.

    Call `check_throttle` first. The caller must commit even when this raises, so that the failure
    is counted.
    """
    name = name.strip().lower()
    user = repository.user_named(session, name)
    if user is None:
        verify_password(DUMMY_HASH, password)
    elif verify_password(user.password_hash, password) and user.is_active:
        _record_success(session, name, address)
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return user
    record_failure(session, name, address)
    raise Unauthenticated("The account name or the password is wrong, or the account is disabled.")


def open_session(session: Session, user: User) -> NewLogin:
    """A new session for a user who just signed in: a fresh id every time (no fixation)."""
    secret = secrets.token_urlsafe(32)
    login = LoginSession(
        token_hash=_digest(secret),
        csrf_token=secrets.token_urlsafe(32),
        user_id=user.id,
        expires_at=utcnow() + SESSION_LIFETIME,
    )
    session.add(login)
    session.flush()
    return NewLogin(login=login, cookie_value=secret)


def session_from_cookie(session: Session, cookie_value: str) -> LoginSession | None:
    login = repository.login_with_token_hash(session, _digest(cookie_value))
    if login is None or login.expires_at <= utcnow() or not login.user.is_active:
        return None
    return login


def close_session(session: Session, cookie_value: str) -> None:
    """Sign out: the session is deleted, so its cookie is dead even if it was copied."""
    login = repository.login_with_token_hash(session, _digest(cookie_value))
    if login is not None:
        session.delete(login)


# Passwords


def _set_password(session: Session, user: User, password: str, *, by: str, action: str) -> None:
    """Check and store a new password, and end every session of the account: a session opened with
    the old password (perhaps by whoever learnt it) must not outlive it."""
    check_policy(password, user_name=user.name)
    before = _user_snapshot(user)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    repository.end_login_sessions(session, user)
    record(session, user_name=by, action=action, row=user, before=before, exclude=SECRET_FIELDS)


def change_password(
    session: Session, user: User, current_password: str, new_password: str, *, address: str
) -> NewLogin:
    """A user changes their own password, proving the current one; returns the session that replaces
    all of theirs (the caller's too, under a new id).

    A wrong current password counts as a failed sign-in, throttled alike: a session left open on a
    shared computer must not become a way to guess it. The caller must commit even when this raises.
    """
    check_throttle(session, user.name, address)
    if not verify_password(user.password_hash, current_password):
        record_failure(session, user.name, address)
        raise InvalidInput("The current password is wrong: your password was not changed.")
    if new_password == current_password:
        raise InvalidInput("The new password is the current one: choose another.")
    _set_password(session, user, new_password, by=user.name, action="password_change")
    return open_session(session, user)


def reset_password(session: Session, user: User, new_password: str, *, by: str) -> User:
    """An admin (or the command line) sets an account's password; every session of the account ends."""
    _set_password(session, user, new_password, by=by, action="password_reset")
    return user


# API tokens


@dataclass(frozen=True)
class NewToken:
    """A token just issued; `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


def issue_token(session: Session, user: User, label: str, *, by: str) -> NewToken:
    label = clean_field("label", label) or "API token"
    if len(label) > 100:
        raise InvalidInput("A token's label is at most 100 characters.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, label=label, token_hash=_digest(secret), prefix=secret[:10])
    session.add(token)
    record(session, user_name=by, action="token_issue", row=token, exclude=SECRET_FIELDS)
    return NewToken(token=token, secret=secret)


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return repository.tokens_of(session, user)


def revoke_token(session: Session, user: User, token_id: int, *, by: str) -> ApiToken:
    token = get_by_id(session, ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(f"{user.name} has no token {token_id}.")
    if token.revoked_at is None:
        before = snapshot(token, exclude=SECRET_FIELDS)
        token.revoked_at = utcnow()
        record(session, user_name=by, action="token_revoke", row=token, before=before, exclude=SECRET_FIELDS)
    return token


def user_from_token(session: Session, secret: str) -> User | None:
    token = repository.live_token_with_hash(session, _digest(secret))
    if token is None or not token.user.is_active:
        return None
    return token.user
