"""Lenient parsers of qbXML responses into the port's neutral records. Free of I/O.

Real QuickBooks output does not always follow its schema (NOTES §6.3, real-responses/README.md): no XML
declaration, missing requestID, "18.0%" in a percent field, enum values outside the XSD. So elements are
read by name, absent ones give defaults, and only the envelope and status attributes are required.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from halo_accounts import xmlsafe
from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import (
    Account,
    Address,
    Customer,
    LedgerUnavailable,
    Payment,
    Posted,
    Product,
    TaxCode,
)
from halo_accounts.ledgers.quickbooks.qbxml.status import Status

_DECL = re.compile(r"^\s*(\ufeff)?\s*<\?xml[^>]*\?>", re.S)


@dataclass
class Rs:
    """One ``*Rs`` element of a response, with its status and iterator attributes."""

    name: str
    """Without the ``Rs`` suffix, e.g. "CustomerQuery"."""
    request_id: str
    status: Status
    element: etree._Element
    iterator_id: str = ""
    remaining: int = 0

    def rets(self, *tags: str) -> list[etree._Element]:
        """The ``*Ret`` children (all of them, or those named ``tags``)."""
        return [el for el in self.element if isinstance(el.tag, str) and (not tags or el.tag in tags)]


def parse_document(text: str | bytes) -> etree._Element:
    """The ``QBXML`` root of a response. A DOCTYPE/entity or malformed XML is refused (`xmlsafe`)."""
    if isinstance(text, str):
        # The text is already decoded: drop a declaration whose encoding would no longer be true.
        text = _DECL.sub("", text, count=1).strip()
    try:
        root = xmlsafe.parse(text, what="QuickBooks response")
    except HaloAccountsError as exc:
        raise LedgerUnavailable("qb.response.unreadable", detail=exc.message) from None
    if root.tag != "QBXML":
        raise LedgerUnavailable("qb.response.unreadable", detail=f"root element is <{root.tag}>, not <QBXML>")
    return root


def parse_response(text: str | bytes) -> list[Rs]:
    """Every ``*Rs`` of a response document, in document order (NOTES §3.1)."""
    root = parse_document(text)
    out: list[Rs] = []
    for msgs in root:
        if not isinstance(msgs.tag, str) or not msgs.tag.endswith("MsgsRs"):
            continue
        for el in msgs:
            if not isinstance(el.tag, str) or not el.tag.endswith("Rs"):
                continue
            out.append(rs_from(el))
    return out


def rs_from(el: etree._Element) -> Rs:
    try:
        code = int((el.get("statusCode") or "0").strip())
    except ValueError:
        code = 1000
    remaining = el.get("iteratorRemainingCount") or "0"
    return Rs(
        name=el.tag[:-2],
        request_id=el.get("requestID", ""),
        status=Status(code, el.get("statusSeverity", "Info"), el.get("statusMessage", "")),
        element=el,
        iterator_id=el.get("iteratorID", ""),
        remaining=int(remaining) if remaining.strip().isdigit() else 0,
    )


# ---------------------------------------------------------------- value helpers

def text(el: etree._Element | None, path: str, default: str = "") -> str:
    if el is None:
        return default
    found = el.find(path)
    if found is None or found.text is None:
        return default
    return found.text.strip()


def decimal(el: etree._Element | None, path: str, default: Decimal | None = Decimal("0")) -> Decimal | None:
    raw = text(el, path).replace("%", "").replace(",", "").strip()
    if not raw:
        return default
    try:
        return Decimal(raw)
    except InvalidOperation:
        return default


def boolean(el: etree._Element | None, path: str, default: bool = True) -> bool:
    raw = text(el, path).lower()
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    return default


def parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip()[:10]) if raw.strip() else None
    except ValueError:
        return None


def parse_datetime(raw: str) -> datetime | None:
    """DATETIMETYPE as QuickBooks writes it (offset included; note NOTES real-responses: the offset is
    standard time even in summer, so compare with an overlap, never exactly)."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        d = parse_date(raw)
        return datetime(d.year, d.month, d.day) if d else None


def ref_value(el: etree._Element | None, tag: str) -> str:
    """A reference's ListID, else its FullName."""
    return text(el, f"{tag}/ListID") or text(el, f"{tag}/FullName")


def address_from(el: etree._Element | None) -> Address:
    if el is None:
        return Address()
    lines = tuple(v for v in (text(el, f"Addr{i}") for i in range(1, 6)) if v)
    return Address(lines=lines, city=text(el, "City"), region=text(el, "State"), postcode=text(el, "PostalCode"),
                   country=text(el, "Country"))


