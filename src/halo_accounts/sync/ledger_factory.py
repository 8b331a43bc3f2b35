"""Open the configured package as a `Ledger` for push transports, as its folder's descriptor says
(`ledgers/<kind>/package.py`: ``open(settings, control)``). Windows-only pieces are imported there, lazily."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers import registry
from halo_accounts.ledgers.port import Ledger

#: A replacement opener (tests, demos): ``OVERRIDE(settings, control) -> Ledger``. Product code never sets it.
OVERRIDE: Callable[[Any, Any], Ledger] | None = None


@contextmanager
def open_ledger(settings: Any, control: Any = None) -> Iterator[Ledger]:
    """The configured package, open for one run; closed (with its transport) afterwards."""
    if OVERRIDE is not None:
        ledger = OVERRIDE(settings, control)
        try:
            yield ledger
        finally:
            ledger.close()
        return
    kind = settings.ledger.kind
    package = registry.get(kind)
    if package is None:
        raise HaloAccountsError("sync.ledger_kind_unsupported", package=kind, choices=", ".join(registry.KINDS),
                                path=settings.source or "the configuration file")
    with package.open(settings, control) as ledger:
        yield ledger
