"""Sage 50 CA whole flow: Halo sandbox over HTTP, the real Sage50CALedger over the SDK sandbox, the real engine.
Every eligible invoice and credit note in Sage once, with Sage's total and tax (worked out from its own tax codes)
equal to Halo's; customers created once by name; payments back as amounts owing, each part once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from ca_world import World, ca_seed, make_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = make_world(tmp_path, ca_seed(40))
    yield w
    w.close()


def test_first_sync_posts_every_document_once_with_halos_totals(world: World) -> None:
    report = world.engine().run()
    journals = world.company.journals()
    keys = Counter((j["customer"].casefold(), j["number"]) for j in journals)
    assert journals and max(keys.values()) == 1, "a document posted twice"
    compared, differences = world.amount_differences()
    assert differences == []
    posted = report.counts["invoice"]["posted"] + report.counts.get("credit", {}).get("posted", 0)
    assert compared == len(journals) == posted
    kinds = {j["lines"][0]["tax_code"] for j in journals}
    assert {"H", "GP", "GQ", "E"} <= kinds  # Ontario HST, BC GST+PST, Quebec GST+QST, exempt
    credits = [j for j in journals if Decimal(j["total"]) < 0]
    assert credits, "credit notes go as negative invoices"
    # Customers keyed by name, created once, with Halo's accounts reference set to that name
    names = [c["Name"] for c in world.company.all("customer")]
    assert len(names) == len({n.casefold() for n in names})
    clients = {c["id"]: c for c in world.halo.export()["clients"]}
    for j in journals:
        assert any((c.get("accountsid") or "") == j["customer"] for c in clients.values())
    # Nothing twice on a re-run
    again = world.engine().run()
    assert again.counts.get("invoice", {}).get("posted", 0) == 0 and len(world.company.journals()) == len(journals)


def test_gst_pst_lines_carry_both_taxes_as_sage_works_them_out(world: World) -> None:
    world.engine().run()
    bc = [j for j in world.company.journals() if j["lines"][0]["tax_code"] == "GP"]
    assert bc
    for j in bc:
        for line in j["lines"]:
            net = Decimal(line["amount"])
            expected = (net * Decimal("0.05")).quantize(Decimal("0.01")) + (net * Decimal("0.07")).quantize(
                Decimal("0.01"))
            assert abs(Decimal(line["tax"]) - expected) <= Decimal("0.01")


def test_payments_come_back_as_amounts_owing_each_part_once(world: World) -> None:
    world.engine().run()
    first = next(j for j in world.company.journals() if Decimal(j["total"]) > 0)
    total = Decimal(first["total"])
    part = (total / 2).quantize(Decimal("0.01"))
    world.company.receive(first["customer"], first["number"], part)
    world.engine().run()
    world.engine().run()  # a re-read: nothing new
    world.company.receive(first["customer"], first["number"], total - part)
    world.engine().run()
    world.engine().run()
    halo_invoice = next(i for i in world.halo.export()["invoices"] if i["thirdpartyinvoicenumber"] == first["number"]
                        and i.get("posted"))
    pays = [p for p in world.halo.export()["payments"] if p["invoice_id"] == halo_invoice["id"]]
    assert sorted(Decimal(str(p["amount"])) for p in pays) == sorted([part, total - part])
    assert len({p["thirdpartyid"] for p in pays}) == 2
    assert all(p.get("sage50_reference") == p["thirdpartyid"] for p in pays)
