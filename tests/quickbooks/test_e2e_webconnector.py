"""Issue #3 end to end: the Web Connector driver (zeep, Intuit's WSDL) over real HTTP -> ``/qbwc`` -> the server's
job running `QuickBooksLedger` on the bridge transport -> the sandbox company. Every qbXML request that crosses
the path is validated against Intuit's XSD of the version its ``<?qbxml?>`` names."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from halo_accounts.ledgers.port import (
    Address,
    Customer,
    Invoice,
    InvoiceLine,
    LedgerError,
    LedgerUnavailable,
    Product,
    RecordRejected,
)
from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
from halo_accounts.ledgers.quickbooks.qbxml import status
from halo_accounts.ledgers.quickbooks.qbxml.text import clean, shorten_name, shorten_text
from halo_accounts.ledgers.quickbooks.settings import WebConnectorSettings
from halo_accounts.ledgers.quickbooks.transport import QbxmlTransport
from halo_accounts.ledgers.quickbooks.webconnector import server
from halo_accounts.messages import catalogue
from halo_accounts.sandbox.quickbooks import Company
from halo_accounts.sandbox.quickbooks.webconnector_driver import UpdateResult, WebConnectorDriver
from refpaths import QBXML_XSD_13, QBXML_XSD_16

USER, PASSWORD = "halo-qbwc", "e2e correct horse"
SETTINGS = WebConnectorSettings(username=USER)
_PI = re.compile(r'<\?qbxml version="(\d+\.\d+)"\?>')
TAX = {"US": "State Tax", "UK": "S", "CA": "H", "AU": "GST"}
NON = {"US": "Non", "UK": "E", "CA": "E", "AU": "N-T"}


@cache
def schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(QBXML_XSD_16 if version == "16.0" else QBXML_XSD_13)))


def validate(request_xml: str) -> str:
    """The request's qbXML version, after checking the document against that version's XSD (ASCII only)."""
    version = _PI.search(request_xml)
    assert version, f"no <?qbxml version?> in {request_xml[:200]}"
    assert request_xml.isascii(), "qbXML must be pure ASCII (NOTES §3.2)"
    doc = etree.fromstring(request_xml.encode("ascii"), etree.XMLParser(resolve_entities=False, no_network=True))
    s = schema(version.group(1))
    assert s.validate(doc), f"v{version.group(1)}: {s.error_log.last_error}\n{request_xml[:2000]}"
    return version.group(1)


class CheckedCompany:
    """What the driver talks to: the sandbox company behind an XSD check of every request.

    ``answer`` may replace QuickBooks' answer to a request (a stand-in for what the sandbox cannot produce).
    """

    def __init__(self, company: Company, *,
                 answer: Callable[[str, Callable[[str], str]], str] | None = None) -> None:
        self.company = company
        self.path = company.path
        self.answer = answer
        self.requests: list[str] = []
        self.versions: set[str] = set()

    def process(self, request_xml: str) -> str:
        self.versions.add(validate(request_xml))
        self.requests.append(request_xml)
        if self.answer is not None:
            return self.answer(request_xml, self.company.process)
        return self.company.process(request_xml)

    def rq_tags(self) -> list[str]:
        """The ``*Rq`` element names our side sent, in order."""
        return [el.tag for xml in self.requests for el in etree.fromstring(xml.encode())[0]]


@dataclass
class Run:
    """One Web Connector update: what the driver saw, what the job saw, what QuickBooks was sent."""

    update: UpdateResult
    job: dict[str, Any] = field(default_factory=dict)
    error: BaseException | None = None
    qb: CheckedCompany | None = None


@pytest.fixture
def endpoint() -> Iterator[Callable[..., str]]:
    """endpoint(job) -> URL of a live server on 127.0.0.1 (port chosen by the OS); stopped at test end."""
    stack: list[Any] = []

    def start(job: Callable[[QbxmlTransport], None]) -> str:
        cm = server.running(server.create_app(SETTINGS, job, password=PASSWORD))
        url = cm.__enter__()
        stack.append(cm)
        return url

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


@pytest.fixture
def company(tmp_path: Path) -> Iterator[Callable[..., Company]]:
    made: list[Company] = []

    def make(edition: str = "US") -> Company:
        c = Company(tmp_path / f"{edition}-{len(made)}.qbw", edition=edition, validate_schema=QBXML_XSD_13)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


def run_update(endpoint: Callable[..., str], qb: CheckedCompany, work: Callable[[QuickBooksLedger, dict], None],
               *, password: str = PASSWORD, max_returned: int = 100) -> Run:
    """One update in which the server's job runs ``work(ledger, results)`` on a ledger over the bridge."""
    run = Run(update=UpdateResult(), qb=qb)
    ended = threading.Event()

    def job(transport: QbxmlTransport) -> None:
        try:
            work(QuickBooksLedger(transport, max_returned=max_returned), run.job)
        except BaseException as exc:
            run.error = exc
            raise
        finally:
            ended.set()

    url = endpoint(job)
    with WebConnectorDriver(url, USER, password, qb, noop_pause=0.01) as driver:
        run.update = driver.run_update()
    if run.update.outcome not in ("nvu", "none"):
        assert ended.wait(10), "the job did not end with the update"
    return run


