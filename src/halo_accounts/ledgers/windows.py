"""Windows-only transports (COM, SDO, .NET SDKs) refuse plainly elsewhere, naming what works instead."""

from __future__ import annotations

import sys

from halo_accounts.errors import HaloAccountsError


def require_windows(what: str, package: str, alternative: str) -> None:
    if sys.platform != "win32":
        raise HaloAccountsError("sync.windows_only", what=what, package=package, alternative=alternative)
