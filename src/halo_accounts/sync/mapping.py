"""Pure translations from Halo records to the ledger port's neutral records, and the keys that identify them.

No I/O here: every function takes what it needs (resolved references, the tax map) and returns a record.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from halo_accounts.ledgers.port import Address, Customer, Invoice, InvoiceLine, Product
from halo_accounts.sync import fields as f
from halo_accounts.sync.tenant_time import local_day

#: Typographic characters Halo users paste (Word, Outlook) mapped to plain ones the packages can store
#: (qbxml/NOTES.md §3.2: QuickBooks keeps ISO-8859-1 only; other characters would become '?').
_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2026": "...", "\u00a0": " ", "\u2022": "*", "\u200b": "",
    "\t": " ", "\r": " ",
})

_SPACES = re.compile(r"\s+")


def clean(value: Any) -> str:
    """Text as a package should receive it: typographic characters made plain, outer blanks removed."""
    return str(value or "").translate(_PLAIN).strip()


def normalize_name(name: str) -> str:
    """A conservative key for matching customer names: case, runs of blanks and '&' vs 'and' ignored."""
    folded = clean(name).casefold().replace("&", " and ")
    return _SPACES.sub(" ", folded).strip()


#: Where the sync notes which Halo list a document came from ("invoice" or "credit", sync/invoices.py
#: `pending_documents`); Halo itself never sends a field of this name.
KIND_FIELD = "_kind"


def tag_kind(invoice: Any, kind: str) -> Any:
    """``invoice`` marked as read from Halo's invoice or credit-note list."""
    if isinstance(invoice, dict):
        return {**invoice, KIND_FIELD: kind}
    extra = getattr(invoice, "model_extra", None)
    if extra is not None:
        extra[KIND_FIELD] = kind
    return invoice


def is_credit(invoice: Any) -> bool:
    """Whether a Halo invoice is a credit note: by the list Halo returned it in (`KIND_FIELD`).

    [?] halo/NOTES.md §7.2: Halo's credit-note type value is not documented (`invoicetype` is 0 on an invoice), so
    the sync asks Halo with `includecredits`/`includeinvoices`; only a record not read that way (none in the sync)
    falls back to the sign of its total.
    """
    kind = f.get(invoice, KIND_FIELD)
    if kind in ("invoice", "credit"):
        return kind == "credit"
    total = f.get(invoice, "total")
    if total is None:
        total = sum(f.money(f.get(line, "net_amount")) for line in f.get(invoice, "lines", []) or [])
    return f.money(total) < 0


def credit_sign(invoice: Any) -> Decimal:
    """-1 for a credit note Halo keeps with negative amounts (its usual form), else 1: the package is sent a
    credit with positive amounts either way."""
    if record_kind(invoice) != "credit":
        return Decimal(1)
    total = f.get(invoice, "total")
    if total is None:
        total = sum(f.money(f.get(line, "net_amount")) for line in f.get(invoice, "lines", []) or [])
    return Decimal(-1) if f.money(total) < 0 else Decimal(1)


def record_kind(invoice: Any) -> Literal["invoice", "credit"]:
    return "credit" if is_credit(invoice) else "invoice"


def label(invoice: Any) -> str:
    """How a user recognises an invoice in messages: "invoice INV00012 (Halo id 12)"."""
    noun = "credit note" if is_credit(invoice) else "invoice"
    number = f.text(invoice, "invoicenumber") or "(no number)"
    return f"{noun} {number} (Halo id {f.get(invoice, 'id')})"


def external_key(tenant: str, invoice_id: int | str) -> str:
    """Our key for a Halo invoice, stored by the package where it can (found again after a crash)."""
    # 24: our choice, so the key stays short enough for the packages' free-text fields (QuickBooks `Other`
    # len29 holds a digest of it, qbxml/NOTES.md §4.5; Sage keeps 60-character text, sage/NOTES.md §1.9.1)
    tenant_part = re.sub(r"[^A-Za-z0-9.-]", "", tenant)[:24] or "halo"
    return f"halo:{tenant_part}:{invoice_id}"


def line_item_id(line: Any) -> int | None:
    return f.ident(f.get(line, "itemid", f.get(line, "_itemid")))


