"""The message catalogue: codes unique, every message ends with a fix, placeholders filled by render."""

from __future__ import annotations

import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.messages import catalogue, render


def test_every_message_has_text_and_fix() -> None:
    entries = catalogue()
    assert len(entries) >= 5
    for code, entry in entries.items():
        assert entry.code == code
        assert entry.text.strip(), code
        assert entry.fix.strip(), f"{code} has no fix"


def test_render_fills_placeholders() -> None:
    text, fix = render("config.missing", field="halo.url", path="c.toml", section="halo", env="HALO_ACCOUNTS_HALO_URL")
    assert "halo.url" in text
    assert "HALO_ACCOUNTS_HALO_URL" in fix
    assert "{" not in text + fix


def test_error_carries_message_and_fix() -> None:
    exc = HaloAccountsError("config.exists", path="/x")
    assert exc.message == "/x already exists."
    assert "--force" in exc.fix


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        render("no.such.code")
