"""May this Halo invoice go to the package yet? Halo's own "may this sync" settings, each with its own reported
reason; what Halo does not say is "not ready", never a guess (issue 8.4). Used by the sync and the file export."""

from __future__ import annotations

from typing import Any

from halo_accounts.sync import fields as f
from halo_accounts.sync.context import (
    CONTROL_APPROVAL,
    CONTROL_APPROVALS_ENABLED,
    CONTROL_ONLY_SENT,
    Context,
    is_approved,
    is_issued,
    status_disallows_sync,
)
from halo_accounts.sync.mapping import clean
from halo_accounts.sync.preflight import Problem


def why_not(ctx: Context, invoice: Any, client: Any | None, record: str) -> Problem | None:
    """The skip reason of an invoice Halo's settings keep back (voided is checked by the caller first); None when
    it may go."""
    if client is not None and f.flag(client, "excludefrominvoicesync"):
        return Problem("sync.skip_excluded", {"record": record, "name": clean(f.get(client, "name", ""))})
    if status_disallows_sync(invoice):
        return Problem("sync.skip_status", {"record": record})
    if ctx.only_sent and not is_issued(invoice):
        return Problem("sync.skip_not_sent", {"record": record, "setting": CONTROL_ONLY_SENT})
    if ctx.approval_required or ctx.approvals_enabled:
        approved = is_approved(invoice)
        if approved is None:
            return Problem("sync.skip_approval_unknown", {"record": record})
        if not approved:
            code = "sync.skip_unapproved" if ctx.approval_required else "sync.skip_awaiting_approval"
            return Problem(code, {"record": record, "setting": CONTROL_APPROVAL if ctx.approval_required
                                  else CONTROL_APPROVALS_ENABLED})
    return None
