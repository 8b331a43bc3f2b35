"""Issue #3: every qbXML request the project can produce is valid against Intuit's XSD.

Two halves. (1) Every builder in `qbxml.build` is listed here (a new one fails `test_every_builder_is_listed`
until it is), and each builder's branches are validated in every edition against v13 and v16. (2) Every
document `QuickBooksLedger` can send is produced by driving every ledger method, in every edition, through
the Web Connector path (qbXML 16.0 and, for an older QuickBooks, 13.0) and over a direct transport (which also
sends the ledger's own Host probe); each document is validated against the XSD of the version it names.
"""

from __future__ import annotations

import inspect
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from halo_accounts.ledgers.port import Address, Customer, Invoice, InvoiceLine, Product, RecordRejected
from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
from halo_accounts.ledgers.quickbooks.qbxml import build
from halo_accounts.ledgers.quickbooks.qbxml.build import CustomerTax, TxnTax
from halo_accounts.ledgers.quickbooks.qbxml.envelope import document
from halo_accounts.ledgers.quickbooks.settings import WebConnectorSettings
from halo_accounts.ledgers.quickbooks.transport import QbxmlTransport
from halo_accounts.ledgers.quickbooks.webconnector import server
from halo_accounts.ledgers.quickbooks.webconnector.protocol import HostContext, filler_request
from halo_accounts.sandbox.quickbooks import Company
from halo_accounts.sandbox.quickbooks.webconnector_driver import WebConnectorDriver
from refpaths import QBXML_XSD_13, QBXML_XSD_16

EDITIONS = ("US", "UK", "CA", "AU")
VERSIONS = ("13.0", "16.0")
USER, PASSWORD = "halo-qbwc", "schema e2e"
_PI = re.compile(r'<\?qbxml version="(\d+\.\d+)"\?>')
TAX = {"US": "State Tax", "UK": "S", "CA": "H", "AU": "GST"}
NON = {"US": "Non", "UK": "E", "CA": "E", "AU": "N-T"}


@cache
def schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(QBXML_XSD_16 if version == "16.0" else QBXML_XSD_13)))


def assert_valid(xml: str, versions: tuple[str, ...] | None = None) -> str:
    """Validate against ``versions`` (default: the one the document's <?qbxml?> names); returns that one."""
    named = _PI.search(xml)
    assert named, "missing <?qbxml version?>"
    assert xml.isascii(), "qbXML must be pure ASCII (NOTES §3.2)"
    doc = etree.fromstring(xml.encode("ascii"), etree.XMLParser(resolve_entities=False, no_network=True))
    for version in versions or (named.group(1),):
        s = schema(version)
        assert s.validate(doc), f"v{version}: {s.error_log.last_error}\n{xml[:3000]}"
    return named.group(1)


# ------------------------------------------------------------------------------------------- (1) builders

# Every builder of a request element in qbxml/build.py, and the test below that validates it.
BUILDERS = {
    "customer_add": "test_customer_builders",
    "customer_mod": "test_customer_builders",
    "item_add": "test_item_builder",
    "txn_add": "test_txn_builder",
    "invoice_set_credit": "test_invoice_set_credit_builder",
    "host_query": "test_query_builders",
    "company_query": "test_query_builders",
    "preferences_query": "test_query_builders",
    "list_query": "test_query_builders",
    "txn_query": "test_query_builders",
    "with_iterator": "test_query_builders",
}


def test_every_builder_is_listed() -> None:
    found = {
        name for name, fn in inspect.getmembers(build, inspect.isfunction)
        if fn.__module__ == build.__name__ and not name.startswith("_")
        and str(inspect.signature(fn).return_annotation) in ("Built", "etree._Element")
    }
    assert found == set(BUILDERS)
    assert set(BUILDERS.values()) <= set(globals())


@pytest.mark.parametrize("edition", EDITIONS)
def test_invoice_set_credit_builder(edition: str) -> None:
    one = build.invoice_set_credit("1A2-1700000000", "1700000001", [("1B3-1700000000", Decimal("12.5"))], "1")
    two = build.invoice_set_credit("1A2-1700000000", "1700000002", [("1B3-1700000000", Decimal("1")),
                                                                   ("1B4-1700000000", Decimal("2.25"))], "2")
    assert_valid(document([one, two], "13.0"), VERSIONS)


