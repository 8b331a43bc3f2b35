"""Payments keyed in QuickBooks reach Halo's `/api/InvoicePayment` once each, partial ones included, and Halo
then shows the invoices paid or part-paid."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from sync_world import small_seed

from halo_accounts.sync import payments as payments_mod


def _posted(w: Any) -> list[dict[str, Any]]:
    """Invoices this sync posted (the seed's earlier ones were posted before, to another package)."""
    ours = {link.halo_id for link in w.store.links("invoice")}
    return [inv for inv in w.invoices().values() if str(inv["id"]) in ours and inv["posted"]
            and float(inv["total"]) > 0 and not inv.get("amountpaid")]


def test_payments_reach_halo_once_each(world: Any) -> None:
    seed = small_seed(30)
    for inv in seed["invoices"]:  # only our own payments in this test
        inv.pop("payments", None)
    seed["payments"] = []
    w = world(seed)
    w.engine().run()
    invoices = _posted(w)
    assert len(invoices) >= 2
    full, part = invoices[0], invoices[1]
    customers = {c["ListID"]: c for c in w.qb("customer")}
    qb_invoices = {t["RefNumber"]: t for t in w.qb("invoice")}

    def customer_of(inv: dict[str, Any]) -> str:
        txn = qb_invoices[inv["thirdpartyinvoicenumber"]]
        ref = txn.get("CustomerRef") or {}
        list_id = ref.get("ListID") if isinstance(ref, dict) else ref
        return str(customers[list_id]["Name"]) if list_id in customers else str(ref)

    w.company.add_payment(customer_of(full), {full["thirdpartyinvoicenumber"]: Decimal(str(full["total"]))},
                          "2026-11-20", ref_number="CHQ1")
    half = (Decimal(str(part["total"])) / 2).quantize(Decimal("0.01"))
    w.company.add_payment(customer_of(part), {part["thirdpartyinvoicenumber"]: half}, "2026-11-21",
                          ref_number="BACS2")
    report = w.engine().run()
    assert report.count("payment", "paid") == 2, report.as_dict()["counts"]
    pays = w.export()["payments"]
    keyed = [p for p in pays if p.get("thirdpartyid")]
    assert len(keyed) == 2
    by_invoice = {p["invoice_id"]: p for p in keyed}
    assert Decimal(str(by_invoice[part["id"]]["amount"])) == half
    after = w.invoices()
    assert after[full["id"]]["paymentstatus"] == 2  # paid (sandbox conventions PAYMENT_STATUS)
    assert after[part["id"]]["paymentstatus"] == 1  # part paid
    # Run again, and again with the cursor removed: still one Halo payment per QuickBooks payment.
    w.engine().run()
    w.store.set_cursor(payments_mod.CURSOR, "2000-01-01T00:00:00+00:00")
    w.engine().run()
    counted = Counter(p["thirdpartyid"] for p in w.export()["payments"] if p.get("thirdpartyid"))
    assert counted and all(n == 1 for n in counted.values())
