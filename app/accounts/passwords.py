"""Password policy and hashing (Argon2id)."""

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.config import get_settings
from app.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 1024
_HASHERS = {
    "argon2id": PasswordHasher(),  # argon2-cffi's defaults: Argon2id, RFC 9106 low-memory profile
    "argon2id-cheapest-for-tests": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}


def _hasher() -> PasswordHasher:
    return _HASHERS[get_settings().password_hashing]


@lru_cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of leaked password lists, as zxcvbn ranks them."""
    # zxcvbn is a dependency for its list only: its strength estimate is not this policy (NIST SP
    # 800-63B asks for a minimum length and a blocklist, not composition rules). Imported here: the
    # module is 800 kB of source, which only a new password needs.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_policy(password: str, *, user_name: str) -> None:
    """Refuse a password that is too short, too long, common, or the account's own name."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"The password is too short: use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"The password is too long: use at most {MAX_LENGTH} characters.")
    if password.lower() in common_passwords():
        raise InvalidInput("That password is one of the most common ones: choose another.")
    if user_name.lower() in password.lower():
        raise InvalidInput("The password must not contain the account name.")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


# Verifying against this when the account does not exist keeps a failed login's timing the same
# whether or not the name is taken.
DUMMY_HASH = _HASHERS["argon2id"].hash("claimtrack-dummy-password")
