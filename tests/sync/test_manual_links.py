"""`halo-accounts map customer|item HALO_ID REF`: sets Halo's Accounts ID (checked in the package when it can be
reached now, left for the next Web Connector update otherwise), journalled; the next sync links the record instead of
creating a second one; unknown ids and names are refused with the catalogue's message and fix."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cli_world import cli_world, first_client_with_invoices
from sync_world import small_seed

from halo_accounts.ledgers.port import Product
from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
from halo_accounts.messages import render


def _client_name(w: Any, client_id: int) -> str:
    return str(w.halo_record("clients", client_id)["name"])


def _qb_item_names(w: Any) -> list[str]:
    return [i["Name"] for kind, rows in w.company.dump().items() if kind.startswith("item") for i in rows]


def test_map_customer_checked_in_the_package_and_the_next_sync_links_it(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="com") as w:
        cid = first_client_with_invoices(small_seed(12))
        list_id = w.add_qb_customer("Acme Holdings (keyed in QuickBooks)")
        result = w("map", "customer", str(cid), "Acme Holdings (keyed in QuickBooks)")
        assert result.code == 0, result.text
        assert "checked in the package" in result.text
        assert w.halo_record("clients", cid)["accountsid"] == list_id  # the package's own id, not the name
        with w.store() as store:
            entries = [e for e in store.journal_entries(halo_id=str(cid)) if e.action == "map_accountsid"]
        assert [(e.target, e.state, e.ledger_ref) for e in entries] == [("halo", "confirmed", list_id)]

        before = len(w.qb_customers())
        synced = w("sync", "--only", "customers")
        assert synced.code == 0, synced.text
        names = [c["Name"] for c in w.qb_customers()]
        assert names.count("Acme Holdings (keyed in QuickBooks)") == 1
        assert _client_name(w, cid) not in names  # not created a second time under Halo's name
        n_clients = len([c for c in w.halo.export()["clients"] if not c.get("inactive")])
        assert len(names) == before + n_clients - 1
        with w.store() as store:
            link = store.get_link("customer", str(cid))
        assert link is not None and link.ledger_ref == list_id


def test_map_customer_replaces_a_stale_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="com") as w:
        cid = first_client_with_invoices(small_seed(12))
        assert w("sync", "--only", "customers").code == 0
        with w.store() as store:
            old = store.get_link("customer", str(cid))
        assert old is not None
        new_id = w.add_qb_customer("Acme Group plc")
        assert w("map", "customer", str(cid), new_id).code == 0  # by ListID this time
        with w.store() as store:
            assert store.get_link("customer", str(cid)) is None  # the stale link is gone
        assert w("sync", "--only", "customers").code == 0
        with w.store() as store:
            link = store.get_link("customer", str(cid))
        assert link is not None and link.ledger_ref == new_id != old.ledger_ref


def test_map_refuses_unknown_ids_and_names_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="com") as w:
        before = w.halo.export()
        unknown_halo = w("map", "customer", "999999", "Anything Ltd")
        assert unknown_halo.code == 2
        assert render("sync.map_unknown_halo", what="client", halo_id=999999)[0] in unknown_halo.text
        assert "Traceback" not in unknown_halo.text
        cid = first_client_with_invoices(small_seed(12))
        unknown_qb = w("map", "customer", str(cid), "Nobody Of That Name Ltd")
        assert unknown_qb.code == 2
        assert "has no customer called or numbered 'Nobody Of That Name Ltd'" in unknown_qb.text
        assert "exact name" in unknown_qb.text  # the fix
        assert "Traceback" not in unknown_qb.text
        unknown_item = w("map", "item", "999999", "Widget")
        assert unknown_item.code == 2 and "Halo has no item with id 999999" in unknown_item.text
        empty = w("map", "item", "1", "  ")
        assert empty.code == 2 and "No item reference was given" in empty.text
        assert w.halo.export() == before  # nothing written to Halo
        with w.store() as store:
            assert [e for e in store.journal_entries() if e.action == "map_accountsid"] == []


def test_map_item_checked_in_the_package_and_the_next_sync_links_it(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="com") as w:
        item = w.halo.export()["items"][0]
        made = QuickBooksLedger(w.company).create_product(Product(
            code="Support Block (QB)", description="keyed in QuickBooks", price=Decimal("10"),
            income_account="Sales"))
        result = w("map", "item", str(item["id"]), "Support Block (QB)")
        assert result.code == 0, result.text
        assert w.halo_record("items", item["id"])["accountsid"] == made.ref
        before = _qb_item_names(w)
        assert w("sync", "--only", "items").code in (0, 1)
        after = _qb_item_names(w)
        assert after.count("Support Block (QB)") == 1
        assert item["name"][:31] not in after  # qbxml/NOTES.md: item Name max 31; not created under Halo's name
        assert len(after) == len(before) + len(w.halo.export()["items"]) - 1 - _held_items(w)
        with w.store() as store:
            link = store.get_link("item", str(item["id"]))
        assert link is not None and link.ledger_ref == made.ref


def _held_items(w: Any) -> int:
    with w.store() as store:
        return len(store.held("item"))


def test_map_customer_with_the_web_connector_is_checked_at_the_next_update(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="webconnector") as w:
        seed = small_seed(12)
        cid = first_client_with_invoices(seed)
        other = next(int(c["id"]) for c in seed["clients"] if int(c["id"]) != cid and not c.get("inactive"))
        list_id = w.add_qb_customer("Acme Holdings (keyed in QuickBooks)")
        result = w("map", "customer", str(cid), "Acme Holdings (keyed in QuickBooks)")
        assert result.code == 0, result.text
        assert "checked at the next Web Connector update" in result.text
        assert w.halo_record("clients", cid)["accountsid"] == "Acme Holdings (keyed in QuickBooks)"  # unchecked
        wrong = w("map", "customer", str(other), "Nobody Of That Name Ltd")
        assert wrong.code == 0, wrong.text  # QuickBooks cannot be asked now

        report = w.update()
        assert report is not None
        with w.store() as store:
            link = store.get_link("customer", str(cid))
            held = {h.halo_id: h for h in store.held("customer")}
        assert link is not None and link.ledger_ref == list_id
        names = [c["Name"] for c in w.qb_customers()]
        assert names.count("Acme Holdings (keyed in QuickBooks)") == 1
        assert _client_name(w, cid) not in names
        assert held[str(other)].code == "sync.customer_unknown_ref"
        assert "Nobody Of That Name Ltd" in held[str(other)].message
        assert _client_name(w, other) not in names  # held, not created under its own name
