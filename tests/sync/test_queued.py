"""With the Web Connector, QuickBooks is reached only inside an update: `import tax` and `retry` wait in the store
for the next update (real endpoint, zeep driver, `serve`'s job), `status` shows them waiting and then how they went;
a queued command that fails says why and the update's sync still runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_world import cli_world

from halo_accounts.sync import queued


def _status(w: Any) -> dict[str, Any]:
    result = w("status", "--json")
    assert result.code == 0, result.text
    return json.loads(result.out)


def test_import_tax_waits_for_the_next_update_then_runs_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="webconnector", map_taxes=False) as w:
        taxes_before = w.halo.export()["taxes"]
        result = w("import", "tax")
        assert result.code == 0, result.text
        assert "next Web Connector update" in result.text
        assert _status(w)["queued"] == {"import tax": "pending"}
        assert "Waiting for the next Web Connector update: import tax: pending" in w("status").text
        assert w.halo.export()["taxes"] == taxes_before  # nothing done yet

        report = w.update()
        state = _status(w)["queued"]["import tax"]
        # The demo tenant's Halo taxes carry Sage codes (T1, T0, ...): four of QuickBooks' five codes have a Halo
        # rate of the same rate and name (linked); only "Outside scope" is new to Halo (issue 8.8).
        assert state.startswith("done: 1 created, 4 matched"), state
        taxes = w.halo.export()["taxes"]
        assert len(taxes) == len(taxes_before) + 1  # no duplicate of a rate Halo has
        created = {str(t["id"]): t["code"] for t in taxes if t not in taxes_before}
        assert set(created.values()) == {"O"}
        with w.store() as store:
            mapped = {link.halo_id: link.ledger_ref for link in store.links("tax")}
            commands = [r.command for r in reversed(store.runs(10))]
        assert mapped == {"1": "S", "2": "Z", "3": "E", "4": "R", **created}
        assert commands == ["import tax", "serve"]  # first the queued command, then the update's sync
        assert report is not None and report.count("customer", "created") > 0
        # Run once only.
        w.update()
        assert _status(w)["queued"]["import tax"] == state
        assert len(w.halo.export()["taxes"]) == len(taxes)


def test_a_queued_import_that_fails_says_why_and_the_sync_still_runs(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="webconnector") as w:
        assert w("import", "tax").code == 0  # queued while the application had admin
        # By the update, `serve` runs as an application without the admin scope.
        monkeypatch.setenv("HALO_ACCOUNTS_HALO_CLIENT_ID", "plain")
        monkeypatch.setenv("HALO_ACCOUNTS_HALO_CLIENT_SECRET", "plain-secret")
        report = w.update()
        state = _status(w)["queued"]["import tax"]
        assert state.startswith("failed: "), state
        assert "admin" in state
        assert "Web Connector update: import tax: failed: " in w("status").text
        assert report.status in ("ok", "held") and report.count("invoice", "posted") > 0
        assert w.company.counts().get("invoice", 0) == report.count("invoice", "posted")


def test_queued_import_items_runs_at_the_next_update(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="webconnector") as w:
        assert w("import", "items").code == 0
        assert _status(w)["queued"] == {"import items": "pending"}
        w.update()
        assert _status(w)["queued"]["import items"].startswith("done: ")


def test_retry_waits_for_the_next_update_and_accepts_a_changed_invoice(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="webconnector") as w:
        first = w.update()
        assert first.count("invoice", "posted") > 0
        with w.store() as store:
            link = store.links("invoice")[0]
        iid = int(link.halo_id)
        line = w.halo_record("invoices", iid)["lines"][0]
        with w.client() as client:  # changed in Halo after it was posted, and the posted flag lost
            client.save("Invoice", [{"id": iid, "posted": False, "thirdpartyinvoicenumber": "", "lines": [
                {**line, "unit_price": float(line["unit_price"]) + 1,
                 "net_amount": float(line["net_amount"]) + float(line["qty_order"])}]}])
        qb_before = w.company.counts()
        held = w.update()
        assert [h.halo_id for h in held.held if h.code == "sync.invoice_drift"] == [str(iid)]

        result = w("retry", f"invoice:{iid}")
        assert result.code == 0, result.text
        assert "next Web Connector update" in result.text
        assert _status(w)["retry_queued"] == [f"invoice:{iid}"]
        assert not w.halo_record("invoices", iid)["posted"]  # nothing done before the update

        report = w.update()
        assert report.count("invoice", "written_back") == 1 and report.count("invoice", "posted") == 0
        invoice = w.halo_record("invoices", iid)
        assert invoice["posted"] and invoice["thirdpartyinvoicenumber"] == link.number
        assert w.company.counts() == qb_before  # not posted a second time
        assert _status(w)["retry_queued"] == []
        with w.store() as store:
            assert not store.held("invoice")
            assert queued.pending_retry(store) == []


def test_import_tax_after_map_tax_keeps_the_map_and_creates_only_what_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="webconnector") as w:  # taxes 1-4 mapped to S, Z, E, R
        taxes_before = w.halo.export()["taxes"]
        assert w("import", "tax").code == 0
        w.update()
        assert _status(w)["queued"]["import tax"].startswith("done: 1 created, 4 matched")
        taxes = w.halo.export()["taxes"]
        assert [t["code"] for t in taxes if t not in taxes_before] == ["O"]  # no second Halo tax for S, Z, E, R
        with w.store() as store:
            mapped = {link.halo_id: link.ledger_ref for link in store.links("tax")}
        assert {k: v for k, v in mapped.items() if k in "1234"} == {"1": "S", "2": "Z", "3": "E", "4": "R"}


def test_map_tax_with_the_web_connector_is_stored_unchecked_and_a_wrong_code_holds_at_the_update(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="webconnector", map_taxes=False) as w:
        for halo_id, code in (("1", "NOPE"), ("2", "z"), ("3", "E"), ("4", "R")):
            result = w("map", "tax", halo_id, code)
            assert result.code == 0, result.text
        assert "checked against QuickBooks at the next Web Connector update" in result.text
        report = w.update()
        held = [h for h in report.held if h.kind == "invoice"]
        assert held and all("NOPE" in h.message + h.fix for h in held), [(h.code, h.message) for h in held]
        assert w.company.counts().get("invoice", 0) == report.count("invoice", "posted")
