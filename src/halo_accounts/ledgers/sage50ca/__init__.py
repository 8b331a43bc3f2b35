"""Sage 50 Canadian Edition: the ledger port over the Sage 50 Accounting SDK (.NET, through pythonnet on Windows),
and the Import Transactions (.IMP) file for any OS."""

from halo_accounts.ledgers.sage50ca.ledger import Sage50CALedger
from halo_accounts.ledgers.sage50ca.package import PACKAGE

__all__ = ["PACKAGE", "Sage50CALedger"]
