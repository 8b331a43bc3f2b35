"""Builders of the qbXML requests we send, elements in schema order (qbxml/NOTES.md §4). Free of I/O.

Each builder returns one ``*Rq`` element; `envelope.document` batches them. Text goes through
`text.fit` (Latin-1, per-edition limits, shorten-or-hold) before it lands in an element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from lxml import etree

from halo_accounts.ledgers.port import Address, Customer, Invoice, Product, RecordRejected
from halo_accounts.ledgers.quickbooks.qbxml.envelope import child, element
from halo_accounts.ledgers.quickbooks.qbxml.text import FIELDS, TextTooLong, clean, digest, fit, wrap_lines

# QuickBooks ids look like "80000001-1700000000": hex serial, "-", the creation time in epoch seconds (NOTES §3.3
# IDTYPE; every id in real-responses/). Anything else is sent as FullName.
_LIST_ID = re.compile(r"^[0-9A-Fa-f]{1,16}-\d{9,10}$")
ADDRESS_LINES = 5
"""NOTES §4 ADDRESS: Addr1..Addr5."""

# NOTES §3.5: the queries that accept iterator/iteratorID (v13 XSD), among those we send.
ITERATOR_QUERIES = frozenset({
    "Customer", "Item", "ItemSalesTax", "ItemSalesTaxGroup", "Invoice", "CreditMemo", "ReceivePayment",
    "ItemService", "ItemNonInventory", "ItemOtherCharge",
})
# NOTES §4.3 table: list queries whose trailer has OwnerID (others end with IncludeRetElement).
_LIST_QUERIES = frozenset({"Customer", "Item", "ItemSalesTax", "ItemSalesTaxGroup", "Account", "SalesTaxCode",
                           "Terms", "Class"})

ItemKind = Literal["service", "non_inventory", "other_charge"]
ITEM_ADD: dict[str, str] = {"service": "ItemServiceAdd", "non_inventory": "ItemNonInventoryAdd",
                            "other_charge": "ItemOtherChargeAdd"}


def is_list_id(value: str) -> bool:
    return bool(_LIST_ID.match(value))


AMOUNT_DIGITS = 13
"""NOTES §3.3 AMTTYPE ``[+-]?\\d{1,13}(\\.\\d{2})?``: at most 13 digits before the point."""
PRICE_DIGITS = 10
"""NOTES §3.3 PRICETYPE/QUANTYPE ``[+-]?\\d{1,10}(\\.\\d{1,5})?``: at most 10 digits before the point."""


def _within(text: str, digits: int, record: str, field: str) -> str:
    """``text`` if its integer part fits the schema type; else the record is held (a value outside the type
    would make QuickBooks refuse the whole request document, and with it every record of the batch)."""
    if len(text.lstrip("+-").split(".", 1)[0]) > digits:
        raise RecordRejected("qb.number.too_large", record=record or "the record", field=field, value=text,
                             digits=digits)
    return text


def _quantize(value: Decimal | int | float | str, step: str, digits: int, record: str, field: str) -> Decimal:
    try:
        d = Decimal(str(value)).quantize(Decimal(step), rounding=ROUND_HALF_UP)
        if not d.is_finite():
            raise InvalidOperation
    except InvalidOperation:  # beyond Decimal's precision, or not a number at all
        raise RecordRejected("qb.number.too_large", record=record or "the record", field=field, value=str(value),
                             digits=digits) from None
    return d


def amount(value: Decimal | int | float | str, *, record: str = "", field: str = "amount") -> str:
    """AMTTYPE: exactly two decimals (NOTES §3.3)."""
    text = format(_quantize(value, "0.01", AMOUNT_DIGITS, record, field), "f")
    return _within(text, AMOUNT_DIGITS, record, field)


def price(value: Decimal | int | float | str, *, record: str = "", field: str = "price") -> str:
    """PRICETYPE / QUANTYPE: up to five decimals (NOTES §3.3)."""
    text = format(_quantize(value, "0.00001", PRICE_DIGITS, record, field), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _within(text or "0", PRICE_DIGITS, record, field)


def bool_text(value: bool) -> str:
    return "true" if value else "false"


def datetime_text(value: datetime) -> str:
    """DATETIMETYPE (NOTES §3.3): seconds precision, offset kept when the value carries one."""
    return value.replace(microsecond=0).isoformat()


def _rq(name: str, request_id: str, **attrs: str) -> etree._Element:
    return element(f"{name}Rq", requestID=request_id, **attrs)


def ref(parent: etree._Element, tag: str, value: str, rule: str, edition: str, record: str = "") -> None:
    """``<tag><ListID/></tag>`` when ``value`` is a ListID, else ``<tag><FullName/></tag>`` (length-checked)."""
    value = value.strip()
    if is_list_id(value):
        child(child(parent, tag), "ListID", value)
        return
    name = fit(rule, value, edition, record=record).value if value else ""
    if name:
        child(child(parent, tag), "FullName", name)


@dataclass
class Built:
    """A request element and what had to be shortened to build it (for the audit trail / notes)."""

    request: etree._Element
    shortened: dict[str, str] = field(default_factory=dict)
    """qbXML field -> the full text that did not fit."""


def address(parent: etree._Element, tag: str, addr: Address, edition: str, record: str) -> dict[str, str]:
    """``BillAddress``/``ShipAddress`` (NOTES §4 ADDRESS). Long lines wrap onto spare Addr lines; when
    they cannot, the record is held. Returns fields shortened (only Country may be)."""
    lines = [text for text in (clean(line) for line in addr.lines) if text]
    limit = FIELDS["Address.Addr"].limit_for(edition)
    wrapped = wrap_lines(lines, limit, ADDRESS_LINES)
    if wrapped is None:
        err = TextTooLong("qb.text.address_too_long", record=record or "record", limit=limit, lines=ADDRESS_LINES)
        err.field_name = "Address.Addr"
        raise err
    city = fit("Address.City", addr.city, edition, record=record).value
    region = fit("Address.State", addr.region, edition, record=record).value
    postcode = fit("Address.PostalCode", addr.postcode, edition, record=record).value
    country = fit("Address.Country", addr.country, edition, record=record)
    if not (wrapped or city or region or postcode or country.value):
        return {}
    el = child(parent, tag)
    for i, line in enumerate(wrapped, start=1):
        child(el, f"Addr{i}", line)
    for name, value in (("City", city), ("State", region), ("PostalCode", postcode), ("Country", country.value)):
        if value:
            child(el, name, value)
    return {f"{tag}.Country": country.original} if country.shortened else {}


# ---------------------------------------------------------------- customers (NOTES §4.1, §4.2)

@dataclass(frozen=True)
class CustomerTax:
    """How a customer's tax code lands in qbXML: SalesTaxCodeRef and (US/AU) ItemSalesTaxRef."""

    sales_tax_code: str = ""
    item_sales_tax: str = ""


