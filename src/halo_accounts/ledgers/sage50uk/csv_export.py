"""Sage 50 UK File > Import files (NOTES §2): customer records, product records and audit-trail SI/SC rows.

Pure functions build the text (`build_export`) and bytes (`encode`); `export_batch` writes the three files (and a
manifest) owner-only. Rules, each from NOTES §2 unless marked:
- no header row, Sage's exact column order (§2: "the safest output is no header row, exact column order");
- dates DD/MM/YYYY; tax codes as the string "Tn"; amounts unsigned with 2 decimals, at most 8 digits before the point;
- identifiers (account ref 8, stock code 30, nominal 8, reference 30) are never cut: a record with one too long is
  held with a message; free text (names, addresses, details: 60; contact, phone, terms: 30) is cut at Sage's limit
  and every cut is listed in the manifest;
- encoding [?]: the notes do not say. Sage 50 is a Windows desktop program whose import reads ANSI text, so files are
  written in Windows-1252 without BOM; a character Windows-1252 cannot hold is replaced by its accent-free form
  (NFKD), else "?". Line breaks inside a value become spaces; CRLF ends each row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from halo_accounts.ledgers import import_files
from halo_accounts.ledgers.import_files import Cut, Held
from halo_accounts.ledgers.port import Customer, Invoice, Product, RecordRejected
from halo_accounts.ledgers.sage50uk import references
from halo_accounts.ledgers.sage50uk.mapping import address_lines, tax_number

CSV_ENCODING = "cp1252"  # [?] see the module docstring: the one place the encoding is chosen
FILES = {"customers": "customers.csv", "products": "products.csv", "audit": "audit_trail.csv"}
MAX_AMOUNT = Decimal("99999999.99")  # NOTES §2: amounts up to 8 digits plus 2 decimal places
DEPARTMENT_MAX = 999  # NOTES §2.1 col D / §2.2 col N: 0-999

# NOTES §2.2: customer record columns A..AE (31). Columns AF+ are makingithappen's own extension: not written.
CUSTOMER_COLUMNS = (
    "A/C", "Name", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5",
    "Contact Name", "Telephone", "Fax", "Analysis 1", "Analysis 2", "Analysis 3", "Department", "VAT Number",
    "MTD turnover", "YTD turnover", "Prior YTD", "Credit Limit", "Terms text", "Settlement Due Days",
    "Settlement Discount %", "Default Nominal Code", "Default Tax Code", "Trade Contact", "Telephone 2", "E-mail",
    "Web address", "Discount Rate", "Payment Due Days", "Terms Agreed flag",
)
# NOTES §2.3: product record columns A..N (14). Columns O+ are only partly known [C partial]: not written.
PRODUCT_COLUMNS = (
    "Stock Code", "Description", "Tax Code", "Sales Price", "Last Cost Price", "Unit of Sale", "Location",
    "Nominal A/C Ref", "Stock Category", "Bar code", "Department", "Supplier A/C", "Supplier Part No",
    "Re-order Level",
)
# NOTES §2.1: audit trail transaction columns A..O (15).
AUDIT_COLUMNS = (
    "Type", "Account Reference", "Nominal A/C Ref", "Department", "Date", "Reference", "Details", "Net Amount",
    "Tax Code", "Tax Amount", "Exchange Rate", "Extra Reference", "User Name", "Project Refn", "Cost Code Refn",
)
# Free-text limits (cut, and listed in the manifest).
NAME_MAX = 60  # NOTES §2.2 col B: Name 60
ADDRESS_MAX = 60  # NOTES §2.2 cols C-G: 60 each
CONTACT_MAX = 30  # NOTES §2.2 col H: 30
PHONE_MAX = 30  # NOTES §2.2 cols I-J: 30
DESCRIPTION_MAX = 60  # NOTES §2.3 col B: Description 60
DETAILS_MAX = 60  # NOTES §2.1 col G: Details 60
EXTRA_REF_MAX = 30  # NOTES §2.1 col L: Extra Reference 30
# Identifier limits (held, never cut).
ACCOUNT_MAX = 8  # NOTES §2.1 col B, §2.2 col A: 8
STOCK_CODE_MAX = 30  # NOTES §2.3 col A: 30
NOMINAL_MAX = 8  # NOTES §2.1 col C, §2.3 col H: 8
REFERENCE_MAX = 30  # NOTES §2.1 col F: 30
UNIT_OF_SALE = "Each"  # NOTES §1.7 example; §2.3 col F Unit of Sale (8)
# NOTES §2.2: customer delivery addresses cannot be imported; §2: invoices can't go to the Invoicing module.



@dataclass
class ExportBatch:
    """The three files' text plus what was held or cut."""

    texts: dict[str, str]
    rows: dict[str, int]
    held: list[Held] = field(default_factory=list)
    cut: list[Cut] = field(default_factory=list)
    refs: dict[str, str] = field(default_factory=dict)
    """Customer name -> account reference allocated for customers that arrived without one."""


