"""Sage 50 UK connector: the ledger port over Sage Data Objects (SDO COM), plus File > Import CSV writers."""

from halo_accounts.ledgers.sage50uk.ledger import Department, Sage50UKLedger
from halo_accounts.ledgers.sage50uk.package import PACKAGE
from halo_accounts.ledgers.sage50uk.routes import HALO_INVOICE_TYPES, InvoiceRoute, route_for
from halo_accounts.ledgers.sage50uk.sdo.transport import (
    ConnectionSettings,
    SdoConnection,
    SdoSession,
    connection_settings,
)

__all__ = [
    "HALO_INVOICE_TYPES",
    "PACKAGE",
    "ConnectionSettings",
    "Department",
    "InvoiceRoute",
    "Sage50UKLedger",
    "SdoConnection",
    "SdoSession",
    "connection_settings",
    "route_for",
]
