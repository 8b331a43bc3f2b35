"""Credit notes applied to the invoice they credit where Halo links them (`creditlinkedtoinvoiceid`, halo/NOTES.md
§7.2), in packages that can (QuickBooks: InvoiceMod SetCredit). Journalled before sending, exactly once."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from halo_accounts.ledgers.port import LedgerError
from halo_accounts.messages import render
from halo_accounts.sync import fields as f
from halo_accounts.sync.plan import Plan
from halo_accounts.sync.report import Entry

if TYPE_CHECKING:
    from halo_accounts.sync.engine import SyncEngine

#: Store link kind: Halo credit note id -> "<credit id>><invoice id>" once the credit is applied in the package.
LINK = "credit_applied"
#: The journal action of an application.
ACTION = "apply_credit"


def apply(eng: SyncEngine, plan: Plan) -> None:
    """Apply every credit note this run posted (or found posted) to the invoice Halo links it to."""
    if not callable(getattr(eng.ledger, "apply_credits", None)):
        return
    todo: list[tuple[str, str, str, str]] = []
    for action in plan.actions:
        if action.kind != "credit" or action.op not in ("post", "writeback"):
            continue
        target = f.ident(f.get(action.source, "creditlinkedtoinvoiceid"))
        if target is None or eng.store.get_link(LINK, action.halo_id) is not None:
            continue
        credit = eng.store.get_link("credit", action.halo_id)
        invoice = eng.store.get_link("invoice", str(target))
        if credit is None or eng.was_held("credit", action.halo_id):
            continue  # not (cleanly) in the package: nothing to apply yet
        if invoice is None:
            _not_applied(eng, action.halo_id, action.label, "sync.credit_invoice_missing", invoice_id=target)
            continue
        todo.append((action.halo_id, action.label, credit.ledger_ref, invoice.ledger_ref))
    apply_many(eng, todo)


def apply_many(eng: SyncEngine, todo: list[tuple[str, str, str, str]]) -> None:
    """Journal, send (one batch) and confirm applications: (Halo credit id, label, credit id, invoice id) each.
    A package refusal is reported and the run goes on; the package unreachable leaves the entries "sent"."""
    if not todo:
        return
    entry_ids = eng.journal_many("ledger", ACTION, [
        ("credit", halo_id, f"{credit_id}>{invoice_id}", {"credit": credit_id, "invoice": invoice_id})
        for halo_id, _, credit_id, invoice_id in todo])
    results = eng.ledger.apply_credits([(c, i) for _, _, c, i in todo])  # type: ignore[attr-defined]
    for entry_id, (halo_id, label, credit_id, invoice_id), result in zip(entry_ids, todo, results, strict=True):
        if isinstance(result, LedgerError):
            if result.retryable:
                continue  # unanswered: stays "sent", looked up first by the next run
            eng.store.journal_fail(entry_id, code=result.code, message=result.message)
            _not_applied(eng, halo_id, label, "sync.credit_not_applied", detail=result.message)
            continue
        with eng.store.transaction():
            eng.store.journal_confirm(entry_id, ledger_ref=invoice_id, number=str(result),
                                      response=f"applied {result}")
            eng.store.link(LINK, halo_id, f"{credit_id}>{invoice_id}", number=str(result))
        eng.report.bump("credit", "applied")


def reconcile(eng: SyncEngine, entry: Any) -> None:
    """An application left "sent": look in the package; if it did not land, apply it now."""
    try:
        req = json.loads(entry.request or "{}")
    except ValueError:
        req = {}
    credit_id, invoice_id = str(req.get("credit", "")), str(req.get("invoice", ""))
    landed = bool(credit_id and invoice_id) and eng.ledger.credit_applied(credit_id, invoice_id)  # type: ignore
    with eng.store.transaction():
        if landed:
            eng.store.link(LINK, entry.halo_id, entry.key, number="")
        eng.store.journal_reconciled(entry.id, found=landed, ledger_ref=invoice_id if landed else "")
    if not landed and credit_id and invoice_id:
        apply_many(eng, [(entry.halo_id, f"credit note (Halo id {entry.halo_id})", credit_id, invoice_id)])


def _not_applied(eng: SyncEngine, halo_id: str, label: str, code: str, **params: Any) -> None:
    ctx = eng.ctx
    message, fix = render(code, record=label, ledger=ctx.package if ctx else "the package", **params)
    eng.report.skipped.append(Entry("credit", halo_id, label, code, message, fix))
    eng.report.bump("credit", "not_applied")
