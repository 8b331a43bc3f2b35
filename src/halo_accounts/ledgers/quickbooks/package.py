"""QuickBooks Desktop as the rest of the program sees it: its limits, settings, secrets and how it opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from halo_accounts.ledgers.limits import Limits
from halo_accounts.ledgers.package import Package
from halo_accounts.ledgers.quickbooks.opening import open_quickbooks
from halo_accounts.ledgers.quickbooks.settings import STARTER, QuickBooksSettings, WebConnectorSettings

LIMITS = Limits(
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
)

PACKAGE = Package(
    kind="quickbooks",
    display_name="QuickBooks Desktop",
    limits=LIMITS,
    settings={"quickbooks": QuickBooksSettings, "webconnector": WebConnectorSettings},
    open=open_quickbooks,
    secrets=("webconnector.password",),
    starter=STARTER,
    demo="halo_accounts.cli.demo:run_quickbooks_demo",
    extras={"downloads": {"halo-accounts.qwc": lambda settings, data_dir: _qwc(settings, data_dir)}},
)


def _qwc(settings: Any, data_dir: Path) -> str:
    """The .qwc file the Web Connector imports (File > Add an application), as `halo-accounts qwc` writes it."""
    from halo_accounts.ledgers.quickbooks.webconnector.qwc import DEFAULT_RUN_EVERY_MINUTES, build_qwc, install_ids
    from halo_accounts.ledgers.quickbooks.webconnector.server import endpoint_url

    return build_qwc(app_name=settings.quickbooks.app_name, app_url=endpoint_url(settings),
                     username=settings.webconnector.username, ids=install_ids(data_dir),
                     run_every_minutes=DEFAULT_RUN_EVERY_MINUTES)
