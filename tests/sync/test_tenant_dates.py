"""Dates in the tenant's day (issue 8.3): Halo sends naive UTC (halo/NOTES.md §2 [I]), so a UK invoice dated
1 July in British Summer Time arrives as 30 June 23:00 and must still be dated 1 July in the package; payment dates
go back to Halo as the start of the tenant's day, in UTC."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sync_world import World, small_seed

from halo_accounts.errors import HaloAccountsError


def _bst_invoice(seed: dict[str, Any]) -> int:
    excluded = {c["id"] for c in seed["clients"] if c.get("excludefrominvoicesync")}
    inv = next(i for i in seed["invoices"] if not i.get("posted") and not i.get("requires_approval")
               and i["client_id"] not in excluded and i["invoicenumber"].startswith("INV"))
    inv["invoice_date"] = "2026-06-30T23:00:00"  # 1 July 00:00 BST, as Halo stores it
    inv["duedate"] = "2026-07-30T23:00:00"  # 31 July 00:00 BST
    return int(inv["id"])


def _posted_txn(w: World, halo_id: int) -> dict[str, Any]:
    link = w.store.get_link("invoice", str(halo_id))
    assert link is not None
    return next(t for t in w.qb("invoice") if t["TxnID"] == link.ledger_ref)


def test_a_bst_invoice_is_dated_in_the_tenants_day(world: Any) -> None:
    seed = small_seed(12, control={"server_time_zone": "GMT Standard Time"})
    iid = _bst_invoice(seed)
    w = world(seed)
    w.engine().run()
    txn = _posted_txn(w, iid)
    assert txn["TxnDate"] == "2026-07-01"
    assert txn["DueDate"] == "2026-07-31"


def test_the_configured_zone_wins_over_halos(world: Any) -> None:
    seed = small_seed(12, control={"server_time_zone": "GMT Standard Time"})
    iid = _bst_invoice(seed)
    w = world(seed)
    w.settings.halo.timezone = "America/New_York"  # 30 June 19:00 there
    w.engine().run()
    assert _posted_txn(w, iid)["TxnDate"] == "2026-06-30"


def test_a_payment_date_reaches_halo_as_the_start_of_the_tenants_day(world: Any) -> None:
    seed = small_seed(12, control={"server_time_zone": "Europe/London"})
    seed["payments"] = []
    iid = _bst_invoice(seed)
    w = world(seed)
    w.engine().run()
    txn = _posted_txn(w, iid)
    w.company.add_payment(txn["CustomerRef"]["ListID"], {txn["TxnID"]: Decimal("10.00")}, "2026-07-01")
    w.engine().run()
    paid = [p for p in w.export()["payments"] if p.get("thirdpartyid")]
    assert [str(p["date"]).replace("Z", "")[:19] for p in paid] == ["2026-06-30T23:00:00"]


def test_an_unknown_zone_is_refused_naming_the_setting(world: Any) -> None:
    w = world(small_seed(6))
    w.settings.halo.timezone = "Middle Earth/Shire"
    with pytest.raises(HaloAccountsError) as caught:
        w.engine().run()
    assert caught.value.code == "sync.timezone_unknown"
    assert "[halo] timezone" in str(caught.value)
