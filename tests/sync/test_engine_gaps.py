"""Two gaps closed: Sage 50 UK opened by the ledger factory posts by Halo's `sage50ukinvoicetype` (the SDO sandbox
stands in for the COM engine); an invoice written to a Sage import batch not yet confirmed is skipped by the sync,
with the batch and `export confirm N` named, until the confirm links it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sync_world import small_seed

from halo_accounts.config import Settings
from halo_accounts.ledgers import windows
from halo_accounts.ledgers.sage50uk import opening
from halo_accounts.ledgers.sage50uk.routes import DEFAULT_ROUTE, HALO_INVOICE_TYPES, InvoiceRoute
from halo_accounts.messages import render
from halo_accounts.sandbox.sage50uk import Company as SageCompany
from halo_accounts.sandbox.sage50uk import SDOEngine
from halo_accounts.sync import file_export as sage_export
from halo_accounts.sync import ledger_factory

SAGE_USER, SAGE_PASSWORD = "HALO", "sandbox-sage-password"
DATA_PATH = "C:\\SAGE\\COMPANY.000\\ACCDATA"
#: Halo demo tax ids -> Sage codes, for the export (sage/NOTES.md §1.8: T0..T99).
SAGE_TAX_MAP = {"1": "T1", "2": "T0", "3": "T2", "4": "T5"}


@pytest.mark.parametrize("invoice_type", [*HALO_INVOICE_TYPES, None])
def test_sage50uk_opens_with_halos_invoice_route(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 invoice_type: int | None) -> None:
    company = SageCompany(tmp_path / "sage.sqlite3", data_path=DATA_PATH, users={SAGE_USER: SAGE_PASSWORD})
    engines: list[int] = []

    def engine_factory(version: int) -> Any:
        engines.append(version)
        return SDOEngine(company)

    monkeypatch.setattr(opening, "SDO_ENGINE_FACTORY", engine_factory)
    monkeypatch.setenv("HALO_ACCOUNTS_SAGE50UK_PASSWORD", SAGE_PASSWORD)
    settings = Settings()
    settings.ledger.kind = "sage50uk"
    control = {"sage50datapath": DATA_PATH, "sage50username": SAGE_USER, "sage50version": 32,
               "sage50ukinvoicetype": invoice_type}
    try:
        with ledger_factory.open_ledger(settings, control) as ledger:
            expected = DEFAULT_ROUTE if invoice_type is None else HALO_INVOICE_TYPES[invoice_type]
            assert ledger.route == expected  # type: ignore[attr-defined]
            assert ledger.info().kind == "sage50uk"
        assert engines == [32]
    finally:
        company.close()


def test_sage50uk_options_come_from_control_and_unknown_types_are_refused() -> None:
    from halo_accounts.errors import HaloAccountsError
    from halo_accounts.ledgers.sage50uk.routes import route_for

    assert opening.sage50uk_options({"sage50ukinvoicetype": 1}) == {
        "invoice_route": InvoiceRoute.PRODUCT_INVOICE}
    assert opening.sage50uk_options(None) == {"invoice_route": InvoiceRoute.AUDIT_TRAIL}
    assert route_for(opening.sage50uk_options({"sage50ukinvoicetype": 2})["invoice_route"]) \
        == InvoiceRoute.SERVICE_INVOICE
    with pytest.raises(HaloAccountsError) as err:
        opening.sage50uk_options({"sage50ukinvoicetype": 9})
    assert err.value.code == "sage.invoice_route_unknown"
    # The guess is changed in one place, the configuration ([sage50uk] invoice_types; issue 8.7).
    assert opening.sage50uk_options({"sage50ukinvoicetype": 0}, {"0": "service", "9": "product"}) == {
        "invoice_route": InvoiceRoute.SERVICE_INVOICE}
    assert opening.sage50uk_options({"sage50ukinvoicetype": 9}, {"9": "product"}) == {
        "invoice_route": InvoiceRoute.PRODUCT_INVOICE}


def test_sage50uk_without_a_stand_in_is_windows_only_off_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    from halo_accounts.errors import HaloAccountsError

    monkeypatch.setattr(windows.sys, "platform", "linux")
    settings = Settings()
    settings.ledger.kind = "sage50uk"
    with pytest.raises(HaloAccountsError) as err, ledger_factory.open_ledger(settings, {}):
        pass
    assert err.value.code == "sync.windows_only"


def _export(w: Any, tmp: Path) -> sage_export.Exported:
    """A Sage CSV batch of Halo's unposted invoices (the store briefly mapped to Sage's tax codes)."""
    qb_links = {link.halo_id: link.ledger_ref for link in w.store.links("tax")}
    for halo_id, code in SAGE_TAX_MAP.items():
        w.store.link("tax", halo_id, code, number=code)
    (tmp / "out").mkdir(mode=0o700, exist_ok=True)
    exported = sage_export.export(w.client, w.store, tmp / "out", "sage50uk")
    for halo_id, code in qb_links.items():
        w.store.link("tax", halo_id, code, number=code)
    return exported


def test_invoices_in_an_unconfirmed_export_batch_are_skipped_with_the_reason(world: Any, tmp_path: Path) -> None:
    w = world(small_seed(15))
    exported = _export(w, tmp_path)
    assert exported.batch is not None and exported.invoices
    in_batch = {halo_id for halo_id, _ in exported.invoices}
    report = w.engine().run()
    skipped = {s.halo_id: s for s in report.skipped if s.code == "sync.skip_exported"}
    assert set(skipped) == in_batch
    one = next(iter(skipped.values()))
    assert f"batch {exported.batch}" in one.message
    assert f"halo-accounts export confirm {exported.batch}" in one.fix
    assert render("sync.skip_exported", record=one.label, batch=exported.batch) == (one.message, one.fix)
    posted_keys = {str(t.get("Other", "")) for k in ("invoice", "creditmemo") for t in w.qb(k)}
    assert not any(key.endswith(f":{halo_id}") for key in posted_keys for halo_id in in_batch)
    assert not [e for e in w.store.journal_entries() if e.action == "post" and e.halo_id in in_batch]
    for halo_id in in_batch:
        assert not w.invoices()[int(halo_id)]["posted"]
    # A dry run shows the same reason.
    dry = w.engine().run(dry_run=True)
    assert {s.halo_id for s in dry.skipped if s.code == "sync.skip_exported"} == in_batch

    # Confirmed as imported into Sage: marked posted in Halo, linked; the sync never posts them.
    confirmed = sage_export.confirm(w.client, w.store, exported.batch)
    assert len(confirmed.marked) == len(in_batch)
    before = w.company.counts()
    report = w.engine().run()
    assert not [s for s in report.skipped if s.code == "sync.skip_exported"]
    assert w.company.counts() == before


def test_the_sync_still_posts_invoices_not_in_any_batch(world: Any, tmp_path: Path) -> None:
    w = world(small_seed(15))
    exported = _export(w, tmp_path)
    in_batch = {halo_id for halo_id, _ in exported.invoices}
    source = w.invoices()[int(sorted(in_batch)[0])]
    keep = ("client_id", "client_name", "invoice_date", "duedate", "reference")
    lines = [{k: v for k, v in line.items() if k not in ("id", "ihid")} for line in source["lines"]]
    new = w.client.save("Invoice", [{**{k: source[k] for k in keep if k in source}, "lines": lines}])[0]
    report = w.engine().run()
    posted = {link.halo_id for kind in ("invoice", "credit") for link in w.store.links(kind)}
    assert posted == {str(new["id"])}  # raised after the export: not in any batch
    assert report.count("invoice", "posted") == 1
    assert w.invoices()[int(new["id"])]["posted"]