def halo_fingerprint(invoice: Any) -> str:
    """A digest of what we post from a Halo invoice (client, date, numbers, lines) to notice later edits."""
    lines = [
        [
            line_item_id(line),
            clean(f.get(line, "item_shortdescription", "")),
            str(f.number(f.get(line, "qty_order"))),
            str(f.number(f.get(line, "unit_price"))),
            str(f.money(f.get(line, "net_amount"))),
            str(f.money(f.get(line, "tax_amount"))),
            str(f.ident(f.get(line, "tax_code")) or ""),
            f.text(line, "nominal_code"),
        ]
        for line in sorted(f.get(invoice, "lines", []) or [], key=lambda ln: (f.get(ln, "sequenceid", 0) or 0,
                                                                             f.get(ln, "id", 0) or 0))
    ]
    payload = {
        "client": f.ident(f.get(invoice, "client_id")),
        "date": str(f.day(f.get(invoice, "invoice_date")) or ""),
        "due": str(f.day(f.get(invoice, "duedate")) or ""),
        "number": f.text(invoice, "invoicenumber"),
        "lines": lines,
    }
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]  # 128 bits: ample to notice a change


def address_of(store: Any) -> Address:
    """An `AddressStore` ({line1..line4, postcode}) or a site's address as a port `Address`."""
    if not store:
        return Address()
    lines = tuple(clean(f.get(store, f"line{i}", "")) for i in range(1, 5))
    return Address(lines=tuple(line for line in lines if line), postcode=clean(f.get(store, "postcode", "")))


def customer_from_client(client: Any, site: Any | None = None) -> Customer:
    """A Halo client (with its main/invoice site's addresses) as a package customer."""
    name = clean(f.get(client, "name", ""))
    billing = address_of(f.get(site, "invoice_address")) if site is not None else Address()
    if not billing.lines:
        billing = address_of(f.get(client, "main_invoice_address"))
    if not billing.lines and site is not None:
        billing = address_of(f.get(site, "delivery_address"))
    shipping = address_of(f.get(site, "delivery_address")) if site is not None else Address()
    if not shipping.lines:
        shipping = address_of(f.get(client, "main_delivery_address"))
    contact = " ".join(p for p in (clean(f.get(client, "accountsfirstname", "")),
                                   clean(f.get(client, "accountslastname", ""))) if p)
    return Customer(
        name=name,
        company_name=name,
        billing=billing,
        shipping=shipping,
        email=clean(f.get(client, "accountsemailaddress", "")),
        phone=clean(f.get(client, "main_phonenumber", "")),
        contact=contact,
    )


def product_from_item(item: Any, *, income_account: str, tax_code: str, department_field: str = "") -> Product:
    """A Halo item as a package service item (Halo's items are mostly services and labour); ``department_field``
    is the Halo item field naming the package's department, where the package has departments."""
    return Product(
        code=clean(f.get(item, "name", "")),
        description=clean(f.get(item, "description", "")) or clean(f.get(item, "name", "")),
        price=f.number(f.get(item, "baseprice")),
        income_account=income_account,
        tax_code=tax_code,
        kind="service",
        department=f.ident(f.get(item, department_field)) if department_field else None,
    )


@dataclass(frozen=True)
class ResolvedLine:
    """One Halo line with its package references found (by the pre-flight checks)."""

    item_id: int | None
    product_ref: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    tax_code: str
    account_code: str
    department: int | None = None


def ledger_invoice(invoice: Any, *, customer_ref: str, number: str, key: str,
                   lines: list[ResolvedLine], zone: ZoneInfo | None = None) -> Invoice:
    """The package invoice (or credit note) for a Halo invoice whose references are resolved.

    Credit notes are posted as credits with positive amounts (Halo keeps them negative).
    """
    kind = record_kind(invoice)
    sign = credit_sign(invoice)
    out_lines = tuple(
        InvoiceLine(
            product_ref=line.product_ref,
            description=line.description,
            quantity=abs(line.quantity) if kind == "credit" else line.quantity,
            unit_price=abs(line.unit_price) if kind == "credit" else line.unit_price,
            net_amount=line.net_amount * sign,
            tax_amount=line.tax_amount * sign,
            tax_code=line.tax_code,
            account_code=line.account_code,
            department=line.department,
        )
        for line in lines
    )
    zone = zone or ZoneInfo("UTC")
    invoice_date = local_day(f.get(invoice, "invoice_date"), zone) or date.today()
    return Invoice(
        number=number,
        customer_ref=customer_ref,
        date=invoice_date,
        lines=out_lines,
        kind=kind,
        due_date=local_day(f.get(invoice, "duedate"), zone),
        memo=clean(f.get(invoice, "reference", "")) or f"Halo {f.text(invoice, 'invoicenumber')}".strip(),
        external_key=key,
        po_number=clean(f.get(invoice, "cust_order_number", "") or f.get(invoice, "order_number", "")),
    )
