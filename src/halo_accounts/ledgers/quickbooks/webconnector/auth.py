"""Web Connector credentials and tickets: the password kept only as a salted hash, tickets unguessable.

Comparisons are constant-time so the answer time says nothing about how close a guess was.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

# scrypt cost: n=2**14, r=8, p=1 is the interactive-login setting recommended by the scrypt paper and
# Python's hashlib docs; ~16 MiB and a few tens of milliseconds per check.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32
# 32 random bytes = 256 bits: far beyond guessing over HTTP (Python secrets docs recommend >= 32 bytes).
_TICKET_BYTES = 32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$key`` for ``password`` with a fresh random salt."""
    salt = salt if salt is not None else secrets.token_bytes(_SALT_BYTES)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=_KEY_BYTES
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches the hash ``encoded`` (constant-time compare)."""
    try:
        scheme, n, r, p, salt, key = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(key)
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


@dataclass(frozen=True)
class Credentials:
    """The one user name and password hash the Web Connector must present."""

    username: str
    password_hash: str = field(repr=False)

    @classmethod
    def from_password(cls, username: str, password: str) -> Credentials:
        return cls(username, hash_password(password))

    def check(self, username: str, password: str) -> bool:
        """Both checks always run, so timing does not reveal which one failed."""
        name_ok = hmac.compare_digest(username.encode("utf-8"), self.username.encode("utf-8"))
        password_ok = verify_password(password, self.password_hash)
        return name_ok and password_ok


def new_ticket() -> str:
    """A fresh session ticket (URL-safe text; the Web Connector treats it as opaque)."""
    return secrets.token_urlsafe(_TICKET_BYTES)
