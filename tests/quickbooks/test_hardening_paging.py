"""The ledger's reads where iterators are off (UK/CA/AU, `version.ITERATORS`): date windows guarded by MaxReturned
against the sandbox company (its schema check on), and an iterator left early is stopped (US)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from halo_accounts.ledgers.port import Customer, Invoice, InvoiceLine, Product
from halo_accounts.ledgers.quickbooks import QuickBooksLedger
from halo_accounts.sandbox.quickbooks import Company
from refpaths import QBXML_XSD_13, QBXML_XSD_16

_PI = re.compile(r'<\?qbxml version="(\d+\.\d+)"\?>')
NON = {"US": "Non", "UK": "E", "CA": "E", "AU": "N-T"}
DAY = 86400.0
START = datetime(2019, 3, 1, 9, 0, tzinfo=UTC).timestamp()


@cache
def schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(QBXML_XSD_16 if version == "16.0" else QBXML_XSD_13)))


class Clock:
    """The company's clock, moved by the test (the sandbox stamps TimeModified with it)."""

    def __init__(self) -> None:
        self.epoch = START

    def __call__(self) -> float:
        return self.epoch

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.epoch, UTC)


class Wire:
    """Transport around the sandbox: each request checked against the XSD of its version; requests and
    responses kept."""

    def __init__(self, company: Company) -> None:
        self.company = company
        self.sent: list[str] = []
        self.answers: list[str] = []

    def process(self, request_xml: str) -> str:
        version = _PI.search(request_xml)
        assert version and request_xml.isascii()
        s = schema(version.group(1))
        assert s.validate(etree.fromstring(request_xml.encode())), s.error_log.last_error
        self.sent.append(request_xml)
        self.answers.append(self.company.process(request_xml))
        return self.answers[-1]

    def exchanges(self, tag: str) -> list[tuple[etree._Element, etree._Element]]:
        """(request element, response element) pairs of one request kind, in order."""
        out = []
        for rq_xml, rs_xml in zip(self.sent, self.answers, strict=True):
            rqs = etree.fromstring(rq_xml.encode())[0]
            rss = etree.fromstring(rs_xml.split("?>", 1)[1].encode())[0]
            for rq in rqs:
                if rq.tag == f"{tag}Rq":
                    out.append((rq, next(r for r in rss if r.get("requestID") == rq.get("requestID"))))
        return out


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Callable[..., tuple[QuickBooksLedger, Wire, Clock]]]:
    made: list[Company] = []

    def make(edition: str, max_returned: int = 3) -> tuple[QuickBooksLedger, Wire, Clock]:
        clock = Clock()
        company = Company(tmp_path / f"{edition}-{len(made)}.qbw", edition=edition, now=clock,
                          validate_schema=QBXML_XSD_13)
        made.append(company)
        wire = Wire(company)
        return QuickBooksLedger(wire, max_returned=max_returned, now=clock.now), wire, clock

    yield make
    for c in made:
        c.close()


def _history(ledger: QuickBooksLedger, wire: Wire, clock: Clock, edition: str, n: int) -> list[str]:
    """``n`` invoices and one payment on each, spread over years; some keyed in bursts within one second."""
    ledger.accounts()
    cust = ledger.create_customer(Customer(name="Smith & Jones"))
    item = ledger.create_product(Product(code="Support", price=Decimal("10"), income_account="4000"))
    line = InvoiceLine(item.ref, "Support", Decimal(1), Decimal(10), Decimal(10), Decimal(0), NON[edition])
    numbers = []
    for i in range(n):
        clock.epoch += DAY * (97 if i % 4 == 0 else 0.0) + (0 if i % 4 else 1)  # bursts of 4 within a second
        number = f"INV{i:04d}"
        (out,) = ledger.post_invoices([Invoice(number=number, customer_ref=cust.ref, date=date(2019, 3, 1),
                                               lines=(line,), external_key=f"halo:{i}")])
        assert out.posted is not None, out.error
        wire.company.add_payment(cust.ref, {out.posted.ledger_id: "4.00"}, "2019-03-02", ref_number=f"P{i}")
        numbers.append(number)
    clock.epoch += 3600
    return numbers


