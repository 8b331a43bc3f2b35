"""Exactly once: writes left "sent" (a crash, a timeout, a lost Web Connector session) are looked up in
the package or in Halo at the start of the next run, before anything is sent again."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from halo_accounts.sync import credits
from halo_accounts.sync import fields as f
from halo_accounts.sync.plan import Action, Plan

if TYPE_CHECKING:
    from halo_accounts.sync.engine import SyncEngine

log = logging.getLogger("halo_accounts.sync.reconcile")


def _request(entry: Any) -> dict[str, Any]:
    try:
        value = json.loads(entry.request or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def before_plan(eng: SyncEngine) -> None:
    """Package writes (look the record up in the package) and Halo payments (look them up in Halo)."""
    for entry in eng.store.unconfirmed("ledger"):
        req = _request(entry)
        if entry.action == credits.ACTION:
            credits.reconcile(eng, entry)
        elif entry.kind in ("invoice", "credit"):
            found = eng.ledger.find_invoice(req.get("number", ""), entry.kind, req.get("external_key", entry.key))
            if found is not None:
                number = found.number or req.get("number", "")
                with eng.store.transaction():
                    eng.store.link(entry.kind, entry.halo_id, found.ledger_id or number, number=number,
                                   fingerprint=req.get("fingerprint", ""), customer_ref=req.get("customer_ref", ""))
                    eng.store.journal_reconciled(entry.id, found=True, ledger_ref=found.ledger_id, number=number)
            else:
                eng.store.journal_reconciled(entry.id, found=False)
        elif entry.kind == "customer":
            customer = eng.ledger.find_customer(name=req.get("name", entry.key))
            with eng.store.transaction():
                if customer is not None:
                    eng.store.link("customer", entry.halo_id, customer.ref, number=customer.name)
                eng.store.journal_reconciled(entry.id, found=customer is not None,
                                             ledger_ref=customer.ref if customer else "")
        elif entry.kind == "item":
            product = eng.ledger.find_product(code=req.get("code", entry.key))
            with eng.store.transaction():
                if product is not None:
                    eng.store.link("item", entry.halo_id, product.ref or product.code, number=product.code)
                eng.store.journal_reconciled(entry.id, found=product is not None,
                                             ledger_ref=(product.ref or product.code) if product else "")
        else:
            eng.store.journal_reconciled(entry.id, found=False)
        eng.report.bump(entry.kind, "reconciled")
    for entry in eng.store.unconfirmed("halo"):
        if entry.kind != "payment":
            continue
        invoice_id = f.ident(entry.halo_id)
        match = None
        if invoice_id is not None:
            match = next((p for p in eng.halo.payments(invoice_id=invoice_id)
                          if entry.key in (f.text(p, "thirdpartyid"), f.text(p, "sage50_reference"))), None)
        with eng.store.transaction():
            if match is not None:
                eng.store.link("payment", str(f.get(match, "id")), entry.key, number=entry.halo_id)
            eng.store.journal_reconciled(entry.id, found=match is not None,
                                         ledger_ref=str(f.get(match, "id", "")) if match is not None else "")
        eng.report.bump("payment", "reconciled")


def after_read(eng: SyncEngine, plan: Plan) -> None:
    """Halo write-backs (posted flags, Accounts IDs): settled from the lists this run has just read.

    An invoice write-back landed if the invoice is no longer in Halo's not-posted list; an Accounts ID
    landed if the client or item now carries it. Those that did not land are redone by this run's plan.
    """
    ctx = eng.ctx
    entries = [e for e in eng.store.unconfirmed("halo") if e.action in ("mark_posted", "set_accountsid")]
    if not entries or ctx is None:
        return
    not_posted = {a.halo_id for a in plan.actions if a.kind in ("invoice", "credit")}
    with eng.store.transaction():
        for entry in entries:
            req = _request(entry)
            if entry.kind in ("invoice", "credit"):
                if "invoices" not in plan.only:
                    continue
                found = entry.halo_id not in not_posted
            elif entry.kind == "customer":
                client = ctx.clients.get(f.ident(entry.halo_id) or 0)
                if client is None and "customers" not in plan.only and "invoices" not in plan.only:
                    continue
                found = client is not None and f.text(client, "accountsid") == str(req.get("accountsid", ""))
            elif entry.kind == "item":
                item = ctx.items.get(f.ident(entry.halo_id) or 0)
                if item is None and "items" not in plan.only and "invoices" not in plan.only:
                    continue
                found = item is not None and f.text(item, "accountsid") == str(req.get("accountsid", ""))
            else:
                found = False
            eng.store.journal_reconciled(entry.id, found=found)
            eng.report.bump(entry.kind, "reconciled")


def plan_pending(eng: SyncEngine, plan: Plan) -> None:
    """Dry run: show the writes a real run would first look up (without looking or writing)."""
    for entry in eng.store.unconfirmed():
        where = eng.ctx.package if entry.target == "ledger" and eng.ctx is not None else "Halo"
        plan.add(Action(entry.kind, "reconcile", entry.halo_id,
                        f"{entry.action} {entry.kind} {entry.key} (unconfirmed since {entry.created})",
                        detail={"look_up_in": where, "journal_entry": entry.id}))
