"""Pre-flight checks: can this record go to the package as it is? Each failure becomes a held reason
from the catalogue that says what is wrong and what to change, so that nothing fails mid-post."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from halo_accounts.ledgers.port import Customer, Product
from halo_accounts.messages import render
from halo_accounts.sync import fields as f
from halo_accounts.sync.context import Context, tax_candidates
from halo_accounts.sync.mapping import ResolvedLine, clean, label, line_item_id


@dataclass(frozen=True)
class Problem:
    """Why a record is held: a catalogue code and its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    stored_message: str = ""
    """Set when the problem comes back from the store (its text was rendered when it was held)."""
    stored_fix: str = ""

    @property
    def message(self) -> str:
        return self.stored_message or render(self.code, **self.params)[0]

    @property
    def fix(self) -> str:
        return self.stored_fix or render(self.code, **self.params)[1]


@dataclass(frozen=True)
class Check:
    """One pre-flight check, shown in the plan: what was checked and what was found."""

    name: str
    ok: bool
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.name, "ok": self.ok, "detail": self.detail}


class Checks:
    """Collects checks; the first failure is the record's held reason."""

    def __init__(self) -> None:
        self.items: list[Check] = []
        self.problem: Problem | None = None

    def ok(self, name: str, detail: str = "") -> None:
        self.items.append(Check(name, True, detail))

    def fail(self, name: str, problem: Problem) -> None:
        self.items.append(Check(name, False, problem.message))
        if self.problem is None:
            self.problem = problem

    def text(self, ctx: Context, name: str, value: str, limit: int, *, record: str, where: str,
             required: bool = False, fitted: bool = False) -> None:
        """Length and characters of one text field against the package's limits."""
        if not value:
            if required:
                self.fail(name, Problem("sync.empty", {"field": name, "record": record, "ledger": ctx.package,
                                                       "where": where}))
            return
        if len(value) > limit and fitted:
            self.ok(name, f"{len(value)} characters; {ctx.package} keeps {limit} (shortened when sent)")
            return
        if len(value) > limit:
            self.fail(name, Problem("sync.too_long", {"field": name, "record": record, "length": len(value),
                                                      "ledger": ctx.package, "limit": limit, "where": where}))
            return
        bad = sorted({ch for ch in value if not _encodes(ch, ctx.limits.encoding)})
        if bad:
            chars = " ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in bad[:5])  # our choice: name at most 5
            self.fail(name, Problem("sync.bad_characters", {"field": name, "record": record, "chars": chars,
                                                            "ledger": ctx.package, "where": where}))
            return
        self.ok(name, f"{len(value)}/{limit} characters")


def _encodes(ch: str, encoding: str) -> bool:
    if ch < " " and ch not in "\n":
        return False
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def client_label(client: Any) -> str:
    return f"client '{clean(f.get(client, 'name', ''))}' (Halo id {f.get(client, 'id')})"


def item_label(item: Any) -> str:
    return f"item '{clean(f.get(item, 'name', ''))}' (Halo id {f.get(item, 'id')})"


def check_customer(ctx: Context, client: Any, customer: Customer) -> Checks:
    """A new package customer made from a Halo client: name and address within the package's limits."""
    checks = Checks()
    record = client_label(client)
    where = "Customers > the client > Details"
    checks.text(ctx, "name", customer.name, ctx.limits.customer_name, record=record, where=where, required=True,
                fitted=ctx.limits.fits_names)
    for address, what in ((customer.billing, "invoice address"), (customer.shipping, "delivery address")):
        for i, line in enumerate(address.lines, 1):
            checks.text(ctx, f"{what} line {i}", line, ctx.limits.address_line, record=record,
                        where=f"the client's site, {what}", fitted=ctx.limits.fits_text)
        checks.text(ctx, f"{what} postcode", address.postcode, ctx.limits.postcode, record=record,
                    where=f"the client's site, {what}", fitted=ctx.limits.fits_text)
    return checks


def item_income_account(ctx: Context, item: Any) -> tuple[str, str]:
    """The income account for a Halo item and where it came from (item, else Halo's default)."""
    own = f.text(item, "nominalcode") or f.text(item, "item_group_nominalcode")
    if own:
        return own, "the item's nominal code"
    return ctx.default_nominal, "Halo's default sales nominal code"


def check_account(ctx: Context, checks: Checks, code: str, source: str, record: str, where: str,
                  *, required: bool) -> str:
    """Check one nominal code against the package's accounts; the package's code when found."""
    if not code:
        if required:
            checks.fail("nominal code", Problem("sync.nominal_missing", {"record": record}))
        else:
            checks.ok("nominal code", "none given; the package uses the item's own account")
        return ""
    account = ctx.account(code)
    if account is None and ctx.accounts:
        checks.fail("nominal code", Problem("sync.nominal_unknown", {"nominal": code, "source": source,
                                                                     "record": record, "ledger": ctx.package,
                                                                     "where": where}))
        return ""
    checks.ok("nominal code", f"{code} ({source})")
    return account.code if account is not None and account.code else code


