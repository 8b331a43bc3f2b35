"""The console's unmatched customers: the package's closest names and case twins offered, one click links the Halo
client (its Accounts ID set in Halo, the hold lifted, a retry queued for the next update)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from starlette.testclient import TestClient
from sync_world import FAST, small_seed

from halo_accounts.config import Settings
from halo_accounts.console import create_console
from halo_accounts.halo import HaloClient
from halo_accounts.ledgers.port import Customer, LedgerInfo
from halo_accounts.sandbox.halo import HaloSandbox
from halo_accounts.store import Store
from halo_accounts.sync import queued, snapshot
from halo_accounts.sync.context import LedgerIndex

PASSWORD = "correct horse battery"


def test_a_held_customer_is_linked_in_one_click(tmp_path: Path) -> None:
    seed = small_seed(3)
    client_id = seed["clients"][1]["id"]
    seed["clients"][1]["name"] = "ACME  LTD"
    with HaloSandbox(seed, rate_limit=FAST) as halo:
        settings = Settings()
        settings.store.path = str(tmp_path / "store.sqlite3")
        with Store.open(tmp_path / "store.sqlite3") as store:
            package = [Customer(name="Acme Ltd", ref="80000001-1"), Customer(name="Acme Holdings", ref="80000002-1"),
                       Customer(name="Zebra Farms", ref="80000003-1")]
            index = LedgerIndex(loader=lambda: iter(package), ref_of=lambda c: c.ref, name_of=lambda c: c.name)
            index.by_ref("x")  # loaded, as after a run
            snapshot.save(store, SimpleNamespace(info=LedgerInfo(kind="quickbooks", edition="UK"), tax_codes={},
                                                 accounts=[], customers=index, products=LedgerIndex(
                                                     loader=lambda: iter(()), ref_of=str, name_of=str)))
            store.hold("customer", str(client_id), "sync.customer_name_twin",
                       "Halo client 'ACME  LTD' has the same name as 'Acme Ltd' but for capitals or spaces.",
                       "Rename one in Halo, or link it.", detail="ACME  LTD")
        console = create_console(settings, halo_factory=lambda s: HaloClient(halo.url, "demo", "demo-secret"))
        web = TestClient(console, base_url="https://testserver")
        web.post("/setup", data={"password": PASSWORD, "again": PASSWORD})
        page = web.get("/mappings/customers")
        assert "Link to 'Acme Ltd' (same name but for capitals or spaces)" in page.text
        assert "Zebra Farms" not in page.text  # not close
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        done = web.post("/mappings/customers", data={"csrf": csrf, "halo_id": str(client_id), "ref": "80000001-1"})
        assert "linked to &#39;80000001-1&#39;" in done.text and "Every customer is matched" in done.text
        assert next(c for c in halo.export()["clients"] if c["id"] == client_id)["accountsid"] == "80000001-1"
        with Store.open(tmp_path / "store.sqlite3") as store:
            assert store.held(kind="customer") == []
            assert f"customer:{client_id}" in queued.pending_retry(store)
            store.hold("customer", str(client_id), "sync.customer_name_twin", "Halo client 'ACME  LTD' clashes.",
                       "Rename one in Halo.", detail="ACME  LTD")
        page = web.get("/mappings/customers")
        renamed = web.post("/mappings/customers", data={"csrf": csrf, "halo_id": str(client_id),
                                                       "new_name": "Acme Ltd (Leeds)"})
        assert "renamed &#39;Acme Ltd (Leeds)&#39;" in renamed.text
        assert next(c for c in halo.export()["clients"] if c["id"] == client_id)["name"] == "Acme Ltd (Leeds)"
        with Store.open(tmp_path / "store.sqlite3") as store:
            assert store.held(kind="customer") == []
            assert [e.action for e in store.journal_entries(kind="customer")][-1] == "rename"