ADDRESS = Address(lines=("Unit 12, The Old Mill Business Park, Very Long Road Name", "Leeds Road"), city="Leeds",
                  region="West Yorkshire", postcode="LS1 1AA", country="United Kingdom of Great Britain & N.I.")


@pytest.mark.parametrize("edition", EDITIONS)
def test_customer_builders(edition: str) -> None:
    long = "AT&T <Managed> Services O'Neill Ümlaut Group International Ltd"
    full = Customer(name=long, company_name=long, billing=ADDRESS, shipping=ADDRESS, email="a@b.example",
                    phone="0161 496 0000", contact="Zoë O'Brien " * 4, tax_code=TAX[edition], active=False)
    taxes = [CustomerTax(), CustomerTax(NON[edition]), CustomerTax("Tax", "State Tax"),
             CustomerTax("80000001-1700000000", "80000002-1700000000")]
    requests = []
    for n, tax in enumerate(taxes):
        requests.append(build.customer_add(full, edition, f"a{n}", tax).request)
        requests.append(build.customer_mod(replace(full, ref="80000003-1700000000", version="1700000001"),
                                           edition, f"m{n}", tax).request)
    requests.append(build.customer_add(Customer(name="Bare"), edition, "bare").request)
    assert_valid(document(requests, "13.0"), VERSIONS)


@pytest.mark.parametrize("edition", EDITIONS)
def test_item_builder(edition: str) -> None:
    requests = []
    for kind in build.ITEM_ADD:
        for tax in ("", TAX[edition][:3], "80000004-1700000000"):
            product = Product(code=f"Managed {kind} & <Support> Premium Plus", description="Per user\nper month",
                              price=Decimal("49.995"), income_account="Sales:Services", tax_code=tax,
                              kind=kind, active=bool(tax))  # type: ignore[arg-type]
            requests.append(build.item_add(product, edition, "1").request)
            requests.append(build.item_add(replace(product, description=""), edition, "2",
                                           income_account="80000005-1700000000").request)
    assert_valid(document(requests, "13.0"), VERSIONS)


@pytest.mark.parametrize("edition", EDITIONS)
def test_txn_builder(edition: str) -> None:
    lines = (
        InvoiceLine("80000001-1700000000", "Managed service — November", Decimal("2"), Decimal("50"),
                    Decimal("100"), Decimal("20"), "S", account_code="80000009-1700000000"),
        InvoiceLine("Consulting", "x" * 5000, Decimal("1.5"), Decimal("80.333"), Decimal("120.50"), Decimal("24.1"),
                    "", account_code="Sales:Consulting"),
        InvoiceLine("", "A description-only line", Decimal("0"), Decimal("0"), Decimal("0"), Decimal("0"), ""),
    )
    full = Invoice(number="INV00001", customer_ref="80000002-1700000000", date=date(2026, 11, 1), lines=lines,
                   due_date=date(2026, 12, 1), memo="Thanks & <regards> " * 300, external_key="halo:" + "k" * 40,
                   po_number="PO-42", billing=ADDRESS)
    bare = Invoice(number="", customer_ref="Smith & Jones", date=date(2026, 11, 1), lines=lines[2:])
    taxes = [None, TxnTax(("Tax", "Non", ""), "State Tax", ("", "80000009-1700000000", "")),
             TxnTax(("80000010-1700000000",), "80000011-1700000000")]
    requests = []
    for kind in ("invoice", "credit"):
        for tax in taxes:
            requests.append(build.txn_add(replace(full, kind=kind), edition, "1", tax).request)
        if kind == "invoice":  # a credit memo needs a line with an item (NOTES §4.8)
            requests.append(build.txn_add(bare, edition, "2").request)
    has_header_tax = [rq.find("*/ItemSalesTaxRef") is not None for rq in requests]
    assert any(has_header_tax) == (edition in ("US", "AU"))  # NOTES §4.5/§3.4
    assert_valid(document(requests, "13.0"), VERSIONS)