def check_tax(ctx: Context, checks: Checks, tax_id: int | None, record: str) -> str:
    """Map a Halo tax id to the package's tax code; records a failed check when it cannot."""
    if tax_id is None:
        checks.fail("tax code", Problem("sync.tax_missing", {"record": record}))
        return ""
    code = ctx.tax_map.get(tax_id)
    if not code:
        candidates, _named = tax_candidates(ctx.halo_taxes.get(tax_id), ctx.tax_codes)
        checks.fail("tax code", Problem("sync.tax_unmapped", {
            "tax_name": ctx.tax_name(tax_id), "tax_id": tax_id, "record": record, "ledger": ctx.package,
            "codes": ctx.tax_codes_text(), "suggestion": candidates[0].code if candidates else "CODE",
            "why": (f"{candidates[0].code} has the same rate" if candidates else
                    f"no {ctx.package} tax code has this rate; add one in {ctx.package} first")}))
        return ""
    if ctx.tax_codes and code not in ctx.tax_codes:
        checks.fail("tax code", Problem("sync.tax_code_unknown", {"tax_id": tax_id, "tax_code": code,
                                                                  "ledger": ctx.package,
                                                                  "codes": ctx.tax_codes_text()}))
        return ""
    checks.ok("tax code", f"Halo {ctx.tax_name(tax_id)} (id {tax_id}) -> {code}")
    return code


def check_item(ctx: Context, item: Any) -> tuple[Checks, Product | None]:
    """A new package product from a Halo item: code length, income account, tax code."""
    from halo_accounts.sync.mapping import product_from_item

    checks = Checks()
    record = item_label(item)
    where = "Configuration > Billing > Items"
    name = clean(f.get(item, "name", ""))
    checks.text(ctx, "name", name, ctx.limits.product_code, record=record, where=where, required=True,
                fitted=ctx.limits.fits_names)
    description = clean(f.get(item, "description", "")) or name
    if len(description) > ctx.limits.product_description:
        description = description[: ctx.limits.product_description]
    account, source = item_income_account(ctx, item)
    account = check_account(ctx, checks, account, source, record, where, required=ctx.limits.product_needs_account)
    tax_code = ""
    tax_id = f.ident(f.get(item, "taxcode"))
    if tax_id is not None and tax_id in ctx.tax_map:
        tax_code = check_tax(ctx, checks, tax_id, record)
    if checks.problem is not None:
        return checks, None
    product = product_from_item(item, income_account=account, tax_code=tax_code,
                                department_field=ctx.department_field)
    return checks, Product(**{**product.__dict__, "description": description})


def invoice_number(ctx: Context, invoice: Any, checks: Checks, record: str) -> str:
    """The package reference per Halo's numbering setting (empty when the package numbers it)."""
    if not ctx.halo_numbers:
        checks.ok("invoice number", f"{ctx.package} assigns the number")
        return ""
    number = clean(f.get(invoice, "invoicenumber", ""))
    rule = ""
    if not number:
        rule = "it is empty"
    elif len(number) > ctx.limits.invoice_number:
        rule = f"{ctx.package} allows at most {ctx.limits.invoice_number} characters"
    elif ctx.limits.numbers_digits_only and not number.isdigit():
        rule = f"{ctx.package} invoice numbers are whole numbers"
    if rule:
        checks.fail("invoice number", Problem("sync.invoice_number_invalid", {"number": number, "record": record,
                                                                              "ledger": ctx.package, "rule": rule}))
        return ""
    checks.ok("invoice number", number)
    return number


def check_invoice(ctx: Context, invoice: Any) -> tuple[Checks, list[ResolvedLine], str]:
    """All checks for one Halo invoice or credit note; the resolved lines and the number it goes under."""
    checks = Checks()
    record = label(invoice)
    client_id = f.ident(f.get(invoice, "client_id"))
    client = ctx.clients.get(client_id) if client_id is not None else None
    name = clean(f.get(client, "name", "")) or clean(f.get(invoice, "client_name", ""))
    if client_id in ctx.customer_refs:
        checks.ok("customer", f"{name} -> {ctx.customer_refs[client_id]}")
    elif client_id in ctx.customers_pending:
        checks.ok("customer", f"{name} (created in this run)")
    else:
        reason = ctx.customer_problems.get(client_id or 0, "the client was not found in Halo's active clients.")
        checks.fail("customer", Problem("sync.customer_not_ready", {"record": record, "name": name,
                                                                    "client_id": client_id, "ledger": ctx.package,
                                                                    "reason": reason}))
    number = invoice_number(ctx, invoice, checks, record)
    lines = f.get(invoice, "lines", []) or []
    if not lines:
        checks.fail("lines", Problem("sync.invoice_no_lines", {"record": record}))
    resolved: list[ResolvedLine] = []
    for n, line in enumerate(lines, 1):
        resolved_line = _check_line(ctx, checks, invoice, line, n, record)
        if resolved_line is not None:
            resolved.append(resolved_line)
    po = clean(f.get(invoice, "cust_order_number", "") or f.get(invoice, "order_number", ""))
    checks.text(ctx, "order number", po, ctx.limits.po_number, record=record, where="the invoice's order number",
                fitted=ctx.limits.fits_text)
    return checks, resolved, number


