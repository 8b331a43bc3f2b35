"""QuickBooks Desktop: the qbXML protocol, its transports and `QuickBooksLedger`, which implements the port.

Transports (Web Connector, COM, the sandbox company) all satisfy `QbxmlTransport`; the ledger does not
care which one carries its documents.
"""

from __future__ import annotations

from halo_accounts.ledgers.quickbooks.package import PACKAGE
from halo_accounts.ledgers.quickbooks.transport import HostInfo, QbxmlTransport

__all__ = ["PACKAGE", "HostInfo", "QbxmlTransport", "QuickBooksLedger"]


def __getattr__(name: str) -> object:
    # Imported lazily so that `transport` (used by the Web Connector package) stays light.
    if name == "QuickBooksLedger":
        from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger

        return QuickBooksLedger
    raise AttributeError(name)