def test_query_builders() -> None:
    since, until = datetime(2026, 11, 1, 9, 30, tzinfo=UTC), datetime(2026, 11, 30, 18, 0)
    requests: list[etree._Element] = [build.host_query("h"), build.company_query("c"), build.preferences_query("p")]
    for kind in sorted(build._LIST_QUERIES):
        requests.append(build.list_query(kind, "1", list_ids=["80000001-1700000000", "80000002-1700000000"],
                                         include_ret=("ListID", "Name")))
        requests.append(build.list_query(kind, "2", full_names=["Smith & Jones", "Zoë"]))
        requests.append(build.list_query(kind, "3"))
        filters: dict[str, Any] = dict(max_returned=10, active_status="All", from_modified=since,
                                       to_modified=until, name_starts="A&B", account_types=("Income", "OtherIncome"),
                                       include_ret=("ListID",))
        requests.append(build.list_query(kind, "4", **filters))
        if kind in build.ITERATOR_QUERIES:
            start = build.list_query(kind, "5", iterator="Start", **filters)
            requests += [start, build.with_iterator(start, "{00000000-aaaa-bbbb-cccc-000000000000}"),
                         build.with_iterator(start, "{00000000-aaaa-bbbb-cccc-000000000000}", "Stop")]
            requests.append(build.list_query(kind, "6", iterator="Continue", iterator_id="{x}", max_returned=5))
    kinds: tuple[Any, ...] = ("Invoice", "CreditMemo", "ReceivePayment")
    for kind in kinds:
        requests.append(build.txn_query(kind, "1", txn_ids=["1A-1700000000"], include_ret=("TxnID", "RefNumber")))
        requests.append(build.txn_query(kind, "2", ref_numbers=["INV00001", "A&B"], include_line_items=True))
        requests.append(build.txn_query(kind, "3"))
        for customer_ref in ("80000001-1700000000", "Smith & Jones"):
            requests.append(build.txn_query(kind, "4", max_returned=5, from_modified=since, to_modified=until,
                                            customer_ref=customer_ref, include_line_items=True,
                                            include_linked_txns=True, include_ret=("TxnID",)))
            requests.append(build.txn_query(kind, "5", from_date=date(2026, 1, 1), to_date=date(2026, 2, 1),
                                            customer_ref=customer_ref))
        requests.append(build.txn_query(kind, "6", to_modified=until))
        requests.append(build.txn_query(kind, "7", from_date=date(2026, 1, 1)))
        start = build.txn_query(kind, "8", max_returned=5, from_modified=since, iterator="Start")
        requests += [start, build.with_iterator(start, "{it}"), build.with_iterator(start, "{it}", "Stop")]
    assert_valid(document(requests, "13.0"), VERSIONS)
    assert_valid(document(requests, "16.0", on_error="stopOnError"), VERSIONS)


@pytest.mark.parametrize("major", [0, 13, 16])
def test_web_connector_filler_request(major: int) -> None:
    """The only qbXML the endpoint writes itself (protocol.filler_request), at each version it may name."""
    xml = filler_request(HostContext(major=major, minor=0) if major else None)
    assert assert_valid(xml, VERSIONS) == ("16.0" if major == 16 else "13.0")


# ------------------------------------------------------------------------------------------- (2) the ledger

# Every request the ledger sends (ledger.py): the scenario below must make it send each of them.
LEDGER_REQUESTS = {
    "HostQueryRq", "CompanyQueryRq", "PreferencesQueryRq",  # _ensure_host probe (direct transport only)
    "SalesTaxCodeQueryRq", "ItemSalesTaxQueryRq", "ItemSalesTaxGroupQueryRq", "AccountQueryRq",
    "CustomerQueryRq", "CustomerAddRq", "CustomerModRq", "ItemQueryRq",
    "ItemServiceAddRq", "ItemNonInventoryAddRq", "ItemOtherChargeAddRq",
    "InvoiceAddRq", "CreditMemoAddRq", "InvoiceQueryRq", "CreditMemoQueryRq", "ReceivePaymentQueryRq",
}


