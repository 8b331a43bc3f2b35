"""Credit notes by type, not sign (issue 8.5): Halo says which documents are credit notes (its `includecredits`/
`includeinvoices` lists, halo/NOTES.md §7.1), so a credit note keyed with positive amounts goes to the package as
a credit (QuickBooks credit memo, Sage SC), for the amount Halo has, never as an invoice."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sync_world import small_seed

from halo_accounts.sandbox.halo.conventions import CREDIT_NOTE_TYPE

sys.path.insert(0, str(Path(__file__).parent.parent / "sage"))

from sage_world import SERVICE, make_world, sage_seed


def _positive_credit(seed: dict[str, Any]) -> int:
    """An unposted invoice of the seed turned into a credit note whose lines are positive."""
    excluded = {c["id"] for c in seed["clients"] if c.get("excludefrominvoicesync")}
    inv = next(i for i in seed["invoices"] if not i.get("posted") and not i.get("requires_approval")
               and i["client_id"] not in excluded and i["invoicenumber"].startswith("INV"))
    inv["invoicenumber"] = "CN" + inv["invoicenumber"][3:]
    inv["invoicetype"] = CREDIT_NOTE_TYPE
    inv.pop("total", None)
    assert all(float(line["qty_order"]) > 0 for line in inv["lines"])
    return int(inv["id"])


def test_a_positive_credit_note_becomes_a_quickbooks_credit_memo(world: Any) -> None:
    seed = small_seed(12)
    cid = _positive_credit(seed)
    w = world(seed)
    w.engine().run()
    link = w.store.get_link("credit", str(cid))
    assert link is not None and w.store.get_link("invoice", str(cid)) is None
    assert link.ledger_ref in {t["TxnID"] for t in w.qb("creditmemo")}
    assert link.ledger_ref not in {t["TxnID"] for t in w.qb("invoice")}
    halo = w.invoices()[cid]
    memo = next(t for t in w.qb("creditmemo") if t["TxnID"] == link.ledger_ref)
    assert abs(float(memo["Subtotal"]) + float(memo["SalesTaxTotal"]) - float(halo["total"])) <= 0.01
    compared, differences = w.amount_differences()
    assert compared and not differences


def test_a_positive_credit_note_becomes_a_sage_credit(tmp_path: Path) -> None:
    seed = sage_seed(12, route=SERVICE, unposted=True)
    cid = _positive_credit(seed)
    w = make_world(tmp_path, seed)
    try:
        w.engine().run()
        assert w.store.get_link("credit", str(cid)) is not None
        number = str(w.invoices()[cid]["thirdpartyinvoicenumber"])
        assert number in {str(h["INV_REF"]).strip() for h in w.headers(2)}  # NOTES §1.9.3: SC
        assert number not in {str(h["INV_REF"]).strip() for h in w.headers(1)}
        compared, differences = w.amount_differences()
        assert compared and not differences
    finally:
        w.close()
