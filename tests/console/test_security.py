"""The console's locks, over HTTP with Starlette's test client: first-run password, sessions behind an HttpOnly,
SameSite=Strict (and, over HTTPS, Secure) cookie, CSRF on every form, failed logins slowed, no secret rendered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from halo_accounts.config import Settings
from halo_accounts.console import create_console
from halo_accounts.console.security import ADMIN_CURSOR, Throttle, hash_password, verify_password
from halo_accounts.store import Store

PASSWORD = "correct horse battery"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings()
    s.store.path = str(tmp_path / "store.sqlite3")
    return s


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def _logged_in(settings: Settings) -> TestClient:
    client = TestClient(create_console(settings), base_url="https://testserver")
    page = client.get("/setup")
    assert page.status_code == 200
    done = client.post("/setup", data={"password": PASSWORD, "again": PASSWORD}, follow_redirects=False)
    assert done.status_code == 303
    return client


def test_first_run_asks_for_a_password_and_keeps_only_its_hash(settings: Settings) -> None:
    client = TestClient(create_console(settings), base_url="https://testserver")
    assert client.get("/", follow_redirects=False).headers["location"] == "/setup"
    short = client.post("/setup", data={"password": "short", "again": "short"})
    assert "at least 10 characters" in short.text
    done = client.post("/setup", data={"password": PASSWORD, "again": PASSWORD}, follow_redirects=False)
    cookie = done.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie
    with Store.open(Path(settings.store.path)) as store:
        stored = store.get_cursor(ADMIN_CURSOR) or ""
    assert PASSWORD not in stored and verify_password(PASSWORD, stored) and not verify_password("wrong", stored)
    assert client.get("/setup", follow_redirects=False).headers["location"] == "/login"  # only once


def test_pages_need_a_session_and_forms_need_the_csrf_token(settings: Settings) -> None:
    client = _logged_in(settings)
    home = client.get("/")
    assert home.status_code == 200 and "Health" in home.text
    assert home.headers["content-security-policy"].startswith("default-src 'self'")
    assert client.post("/pause", data={"action": "pause"}).status_code == 403  # no token
    assert client.post("/pause", data={"action": "pause", "csrf": "forged"}).status_code == 403
    ok = client.post("/pause", data={"action": "pause", "csrf": _csrf(home.text)})
    assert ok.status_code == 200 and "Syncing is paused" in ok.text
    stranger = TestClient(create_console(settings), base_url="https://testserver")
    assert stranger.get("/held", follow_redirects=False).headers["location"] == "/login"


def test_wrong_passwords_are_refused_and_slowed(settings: Settings) -> None:
    _logged_in(settings)
    app = create_console(settings)
    client = TestClient(app, base_url="https://testserver")
    throttle: Throttle = app.state.console.throttle
    assert client.post("/login", data={"password": "nope"}).status_code == 401
    first = throttle.delay("testclient")
    client.post("/login", data={"password": "nope again"})
    assert throttle.delay("testclient") > first > 0
    good = client.post("/login", data={"password": PASSWORD}, follow_redirects=False)
    assert good.status_code == 303 and throttle.delay("testclient") == 0


def test_the_wizard_never_renders_the_secret_back(settings: Settings) -> None:
    client = _logged_in(settings)
    page = client.get("/wizard")
    answer = client.post("/wizard", data={"csrf": _csrf(page.text), "url": "http://127.0.0.1:9", "tenant": "",
                                          "client_id": "demo", "secret": "s3cret-value-42", "action": "check"})
    assert answer.status_code == 200
    assert "s3cret-value-42" not in answer.text
    assert "error" in answer.text  # nothing listens there: a plain message, not a traceback


def test_hashes_are_salted() -> None:
    assert hash_password(PASSWORD) != hash_password(PASSWORD)
