"""Crash consistency with Sage 50 CA: a sync of 150 invoices SIGKILLed at random points (seeded), restarted again and
again, ends with every eligible invoice in Sage once, marked posted in Halo once, and no payment recorded twice.

A kill can land between Post() and the confirmation in the store, between the store and Halo, or inside a Halo
write. The Halo sandbox runs in this process and survives; each sync runs in a subprocess (`crash_worker.py`).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ca_world import FAST, ca_seed, map_taxes, new_company

from halo_accounts.sandbox.halo import HaloSandbox
from halo_accounts.store import Store

WORKER = Path(__file__).with_name("crash_worker.py")
KILLS = 22
MAX_STARTS = 60
SEED = 20261206
BATCH = "2"


def _start(url: str, tmp: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, str(WORKER), url, str(tmp / "ca.sqlite3"), str(tmp / "store.sqlite3"),
                             BATCH], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    return proc


def _finish(url: str, tmp: Path) -> dict[str, Any]:
    proc = _start(url, tmp)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _kill_inside_work(proc: subprocess.Popen[str], rng: random.Random) -> bool:
    assert proc.stdout is not None
    wait_for = rng.randint(1, 2)
    seen = 0
    while seen < wait_for:
        line = proc.stdout.readline()
        if not line or line.startswith("{"):
            return False
        if line.startswith("p "):
            seen += 1
    time.sleep(rng.uniform(0.0, 0.005) if rng.random() < 0.7 else rng.uniform(0.005, 0.03))
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    return True


def _pay_some(tmp: Path, halo: HaloSandbox, rng: random.Random) -> dict[str, Decimal]:
    """Receipts keyed into Sage against some invoices we posted (in full, or in part): number -> amount paid."""
    posted = {inv["thirdpartyinvoicenumber"] for inv in halo.export()["invoices"] if inv["posted"]
              and float(inv["total"]) > 0}
    company = new_company(tmp / "ca.sqlite3")
    paid: dict[str, Decimal] = {}
    try:
        for entry in [j for j in company.journals() if j["number"] in posted][:8]:
            total = Decimal(entry["total"])
            amount = total if rng.random() < 0.5 else min(Decimal("10.00"), total)
            company.receive(entry["customer"], entry["number"], amount)
            paid[entry["number"]] = amount
    finally:
        company.close()
    return paid


@pytest.mark.slow
def test_sigkill_at_random_points_posts_everything_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    data = ca_seed(150, n_clients=16)
    excluded = {c["id"] for c in data["clients"] if c.get("excludefrominvoicesync") or len(c["name"]) > 52}
    eligible = {inv["id"] for inv in data["invoices"] if inv["client_id"] not in excluded
                and not inv.get("requires_approval")}
    new_company(tmp_path / "ca.sqlite3").close()
    with Store.open(tmp_path / "store.sqlite3") as store:
        map_taxes(store)
    started = time.monotonic()
    paid: dict[str, Decimal] = {}
    with HaloSandbox(data, rate_limit=FAST) as halo:
        killed = starts = 0
        while killed < KILLS and starts < MAX_STARTS:
            if killed == KILLS // 2 and not paid:
                paid = _pay_some(tmp_path, halo, rng)
            proc = _start(halo.url, tmp_path)
            starts += 1
            if _kill_inside_work(proc, rng):
                killed += 1
            proc.communicate(timeout=30)
        assert killed >= 20, f"only {killed} runs were killed mid-way"
        final = _finish(halo.url, tmp_path)
        assert final["status"] in ("ok", "held"), final
        again = _finish(halo.url, tmp_path)
        assert again["status"] in ("ok", "held"), again
        assert not again["counts"].get("invoice", {}).get("posted"), again
        export = halo.export()

    company = new_company(tmp_path / "ca.sqlite3")
    try:
        journals = company.journals()
        customers = Counter(c["Name"].casefold() for c in company.all("customer"))
    finally:
        company.close()
    numbers = Counter(j["number"] for j in journals)
    invoices = {inv["id"]: inv for inv in export["invoices"]}
    assert set(numbers) == {invoices[i]["invoicenumber"] for i in eligible}
    assert all(n == 1 for n in numbers.values()), [k for k, n in numbers.items() if n > 1]
    assert all(n == 1 for n in customers.values())
    assert all(invoices[i]["posted"] and invoices[i]["thirdpartyinvoicenumber"] == invoices[i]["invoicenumber"]
               for i in eligible)
    by_number = {j["number"]: j for j in journals}
    for i in eligible:  # Sage's total and tax equal Halo's
        halo_tax = abs(sum((Decimal(str(ln["tax_amount"])) for ln in invoices[i]["lines"]), Decimal(0)))
        entry = by_number[invoices[i]["invoicenumber"]]
        assert abs(abs(Decimal(entry["tax"])) - halo_tax) <= Decimal("0.01")
        assert abs(abs(Decimal(entry["total"])) - abs(Decimal(str(invoices[i]["total"])))) <= Decimal("0.01")
    with Store.open(tmp_path / "store.sqlite3") as store:
        marks = Counter(e.halo_id for e in store.journal_entries() if e.action == "mark_posted"
                        and e.state in ("confirmed", "reconciled"))
        posts = Counter(e.halo_id for e in store.journal_entries() if e.action == "post"
                        and e.state in ("confirmed", "reconciled"))
        assert not store.unconfirmed()
        settled = Counter((e.target, e.state) for e in store.journal_entries())
    assert settled[("ledger", "reconciled")] + settled[("ledger", "abandoned")] > 0, settled
    assert {int(i) for i in marks} == eligible and all(n == 1 for n in marks.values())
    assert {int(i) for i in posts} == eligible and all(n == 1 for n in posts.values())
    # No payment recorded twice; each reached Halo with Sage's amount.
    ids = {i: inv["invoicenumber"] for i, inv in invoices.items()}
    pays = [p for p in export["payments"] if p.get("sage50_reference")]
    assert Counter(p["sage50_reference"] for p in pays).most_common(1)[0][1] == 1
    got: dict[str, Decimal] = {}
    for p in pays:
        got[ids[p["invoice_id"]]] = got.get(ids[p["invoice_id"]], Decimal(0)) + Decimal(str(p["amount"]))
    assert paid and got == paid
    assert time.monotonic() - started < 90