def customer(name: str, **kw: Any) -> Customer:
    base = Customer(name=name, email="ap@example.com", phone="0161 496 0000",
                    billing=Address(lines=("1 High St",), city="Manchester", postcode="M1 1AA"))
    return replace(base, **kw)


def invoice(number: str, cust: str, item: str, tax: str, **kw: Any) -> Invoice:
    line = InvoiceLine(item, "Managed service", Decimal("2"), Decimal("50"), Decimal("100"), Decimal("0"), tax)
    inv = Invoice(number=number, customer_ref=cust, date=date(2026, 11, 1), lines=(line,),
                  external_key=f"halo:{number}")
    return replace(inv, **kw)


def assert_clean_end(run: Run) -> None:
    assert run.error is None, run.error
    assert run.update.outcome == "done", (run.update.outcome, run.update.error)
    assert run.update.percents[-1] == 100 and all(0 < p < 100 for p in run.update.percents[:-1])


# ------------------------------------------------------------------------------------------- iterators


def test_us_reads_more_than_max_returned_with_iterators(endpoint: Callable[..., str],
                                                        company: Callable[..., Company]) -> None:
    qb = CheckedCompany(company("US"))

    def work(ledger: QuickBooksLedger, out: dict) -> None:
        ledger.accounts()
        made = [ledger.create_customer(customer(f"Client {i:02d}", tax_code="State Tax")) for i in range(17)]
        item = ledger.create_product(Product(code="Support", price=Decimal("50"), income_account="4000"))
        for i in range(4):
            ledger.create_product(Product(code=f"Extra {i}", price=Decimal("5"), income_account="4100"))
        posted = ledger.post_invoices([invoice(f"INV{i:03d}", made[i].ref, item.ref, "State Tax")
                                       for i in range(12)])
        assert all(o.posted for o in posted), [o.error for o in posted if o.error]
        for i, o in enumerate(posted[:7]):  # keyed in QuickBooks by a user while the sync runs
            assert o.posted is not None
            qb.company.add_payment(made[i].ref, {o.posted.ledger_id: "10.00"}, "2026-11-20")
        out["customers"] = [c.name for c in ledger.customers()]
        out["products"] = [p.code for p in ledger.products()]
        out["payments"] = list(ledger.payments())
        out["by_key"] = ledger.find_invoice("", external_key="halo:INV011")
        out["posted"] = posted

    run = run_update(endpoint, qb, work, max_returned=5)
    assert_clean_end(run)
    assert sorted(run.job["customers"]) == [f"Client {i:02d}" for i in range(17)]
    assert {"Support", "Extra 0", "Extra 3"} <= set(run.job["products"])
    assert len(run.job["payments"]) == 7 and {p.invoice_number for p in run.job["payments"]} == {
        f"INV{i:03d}" for i in range(7)}
    assert run.job["by_key"] == run.job["posted"][11].posted  # found by key, after paging through invoices
    queries = [x for x in qb.requests if "<CustomerQueryRq" in x and "<MaxReturned>" in x]
    assert len(queries) == 4  # 17 customers, 5 a page
    assert 'iterator="Start"' in queries[0] and all('iterator="Continue"' in q for q in queries[1:])
    assert all("<MaxReturned>5</MaxReturned>" in q for q in queries)
    ids = {re.search(r'iteratorID="([^"]+)"', q).group(1) for q in queries[1:]}  # type: ignore[union-attr]
    assert len(ids) == 1  # one iteration, continued with the ID QuickBooks gave
    payment_queries = [x for x in qb.requests if "<ReceivePaymentQueryRq" in x]
    assert len(payment_queries) == 2 and 'iterator="Continue"' in payment_queries[1]
    # every round trip is one sendRequestXML/receiveResponseXML pair over HTTP
    assert run.update.methods.count("sendRequestXML") == len(qb.requests) - 1  # minus the driver's HCP query
    assert run.update.methods.count("receiveResponseXML") == len(qb.requests) - 1


