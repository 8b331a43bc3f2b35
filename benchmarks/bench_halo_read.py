"""How the Halo client reads 10,000 invoices with their lines: requests used against the minimum, time, memory.

Run by hand: ``.venv/bin/python benchmarks/bench_halo_read.py [N]``. The Halo sandbox runs in a child
process (so the memory figures are the client's alone), seeded with N invoices of 1-5 lines each. The minimum
is one token request plus ceil(N / 100) pages (Halo serves at most 100 rows a page, halo/NOTES.md section 3);
the client also asks ``/api/authinfo`` once to find the authorisation server, counted separately.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import random
import sys
import time
import tracemalloc
from typing import Any

import httpx

from halo_accounts.halo import HaloClient

APP = {"client_id": "bench", "client_secret": "bench-secret", "scopes": ["all"]}


def build_seed(n_invoices: int, n_clients: int = 200, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    taxes = [
        {"id": 1, "name": "Standard 20%", "code": "T1", "value": 20.0},
        {"id": 2, "name": "Zero rated", "code": "T0", "value": 0.0},
    ]
    items = [
        {
            "id": i,
            "name": f"Service {i}",
            "baseprice": round(rng.uniform(5, 500), 2),
            "taxcode": 1 + (i % 5 == 0),
            "nominalcode": "4000",
            "accountsid": "",
        }
        for i in range(1, 31)
    ]
    clients = [{"id": c, "name": f"Client {c:04d} Ltd", "accountsid": f"C{c:05d}"} for c in range(1, n_clients + 1)]
    invoices = []
    line_id = 1
    for inv in range(1, n_invoices + 1):
        lines = []
        for seq in range(1, rng.randint(1, 5) + 1):
            item = items[rng.randrange(len(items))]
            qty = float(rng.choice([1, 1, 2, 3, 10]))
            net = round(qty * item["baseprice"], 2)
            rate = 20.0 if item["taxcode"] == 1 else 0.0
            lines.append(
                {
                    "id": line_id,
                    "ihid": inv,
                    "sequenceid": seq,
                    "_itemid": item["id"],
                    "item_shortdescription": item["name"],
                    "qty_order": qty,
                    "unit_price": item["baseprice"],
                    "net_amount": net,
                    "tax_code": str(item["taxcode"]),
                    "tax_rate": rate,
                    "tax_amount": round(net * rate / 100, 2),
                    "nominal_code": "4000",
                }
            )
            line_id += 1
        invoices.append(
            {
                "id": inv,
                "invoicenumber": f"INV{inv:06d}",
                "client_id": 1 + inv % n_clients,
                "invoice_date": "2026-10-01T00:00:00",
                "posted": False,
                "lines": lines,
            }
        )
    return {
        "applications": [APP],
        "control": {"useqb": True},
        "taxes": taxes,
        "items": items,
        "clients": clients,
        "invoices": invoices,
    }


def serve(n_invoices: int, urls: Any, stop: Any) -> None:
    """Child process: the sandbox (default rate limit, 300 per 5 minutes) until told to stop."""
    from halo_accounts.sandbox.halo import HaloSandbox

    with HaloSandbox(build_seed(n_invoices)) as halo:
        urls.put(halo.url)
        stop.wait()
        urls.put(halo.stats())


class Timed(httpx.BaseTransport):
    """Real HTTP, adding up the time spent waiting for the server's answers."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.seconds = 0.0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        response = self.inner.handle_request(request)
        response.read()
        self.seconds += time.perf_counter() - started
        return response

    def close(self) -> None:
        self.inner.close()


def read(url: str, limit: int | None, *, trace: bool) -> dict[str, Any]:
    if trace:
        tracemalloc.start()
    transport = Timed()
    started = time.perf_counter()
    with HaloClient(url, APP["client_id"], APP["client_secret"], transport=transport) as client:
        invoices = lines = 0
        for invoice in itertools.islice(client.invoices(notpostedonly=True), limit):
            invoices += 1
            lines += len(invoice.lines)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
        return {
            "invoices": invoices,
            "lines": lines,
            "seconds": elapsed,
            "peak": peak,
            "server": transport.seconds,
            "requests": client.request_count,
            "waited": client.budget.waited + client.backoff_seconds,
        }


def main(n: int = 10_000) -> None:
    ctx = multiprocessing.get_context("spawn")
    urls, stop = ctx.Queue(), ctx.Event()
    child = ctx.Process(target=serve, args=(n, urls, stop), daemon=True)
    child.start()
    url = urls.get(timeout=300)
    try:
        full = read(url, None, trace=False)  # timing without tracemalloc's overhead
        traced = read(url, None, trace=True)
        small = read(url, 1_000, trace=True)
    finally:
        stop.set()
        stats = urls.get(timeout=60)
        child.join(timeout=30)
    minimum = 1 + math.ceil(n / 100)
    print(f"Read {full['invoices']:,} invoices with {full['lines']:,} lines from the Halo sandbox over HTTP")
    print(
        f"requests: {full['requests']} used; minimum {minimum} (1 token + {math.ceil(n / 100)} pages) "
        f"+ 1 authinfo discovery = {minimum + 1}"
    )
    print(
        f"wall time: {full['seconds']:.2f} s ({full['invoices'] / full['seconds']:,.0f} invoices/s); "
        f"{full['server']:.2f} s of it waiting for the sandbox's answers, "
        f"{full['waited']:.1f} s on the request budget/back-off, the rest parsing in the client"
    )
    print(
        f"peak Python memory (tracemalloc, client process): {traced['peak'] / 1e6:.1f} MB for {traced['invoices']:,} "
        f"invoices; {small['peak'] / 1e6:.1f} MB for the first {small['invoices']:,}"
    )
    try:
        import resource

        print(f"max RSS of the client process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    except ImportError:  # Windows
        pass
    print(f"sandbox saw {stats['requests']} requests in all: {stats['by_path']}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
