"""The password policy and the stored hash."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.passwords import hash_password, verify_password
from app.accounts.service import authenticate, create_user
from app.config import get_settings
from app.errors import InvalidInput
from app.models import AuditEntry, User
from app.vocabulary import Role

pytestmark = pytest.mark.usefixtures("production_password_hashing")


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
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # RFC 9106, low memory
    assert password not in user.password_hash
    assert verify_password(user.password_hash, password)
    assert not verify_password(user.password_hash, password + "!")
    (created,) = session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "users", AuditEntry.object_id == user.id)
    )
    assert created.after is not None
    assert "password_hash" not in created.after
    assert password not in str(created.after)


def test_a_hash_below_the_production_cost_is_upgraded_at_the_next_sign_in(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tests' cheap hashing, were it ever on in production, would leave no weak hash behind."""
    password = "violet-harbour-lamp-42"
    user = create_user(session, "marta", password, Role.EDITOR, by="test")
    monkeypatch.setenv("CLAIMTRACK_PASSWORD_HASHING", "argon2id-cheapest-for-tests")
    get_settings.cache_clear()
    user.password_hash = hash_password(password)
    assert user.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    monkeypatch.setenv("CLAIMTRACK_PASSWORD_HASHING", "argon2id")
    get_settings.cache_clear()

    assert authenticate(session, "marta", password, address="192.0.2.1") is user
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(user.password_hash, password)
