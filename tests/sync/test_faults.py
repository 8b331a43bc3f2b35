"""Faults on the way — Halo 429 storms, 5xx answers, dropped connections (some after Halo saved the write),
and the QuickBooks session dropped mid-batch — end, after enough re-runs, in the same state as a clean run."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from sync_world import World, small_seed

from halo_accounts.ledgers.port import LedgerUnavailable
from halo_accounts.sandbox.halo import Faults

WRITES = ("create_customer", "create_product", "create_customers", "create_products", "post_invoices")


class FlakyLedger:
    """Drops the session at random (seeded): before a call (nothing done) or after a write (done, answer lost)."""

    def __init__(self, inner: Any, rng: random.Random, rate: float = 0.15) -> None:
        self.inner = inner
        self.rng = rng
        self.rate = rate
        self.drops = 0

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.inner, name)
        if not callable(target) or name in ("info", "close"):
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            roll = self.rng.random()
            if roll < self.rate / 2:
                self.drops += 1
                raise LedgerUnavailable("qb.status.unavailable", detail="the session ended before the request")
            result = target(*args, **kwargs)
            if name in WRITES and roll < self.rate:
                self.drops += 1
                raise LedgerUnavailable("qb.status.unavailable", detail="the session ended before the answer")
            return result

        return call


def state(w: World) -> dict[str, Any]:
    """What a user sees afterwards, without ids the package makes up (ListIDs, times)."""
    export = w.export()
    qb_txns = sorted((str(t["RefNumber"]), str(t.get("Other", "")), str(t.get("Subtotal", "")))
                     for k in ("invoice", "creditmemo") for t in w.qb(k))
    return {
        "invoices": sorted((i["id"], bool(i["posted"]), i.get("thirdpartyinvoicenumber", ""))
                           for i in export["invoices"]),
        "clients_linked": sorted(c["id"] for c in export["clients"] if c.get("accountsid")),
        "items": sorted((i["id"], i.get("accountsid", "")) for i in export["items"]),
        "payments": sorted((p["invoice_id"], str(p["amount"])) for p in export["payments"]),
        "qb_counts": w.company.counts(),
        "qb_txns": qb_txns,
        "qb_customers": sorted(c["Name"] for c in w.qb("customer")),
    }


def run_until_done(w: World, max_runs: int = 60) -> list[str]:
    statuses: list[str] = []
    for _ in range(max_runs):
        report = w.engine().run()
        statuses.append(report.status)
        if report.status in ("ok", "held") and not w.store.unconfirmed():
            break
    return statuses


def test_faults_end_in_the_same_state_as_a_clean_run(world: Any) -> None:
    seed = small_seed(60, control={"usehaloinvoiceidforaccounts": True})
    clean = world(seed)
    assert clean.engine().run().status in ("ok", "held")
    expected = state(clean)

    faults = Faults(error_rate=0.08, drop_rate=0.06, storm_429=3, seed=7, drop_after_write=True)
    w = world(small_seed(60, control={"usehaloinvoiceidforaccounts": True}), faults=faults, batch_size=7,
              client_kwargs={"sleep": lambda seconds: None, "rng": random.Random(3)})
    flaky = FlakyLedger(w.ledger, random.Random(13))
    w.ledger = flaky  # type: ignore[assignment]
    statuses = run_until_done(w)
    assert statuses[-1] in ("ok", "held"), statuses
    assert "interrupted" in statuses, "the faults should have interrupted at least one run"
    assert flaky.drops > 0
    # A final clean run finds nothing left to do.
    w.halo.set_faults(Faults())
    w.ledger = flaky.inner
    last = w.engine().run()
    assert last.count("invoice", "posted") == 0 and last.count("customer", "created") == 0
    assert state(w) == expected
    settled = Counter((e.target, e.state) for e in w.store.journal_entries())
    assert settled[("halo", "reconciled")] + settled[("halo", "abandoned")] > 0, settled
    assert settled[("ledger", "reconciled")] > 0, settled
    assert all(n == 1 for n in Counter(t[1] for t in state(w)["qb_txns"]).values())


def test_halo_timeouts_end_in_the_same_state_as_a_clean_run(world: Any) -> None:
    """Some Halo answers come after the client's timeout, writes included (Halo saved, the client never heard)."""
    seed = small_seed(40, control={"usehaloinvoiceidforaccounts": False})
    clean = world(seed)
    assert clean.engine().run().status in ("ok", "held")
    expected = state(clean)

    faults = Faults(slow_rate=0.12, slow_seconds=0.6, seed=5)
    w = world(small_seed(40, control={"usehaloinvoiceidforaccounts": False}), faults=faults, batch_size=9,
              client_kwargs={"timeout": 0.3, "sleep": lambda seconds: None, "rng": random.Random(5)})
    statuses = run_until_done(w)
    assert statuses[-1] in ("ok", "held"), statuses
    assert "interrupted" in statuses, "a write that timed out should have interrupted a run"
    w.halo.set_faults(Faults())
    last = w.engine().run()
    assert last.count("invoice", "posted") == 0 and last.count("customer", "created") == 0
    assert state(w) == expected
    timed_out = [e for e in w.store.journal_entries() if e.target == "halo" and e.state in ("reconciled", "abandoned")]
    assert timed_out, "at least one Halo write should have been settled after its answer was lost"
