"""Every sage.* code the connector can raise is in the catalogue, with a fix, and renders without holes."""

from __future__ import annotations

import re
from pathlib import Path

import halo_accounts.ledgers.sage50uk as package
from halo_accounts.messages import catalogue
from halo_accounts.messages.sage import MESSAGES

SOURCE = Path(package.__file__).parent


def test_codes_used_in_the_connector_exist() -> None:
    used: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        used |= set(re.findall(r'"(sage\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert used, "no codes found"
    missing = used - set(catalogue())
    assert not missing


def test_sage_messages_are_namespaced_and_have_fixes() -> None:
    assert len(MESSAGES) >= 40
    for entry in MESSAGES:
        assert entry.code.startswith("sage.")
        assert entry.text.strip() and entry.fix.strip()
        assert "Traceback" not in entry.text
