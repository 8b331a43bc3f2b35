"""The sandbox QuickBooks company: invoices, credit memos, tax per edition and payments."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from halo_accounts.sandbox.quickbooks import Company
from refpaths import QB_REAL_RESPONSES, QBXML_XSD_13


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(QBXML_XSD_13)))


def request(body: str, on_error: str = "stopOnError") -> str:
    text = (f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="13.0"?>\n'
            f'<QBXML><QBXMLMsgsRq onError="{on_error}">{body}</QBXMLMsgsRq></QBXML>')
    schema = _schema()
    assert schema.validate(etree.fromstring(text.encode())), schema.error_log
    return text


def one(response: str) -> etree._Element:
    (rs,) = list(etree.fromstring(response.encode()).find("QBXMLMsgsRs"))
    return rs


def same_order(ours: etree._Element, real: etree._Element) -> bool:
    """The fields both elements carry appear in the same order (repeats collapsed)."""
    def tags(element: etree._Element) -> list[str]:
        out: list[str] = []
        for child in element:
            if not out or out[-1] != child.tag:
                out.append(child.tag)
        return out

    mine, theirs = tags(ours), tags(real)
    shared = set(mine) & set(theirs)
    assert len(shared) >= 5
    return [t for t in mine if t in shared] == [t for t in theirs if t in shared]


def _item(name: str, price: str, code: str | None = None) -> dict[str, object]:
    item: dict[str, object] = {"type": "ItemService", "Name": name}
    if code:
        item["SalesTaxCodeRef"] = {"FullName": code}
    item["SalesOrPurchase"] = {"Desc": f"{name} description", "Price": price, "AccountRef": {"FullName": "Services"}}
    return item


SEED = {
    "items": [_item("Laptop", "999.99", "Tax"), _item("Support", "50.00", "Non"), _item("Widget", "10.00")],
    "customers": [{"Name": "Acme Corp", "SalesTaxCodeRef": {"FullName": "Tax"},
                   "TermsRef": {"FullName": "Net 30"}}],
}


def line(item: str, qty: str | None = None, rate: str | None = None, code: str | None = None, extra: str = "") -> str:
    parts = f"<ItemRef><FullName>{item}</FullName></ItemRef>"
    if qty:
        parts += f"<Quantity>{qty}</Quantity>"
    if rate:
        parts += f"<Rate>{rate}</Rate>"
    parts += extra
    if code:
        parts += f"<SalesTaxCodeRef><FullName>{code}</FullName></SalesTaxCodeRef>"
    return f"<InvoiceLineAdd>{parts}</InvoiceLineAdd>"


def invoice(customer: str, lines: str, header: str = "", after: str = "", rid: str = "1") -> str:
    return (f'<InvoiceAddRq requestID="{rid}"><InvoiceAdd><CustomerRef><FullName>{customer}</FullName></CustomerRef>'
            f"{header}{after}{lines}</InvoiceAdd></InvoiceAddRq>")


@pytest.fixture
def us(tmp_path: Path) -> Company:
    with Company(tmp_path / "us.qbw", "US", seed=SEED) as c:
        yield c


def test_us_invoice_totals_from_taxable_lines_and_item_sales_tax(us: Company) -> None:
    rs = one(us.process(request(invoice(
        "Acme Corp", line("Laptop", "2") + line("Support", "3"),
        header="<TxnDate>2026-11-01</TxnDate><RefNumber>INV-0041</RefNumber>"))))
    assert rs.get("statusCode") == "0"
    ret = rs.find("InvoiceRet")
    assert ret.findtext("Subtotal") == "2149.98"
    assert ret.findtext("ItemSalesTaxRef/FullName") == "State Tax"
    assert ret.findtext("SalesTaxPercentage") == "7.25"
    assert ret.findtext("SalesTaxTotal") == "145.00"  # 1999.98 * 7.25% = 144.99855
    assert ret.findtext("BalanceRemaining") == "2294.98"
    assert ret.findtext("AppliedAmount") == "0.00" and ret.findtext("IsPaid") == "false"
    assert ret.findtext("DueDate") == "2026-12-01"  # Net 30 from the customer
    assert ret.findtext("ShipDate") == "2026-11-01"
    lines = ret.findall("InvoiceLineRet")
    assert [(x.findtext("Quantity"), x.findtext("Rate"), x.findtext("Amount")) for x in lines] == [
        ("2", "999.99", "1999.98"), ("3", "50.00", "150.00")]
    assert lines[0].findtext("Desc") == "Laptop description"
    assert lines[0].findtext("SalesTaxCodeRef/FullName") == "Tax"
    # same order of header fields as a real InvoiceAddRs
    real = one((QB_REAL_RESPONSES / "apotema-InvoiceAddRs-1.xml").read_text()).find("InvoiceRet")
    assert same_order(ret, real)
    assert ret.findtext("TxnID").split("-")[1] == ret.findtext("EditSequence")


def test_us_group_rate_and_non_taxable_customer(us: Company) -> None:
    grouped = one(us.process(request(invoice(
        "Acme Corp", line("Laptop", "2"),
        after="<ItemSalesTaxRef><FullName>City + State</FullName></ItemSalesTaxRef>"))))
    assert grouped.findtext("InvoiceRet/SalesTaxTotal") == "165.00"  # 8.25%
    exempt = one(us.process(request(invoice(
        "Acme Corp", line("Laptop", "1"),
        after="<CustomerSalesTaxCodeRef><FullName>Non</FullName></CustomerSalesTaxCodeRef>"))))
    assert exempt.findtext("InvoiceRet/SalesTaxTotal") == "0.00"


def test_ref_number_assigned_when_omitted_and_duplicates_allowed(us: Company) -> None:
    first = one(us.process(request(invoice("Acme Corp", line("Support", "1"), "<RefNumber>INV-0009</RefNumber>"))))
    auto = one(us.process(request(invoice("Acme Corp", line("Support", "1")))))
    dup = one(us.process(request(invoice("Acme Corp", line("Support", "1"), "<RefNumber>INV-0009</RefNumber>"))))
    assert first.findtext("InvoiceRet/RefNumber") == "INV-0009"
    assert auto.findtext("InvoiceRet/RefNumber") == "INV-0010"
    assert dup.get("statusCode") == "0"
    found = one(us.process(request("<InvoiceQueryRq><RefNumber>inv-0009</RefNumber></InvoiceQueryRq>")))
    assert len(found.findall("InvoiceRet")) == 2
    assert found.find("InvoiceRet/InvoiceLineRet") is None  # IncludeLineItems defaults to false
    with_lines = one(us.process(request(
        "<InvoiceQueryRq><RefNumber>INV-0010</RefNumber><IncludeLineItems>true</IncludeLineItems></InvoiceQueryRq>")))
    assert with_lines.find("InvoiceRet/InvoiceLineRet") is not None
    nothing = one(us.process(request("<InvoiceQueryRq><RefNumber>NOPE</RefNumber></InvoiceQueryRq>")))
    assert nothing.get("statusCode") == "1"


def test_overlong_ref_number_is_refused(us: Company) -> None:
    body = invoice("Acme Corp", line("Support", "1"), "<RefNumber>INV-0000000001</RefNumber>")
    text = (f'<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">{body}'
            "</QBXMLMsgsRq></QBXML>")
    rs = one(us.process(text))
    assert rs.get("statusCode") == "3070" and '"RefNumber"' in rs.get("statusMessage")
    assert us.counts().get("invoice", 0) == 0


def test_invalid_references_give_3140(us: Company) -> None:
    no_customer = one(us.process(request(invoice("Ghost Ltd", line("Support", "1")))))
    assert no_customer.get("statusCode") == "3140"
    assert no_customer.get("statusMessage").startswith(
        'There is an invalid reference to QuickBooks Customer "Ghost Ltd" in the Invoice.')
    no_item = one(us.process(request(invoice("Acme Corp", line("Teleporter", "1")))))
    assert 'QuickBooks Item "Teleporter"' in no_item.get("statusMessage")
    assert us.counts().get("invoice", 0) == 0


def _edition_company(tmp_path: Path, edition: str) -> Company:
    seed = {"items": [_item("Work", "100.00"), _item("Extra", "10.00")], "customers": [{"Name": "Client"}]}
    return Company(tmp_path / f"{edition}.qbw", edition, seed=seed)


@pytest.mark.parametrize(
    ("edition", "lines", "subtotal", "tax"),
    [
        ("UK", [("Work", "1", "S"), ("Extra", "1", "R"), ("Extra", "2", "Z")], "130.00", "20.50"),
        ("CA", [("Work", "1", "G"), ("Work", "2", "H"), ("Extra", "5", "S")], "350.00", "37.00"),
        ("AU", [("Work", "1", "GST"), ("Extra", "2", "FRE")], "120.00", "10.00"),
    ],
)
def test_tax_per_line_code_outside_us(tmp_path: Path, edition: str, lines: list[tuple[str, str, str]],
                                      subtotal: str, tax: str) -> None:
    with _edition_company(tmp_path, edition) as c:
        body = "".join(line(item, qty, code=code) for item, qty, code in lines)
        rs = one(c.process(request(invoice("Client", body))))
        assert rs.get("statusCode") == "0", rs.get("statusMessage")
        ret = rs.find("InvoiceRet")
        assert (ret.findtext("Subtotal"), ret.findtext("SalesTaxTotal")) == (subtotal, tax)
        assert ret.find("SalesTaxPercentage") is None and ret.find("ItemSalesTaxRef") is None
        assert ret.findtext("IsTaxIncluded") == "false"
        line_tax = [x.findtext("TaxAmount") for x in ret.findall("InvoiceLineRet")]
        if edition == "AU":  # NOTES §4.5: line TaxAmount is AU only
            assert line_tax == ["10.00", "0.00"]
        else:
            assert line_tax == [None] * len(lines)


def test_uk_tax_included_amounts(tmp_path: Path) -> None:
    with _edition_company(tmp_path, "UK") as c:
        rs = one(c.process(request(invoice(
            "Client", line("Work", "1", "120.00", code="S"), after="<IsTaxIncluded>true</IsTaxIncluded>"))))
        ret = rs.find("InvoiceRet")
        assert (ret.findtext("Subtotal"), ret.findtext("SalesTaxTotal"), ret.findtext("BalanceRemaining")) == (
            "100.00", "20.00", "120.00")


def test_credit_memo_add_and_query(us: Company) -> None:
    body = ('<CreditMemoAddRq requestID="cm"><CreditMemoAdd><CustomerRef><FullName>Acme Corp</FullName></CustomerRef>'
            "<RefNumber>CN-1</RefNumber><CreditMemoLineAdd><ItemRef><FullName>Laptop</FullName></ItemRef>"
            "<Quantity>1</Quantity></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>")
    rs = one(us.process(request(body)))
    ret = rs.find("CreditMemoRet")
    real = one((QB_REAL_RESPONSES / "jwachira-CreditMemoAddRs-1.xml").read_text()).find("CreditMemoRet")
    assert same_order(ret, real)
    assert (ret.findtext("TotalAmount"), ret.findtext("CreditRemaining")) == ("1072.49", "1072.49")
    listed = one(us.process(request(
        '<CreditMemoQueryRq requestID="q"><RefNumber>CN-1</RefNumber></CreditMemoQueryRq>')))
    assert listed.findtext("CreditMemoRet/TxnID") == ret.findtext("TxnID")
    customer = one(us.process(request("<CustomerQueryRq><FullName>Acme Corp</FullName></CustomerQueryRq>")))
    assert customer.findtext("CustomerRet/Balance") == "-1072.49"


def test_payments_apply_to_invoices_and_come_back_in_query(us: Company) -> None:
    inv = one(us.process(request(invoice("Acme Corp", line("Support", "4"), "<RefNumber>7001</RefNumber>"))))
    txn_id, seq = inv.findtext("InvoiceRet/TxnID"), inv.findtext("InvoiceRet/EditSequence")
    pay_id = us.add_payment("Acme Corp", {"7001": "150.00"}, "2026-11-20", ref_number="CHK-1", method="Check")
    with pytest.raises(ValueError, match="You cannot pay more than the amount due"):
        us.add_payment("Acme Corp", {txn_id: 60}, "2026-11-21")
    us.add_payment("Acme Corp", {txn_id: 50}, "2026-11-22")
    query = ("<ReceivePaymentQueryRq requestID=\"p\"><EntityFilter><FullName>Acme Corp</FullName></EntityFilter>"
             "<IncludeLineItems>true</IncludeLineItems></ReceivePaymentQueryRq>")
    rs = one(us.process(request(query)))
    payments = rs.findall("ReceivePaymentRet")
    assert len(payments) == 2 and payments[0].findtext("TxnID") == pay_id
    first = payments[0]
    real = one((QB_REAL_RESPONSES / "consolibyte-ReceivePaymentQueryRs-1.xml").read_text()).find("ReceivePaymentRet")
    assert same_order(first, real)
    applied = first.find("AppliedToTxnRet")
    assert [c.tag for c in applied] == [c.tag for c in real.find("AppliedToTxnRet")]
    assert (applied.findtext("TxnID"), applied.findtext("RefNumber"), applied.findtext("Amount")) == (
        txn_id, "7001", "150.00")
    assert first.findtext("PaymentMethodRef/FullName") == "Check"
    assert first.findtext("DepositToAccountRef/FullName") == "Undeposited Funds"
    after = one(us.process(request(
        f"<InvoiceQueryRq><TxnID>{txn_id}</TxnID><IncludeLinkedTxns>true</IncludeLinkedTxns></InvoiceQueryRq>")))
    ret = after.find("InvoiceRet")
    assert (ret.findtext("AppliedAmount"), ret.findtext("BalanceRemaining"), ret.findtext("IsPaid")) == (
        "-200.00", "0.00", "true")
    assert ret.findtext("EditSequence") != seq
    assert [x.findtext("LinkType") for x in ret.findall("LinkedTxn")] == ["AMTTYPE", "AMTTYPE"]
    unpaid = one(us.process(request("<InvoiceQueryRq><PaidStatus>NotPaidOnly</PaidStatus></InvoiceQueryRq>")))
    assert unpaid.get("statusCode") == "1"
    no_lines = one(us.process(request("<ReceivePaymentQueryRq/>")))
    assert no_lines.find("ReceivePaymentRet/AppliedToTxnRet") is None  # NOTES §5 [I]


def test_invoice_iterator_and_modified_filter(tmp_path: Path) -> None:
    clock = [1_800_000_000.0]
    with Company(tmp_path / "c.qbw", "US", seed=SEED, now=lambda: clock[0]) as c:
        for n in range(5):
            clock[0] += 10
            c.process(request(invoice("Acme Corp", line("Support", "1"), f"<RefNumber>{n}</RefNumber>")))
        start = one(c.process(request('<InvoiceQueryRq iterator="Start"><MaxReturned>2</MaxReturned>'
                                      "</InvoiceQueryRq>")))
        assert start.get("iteratorRemainingCount") == "3" and len(start) == 2
        since = c._ctx.clock.stamp(clock[0] - 15)
        recent = one(c.process(request(
            f"<InvoiceQueryRq><ModifiedDateRangeFilter><FromModifiedDate>{since}</FromModifiedDate>"
            "</ModifiedDateRangeFilter></InvoiceQueryRq>")))
        assert [r.findtext("RefNumber") for r in recent] == ["3", "4"]
