"""`QuickBooksLedger` against the QuickBooks sandbox company as a direct transport (and a tiny fake for the
failure paths the sandbox cannot produce). Every document the ledger sends is checked against Intuit's XSD."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from halo_accounts.ledgers.port import (
    Address,
    Customer,
    Invoice,
    InvoiceLine,
    Ledger,
    LedgerError,
    LedgerUnavailable,
    Product,
    RecordRejected,
)
from halo_accounts.ledgers.quickbooks import HostInfo, QuickBooksLedger
from halo_accounts.ledgers.quickbooks.qbxml import status
from halo_accounts.sandbox.quickbooks import Company
from refpaths import QBXML_XSD_13, QBXML_XSD_16

EDITIONS = ("US", "UK", "CA", "AU")
_PI = re.compile(r'<\?qbxml version="(\d+\.\d+)"\?>')


@cache
def schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(QBXML_XSD_16 if version == "16.0" else QBXML_XSD_13)))


class Recorder:
    """A transport around the sandbox company: validates each request against the XSD of its version and
    keeps every request document, so tests can count round trips and look at what was sent."""

    def __init__(self, company: Company, host: HostInfo | None = None) -> None:
        self.company = company
        self.sent: list[str] = []
        self._host = host

    def process(self, request_xml: str) -> str:
        version = _PI.search(request_xml)
        assert version, "missing <?qbxml version?>"
        assert request_xml.isascii()
        doc = etree.fromstring(request_xml.encode("ascii"))
        s = schema(version.group(1))
        assert s.validate(doc), f"{s.error_log.last_error}\n{request_xml}"
        self.sent.append(request_xml)
        return self.company.process(request_xml)

    def host_info(self) -> HostInfo | None:
        return self._host

    def requests(self) -> list[str]:
        """The *Rq element names sent, in order."""
        names: list[str] = []
        for xml in self.sent:
            names += [el.tag for el in etree.fromstring(xml.encode())[0]]
        return names


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Callable[..., tuple[QuickBooksLedger, Recorder]]]:
    companies: list[Company] = []

    def factory(edition: str = "US", *, max_returned: int = 100, seed: dict | None = None,
                host: HostInfo | None = None) -> tuple[QuickBooksLedger, Recorder]:
        company = Company(tmp_path / f"{edition}-{len(companies)}.sqlite", edition=edition, seed=seed,
                          validate_schema=QBXML_XSD_13)  # the sandbox refuses what QuickBooks' parser would
        companies.append(company)
        rec = Recorder(company, host)
        return QuickBooksLedger(rec, max_returned=max_returned), rec

    yield factory
    for c in companies:
        c.close()


def customer(name: str = "Smith & Jones Ltd", **kw: object) -> Customer:
    base = Customer(name=name, company_name=name, email="ap@example.com", phone="0161 496 0000",
                    billing=Address(lines=("1 High St",), city="Manchester", postcode="M1 1AA"))
    return replace(base, **kw)  # type: ignore[arg-type]


TAX = {"US": "State Tax", "UK": "S", "CA": "H", "AU": "GST"}
NON = {"US": "Non", "UK": "E", "CA": "E", "AU": "N-T"}


def test_is_a_ledger(make: Callable[..., tuple[QuickBooksLedger, Recorder]]) -> None:
    ledger, _ = make()
    assert isinstance(ledger, Ledger)


@pytest.mark.parametrize("edition", EDITIONS)
def test_info_reads_edition_and_version_from_quickbooks(make: Callable, edition: str) -> None:
    ledger, rec = make(edition)
    info = ledger.info()
    assert info.kind == "quickbooks"
    assert info.edition == edition
    assert "qbXML" in info.version and info.company == "Sandbox Company"
    assert rec.requests() == ["HostQueryRq", "CompanyQueryRq", "PreferencesQueryRq"]
    assert '<?qbxml version="13.0"?>' in rec.sent[0]  # probe at the default version
    ledger.accounts()
    assert '<?qbxml version="16.0"?>' in rec.sent[-1]  # the sandbox's QuickBooks offers 16.0


def test_version_never_above_what_the_transport_reports(make: Callable) -> None:
    ledger, rec = make("US", host=HostInfo(country="US", major=13, minor=0))
    ledger.accounts()
    assert all('<?qbxml version="13.0"?>' in xml for xml in rec.sent)


def test_configured_edition_must_match_quickbooks(make: Callable, tmp_path: Path) -> None:
    company = Company(tmp_path / "uk.sqlite", edition="UK", validate_schema=QBXML_XSD_13)
    try:
        ledger = QuickBooksLedger(Recorder(company), edition="US")
        with pytest.raises(LedgerError) as info:
            ledger.info()
        assert info.value.code == "qb.edition.mismatch"
    finally:
        company.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_tax_codes_per_edition(make: Callable, edition: str) -> None:
    ledger, rec = make(edition)
    codes = {t.code: t for t in ledger.tax_codes()}
    assert TAX[edition] in codes and NON[edition] in codes
    assert codes[NON[edition]].rate == 0
    expected = {"US": Decimal("7.25"), "UK": Decimal("20"), "CA": Decimal("13"), "AU": Decimal("10")}[edition]
    assert codes[TAX[edition]].rate == expected
    if edition == "US":
        assert "Tax" not in codes  # US: the rate is the sales tax item
        assert codes["City + State"].rate == Decimal("8.25")  # a group: sum of its members
    if edition == "CA":
        assert codes["S"].rate == Decimal("12")  # GST + PST BC
    assert rec.requests()[-3:] == ["SalesTaxCodeQueryRq", "ItemSalesTaxQueryRq", "ItemSalesTaxGroupQueryRq"]


def test_accounts_are_income_accounts(make: Callable) -> None:
    ledger, _ = make()
    accounts = ledger.accounts()
    assert {a.kind for a in accounts} <= {"Income", "OtherIncome"}
    assert {"4000", "4100"} <= {a.code for a in accounts}
    assert all(a.ledger_id for a in accounts)


@pytest.mark.parametrize("edition", EDITIONS)
def test_create_find_and_update_customer(make: Callable, edition: str) -> None:
    ledger, _ = make(edition)
    created = ledger.create_customer(customer("Zoë & Co <Ltd>", tax_code=TAX[edition]))
    assert created.ref and created.version
    assert created.name == "Zoë & Co <Ltd>"
    found = ledger.find_customer(ref=created.ref)
    assert found == created
    assert ledger.find_customer(name="Zoë & Co <Ltd>") == created
    assert ledger.find_customer(name="Nobody") is None
    assert ledger.find_customer(ref="80000999-1700000000") is None
    updated = ledger.update_customer(replace(created, email="new@example.com"))
    assert updated.email == "new@example.com" and updated.version != created.version


def test_update_with_stale_edit_sequence_rereads_and_retries_once(make: Callable) -> None:
    ledger, rec = make()
    created = ledger.create_customer(customer())
    ledger.update_customer(replace(created, phone="0161 000 0001"))  # QuickBooks' EditSequence moves on
    again = ledger.update_customer(replace(created, phone="0161 000 0002"))  # holds the old one
    assert again.phone == "0161 000 0002"
    assert rec.requests().count("CustomerModRq") == 3


def test_customer_name_used_by_a_vendor_is_held_with_fix(make: Callable) -> None:
    ledger, _ = make()
    with pytest.raises(status.NameInUse) as info:
        ledger.create_customer(customer("Northwind Supplies"))
    assert isinstance(info.value, RecordRejected)
    assert "vendor" in info.value.message and "map customer" in info.value.fix


def test_long_customer_name_is_shortened_stably_and_found_again(make: Callable) -> None:
    ledger, _ = make()
    long = "The Extremely Long Named Managed Services Company of Greater Manchester Ltd"
    created = ledger.create_customer(customer(long, company_name=""))
    assert len(created.name) <= 41 and "~" in created.name
    assert ledger.find_customer(name=long) == created
    with pytest.raises(status.NameInUse):  # the same long name shortens the same way: no silent duplicate
        ledger.create_customer(customer(long, company_name=""))


def test_customers_iterate_in_pages(make: Callable) -> None:
    ledger, rec = make("US", max_returned=2)
    for i in range(5):
        ledger.create_customer(customer(f"Client {i}"))
    names = [c.name for c in ledger.customers()]
    assert sorted(names) == [f"Client {i}" for i in range(5)]
    queries = [xml for xml in rec.sent if "<CustomerQueryRq" in xml]
    assert len(queries) == 3
    assert 'iterator="Start"' in queries[0] and 'iterator="Continue"' in queries[1]
    assert "<MaxReturned>2</MaxReturned>" in queries[0]


def test_non_us_reads_lists_without_iterators(make: Callable) -> None:
    ledger, rec = make("UK", max_returned=2)
    for i in range(3):
        ledger.create_customer(customer(f"Client {i}"))
    assert len(list(ledger.customers())) == 3
    queries = [xml for xml in rec.sent if "<CustomerQueryRq" in xml]
    # date-window paging instead (qbxml/windows.py): each read guarded by MaxReturned, a full one re-read
    assert len(queries) >= 2 and all("iterator" not in q and "<MaxReturned>" in q for q in queries)


def test_modified_since_reads_with_overlap(make: Callable) -> None:
    ledger, rec = make()
    ledger.create_customer(customer())
    list(ledger.customers(modified_since=datetime(2026, 11, 1, 12, 0, tzinfo=UTC)))
    assert "<FromModifiedDate>2026-11-01T10:59:00+00:00</FromModifiedDate>" in rec.sent[-1]


@pytest.mark.parametrize("edition", EDITIONS)
def test_create_and_find_products(make: Callable, edition: str) -> None:
    ledger, _ = make(edition)
    ledger.accounts()
    made = []
    for kind in ("service", "non_inventory", "other_charge"):
        made.append(ledger.create_product(Product(
            code=f"Managed {kind}", description="Per user", price=Decimal("25.50"), income_account="4100",
            tax_code=TAX[edition], kind=kind)))  # type: ignore[arg-type]
    assert [p.kind for p in made] == ["service", "non_inventory", "other_charge"]
    assert made[0].income_account == "Services"  # account number 4100 resolved to the account
    assert ledger.find_product(ref=made[1].ref) == made[1]
    assert ledger.find_product(code="Managed other_charge") == made[2]
    assert ledger.find_product(code="Nothing") is None
    codes = {p.code for p in ledger.products()}
    assert {"Managed service", "Managed non_inventory", "Managed other_charge"} <= codes


def _setup_sales(ledger: QuickBooksLedger, edition: str) -> tuple[str, str]:
    ledger.accounts()
    ledger.tax_codes()
    cust = ledger.create_customer(customer(tax_code=TAX[edition]))
    item = ledger.create_product(Product(code="Managed Service", price=Decimal("50"), income_account="4000",
                                         tax_code=TAX[edition]))
    return cust.ref, item.ref


def _invoice(number: str, cust: str, item: str, tax: str, **kw: object) -> Invoice:
    tax_amount = Decimal("0") if tax in NON.values() else Decimal("20")  # as Halo computes it
    line = InvoiceLine(item, "Managed service — November", Decimal("2"), Decimal("50"), Decimal("100"),
                       tax_amount, tax)
    inv = Invoice(number=number, customer_ref=cust, date=date(2026, 11, 1), lines=(line,),
                  external_key=f"halo:{number}", memo="Thank you")
    return replace(inv, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("edition", EDITIONS)
def test_post_invoices_in_one_round_trip_with_outcomes(make: Callable, edition: str) -> None:
    ledger, rec = make(edition)
    cust, item = _setup_sales(ledger, edition)
    batch = [
        _invoice("INV00001", cust, item, TAX[edition]),
        _invoice("INV00002", cust, item, NON[edition]),
        _invoice("INV00003", "80000999-1700000000", item, TAX[edition]),  # unknown customer -> 3140/3120
        _invoice("INV-0000000004", cust, item, TAX[edition]),  # number too long -> held before sending
        _invoice("CN00001", cust, item, TAX[edition], kind="credit"),
    ]
    before = len(rec.sent)
    outcomes = ledger.post_invoices(batch)
    assert len(rec.sent) == before + 1  # ONE document for the whole batch
    doc = etree.fromstring(rec.sent[-1].encode())
    assert doc[0].get("onError") == "continueOnError"
    assert len(doc[0]) == 4  # the held one was not sent
    assert [o.key for o in outcomes] == [f"halo:{inv.number}" for inv in batch]
    ok1, ok2, bad, held, credit = outcomes
    assert ok1.posted and ok1.posted.number == "INV00001" and ok1.posted.ledger_id and ok1.error is None
    assert ok2.posted and ok2.posted.total == Decimal("100.00")
    assert bad.posted is None and isinstance(bad.error, RecordRejected)
    assert isinstance(held.error, RecordRejected) and held.error.code == "qb.text.too_long"
    assert credit.posted and credit.posted.kind == "credit"
    if edition == "UK":
        assert ok1.posted.total == Decimal("120.00")


def test_us_invoice_taxed_by_item_sends_taxable_code_and_header_rate(make: Callable) -> None:
    ledger, rec = make("US")
    cust, item = _setup_sales(ledger, "US")
    (out,) = ledger.post_invoices([_invoice("INV10", cust, item, "State Tax")])
    assert out.posted is not None and out.posted.total == Decimal("107.25")
    sent = etree.fromstring(rec.sent[-1].encode()).find("QBXMLMsgsRq/InvoiceAddRq/InvoiceAdd")
    assert sent.find("ItemSalesTaxRef/ListID") is not None
    assert sent.findtext("InvoiceLineAdd/SalesTaxCodeRef/FullName") == "Tax"


def test_us_invoice_with_two_rates_is_held(make: Callable) -> None:
    ledger, _ = make("US")
    cust, item = _setup_sales(ledger, "US")
    inv = _invoice("INV11", cust, item, "State Tax")
    inv = replace(inv, lines=(*inv.lines, replace(inv.lines[0], tax_code="City Tax")))
    (out,) = ledger.post_invoices([inv])
    assert out.error is not None and out.error.code == "qb.tax.us_one_rate"
    assert "City Tax" in out.error.message


def test_unknown_tax_code_is_held(make: Callable) -> None:
    ledger, _ = make("US")
    cust, item = _setup_sales(ledger, "US")
    (out,) = ledger.post_invoices([_invoice("INV12", cust, item, "VAT20")])
    assert out.error is not None and out.error.code == "qb.tax.unknown" and "map tax" in out.error.fix


@pytest.mark.parametrize("edition", ["US", "UK"])
def test_find_invoice_by_number_and_key(make: Callable, edition: str) -> None:
    ledger, _ = make(edition)
    cust, item = _setup_sales(ledger, edition)
    (out,) = ledger.post_invoices([_invoice("INV20", cust, item, TAX[edition])])
    assert out.posted is not None
    assert ledger.find_invoice("INV20") == out.posted
    assert ledger.find_invoice("INV20", external_key="halo:INV20") == out.posted
    assert ledger.find_invoice("INV20", external_key="halo:someone-else") is None
    assert ledger.find_invoice("INV99") is None
    assert ledger.find_invoice("INV20", kind="credit") is None
    (cn,) = ledger.post_invoices([_invoice("CN20", cust, item, TAX[edition], kind="credit")])
    assert ledger.find_invoice("CN20", kind="credit") == cn.posted


def test_find_invoice_without_number_by_external_key(make: Callable) -> None:
    ledger, _ = make("US")
    cust, item = _setup_sales(ledger, "US")
    (out,) = ledger.post_invoices([_invoice("", cust, item, "State Tax", external_key="halo:invoice:77")])
    assert out.posted is not None
    assert ledger.find_invoice("", external_key="halo:invoice:77") == out.posted
    assert ledger.find_invoice("", external_key="halo:invoice:78") is None


@pytest.mark.parametrize("edition", ["US", "CA"])
def test_payments_split_per_invoice(make: Callable, edition: str) -> None:
    ledger, rec = make(edition, max_returned=1)
    cust, item = _setup_sales(ledger, edition)
    outs = ledger.post_invoices([_invoice("INV30", cust, item, NON[edition]),
                                 _invoice("INV31", cust, item, NON[edition])])
    a, b = (o.posted for o in outs)
    assert a is not None and b is not None
    pay = rec.company.add_payment(cust, {a.ledger_id: "60.00", "INV31": "100.00"}, "2026-11-20",
                                  ref_number="CHQ1", method="Check")
    rec.company.add_payment(cust, {"INV30": "40.00"}, "2026-11-21")
    payments = sorted(ledger.payments(), key=lambda p: (p.date, p.invoice_number))
    assert [(p.invoice_number, p.amount) for p in payments] == [
        ("INV30", Decimal("60.00")), ("INV31", Decimal("100.00")), ("INV30", Decimal("40.00"))]
    assert payments[0].ledger_id == f"{pay}:{a.ledger_id}"
    assert payments[1].ledger_id == f"{pay}:{b.ledger_id}"
    assert len({p.ledger_id for p in payments}) == 3
    assert payments[0].reference == "CHQ1" and payments[0].method == "Check" and payments[0].customer_ref == cust
    assert payments[0].date == date(2026, 11, 20)
    queries = [xml for xml in rec.sent if "<ReceivePaymentQueryRq" in xml]
    assert "<IncludeLineItems>true</IncludeLineItems>" in queries[0]


# ------------------------------------------------------------ failure paths (small fake transport)

class Fake:
    """Answers each document with the next canned response; HostQuery answered from a fixed US host."""

    HOST = ('<QBXML><QBXMLMsgsRs><HostQueryRs requestID="{h}" statusCode="0"><HostRet><ProductName>QuickBooks Pro '
            "2014</ProductName><MajorVersion>24</MajorVersion><MinorVersion>0</MinorVersion><Country>US</Country>"
            "<SupportedQBXMLVersion>13.0</SupportedQBXMLVersion><QBFileMode>SingleUser</QBFileMode></HostRet>"
            "</HostQueryRs></QBXMLMsgsRs></QBXML>")

    def __init__(self, *answers: Callable[[list[str]], str] | str) -> None:
        self.answers = list(answers)
        self.sent: list[str] = []

    def process(self, request_xml: str) -> str:
        self.sent.append(request_xml)
        ids = re.findall(r'requestID="([^"]*)"', request_xml)
        if "<HostQueryRq" in request_xml:
            return self.HOST.format(h=ids[0])
        answer = self.answers.pop(0)
        return answer(ids) if callable(answer) else answer

    def host_info(self) -> HostInfo | None:
        return None


def test_missing_reply_in_batch_is_a_retryable_error_not_a_silent_skip() -> None:
    cust = "80000001-1700000000"
    inv1 = _invoice("A1", cust, "80000002-1700000000", "")  # no tax code: no tax look-up needed
    inv2 = _invoice("A2", cust, "80000002-1700000000", "")
    fake = Fake(lambda ids: (
        f'<QBXML><QBXMLMsgsRs><InvoiceAddRs requestID="{ids[0]}" statusCode="0"><InvoiceRet><TxnID>T-1</TxnID>'
        "<RefNumber>A1</RefNumber><Subtotal>100.00</Subtotal><SalesTaxTotal>0.00</SalesTaxTotal>"
        "<BalanceRemaining>100.00</BalanceRemaining></InvoiceRet></InvoiceAddRs></QBXMLMsgsRs></QBXML>"))
    ledger = QuickBooksLedger(fake)
    one, two = ledger.post_invoices([inv1, inv2])
    assert one.posted is not None and one.posted.ledger_id == "T-1" and one.posted.balance == Decimal("100.00")
    assert two.error is not None and two.error.code == "qb.response.missing" and two.error.retryable


def test_unreadable_response_stops_the_run() -> None:
    ledger = QuickBooksLedger(Fake("<html>Bad Gateway</html>"))
    with pytest.raises(LedgerUnavailable) as info:
        ledger.accounts()
    assert info.value.code == "qb.response.unreadable"


def test_response_with_external_entity_is_refused() -> None:
    evil = ('<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><QBXML><QBXMLMsgsRs>'
            '<AccountQueryRs statusCode="0"><AccountRet><Name>&x;</Name></AccountRet></AccountQueryRs>'
            "</QBXMLMsgsRs></QBXML>")
    ledger = QuickBooksLedger(Fake(evil))
    with pytest.raises(LedgerUnavailable):
        ledger.accounts()


def test_permission_error_stops_the_run_with_fix() -> None:
    ledger = QuickBooksLedger(Fake(lambda ids: (
        f'<QBXML><QBXMLMsgsRs><AccountQueryRs requestID="{ids[0]}" statusCode="3261" statusSeverity="Error" '
        'statusMessage="The integrated application has no permission to access personal data."/>'
        "</QBXMLMsgsRs></QBXML>")))
    with pytest.raises(LedgerUnavailable) as info:
        ledger.accounts()
    assert isinstance(info.value, status.PermissionDenied)
    assert "Integrated Applications" in info.value.fix


def test_hcp_response_from_the_web_connector_saves_the_host_query() -> None:
    hcp = Fake.HOST.format(h="0")

    class WithHcp(Fake):
        def host_info(self) -> HostInfo | None:
            return HostInfo(country="US", major=13, minor=0, hcp_response=hcp)

    fake = WithHcp(lambda ids: f'<QBXML><QBXMLMsgsRs><AccountQueryRs requestID="{ids[0]}" statusCode="1"/>'
                               "</QBXMLMsgsRs></QBXML>")
    ledger = QuickBooksLedger(fake)
    assert ledger.accounts() == []
    assert ledger.info().version.startswith("QuickBooks Pro 2014")
    assert len(fake.sent) == 1 and "<HostQueryRq" not in fake.sent[0]


def test_old_quickbooks_is_refused_with_a_fix() -> None:
    class Old(Fake):
        HOST = Fake.HOST.replace("13.0", "12.0")

    ledger = QuickBooksLedger(Old())
    with pytest.raises(LedgerError) as info:
        ledger.info()
    assert info.value.code == "qb.version.too_old"
