"""Web Connector credentials: the password is kept only as a salted hash; tickets are long and unique."""

from __future__ import annotations

from halo_accounts.ledgers.quickbooks.webconnector.auth import (
    Credentials,
    hash_password,
    new_ticket,
    verify_password,
)


def test_hash_verifies_and_hides_the_password() -> None:
    encoded = hash_password("correct horse")
    assert "correct horse" not in encoded and encoded.startswith("scrypt$")
    assert verify_password("correct horse", encoded)
    assert not verify_password("correct hors", encoded)
    assert not verify_password("", encoded)


def test_each_hash_has_its_own_salt() -> None:
    assert hash_password("same") != hash_password("same")


def test_damaged_hash_never_verifies() -> None:
    for bad in ("", "plain", "md5$x$y", "scrypt$a$b$c$d$e", "scrypt$16384$8$1$!!$!!"):
        assert not verify_password("x", bad)


def test_credentials_check_both_name_and_password_and_hide_the_hash() -> None:
    creds = Credentials.from_password("qbwc", "pw")
    assert creds.check("qbwc", "pw")
    assert not creds.check("QBWC", "pw")
    assert not creds.check("qbwc", "PW")
    assert "scrypt" not in repr(creds) and "pw" not in repr(creds).replace("password_hash", "")


def test_tickets_are_unguessable() -> None:
    tickets = {new_ticket() for _ in range(200)}
    assert len(tickets) == 200
    assert all(len(t) >= 43 for t in tickets)  # 32 random bytes, base64url
