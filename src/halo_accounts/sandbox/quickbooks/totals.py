"""Sales tax and totals of an invoice or credit memo, per edition (NOTES §3.4 "Practical reading").

US: the taxable lines (line code taxable, customer code taxable) times the one ItemSalesTax rate of the
invoice. UK/CA/AU: each line's tax code points at a tax item (or group) whose rate applies to that line.
Rounding is half-up to 2 dp once per invoice (US) or once per tax code (elsewhere) [?] (editions.ROUNDING).
"""

from __future__ import annotations

import decimal as _decimal
from dataclasses import dataclass, field
from decimal import Decimal

from halo_accounts.sandbox.quickbooks import editions
from halo_accounts.sandbox.quickbooks.context import Ctx
from halo_accounts.sandbox.quickbooks.render import CENT, decimal
from halo_accounts.sandbox.quickbooks.store import Record


@dataclass
class Totals:
    subtotal: Decimal
    tax: Decimal
    percentage: Decimal | None
    line_tax: list[Decimal] = field(default_factory=list)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=getattr(_decimal, editions.ROUNDING))


def item_rate(ctx: Ctx, item: Record | None) -> Decimal:
    """TaxRate of a tax item, or the sum of a tax group's members."""
    if item is None:
        return Decimal(0)
    if item["_type"] == "ItemSalesTaxGroup":
        members = [ctx.store.get("item", m["ListID"]) for m in item.get("ItemSalesTaxRef", [])]
        return sum((item_rate(ctx, m) for m in members), Decimal(0))
    return decimal(item.get("TaxRate"))


def _code(ctx: Ctx, ref: dict[str, str] | None) -> Record | None:
    return ctx.store.get("salestaxcode", ref["ListID"]) if ref else None


def compute(
    ctx: Ctx,
    lines: list[Record],
    *,
    item_sales_tax: Record | None,
    customer_code: Record | None,
    tax_included: bool,
) -> Totals:
    amounts = [decimal(line.get("Amount")) for line in lines]
    if editions.US_STYLE_TAX[ctx.edition]:
        rate = item_rate(ctx, item_sales_tax)
        customer_taxable = customer_code is None or bool(customer_code.get("IsTaxable"))
        taxable = Decimal(0)
        line_tax = []
        for line, amount in zip(lines, amounts, strict=True):
            code = _code(ctx, line.get("SalesTaxCodeRef"))
            is_taxable = customer_taxable and code is not None and bool(code.get("IsTaxable"))
            taxable += amount if is_taxable else 0
            line_tax.append(amount * rate / 100 if is_taxable else Decimal(0))
        return Totals(sum(amounts, Decimal(0)), _round(taxable * rate / 100), rate, line_tax)
    by_code: dict[str, Decimal] = {}
    line_tax = []
    for line, amount in zip(lines, amounts, strict=True):
        code = _code(ctx, line.get("SalesTaxCodeRef"))
        rate = Decimal(0)
        if code is not None and code.get("IsTaxable") and code.get("ItemSalesTaxRef"):
            rate = item_rate(ctx, ctx.store.get("item", code["ItemSalesTaxRef"]["ListID"]))
        if "_GivenTaxAmount" in line:  # AU: the request may state the line's tax (NOTES §4.5 TaxAmount)
            tax = decimal(line["_GivenTaxAmount"])
        elif tax_included:
            tax = amount * rate / (100 + rate)
        else:
            tax = amount * rate / 100
        key = code["ListID"] if code else ""
        by_code[key] = by_code.get(key, Decimal(0)) + tax
        line_tax.append(tax)
    tax_total = sum((_round(v) for v in by_code.values()), Decimal(0))
    subtotal = sum(amounts, Decimal(0))
    if tax_included:
        subtotal -= tax_total  # [?] amounts include tax: the subtotal shown is net
    return Totals(subtotal, tax_total, None, [_round(t) for t in line_tax])
