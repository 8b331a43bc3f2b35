"""Posting 1,000 invoices through the Web Connector path: SOAP round trips against the batching bound, time, memory.

Run by hand: ``.venv/bin/python benchmarks/bench_webconnector_post.py [N] [--batch 50] [--tracemalloc]``.

The path is the real one: the Web Connector driver (zeep, Intuit's WSDL) posts over HTTP to ``/qbwc``; the server's
job runs `QuickBooksLedger.post_invoices` on the bridge transport, ``--batch`` invoices per call; the driver runs
each qbXML request against the sandbox company. The endpoint (uvicorn + bridge + ledger) runs in a child process
so its memory figures are its own; the driver and the company run here. The company is seeded first with
customers and items over a direct transport (not counted). Counted: HTTP POSTs that reached ``/qbwc`` (server
side, by SOAPAction) and the sendRequestXML/receiveResponseXML pairs that carried a request. The bound is one
pair per batch plus a constant (the ledger's tax-table read). Memory: ``ru_maxrss`` of the endpoint process
(peak resident set, whole process), and with ``--tracemalloc`` also tracemalloc's peak of Python allocations
during the update. tracemalloc does not see lxml's own (libxml2) memory and slows allocation-heavy code, so
ru_maxrss is the figure to quote and the tracemalloc run's wall time is not.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

USER, PASSWORD = "bench-qbwc", "bench-password"
N_CUSTOMERS, N_ITEMS = 50, 10
BOUND_CONSTANT = 2
"""Round trips allowed beyond one per batch: the tax-table read (SalesTaxCode/ItemSalesTax/Group in one
document) and one spare. The Host probe is spared by the Web Connector's strHCPResponse."""


def _rss_kib() -> int | None:
    try:
        import resource
    except ImportError:  # Windows: no resource module
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS reports bytes, Linux KiB


@dataclass(frozen=True)
class Refs:
    customers: list[str]
    items: list[str]


def make_invoices(n: int, refs: Refs, seed: int = 1) -> list[Any]:
    from halo_accounts.ledgers.port import Invoice, InvoiceLine

    rng = random.Random(seed)
    out = []
    for i in range(n):
        tax = "State Tax" if rng.random() < 0.7 else "Non"
        lines = []
        for _ in range(rng.randint(1, 3)):
            qty = Decimal(rng.randint(1, 10))
            price = Decimal(rng.randint(500, 50000)) / 100
            lines.append(InvoiceLine(rng.choice(refs.items), f"Managed service & support, month {rng.randint(1, 12)}",
                                     qty, price, qty * price, Decimal("0"), tax))
        day = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
        out.append(Invoice(number=f"INV{i:06d}", customer_ref=rng.choice(refs.customers), date=day,
                           lines=tuple(lines), due_date=day + timedelta(days=30), memo="Thank you for your business",
                           external_key=f"halo:invoice:{i}"))
    return out


class CountingApp:
    """ASGI wrapper counting the HTTP POSTs that reach /qbwc, by SOAPAction."""

    def __init__(self, app: Any, path: str) -> None:
        self.app, self.path = app, path
        self.posts: Counter[str] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("method") == "POST" and scope.get("path") == self.path:
            action = dict(scope.get("headers", [])).get(b"soapaction", b"").decode("latin-1")
            self.posts[action.strip('"').rsplit("/", 1)[-1] or "?"] += 1
        await self.app(scope, receive, send)


def endpoint_process(conn: Connection, n: int, batch: int, trace: bool) -> None:
    """The child: serve /qbwc; the job posts ``n`` invoices ``batch`` at a time; report figures at the end."""
    import tracemalloc

    from halo_accounts.config import WebConnectorSettings
    from halo_accounts.ledgers.port import batched
    from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
    from halo_accounts.ledgers.quickbooks.transport import QbxmlTransport
    from halo_accounts.ledgers.quickbooks.webconnector import server

    figures: dict[str, Any] = {}

    def job(transport: QbxmlTransport) -> None:
        started = time.perf_counter()
        ledger = QuickBooksLedger(transport)
        posted = failed = calls = 0
        errors: Counter[str] = Counter()
        for chunk in batched(invoices, batch):
            outcomes = ledger.post_invoices(chunk)
            calls += 1
            posted += sum(1 for o in outcomes if o.posted)
            for o in outcomes:
                if o.error:
                    failed += 1
                    errors[o.error.code] += 1
            progress = getattr(transport, "progress", None)
            if progress:
                progress(posted + failed, len(invoices))
        figures.update(job_seconds=time.perf_counter() - started, posted=posted, failed=failed,
                       post_calls=calls, errors=dict(errors))

    counting = CountingApp(server.create_app(WebConnectorSettings(username=USER), job, password=PASSWORD),
                           server.PATH)
    with server.running(counting) as url:  # type: ignore[arg-type]
        conn.send(url)
        refs: Refs = conn.recv()
        invoices = make_invoices(n, refs)
        if trace:
            tracemalloc.start()
        conn.send("ready")
        assert conn.recv() == "stop"
        if trace:
            figures["tracemalloc_peak_kib"] = tracemalloc.get_traced_memory()[1] // 1024
            tracemalloc.stop()
    figures["posts"] = dict(counting.posts)
    figures["ru_maxrss_kib"] = _rss_kib()
    conn.send(figures)


