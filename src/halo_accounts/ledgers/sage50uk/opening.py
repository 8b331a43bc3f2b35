"""Open Sage 50 UK for a run over Sage Data Objects (COM on Windows, or a stand-in engine set by tests and demos)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from halo_accounts.ledgers.port import Ledger
from halo_accounts.ledgers.windows import require_windows

#: A stand-in for the Sage Data Objects COM engine (tests, demos): ``SDO_ENGINE_FACTORY(version) -> engine``.
#: When set, Sage 50 UK opens through the real connector without Windows. Product code never sets it.
SDO_ENGINE_FACTORY: Callable[[int], Any] | None = None


@contextmanager
def open_sage50uk(settings: Any, control: Any = None) -> Iterator[Ledger]:
    if SDO_ENGINE_FACTORY is None:
        require_windows("Sage 50 UK (Sage Data Objects)", "Sage 50", "the Sage 50 CSV import files")
    from halo_accounts.ledgers.sage50uk.ledger import Sage50UKLedger
    from halo_accounts.ledgers.sage50uk.sdo.transport import connection_settings

    with Sage50UKLedger.open(connection_settings(settings, control), engine_factory=SDO_ENGINE_FACTORY,
                             **sage50uk_options(control, settings.sage50uk.invoice_types)) as sage:
        yield sage


def sage50uk_options(control: Any, invoice_types: dict[str, str] | None = None) -> dict[str, Any]:
    """How Halo says Sage 50 UK invoices are posted: Control ``sage50ukinvoicetype`` -> the connector's route
    (the table is `routes.py` HALO_INVOICE_TYPES with `[sage50uk] invoice_types` over it; an unknown value is
    refused there, plainly)."""
    from halo_accounts.ledgers.sage50uk.routes import route_for
    from halo_accounts.sync import fields as f

    return {"invoice_route": route_for(f.get(control, "sage50ukinvoicetype"), invoice_types)}