# ---------------------------------------------------------------- records

def customer_from(el: etree._Element) -> Customer:
    """CustomerRet -> Customer (name = FullName, so a job reads "Customer:Job")."""
    return Customer(
        name=text(el, "FullName") or text(el, "Name"),
        ref=text(el, "ListID"),
        company_name=text(el, "CompanyName"),
        billing=address_from(el.find("BillAddress")),
        shipping=address_from(el.find("ShipAddress")),
        email=text(el, "Email"),
        phone=text(el, "Phone"),
        contact=text(el, "Contact"),
        tax_code=text(el, "SalesTaxCodeRef/FullName") or text(el, "SalesTaxCodeRef/ListID"),
        active=boolean(el, "IsActive"),
        version=text(el, "EditSequence"),
    )


PRODUCT_KINDS: dict[str, str] = {
    "ItemServiceRet": "service",
    "ItemNonInventoryRet": "non_inventory",
    "ItemOtherChargeRet": "other_charge",
    "ItemInventoryRet": "stock",
    "ItemInventoryAssemblyRet": "stock",
}
"""Item kinds an invoice line can sell; the others (subtotal, discount, payment, sales tax, group,
fixed asset) are not products."""


def product_from(el: etree._Element) -> Product | None:
    kind = PRODUCT_KINDS.get(el.tag)
    if kind is None:
        return None
    sop = el.find("SalesOrPurchase")
    sap = el.find("SalesAndPurchase")
    if sop is not None:
        description = text(sop, "Desc")
        price = decimal(sop, "Price") or decimal(sop, "PricePercent") or Decimal("0")
        account = text(sop, "AccountRef/FullName")
    elif sap is not None:
        description, price, account = text(sap, "SalesDesc"), decimal(sap, "SalesPrice"), text(
            sap, "IncomeAccountRef/FullName")
    else:  # inventory items carry the sales fields directly
        description, price, account = text(el, "SalesDesc"), decimal(el, "SalesPrice"), text(
            el, "IncomeAccountRef/FullName")
    return Product(
        code=text(el, "FullName") or text(el, "Name"),
        ref=text(el, "ListID"),
        description=description,
        price=price or Decimal("0"),
        income_account=account,
        tax_code=text(el, "SalesTaxCodeRef/FullName"),
        kind=kind,  # type: ignore[arg-type]
        active=boolean(el, "IsActive"),
    )


@dataclass(frozen=True)
class SalesTaxCode:
    list_id: str
    name: str
    taxable: bool
    description: str = ""
    item_sales_tax: str = ""
    """Non-US: the tax item (ListID or FullName) that gives the code its rate."""
    active: bool = True


def sales_tax_code_from(el: etree._Element) -> SalesTaxCode:
    return SalesTaxCode(
        list_id=text(el, "ListID"),
        name=text(el, "Name") or text(el, "FullName"),
        taxable=boolean(el, "IsTaxable", default=False),
        description=text(el, "Desc"),
        item_sales_tax=ref_value(el, "ItemSalesTaxRef"),
        active=boolean(el, "IsActive"),
    )


@dataclass(frozen=True)
class SalesTaxItem:
    """ItemSalesTaxRet or ItemSalesTaxGroupRet (rate = sum of the group's members)."""

    list_id: str
    name: str
    rate: Decimal | None
    description: str = ""
    members: tuple[str, ...] = ()
    active: bool = True


def sales_tax_item_from(el: etree._Element) -> SalesTaxItem:
    members = tuple(ref_value(m, ".") for m in el.findall("ItemSalesTaxRef"))
    return SalesTaxItem(
        list_id=text(el, "ListID"),
        name=text(el, "Name"),
        rate=decimal(el, "TaxRate", default=None),
        description=text(el, "ItemDesc"),
        members=members,
        active=boolean(el, "IsActive"),
    )


def tax_item_rate(item: SalesTaxItem, items: dict[str, SalesTaxItem]) -> Decimal:
    """The rate of a tax item; a group's rate is the sum of its members' rates."""
    if item.rate is not None:
        return item.rate
    total = Decimal("0")
    for member in item.members:
        found = items.get(member)
        if found is not None and found.rate is not None:
            total += found.rate
    return total


