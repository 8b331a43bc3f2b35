"""Sage 50 CA's field widths and how port records become ledger properties (and back). Widths are the .IMP spec's
(sage/NOTES.md §3.4), the only published ones; [?] marks those the notes do not give."""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Any

from halo_accounts.ledgers.port import Address, Customer, Product, RecordRejected

log = logging.getLogger(__name__)

NAME_MAX = 52  # NOTES §3.4 customer line: Name <= 52
CONTACT_MAX = 30  # §3.4: Contact <= 30
STREET_MAX = 50  # §3.4: Street1/Street2 <= 50
CITY_MAX = 35  # §3.4: City <= 35
PROVINCE_MAX = 20  # §3.4: Province/State <= 20
POSTAL_MAX = 9  # §3.4: Postal/Zip <= 9, unformatted
COUNTRY_MAX = 30  # §3.4: Country <= 30
PHONE_MAX = 25  # §3.4: Phone1/Phone2/Fax <= 25
EMAIL_MAX = 50  # §3.4: Email <= 50
ITEM_NUMBER_MAX = 52  # §3.4 detail line: Item Number <= 52
ITEM_NAME_MAX = 52  # [?] the inventory Name width is not in the notes; taken as the item number's
LINE_DESCRIPTION_MAX = 75  # [?] SetDescription's width is not in the notes
INVOICE_NUMBER_MAX = 20  # §3.4 options line: Invoice No. <= 20
ORDER_NUMBER_MAX = 20  # §3.4 options line: Order No. <= 20
COMMENT_MAX = 39  # §3.1: Comment <= 39


def fit(value: str, limit: int) -> str:
    """Free text cut to the width (reported in the log); identifiers are checked, never cut (`checked`)."""
    value = (value or "").strip()
    if len(value) > limit:
        log.warning("Sage 50 CA text cut to %d characters: %r", limit, value)
    return value[:limit]


def checked(value: str, limit: int, what: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise RecordRejected("sage50ca.rejected", what=what, detail=f"the {field} '{value}' is longer than {limit} "
                             "characters")
    return value


def postal(value: str) -> str:
    """§3.4: postal codes unformatted (no spaces or dashes)."""
    return re.sub(r"[\s-]", "", value or "").upper()


def split_address(address: Address) -> Address:
    """Street lines, city and province. [I] Halo's addresses are four free lines and a postcode (halo/NOTES.md
    AddressStore): with no city given, a third line is taken as the city and a fourth as the province."""
    lines = [ln.strip() for ln in address.lines if ln.strip()]
    if address.city or len(lines) < 3:
        return Address(lines=tuple(lines), city=address.city, region=address.region, postcode=address.postcode,
                       country=address.country)
    street, city, region = (lines[:2], lines[2], lines[3]) if len(lines) > 3 else (lines[:1], lines[1], lines[2])
    return Address(lines=tuple(street), city=city, region=region, postcode=address.postcode, country=address.country)


def customer_name(customer: Customer) -> str:
    name = (customer.ref or customer.company_name or customer.name).strip()
    return checked(name, NAME_MAX, f"customer {name}", "name")


def customer_fields(customer: Customer) -> dict[str, str]:
    address = split_address(customer.billing)
    lines = list(address.lines)
    return {
        "Name": customer_name(customer),
        "Contact": fit(customer.contact, CONTACT_MAX),
        "Street1": fit(lines[0] if lines else "", STREET_MAX),
        "Street2": fit(", ".join(lines[1:]), STREET_MAX),
        "City": fit(address.city, CITY_MAX),
        "Province": fit(address.region, PROVINCE_MAX),
        "PostalCode": fit(postal(address.postcode), POSTAL_MAX),
        "Country": fit(address.country, COUNTRY_MAX),
        "Phone1": fit(customer.phone, PHONE_MAX),
        "Email": fit(customer.email, EMAIL_MAX),
    }


def _s(obj: Any, name: str) -> str:
    return str(getattr(obj, name, "") or "")


def customer_from(ledger: Any) -> Customer:
    name = _s(ledger, "Name")
    return Customer(
        name=name, ref=name, contact=_s(ledger, "Contact"), email=_s(ledger, "Email"), phone=_s(ledger, "Phone1"),
        billing=Address(lines=tuple(x for x in (_s(ledger, "Street1"), _s(ledger, "Street2")) if x),
                        city=_s(ledger, "City"), region=_s(ledger, "Province"), postcode=_s(ledger, "PostalCode"),
                        country=_s(ledger, "Country")),
    )


def product_from(ledger: Any) -> Product:
    number = _s(ledger, "Number")
    return Product(code=number, ref=number, description=_s(ledger, "Name"),
                   price=Decimal(str(getattr(ledger, "RegularPrice", 0) or 0)),
                   income_account=_s(ledger, "RevenueAccount"),
                   kind="service" if getattr(ledger, "IsServiceType", False) else "stock")