@pytest.mark.parametrize("edition", ["UK", "CA", "AU"])
def test_non_us_reads_in_guarded_date_windows(endpoint: Callable[..., str], company: Callable[..., Company],
                                              edition: str) -> None:
    qb = CheckedCompany(company(edition))

    def work(ledger: QuickBooksLedger, out: dict) -> None:
        for i in range(12):
            ledger.create_customer(customer(f"Client {i:02d}", tax_code=TAX[edition]))
        out["customers"] = [c.name for c in ledger.customers()]

    run = run_update(endpoint, qb, work, max_returned=5)
    assert_clean_end(run)
    assert sorted(run.job["customers"]) == [f"Client {i:02d}" for i in range(12)]  # each once, none skipped
    queries = [x for x in qb.requests if "<CustomerQueryRq" in x]
    # ITERATORS[edition] is False ([?] NOTES §3.4): date-window paging (qbxml/windows.py), every read guarded by
    # MaxReturned; a full answer (12 made within a second, 5 a page) is re-read, never taken as complete.
    assert len(queries) >= 2
    assert all("iterator" not in q and "<MaxReturned>" in q for q in queries)


# ------------------------------------------------------------------------------------------- status codes


def test_status_codes_the_sandbox_produces(endpoint: Callable[..., str], company: Callable[..., Company]) -> None:
    qb = CheckedCompany(company("US"))

    def work(ledger: QuickBooksLedger, out: dict) -> None:
        created = ledger.create_customer(customer("Smith & Jones Ltd"))
        item = ledger.create_product(Product(code="Support", price=Decimal("50"), income_account="4000"))
        try:  # 3100: the name belongs to a vendor (one name space, NOTES §3.6)
            ledger.create_customer(customer("Northwind Supplies"))
        except LedgerError as exc:
            out["3100"] = exc
        ledger.update_customer(replace(created, phone="0161 000 0001"))  # QuickBooks' EditSequence moves on
        out["3200"] = ledger.update_customer(replace(created, phone="0161 000 0002"))  # stale -> re-read, retry
        try:  # 3120: the record we hold a ListID for is gone
            ledger.update_customer(replace(created, ref="80000999-1700000000"))
        except LedgerError as exc:
            out["3120"] = exc
        out["3120-find"] = ledger.find_customer(ref="80000999-1700000000")
        out["3140"] = ledger.post_invoices([
            invoice("INV1", created.ref, "No Such Item", "Non"),
            invoice("INV2", "80000999-1700000000", item.ref, "Non"),
            invoice("INV3", created.ref, item.ref, "Non"),
        ])
        out["held"] = ledger.post_invoices([invoice("INV-2026-000001", created.ref, item.ref, "Non")])

    run = run_update(endpoint, qb, work)
    assert_clean_end(run)
    out = run.job
    assert isinstance(out["3100"], status.NameInUse) and out["3100"].code == "qb.status.name_in_use"
    assert "Northwind Supplies" in out["3100"].message and "map customer" in out["3100"].fix
    assert out["3200"].phone == "0161 000 0002"
    mods = [x for x in qb.requests if "<CustomerModRq" in x]
    assert len(mods) == 4  # one, then the stale one and its retry, then the unknown ListID
    assert isinstance(out["3120"], status.ObjectNotFound) and out["3120"].status_code == 3120
    assert out["3120-find"] is None  # a look-up that finds nothing is not an error
    bad_item, bad_customer, good = out["3140"]
    for o in (bad_item, bad_customer):
        assert o.posted is None and isinstance(o.error, status.InvalidReference) and o.error.status_code == 3140
    assert "No Such Item" in bad_item.error.message
    assert good.posted is not None and good.error is None  # continueOnError: the batch goes on
    (held,) = out["held"]
    assert held.error is not None and held.error.code == "qb.text.too_long"  # over-long: held, never sent
    assert not any("INV-2026-000001" in x for x in qb.requests)
    counts = qb.company.counts()
    assert counts["invoice"] == 1 and counts["customer"] == 1


