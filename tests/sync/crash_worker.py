"""One sync run in its own process, for the crash test (which SIGKILLs it at random points).

Usage: crash_worker.py HALO_URL QB_FILE STORE_FILE EDITION BATCH_SIZE
Prints "ready" once imported, "p PHASE DONE" as writes progress (so the test can aim its kill inside the
work), then the run's JSON summary.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from halo_accounts.config import Settings
from halo_accounts.halo import HaloClient
from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
from halo_accounts.sandbox.quickbooks import Company
from halo_accounts.store import Store
from halo_accounts.sync import SyncEngine, invoices

# Mark invoices posted in Halo after every package batch (the product waits for 100), so that kills also land
# between journalling a Halo write-back and its confirmation.
invoices.WRITE_BACK_CHUNK = 5


class SlowHalo(HaloClient):
    """Halo with some latency around writes: widens the windows "journalled, not sent" and "applied, not
    confirmed" so that the random kills land in them too."""

    def save(self, entity: str, records: Any) -> Any:
        time.sleep(0.01)
        saved = super().save(entity, records)
        time.sleep(0.01)
        return saved


def _progress(phase: str, done: int, total: int) -> None:
    if phase in ("customers", "items", "invoices", "payments") and done:
        print(f"p {phase} {done}", flush=True)


def main(argv: list[str]) -> int:
    url, qb_file, store_file, edition, batch = argv
    settings = Settings()
    settings.halo.url = url
    settings.sync.batch_size = int(batch)
    print("ready", flush=True)
    with Company(Path(qb_file), edition=edition) as company, Store.open(Path(store_file)) as store, \
            SlowHalo(url, "demo", "demo-secret", scope="all", timeout=10.0) as client:
        report = SyncEngine(client, QuickBooksLedger(company), store, settings, progress=_progress).run()
    print(json.dumps({"status": report.status, "counts": report.counts, "errors": report.errors}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
