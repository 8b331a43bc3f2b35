"""Open QuickBooks for a push run (COM on Windows). The Web Connector is a pull transport: its ledger exists only
inside a Web Connector update (see `halo-accounts serve`), so it is refused here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import Ledger
from halo_accounts.ledgers.windows import require_windows


@contextmanager
def open_quickbooks(settings: Any, control: Any = None) -> Iterator[Ledger]:
    if settings.quickbooks.transport == "webconnector":
        raise HaloAccountsError("sync.webconnector_only_in_serve")
    require_windows("QuickBooks over COM", "QuickBooks Desktop",
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
