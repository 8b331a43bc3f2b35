"""Sage 50 CA's Import Transactions file (.IMP), exactly per Sage's layout (sage/NOTES.md §3.4): the version header,
`<customers>` records, then one `<SalInvoice>` per invoice or credit note (customer line, options line, detail lines
with their tax groups). Pure: `build` returns the text; `write_batch` puts it in a folder (owner-only)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers import import_files
from halo_accounts.ledgers.import_files import Cut, Held
from halo_accounts.ledgers.port import Customer, Invoice, Product, TaxCode
from halo_accounts.ledgers.sage50ca import text

#: [?] §3.4: "12001" in the 2009 spec, "32101" for 2025 (ca-kb 240620224819187); 2026's is not documented.
VERSION = "32101"
COUNTRY = "1"  # §3.4: country code 1 = Canada
ENCODING = "cp1252"  # [?] a Windows ANSI application; not in the notes
NEWLINE = "\r\n"  # [I] a Windows text file
FILE = "sales_invoices.imp"
HOME_CURRENCY = ("", "CAD")  # §3.4: only home currency can be imported (ca-kb 223924750041370)
DATE_FORMAT = "%m-%d-%Y"  # §3.4 Entry Date mm-dd-yyyy (the OCA generator's strftime('%m-%d-%Y'))
PAY_LATER = "0"  # §3.4 Paid By Type: 0 pay later, 1 cash, 2 cheque, 3 credit card
#: Whether a tax is refundable (input tax credit): the spec's sample has GST "1" and PST "0" (§3.4). [I] HST and QST
#: are recoverable as GST is. A name not listed is taken as not refundable.
REFUNDABLE = {"GST": True, "HST": True, "QST": True, "TVQ": True, "TPS": True, "PST": False, "RST": False}
TAX_NAME_MAX = 20  # §3.4 Tax Name <= 20
CENT, RATE, QTY = Decimal("0.01"), Decimal("0.01"), Decimal("0.0001")  # §3.4: amounts 2 dp, rate 2 dp, qty 4 dp


@dataclass
class ImpBatch:
    text: str
    rows: dict[str, int]
    held: list[Held] = field(default_factory=list)
    cut: list[Cut] = field(default_factory=list)


def authority(code: str, name: str) -> str:
    """The tax authority's name Sage knows a tax by (GST, HST, PST, QST): Halo's code if it is one, else the first
    such name in Halo's tax name ("HST (Ontario) 13%" -> HST), else the code."""
    for candidate in (code, *re.findall(r"[A-Za-z]+", name)):
        if candidate.upper() in REFUNDABLE:
            return candidate.upper()
    return code


def _q(value: str) -> str:
    """A string field: in double quotes (§3.4); [?] the spec gives no escape, so a quote inside becomes '."""
    return '"' + value.replace('"', "'") + '"'


def _blank_or(value: str) -> str:
    return _q(value) if value else ""  # the spec's sample leaves unknown fields empty between the commas


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _rate(value: Decimal) -> str:
    return str(value.quantize(RATE, rounding=ROUND_HALF_UP))


def _qty(value: Decimal) -> str:
    return str(value.quantize(QTY, rounding=ROUND_HALF_UP))


class _Record:
    def __init__(self, kind: str, key: str, cut: list[Cut]) -> None:
        self.kind, self.key, self._cut = kind, key, cut

    def fit(self, value: str, limit: int, name: str) -> str:
        value = (value or "").strip()
        if len(value) > limit:
            self._cut.append(Cut(self.kind, self.key, name, len(value), limit))
        return value[:limit]

    def ident(self, value: str, limit: int, name: str, what: str) -> str:
        value = (value or "").strip()
        if len(value) > limit:
            raise HaloAccountsError("sage50ca.imp_too_long", what=what, field=name, value=value, limit=limit)
        return value


