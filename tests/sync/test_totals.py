"""Totals to the penny (issue 8.1): every amount of a Halo invoice reaches QuickBooks, or the invoice is held.

A Halo line with no item (or an item excluded from the accounts sync) would be a QuickBooks description line worth
nothing (qbxml/NOTES.md §4.5): it goes under the catch-all item, or the invoice is held with the fix. After every
post the package's total and tax are compared with Halo's; a difference is held, never marked posted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sync_world import World, small_seed

SUNDRY = {"type": "ItemService", "Name": "Sundry",
          "SalesOrPurchase": {"Desc": "Sundry", "Price": "0", "AccountRef": {"FullName": "Labour"}}}


def _one_invoice(seed: dict[str, Any], lines: list[dict[str, Any]]) -> int:
    """Make the first invoice of ``seed`` that would be posted carry exactly ``lines``; its id."""
    excluded = {c["id"] for c in seed["clients"] if c.get("excludefrominvoicesync")}
    inv = next(i for i in seed["invoices"] if not i.get("posted") and not i.get("requires_approval")
               and i["client_id"] not in excluded and not i.get("voided") and i["invoicenumber"].startswith("INV"))
    inv["lines"] = [{"id": 900000 + n, "ihid": inv["id"], "sequenceid": n, **line} for n, line in enumerate(lines)]
    inv.pop("total", None)
    return int(inv["id"])


def _itemless(net: float = 100.0, tax: float = 20.0) -> dict[str, Any]:
    return {"_itemid": -1, "item_shortdescription": "Emergency call-out", "qty_order": 1, "unit_price": net,
            "net_amount": net, "tax_amount": tax, "tax_code": "1", "tax_rate": 20.0, "nominal_code": "4000"}


def _qb_txn(w: World, halo_id: int) -> dict[str, Any] | None:
    number = w.invoices()[halo_id]["thirdpartyinvoicenumber"]
    return next((t for t in w.qb("invoice") if number and t["RefNumber"] == number), None)


def test_itemless_line_is_held_without_a_catch_all_item(world: Any) -> None:
    seed = small_seed(12)
    iid = _one_invoice(seed, [_itemless()])
    w = world(seed)
    before = len(w.qb("invoice"))
    report = w.engine().run()
    held = [h for h in report.held if h.halo_id == str(iid)]
    assert [h.code for h in held] == ["sync.line_needs_item"], report.held
    assert "catch_all_item" in held[0].fix
    assert not w.invoices()[iid]["posted"]
    assert all("Emergency call-out" not in str(t) for t in w.qb("invoice")[before:])


def test_itemless_line_goes_under_the_catch_all_item_with_every_amount(world: Any) -> None:
    seed = small_seed(12)
    iid = _one_invoice(seed, [_itemless(), {**_itemless(50.0, 10.0), "item_shortdescription": "Parts"}])
    w = world(seed, qb_seed={"items": [dict(SUNDRY)]})
    w.settings.sync.catch_all_item = "Sundry"
    report = w.engine().run()
    assert not [h for h in report.held if h.halo_id == str(iid)], report.held
    assert w.invoices()[iid]["posted"]
    txn = _qb_txn(w, iid)
    assert txn is not None
    assert Decimal(txn["Subtotal"]) == Decimal("150.00")
    assert Decimal(txn["SalesTaxTotal"]) == Decimal("30.00")
    compared, differences = w.amount_differences()
    assert compared >= 1 and not differences, differences


def test_catch_all_item_missing_in_quickbooks_is_held_naming_it(world: Any) -> None:
    seed = small_seed(12)
    iid = _one_invoice(seed, [_itemless()])
    w = world(seed)
    w.settings.sync.catch_all_item = "Sundry"
    report = w.engine().run()
    held = [h for h in report.held if h.halo_id == str(iid)]
    assert [h.code for h in held] == ["sync.catch_all_missing"]
    assert "'Sundry'" in held[0].message
    assert not w.invoices()[iid]["posted"]


def test_item_excluded_from_accounts_sync_is_carried_by_the_catch_all(world: Any) -> None:
    seed = small_seed(12)
    item = seed["items"][0]
    item["ignore_from_accounting_sync"] = True
    iid = _one_invoice(seed, [{**_itemless(), "_itemid": item["id"], "item_shortdescription": item["name"]}])
    w = world(seed)
    report = w.engine().run()
    assert [h.code for h in report.held if h.halo_id == str(iid)] == ["sync.line_needs_item"]
    w2 = world(seed, qb_seed={"items": [dict(SUNDRY)]})
    w2.settings.sync.catch_all_item = "Sundry"
    w2.engine().run()
    txn = _qb_txn(w2, iid)
    assert txn is not None and Decimal(txn["Subtotal"]) + Decimal(txn["SalesTaxTotal"]) == Decimal("120.00")


def test_package_total_differing_from_halo_is_held_and_never_posted_twice(world: Any) -> None:
    seed = small_seed(12)
    item = next(i for i in seed["items"] if int(i["taxcode"]) == 1 and not i.get("ignore_from_accounting_sync"))
    # Halo says 25.00 of VAT on 100.00 at the 20% rate; QuickBooks works out 20.00 (its own tax code rate).
    iid = _one_invoice(seed, [{**_itemless(100.0, 25.0), "_itemid": item["id"], "item_shortdescription": item["name"]}])
    w = world(seed)
    report = w.engine().run()
    held = [h for h in report.held if h.halo_id == str(iid)]
    assert [h.code for h in held] == ["sync.total_mismatch"], report.held
    assert "125.00" in held[0].message and "120.00" in held[0].message
    assert f"retry invoice:{iid}" in held[0].fix
    halo = w.invoices()[iid]
    assert not halo["posted"] and not halo["thirdpartyinvoicenumber"]
    in_qb = len(w.qb("invoice"))
    # The next run neither posts it again nor marks it posted: it stays held until the user says so.
    again = w.engine().run()
    assert len(w.qb("invoice")) == in_qb
    assert [h.code for h in again.held if h.halo_id == str(iid)] == ["sync.total_mismatch"]
    assert not w.invoices()[iid]["posted"]
    # After correcting it in QuickBooks, `retry` marks it posted (still not posted again).
    w.engine().run(retry=[f"invoice:{iid}"])
    assert w.invoices()[iid]["posted"]
    assert len(w.qb("invoice")) == in_qb
