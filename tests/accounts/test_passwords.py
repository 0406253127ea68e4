"""The password policy and the stored hash."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.passwords import verify_password
from app.accounts.service import create_user
from app.errors import InvalidInput
from app.models import AuditEntry, User
from app.vocabulary import Role


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("eleven-char", "The password is too short: use at least 12 characters."),
        ("Qwerty123456", "That password is one of the most common ones: choose another."),
        ("my-name-is-Marta-ok", "The password must not contain the account name."),
    ],
)
def test_a_weak_password_is_refused_with_its_reason(session: Session, password: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_user(session, "marta", password, Role.EDITOR, by="test")
    assert refused.value.message == message
    assert session.scalars(select(User).where(User.name == "marta")).first() is None


def test_a_good_password_is_stored_as_an_argon2id_hash(session: Session) -> None:
    password = "violet-harbour-lamp-42"
    user = create_user(session, "Marta", password, Role.EDITOR, by="test")
    session.flush()
    assert user.name == "marta"
    assert user.password_hash.startswith("$argon2id$")
    assert password not in user.password_hash
    assert verify_password(user.password_hash, password)
    assert not verify_password(user.password_hash, password + "!")
    (created,) = session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "users", AuditEntry.object_id == user.id)
    )
    assert created.after is not None
    assert "password_hash" not in created.after
    assert password not in str(created.after)