def customer_line(customer: Customer, rec: _Record, *, one_time: bool = False) -> str:
    """§3.4 customer line: Name, OneTimeFlag, Contact, Street1, Street2, City, Province, Postal, Country (Postal
    before Country, as the spec's field table, sample and KB have it), Phone1, Phone2, Fax, Email."""
    name = rec.ident(text.customer_name(customer), text.NAME_MAX, "Name", f"customer {customer.name}")
    addr = text.split_address(customer.billing)
    lines = list(addr.lines)
    cells = [
        _q(name), _q("1" if one_time else "0"),
        _blank_or(rec.fit(customer.contact, text.CONTACT_MAX, "Contact")),
        _blank_or(rec.fit(lines[0] if lines else "", text.STREET_MAX, "Street1")),
        _blank_or(rec.fit(", ".join(lines[1:]), text.STREET_MAX, "Street2")),
        _blank_or(rec.fit(addr.city, text.CITY_MAX, "City")),
        _blank_or(rec.fit(addr.region, text.PROVINCE_MAX, "Province/State")),
        _blank_or(rec.fit(text.postal(addr.postcode), text.POSTAL_MAX, "Postal/Zip")),
        _blank_or(rec.fit(addr.country, text.COUNTRY_MAX, "Country")),
        _blank_or(rec.fit(customer.phone, text.PHONE_MAX, "Phone1")), "", "",
        _blank_or(rec.fit(customer.email, text.EMAIL_MAX, "Email")),
    ]
    return ",".join(cells)


def tax_groups(amount: Decimal, code: TaxCode | None, what: str, line: int) -> list[str]:
    """§3.4 Tax Information groups (Name, Included, Refundable, Rate, Amount) for one line's tax: Halo's line tax
    split over the code's taxes by rate, the last taking the remainder, so the groups add up to Halo's figure."""
    if code is None or not code.parts:
        if amount:
            raise HaloAccountsError("sage50ca.imp_tax", what=what, line=line, tax_code=code.code if code else "")
        return []
    total_rate = sum((rate for _, rate in code.parts), Decimal(0))
    cells: list[str] = []
    left = amount
    for n, (name, rate) in enumerate(code.parts):
        last = n == len(code.parts) - 1
        part = left if last else (amount * rate / total_rate).quantize(CENT, rounding=ROUND_HALF_UP) \
            if total_rate else Decimal(0)
        left -= part
        tax = name.strip().upper()[:TAX_NAME_MAX]
        cells += [_q(tax), _q("0"), _q("1" if REFUNDABLE.get(tax, False) else "0"), _q(_rate(rate)), _q(_money(part))]
    return cells


def invoice_block(inv: Invoice, customer: Customer, tax_codes: Mapping[str, TaxCode], rec: _Record) -> list[str]:
    label = "Credit note" if inv.kind == "credit" else "Invoice"
    what = f"{label} {inv.number}"
    if inv.currency.upper() not in HOME_CURRENCY:
        raise HaloAccountsError("sage50ca.imp_currency", what=what, currency=inv.currency)
    number = rec.ident(inv.number, text.INVOICE_NUMBER_MAX, "Invoice No.", what)
    item_numbers = [rec.ident(line.product_ref, text.ITEM_NUMBER_MAX, "Item Number", what) for line in inv.lines]
    if any(not n for n in item_numbers):  # §3.4: Item Number is compulsory on a detail line
        raise HaloAccountsError("sage50ca.imp_too_long", what=what, field="Item Number", value="",
                                limit=text.ITEM_NUMBER_MAX)
    # A credit note is an invoice with negative amounts [I]; Halo may send either sign.
    sign = Decimal(-1) if inv.kind == "credit" and inv.net_total + inv.tax_total > 0 else Decimal(1)
    details = []
    for n, (line, item) in enumerate(zip(inv.lines, item_numbers, strict=True), start=1):
        qty = abs(line.quantity) * (1 if sign * line.net_amount >= 0 else -1)
        price = abs(line.unit_price)
        cells = [_q(item), _q(_qty(qty)), _q(_qty(price)), _q(_money(line.net_amount * sign))]
        cells += tax_groups(line.tax_amount * sign, tax_codes.get(line.tax_code), what, n)
        details.append(",".join(cells))
    total = (inv.net_total + inv.tax_total) * sign
    options = [_q(str(len(details))), _blank_or(rec.fit(inv.po_number, text.ORDER_NUMBER_MAX, "Order No.")),
               _q(number), _q(inv.date.strftime(DATE_FORMAT)), _q(PAY_LATER), _q(""), _q(_money(total)),
               _q(_money(Decimal(0)))]
    return ["<SalInvoice>", customer_line(customer, rec), ",".join(options), *details, "</SalInvoice>"]


