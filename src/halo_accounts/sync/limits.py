"""What each package can store: field lengths, characters, numbering rules — one table, cited per value.

The pre-flight checks read only this table, so a limit found wrong is fixed here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Limits:
    package: str
    """The package's name as users know it (used in messages)."""
    customer_name: int
    address_line: int
    city: int
    postcode: int
    product_code: int
    product_description: int
    line_description: int
    invoice_number: int
    po_number: int
    memo: int
    numbers_digits_only: bool = False
    """Invoice numbers must be whole numbers (Sage 50 UK INVOICE_NUMBER is an Integer)."""
    encoding: str = "latin-1"
    """Characters the package can store: text must encode in this codec."""
    product_needs_account: bool = True
    """A new product must name an income / nominal account."""
    line_needs_account: bool = False
    """Every invoice line must carry a nominal code."""
    fits_names: bool = False
    """The connector shortens over-long customer and item names itself (deterministically, collision-aware)."""
    fits_text: bool = False
    """The connector cuts over-long free text (addresses, descriptions) itself: reported, not held."""
    lines_need_item: bool = False
    """A line carries an amount only when it names one of the package's items; a line without one is a
    description line worth nothing (so an item-less Halo line needs the catch-all item, or the invoice is held)."""


LIMITS: dict[str, Limits] = {
    "quickbooks": Limits(
        package="QuickBooks",
        customer_name=41,  # qbxml/NOTES.md §4.1: CustomerAdd Name len41
        address_line=41,  # qbxml/NOTES.md §4 ADDRESS: Addr1..Addr5 len41
        city=31,  # qbxml/NOTES.md §4 ADDRESS: City len31
        postcode=13,  # qbxml/NOTES.md §4 ADDRESS: PostalCode len13
        product_code=31,  # qbxml/NOTES.md §4.4: ItemServiceAdd Name len31
        product_description=4095,  # qbxml/NOTES.md §4.4: Desc len4095
        line_description=4095,  # qbxml/NOTES.md §4.5: InvoiceLineAdd Desc len4095
        invoice_number=11,  # qbxml/NOTES.md §4.5: RefNumber len11
        po_number=25,  # qbxml/NOTES.md §4.5: PONumber len25
        memo=4095,  # qbxml/NOTES.md §4.5: Memo len4095
        encoding="latin-1",  # qbxml/NOTES.md §3.2: QuickBooks stores ISO-8859-1 only
        product_needs_account=True,  # halo/NOTES.md §12: income account required on items
        line_needs_account=False,  # the item carries the income account
        fits_names=True,  # ledgers/quickbooks/qbxml/text.py shorten_name: deterministic "~XXXX" short names
        fits_text=True,  # ledgers/quickbooks/qbxml/text.py fits every text field to its qbXML length
        lines_need_item=True,  # qbxml/NOTES.md §4.5 line notes: an InvoiceLineAdd with only Desc is a description line
    ),
    "sage50uk": Limits(
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
    ),
    "sage50ca": Limits(
        package="Sage 50 Canada",
        customer_name=52,  # [?] not in sage/NOTES.md §3; Sage 50 CA customer name field width assumed 52
        address_line=75,  # [?] not in sage/NOTES.md §3
        city=35,  # [?] not in sage/NOTES.md §3
        postcode=9,  # [?] not in sage/NOTES.md §3 (Canadian postal code with space is 7)
        product_code=52,  # [?] not in sage/NOTES.md §3
        product_description=75,  # [?] not in sage/NOTES.md §3
        line_description=75,  # [?] not in sage/NOTES.md §3
        invoice_number=20,  # [?] not in sage/NOTES.md §3
        po_number=20,  # [?] not in sage/NOTES.md §3
        memo=39,  # sage/NOTES.md §3.1: Comment <= 39 characters
        encoding="cp1252",  # [?] Windows ANSI application
        product_needs_account=True,
        line_needs_account=False,
    ),
}


#: Sage 50 UK's audit-trail route (TransactionPost, no invoice document) keeps the invoice reference as text of
#: up to 30 characters (sage/NOTES.md §1.9.3, INV_REF 30) instead of a 7-digit INVOICE_NUMBER. The Sage ledger
#: says it takes that route by not numbering invoices itself (LedgerInfo.assigns_numbers False).
SAGE_AUDIT_TRAIL_REFERENCE = 30


def limits_for(kind: str, *, assigns_numbers: bool = True) -> Limits:
    """The limits of package ``kind``; for Sage 50 UK they follow the posting route (see above)."""
    limits = LIMITS.get(kind, LIMITS["quickbooks"])
    if kind == "sage50uk" and not assigns_numbers:
        limits = replace(limits, invoice_number=SAGE_AUDIT_TRAIL_REFERENCE, numbers_digits_only=False)
    return limits
