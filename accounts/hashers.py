"""The hasher for system-generated temporary passwords (decision in docs/security.md).

A temporary password is 14 characters drawn at random from 56 (about 81
bits): no dictionary or rule finds it, so what slows an attacker holding
the database is the size of that space, not the hasher's cost. A salted
PBKDF2-SHA256 of a few iterations is then as safe as Argon2 and lets an
import of 10,000 employees store their passwords in about a second instead
of half an hour. It is never used for a password a person chose: Argon2
stays first in PASSWORD_HASHERS, and Django re-stores the password with
Argon2 the first time it is used to log in.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password


class TemporaryPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_temporary"
    iterations = 1000


def temporary_password_hash(raw: str) -> str:
    """The stored form of a system-generated temporary password."""
    return make_password(raw, hasher=TemporaryPasswordHasher())
