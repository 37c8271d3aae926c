"""Hashing of passwords, payment passwords and SMS codes with argon2id (argon2-cffi)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@cache
def password_hasher() -> PasswordHasher:
    """Login and payment passwords: argon2id with the library's recommended parameters."""
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def code_hasher() -> PasswordHasher:
    """SMS codes: argon2id, lighter (a code lives 5 minutes and allows 5 tries)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def hash_secret(hasher: PasswordHasher, secret: str) -> str:
    """The argon2id hash of `secret`."""
    return hasher.hash(secret)


def verify_secret(hasher: PasswordHasher, stored: str | None, secret: str) -> bool:
    """True if `secret` matches `stored`; always spends the time of one verification.

    With no stored hash (an unknown phone) a dummy hash is checked, so that a wrong
    phone and a wrong password take the same time.
    """
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(hasher.verify(stored or _dummy(hasher), secret)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(hasher: PasswordHasher, stored: str) -> bool:
    """True when `stored` was made with weaker parameters than the hasher's now."""
    return bool(hasher.check_needs_rehash(stored))


_DUMMIES: dict[int, str] = {}


def _dummy(hasher: PasswordHasher) -> str:
    key = id(hasher)
    if key not in _DUMMIES:
        _DUMMIES[key] = hasher.hash("not a password of anyone")
    return _DUMMIES[key]
