"""Sage 50 UK as the rest of the program sees it: its limits, settings, secrets, how it opens, and its CSV import
files (the 'file' ledger mode)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from halo_accounts.ledgers.limits import Limits
from halo_accounts.ledgers.package import FileExport, Package
from halo_accounts.ledgers.port import Customer, Invoice, Product, TaxCode
from halo_accounts.ledgers.sage50uk import csv_export, references
from halo_accounts.ledgers.sage50uk.opening import open_sage50uk
from halo_accounts.ledgers.sage50uk.sdo.fields import TAX_CODE_MAX
from halo_accounts.ledgers.sage50uk.settings import STARTER, Sage50UKSettings

LIMITS = Limits(
    package="Sage 50",
    customer_name=60,  # sage/NOTES.md §1.6: NAME (60)
    address_line=60,  # sage/NOTES.md §1.6: ADDRESS_1..5 (60)
    city=60,  # sage/NOTES.md §1.6: towns go in ADDRESS_n (60)
    postcode=60,  # sage/NOTES.md §1.6: ADDRESS_5 (60) is conventionally the postcode
    product_code=30,  # sage/NOTES.md §1.7: STOCK_CODE (30)
    product_description=60,  # sage/NOTES.md §1.7: DESCRIPTION (60)
    line_description=60,  # sage/NOTES.md §1.9.1: InvoiceItem DESCRIPTION (60)
    invoice_number=7,  # sage/NOTES.md §1.9.1: INVOICE_NUMBER Integer, max 7 digits
    po_number=60,  # sage/NOTES.md §1.9.1: CUST_ORDER_NUMBER (60)
    memo=60,  # sage/NOTES.md §1.9.1: NOTES_1 (60)
    numbers_digits_only=True,  # sage/NOTES.md §1.9.1: INVOICE_NUMBER is an Integer
    encoding="cp1252",  # [?] Sage 50 UK is a Windows ANSI application; not documented in sage/NOTES.md
    product_needs_account=True,  # sage/NOTES.md §1.7: NOMINAL_CODE (8)
    line_needs_account=True,  # sage/NOTES.md §1.9.1: every split carries NOMINAL_CODE
)

#: Sage 50 UK's audit-trail route (TransactionPost, no invoice document) keeps the invoice reference as text of
#: up to 30 characters (sage/NOTES.md §1.9.3, INV_REF 30) instead of a 7-digit INVOICE_NUMBER. The Sage ledger
#: says it takes that route by not numbering invoices itself (LedgerInfo.assigns_numbers False).
AUDIT_TRAIL_REFERENCE = 30


def limits_for_route(limits: Limits, assigns_numbers: bool) -> Limits:
    if assigns_numbers:
        return limits
    return replace(limits, invoice_number=AUDIT_TRAIL_REFERENCE, numbers_digits_only=False)


def _file_tax_codes(halo_taxes: Mapping[int, Any]) -> dict[str, TaxCode]:
    """Sage's codes T0..T99 (NOTES §1.8); without Sage at hand their rates are unknown, only the names matter."""
    return {f"T{i}": TaxCode(f"T{i}", f"T{i}", Decimal(0), ledger_id=str(i)) for i in range(TAX_CODE_MAX + 1)}


def _new_ref(customer: Customer, taken: Callable[[str], bool]) -> str:
    return references.allocate(customer.name, taken)


def _write(folder: Path, customers: Sequence[Customer], products: Sequence[Product], invoices: Sequence[Invoice],
           tax_codes: Mapping[str, TaxCode]) -> csv_export.ExportManifest:
    return csv_export.export_batch(folder, customers, products, invoices)  # T-codes are written as they are


#: File > Import CSV (sage/NOTES.md §2): audit-trail transactions, whose Reference is text like TransactionPost's
#: INV_REF (§2.1 col F, 30) -- the connector's limits for that route; free text is cut by the CSV writer (and
#: listed in the manifest) rather than held.
FILE_EXPORT = FileExport(
    limits=replace(limits_for_route(LIMITS, False), fits_text=True),
    tax_codes=_file_tax_codes,
    customer_ref=_new_ref,
    checked_ref=references.checked,
    normalise_ref=references.normalise,
    write=_write,
    invoice_file=csv_export.FILES["audit"],
    invoice_kind="audit",
    what="Sage 50 UK import files (File > Import in Sage), for when Sage Data Objects cannot be used",
    steps="In Sage 50: File > Import, first customers.csv (Customer Records), then products.csv (Product Records), "
          "then audit_trail.csv (Audit Trail Transactions).",
)

PACKAGE = Package(
    kind="sage50uk",
    display_name="Sage 50 UK",
    limits=LIMITS,
    settings={"sage50uk": Sage50UKSettings},
    open=open_sage50uk,
    secrets=("sage50uk.password",),
    starter=STARTER,
    limits_for_route=limits_for_route,
    # halo/NOTES.md (InvoicePayment): `sage50_reference` is the Sage 50-specific payment field
    payment_reference_field="sage50_reference",
    # sage/NOTES.md §0 [I]: `sage50uk_department_id` on an item <-> the SDO DEPT_NUMBER field
    item_department_field="sage50uk_department_id",
    file_export=FILE_EXPORT,
    demo="halo_accounts.cli.demo_sage:run",
)
