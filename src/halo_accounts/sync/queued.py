"""Commands that need the package but were given while it is reachable only through the Web Connector.

`halo-accounts import tax|items` queue themselves in the store; the next Web Connector update runs them
before its sync. Their outcome is kept with the queue entry and shown by `halo-accounts status`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from halo_accounts.errors import HaloAccountsError

log = logging.getLogger("halo_accounts.sync.queued")

#: Commands that can wait for the Web Connector, in the order they run.
COMMANDS = ("import tax", "import items")
PENDING = "pending"


def _cursor(command: str) -> str:
    return "queued:" + command


def queue(store: Any, command: str) -> None:
    """Ask the next Web Connector update to run ``command``."""
    assert command in COMMANDS
    store.set_cursor(_cursor(command), PENDING)


def states(store: Any) -> dict[str, str]:
    """Each queued command's state: "pending", "done: ..." or "failed: ..." (absent when never queued)."""
    out = {}
    for command in COMMANDS:
        value = store.get_cursor(_cursor(command))
        if value:
            out[command] = value
    return out


def run_pending(store: Any, ledger: Any, settings: Any, halo_factory: Callable[..., Any]) -> None:
    """Run every pending command over ``ledger`` (inside a Web Connector update)."""
    from halo_accounts.sync import SyncEngine, items, taxes

    for command in COMMANDS:
        if store.get_cursor(_cursor(command)) != PENDING:
            continue
        scope = "all admin" if command == "import tax" else None
        try:
            with halo_factory(settings, scope=scope) as client:
                engine = SyncEngine(client, ledger, store, settings)
                if command == "import tax":
                    result = taxes.import_taxes(engine)
                    outcome = f"done: {len(result.created)} created, {len(result.matched)} matched" + "".join(
                        f"; proposed: halo-accounts map tax {tid} {code}" for tid, _name, code in result.proposed)
                else:
                    outcome = f"done: {len(items.import_items(engine))} created"
        except HaloAccountsError as exc:
            outcome = f"failed: {exc.message} {exc.fix}".strip()
        store.set_cursor(_cursor(command), f"{outcome} ({store.now()})")
        log.info("queued %s: %s", command, outcome)


_RETRY = "queued:retry"


def queue_retry(store: Any, keys: list[str]) -> None:
    """Ask the next Web Connector update to retry these held records ("invoice:12", ...)."""
    current = [k for k in (store.get_cursor(_RETRY) or "").split(",") if k]
    store.set_cursor(_RETRY, ",".join(dict.fromkeys([*current, *keys])))


def pending_retry(store: Any) -> list[str]:
    return [k for k in (store.get_cursor(_RETRY) or "").split(",") if k]


def clear_retry(store: Any, done: list[str]) -> None:
    left = [k for k in pending_retry(store) if k not in done]
    store.set_cursor(_RETRY, ",".join(left))