class Checked:
    """A transport/company stand-in: validates each request, then lets the sandbox answer. ReceivePayment
    answers lose AppliedToTxnRet/RefNumber (QuickBooks may leave it out), so the ledger's number look-up runs."""

    def __init__(self, company: Company, max_version: tuple[int, int] | None = None) -> None:
        self.company = company
        self.path = company.path
        self.max_version = max_version
        self.sent: list[str] = []
        self.versions: set[str] = set()

    def process(self, request_xml: str) -> str:
        self.versions.add(assert_valid(request_xml))
        self.sent.append(request_xml)
        response = self.company.process(request_xml)
        if "<ReceivePaymentQueryRs" in response:
            root = etree.fromstring(response.split("?>", 1)[1].encode())
            for ref in root.iterfind(".//AppliedToTxnRet/RefNumber"):
                ref.getparent().remove(ref)  # type: ignore[union-attr]
            response = '<?xml version="1.0" ?>\n' + etree.tostring(root).decode()
        if self.max_version is not None and "<HostQueryRs" in response:
            highest = f"{self.max_version[0]}.{self.max_version[1]}"
            def keep(m: re.Match[str]) -> str:
                return m.group(0) if (int(m.group(1)), int(m.group(2))) <= self.max_version else ""  # type: ignore[operator]

            response = re.sub(r"<SupportedQBXMLVersion>(\d+)\.(\d+)</SupportedQBXMLVersion>\s*", keep, response)
            assert f"<SupportedQBXMLVersion>{highest}</SupportedQBXMLVersion>" in response
        return response

    def rq(self) -> list[etree._Element]:
        return [el for xml in self.sent for el in etree.fromstring(xml.encode())[0]]


def scenario(ledger: QuickBooksLedger, qb: Checked, edition: str) -> dict[str, Any]:
    """Every public method of the ledger, with the inputs that take each of its branches."""
    out: dict[str, Any] = {"info": ledger.info(), "tax": ledger.tax_codes(), "accounts": ledger.accounts()}
    long = "The Extremely Long Named Managed Services Company of Greater Manchester Ltd"
    made = [ledger.create_customer(Customer(name=n, company_name=n, billing=ADDRESS, shipping=ADDRESS,
                                            email="ap@example.com", phone="0161 496 0000", contact="Zoë",
                                            tax_code=TAX[edition]))
            for n in ("Smith & Jones <Ltd>", "Zoë's Café", long)]
    ledger.update_customer(replace(made[0], email="new@example.com"))
    out["stale"] = ledger.update_customer(replace(made[0], phone="0161 000 0002"))  # 3200 -> re-read, retry
    out["customers"] = list(ledger.customers())
    out["customers_since"] = list(ledger.customers(modified_since=datetime(2020, 1, 1, tzinfo=UTC)))
    items = [ledger.create_product(Product(code=f"Managed {kind} & <Premium> Support Plus", price=Decimal("50"),
                                           description="Per user", income_account=acc, tax_code=tax,
                                           kind=kind))  # type: ignore[arg-type]
             for kind, acc, tax in (("service", "4000", TAX[edition]), ("non_inventory", "Services", ""),
                                    ("other_charge", "4200", NON[edition]))]
    out["products"] = list(ledger.products())
    out["products_since"] = list(ledger.products(modified_since=datetime(2020, 1, 1, tzinfo=UTC)))
    # Batch creates: one document each; a duplicate name is refused by QuickBooks, a bad kind never sent.
    out["batch_customers"] = ledger.create_customers(
        [Customer(name=f"Batch {n} & <Co>", billing=ADDRESS, email="ap@example.com", tax_code=TAX[edition])
         for n in range(2)] + [Customer(name=long + " Batch"), Customer(name="Zoë's Café")])
    out["batch_products"] = ledger.create_products(
        [Product(code=f"Batch {kind} & <Plan>", price=Decimal("5"), income_account=acc, tax_code=tax,
                 kind=kind)  # type: ignore[arg-type]
         for kind, acc, tax in (("service", "4000", TAX[edition]), ("non_inventory", "Services", ""),
                                ("other_charge", "4200", NON[edition]))]
        + [Product(code="Bad kind", income_account="4000", kind="bogus")])  # type: ignore[arg-type]
    out["found"] = [ledger.find_customer(ref=made[1].ref), ledger.find_customer(name=long),
                    ledger.find_customer(name="Smith & Jones <Ltd>"), ledger.find_product(ref=items[0].ref),
                    ledger.find_product(code="Managed other_charge & <Premium> Support Plus")]
    lines = (InvoiceLine(items[0].ref, "Managed service — November", Decimal("2"), Decimal("50"), Decimal("100"),
                         Decimal("0"), TAX[edition], account_code="4100"),
             InvoiceLine(items[1].ref, "Parts & <labour>", Decimal("1"), Decimal("9.99"), Decimal("9.99"),
                         Decimal("0"), NON[edition]),
             InvoiceLine("", "A description-only line", Decimal("0"), Decimal("0"), Decimal("0"), Decimal("0"), ""))
    invoices = [Invoice(number=f"INV{n}", customer_ref=made[n % 3].ref, date=date(2026, 11, 1), lines=lines,
                        due_date=date(2026, 12, 1), memo="Thanks & <regards>", external_key=f"halo:inv:{n}",
                        po_number="PO-42", billing=ADDRESS) for n in range(3)]
    invoices.append(replace(invoices[0], number="", external_key="halo:no-number"))
    invoices.append(replace(invoices[0], number="CN1", kind="credit", lines=lines[:2], external_key="halo:cn:1"))
    outcomes = ledger.post_invoices(invoices)
    assert all(o.posted for o in outcomes), [o.error for o in outcomes]
    out["posted"] = outcomes
    out["find"] = [ledger.find_invoice("INV1"), ledger.find_invoice("INV1", external_key="halo:inv:1"),
                   ledger.find_invoice("", external_key="halo:no-number"),
                   ledger.find_invoice("CN1", kind="credit", external_key="halo:cn:1")]
    for n in range(3):
        posted = outcomes[n].posted
        assert posted is not None
        qb.company.add_payment(made[n % 3].ref, {posted.ledger_id: "25.00"}, "2026-11-20", ref_number=f"P{n}")
    out["payments"] = list(ledger.payments())
    out["payments_since"] = list(ledger.payments(since=datetime(2020, 1, 1, tzinfo=UTC)))
    return out