def _customer_body(body: etree._Element, customer: Customer, edition: str, tax: CustomerTax,
                   *, mod: bool) -> dict[str, str]:
    record = f"customer {customer.name!r}"
    shortened: dict[str, str] = {}
    name = fit("Customer.Name", customer.name, edition, record=record)
    if not name.value:
        raise RecordRejected("qb.text.empty", record=record, field="client name")
    if name.shortened:
        shortened["Name"] = name.original
    child(body, "Name", name.value)
    child(body, "IsActive", bool_text(customer.active))
    company_src = customer.company_name or (name.original if name.shortened else "")
    if company_src:
        company = fit("Customer.CompanyName", company_src, edition, record=record)
        if company.shortened:
            shortened["CompanyName"] = company.original
        child(body, "CompanyName", company.value)
    shortened.update(address(body, "BillAddress", customer.billing, edition, record))
    shortened.update(address(body, "ShipAddress", customer.shipping, edition, record))
    if customer.phone:
        child(body, "Phone", fit("Customer.Phone", customer.phone, edition, record=record).value)
    if customer.email:
        child(body, "Email", fit("Customer.Email", customer.email, edition, record=record).value)
    if customer.contact:
        contact = fit("Customer.Contact", customer.contact, edition, record=record)
        if contact.shortened:
            shortened["Contact"] = contact.original
        child(body, "Contact", contact.value)
    ref(body, "SalesTaxCodeRef", tax.sales_tax_code, "Ref.SalesTaxCode", edition, record)
    if tax.item_sales_tax and edition not in ("UK", "CA"):  # NOTES §3.4: ItemSalesTaxRef not in CA/UK
        ref(body, "ItemSalesTaxRef", tax.item_sales_tax, "Ref.ItemSalesTax", edition, record)
    if shortened:
        note = "Full text from Halo (QuickBooks limits field length):\n" + "\n".join(
            f"{k}: {v}" for k, v in shortened.items())
        child(body, "Notes", fit("Customer.Notes", note, edition, record=record, multiline=True).value)
    return shortened