def build(customers: Sequence[Customer], invoices: Sequence[Invoice], tax_codes: Mapping[str, TaxCode],
          known: Mapping[str, Customer] | None = None) -> ImpBatch:
    """The file's text. ``customers`` are new (a `<customers>` record each); an invoice's customer is looked up by
    reference among them and ``known``. A record the layout cannot carry whole is held, not written light."""
    held: list[Held] = []
    cut: list[Cut] = []
    out = ["<Version>", f"{_q(VERSION)},{_q(COUNTRY)}", "</Version>"]
    by_ref = {c.ref or c.name: c for c in (known or {}).values()}
    rows = {"customers": 0, "invoices": 0}
    for customer in customers:
        rec = _Record("customer", customer.ref or customer.name, cut)
        try:
            line = customer_line(customer, rec)
        except HaloAccountsError as exc:
            held.append(Held("customer", rec.key, exc.code, exc.message, exc.fix))
            continue
        by_ref[customer.ref or customer.name] = customer
        out += ["<customers>", line, "</customers>"]
        rows["customers"] += 1
    for inv in invoices:
        rec = _Record("invoice", inv.number, cut)
        customer = by_ref.get(inv.customer_ref) or Customer(name=inv.customer_ref, ref=inv.customer_ref)
        try:
            block = invoice_block(inv, customer, tax_codes, rec)
        except HaloAccountsError as exc:
            held.append(Held("invoice", inv.number, exc.code, exc.message, exc.fix))
            continue
        out += block
        rows["invoices"] += 1
    return ImpBatch(NEWLINE.join(out) + NEWLINE, rows, held, cut)


def encode(text: str) -> bytes:
    """``text`` in the file's code page; characters it cannot hold folded deterministically."""
    return import_files.encode(text, ENCODING)


@dataclass
class ImpManifest:
    directory: str
    files: dict[str, str]
    rows: dict[str, int]
    encoding: str
    held: list[Held]
    cut: list[Cut]


def write_batch(directory: str | Path, customers: Sequence[Customer], products: Sequence[Product],
                invoices: Sequence[Invoice], tax_codes: Mapping[str, TaxCode]) -> ImpManifest:
    """Write sales_invoices.imp and manifest.json. New products cannot go in an .IMP file (§3.4 has no inventory
    records), so an invoice naming one is held until the item is in Sage."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    new_codes = {p.code for p in products}
    held: list[Held] = []
    ready = []
    for inv in invoices:
        missing = sorted({ln.product_ref for ln in inv.lines if ln.product_ref in new_codes})
        if missing:
            from halo_accounts.messages import render

            message, fix = render("sage50ca.imp_item_missing", what=f"Invoice {inv.number}", item=missing[0])
            held.append(Held("invoice", inv.number, "sage50ca.imp_item_missing", message, fix))
            continue
        ready.append(inv)
    batch = build(customers, ready, tax_codes)
    import_files.write_private(out / FILE, encode(batch.text))
    manifest = ImpManifest(str(out), {"invoices": FILE}, batch.rows, ENCODING, held + batch.held, batch.cut)
    import_files.write_private(out / "manifest.json", json.dumps(asdict(manifest), indent=2).encode("utf-8"))
    return manifest
