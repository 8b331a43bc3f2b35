"""Crash consistency: a sync of 300 invoices SIGKILLed at random points (seeded), restarted again and again,
ends with every eligible invoice in QuickBooks once, marked posted in Halo once, and no payment twice.

The Halo sandbox runs in this process and survives; each sync runs in a subprocess (`crash_worker.py`).
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
from sync_world import DEMO_APP, EXTRA_ACCOUNTS, FAST, TAX_MAPS, small_seed

from halo_accounts.sandbox.halo import HaloSandbox
from halo_accounts.sandbox.quickbooks import Company
from halo_accounts.store import Store

WORKER = Path(__file__).with_name("crash_worker.py")
KILLS = 22
MAX_STARTS = 60
SEED = 20261125


def _unposted_seed(n: int) -> dict[str, Any]:
    data = small_seed(n, n_clients=20)
    for inv in data["invoices"]:
        inv.update(posted=False, thirdpartyinvoicenumber="", dateposted="1899-12-30T00:00:00")
    data["payments"] = []
    data["applications"] = [dict(DEMO_APP)]
    return data


def _start(url: str, tmp: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, str(WORKER), url, str(tmp / "qb.sqlite3"), str(tmp / "store.sqlite3"),
                             "UK", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    return proc


def _finish(url: str, tmp: Path) -> dict[str, Any]:
    proc = _start(url, tmp)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _kill_inside_work(proc: subprocess.Popen[str], rng: random.Random) -> bool:
    """SIGKILL after a random number of progress lines plus a random few milliseconds (inside a batch, a
    journal write or an HTTP exchange); False when the run finished first (nothing left to do)."""
    assert proc.stdout is not None
    wait_for = rng.randint(1, 3)
    seen = 0
    while seen < wait_for:
        line = proc.stdout.readline()
        if not line or line.startswith("{"):
            return False
        if line.startswith("p "):
            seen += 1
    # Mostly within a few milliseconds (on a fast machine a longer delay lets one run post many batches, and
    # everything is posted before enough kills have landed inside the work), sometimes later (to land in the
    # write-backs to Halo that follow a batch).
    time.sleep(rng.uniform(0.0, 0.005) if rng.random() < 0.7 else rng.uniform(0.005, 0.03))
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    return True


def _pay_some(tmp: Path, halo: HaloSandbox, rng: random.Random) -> int:
    """Key payments in QuickBooks (as a user would between runs) against some invoices we posted."""
    posted = [inv for inv in halo.export()["invoices"] if inv["posted"] and float(inv["total"]) > 0]
    with Company(tmp / "qb.sqlite3", edition="UK") as company:
        by_ref = {t["RefNumber"]: t for t in company.dump("invoice").get("invoice", [])}
        chosen = [inv for inv in posted if inv["thirdpartyinvoicenumber"] in by_ref][:8]
        for inv in chosen:
            txn = by_ref[inv["thirdpartyinvoicenumber"]]
            amount = Decimal(str(inv["total"])) if rng.random() < 0.5 else Decimal("10.00")
            company.add_payment(txn["CustomerRef"]["ListID"], {txn["TxnID"]: amount}, "2026-11-24")
    return len(chosen)


@pytest.mark.slow
def test_sigkill_at_random_points_posts_everything_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    data = _unposted_seed(300)  # room for the kills: on a loaded machine each killed run gets further
    excluded = {c["id"] for c in data["clients"] if c.get("excludefrominvoicesync")}
    eligible = {inv["id"] for inv in data["invoices"] if inv["client_id"] not in excluded
                and not inv.get("requires_approval")}
    Company(tmp_path / "qb.sqlite3", edition="UK", seed={"accounts": EXTRA_ACCOUNTS}).close()
    with Store.open(tmp_path / "store.sqlite3") as store:
        for halo_id, code in TAX_MAPS["UK"].items():
            store.link("tax", halo_id, code, number=code)
    started = time.monotonic()
    paid = 0
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

    # Every eligible invoice is in QuickBooks exactly once (by our key), nothing else is.
    with Company(tmp_path / "qb.sqlite3", edition="UK") as company:
        dump = company.dump()
    keys = Counter(str(t.get("Other", "")) for k in ("invoice", "creditmemo") for t in dump.get(k, []))
    want = {f"halo:127.0.0.1:{i}" for i in eligible}
    assert set(keys) == want
    assert all(n == 1 for n in keys.values()), [k for k, n in keys.items() if n > 1]
    customers = Counter(c["Name"] for c in dump.get("customer", []))
    assert all(n == 1 for n in customers.values())
    # Marked posted in Halo, exactly once each (confirmed or found-after-crash write-backs in the journal).
    invoices = {inv["id"]: inv for inv in export["invoices"]}
    assert all(invoices[i]["posted"] and invoices[i]["thirdpartyinvoicenumber"] for i in eligible)
    with Store.open(tmp_path / "store.sqlite3") as store:
        marks = Counter(e.halo_id for e in store.journal_entries() if e.action == "mark_posted"
                        and e.state in ("confirmed", "reconciled"))
        posts = Counter(e.halo_id for e in store.journal_entries() if e.action == "post"
                        and e.state in ("confirmed", "reconciled"))
        assert not store.unconfirmed()
        settled = Counter((e.target, e.state) for e in store.journal_entries())
    # The kills did land between "journalled" and "confirmed": entries were settled by looking them up.
    assert settled[("ledger", "reconciled")] + settled[("ledger", "abandoned")] > 0, settled
    assert settled[("halo", "reconciled")] + settled[("halo", "abandoned")] > 0, settled
    assert {int(i) for i in marks} == eligible and all(n == 1 for n in marks.values())
    assert {int(i) for i in posts} == eligible and all(n == 1 for n in posts.values())
    # No payment recorded twice; every QuickBooks payment reached Halo.
    pays = Counter(p["thirdpartyid"] for p in export["payments"] if p.get("thirdpartyid"))
    assert paid > 0 and len(pays) == paid
    assert all(n == 1 for n in pays.values())
    assert time.monotonic() - started < 120