# statusCode -> statusMessage QuickBooks would send (NOTES §3.7; texts from the cited sources where known).
INJECTED: dict[int, str] = {
    1000: "An internal QuickBooks error occurred while trying to access the QuickBooks company data.",
    1010: "QuickBooks is not available to process the request.",
    1030: "The request is not supported by this implementation.",
    1060: "The requestID is invalid.",
    3000: 'The given object ID "X" in the field "list id" is invalid.',
    3010: "Invalid boolean value.",
    3020: "Invalid date value.",
    3030: "Invalid date range.",
    3031: "Invalid string range.",
    3070: 'The string "Managed service" in the field "Desc" is too long.',
    3100: 'The name "INV" of the list element is already in use.',
    3120: 'Object "80000001-1700000000" specified in the request cannot be found.',
    3130: 'There is an invalid reference to a parent "X" in the Customers list.',
    3140: 'There is an invalid reference to QuickBooks Item "X" in the Invoice.',
    3150: "There is a missing element.",
    3170: "There was an error when saving a Invoice. QuickBooks error message: This list has been modified by "
          "another user.",
    3171: "The date is on or before the closing date.",
    3175: "There was an error when storing the record: it is in use by another user.",
    3176: "There was an error when storing the record: it could not be locked.",
    3180: "There was an error when saving a Invoice. QuickBooks error message: Could not lock the record.",
    3200: 'The provided edit sequence "1" is out-of-date. ',
    3210: 'The "Amount" field has an invalid value "x".',
    3231: "The request has not been processed.",
    3250: "This feature is not enabled or not available in this version of QuickBooks.",
    3260: "Insufficient permission level to perform this action.",
    3261: "The integrated application has no permission to access this data.",
}


def _injecting(codes: list[int]) -> Callable[[str, Callable[[str], str]], str]:
    """A QuickBooks stand-in: the n-th InvoiceAddRq of a batch is answered with ``codes[n]`` (an empty ``*Rs``
    with the status attributes only, NOTES §3.1) and never reaches the company; the rest run for real."""

    def answer(request_xml: str, real: Callable[[str], str]) -> str:
        if "<InvoiceAddRq" not in request_xml:
            return real(request_xml)
        doc = etree.fromstring(request_xml.encode())
        msgs = doc.find("QBXMLMsgsRq")
        assert msgs is not None
        failing: dict[str, int] = {}
        for n, rq in enumerate(list(msgs)):
            if n < len(codes):
                failing[rq.get("requestID", "")] = codes[n]
                msgs.remove(rq)
        pi = _PI.search(request_xml).group(0)  # type: ignore[union-attr]
        rest = list(msgs)
        answered = etree.fromstring(real(f'<?xml version="1.0"?>{pi}{etree.tostring(doc).decode()}')
                                    .split("?>", 1)[1].encode()) if rest else etree.fromstring(
            b"<QBXML><QBXMLMsgsRs/></QBXML>")
        out = answered.find("QBXMLMsgsRs")
        assert out is not None
        for rid, code in failing.items():
            rs = etree.SubElement(out, "InvoiceAddRs", requestID=rid, statusCode=str(code), statusSeverity="Error",
                                  statusMessage=INJECTED[code])
            assert rs is not None
        return '<?xml version="1.0" ?>\n' + etree.tostring(answered).decode()

    return answer


def _template(code: str) -> str:
    return catalogue()[code].text


