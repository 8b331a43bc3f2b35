"""One Sage 50 CA sync run in its own process, for the crash test (which SIGKILLs it at random points).

Usage: crash_worker.py HALO_URL SAGE_FILE STORE_FILE BATCH_SIZE
Prints "ready" once imported, "p PHASE DONE" as writes progress, then the run's JSON summary.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from ca_world import make_settings, new_company, open_ledger

from halo_accounts.halo import HaloClient
from halo_accounts.store import Store
from halo_accounts.sync import SyncEngine


def _progress(phase: str, done: int, total: int) -> None:
    if phase in ("customers", "items", "invoices", "payments") and done:
        print(f"p {phase} {done}", flush=True)


def main(argv: list[str]) -> int:
    url, sage_file, store_file, batch = argv
    settings = make_settings(url, Path(store_file), int(batch))
    print("ready", flush=True)
    company = new_company(Path(sage_file))
    try:
        with open_ledger(company) as ledger, Store.open(Path(store_file)) as store, \
                HaloClient(url, "demo", "demo-secret", scope="all", timeout=10.0) as client:
            report = SyncEngine(client, ledger, store, settings, progress=_progress).run()
    finally:
        company.close()
    print(json.dumps({"status": report.status, "counts": report.counts, "errors": report.errors}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