def check_outcome(out: dict[str, Any], qb: Checked, edition: str) -> None:
    sent = {el.tag for el in qb.rq()}
    assert out["info"].edition == edition
    assert len(out["customers"]) == len(out["customers_since"]) == 3
    assert all(f is not None for f in out["found"])
    assert [f.number if f else None for f in out["find"]] == ["INV1", "INV1", out["posted"][3].posted.number, "CN1"]
    assert sorted(p.invoice_number for p in out["payments"]) == ["INV0", "INV1", "INV2"]  # looked up by TxnID
    assert len(out["payments_since"]) == 3
    assert any(el.tag == "InvoiceQueryRq" and el.find("IncludeRetElement") is not None for el in qb.rq())
    iterated = {el.tag for el in qb.rq() if el.get("iterator") == "Continue"}
    if edition == "US":
        assert {"CustomerQueryRq", "ItemQueryRq", "InvoiceQueryRq", "ReceivePaymentQueryRq"} <= iterated
    else:
        assert not iterated and not any(el.get("iterator") for el in qb.rq())
    assert sent <= LEDGER_REQUESTS, sent - LEDGER_REQUESTS
    customers, products = out["batch_customers"], out["batch_products"]
    assert [o.key for o in customers][:2] == ["Batch 0 & <Co>", "Batch 1 & <Co>"]
    assert [o.created is not None for o in customers] == [True, True, True, False], [o.error for o in customers]
    assert customers[3].error is not None and customers[3].created is None
    assert [o.created is not None for o in products] == [True, True, True, False], [o.error for o in products]
    assert products[3].error is not None and products[3].error.code == "qb.product.kind"
    docs = [etree.fromstring(xml.encode())[0] for xml in qb.sent]
    assert any(sum(el.tag == "CustomerAddRq" for el in d) == 4 for d in docs)  # one round trip for the batch
    assert any(sum(el.tag.startswith("Item") and el.tag.endswith("AddRq") for el in d) == 3 for d in docs)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Callable[[str], Company]]:
    made: list[Company] = []

    def make(edition: str) -> Company:
        made.append(Company(tmp_path / f"{edition}-{len(made)}.qbw", edition=edition, validate_schema=QBXML_XSD_13))
        return made[-1]

    yield make
    for c in made:
        c.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_ledger_document_over_a_direct_transport(sandbox: Callable[[str], Company], edition: str) -> None:
    qb = Checked(sandbox(edition))
    out = scenario(QuickBooksLedger(qb, max_returned=2), qb, edition)
    check_outcome(out, qb, edition)
    assert {el.tag for el in qb.rq()} == LEDGER_REQUESTS  # every kind, including the ledger's own Host probe
    assert qb.versions == set(VERSIONS)  # the probe at 13.0, the rest at the 16.0 this QuickBooks offers