def test_every_mapped_status_code_through_the_whole_path(endpoint: Callable[..., str],
                                                          company: Callable[..., Company]) -> None:
    codes = sorted(status.STATUS)
    assert set(codes) == set(INJECTED)  # a new code in the table needs a stand-in answer here
    qb = CheckedCompany(company("US"), answer=_injecting(codes))

    def work(ledger: QuickBooksLedger, out: dict) -> None:
        cust = ledger.create_customer(customer("Smith & Jones Ltd"))
        item = ledger.create_product(Product(code="Support", price=Decimal("50"), income_account="4000"))
        batch = [invoice(f"INV{n:03d}", cust.ref, item.ref, "Non") for n in range(len(codes) + 1)]
        out["outcomes"] = ledger.post_invoices(batch)

    run = run_update(endpoint, qb, work)
    assert_clean_end(run)
    outcomes = run.job["outcomes"]
    assert len(outcomes) == len(codes) + 1 and len([x for x in qb.requests if "<InvoiceAddRq" in x]) == 1
    for code, outcome in zip(codes, outcomes, strict=False):
        cls, catalogue = status.STATUS[code]
        err = outcome.error
        assert outcome.posted is None and type(err) is cls, (code, err)
        assert err.code == catalogue and err.status_code == code
        assert err.status_message == INJECTED[code].strip() and err.fix  # QuickBooks' words kept, and a fix
        assert f"INV{codes.index(code):03d}" in err.message or "{record}" not in _template(catalogue)
        assert outcome.key == f"halo:INV{codes.index(code):03d}"
    for code in (3170, 3175, 3176, 3180, 3200, 3231):
        assert outcomes[codes.index(code)].error.retryable, code
    assert isinstance(outcomes[codes.index(3070)].error, RecordRejected)
    assert isinstance(outcomes[codes.index(3261)].error, LedgerUnavailable)
    assert outcomes[-1].posted is not None and qb.company.counts()["invoice"] == 1  # the one that went through


# ------------------------------------------------------------------------------------------- names


NAMES = [
    "Smith & Jones <Holdings> 'UK'",
    "Zoë O'Brien Façades & Fenêtres",
    "Łódź Café — “Straße” Ltd",  # outside Latin-1: mapped to look-alikes (NOTES §3.2)
    "AT&T <Managed> Services O'Neill Ümlaut Group International Ltd",  # 60+ characters
    "A" * 41,
    "Ä" * 60,
]


TEXT = "Line one & <two>\n'Three' – Zoë’s “café” ✓ Łódź"


@pytest.mark.parametrize("edition", ["US", "UK"])
def test_names_go_through_and_come_back(endpoint: Callable[..., str], company: Callable[..., Company],
                                        edition: str) -> None:
    qb = CheckedCompany(company(edition))
    item_codes = ["Parts & <Labour>", "Café 'Premium'", "Very Long Item Name With & And < And ' Über"]

    def work(ledger: QuickBooksLedger, out: dict) -> None:
        out["created"] = [ledger.create_customer(customer(n, company_name=n, contact="Zoë O'Brien")) for n in NAMES]
        out["read"] = {c.ref: c for c in ledger.customers()}
        out["found"] = [ledger.find_customer(name=n) for n in NAMES]
        ledger.accounts()
        out["items"] = [ledger.create_product(Product(code=c, description="Desc & <more> 'quoted' é",
                                                      price=Decimal("1"), income_account="4000"))
                        for c in item_codes]
        out["found_items"] = [ledger.find_product(code=c) for c in item_codes]
        line = InvoiceLine(out["items"][0].ref, TEXT, Decimal("1"), Decimal("5"), Decimal("5"), Decimal("0"), "")
        out["invoice"] = ledger.post_invoices([Invoice(number="A&B<'1'", customer_ref=out["created"][0].ref,
                                                       date=date(2026, 11, 1), lines=(line,), memo=TEXT,
                                                       po_number="PO <&> 'é'", external_key="halo:é&<'")])
        again = []
        for n in NAMES:
            try:
                ledger.create_customer(customer(n))
            except LedgerError as exc:
                again.append(exc)
        out["again"] = again

    run = run_update(endpoint, qb, work)
    assert_clean_end(run)
    for name, made, found in zip(NAMES, run.job["created"], run.job["found"], strict=True):
        expected = shorten_name(clean(name), 41)  # NOTES §4.1 Name len41; the policy in text.FIELDS
        assert made.name == expected and len(made.name) <= 41
        assert run.job["read"][made.ref].name == expected  # as QuickBooks keeps and returns it
        assert found == made  # the long original finds the shortened record
        if clean(name) == name and len(name) <= 41:
            assert made.name == name  # unchanged when it fits and is Latin-1
        assert made.contact == "Zoë O'Brien"
    assert run.job["created"][2].name == "Lódz Café - \"Straße\" Ltd"
    assert len({c.name for c in run.job["created"]}) == len(NAMES)
    # the same long name shortens the same way: a second create is a 3100, never a silent duplicate
    assert len(run.job["again"]) == len(NAMES) and all(isinstance(e, status.NameInUse) for e in run.job["again"])
    stored = {r["Name"]: r for r in qb.company.dump("customer")["customer"]}
    long_one = stored[shorten_name(clean(NAMES[3]), 41)]
    assert clean(NAMES[3]) in long_one["Notes"] and long_one["CompanyName"] == shorten_text(clean(NAMES[3]), 41)
    for code, made, found in zip(item_codes, run.job["items"], run.job["found_items"], strict=True):
        assert made.code == shorten_name(clean(code), 31) and found == made
        assert made.description.endswith("Desc & <more> 'quoted' é")
    assert "Very Long Item Name With & And < And ' Über" in run.job["items"][2].description
    (posted,) = run.job["invoice"]
    assert posted.posted is not None and posted.posted.number == "A&B<'1'"
    (stored_invoice,) = qb.company.dump("invoice")["invoice"]
    assert stored_invoice["Memo"] == clean(TEXT, multiline=True) == stored_invoice["InvoiceLineRet"][0]["Desc"]
    assert stored_invoice["PONumber"] == "PO <&> 'é'" and stored_invoice["RefNumber"] == "A&B<'1'"


