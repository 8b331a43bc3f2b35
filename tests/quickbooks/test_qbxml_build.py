"""Every qbXML request we can build is valid against Intuit's XSD (v13 and v16), in schema order."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from halo_accounts.ledgers.port import Address, Customer, Invoice, InvoiceLine, Product, RecordRejected
from halo_accounts.ledgers.quickbooks.qbxml import build
from halo_accounts.ledgers.quickbooks.qbxml.build import CustomerTax, TxnTax
from halo_accounts.ledgers.quickbooks.qbxml.envelope import document
from halo_accounts.ledgers.quickbooks.qbxml.text import TextTooLong
from refpaths import QBXML_XSD_13, QBXML_XSD_16

EDITIONS = ("US", "UK", "CA", "AU")


@cache
def schema(version: str) -> etree.XMLSchema:
    path = QBXML_XSD_13 if version == "13.0" else QBXML_XSD_16
    return etree.XMLSchema(etree.parse(str(path)))


def assert_valid(xml: str, versions: tuple[str, ...] = ("13.0", "16.0")) -> etree._Element:
    assert xml.isascii(), "qbXML must be pure ASCII (NOTES §3.2)"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc = etree.fromstring(xml.encode("ascii"), parser)
    for version in versions:
        s = schema(version)
        assert s.validate(doc), f"v{version}: {s.error_log.last_error}\n{xml}"
    return doc


def doc_of(*requests: etree._Element, version: str = "13.0") -> str:
    return document(list(requests), version)


CUSTOMER = Customer(
    name="Smith & Jones Ltd", company_name="Smith & Jones <Holdings> 'UK'", email="ap@smith.example",
    phone="0161 496 0000", contact="Zoë O'Brien",
    billing=Address(lines=("1 High St", "Suite 2"), city="Manchester", region="Greater Manchester",
                    postcode="M1 1AA", country="United Kingdom"),
    shipping=Address(lines=("Unit 5, Trafford Park",), city="Manchester", postcode="M17 1AA"),
    tax_code="S",
)


def invoice(kind: str = "invoice", **kw: object) -> Invoice:
    lines = (
        InvoiceLine("80000001-1700000000", "Managed service — November", Decimal("2"), Decimal("50"),
                    Decimal("100"), Decimal("20"), "S", account_code="80000009-1700000000"),
        InvoiceLine("Consulting", "Onsite visit", Decimal("1.5"), Decimal("80.333"), Decimal("120.50"),
                    Decimal("24.10"), "S"),
        InvoiceLine("", "A description-only line", Decimal("0"), Decimal("0"), Decimal("0"), Decimal("0"), ""),
    )
    values: dict[object, object] = dict(number="INV00001", customer_ref="80000002-1700000000", date=date(2026, 11, 1),
                                        lines=lines, kind=kind, due_date=date(2026, 12, 1), memo="Thanks & regards",
                                        external_key="halo:inv:1", po_number="PO-42",
                                        billing=Address(lines=("1 High St",), city="Leeds", postcode="LS1 1AA"))
    values.update(kw)
    return Invoice(**values)  # type: ignore[arg-type]


def test_document_envelope_pi_and_on_error() -> None:
    xml = doc_of(build.host_query("1"), build.company_query("2"), build.preferences_query("3"))
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="13.0"?>\n<QBXML>')
    root = assert_valid(xml)
    msgs = root.find("QBXMLMsgsRq")
    assert msgs.get("onError") == "continueOnError"
    assert [rq.get("requestID") for rq in msgs] == ["1", "2", "3"]
    assert '<?qbxml version="16.0"?>' in doc_of(build.host_query("1"), version="16.0")


def test_request_id_limit() -> None:
    with pytest.raises(ValueError, match="50"):
        doc_of(build.host_query("x" * 51))


@pytest.mark.parametrize("edition", EDITIONS)
def test_customer_add_and_mod_valid(edition: str) -> None:
    tax = CustomerTax("Tax", "County Tax") if edition in ("US", "AU") else CustomerTax("S")
    add = build.customer_add(CUSTOMER, edition, "1", tax)
    mod = build.customer_mod(
        Customer(**{**CUSTOMER.__dict__, "ref": "80000002-1700000000", "version": "1700000001"}), edition, "2", tax)
    xml = doc_of(add.request, mod.request)
    root = assert_valid(xml)
    assert "Zo&#235; O&apos;Brien" in xml
    assert "Smith &amp; Jones &lt;Holdings&gt; &apos;UK&apos;" in xml
    names = [el.tag for el in root.find("QBXMLMsgsRq/CustomerModRq/CustomerMod")]
    assert names[:3] == ["ListID", "EditSequence", "Name"]
    has_item_tax = root.find("QBXMLMsgsRq/CustomerAddRq/CustomerAdd/ItemSalesTaxRef") is not None
    assert has_item_tax == (edition in ("US", "AU"))  # NOTES §3.4: not in CA/UK


def test_customer_long_name_is_shortened_stably_and_noted() -> None:
    long = "The Extremely Long Named Managed Services Company of Greater Manchester Ltd"
    one = build.customer_add(Customer(name=long), "UK", "1")
    two = build.customer_add(Customer(name=long), "UK", "1")
    other = build.customer_add(Customer(name=long.replace("Ltd", "PLC")), "UK", "1")
    name = one.request.findtext("CustomerAdd/Name")
    assert len(name) <= 41
    assert name == two.request.findtext("CustomerAdd/Name")
    assert name != other.request.findtext("CustomerAdd/Name")
    assert long in one.request.findtext("CustomerAdd/Notes")
    assert one.shortened["Name"] == long
    assert_valid(doc_of(one.request))


def test_customer_phone_too_long_is_held() -> None:
    with pytest.raises(TextTooLong) as info:
        build.customer_add(Customer(name="A", phone="+44 161 496 0000 ext 12345"), "UK", "1")
    assert info.value.code == "qb.text.too_long"
    assert "phone" in info.value.message
    assert "21" in info.value.fix


def test_customer_mod_needs_ref() -> None:
    with pytest.raises(RecordRejected):
        build.customer_mod(Customer(name="A"), "US", "1")


@pytest.mark.parametrize("kind", ["service", "non_inventory", "other_charge"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_item_add_valid(kind: str, edition: str) -> None:
    product = Product(code="Managed Service & Support Premium Plus", description="Per user, per month",
                      price=Decimal("49.995"), income_account="Sales:Services", tax_code="S", kind=kind)
    built = build.item_add(product, edition, "7")
    root = assert_valid(doc_of(built.request))
    tag = build.ITEM_ADD[kind]
    assert root.find(f"QBXMLMsgsRq/{tag}Rq/{tag}/SalesOrPurchase/Price").text == "49.995"
    assert len(root.findtext(f"QBXMLMsgsRq/{tag}Rq/{tag}/Name")) <= 31
    assert "Managed Service & Support Premium Plus" in root.findtext(f"QBXMLMsgsRq/{tag}Rq/{tag}/SalesOrPurchase/Desc")


def test_item_add_refuses_stock_and_missing_account() -> None:
    with pytest.raises(RecordRejected) as info:
        build.item_add(Product(code="Laptop", kind="stock", income_account="Sales"), "US")
    assert info.value.code == "qb.product.kind"
    with pytest.raises(RecordRejected) as info:
        build.item_add(Product(code="Labour"), "US")
    assert info.value.code == "qb.product.no_account"


@pytest.mark.parametrize("kind", ["invoice", "credit"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_invoice_and_credit_memo_add_valid(kind: str, edition: str) -> None:
    inv = invoice(kind)
    tax = TxnTax(("Tax", "Tax", ""), "County Tax") if edition == "US" else None
    built = build.txn_add(inv, edition, "9", tax)
    xml = doc_of(built.request)
    root = assert_valid(xml)
    tag = "CreditMemo" if kind == "credit" else "Invoice"
    body = root.find(f"QBXMLMsgsRq/{tag}AddRq/{tag}Add")
    assert body.findtext("RefNumber") == "INV00001"
    assert body.findtext("Other") == "halo:inv:1"
    lines = body.findall(f"{tag}LineAdd")
    assert [ln.findtext("Amount") for ln in lines] == ["100.00", "120.50", None]
    assert lines[1].findtext("Rate") == "80.333"
    assert lines[0].find("ItemRef/ListID") is not None and lines[1].find("ItemRef/FullName") is not None
    assert lines[0].find("OverrideItemAccountRef/ListID").text == "80000009-1700000000"
    assert (body.find("IsTaxIncluded") is None) == (edition == "US")
    assert (lines[0].find("TaxAmount") is not None) == (edition == "AU")
    assert "&#8212;" not in xml and "Managed service - November" in xml  # em dash mapped to Latin-1


def test_invoice_number_too_long_is_held_not_cut() -> None:
    with pytest.raises(TextTooLong) as info:
        build.txn_add(invoice(number="INV-2026-000001"), "US", "1")
    assert "invoice number" in info.value.message
    assert info.value.field_name == "Txn.RefNumber"


def test_long_external_key_stored_as_stable_digest() -> None:
    key = "halo:tenant-with-long-name:invoice:123456"
    one = build.other_value(key)
    assert len(one) <= 29 and one.startswith("#") and one == build.other_value(key)
    assert build.other_value(key + "7") != one


def test_au_tax_code_of_six_characters_allowed_only_in_au() -> None:
    inv = invoice(lines=(InvoiceLine("Consulting", "x", Decimal(1), Decimal(1), Decimal(1), Decimal("0.1"), "GST-FR"),))
    built = build.txn_add(inv, "AU", "1")
    assert built.request.find("InvoiceAdd/InvoiceLineAdd/SalesTaxCodeRef/FullName").text == "GST-FR"
    with pytest.raises(TextTooLong):
        build.txn_add(inv, "UK", "1")


def test_queries_valid_with_iterators_and_filters() -> None:
    since = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    requests = [
        build.list_query("Customer", "1", max_returned=100, active_status="All", from_modified=since, iterator="Start"),
        build.list_query("Customer", "2", max_returned=100, iterator="Continue", iterator_id="{abc-123}"),
        build.list_query("Customer", "3", list_ids=["80000001-1700000000"]),
        build.list_query("Customer", "4", full_names=["Smith & Jones Ltd"]),
        build.list_query("Item", "5", max_returned=50, from_modified=since, iterator="Start"),
        build.list_query("Item", "6", full_names=["Consulting"]),
        build.list_query("ItemSalesTax", "7", active_status="All"),
        build.list_query("ItemSalesTaxGroup", "8", active_status="All", iterator="Start", max_returned=10),
        build.list_query("SalesTaxCode", "9", active_status="All"),
        build.list_query("Account", "10", account_types=("Income", "OtherIncome")),
        build.list_query("Terms", "11"),
        build.list_query("Class", "12", name_starts="North"),
        build.txn_query("Invoice", "13", ref_numbers=["INV00001"]),
        build.txn_query("Invoice", "14", txn_ids=["1A-1700000000"], include_ret=("TxnID", "RefNumber")),
        build.txn_query("Invoice", "15", max_returned=100, from_modified=since, include_line_items=True,
                        include_linked_txns=True, iterator="Start"),
        build.txn_query("CreditMemo", "16", max_returned=100, from_date=date(2026, 1, 1), to_date=date(2026, 2, 1),
                        customer_ref="80000001-1700000000", iterator="Start"),
        build.txn_query("ReceivePayment", "17", max_returned=100, from_modified=since, include_line_items=True,
                        iterator="Start"),
        build.host_query("18"),
    ]
    requests.append(build.with_iterator(requests[16], "{it-1}"))
    root = assert_valid(doc_of(*requests))
    cont = root.find("QBXMLMsgsRq")[-1]
    assert (cont.get("iterator"), cont.get("iteratorID")) == ("Continue", "{it-1}")
    assert root.find("QBXMLMsgsRq")[0].find("FromModifiedDate").text == "2026-11-01T09:30:00+00:00"


@pytest.mark.parametrize("kind", ["Account", "SalesTaxCode", "Terms", "Class"])
def test_iterator_refused_where_schema_has_none(kind: str) -> None:
    with pytest.raises(ValueError, match="iterator"):
        build.list_query(kind, "1", iterator="Start")
    # and the schema agrees (NOTES §6.3): the attribute is not allowed
    rq = build.list_query(kind, "1")
    rq.set("iterator", "Start")
    doc = etree.fromstring(doc_of(rq).encode())
    assert not schema("13.0").validate(doc)


def test_continue_needs_iterator_id() -> None:
    with pytest.raises(ValueError):
        build.list_query("Customer", "1", iterator="Continue")


def test_amount_and_price_formats() -> None:
    assert build.amount(Decimal("1")) == "1.00"
    assert build.amount(Decimal("2.005")) == "2.01"
    assert build.amount(Decimal("-3.1")) == "-3.10"
    assert build.price(Decimal("80.3333333")) == "80.33333"
    assert build.price(Decimal("10.000")) == "10"
    assert build.price(Decimal("1E+2")) == "100"
    assert re.fullmatch(r"[+-]?\d{1,13}(\.\d{2})?", build.amount(Decimal("1234567.891")))


_TEXT = st.text(
    alphabet=st.sampled_from([*"abcXYZ 019&<>'\"éüßÅøñ-—“”€ł.,:;/#\t", "\u0000", "\u2603"]),
    min_size=1, max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_TEXT, company=_TEXT, line1=_TEXT, line2=_TEXT, city=st.text(max_size=31),
       edition=st.sampled_from(EDITIONS))
def test_random_names_and_addresses_give_valid_length_checked_xml(name: str, company: str, line1: str, line2: str,
                                                                   city: str, edition: str) -> None:
    customer = Customer(name=name, company_name=company, contact=name,
                        billing=Address(lines=(line1, line2), city=city, postcode="M1 1AA"))
    try:
        built = build.customer_add(customer, edition, "1")
    except TextTooLong as exc:  # only "hold" fields may refuse, with a message and fix
        assert exc.code in ("qb.text.too_long", "qb.text.address_too_long")
        assert exc.fix
        return
    except RecordRejected:
        return
    xml = doc_of(built.request)
    root = assert_valid(xml, ("13.0",))
    body = root.find("QBXMLMsgsRq/CustomerAddRq/CustomerAdd")
    assert 0 < len(body.findtext("Name") or "x") <= 41
    for el in body.iter():
        if el.text:
            assert all(ord(c) < 256 for c in el.text)  # Latin-1 only (NOTES §3.2)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(memo=st.text(max_size=300), desc=_TEXT, item=_TEXT, edition=st.sampled_from(EDITIONS))
def test_random_invoice_text_gives_valid_xml(memo: str, desc: str, item: str, edition: str) -> None:
    line = InvoiceLine(item, desc, Decimal("1"), Decimal("9.99"), Decimal("9.99"), Decimal("0"), "")
    inv = Invoice(number="INV1", customer_ref="Smith & Jones", date=date(2026, 1, 2), lines=(line,), memo=memo)
    try:
        built = build.txn_add(inv, edition, "1")
    except TextTooLong as exc:  # an item reference longer than QuickBooks allows: held, never cut
        assert exc.field_name == "Ref.Item"
        return
    assert_valid(doc_of(built.request), ("13.0",))


def test_list_id_recognised_names_are_not() -> None:
    for lid in ("80000001-1700000000", "20000-933272655", "5B0001-1112732646", "2F-1413895912"):
        assert build.is_list_id(lid)
    for name in ("AB-100200", "Consulting", "Tax", "INV-000001", "DE-12345678901"):
        assert not build.is_list_id(name)


def test_long_address_lines_wrap_onto_spare_lines_or_hold() -> None:
    long = "Unit 12, The Old Mill Business Park, Very Long Road Name"
    built = build.customer_add(Customer(name="A", billing=Address(lines=(long, "Leeds Road"), city="Leeds")), "UK")
    bill = built.request.find("CustomerAdd/BillAddress")
    lines = [bill.findtext(f"Addr{i}") for i in range(1, 4)]
    assert all(line and len(line) <= 41 for line in lines)
    assert " ".join(lines[:2]) == long and lines[2] == "Leeds Road"
    assert_valid(doc_of(built.request))
    with pytest.raises(TextTooLong) as info:
        build.customer_add(Customer(name="A", billing=Address(lines=(long,) * 3)), "UK")
    assert info.value.code == "qb.text.address_too_long" and "address" in info.value.fix
    with pytest.raises(TextTooLong) as info:
        build.customer_add(Customer(name="A", billing=Address(postcode="SW1A 1AA LONDON UK")), "UK")
    assert "postcode" in info.value.message
