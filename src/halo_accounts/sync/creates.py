"""Settling a batch of package creates (customers, items): each outcome confirmed, held, or left for reconcile.

Every create was journalled before the batch was sent. A refusal is held with the package's words; an answer
that may still apply later (retryable) leaves its entry "sent" so `reconcile` looks it up next run, and the
run stops once the rest of the batch is settled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from halo_accounts.ledgers.port import LedgerError, Outcome, RecordRejected
from halo_accounts.sync.plan import Action
from halo_accounts.sync.preflight import Problem

if TYPE_CHECKING:
    from halo_accounts.sync.engine import SyncEngine


def settle(eng: SyncEngine, kind: str, actions: Sequence[Action], entry_ids: Sequence[int],
           outcomes: Sequence[Outcome], *, created: Callable[[Action, int, Any], str],
           failed: Callable[[Action, LedgerError], None]) -> None:
    """Apply each outcome. ``created(action, entry_id, record)`` records a new package record and returns its
    reference; ``failed(action, error)`` forgets a pending one. Raises the first retryable error at the end."""
    ctx = eng.ctx
    assert ctx is not None
    stop: LedgerError | None = None
    for action, entry_id, outcome in zip(actions, entry_ids, outcomes, strict=True):
        exc = outcome.error
        if exc is not None and not isinstance(exc, RecordRejected) and exc.retryable:
            stop = stop or exc  # left "sent": looked up in the package next run
            continue
        if exc is not None:
            eng.store.journal_fail(entry_id, code=exc.code, message=exc.message)
            failed(action, exc)
            if isinstance(exc, RecordRejected):
                problem = Problem("sync.ledger_rejected", {"ledger": ctx.package, "record": action.label,
                                                           "detail": exc.message, "key": action.key})
            else:
                problem = Problem("sync.ledger_failed", {"ledger": ctx.package, "record": action.label,
                                                         "detail": exc.message})
            eng.hold_now(kind, action.halo_id, action.label, problem)
            continue
        created(action, entry_id, outcome.created)
        eng.release(kind, action.halo_id)
        eng.report.bump(kind, "created")
    if stop is not None:
        raise stop
