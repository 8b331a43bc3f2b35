"""InvoiceAdd/Query and CreditMemoAdd/Query (NOTES §4.5, §4.7, §4.8, §5 InvoiceRet; real InvoiceAddRs files).

QuickBooks fills what the request leaves out: TxnDate today, the next RefNumber, the customer's addresses,
terms and tax codes, DueDate from the terms, ShipDate = TxnDate, the template, line descriptions and amounts.
Duplicate RefNumbers are accepted (QuickBooks only warns in its UI; NOTES §3.6 "not unique").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from lxml import etree

from halo_accounts.sandbox.quickbooks import editions, totals
from halo_accounts.sandbox.quickbooks.context import Ctx, latin1
from halo_accounts.sandbox.quickbooks.query import Reply, txn_query
from halo_accounts.sandbox.quickbooks.render import (
    CREDIT_MEMO_RET,
    INVOICE_RET,
    LINE_RET,
    LINKED_TXN,
    address_block,
    decimal,
    money,
    ret,
    to_dict,
)
from halo_accounts.sandbox.quickbooks.status import QbError, UnsupportedBySandbox, parse_failure, status
from halo_accounts.sandbox.quickbooks.store import Record

KIND = {"Invoice": "invoice", "CreditMemo": "creditmemo"}
# The template QuickBooks puts on a new transaction (real-responses/flowlink-InvoiceAddRs-1.xml,
# jwachira-CreditMemoAddRs-1.xml).
DEFAULT_TEMPLATE = {"Invoice": "Intuit Service Invoice", "CreditMemo": "Custom Credit Memo"}
_HEADER_TEXT = ("PONumber", "FOB", "Memo", "Other", "ExternalGUID")
_UNSUPPORTED = ("SetCredit", "LinkToTxnID", "InvoiceLineGroupAdd", "CreditMemoLineGroupAdd")


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def next_ref_number(previous: str | None) -> str:
    """[I] QuickBooks numbers on from the last number used: trailing digits + 1, width kept ("INV009" → "INV010")."""
    if not previous:
        return "1"
    match = re.search(r"(\d+)$", previous)
    if not match:
        return "1"
    digits = match.group(1)
    return previous[: match.start()] + str(int(digits) + 1).zfill(len(digits))


def _line(ctx: Ctx, family: str, fields: dict[str, Any], customer_code: dict[str, str] | None) -> Record:
    line: Record = {"TxnLineID": ctx.new_txn_id(ctx.clock.epoch())}
    item: Record | None = None
    if "ItemRef" in fields:
        item = ctx.resolve("ItemRef", fields["ItemRef"], family)
        line["ItemRef"] = {"ListID": item["ListID"], "FullName": item.get("FullName") or item["Name"]}
    sales = (item or {}).get("SalesOrPurchase") or {}
    sales_and = (item or {}).get("SalesAndPurchase") or {}
    desc = fields.get("Desc") or sales.get("Desc") or sales_and.get("SalesDesc")  # [I] description from the item
    if desc:
        line["Desc"] = latin1(desc)
    qty = fields.get("Quantity")
    rate = fields.get("Rate")
    amount = fields.get("Amount")
    item_price = sales.get("Price") or sales_and.get("SalesPrice")
    if qty is not None:
        line["Quantity"] = str(decimal(qty).normalize()) if "." in qty else qty
    if amount is None and rate is None and item_price is not None and item is not None:
        rate = item_price
    if rate is not None:
        line["Rate"] = rate
        if amount is None:
            amount = money(decimal(rate) * decimal(qty, "1"))
    elif amount is not None and qty not in (None, "0"):
        line["Rate"] = str((decimal(amount) / decimal(qty)).quantize(Decimal("0.00001")).normalize())
    if "ClassRef" in fields:
        line["ClassRef"] = ctx.ref_to("ClassRef", fields["ClassRef"], family)
    if item is not None:
        line["Amount"] = money(decimal(amount))
    # else: NOTES §4.5 line notes [I]: a line without an ItemRef is a description line and carries no amount,
    # whatever Amount the request gave (so a document posted "light" shows a smaller total than was sent).
    if "TaxAmount" in fields:
        line["_GivenTaxAmount"] = fields["TaxAmount"]
    if "ServiceDate" in fields:
        line["ServiceDate"] = fields["ServiceDate"]
    if item is not None:
        if "SalesTaxCodeRef" in fields:
            line["SalesTaxCodeRef"] = ctx.ref_to("SalesTaxCodeRef", fields["SalesTaxCodeRef"], family)
        elif item.get("SalesTaxCodeRef"):
            line["SalesTaxCodeRef"] = item["SalesTaxCodeRef"]
        elif not editions.US_STYLE_TAX[ctx.edition] and customer_code:
            line["SalesTaxCodeRef"] = customer_code
        else:
            default = ctx.store.by_name(("salestaxcode",), editions.DEFAULT_LINE_CODE[ctx.edition])
            if default:
                line["SalesTaxCodeRef"] = {"ListID": default[1]["ListID"], "FullName": default[1]["Name"]}
    for key in ("Other1", "Other2"):
        if key in fields:
            line[key] = latin1(fields[key])
    return line


def txn_add(ctx: Ctx, rq: etree._Element, family: str) -> Reply:
    add = rq.find(family + "Add")
    if add is None or add.find("CustomerRef") is None:
        raise parse_failure(f"{family}Add/CustomerRef is required")
    for tag in _UNSUPPORTED:
        if add.find(tag) is not None:
            raise UnsupportedBySandbox(f"{family}Add/{tag}")
    dropped = ctx.check_edition_fields(add)
    ctx.check_lengths(add, "customer")
    fields = to_dict(add)
    customer = ctx.resolve("CustomerRef", fields["CustomerRef"], family)
    rec: Record = {"CustomerRef": {"ListID": customer["ListID"], "FullName": customer["FullName"]}}
    if "ClassRef" in fields:
        rec["ClassRef"] = ctx.ref_to("ClassRef", fields["ClassRef"], family)
    if "ARAccountRef" in fields:
        rec["ARAccountRef"] = ctx.ref_to("ARAccountRef", fields["ARAccountRef"], family)
    else:
        ar = next((r for _, r in ctx.store.all(("account",)) if r.get("AccountType") == "AccountsReceivable"), None)
        if ar:
            rec["ARAccountRef"] = {"ListID": ar["ListID"], "FullName": ar["FullName"]}
    rec["TemplateRef"] = ctx.ref_to("TemplateRef", fields.get("TemplateRef", {"FullName": DEFAULT_TEMPLATE[family]}),
                                    family)
    txn_date = fields.get("TxnDate") or ctx.clock.today()
    rec["TxnDate"] = txn_date
    meta_key = "lastref:" + family
    ref_number = fields.get("RefNumber") or next_ref_number(ctx.store.meta(meta_key))
    ctx.store.set_meta(meta_key, ref_number)
    rec["RefNumber"] = latin1(ref_number)
    for key in ("BillAddress", "ShipAddress"):
        address = fields.get(key) if isinstance(fields.get(key), dict) else customer.get(key)
        if address:
            rec[key] = {k: latin1(v) for k, v in address.items()}
            rec[key + "Block"] = address_block(rec[key])
    rec["IsPending"] = fields.get("IsPending") == "true"
    if family == "Invoice":
        rec["IsFinanceCharge"] = fields.get("IsFinanceCharge") == "true"
    terms_ref = fields.get("TermsRef") or customer.get("TermsRef")
    due = date.fromisoformat(txn_date)
    if terms_ref:
        terms = ctx.resolve("TermsRef", terms_ref, family)
        rec["TermsRef"] = {"ListID": terms["ListID"], "FullName": terms["Name"]}
        due += timedelta(days=int(terms.get("StdDueDays", "0")))
    rec["DueDate"] = fields.get("DueDate") or due.isoformat()
    rec["ShipDate"] = fields.get("ShipDate") or txn_date
    for key in _HEADER_TEXT:
        if key in fields and key not in dropped:
            rec[key] = latin1(fields[key])
    for key in ("SalesRepRef", "ShipMethodRef", "CustomerMsgRef", "CurrencyRef"):
        if key in fields:
            ctx.resolve(key, fields[key], family)  # lists the sandbox does not keep: 3140
    tax_item: Record | None = None
    if editions.US_STYLE_TAX[ctx.edition]:
        wanted = fields.get("ItemSalesTaxRef") or customer.get("ItemSalesTaxRef")
        if wanted:
            tax_item = ctx.resolve("ItemSalesTaxRef", wanted, family)
        else:
            default_name = ctx.store.meta("default_item_sales_tax")
            hit = ctx.store.by_name(("item",), default_name) if default_name else None
            tax_item = hit[1] if hit else None
        if tax_item:
            rec["ItemSalesTaxRef"] = {"ListID": tax_item["ListID"], "FullName": tax_item["Name"]}
    code_ref = fields.get("CustomerSalesTaxCodeRef") or customer.get("SalesTaxCodeRef")
    customer_code = ctx.resolve("SalesTaxCodeRef", code_ref, family) if code_ref else None
    if customer_code:
        rec["CustomerSalesTaxCodeRef"] = {"ListID": customer_code["ListID"], "FullName": customer_code["Name"]}
    tax_included = not editions.US_STYLE_TAX[ctx.edition] and fields.get("IsTaxIncluded") == "true"
    rec["IsToBePrinted"] = fields.get("IsToBePrinted", "true") == "true"  # real InvoiceAddRs files: true
    rec["IsToBeEmailed"] = fields.get("IsToBeEmailed") == "true"
    if not editions.US_STYLE_TAX[ctx.edition]:
        rec["IsTaxIncluded"] = tax_included
    code = rec.get("CustomerSalesTaxCodeRef")
    lines = [_line(ctx, family, f, code) for f in _items(fields.get(family + "LineAdd"))]
    sums = totals.compute(ctx, lines, item_sales_tax=tax_item, customer_code=customer_code, tax_included=tax_included)
    for line, tax in zip(lines, sums.line_tax, strict=True):
        line.pop("_GivenTaxAmount", None)
        if ctx.edition == "AU" and "Amount" in line:  # NOTES §4.5: line TaxAmount exists in AU only
            line["TaxAmount"] = money(tax)
    rec[family + "LineRet"] = lines
    rec["Subtotal"] = money(sums.subtotal)
    if sums.percentage is not None:
        rec["SalesTaxPercentage"] = money(sums.percentage)
    rec["SalesTaxTotal"] = money(sums.tax)
    total = sums.subtotal + sums.tax
    if family == "Invoice":
        rec["AppliedAmount"] = "0.00"
    else:
        rec["TotalAmount"] = money(total)
        rec["CreditRemaining"] = money(total)
    rec["_total"] = money(total)
    rec["TxnNumber"] = str(ctx.store.bump("txnnumber") + 1)
    rec["_links"] = []
    refresh_balance(rec)
    ctx.stamp_new(rec, txn=True)
    ctx.save(KIND[family], rec, refnum=rec["RefNumber"], owner=customer["ListID"])
    refresh_customer_balance(ctx, customer["ListID"])
    return Reply(rets=[render_txn(family, rec, lines=True, links=False)])


def opening_balance(ctx: Ctx, customer: Record, amount: str, when: str | None) -> Record:
    """The invoice QuickBooks creates for a customer added with an OpenBalance: no lines, Memo "Opening balance",
    no RefNumber, not to be printed (real-responses/apotema-InvoiceQueryRs-1.xml)."""
    rec: Record = {"CustomerRef": {"ListID": customer["ListID"], "FullName": customer["FullName"]}}
    ar = next((r for _, r in ctx.store.all(("account",)) if r.get("AccountType") == "AccountsReceivable"), None)
    if ar:
        rec["ARAccountRef"] = {"ListID": ar["ListID"], "FullName": ar["FullName"]}
    rec["TemplateRef"] = ctx.ref_to("TemplateRef", {"FullName": "Intuit Product Invoice"}, "Invoice")
    day = when or ctx.clock.today()
    rec["TxnDate"] = day
    if customer.get("BillAddress"):
        rec["BillAddress"], rec["BillAddressBlock"] = customer["BillAddress"], customer["BillAddressBlock"]
    rec.update({"IsPending": False, "IsFinanceCharge": False, "DueDate": day, "ShipDate": day,
                "Subtotal": money(decimal(amount)), "SalesTaxPercentage": "0.00", "SalesTaxTotal": "0.00",
                "AppliedAmount": "0.00", "Memo": "Opening balance", "IsToBePrinted": False,
                "IsToBeEmailed": False, "InvoiceLineRet": [], "_total": money(decimal(amount)), "_links": []})
    rec["TxnNumber"] = str(ctx.store.bump("txnnumber") + 1)
    refresh_balance(rec)
    ctx.stamp_new(rec, txn=True)
    ctx.save("invoice", rec, owner=customer["ListID"])
    refresh_customer_balance(ctx, customer["ListID"])
    return rec


def refresh_balance(rec: Record) -> None:
    """BalanceRemaining/IsPaid of an invoice from its payments.

    AppliedAmount is negative (real-responses/consolibyte-InvoiceQueryRs-2.xml).
    """
    if "AppliedAmount" not in rec:
        return
    applied = sum((decimal(link["Amount"]) for link in rec.get("_links", [])), Decimal(0))
    rec["AppliedAmount"] = money(applied)
    balance = decimal(rec["_total"]) + applied
    rec["BalanceRemaining"] = money(balance)
    rec["IsPaid"] = balance <= 0


def refresh_customer_balance(ctx: Ctx, customer_id: str) -> None:
    """Customer Balance = open invoices - unused credits - unused payments (NOTES §5 CustomerRet Balance)."""
    customer = ctx.store.get("customer", customer_id)
    if customer is None:
        return
    balance = Decimal(0)
    for kind, rec in ctx.store.all(("invoice", "creditmemo", "payment"), owner=customer_id):
        if kind == "invoice":
            balance += decimal(rec.get("BalanceRemaining"))
        elif kind == "creditmemo":
            balance -= decimal(rec.get("CreditRemaining"))
        else:
            balance -= decimal(rec.get("UnusedPayment"))
    customer["Balance"] = customer["TotalBalance"] = money(balance)
    ctx.save("customer", customer, name=customer["FullName"])


def render_txn(family: str, rec: Record, *, lines: bool, links: bool) -> etree._Element:
    order = INVOICE_RET if family == "Invoice" else CREDIT_MEMO_RET
    shown = dict(rec)
    if links and rec.get("_links"):
        shown["LinkedTxn"] = [{k: link[k] for k in LINKED_TXN if k in link} for link in rec["_links"]]
    if lines:
        shown[family + "LineRet"] = [{k: line[k] for k in LINE_RET if k in line} for line in rec[family + "LineRet"]]
    else:
        shown.pop(family + "LineRet", None)
    return ret(family + "Ret", shown, order)


def _query(family: str) -> Callable[[Ctx, etree._Element], Reply]:
    def handler(ctx: Ctx, rq: etree._Element) -> Reply:
        # NOTES §3.5: IncludeLineItems defaults to false on transaction queries.
        lines = rq.findtext("IncludeLineItems") == "true"
        links = rq.findtext("IncludeLinkedTxns") == "true"
        return txn_query(ctx, rq, KIND[family], lambda kind, rec: render_txn(family, rec, lines=lines, links=links))

    return handler


def invoice_add(ctx: Ctx, rq: etree._Element) -> Reply:
    return txn_add(ctx, rq, "Invoice")


def invoice_mod(ctx: Ctx, rq: etree._Element) -> Reply:
    """InvoiceMod (NOTES §4.5 InvoiceMod order: TxnID, EditSequence, ..., SetCredit*): the sandbox applies
    existing credit memos to the invoice (SetCredit: CreditTxnID, AppliedAmount) and nothing else."""
    mod = rq.find("InvoiceMod")
    if mod is None:
        raise parse_failure("InvoiceMod is required")
    txn_id, edit_seq = mod.findtext("TxnID", ""), mod.findtext("EditSequence", "")
    rec = ctx.store.get("invoice", txn_id)
    if rec is None:
        raise QbError(status(3120, value=txn_id))
    if edit_seq != rec["EditSequence"]:
        raise QbError(status(3200, value=edit_seq), [render_txn("Invoice", rec, lines=True, links=True)])
    for el in mod:
        if el.tag not in ("TxnID", "EditSequence", "SetCredit"):
            raise UnsupportedBySandbox(f"InvoiceMod/{el.tag}")
    owner = rec["CustomerRef"]["ListID"]
    credits = []
    for el in mod.findall("SetCredit"):
        credit = ctx.store.get("creditmemo", el.findtext("CreditTxnID", ""))
        amount = decimal(el.findtext("AppliedAmount", "0"))
        if credit is None or credit["CustomerRef"]["ListID"] != owner:
            raise QbError(status(3120, value=el.findtext("CreditTxnID", "")))
        if amount > decimal(credit["CreditRemaining"]) or amount > decimal(rec["BalanceRemaining"]):
            raise QbError(status(3210, field="SetCredit AppliedAmount", value=money(amount),
                                 reason="The credit applied is more than the credit left or the amount due."))
        rec["_links"].append({"TxnID": credit["TxnID"], "TxnType": "CreditMemo", "TxnDate": credit["TxnDate"],
                              "RefNumber": credit.get("RefNumber"), "LinkType": "AMTTYPE",
                              "Amount": money(-amount)})
        credit["CreditRemaining"] = money(decimal(credit["CreditRemaining"]) - amount)
        credit["_links"].append({"TxnID": rec["TxnID"], "TxnType": "Invoice", "TxnDate": rec["TxnDate"],
                                 "RefNumber": rec.get("RefNumber"), "LinkType": "AMTTYPE", "Amount": money(amount)})
        ctx.touch(credit)
        credits.append(credit)
    refresh_balance(rec)
    ctx.touch(rec)
    ctx.save("invoice", rec, refnum=rec.get("RefNumber"), owner=owner)
    for credit in credits:
        ctx.save("creditmemo", credit, refnum=credit.get("RefNumber"), owner=owner)
    refresh_customer_balance(ctx, owner)
    return Reply(rets=[render_txn("Invoice", rec, lines=True, links=True)])


def credit_memo_add(ctx: Ctx, rq: etree._Element) -> Reply:
    return txn_add(ctx, rq, "CreditMemo")


invoice_query = _query("Invoice")
credit_memo_query = _query("CreditMemo")
