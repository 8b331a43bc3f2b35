"""The Web Connector job: each Web Connector update runs one sync through the update's qbXML transport.

`halo-accounts serve` hands `webconnector_job(settings)` to the Web Connector server; the ledger exists only
for the length of that update (the Web Connector is the one calling).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from halo_accounts import config
from halo_accounts.sync import queued

log = logging.getLogger("halo_accounts.sync.serve")


def webconnector_job(settings: Any, *, halo_factory: Callable[..., Any] | None = None,
                     on_report: Callable[[Any], None] | None = None) -> Callable[[Any], None]:
    """A ``job(transport)`` for `create_app`: opens Halo and the store, runs the engine over the transport."""
    lock = threading.Lock()  # one sync at a time, even if two updates overlap

    def job(transport: Any) -> None:
        from halo_accounts.halo import HaloClient
        from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
        from halo_accounts.store import Store
        from halo_accounts.sync import SyncEngine

        with lock:
            path = config.store_path(settings)
            path.parent.mkdir(parents=True, exist_ok=True)
            opener = halo_factory or HaloClient.from_settings
            ledger = QuickBooksLedger(transport)
            with Store.open(path) as store, store.run_lock():  # held across the queued commands and the sync
                queued.run_pending(store, ledger, settings, opener)
                retry = queued.pending_retry(store)
                with opener(settings) as client:
                    report = SyncEngine(client, ledger, store, settings).run(command="serve", retry=retry)
                if report.status != "interrupted":
                    queued.clear_retry(store, retry)
            log.info("Web Connector sync: %s %s", report.status, report.flat_counts())
            if on_report is not None:
                on_report(report)

    return job
