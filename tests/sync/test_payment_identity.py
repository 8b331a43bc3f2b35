"""Payments matched by the package's own id (issue 8.2): QuickBooks RefNumbers are not unique and can be edited
(qbxml/NOTES.md §3.6), so links keep the TxnID and the customer, and payments are matched by both."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sync_world import World, small_seed

from halo_accounts.ledgers.quickbooks.qbxml.build import other_value
from halo_accounts.ledgers.quickbooks.qbxml.envelope import child, document, element
from halo_accounts.sync.mapping import external_key


def _world(world: Any) -> World:
    seed = small_seed(30)
    seed["payments"] = []
    w = world(seed)
    report = w.engine().run()
    assert report.count("invoice", "posted") >= 2
    return w


def _ours(w: World) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(Halo invoice, QuickBooks invoice) for each invoice this sync posted, found by our key in `Other`."""
    by_key = {t.get("Other"): t for t in w.qb("invoice")}
    out = []
    for inv in w.invoices().values():
        txn = by_key.get(other_value(external_key(w.tenant, inv["id"])))
        if txn is not None and inv["posted"]:
            out.append((inv, txn))
    return out


def _hand_keyed_invoice(w: World, customer_list_id: str, ref_number: str, amount: str) -> str:
    """An invoice keyed in QuickBooks by a user (no key of ours), through qbXML like any other; its TxnID."""
    item = next(i for i in w.qb("item") if i.get("Name") and i.get("SalesOrPurchase"))
    rq = element("InvoiceAddRq", requestID="1")
    add = child(rq, "InvoiceAdd")
    child(child(add, "CustomerRef"), "ListID", customer_list_id)
    child(add, "TxnDate", "2026-11-20")
    child(add, "RefNumber", ref_number)
    line = child(add, "InvoiceLineAdd")
    child(child(line, "ItemRef"), "ListID", item["ListID"])
    child(line, "Amount", amount)
    answer = w.company.process(document([rq], "13.0"))
    assert 'statusCode="0"' in answer, answer
    return next(t["TxnID"] for t in w.qb("invoice") if t["RefNumber"] == ref_number and not t.get("Other"))


def test_links_keep_the_txn_id_and_customer(world: Any) -> None:
    w = _world(world)
    pairs = _ours(w)
    assert len(pairs) >= 2
    for inv, txn in pairs:
        link = w.store.get_link("invoice", str(inv["id"]))
        assert link is not None
        assert link.ledger_ref == txn["TxnID"] != txn["RefNumber"]
        assert link.number == txn["RefNumber"] == inv["thirdpartyinvoicenumber"]
        assert link.customer_ref == txn["CustomerRef"]["ListID"]


def test_payment_on_a_hand_keyed_invoice_with_our_number_is_not_ours(world: Any) -> None:
    w = _world(world)
    inv, txn = _ours(w)[0]
    other = next(c for c in w.qb("customer") if c["ListID"] != txn["CustomerRef"]["ListID"])
    theirs = _hand_keyed_invoice(w, other["ListID"], txn["RefNumber"], "75.00")
    w.company.add_payment(other["ListID"], {theirs: Decimal("75.00")}, "2026-11-21", ref_number="CHQ9")
    report = w.engine().run()
    assert report.count("payment", "paid") == 0
    assert not [p for p in w.export()["payments"] if p.get("thirdpartyid")]
    assert w.invoices()[inv["id"]].get("paymentstatus", 0) == 0


def test_payment_on_a_renumbered_invoice_reaches_it_once(world: Any) -> None:
    w = _world(world)
    inv, txn = _ours(w)[0]
    w.company.renumber("invoice", txn["TxnID"], "R-" + txn["RefNumber"][-6:])
    total = Decimal(str(inv["total"]))
    w.company.add_payment(txn["CustomerRef"]["ListID"], {txn["TxnID"]: total}, "2026-11-22", ref_number="BACS1")
    report = w.engine().run()
    assert report.count("payment", "paid") == 1
    keyed = [p for p in w.export()["payments"] if p.get("thirdpartyid")]
    assert [(p["invoice_id"], Decimal(str(p["amount"]))) for p in keyed] == [(inv["id"], total)]
    w.engine().run()
    assert len([p for p in w.export()["payments"] if p.get("thirdpartyid")]) == 1


def test_old_style_link_by_number_is_upgraded_only_when_quickbooks_confirms_it_is_ours(world: Any) -> None:
    w = _world(world)
    (inv, txn), (inv2, txn2) = _ours(w)[:2]
    # Links as a store from before this change holds them: the reference is the RefNumber, no customer.
    for halo, qb in ((inv, txn), (inv2, txn2)):
        link = w.store.get_link("invoice", str(halo["id"]))
        assert link is not None
        w.store.unlink("invoice", str(halo["id"]))
        w.store.link("invoice", str(halo["id"]), qb["RefNumber"], number=qb["RefNumber"],
                     fingerprint=link.fingerprint)
    # A hand-keyed invoice reusing the first number for another customer, paid: not ours.
    other = next(c for c in w.qb("customer") if c["ListID"] != txn["CustomerRef"]["ListID"])
    theirs = _hand_keyed_invoice(w, other["ListID"], txn["RefNumber"], "40.00")
    w.company.add_payment(other["ListID"], {theirs: Decimal("40.00")}, "2026-11-21")
    # Our second invoice paid: found through the old link, confirmed by our key, and the link upgraded.
    w.company.add_payment(txn2["CustomerRef"]["ListID"], {txn2["TxnID"]: Decimal("10.00")}, "2026-11-21")
    report = w.engine().run()
    keyed = [p for p in w.export()["payments"] if p.get("thirdpartyid")]
    assert [(p["invoice_id"], Decimal(str(p["amount"]))) for p in keyed] == [(inv2["id"], Decimal("10.00"))]
    assert report.count("payment", "paid") == 1
    upgraded = w.store.get_link("invoice", str(inv2["id"]))
    assert upgraded is not None and upgraded.ledger_ref == txn2["TxnID"]
    assert upgraded.customer_ref == txn2["CustomerRef"]["ListID"]