@pytest.mark.parametrize("highest", [(16, 0), (13, 0)], ids=["qbxml16", "qbxml13"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_ledger_document_through_the_web_connector(sandbox: Callable[[str], Company], edition: str,
                                                         highest: tuple[int, int]) -> None:
    qb = Checked(sandbox(edition), max_version=highest)
    results: dict[str, Any] = {}
    failure: list[BaseException] = []
    ended = threading.Event()

    def job(transport: QbxmlTransport) -> None:
        try:
            results.update(scenario(QuickBooksLedger(transport, max_returned=2), qb, edition))
        except BaseException as exc:
            failure.append(exc)
            raise
        finally:
            ended.set()

    app = server.create_app(WebConnectorSettings(username=USER), job, password=PASSWORD)
    with server.running(app) as url, WebConnectorDriver(url, USER, PASSWORD, qb, noop_pause=0.01) as driver:
        update = driver.run_update()
    assert ended.wait(10) and not failure, failure
    assert update.outcome == "done", update.error
    check_outcome(results, qb, edition)
    version = f"{highest[0]}.{highest[1]}"
    assert qb.versions == {version} | ({"13.0"} if version != "13.0" else set())  # + the driver's HCP query
    ours = qb.sent[1:]  # the first is the Web Connector's own Host/Company/Preferences query
    assert all(f'<?qbxml version="{version}"?>' in xml for xml in ours)
    assert {el.tag for xml in ours for el in etree.fromstring(xml.encode())[0]} == LEDGER_REQUESTS - {
        "HostQueryRq", "CompanyQueryRq", "PreferencesQueryRq"}  # the HCP answer spares the Host probe


@pytest.mark.parametrize("edition", EDITIONS)
def test_numbers_outside_the_schema_types_are_held_not_sent(edition: str) -> None:
    """NOTES §3.3: AMTTYPE has at most 13 integer digits, PRICETYPE/QUANTYPE 10. A value beyond that would make
    QuickBooks refuse the whole document (and every record in the batch), so the record is held instead."""
    def line(qty: str, rate: str, net: str) -> InvoiceLine:
        return InvoiceLine("Consulting", "x", Decimal(qty), Decimal(rate), Decimal(net), Decimal(net), "")

    def inv(*lines: InvoiceLine) -> Invoice:
        return Invoice(number="INV1", customer_ref="Smith & Jones", date=date(2026, 11, 1), lines=lines)

    widest = inv(line("9999999999.99999", "-9999999999.99999", "-9999999999999.99"))
    assert_valid(document([build.txn_add(widest, edition, "1").request], "13.0"), VERSIONS)
    for bad, field in ((line("12345678901", "1", "1"), "line quantity"), (line("1", "12345678901", "1"),
                       "line unit price"), (line("1", "1", "12345678901234"), "line net amount"),
                       (line("1", "1", "1E+30"), "line net amount"), (line("1", "1", "NaN"), "line net amount")):
        with pytest.raises(RecordRejected) as info:
            build.txn_add(inv(bad), edition, "1")
        assert info.value.code == "qb.number.too_large" and field in info.value.message
        assert "INV1" in info.value.message and "Halo" in info.value.fix
    with pytest.raises(RecordRejected):
        build.item_add(Product(code="Big", price=Decimal("12345678901"), income_account="4000"), edition)
    item = build.item_add(Product(code="Big", price=Decimal("1234567890.12345"), income_account="4000"), edition)
    assert_valid(document([item.request], "16.0"), VERSIONS)


def test_a_number_too_large_holds_one_invoice_and_the_batch_goes_on(sandbox: Callable[[str], Company]) -> None:
    qb = Checked(sandbox("US"))
    ledger = QuickBooksLedger(qb)
    cust = ledger.create_customer(Customer(name="Smith & Jones"))
    item = ledger.create_product(Product(code="Support", price=Decimal("1"), income_account="4000"))
    good = Invoice(number="INV1", customer_ref=cust.ref, date=date(2026, 11, 1),
                   lines=(InvoiceLine(item.ref, "x", Decimal(1), Decimal(5), Decimal(5), Decimal(0), "Non"),))
    bad = replace(good, number="INV2", lines=(replace(good.lines[0], quantity=Decimal("99999999999")),))
    held, posted = ledger.post_invoices([bad, good])
    assert held.error is not None and held.error.code == "qb.number.too_large" and held.posted is None
    assert posted.posted is not None and posted.posted.number == "INV1"
    assert "99999999999" not in qb.sent[-1]  # never sent; every document sent passed the XSD check
