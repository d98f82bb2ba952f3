"""The hasher for system-generated temporary passwords (decision in docs/security.md).

A temporary password is 14 characters drawn at random from 56 (about 81
bits): no dictionary or rule finds it, so what slows an attacker holding
the database is the size of that space, not the hasher's cost. A salted
PBKDF2-SHA256 of a few iterations is then as safe as Argon2 and lets an
import of 10,000 employees store their passwords in about a second instead
of half an hour. It is never used for a password a person chose: Argon2
stays first in PASSWORD_HASHERS, and Django re-stores the password with
Argon2 the first time it is used to log in.

Storing is fast; checking at the login is not: ``check_password_evenly``
gives every check the cost of one check with the preferred hasher (Argon2),
so the login's timing does not tell a temporary password from a chosen one,
or either from an unknown ID.
"""

from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher, check_password, get_hasher, identify_hasher, is_password_usable,
    make_password,
)
from django.utils.crypto import get_random_string


class TemporaryPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_temporary"
    iterations = 1000


def temporary_password_hash(raw: str) -> str:
    """The stored form of a system-generated temporary password."""
    return make_password(raw, hasher=TemporaryPasswordHasher())


_dummy_hashes: dict[tuple, str] = {}


def _dummy_hash(hasher) -> str:
    """A hash of a random password with ``hasher`` at its current parameters, made once per process."""
    key = (type(hasher), hasher.algorithm)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = make_password(get_random_string(20), hasher=hasher)
    return _dummy_hashes[key]


def check_password_evenly(password: str, encoded: str | None, setter=None) -> bool:
    """Whether ``password`` matches ``encoded`` (None: there is no account), at
    the cost of exactly one check with the preferred hasher at its current
    parameters whatever ``encoded`` is: a hash of another hasher (a
    temporary password), older parameters, an unusable password or none at
    all pay one dummy check of the preferred hasher besides their own.

    A right password stored with another hasher is re-stored with the
    preferred one through ``setter`` (Django's upgrade), which costs the same
    as the dummy check, so it replaces it.
    """
    preferred = get_hasher("default")
    try:
        hasher = identify_hasher(encoded) if encoded and is_password_usable(encoded) else None
    except ValueError:  # a hasher no longer installed
        hasher = None
    if hasher is None:
        check_password(password, _dummy_hash(preferred))
        return False
    upgraded = False

    def upgrade(raw):
        nonlocal upgraded
        upgraded = True
        if setter is not None:
            setter(raw)

    correct = check_password(password, encoded, upgrade)
    below_cost = hasher.algorithm != preferred.algorithm or preferred.must_update(encoded)
    if below_cost and not upgraded:
        check_password(password, _dummy_hash(preferred))
    return correct
