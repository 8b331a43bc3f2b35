"""New customers and items go to QuickBooks in batches (one qbXML document each), exactly once: a refusal in
the middle holds that record only, and a batch whose answer was lost is reconciled next run without duplicates."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any
from xml.sax.saxutils import escape

from sync_world import small_seed

from halo_accounts.ledgers.port import LedgerUnavailable
from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
from halo_accounts.sandbox.quickbooks import Company


class Counting:
    """A qbXML transport around the sandbox company: counts round trips, and can tamper with one batch."""

    def __init__(self, company: Company) -> None:
        self.company = company
        self.calls: list[str] = []
        self.before_batch: str = ""
        """A CustomerAdd document to run in the company just before the first customer batch (a name clash)."""
        self.drop_batch = 0
        """Lose the answer to this (1-based) customer batch after QuickBooks has processed it."""

    def process(self, request_xml: str) -> str:
        self.calls.append(request_xml)
        batch = request_xml.count("<CustomerAddRq")
        if batch and self.before_batch:
            self.company.process(self.before_batch)
            self.before_batch = ""
        response = self.company.process(request_xml)
        if batch and self.drop_batch and self.customer_batches() == self.drop_batch:
            raise LedgerUnavailable("qb.status.unavailable", detail="the session ended before the answer")
        return response

    def customer_batches(self) -> int:
        return sum(1 for xml in self.calls if "<CustomerAddRq" in xml)

    def item_batches(self) -> int:
        return sum(1 for xml in self.calls if "<ItemServiceAddRq" in xml or "<ItemNonInventoryAddRq" in xml
                   or "<ItemOtherChargeAddRq" in xml)


def _counting(w: Any) -> Counting:
    transport = Counting(w.company)
    w.ledger = QuickBooksLedger(transport)
    return transport


def test_new_customers_and_items_cost_one_round_trip_per_batch(world: Any) -> None:
    w = world(small_seed(20, n_clients=8), batch_size=3)
    qb = _counting(w)
    report = w.engine().run()
    assert report.status in ("ok", "held"), report.errors
    customers, items = report.count("customer", "created"), report.count("item", "created")
    assert customers >= 4 and items >= 4
    assert qb.customer_batches() == math.ceil(customers / 3)
    assert qb.item_batches() == math.ceil(items / 3)
    assert len(w.qb("customer")) == customers
    assert all(e.state == "confirmed" for e in w.store.journal_entries(kind="customer"))


def test_a_refusal_in_the_middle_of_a_batch_holds_that_customer_and_creates_the_others(world: Any) -> None:
    seed = small_seed(20, n_clients=8)
    w = world(seed, batch_size=50)
    qb = _counting(w)
    active = [c for c in sorted(seed["clients"], key=lambda c: c["id"])
              if not c.get("inactive") and len(c["name"]) <= 41 and c["name"].isascii()]  # NOTES §4.1: Name max 41
    victim = active[len(active) // 2]
    qb.before_batch = (  # someone adds the same name in QuickBooks while the sync is planning: QuickBooks says 3100
        '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">'
        f'<CustomerAddRq><CustomerAdd><Name>{escape(victim["name"])}</Name></CustomerAdd></CustomerAddRq>'
        '</QBXMLMsgsRq></QBXML>')
    report = w.engine().run()
    assert report.status == "held"
    assert qb.customer_batches() == 1
    held = {h.halo_id: h for h in w.store.held("customer")}
    assert set(held) == {str(victim["id"])}
    assert held[str(victim["id"])].code == "sync.ledger_rejected"
    assert victim["name"] in held[str(victim["id"])].message
    created = report.count("customer", "created")
    assert created >= 3
    linked = {link.halo_id for link in w.store.links("customer")}
    assert str(victim["id"]) not in linked and len(linked) == created
    states = Counter(e.state for e in w.store.journal_entries(kind="customer") if e.target == "ledger")
    assert states == {"confirmed": created, "failed": 1}
    names = Counter(c["Name"] for c in w.qb("customer"))
    assert all(n == 1 for n in names.values()) and len(names) == created + 1  # + the clash made by hand


def test_a_batch_lost_mid_way_is_reconciled_next_run_without_duplicates(world: Any) -> None:
    w = world(small_seed(20, n_clients=8), batch_size=3)
    qb = _counting(w)
    qb.drop_batch = 2
    first = w.engine().run()
    assert first.status == "interrupted"
    sent = w.store.unconfirmed("ledger")
    assert len(sent) == 3 and {e.kind for e in sent} == {"customer"}
    done = len(w.qb("customer"))  # QuickBooks did the work of both batches
    w.ledger = QuickBooksLedger(w.company)
    second = w.engine().run()
    assert second.status in ("ok", "held"), second.errors
    assert second.count("customer", "reconciled") == 3
    assert not w.store.unconfirmed()
    names = Counter(c["Name"] for c in w.qb("customer"))
    assert all(n == 1 for n in names.values()), names
    assert len(names) == done + second.count("customer", "created")
    clients = {c["id"]: c for c in w.export()["clients"]}
    for entry in sent:
        link = w.store.get_link("customer", entry.halo_id)
        assert link is not None and clients[int(entry.halo_id)]["accountsid"] == link.ledger_ref
