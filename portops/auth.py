"""Password and token hashing (standard library only; nothing secret is ever stored in clear).

Passwords: scrypt at the OWASP Password Storage Cheat Sheet's recommendation (N=2^17, r=8,
p=1: 128 MiB and a few hundred milliseconds a hash), which makes guessing a stolen hash
expensive. A hash made with a lower cost (portops before issue 16 used N=2^14) still verifies
and is replaced at its owner's next successful sign-in (:func:`needs_rehash`).

The test suite creates hundreds of users; it alone may lower the cost, by setting
``PORTOPS_TEST_ONLY_SCRYPT_N`` (``tests/conftest.py``). Nothing in portops sets it, and a value
that is not a power of two of at least 2^4 is ignored.

API tokens are 256 random bits: a single SHA-256 is enough to store them (nobody can guess
one, so a slow hash would buy nothing) and lets a token be looked up by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

#: scrypt's cost: OWASP's recommendation for scrypt (2023-): N=2^17, r=8, p=1.
RECOMMENDED_N, _R, _P = 2**17, 8, 1


def _cost() -> int:
    """N for new hashes: the recommendation, or the test suite's explicit cheaper one."""
    given = os.environ.get("PORTOPS_TEST_ONLY_SCRYPT_N", "")
    if given.isdigit():
        n = int(given)
        if n >= 16 and n & (n - 1) == 0:
            return n
    return RECOMMENDED_N


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    # 128 * n * r bytes of memory; hashlib refuses above 32 MiB unless told
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=256 * n * r + 1024 * 1024)


def hash_password(password: str) -> str:
    n = _cost()
    salt = os.urandom(16)
    digest = _scrypt(password, salt, n, _R, _P, 32)
    b64 = base64.b64encode
    return f"scrypt${n}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        got = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(got, expected)


def needs_rehash(stored: str | None) -> bool:
    """A stored hash made with a lower cost than new ones get (rehashed at the next sign-in)."""
    if not stored or not stored.startswith("scrypt$"):
        return False
    try:
        _, n, r, p, *_rest = stored.split("$")
        return (int(n), int(r), int(p)) < (_cost(), _R, _P)
    except ValueError:
        return False


_DUMMY: dict[int, str] = {}


def waste_a_verification(password: str) -> None:
    """Spend what verifying ``password`` against a real hash costs, for a name that has no
    account (or no password): an unknown name then takes as long to refuse as a wrong
    password, so timing does not tell which user names exist."""
    n = _cost()
    if n not in _DUMMY:
        _DUMMY[n] = hash_password(secrets.token_urlsafe(16))
    verify_password(password, _DUMMY[n])


#: What every API token starts with (says what it is in a log or a leaked file).
TOKEN_PREFIX = "pot_"


def new_token() -> str:
    """A new API token: ``pot_`` and 256 random bits (43 URL-safe characters)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.strip().encode()).hexdigest()
