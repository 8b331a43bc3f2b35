"""Sage 50 Canadian Edition as the rest of the program sees it: its limits, settings, secrets, how it opens (the
.NET SDK), its messages, and its Import Transactions file (the 'file' ledger mode)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from halo_accounts.ledgers.limits import Limits
from halo_accounts.ledgers.package import FileExport, Package
from halo_accounts.ledgers.port import Customer, TaxCode
from halo_accounts.ledgers.sage50ca import imp, text
from halo_accounts.ledgers.sage50ca.messages import MESSAGES
from halo_accounts.ledgers.sage50ca.opening import open_sage50ca
from halo_accounts.ledgers.sage50ca.settings import STARTER, Sage50CASettings

LIMITS = Limits(
    package="Sage 50 Canada",
    customer_name=text.NAME_MAX,  # sage/NOTES.md §3.4: Name <= 52 (the customer's key, §3.1)
    address_line=text.STREET_MAX,  # §3.4: Street1/Street2 <= 50
    city=text.CITY_MAX,  # §3.4: City <= 35
    postcode=text.POSTAL_MAX,  # §3.4: Postal/Zip <= 9, unformatted
    product_code=text.ITEM_NUMBER_MAX,  # §3.4: Item Number <= 52
    product_description=text.ITEM_NAME_MAX,  # [?] not in the notes (text.py)
    line_description=text.LINE_DESCRIPTION_MAX,  # [?] not in the notes (text.py)
    invoice_number=text.INVOICE_NUMBER_MAX,  # §3.4: Invoice No. <= 20
    po_number=text.ORDER_NUMBER_MAX,  # §3.4: Order No. <= 20
    memo=text.COMMENT_MAX,  # §3.1: Comment <= 39
    encoding="cp1252",  # [?] a Windows ANSI application; not in the notes
    product_needs_account=True,  # §3.1 InventoryLedger RevenueAccount
    line_needs_account=False,  # an item line takes the item's revenue account
    fits_text=True,  # the connector cuts free text to the widths above (text.fit), reported in the log
)


def _file_tax_codes(halo_taxes: Mapping[int, Any]) -> dict[str, TaxCode]:
    """Without Sage at hand, the file names Halo's own taxes: a composite rate's linked rates are its parts
    (halo/NOTES.md §6.1 `is_composite`, `linked_rates`: mainly Canada's GST+PST)."""
    from halo_accounts.sync import fields as f

    out: dict[str, TaxCode] = {}
    for tax_id, tax in halo_taxes.items():
        code = f.text(tax, "code") or str(tax_id)
        rate = Decimal(str(f.get(tax, "value") or 0))
        linked = list(f.get(tax, "linked_rates") or [])
        if f.flag(tax, "is_composite") and linked:
            parts = tuple((imp.authority(f.text(t, "code"), f.text(t, "name")), Decimal(str(f.get(t, "value") or 0)))
                          for t in linked)
        else:
            parts = ((imp.authority(code, f.text(tax, "name")), rate),) if rate else ()
        out[code] = TaxCode(code=code, name=f.text(tax, "name") or code, rate=rate, ledger_id=str(tax_id),
                            parts=parts)
    return out


def _new_ref(customer: Customer, taken: Callable[[str], bool]) -> str:
    return text.customer_name(customer)  # §3.1: a customer is keyed by its name


FILE_EXPORT = FileExport(
    limits=replace(LIMITS, lines_need_item=True),  # §3.4: every detail line names an item
    tax_codes=_file_tax_codes,
    customer_ref=_new_ref,
    checked_ref=lambda ref: text.checked(ref, text.NAME_MAX, f"customer {ref}", "name"),
    normalise_ref=lambda ref: ref.strip(),
    write=imp.write_batch,
    invoice_file=imp.FILE,
    invoice_kind="invoice",
    what="a Sage 50 Canada import file (File > Import/Export > Import Transactions), for when the SDK cannot be "
         "used",
    steps=f"In Sage 50: File > Import/Export > Import Transactions, and choose {imp.FILE} (or run "
          f"sage_sa_import.exe {imp.FILE} COMPANY.SAI).",
)

PACKAGE = Package(
    kind="sage50ca",
    display_name="Sage 50 Canada",
    limits=LIMITS,
    settings={"sage50ca": Sage50CASettings},
    open=open_sage50ca,
    secrets=("sage50ca.password",),
    messages=MESSAGES,
    starter=STARTER,
    # halo/NOTES.md (InvoicePayment): `sage50_reference` is the Sage 50-specific payment field
    payment_reference_field="sage50_reference",
    file_export=FILE_EXPORT,
    demo="halo_accounts.sandbox.sage50ca.demo:run",
)
