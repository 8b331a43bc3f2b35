"""How fast the store journals: 10,000 invoices begun and confirmed one at a time, and in batches of 50.

Run by hand: ``.venv/bin/python benchmarks/store_journal.py [N]``. Each single begin/confirm is one fsynced
commit (synchronous=FULL); a batch (``journal_begin_many``/``journal_confirm_many``) is one commit per 50.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from halo_accounts.store import Store

BATCH = 50  # config.SyncSettings.batch_size default
REQUEST = "<InvoiceAddRq>" + "<InvoiceLineAdd><Desc>Managed service</Desc></InvoiceLineAdd>" * 10 + "</InvoiceAddRq>"


def main(n: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "bench.sqlite3") as store:
        run = store.start_run("bench", {})
        started = time.perf_counter()
        for i in range(n):
            entry = store.journal_begin(run, "ledger", "add", "invoice", str(i), f"INV{i}", REQUEST)
            store.journal_confirm(entry, response="<InvoiceRet/>", ledger_ref=f"T{i}", number=f"INV{i}")
        single = time.perf_counter() - started
        started = time.perf_counter()
        for first in range(0, n, BATCH):
            ids = store.journal_begin_many(
                run, [("ledger", "add", "invoice", str(i), f"B{i}", REQUEST) for i in range(first, first + BATCH)]
            )
            store.journal_confirm_many([(e, "<InvoiceRet/>", f"T{e}", "") for e in ids])
        batched = time.perf_counter() - started
        started = time.perf_counter()
        exported = store.export_journal("csv", open_null())
        export = time.perf_counter() - started
    print(f"{n} invoices, one at a time: {single:.2f} s ({n / single:,.0f} invoices/s)")
    print(f"{n} invoices, batches of {BATCH}: {batched:.2f} s ({n / batched:,.0f} invoices/s)")
    print(f"export {exported} entries as CSV: {export:.2f} s")


def open_null():  # type: ignore[no-untyped-def]
    import io

    return io.StringIO()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
