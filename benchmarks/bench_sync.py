"""Benchmark: sync 10,000 Halo invoices into a QuickBooks sandbox company, then a no-change run.

Prints Halo requests used against the minimum (list pages plus batched write-backs), QuickBooks round trips,
wall time and peak memory; then the second run's Halo requests (should be a handful, whatever the history).

    .venv/bin/python benchmarks/bench_sync.py [--invoices 10000] [--batch 50]

Everything runs in this process (Halo sandbox on loopback, the QuickBooks company as a direct transport),
so the memory figure includes both sandboxes.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from halo_accounts.config import Settings
from halo_accounts.halo import HaloClient
from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
from halo_accounts.sandbox.halo import HaloSandbox, demo_seed
from halo_accounts.sandbox.halo.conventions import is_credit_note
from halo_accounts.sandbox.quickbooks import Company
from halo_accounts.store import Store
from halo_accounts.sync import SyncEngine

PAGE = 100  # halo/NOTES.md §3: at most 100 rows a page
WRITE_CHUNK = 100  # halo/client.py SAVE_CHUNK: rows per batched POST
ACCOUNTS = [{"Name": n, "AccountType": "Income", "AccountNumber": c}
            for n, c in (("Licences", "4010"), ("Hardware", "4020"), ("Labour", "4030"), ("Training", "4040"))]
TAXES = {"1": "S", "2": "Z", "3": "E", "4": "R"}


class CountingTransport:
    """Counts qbXML round trips to the company."""

    def __init__(self, company: Company) -> None:
        self.company = company
        self.round_trips = 0

    def process(self, request_xml: str) -> str:
        self.round_trips += 1
        return self.company.process(request_xml)

    def host_info(self) -> Any:
        return self.company.host_info()


def pages(n: int) -> int:
    return max(1, math.ceil(n / PAGE))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--keep-posted", action="store_true",
                        help="Keep the demo tenant's already-posted history (default: every invoice still to post).")
    parser.add_argument("--tracemalloc", action="store_true", help="Python heap peak of the sync itself (slower).")
    args = parser.parse_args()

    seed = demo_seed.build(n_clients=args.clients, n_items=args.items, n_invoices=args.invoices)
    seed["applications"] = [demo_seed.DEMO_APPLICATION]
    if not args.keep_posted:
        for inv in seed["invoices"]:
            inv.update(posted=False, thirdpartyinvoicenumber="", dateposted="1899-12-30T00:00:00")
    excluded = {c["id"] for c in seed["clients"] if c.get("excludefrominvoicesync")}
    unposted = [i for i in seed["invoices"] if not i.get("posted")]
    eligible = [i for i in unposted if i["client_id"] not in excluded and not i.get("requires_approval")]
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    with HaloSandbox(seed, rate_limit=(10_000_000, 300.0)) as halo, \
            Company(tmp / "qb.sqlite3", edition="UK", seed={"accounts": ACCOUNTS}) as company, \
            Store.open(tmp / "store.sqlite3") as store:
        for halo_id, code in TAXES.items():
            store.link("tax", halo_id, code, number=code)
        transport = CountingTransport(company)
        ledger = QuickBooksLedger(transport)
        settings = Settings()
        settings.halo.url = halo.url
        settings.sync.batch_size = args.batch
        client = HaloClient(halo.url, "demo", "demo-secret", scope="all", requests_per_window=10_000_000)
        if args.tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        report = SyncEngine(client, ledger, store, settings).run()
        wall = time.perf_counter() - started
        heap = tracemalloc.get_traced_memory()[1] if args.tracemalloc else 0
        if args.tracemalloc:
            tracemalloc.stop()
        first_requests = client.request_count
        first_trips = transport.round_trips
        clients_written = report.count("customer", "written_back")
        items_written = report.count("item", "written_back")
        marked = report.count("invoice", "written_back") + report.count("credit", "written_back")
        minimum = (1 + 1 + 1  # token, Control, Tax
                   + pages(len(seed["clients"])) + pages(len(seed["sites"])) + pages(len(seed["items"]))
                   # invoices and credit notes are two lists (credit notes told by Halo, issue 8.5)
                   + pages(sum(1 for i in unposted if not is_credit_note(i)))
                   + pages(sum(1 for i in unposted if is_credit_note(i)))
                   + math.ceil(clients_written / WRITE_CHUNK) + math.ceil(items_written / WRITE_CHUNK)
                   + math.ceil(marked / WRITE_CHUNK))
        posted = report.count("invoice", "posted") + report.count("credit", "posted")
        new_customers = report.count("customer", "created")
        new_items = report.count("item", "created")
        create_trips = math.ceil(new_customers / args.batch) + math.ceil(new_items / args.batch)
        print(f"first run: status {report.status}; {posted} invoices/credit notes posted of {len(eligible)} eligible; "
              f"{len(report.held)} held, {sum(1 for e in report.skipped if e.kind != 'credit')} skipped by Halo "
              f"settings, {report.count('credit', 'applied')} credit notes applied to their invoices, "
              f"{report.count('credit', 'not_applied')} not (their invoice is not from this sync)")
        print(f"  Halo requests: {first_requests} (minimum {minimum}: token, Control, Tax, list pages, "
              f"batched write-backs)")
        print(f"  QuickBooks round trips: {first_trips} (posting batches: {math.ceil(posted / args.batch)}, "
              f"customer/item create batches: {create_trips} for {new_customers} customers and {new_items} items)")
        print(f"  wall time: {wall:.1f} s ({posted / wall:.0f} invoices/s)")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 1024 ** 2)
        print(f"  peak RSS (whole process, both sandboxes included): {rss:.0f} MB"
              + (f"; Python heap peak during the sync: {heap / 1e6:.0f} MB" if heap else ""))

        before = client.request_count
        trips = transport.round_trips
        started = time.perf_counter()
        second = SyncEngine(client, ledger, store, settings).run()
        print(f"second run (no changes): status {second.status}; Halo requests {client.request_count - before}; "
              f"QuickBooks round trips {transport.round_trips - trips}; {time.perf_counter() - started:.1f} s; "
              f"posted {second.count('invoice', 'posted')}")
        client.close()


if __name__ == "__main__":
    main()