# ------------------------------------------------------------------------------------------- XXE


def test_response_with_external_entity_is_refused_through_the_path(endpoint: Callable[..., str],
                                                                   company: Callable[..., Company],
                                                                   tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")

    def evil(request_xml: str, real: Callable[[str], str]) -> str:
        if "<AccountQueryRq" not in request_xml:
            return real(request_xml)
        rid = re.search(r'<AccountQueryRq requestID="([^"]*)"', request_xml).group(1)  # type: ignore[union-attr]
        return (f'<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
                f'<QBXML><QBXMLMsgsRs><AccountQueryRs requestID="{rid}" statusCode="0" statusSeverity="Info" '
                'statusMessage="Status OK"><AccountRet><ListID>1-1</ListID><Name>&x;</Name><AccountNumber>&x;'
                "</AccountNumber><AccountType>Income</AccountType></AccountRet></AccountQueryRs></QBXMLMsgsRs>"
                "</QBXML>")

    qb = CheckedCompany(company("US"), answer=evil)

    def work(ledger: QuickBooksLedger, out: dict) -> None:
        out["accounts"] = ledger.accounts()  # raises: the job does not catch it

    run = run_update(endpoint, qb, work)
    assert qb.rq_tags()[-1] == "AccountQueryRq"  # the DOCTYPE'd answer was delivered: the refusal is ours
    assert isinstance(run.error, LedgerUnavailable) and run.error.code == "qb.response.unreadable"
    assert "DOCTYPE" in run.error.message or "document type" in run.error.message
    assert "accounts" not in run.job
    update = run.update
    assert update.percents[-1] < 0 and update.outcome == "error"
    assert update.methods[-2:] == ["getLastError", "closeConnection"]
    last_error = update.calls[-2].result
    assert "could not be read" in last_error and "Traceback" not in last_error
    everything = repr(run.error) + str(run.error) + "".join(repr(c.result) for c in update.calls)
    assert "TOP-SECRET-MARKER" not in everything  # nothing was resolved


# ------------------------------------------------------------------------------------------- wrong password


def test_wrong_password_gets_nvu_and_nothing_else(endpoint: Callable[..., str],
                                                  company: Callable[..., Company]) -> None:
    qb = CheckedCompany(company("US"))
    before = qb.company.counts()
    ran: list[bool] = []
    run = run_update(endpoint, qb, lambda ledger, out: ran.append(True), password="not the password")
    assert run.update.methods == ["serverVersion", "clientVersion", "authenticate"]
    assert run.update.calls[-1].result == ["", "nvu"] and run.update.outcome == "nvu"
    assert not ran and qb.requests == [] and qb.company.counts() == before
    assert "not the password" not in repr(run.update)