def tax_codes_from(codes: list[SalesTaxCode], items: list[SalesTaxItem], edition: str) -> list[TaxCode]:
    """The port's tax codes for an edition (NOTES §3.4).

    US: each sales tax item/group is a code (its rate), plus the non-taxable sales tax codes (rate 0):
    a taxable line names the rate; QuickBooks' "Tax" code is implied. Elsewhere: each sales tax code,
    with the rate of the tax item (or group) it points to.
    """
    by_key: dict[str, SalesTaxItem] = {}
    for item in items:
        by_key[item.list_id] = item
        by_key[item.name] = item
    out: list[TaxCode] = []
    if edition == "US":
        for item in items:
            if item.active:
                out.append(TaxCode(code=item.name, name=item.description or item.name,
                                   rate=tax_item_rate(item, by_key), ledger_id=item.list_id))
        for code in codes:
            if code.active and not code.taxable:
                out.append(TaxCode(code=code.name, name=code.description or code.name, rate=Decimal("0"),
                                   ledger_id=code.list_id))
        return out
    for code in codes:
        if not code.active:
            continue
        item = by_key.get(code.item_sales_tax)
        rate = tax_item_rate(item, by_key) if item is not None else Decimal("0")
        out.append(TaxCode(code=code.name, name=code.description or code.name, rate=rate, ledger_id=code.list_id))
    return out


def account_from(el: etree._Element) -> Account:
    """AccountRet -> Account; ``code`` is the account number where the company uses them, else FullName."""
    full = text(el, "FullName") or text(el, "Name")
    return Account(code=text(el, "AccountNumber") or full, name=full, kind=text(el, "AccountType"),
                   ledger_id=text(el, "ListID"))


def posted_from(el: etree._Element) -> Posted:
    """InvoiceRet / CreditMemoRet -> Posted."""
    credit = el.tag.startswith("CreditMemo")
    total = decimal(el, "TotalAmount", default=None)
    tax = decimal(el, "SalesTaxTotal", default=None)
    if total is None:
        total = (decimal(el, "Subtotal") or Decimal("0")) + (tax or Decimal("0"))
    balance = decimal(el, "CreditRemaining" if credit else "BalanceRemaining", default=None)
    return Posted(ledger_id=text(el, "TxnID"), number=text(el, "RefNumber"), total=total,
                  kind="credit" if credit else "invoice", balance=balance, tax=tax)


@dataclass(frozen=True)
class AppliedTo:
    txn_id: str
    txn_type: str
    ref_number: str
    amount: Decimal


def payments_from(el: etree._Element) -> tuple[list[Payment], list[AppliedTo]]:
    """ReceivePaymentRet -> one Payment per applied invoice (``ledger_id`` = "{TxnID}:{applied TxnID}").

    Returned with the applied-to entries, so the caller can fill in invoice numbers QuickBooks left out.
    Applications to other transaction types (e.g. journal entries) are not invoice payments: skipped.
    """
    txn_id = text(el, "TxnID")
    paid_on = parse_date(text(el, "TxnDate")) or date(1970, 1, 1)
    applied: list[AppliedTo] = []
    payments: list[Payment] = []
    for app in el.findall("AppliedToTxnRet"):
        entry = AppliedTo(text(app, "TxnID"), text(app, "TxnType"), text(app, "RefNumber"),
                          decimal(app, "Amount") or Decimal("0"))
        if entry.txn_type and entry.txn_type != "Invoice":
            continue
        applied.append(entry)
        payments.append(Payment(
            ledger_id=f"{txn_id}:{entry.txn_id}",
            invoice_number=entry.ref_number,
            amount=entry.amount,
            date=paid_on,
            customer_ref=ref_value(el, "CustomerRef"),
            reference=text(el, "RefNumber"),
            method=text(el, "PaymentMethodRef/FullName"),
            modified=parse_datetime(text(el, "TimeModified")),
            invoice_ledger_id=entry.txn_id,
        ))
    return payments, applied


@dataclass(frozen=True)
class Host:
    product_name: str = ""
    major: str = ""
    minor: str = ""
    country: str = ""
    supported: tuple[str, ...] = ()


def host_from(el: etree._Element) -> Host:
    """HostRet (NOTES §3.4: Country and the supported qbXML versions)."""
    return Host(
        product_name=text(el, "ProductName"),
        major=text(el, "MajorVersion"),
        minor=text(el, "MinorVersion"),
        country=text(el, "Country"),
        supported=tuple(v.text.strip() for v in el.findall("SupportedQBXMLVersion") if v.text),
    )


def iter_rets(responses: list[Rs], name: str) -> Iterator[etree._Element]:
    for rs in responses:
        if rs.name == name:
            yield from rs.rets()