def seed_company(company: Any) -> Refs:
    """Customers and items made through the ledger over a direct transport (the company itself)."""
    from halo_accounts.ledgers.port import Address, Customer, Product
    from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger

    ledger = QuickBooksLedger(company)
    ledger.accounts()
    customers = [ledger.create_customer(Customer(
        name=f"Client {i:03d} & Co", company_name=f"Client {i:03d} & Co", email=f"ap{i}@example.com",
        billing=Address(lines=(f"{i} High St",), city="Springfield", postcode="12345"), tax_code="State Tax")).ref
        for i in range(N_CUSTOMERS)]
    items = [ledger.create_product(Product(code=f"Service {i:02d}", description="Per user, per month",
                                           price=Decimal("25.00"), income_account="4000")).ref
             for i in range(N_ITEMS)]
    return Refs(customers, items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1000, help="invoices to post (default 1000)")
    parser.add_argument("--batch", type=int, default=50, help="invoices per post_invoices call (default 50)")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure tracemalloc's peak (slower)")
    args = parser.parse_args()

    from halo_accounts.sandbox.quickbooks import Company
    from halo_accounts.sandbox.quickbooks.webconnector_driver import WebConnectorDriver

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=endpoint_process, args=(child, args.n, args.batch, args.tracemalloc), daemon=True)
    proc.start()
    url = parent.recv()
    with tempfile.TemporaryDirectory() as tmp:
        company = Company(Path(tmp) / "bench-us.qbw", edition="US")
        t0 = time.perf_counter()
        refs = seed_company(company)
        seed_seconds = time.perf_counter() - t0
        parent.send(refs)
        assert parent.recv() == "ready"
        with WebConnectorDriver(url, USER, PASSWORD, company) as driver:
            t0 = time.perf_counter()
            result = driver.run_update()
            wall = time.perf_counter() - t0
        parent.send("stop")
        figures = parent.recv()
        proc.join(10)
        counts = company.counts()
        company.close()

    batches = math.ceil(args.n / args.batch)
    pairs = len(result.requests)
    posts = figures["posts"]
    bound = batches + BOUND_CONSTANT
    print(f"Web Connector post: {args.n} invoices in batches of {args.batch} ({batches} post_invoices calls), "
          f"US sandbox company seeded with {N_CUSTOMERS} customers and {N_ITEMS} items in {seed_seconds:.2f} s")
    print(f"  update outcome:            {result.outcome}   posted {figures['posted']}, failed {figures['failed']} "
          f"{figures['errors'] or ''}   invoices in the company: {counts.get('invoice', 0)}")
    print(f"  HTTP POSTs to /qbwc:       {sum(posts.values())}   "
          + ", ".join(f"{k} {v}" for k, v in sorted(posts.items())))
    print(f"  request/response pairs:    {pairs}   (sendRequestXML {posts.get('sendRequestXML', 0)}, "
          f"receiveResponseXML {posts.get('receiveResponseXML', 0)}, NoOps {result.methods.count('getLastError')})")
    print(f"  batching bound:            {pairs} <= {batches} + {BOUND_CONSTANT} = {bound}: "
          f"{'OK' if pairs <= bound else 'EXCEEDED'}   ({pairs / max(1, args.n):.3f} round trips per invoice)")
    print(f"  wall time (whole update):  {wall:.2f} s   ({args.n / wall:.0f} invoices/s; "
          f"job inside the endpoint {figures['job_seconds']:.2f} s)")
    rss = figures["ru_maxrss_kib"]
    print(f"  peak memory, endpoint:     ru_maxrss {rss / 1024:.1f} MiB (whole endpoint process)" if rss is not None
          else "  peak memory, endpoint:     ru_maxrss n/a on this platform")
    if "tracemalloc_peak_kib" in figures:
        print(f"                             tracemalloc peak {figures['tracemalloc_peak_kib'] / 1024:.1f} MiB "
              "(Python allocations during the update)")
    driver_rss = _rss_kib()
    if driver_rss is not None:
        print(f"  (driver + sandbox company process: ru_maxrss {driver_rss / 1024:.1f} MiB)")
    return 0 if result.outcome == "done" and pairs <= bound and figures["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