def _check_line(ctx: Context, checks: Checks, invoice: Any, line: Any, n: int, record: str) -> ResolvedLine | None:
    where = f"{record}, line {n}"
    description = clean(f.get(line, "item_shortdescription", "") or f.get(line, "item_longdescription", ""))
    checks.text(ctx, f"line {n} description", description, ctx.limits.line_description, record=record,
                where=where, fitted=ctx.limits.fits_text)
    item_id = line_item_id(line)
    product_ref = ""
    item_account = ""
    item = None
    if item_id is not None:
        item = ctx.items.get(item_id)
        item_name = clean(f.get(item, "name", "")) or f"item {item_id}"
        if item_id in ctx.product_refs:
            product_ref = ctx.product_refs[item_id]
        elif item_id in ctx.products_pending:
            product_ref = ""  # filled in at apply time, after the item is created
        elif item is not None and f.flag(item, "ignore_from_accounting_sync"):
            product_ref = ""
        else:
            reason = ctx.product_problems.get(item_id, "it is not in Halo's item list.")
            checks.fail(f"line {n} item", Problem("sync.item_not_ready", {
                "name": item_name, "item_id": item_id, "record": record, "ledger": ctx.package, "reason": reason}))
        item_account = ctx.item_accounts.get(item_id, "")
        nominal, source = f.text(line, "nominal_code"), f"line {n}"
        if not nominal and item is not None:
            nominal, source = item_income_account(ctx, item)
    else:
        nominal, source = f.text(line, "nominal_code"), f"line {n}"
        if not nominal:
            nominal, source = f.text(invoice, "global_nom_code"), "the invoice's nominal code"
        if not nominal:
            nominal, source = ctx.default_nominal, "Halo's default sales nominal code"
    net, tax = f.money(f.get(line, "net_amount")), f.money(f.get(line, "tax_amount"))
    itemless = item_id is None or (item is not None and f.flag(item, "ignore_from_accounting_sync"))
    if itemless and ctx.limits.lines_need_item and (net or tax):
        product_ref = _catch_all(ctx, checks, n, record)
    description_only = not product_ref and (item_id is None or item_id not in ctx.products_pending)
    need_account = ctx.limits.line_needs_account or description_only
    account = check_account(ctx, checks, nominal, source, record, where, required=need_account and not item_account)
    if account and item_account and account.casefold() == item_account.casefold() and not ctx.limits.line_needs_account:
        account = ""  # the item's own income account: no override needed
    tax_code = check_tax(ctx, checks, f.ident(f.get(line, "tax_code")), f"{record}, line {n}")
    return ResolvedLine(
        item_id=item_id,
        product_ref=product_ref,
        description=description,
        quantity=f.number(f.get(line, "qty_order")),
        unit_price=f.number(f.get(line, "unit_price")),
        net_amount=net,
        tax_amount=tax,
        tax_code=tax_code,
        account_code=account,
        department=f.ident(f.get(ctx.items.get(item_id or 0), ctx.department_field)) if ctx.department_field
        else None,
    )


def _catch_all(ctx: Context, checks: Checks, n: int, record: str) -> str:
    """The package reference of the catch-all item for a line with an amount but no usable item (the package
    would take it as a description worth nothing); a failed check when there is none."""
    name = ctx.catch_all_item
    if not name:
        checks.fail(f"line {n} item", Problem("sync.line_needs_item", {"record": record, "line": n,
                                                                        "ledger": ctx.package}))
        return ""
    product = ctx.products.by_ref(name) or next(iter(ctx.products.by_name(name)), None)
    if product is None:
        checks.fail(f"line {n} item", Problem("sync.catch_all_missing", {"record": record, "item": name,
                                                                          "line": n, "ledger": ctx.package}))
        return ""
    checks.ok(f"line {n} item", f"no item in Halo: carried by the catch-all item {name!r}")
    return str(product.ref or product.code)