@pytest.mark.parametrize("edition", ["UK", "CA", "AU"])
def test_whole_payment_history_is_read_in_guarded_windows(world: Callable, edition: str) -> None:
    ledger, wire, clock = world(edition)
    numbers = _history(ledger, wire, clock, edition, 22)
    payments = list(ledger.payments())  # since=None: every payment ever
    assert sorted(p.invoice_number for p in payments) == numbers  # each once, none skipped
    reads = wire.exchanges("ReceivePaymentQuery")
    assert len(reads) > 1 and all(rq.get("iterator") is None for rq, _ in reads)
    for rq, rs in reads:
        cap = int(rq.findtext("MaxReturned") or 0)
        assert 1 <= cap <= 3 * 16  # the page size, grown at most 16-fold for a burst
        assert len(rs) <= cap
    assert any(len(rs) == int(rq.findtext("MaxReturned") or 0) for rq, rs in reads)  # some came back full...
    assert reads[0][0].find("ModifiedDateRangeFilter") is None  # ...the first asks for all history, no bound
    filters = [rq.find("ModifiedDateRangeFilter") for rq, _ in reads]
    bounded = [f for f in filters if f is not None]
    assert bounded and filters[-1] is not None  # ...and were re-read in smaller windows
    assert filters[-1].find("ToModifiedDate") is None  # the last window is open-ended


@pytest.mark.parametrize("edition", ["UK", "CA"])
def test_modified_since_reads_only_the_recent_window(world: Callable, edition: str) -> None:
    ledger, wire, clock = world(edition)
    numbers = _history(ledger, wire, clock, edition, 12)
    since = clock.now() - timedelta(days=30)
    recent = list(ledger.payments(since=since))
    assert sorted(p.invoice_number for p in recent) == numbers[-4:]  # the last burst
    rq, _ = wire.exchanges("ReceivePaymentQuery")[-1]
    assert rq.findtext("ModifiedDateRangeFilter/FromModifiedDate")


@pytest.mark.parametrize("edition", ["UK", "AU"])
def test_lists_and_find_by_key_page_by_date_window_too(world: Callable, edition: str) -> None:
    ledger, wire, clock = world(edition, max_returned=2)
    for i in range(7):
        clock.epoch += 3 * DAY
        ledger.create_customer(Customer(name=f"Client {i}"))
    assert sorted(c.name for c in ledger.customers()) == [f"Client {i}" for i in range(7)]
    assert all(rq.get("iterator") is None and rq.findtext("MaxReturned")
               for rq, _ in wire.exchanges("CustomerQuery") if rq.find("FullName") is None)
    numbers = _history(ledger, wire, clock, edition, 6)
    found = ledger.find_invoice("", external_key="halo:5")  # within FIND_BY_KEY_WINDOW
    assert found is not None and found.number == numbers[5]
    assert ledger.find_invoice(numbers[1], external_key="halo:1") is not None  # older: by number, directly
    assert ledger.find_invoice("", external_key="halo:none") is None


def test_find_by_key_stops_the_iterator_it_leaves_open(world: Callable) -> None:
    ledger, wire, clock = world("US", max_returned=1)
    _history(ledger, wire, clock, "US", 4)  # four invoices within one second: four pages of one
    first = wire.exchanges("InvoiceQuery")
    found = ledger.find_invoice("", external_key="halo:0")
    assert found is not None
    reads = wire.exchanges("InvoiceQuery")[len(first):]
    modes = [rq.get("iterator") for rq, _ in reads]
    assert modes[0] == "Start" and modes[-1] == "Stop"  # matched before the end: the iterator is dropped
    start_rs = reads[0][1]
    assert reads[-1][0].get("iteratorID") == reads[-2][1].get("iteratorID") == start_rs.get("iteratorID")
    assert reads[-1][1].get("statusCode") == "0"
    # QuickBooks (the sandbox) no longer knows it: continuing it now is refused
    again = reads[-1][0]
    again.set("iterator", "Continue")
    doc = ('<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="13.0"?>\n<QBXML><QBXMLMsgsRq '
           f'onError="continueOnError">{etree.tostring(again).decode()}</QBXMLMsgsRq></QBXML>')
    assert 'statusCode="3000"' in wire.company.process(doc)


def test_no_stop_when_the_match_is_on_the_last_page(world: Callable) -> None:
    ledger, wire, clock = world("US", max_returned=2)
    _history(ledger, wire, clock, "US", 2)
    before = len(wire.exchanges("InvoiceQuery"))
    assert ledger.find_invoice("", external_key="halo:1") is not None
    modes = [rq.get("iterator") for rq, _ in wire.exchanges("InvoiceQuery")[before:]]
    assert "Stop" not in modes
