"""Health: a run that cannot reach Halo leaves its reason, shown as a banner on every console page until a run
gets through."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from halo_accounts.config import Settings
from halo_accounts.console import create_console
from halo_accounts.halo import HaloClient
from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
from halo_accounts.sandbox.quickbooks import Company
from halo_accounts.store import Store
from halo_accounts.sync import SyncEngine

PASSWORD = "correct horse battery"


def test_an_unreachable_halo_is_a_banner(tmp_path: Path) -> None:
    settings = Settings()
    settings.store.path = str(tmp_path / "store.sqlite3")
    with Company(tmp_path / "qb.sqlite3", edition="UK") as company, Store.open(tmp_path / "store.sqlite3") as store, \
            HaloClient("http://127.0.0.1:9", "demo", "secret", timeout=1.0, sleep=lambda s: None) as halo:
        report = SyncEngine(halo, QuickBooksLedger(company), store, settings).run()
    assert report.status == "interrupted"
    web = TestClient(create_console(settings), base_url="https://testserver")
    web.post("/setup", data={"password": PASSWORD, "again": PASSWORD})
    for page in ("/", "/held", "/runs"):
        text = web.get(page).text
        assert 'class="banner" role="alert">The last run stopped: Halo could not be reached' in text, page
