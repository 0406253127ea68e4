"""Queries for accounts: users, browser sessions, API tokens and the throttling of failed sign-ins."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload

from app.models import ApiToken, LoginSession, LoginThrottle, User
from app.vocabulary import Role


def user_named(session: Session, name: str) -> User | None:
    """The account of `name`, already folded to lower case."""
    return session.scalars(select(User).where(User.name == name)).one_or_none()


def list_users(session: Session, *, start: str | None, limit: int | None) -> list[User]:
    statement = select(User).order_by(User.name)
    if start is not None:
        statement = statement.where(User.name >= start)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


def has_other_active_admin(session: Session, user: User) -> bool:
    statement = select(User.id).where(
        User.role == Role.ADMIN.value, User.disabled_at.is_(None), User.id != user.id
    )
    return session.scalars(statement.limit(1)).first() is not None


def end_login_sessions(session: Session, user: User) -> None:
    """Delete every browser session of `user`."""
    for login in session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)):
        session.delete(login)


def login_with_token_hash(session: Session, token_hash: str) -> LoginSession | None:
    """The browser session whose cookie hashes to `token_hash`, with its user."""
    statement = (
        select(LoginSession)
        .where(LoginSession.token_hash == token_hash)
        .options(joinedload(LoginSession.user))
    )
    return session.scalars(statement).one_or_none()


def locked_throttle(session: Session, key: str, now: datetime) -> LoginThrottle:
    """The throttle row of `key`, created if missing, locked until the transaction ends.

    Two sign-ins with the same key can run at once (two tabs, or an attacker's parallel tries): a
    read-then-insert would let both insert, and one fail on the primary key; a read-then-increment
    would lose a failure. So the row is inserted unless present, then read under a row lock (on SQLite
    a write transaction already holds the database's lock, begun IMMEDIATE).
    """
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(LoginThrottle)
        .values(key=key, failures=0, window_started_at=now)
        .on_conflict_do_nothing(index_elements=[LoginThrottle.key])
    )
    return session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def live_token_with_hash(session: Session, token_hash: str) -> ApiToken | None:
    """The unrevoked token whose secret hashes to `token_hash`, with its user."""
    statement = (
        select(ApiToken)
        .where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
        .options(joinedload(ApiToken.user))
    )
    return session.scalars(statement).one_or_none()
