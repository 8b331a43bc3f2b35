"""Payments keyed into QuickBooks by the user (`record_payment`) and ReceivePaymentQuery (NOTES §4.7, §5).

A payment applied to an invoice lowers its balance, adds a LinkedTxn to it and changes its EditSequence and
TimeModified [I], so a modified-date sync of invoices sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from lxml import etree

from halo_accounts.sandbox.quickbooks.context import Ctx
from halo_accounts.sandbox.quickbooks.query import Reply, txn_query
from halo_accounts.sandbox.quickbooks.render import APPLIED_RET, PAYMENT_RET, decimal, money, ret
from halo_accounts.sandbox.quickbooks.sales import refresh_balance, refresh_customer_balance
from halo_accounts.sandbox.quickbooks.status import status
from halo_accounts.sandbox.quickbooks.store import Record

# NOTES §5 [I]: AppliedToTxnRet comes back only when the query asks for IncludeLineItems=true.
APPLIED_NEEDS_LINE_ITEMS = True


def _find_invoice(ctx: Ctx, key: str, customer_id: str) -> Record:
    rec = ctx.store.get("invoice", key)
    if rec is None:
        matches = [r for _, r in ctx.store.all(("invoice",), owner=customer_id) if r.get("RefNumber") == key]
        rec = matches[-1] if matches else None
    if rec is None:
        raise ValueError(f"no invoice with TxnID or RefNumber {key!r} for this customer")
    return rec


def record_payment(
    ctx: Ctx,
    customer: str,
    applied: Mapping[str, Decimal | float | str],
    txn_date: str,
    *,
    ref_number: str | None = None,
    total: Decimal | float | str | None = None,
    method: str | None = None,
    memo: str | None = None,
) -> Record:
    """A ReceivePayment as the user would key it; ``applied`` maps invoice TxnID or RefNumber → amount."""
    hit = ctx.store.get("customer", customer) or (ctx.store.by_name(("customer",), customer) or (None, None))[1]
    if hit is None:
        raise ValueError(f"no customer {customer!r}")
    pay: Record = {"CustomerRef": {"ListID": hit["ListID"], "FullName": hit["FullName"]}}
    ar = next((r for _, r in ctx.store.all(("account",)) if r.get("AccountType") == "AccountsReceivable"), None)
    if ar:
        pay["ARAccountRef"] = {"ListID": ar["ListID"], "FullName": ar["FullName"]}
    pay["TxnDate"] = txn_date
    if ref_number:
        pay["RefNumber"] = ref_number
    applied_total = sum((Decimal(str(v)) for v in applied.values()), Decimal(0))
    amount = Decimal(str(total)) if total is not None else applied_total
    if applied_total > amount:
        raise ValueError("applied amounts exceed the payment total")
    pay["TotalAmount"] = money(amount)
    if method:
        found = ctx.store.by_name(("paymentmethod",), method)
        if found is None:
            raise ValueError(f"no payment method {method!r}")
        pay["PaymentMethodRef"] = {"ListID": found[1]["ListID"], "FullName": found[1]["Name"]}
    if memo:
        pay["Memo"] = memo
    undeposited = ctx.store.by_name(("account",), "Undeposited Funds")
    if undeposited:
        pay["DepositToAccountRef"] = {"ListID": undeposited[1]["ListID"], "FullName": undeposited[1]["FullName"]}
    pay["UnusedPayment"] = money(amount - applied_total)
    pay["UnusedCredits"] = "0.00"
    pay["TxnNumber"] = str(ctx.store.bump("txnnumber") + 1)
    ctx.stamp_new(pay, txn=True)
    invoices = []
    pay["_applied"] = []
    for key, value in applied.items():
        invoice = _find_invoice(ctx, key, hit["ListID"])
        part = Decimal(str(value))
        if part > decimal(invoice["BalanceRemaining"]):
            # real-responses/consolibyte-ReceivePaymentAddRs-3210-1.xml wording
            raise ValueError(status(3210, field="AppliedToTxnAdd payment amount", value=money(part),
                                    reason="You cannot pay more than the amount due.").message)
        invoice["_links"].append({
            "TxnID": pay["TxnID"], "TxnType": "ReceivePayment", "TxnDate": txn_date,
            "RefNumber": ref_number, "LinkType": "AMTTYPE", "Amount": money(-part),
        })
        refresh_balance(invoice)
        ctx.touch(invoice)
        invoices.append(invoice)
        pay["_applied"].append({"TxnID": invoice["TxnID"], "TxnType": "Invoice", "TxnDate": invoice["TxnDate"],
                                "RefNumber": invoice.get("RefNumber"), "Amount": money(part)})
    ctx.save("payment", pay, refnum=ref_number, owner=hit["ListID"])
    for invoice in invoices:
        ctx.save("invoice", invoice, refnum=invoice.get("RefNumber"), owner=hit["ListID"])
    refresh_customer_balance(ctx, hit["ListID"])
    return pay


def render_payment(ctx: Ctx, rec: Record, *, applied: bool) -> etree._Element:
    shown = dict(rec)
    if applied:
        rows = []
        for row in rec.get("_applied", []):
            invoice = ctx.store.get("invoice", row["TxnID"]) or {}
            full = {**row, "BalanceRemaining": invoice.get("BalanceRemaining", "0.00")}
            rows.append({k: full[k] for k in APPLIED_RET if full.get(k) is not None})
        shown["AppliedToTxnRet"] = rows
    return ret("ReceivePaymentRet", shown, PAYMENT_RET)


def receive_payment_query(ctx: Ctx, rq: etree._Element) -> Reply:
    applied = not APPLIED_NEEDS_LINE_ITEMS or rq.findtext("IncludeLineItems") == "true"
    return txn_query(ctx, rq, "payment", lambda kind, rec: render_payment(ctx, rec, applied=applied))
