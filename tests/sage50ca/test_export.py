"""`export sage50ca`: the 'file' ledger mode (sync/file_export.py) writing Sage 50 CA's Import Transactions file.
Each unposted invoice goes into one batch once; Halo is marked posted only on `export confirm`; the file parses
back (reader from the spec) with Halo's totals and taxes."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from ca_world import FAST, ca_seed, map_taxes
from imp_reader import read

from halo_accounts.halo import HaloClient
from halo_accounts.ledgers.sage50ca import imp
from halo_accounts.sandbox.halo import HaloSandbox
from halo_accounts.store import Store
from halo_accounts.sync import file_export


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[tuple[HaloSandbox, HaloClient, Store]]:
    data = ca_seed(24, n_clients=8)
    for item in data["items"]:
        item["accountsid"] = item["internalreference"]  # the items are in Sage already, under these numbers
    with HaloSandbox(data, rate_limit=FAST) as halo, \
            HaloClient(halo.url, "demo", "demo-secret", scope="all admin", timeout=10.0) as client, \
            Store.open(tmp_path / "store.sqlite3") as store:
        map_taxes(store)
        yield halo, client, store


def test_export_writes_each_invoice_once_and_confirm_marks_them_posted(parts: tuple[HaloSandbox, HaloClient, Store],
                                                                     tmp_path: Path) -> None:
    halo, client, store = parts
    out = tmp_path / "out"
    out.mkdir(mode=0o700)  # as `halo-accounts export` makes it
    result = file_export.export(client, store, out, "sage50ca")
    assert result.batch is not None and result.folder is not None and result.invoices
    parsed = read((result.folder / imp.FILE).read_bytes().decode(imp.ENCODING))
    assert len(parsed.invoices) == len(result.invoices)
    halo_by_number = {i["invoicenumber"]: i for i in halo.export()["invoices"]}
    for inv in parsed.invoices:
        source = halo_by_number[inv.options["InvoiceNo"]]
        halo_tax = abs(sum((Decimal(str(ln["tax_amount"])) for ln in source["lines"]), Decimal(0)))
        assert abs(inv.total) == abs(Decimal(str(source["total"])))
        assert abs(inv.tax) == halo_tax
    assert {c["Name"] for c in parsed.customers} <= {c["name"] for c in halo.export()["clients"]}
    assert not any(halo_by_number[n]["posted"] for _, n in result.invoices)  # not before the import
    again = file_export.export(client, store, out, "sage50ca")
    assert again.batch is None and again.already == len(result.invoices)
    confirmed = file_export.confirm(client, store, result.batch)
    assert sorted(confirmed.marked) == sorted(n for _, n in result.invoices)
    assert file_export.confirm(client, store, result.batch).marked == []  # once
    after = {i["invoicenumber"]: i for i in halo.export()["invoices"]}
    assert all(after[n]["posted"] for _, n in result.invoices)
    [batch] = file_export.batches(store)
    assert batch.kind == "sage50ca" and batch.state == "confirmed"
