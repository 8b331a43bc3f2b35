"""Sage 50 UK as the rest of the program sees it: its limits, settings, secrets, how it opens, and its CSV import
files (the 'file' ledger mode)."""

from __future__ import annotations

from dataclasses import replace

from halo_accounts.ledgers.limits import Limits
from halo_accounts.ledgers.package import Package
from halo_accounts.ledgers.sage50uk.opening import open_sage50uk
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
    demo="halo_accounts.cli.demo_sage:run",
)