def customer_add(customer: Customer, edition: str, request_id: str = "", tax: CustomerTax | None = None) -> Built:
    rq = _rq("CustomerAdd", request_id)
    body = child(rq, "CustomerAdd")
    shortened = _customer_body(body, customer, edition, tax or CustomerTax(customer.tax_code), mod=False)
    return Built(rq, shortened)


def customer_mod(customer: Customer, edition: str, request_id: str = "", tax: CustomerTax | None = None) -> Built:
    if not customer.ref or not customer.version:
        raise RecordRejected("qb.customer.no_ref", name=customer.name)
    rq = _rq("CustomerMod", request_id)
    body = child(rq, "CustomerMod")
    child(body, "ListID", customer.ref)
    child(body, "EditSequence", customer.version)
    shortened = _customer_body(body, customer, edition, tax or CustomerTax(customer.tax_code), mod=True)
    return Built(rq, shortened)


# ---------------------------------------------------------------- items (NOTES §4.4)

def item_add(product: Product, edition: str, request_id: str = "", *, sales_tax_code: str = "",
             income_account: str = "") -> Built:
    """ItemServiceAdd / ItemNonInventoryAdd / ItemOtherChargeAdd with one income account (SalesOrPurchase)."""
    record = f"item {product.code!r}"
    tag = ITEM_ADD.get(product.kind)
    if tag is None:
        raise RecordRejected("qb.product.kind", item=product.code, kind=product.kind)
    account = income_account or product.income_account
    if not account:
        raise RecordRejected("qb.product.no_account", item=product.code)
    rq = _rq(tag, request_id)
    body = child(rq, tag)
    name = fit("Item.Name", product.code, edition, record=record)
    if not name.value:
        raise RecordRejected("qb.text.empty", record=record, field="item name")
    child(body, "Name", name.value)
    child(body, "IsActive", bool_text(product.active))
    # ItemNonInventoryAdd has ParentRef before ClassRef (NOTES §4.4); we send neither.
    if edition != "US":
        child(body, "IsTaxIncluded", "false")  # NOTES §3.4: not in US; Halo prices are net
    ref(body, "SalesTaxCodeRef", sales_tax_code or product.tax_code, "Ref.SalesTaxCode", edition, record)
    sop = child(body, "SalesOrPurchase")
    desc_text = product.description
    if name.shortened:
        desc_text = name.original if not desc_text else f"{name.original}\n{desc_text}"
    if desc_text:
        child(sop, "Desc", fit("Item.Desc", desc_text, edition, record=record, multiline=True).value)
    child(sop, "Price", price(product.price, record=record, field="item price"))
    ref(sop, "AccountRef", account, "Ref.Account", edition, record)
    return Built(rq, {"Name": name.original} if name.shortened else {})


# ---------------------------------------------------------------- invoices / credit memos (NOTES §4.5, §4.8)

@dataclass(frozen=True)
class TxnTax:
    """Tax of one transaction in qbXML terms (see `ledger.QuickBooksLedger._txn_tax`)."""

    line_codes: tuple[str, ...]
    """SalesTaxCodeRef per line ("" = leave to the item's default)."""
    item_sales_tax: str = ""
    """US/AU header ItemSalesTaxRef (the rate); "" = the customer's default."""
    line_accounts: tuple[str, ...] = ()
    """OverrideItemAccountRef per line ("" = the item's own account)."""


OTHER_DIGEST_PREFIX = "#"


def other_value(external_key: str) -> str:
    """What we store in the transaction's ``Other`` field (len29, NOTES §4.5) for ``external_key``:
    the key itself when it fits, else ``#`` + a 28-character digest of it (stable, so it can be found)."""
    limit = FIELDS["Txn.Other"].limit
    if len(external_key) <= limit and external_key.isascii():
        return external_key
    return OTHER_DIGEST_PREFIX + digest(external_key, limit - 1)


