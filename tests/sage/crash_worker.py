"""One Sage 50 UK sync run in its own process, for the crash test (which SIGKILLs it at random points).

Usage: crash_worker.py HALO_URL SAGE_FILE STORE_FILE ROUTE BATCH_SIZE
Prints "ready" once imported, "p PHASE DONE" as writes progress (so the test can aim its kill inside the work),
then the run's JSON summary.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sage_world import DATA_PATH, PASSWORD, USER, make_settings, open_ledger

from halo_accounts.halo import HaloClient
from halo_accounts.sandbox.sage50uk import Company
from halo_accounts.store import Store
from halo_accounts.sync import SyncEngine


def _progress(phase: str, done: int, total: int) -> None:
    if phase in ("customers", "items", "invoices", "payments") and done:
        print(f"p {phase} {done}", flush=True)


def main(argv: list[str]) -> int:
    url, sage_file, store_file, route, batch = argv
    settings = make_settings(url, Path(store_file), int(batch))
    print("ready", flush=True)
    company = Company(Path(sage_file), data_path=DATA_PATH, users={"MANAGER": "letmein", USER: PASSWORD})
    try:
        with open_ledger(company, int(route)) as ledger, Store.open(Path(store_file)) as store, \
                HaloClient(url, "demo", "demo-secret", scope="all", timeout=10.0) as client:
            report = SyncEngine(client, ledger, store, settings, progress=_progress).run()
    finally:
        company.close()
    print(json.dumps({"status": report.status, "counts": report.counts, "errors": report.errors}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
