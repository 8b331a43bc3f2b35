"""The console's locks: the admin password (scrypt-hashed, kept in the store), sessions held in memory behind an
HttpOnly, SameSite=Strict cookie (Secure over HTTPS), a CSRF token per session checked on every form, and login
attempts slowed after each failure."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

ADMIN_CURSOR = "console.admin_password"
COOKIE = "halo_console"
# OWASP Password Storage Cheat Sheet: scrypt with N=2^17, r=8, p=1; 2^14 keeps a login under 0.1 s on a small PC
# while still costing an attacker 16 MiB per guess.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
PASSWORD_MIN = 10  # NIST SP 800-63B §5.1.1.2: at least 8; we ask 10 of an admin
SESSION_IDLE = 8 * 3600  # seconds a session lives without use (a working day)
FAILURE_DELAY = 0.5  # seconds after the first failed login, doubled per failure ...
FAILURE_DELAY_MAX = 8.0  # ... up to this


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


@dataclass
class Session:
    token: str
    csrf: str
    last_used: float = field(default_factory=time.monotonic)


class Sessions:
    def __init__(self, idle: float = SESSION_IDLE) -> None:
        self._idle = idle
        self._by_token: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self) -> Session:
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32))
        with self._lock:
            self._by_token[session.token] = session
        return session

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self._lock:
            session = self._by_token.get(token)
            if session is None:
                return None
            if time.monotonic() - session.last_used > self._idle:
                del self._by_token[token]
                return None
            session.last_used = time.monotonic()
            return session

    def drop(self, token: str | None) -> None:
        with self._lock:
            self._by_token.pop(token or "", None)

    def drop_all(self) -> None:
        with self._lock:
            self._by_token.clear()


class Throttle:
    """Failed logins per client address: each one makes the next attempt wait longer."""

    def __init__(self) -> None:
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()

    def delay(self, key: str) -> float:
        with self._lock:
            n = self._failures.get(key, 0)
        return 0.0 if n == 0 else min(FAILURE_DELAY * 2 ** (n - 1), FAILURE_DELAY_MAX)

    def failed(self, key: str) -> None:
        with self._lock:
            self._failures[key] = self._failures.get(key, 0) + 1

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


def csrf_ok(session: Session, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf, str(sent))
