"""Open the configured package as a `Ledger` for push transports (QuickBooks over COM, Sage 50 UK over SDO).

Windows-only pieces are imported lazily, here and only when chosen. The Web Connector is a pull transport:
its ledger exists only inside a Web Connector update (see `halo-accounts serve`), so it is refused here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import Ledger

#: A replacement opener (tests, demos): ``OVERRIDE(settings, control) -> Ledger``. Product code never sets it.
OVERRIDE: Callable[[Any, Any], Ledger] | None = None
#: A stand-in for the Sage Data Objects COM engine (tests, demos): ``SDO_ENGINE_FACTORY(version) -> engine``.
#: When set, Sage 50 UK opens through the real connector without Windows. Product code never sets it.
SDO_ENGINE_FACTORY: Callable[[int], Any] | None = None

KINDS = ("quickbooks", "sage50uk", "sage50ca")


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
    if kind == "quickbooks":
        with _quickbooks(settings) as ledger:
            yield ledger
        return
    if kind == "sage50uk":
        if SDO_ENGINE_FACTORY is None:
            _windows_only("Sage 50 UK (Sage Data Objects)", "Sage 50", "the Sage 50 CSV import files")
        from halo_accounts.ledgers.sage50uk.ledger import Sage50UKLedger
        from halo_accounts.ledgers.sage50uk.sdo.transport import connection_settings

        with Sage50UKLedger.open(connection_settings(settings, control), engine_factory=SDO_ENGINE_FACTORY,
                                 **sage50uk_options(control, settings.sage50uk.invoice_types)) as sage:
            yield sage
        return
    raise HaloAccountsError("sync.ledger_kind_unsupported", package=kind, choices=", ".join(KINDS[:2]),
                            path=settings.source or "the configuration file")


def sage50uk_options(control: Any, invoice_types: dict[str, str] | None = None) -> dict[str, Any]:
    """How Halo says Sage 50 UK invoices are posted: Control ``sage50ukinvoicetype`` -> the connector's route
    (the table is `ledgers/sage50uk/routes.py` HALO_INVOICE_TYPES with `[sage50uk] invoice_types` over it; an
    unknown value is refused there, plainly)."""
    from halo_accounts.ledgers.sage50uk.routes import route_for
    from halo_accounts.sync import fields as f

    return {"invoice_route": route_for(f.get(control, "sage50ukinvoicetype"), invoice_types)}


@contextmanager
def _quickbooks(settings: Any) -> Iterator[Ledger]:
    if settings.quickbooks.transport == "webconnector":
        raise HaloAccountsError("sync.webconnector_only_in_serve")
    _windows_only("QuickBooks over COM", "QuickBooks Desktop",
                  'the Web Connector ([quickbooks] transport = "webconnector") with halo-accounts serve')
    from halo_accounts.ledgers.quickbooks.com import ComTransport
    from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger

    transport = ComTransport(settings.quickbooks.app_name, settings.quickbooks.company_file)
    try:
        ledger = QuickBooksLedger(transport)
        yield ledger
        ledger.close()
    finally:
        transport.close()


def _windows_only(what: str, package: str, alternative: str) -> None:
    if sys.platform != "win32":
        raise HaloAccountsError("sync.windows_only", what=what, package=package, alternative=alternative)
