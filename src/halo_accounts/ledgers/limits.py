"""What a package can store (field lengths, characters, numbering rules): the shape each package folder fills in
its descriptor, cited per value. The pre-flight checks read only these, so a limit found wrong is fixed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


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
