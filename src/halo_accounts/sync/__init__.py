"""The sync engine: one run reads Halo's settings and the package's reference data, plans, then applies.

`SyncEngine` takes a Halo client, a ledger (the port), a store and the settings; it never sees a transport.
"""

from __future__ import annotations

from halo_accounts.sync.engine import SyncEngine
from halo_accounts.sync.report import RunReport

__all__ = ["RunReport", "SyncEngine"]
