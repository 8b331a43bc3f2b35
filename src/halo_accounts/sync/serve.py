"""The Web Connector job: each Web Connector update runs one sync through the update's qbXML transport.

`halo-accounts serve` hands `webconnector_job(settings)` to the Web Connector server; the ledger exists only
for the length of that update (the Web Connector is the one calling).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from halo_accounts import config
from halo_accounts.ledgers.quickbooks.webconnector.qwc import DEFAULT_RUN_EVERY_MINUTES
from halo_accounts.sync import queued
from halo_accounts.sync.engine import NEXT_RUN

log = logging.getLogger("halo_accounts.sync.serve")
WEBCONNECTOR_SEEN = "webconnector.last_update"  # read by the console's health page
PAUSE_FILE = "halo-accounts.paused"  # beside the store, as `halo-accounts pause` writes it (cli/syncing.py)


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
            with Store.open(path) as store:
                store.set_cursor(WEBCONNECTOR_SEEN, store.now())
                due = datetime.now().astimezone() + timedelta(minutes=DEFAULT_RUN_EVERY_MINUTES)
                store.set_cursor(NEXT_RUN, f"{due.isoformat(timespec='seconds')} (the Web Connector's next update, "
                                           f"every {DEFAULT_RUN_EVERY_MINUTES} minutes as the .qwc asks)")
            if path.with_name(PAUSE_FILE).exists():  # `halo-accounts pause` or the console: no sync until resumed
                log.info("Web Connector update: paused, nothing done")
                return
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


def console_and_endpoint(settings: Any, *, config_path: Any = None,
                         on_report: Callable[[Any], None] | None = None) -> tuple[Any, Callable[[], None]]:
    """`halo-accounts serve`: the console, and the Web Connector endpoint when QuickBooks goes through it, in one
    app; and a function serving it (HTTPS unless on loopback: `listen_options`)."""
    from starlette.applications import Starlette

    from halo_accounts.console import create_console
    from halo_accounts.ledgers.quickbooks.webconnector import server

    routes = list(create_console(settings, config_path=config_path).routes)
    if settings.ledger.kind == "quickbooks" and settings.quickbooks.transport == "webconnector":
        endpoint = server.create_app(settings, webconnector_job(settings, on_report=on_report),
                                     company_file=settings.quickbooks.company_file)
        routes = [*endpoint.routes, *routes]
    app = Starlette(routes=routes)
    return app, lambda: server.serve(app, settings)