def txn_add(invoice: Invoice, edition: str, request_id: str = "", tax: TxnTax | None = None) -> Built:
    """InvoiceAdd or CreditMemoAdd (by ``invoice.kind``)."""
    kind = "CreditMemo" if invoice.kind == "credit" else "Invoice"
    record = f"{'credit note' if kind == 'CreditMemo' else 'invoice'} {invoice.number or invoice.external_key!r}"
    if kind == "CreditMemo" and not invoice.lines:
        raise RecordRejected("qb.invoice.no_lines", record=record)  # NOTES §4.8: 1 or more lines
    tax = tax or TxnTax(tuple(line.tax_code for line in invoice.lines))
    rq = _rq(f"{kind}Add", request_id)
    body = child(rq, f"{kind}Add")
    shortened: dict[str, str] = {}
    ref(body, "CustomerRef", invoice.customer_ref, "Ref.Customer", edition, record)
    child(body, "TxnDate", invoice.date.isoformat())
    if invoice.number:
        child(body, "RefNumber", fit("Txn.RefNumber", invoice.number, edition, record=record).value)
    if invoice.billing.lines or invoice.billing.city or invoice.billing.postcode:
        shortened.update(address(body, "BillAddress", invoice.billing, edition, record))
    if invoice.po_number:
        child(body, "PONumber", fit("Txn.PONumber", invoice.po_number, edition, record=record).value)
    if invoice.due_date:
        child(body, "DueDate", invoice.due_date.isoformat())
    if tax.item_sales_tax and edition in ("US", "AU"):
        ref(body, "ItemSalesTaxRef", tax.item_sales_tax, "Ref.ItemSalesTax", edition, record)
    if invoice.memo:
        memo = fit("Txn.Memo", invoice.memo, edition, record=record, multiline=True)
        if memo.shortened:
            shortened["Memo"] = memo.original
        child(body, "Memo", memo.value)
    if edition != "US":
        child(body, "IsTaxIncluded", "false")  # NOTES §3.4: not in US; Halo amounts are net
    if invoice.external_key:
        child(body, "Other", other_value(invoice.external_key))
    line_tag = f"{kind}LineAdd"
    for i, line in enumerate(invoice.lines):
        if not line.product_ref and (line.net_amount or line.tax_amount):
            # NOTES §4.5 line notes: a line with only Desc is a description line; its amount would be lost
            raise RecordRejected("qb.invoice.line_without_item", record=record, line=i + 1)
        el = child(body, line_tag)
        ref(el, "ItemRef", line.product_ref, "Ref.Item", edition, record)
        if line.description:
            desc = fit("Line.Desc", line.description, edition, record=record, multiline=True)
            child(el, "Desc", desc.value)
        if line.product_ref:
            child(el, "Quantity", price(line.quantity, record=record, field="line quantity"))
            child(el, "Rate", price(line.unit_price, record=record, field="line unit price"))
            child(el, "Amount", amount(line.net_amount, record=record, field="line net amount"))
            if edition == "AU":  # NOTES §4.5: TaxAmount AU only
                child(el, "TaxAmount", amount(line.tax_amount, record=record, field="line tax amount"))
            code = tax.line_codes[i] if i < len(tax.line_codes) else line.tax_code
            ref(el, "SalesTaxCodeRef", code, "Ref.SalesTaxCode", edition, record)
            account = tax.line_accounts[i] if i < len(tax.line_accounts) else line.account_code
            ref(el, "OverrideItemAccountRef", account, "Ref.Account", edition, record)
    return Built(rq, shortened)


def invoice_set_credit(txn_id: str, edit_sequence: str, credits: Sequence[tuple[str, Decimal]],
                       request_id: str = "") -> etree._Element:
    """InvoiceMod applying existing credit memos to an invoice (NOTES §4.5 InvoiceMod order: TxnID, EditSequence,
    ..., SetCredit* with CreditTxnID and AppliedAmount; SetCredit is v10.0+)."""
    rq = _rq("InvoiceMod", request_id)
    body = child(rq, "InvoiceMod")
    child(body, "TxnID", txn_id)
    child(body, "EditSequence", edit_sequence)
    for credit_txn_id, applied in credits:
        sc = child(body, "SetCredit")
        child(sc, "CreditTxnID", credit_txn_id)
        child(sc, "AppliedAmount", amount(applied, record="the credit applied", field="AppliedAmount"))
    return rq


# ---------------------------------------------------------------- queries (NOTES §4.3, §4.7)

def host_query(request_id: str = "") -> etree._Element:
    return _rq("HostQuery", request_id)


def company_query(request_id: str = "") -> etree._Element:
    return _rq("CompanyQuery", request_id)


def preferences_query(request_id: str = "") -> etree._Element:
    return _rq("PreferencesQuery", request_id)


def _iterator_attrs(kind: str, iterator: str, iterator_id: str) -> dict[str, str]:
    if not iterator:
        return {}
    if kind not in ITERATOR_QUERIES:
        raise ValueError(f"{kind}Query does not accept an iterator (NOTES §3.5)")
    if iterator == "Continue" and not iterator_id:
        raise ValueError("iterator='Continue' needs the iteratorID from the previous response")
    return {"iterator": iterator, "iteratorID": iterator_id if iterator != "Start" else ""}