@dataclass
class ExportManifest:
    directory: str
    files: dict[str, str]
    rows: dict[str, int]
    encoding: str
    held: list[Held]
    cut: list[Cut]
    refs: dict[str, str]


class _Record:
    """Collects one record's cells, cutting free text and refusing over-long identifiers."""

    def __init__(self, kind: str, key: str, cut: list[Cut]) -> None:
        self.kind, self.key, self._cut = kind, key, cut
        self.cells: list[str] = []

    def text(self, value: str, limit: int, name: str) -> str:
        value = " ".join((value or "").split())  # line breaks and runs of spaces -> one space
        if len(value) > limit:
            self._cut.append(Cut(self.kind, self.key, name, len(value), limit))
            value = value[:limit]
        return value

    def ident(self, value: str, limit: int, name: str, what: str) -> str:
        value = (value or "").strip()
        if len(value) > limit:
            raise RecordRejected("sage.csv_identifier_too_long", what=what, field=name, value=value, limit=limit)
        return value


def money(value: Decimal, what: str) -> str:
    amount = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        raise RecordRejected("sage.negative_line", what=what, amount=amount)
    if amount > MAX_AMOUNT:
        raise RecordRejected("sage.field_invalid", what=what, field="amount", reason="is more than 99,999,999.99",
                             sdo_field="Net Amount")
    return f"{amount:.2f}"


def tax_code(code: str, what: str) -> str:
    return f"T{tax_number(code, what)}"  # NOTES §2.1 col I: the string "Tn" here, unlike SDO


def department(value: int | None, what: str) -> str:
    number = value or 0
    if not 0 <= number <= DEPARTMENT_MAX:
        raise RecordRejected("sage.department_invalid", what=what, department=number)
    return str(number)


