"""What each package can store, as its folder's descriptor says (`ledgers/<kind>/package.py`, cited per value).

The pre-flight checks read only this, so a limit found wrong is fixed in the package's descriptor and nowhere else.
"""

from __future__ import annotations

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers import registry
from halo_accounts.ledgers.limits import Limits


def limits_for(kind: str, *, assigns_numbers: bool = True) -> Limits:
    """The limits of package ``kind``; where the package says they follow the posting route, for that route."""
    package = registry.get(kind)
    if package is None:
        raise HaloAccountsError("sync.ledger_kind_unsupported", package=kind,
                                choices=", ".join(registry.KINDS), path="the configuration file")
    return package.limits_when(assigns_numbers)


def all_limits() -> dict[str, Limits]:
    """Every package's limits, by kind."""
    return {p.kind: p.limits for p in registry.packages()}


__all__ = ["Limits", "all_limits", "limits_for"]
