"""A QuickBooks Desktop company file that answers qbXML as QuickBooks does (a test double; product code never
imports it)."""

from halo_accounts.sandbox.quickbooks.company import Company, HostInfo
from halo_accounts.sandbox.quickbooks.status import RequestProcessorError, UnsupportedBySandbox

__all__ = ["Company", "HostInfo", "RequestProcessorError", "UnsupportedBySandbox"]