def _cells_to_text(rows: Iterable[Sequence[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return buf.getvalue()


def _held(kind: str, key: str, exc: RecordRejected) -> Held:
    return Held(kind, key, exc.code, exc.message, exc.fix)


def customer_rows(customers: Iterable[Customer], *, existing_refs: Iterable[str] = (),
                  held: list[Held], cut: list[Cut], refs: dict[str, str]) -> list[list[str]]:
    """NOTES §2.2 rows. Customers without ``ref`` get an allocated reference (`references.allocate`)."""
    taken = {references.normalise(r) for r in existing_refs}
    taken |= {references.normalise(c.ref) for c in customers if c.ref}
    rows = []
    for c in customers:
        what = f"Customer {c.name}"
        rec = _Record("customers", c.ref or c.name, cut)
        try:
            if c.ref:
                ref = references.checked(c.ref)
            else:
                ref = references.allocate(c.name, taken.__contains__)
                taken.add(ref)
                refs[c.name] = ref
            lines = address_lines(c.billing)
            row = [
                rec.ident(ref, ACCOUNT_MAX, "A/C", what),
                rec.text(c.company_name or c.name, NAME_MAX, "Name"),
                *(rec.text(line, ADDRESS_MAX, f"Address Line {i}") for i, line in enumerate(lines, start=1)),
                rec.text(c.contact, CONTACT_MAX, "Contact Name"),
                rec.text(c.phone, PHONE_MAX, "Telephone"),
                "", "", "", "",  # Fax, Analysis 1-3
                "0",  # Department
                "", "", "", "", "", "", "", "", "",  # VAT number, MTD, YTD, prior YTD, credit limit, terms, ...
                tax_code(c.tax_code, what) if c.tax_code else "",  # X Default Tax Code
                "", "",  # Trade contact, Telephone 2
                c.email.strip(),  # AA E-mail
                "", "", "", "",  # Web, discount rate, payment due days, terms agreed
            ]
        except RecordRejected as exc:
            held.append(_held("customers", c.ref or c.name, exc))
            continue
        assert len(row) == len(CUSTOMER_COLUMNS)
        rows.append(row)
    return rows


def product_rows(products: Iterable[Product], *, held: list[Held], cut: list[Cut]) -> list[list[str]]:
    """NOTES §2.3 rows."""
    rows = []
    for p in products:
        what = f"Product {p.code}"
        rec = _Record("products", p.code, cut)
        try:
            code = rec.ident(p.code, STOCK_CODE_MAX, "Stock Code", what)
            if not code:
                raise RecordRejected("sage.field_invalid", what=what, field="Item.accountsid", reason="is empty",
                                     sdo_field="Stock Code")
            row = [
                code,
                rec.text(p.description or p.code, DESCRIPTION_MAX, "Description"),
                tax_code(p.tax_code, what) if p.tax_code else "T0",  # NOTES §2.1: default T0
                f"{p.price.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}",
                "",  # Last cost price
                UNIT_OF_SALE,
                "",  # Location
                rec.ident(p.income_account, NOMINAL_MAX, "Nominal A/C Ref", what),
                "",  # Stock category
                "",  # Bar code
                department(p.department, what),
                "", "", "",  # Supplier A/C, part no, re-order level
            ]
        except RecordRejected as exc:
            held.append(_held("products", p.code, exc))
            continue
        assert len(row) == len(PRODUCT_COLUMNS)
        rows.append(row)
    return rows


def audit_rows(invoices: Iterable[Invoice], *, held: list[Held], cut: list[Cut]) -> list[list[str]]:
    """NOTES §2.1 rows: one per line (split); an invoice with any bad line is held whole."""
    rows: list[list[str]] = []
    for inv in invoices:
        label = "Credit note" if inv.kind == "credit" else "Invoice"
        what = f"{label} {inv.number}"
        rec = _Record("audit", inv.number, cut)
        try:
            if not inv.lines:
                raise RecordRejected("sage.invoice_empty", what=what)
            account = references.checked(inv.customer_ref, field="Invoice client Accounts ID")
            reference = rec.ident(inv.number, REFERENCE_MAX, "Reference", what)
            flip = inv.kind == "credit" and all(ln.net_amount <= 0 and ln.tax_amount <= 0 for ln in inv.lines)
            extra = rec.text(inv.po_number, EXTRA_REF_MAX, "Extra Reference")
            invoice_rows = []
            for line in inv.lines:
                net, tax = (-line.net_amount, -line.tax_amount) if flip else (line.net_amount, line.tax_amount)
                nominal = rec.ident(line.account_code, NOMINAL_MAX, "Nominal A/C Ref", what)
                if not nominal:
                    raise RecordRejected("sage.field_invalid", what=what, field="nominal code", reason="is empty",
                                         sdo_field="Nominal A/C Ref")
                invoice_rows.append([
                    "SC" if inv.kind == "credit" else "SI",
                    account,
                    nominal,
                    department(line.department, what),
                    inv.date.strftime("%d/%m/%Y"),  # NOTES §2: DD/MM/YYYY
                    reference,
                    rec.text(line.description or inv.memo, DETAILS_MAX, "Details"),
                    money(net, what),
                    tax_code(line.tax_code, what),
                    money(tax, what),
                    "",  # Exchange rate
                    extra,
                    "", "", "",  # User name, project, cost code
                ])
        except RecordRejected as exc:
            held.append(_held("audit", inv.number, exc))
            continue
        rows.extend(invoice_rows)
    return rows


def build_export(customers: Sequence[Customer] = (), products: Sequence[Product] = (),
                 invoices: Sequence[Invoice] = (), *, existing_refs: Iterable[str] = ()) -> ExportBatch:
    """The three files' text for a batch of neutral records (pure: no I/O)."""
    held: list[Held] = []
    cut: list[Cut] = []
    refs: dict[str, str] = {}
    cust = customer_rows(customers, existing_refs=existing_refs, held=held, cut=cut, refs=refs)
    prod = product_rows(products, held=held, cut=cut)
    audit = audit_rows(invoices, held=held, cut=cut)
    return ExportBatch(
        texts={"customers": _cells_to_text(cust), "products": _cells_to_text(prod), "audit": _cells_to_text(audit)},
        rows={"customers": len(cust), "products": len(prod), "audit": len(audit)},
        held=held, cut=cut, refs=refs,
    )


def encode(text: str) -> bytes:
    """``text`` in the file's code page; characters it cannot hold folded deterministically."""
    return import_files.encode(text, CSV_ENCODING)


def export_batch(directory: str | Path, customers: Sequence[Customer] = (), products: Sequence[Product] = (),
                 invoices: Sequence[Invoice] = (), *, existing_refs: Iterable[str] = ()) -> ExportManifest:
    """Write customers.csv, products.csv, audit_trail.csv and manifest.json into ``directory`` (owner-only)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    batch = build_export(customers, products, invoices, existing_refs=existing_refs)
    for kind, name in FILES.items():
        import_files.write_private(out / name, encode(batch.texts[kind]))
    manifest = ExportManifest(directory=str(out), files=dict(FILES), rows=batch.rows, encoding=CSV_ENCODING,
                              held=batch.held, cut=batch.cut, refs=batch.refs)
    import_files.write_private(out / "manifest.json", json.dumps(asdict(manifest), indent=2).encode("utf-8"))
    return manifest