def list_query(kind: str, request_id: str = "", *, list_ids: Sequence[str] = (), full_names: Sequence[str] = (),
               max_returned: int | None = None, active_status: str = "", from_modified: datetime | None = None,
               to_modified: datetime | None = None, name_starts: str = "", account_types: Sequence[str] = (),
               iterator: str = "", iterator_id: str = "", include_ret: Iterable[str] = ()) -> etree._Element:
    """``<kind>QueryRq`` for a list (Customer, Item, ItemSalesTax, ItemSalesTaxGroup, Account, SalesTaxCode,
    Terms, Class): ListID+ | FullName+ | filters (MaxReturned first), then IncludeRetElement*."""
    if kind not in _LIST_QUERIES:
        raise ValueError(f"unknown list query {kind}")
    rq = _rq(f"{kind}Query", request_id, **_iterator_attrs(kind, iterator, iterator_id))
    if list_ids:
        for lid in list_ids:
            child(rq, "ListID", lid)
    elif full_names:
        for name in full_names:
            child(rq, "FullName", name)
    else:
        if max_returned is not None:
            child(rq, "MaxReturned", str(max_returned))
        if active_status:
            child(rq, "ActiveStatus", active_status)
        if from_modified is not None:
            child(rq, "FromModifiedDate", datetime_text(from_modified))
        if to_modified is not None:
            child(rq, "ToModifiedDate", datetime_text(to_modified))
        if name_starts:
            nf = child(rq, "NameFilter")
            child(nf, "MatchCriterion", "StartsWith")
            child(nf, "Name", name_starts)
        if kind == "Account":
            for t in account_types:
                child(rq, "AccountType", t)
    for name in include_ret:
        child(rq, "IncludeRetElement", name)
    return rq


def txn_query(kind: Literal["Invoice", "CreditMemo", "ReceivePayment"], request_id: str = "", *,
              txn_ids: Sequence[str] = (), ref_numbers: Sequence[str] = (), max_returned: int | None = None,
              from_modified: datetime | None = None, to_modified: datetime | None = None,
              from_date: date | None = None, to_date: date | None = None, customer_ref: str = "",
              include_line_items: bool = False, include_linked_txns: bool = False, iterator: str = "",
              iterator_id: str = "", include_ret: Iterable[str] = ()) -> etree._Element:
    """``<kind>QueryRq`` for a transaction (NOTES §4.7): TxnID+ | RefNumber+ | filters, then trailer."""
    rq = _rq(f"{kind}Query", request_id, **_iterator_attrs(kind, iterator, iterator_id))
    if txn_ids:
        for tid in txn_ids:
            child(rq, "TxnID", tid)
    elif ref_numbers:
        for number in ref_numbers:
            child(rq, "RefNumber", number)
    else:
        if max_returned is not None:
            child(rq, "MaxReturned", str(max_returned))
        if from_modified is not None or to_modified is not None:
            mf = child(rq, "ModifiedDateRangeFilter")
            if from_modified is not None:
                child(mf, "FromModifiedDate", datetime_text(from_modified))
            if to_modified is not None:
                child(mf, "ToModifiedDate", datetime_text(to_modified))
        elif from_date is not None or to_date is not None:
            tf = child(rq, "TxnDateRangeFilter")
            if from_date is not None:
                child(tf, "FromTxnDate", from_date.isoformat())
            if to_date is not None:
                child(tf, "ToTxnDate", to_date.isoformat())
        if customer_ref:
            ef = child(rq, "EntityFilter")
            child(ef, "ListID" if is_list_id(customer_ref) else "FullName", customer_ref)
    if include_line_items:
        child(rq, "IncludeLineItems", "true")
    if include_linked_txns and kind != "ReceivePayment":
        child(rq, "IncludeLinkedTxns", "true")
    for name in include_ret:
        child(rq, "IncludeRetElement", name)
    return rq


def with_iterator(rq: etree._Element, iterator_id: str,
                  mode: Literal["Continue", "Stop"] = "Continue") -> etree._Element:
    """A copy of an iterator ``Start`` request turned into its ``Continue`` (same body, NOTES §3.5), or into
    ``Stop``, which tells QuickBooks to drop an iterator we leave before its end (the XSD's iterator
    enumeration is Start|Continue|Stop on every query that has the attribute)."""
    copy = etree.fromstring(etree.tostring(rq))
    copy.set("iterator", mode)
    copy.set("iteratorID", iterator_id)
    return copy
