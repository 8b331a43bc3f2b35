"""The response parsers read every real QuickBooks response we have (no crash, key fields extracted)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from halo_accounts.ledgers.port import LedgerUnavailable
from halo_accounts.ledgers.quickbooks.qbxml import parse, status
from refpaths import QB_REAL_RESPONSES


def _responses() -> list[tuple[str, str]]:
    """(name, qbXML response text) for every response in the folder, unwrapping SOAP bodies."""
    out: list[tuple[str, str]] = []
    for path in sorted(QB_REAL_RESPONSES.glob("*.xml")):
        raw = path.read_bytes()
        if "-soap-" in path.name:
            root = etree.fromstring(raw)
            for el in root.iter("{http://developer.intuit.com/}response", "{http://developer.intuit.com/}strHCPResponse"):
                if el.text and "<QBXML" in el.text:
                    out.append((f"{path.name}#{etree.QName(el).localname}", el.text))
        elif b"<QBXMLMsgsRs" in raw:  # a response (the *Rq-accepted* files are requests)
            out.append((path.name, raw.decode("utf-8")))
    return out


RESPONSES = _responses()


def test_the_reference_folder_was_found() -> None:
    assert len(RESPONSES) >= 40


def _ids(items: list[tuple[str, str]]) -> list[str]:
    return [name for name, _ in items]


@pytest.mark.parametrize(("name", "xml"), RESPONSES, ids=_ids(RESPONSES))
def test_every_real_response_parses(name: str, xml: str) -> None:
    responses = parse.parse_response(xml)
    assert responses, name
    for rs in responses:
        assert rs.name and isinstance(rs.status.code, int)
        if rs.status.is_error:
            err = status.error_for(rs.status, request=rs.name)
            assert err.message and err.fix
            continue
        for ret in rs.rets():
            tag = ret.tag
            if tag == "CustomerRet":
                c = parse.customer_from(ret)
                assert c.name and c.ref and c.version, name
            elif tag in parse.PRODUCT_KINDS:
                p = parse.product_from(ret)
                assert p is not None and p.code and p.ref, name
            elif tag in ("InvoiceRet", "CreditMemoRet"):
                posted = parse.posted_from(ret)
                assert posted.ledger_id, name
                assert posted.total >= 0
            elif tag == "AccountRet":
                a = parse.account_from(ret)
                assert a.code and a.name and a.kind, name
            elif tag == "ReceivePaymentRet":
                payments, applied = parse.payments_from(ret)
                assert len(payments) == len(applied)
                for p in payments:
                    assert p.ledger_id.startswith(parse.text(ret, "TxnID") + ":")
                    assert p.amount > 0
            elif tag == "HostRet":
                host = parse.host_from(ret)
                assert host.product_name.startswith("QuickBooks") and host.supported, name
            elif tag == "SalesTaxCodeRet":
                assert parse.sales_tax_code_from(ret).name, name


def _load(name: str) -> list[parse.Rs]:
    return parse.parse_response((QB_REAL_RESPONSES / name).read_text("utf-8"))


def test_customer_fields() -> None:
    (rs,) = _load("consolibyte-CustomerQueryRs-1.xml")
    c = parse.customer_from(rs.rets("CustomerRet")[0])
    assert c.ref == "90000-1214366034"
    assert c.tax_code and c.version


def test_jobs_are_named_by_full_name() -> None:
    (rs,) = _load("apotema-CustomerQueryRs-jobs-1.xml")
    names = [parse.customer_from(r).name for r in rs.rets("CustomerRet")]
    assert any(":" in n for n in names)


def test_iterator_attributes() -> None:
    (rs,) = _load("qbwc-qbxml-CustomerQueryRs-iterator-1.xml")
    assert rs.remaining == 18
    assert rs.iterator_id.startswith("{")


def test_percent_sign_in_price_percent() -> None:
    (rs,) = _load("qbwc-qbxml-ItemQueryRs-ItemServiceRet-PricePercent-1.xml")
    p = parse.product_from(rs.rets()[0])
    assert p is not None and p.price == Decimal("18.0")
    assert "'" in p.code  # apostrophe in the name survives


def test_item_kinds() -> None:
    (rs,) = _load("apotema-ItemQueryRs-1.xml")
    products = [parse.product_from(r) for r in rs.rets()]
    kinds = {p.kind for p in products if p}
    assert kinds == {"service", "non_inventory", "other_charge"}
    assert sum(p is None for p in products) == 4  # subtotal, discount, payment, group are not products
    assert any(p and p.code.count(":") == 3 for p in products)


def test_payment_split_per_invoice() -> None:
    (rs,) = _load("consolibyte-ReceivePaymentQueryRs-1.xml")
    payments, _ = parse.payments_from(rs.rets()[0])
    assert len(payments) == 1
    p = payments[0]
    assert p.ledger_id == "8BA-1265198220:8B6-1265198210"
    assert p.invoice_number == "1524"
    assert p.amount == Decimal("30.00")
    assert p.date == date(2010, 2, 3)
    assert p.method == "American Express"
    assert p.customer_ref == "1A0004-1264994929"
    assert p.modified is not None and p.modified.utcoffset() is not None


def test_invoice_posted() -> None:
    (rs,) = _load("apotema-InvoiceAddRs-1.xml")
    posted = parse.posted_from(rs.rets("InvoiceRet")[0])
    assert posted.ledger_id == "2F-1413895912"
    assert posted.kind == "invoice"
    (rs,) = _load("jwachira-CreditMemoAddRs-1.xml")
    credit = parse.posted_from(rs.rets()[0])
    assert credit.kind == "credit" and credit.total > 0 and credit.balance is not None


def test_host_versions_and_country() -> None:
    responses = _load("qbwc-HostQueryRs-CompanyQueryRs-PreferencesQueryRs-QBPro2014.xml")
    host = parse.host_from(responses[0].rets("HostRet")[0])
    assert host.country == "US" and "13.0" in host.supported
    assert [rs.name for rs in responses] == ["HostQuery", "CompanyQuery", "PreferencesQuery"]


def test_batch_statuses_in_order() -> None:
    responses = _load("hotglue-CustomerAddRs-batch-0-3100-3250-3130.xml")
    assert [rs.status.code for rs in responses] == [0, 3100, 3250, 3130, 0]
    errors = [status.error_for(rs.status, request=rs.name) for rs in responses if rs.status.is_error]
    assert [type(e) for e in errors] == [status.NameInUse, status.FeatureNotEnabled, status.InvalidReference]
    batch = _load("jwachira-CustomerAddRs-3100-batch-1.xml")
    assert [rs.request_id for rs in batch] == [str(i) for i in range(16)]


def test_no_match_and_warnings_are_not_errors() -> None:
    (nomatch,) = _load("flowlink-ItemInventoryQueryRs-1-nomatch.xml")
    assert nomatch.status.code == 1 and not nomatch.status.is_error and nomatch.rets() == []
    (warn,) = _load("qbwc-CustomerQueryRs-500-warn-1.xml")
    assert warn.status.severity == "Warn" and not warn.status.is_error
    (warn530,) = _load("jwachira-CustomerModRs-530-warn-1.xml")
    assert not warn530.status.is_error and warn530.rets("CustomerRet")


def test_stale_reply_carries_current_record() -> None:
    (rs,) = _load("jwachira-CustomerModRs-3200-1.xml")
    assert rs.status.code == 3200 and rs.status.message.endswith(" ")
    assert parse.customer_from(rs.rets("CustomerRet")[0]).version


def test_3210_with_info_severity_is_still_an_error() -> None:
    (rs,) = _load("consolibyte-ReceivePaymentAddRs-3210-1.xml")
    assert rs.status.is_error


def test_tax_codes_from_us_and_non_us_tables() -> None:
    codes = [parse.SalesTaxCode("1", "Tax", True), parse.SalesTaxCode("2", "Non", False),
             parse.SalesTaxCode("3", "S", True, item_sales_tax="VAT 20"),
             parse.SalesTaxCode("4", "Z", False, item_sales_tax="VAT 0")]
    items = [parse.SalesTaxItem("10", "VAT 20", Decimal("20")), parse.SalesTaxItem("11", "VAT 0", Decimal("0")),
             parse.SalesTaxItem("12", "GST", Decimal("5")), parse.SalesTaxItem("13", "PST", Decimal("7")),
             parse.SalesTaxItem("14", "GST/PST", None, members=("12", "PST"))]
    us = {t.code: t.rate for t in parse.tax_codes_from(codes, items, "US")}
    assert us["VAT 20"] == Decimal("20") and us["Non"] == 0 and us["GST/PST"] == Decimal("12")
    assert "Tax" not in us  # a taxable line names its rate (sales tax item) in the US
    uk = {t.code: t.rate for t in parse.tax_codes_from(codes, items, "UK")}
    assert uk["S"] == Decimal("20") and uk["Z"] == 0


def test_response_with_doctype_or_entity_is_refused() -> None:
    evil = ('<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            "<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode=\"0\"><CustomerRet><Name>&xxe;</Name>"
            "</CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>")
    with pytest.raises(LedgerUnavailable) as info:
        parse.parse_response(evil)
    assert info.value.code == "qb.response.unreadable"


def test_garbage_and_wrong_root_are_refused_plainly() -> None:
    for bad in ("not xml at all", "<html><body>502</body></html>"):
        with pytest.raises(LedgerUnavailable) as info:
            parse.parse_response(bad)
        assert info.value.fix


def test_declared_encoding_of_an_already_decoded_string_is_ignored() -> None:
    xml = ('<?xml version="1.0" encoding="windows-1252"?><QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0">'
           "<CustomerRet><ListID>1-1</ListID><Name>Zoë</Name></CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>")
    (rs,) = parse.parse_response(xml)
    assert parse.customer_from(rs.rets()[0]).name == "Zoë"


def test_fixture_paths_exist() -> None:
    assert Path(QB_REAL_RESPONSES).is_dir()


def test_mixed_batch_with_invalid_reference() -> None:
    responses = _load("flowlink-SalesOrderAdd-batch-1-0-3140.xml")
    assert [rs.status.code for rs in responses] == [1, 1, 0, 3140]
    err = status.error_for(responses[-1].status, request=responses[-1].name, record="sales order")
    assert isinstance(err, status.InvalidReference) and "Customer" in err.message
