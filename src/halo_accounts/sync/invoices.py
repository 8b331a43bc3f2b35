"""Invoices and credit notes: Halo -> the package, in batches (one package round trip each), then marked
posted in Halo with the package's number (one batched POST each). Selection follows Halo's settings, and
every invoice not sent is reported with the reason."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from halo_accounts.ledgers.port import Invoice, LedgerError, Posted, RecordRejected, batched
from halo_accounts.sync import credits, review
from halo_accounts.sync import fields as f
from halo_accounts.sync.context import ISSUED_FIELD, NO_SYNC_FIELDS, missing_deciders
from halo_accounts.sync.eligibility import why_not
from halo_accounts.sync.mapping import (
    KIND_FIELD,
    ResolvedLine,
    clean,
    credit_sign,
    external_key,
    halo_fingerprint,
    label,
    ledger_invoice,
    line_item_id,
    record_kind,
    tag_kind,
)
from halo_accounts.sync.plan import WRITE_BACK_CHUNK, Action, Plan
from halo_accounts.sync.preflight import Problem, check_invoice

if TYPE_CHECKING:
    from halo_accounts.sync.engine import SyncEngine


def read(eng: SyncEngine, plan: Plan) -> list[Any]:
    """Halo's invoices and credit notes not yet posted (lines included): one paged list, no history."""
    out: list[dict[str, Any]] = []
    for inv in pending_documents(eng.halo):
        out.append(slim(inv))
    plan.notes.append(f"Halo has {len(out)} invoices and credit notes not marked posted.")
    return out


def pending_documents(halo: Any) -> Any:
    """Every not-posted Halo invoice and credit note, whole, each tagged with its kind (`KIND_FIELD`).

    Credit notes are told by asking Halo (``includecredits``/``includeinvoices``, halo/NOTES.md §7.1 [C spec]),
    never by the sign of the total, so a credit note with positive amounts is never posted as an invoice
    (issue 8.5); one list more a run (usually one page).
    """
    for kind, only in (("invoice", {"includecredits": False}), ("credit", {"includeinvoices": False})):
        for inv in halo.invoices(notpostedonly=True, includelines=True, **only):
            # [?] halo/NOTES.md §7.1/§12 step 5: whether list rows carry `lines` with includelines=true is not
            # confirmed (the inferred contract fetches /Invoice/{id}); a row without lines is fetched whole.
            # A row without a field that decides whether it may go (an abbreviated list view, halo/NOTES.md §3)
            # is fetched whole too: unknown means not ready, never a guess.
            if not f.get(inv, "lines") or missing_deciders(inv):
                inv = halo.invoice(int(f.get(inv, "id")))
            yield tag_kind(inv, kind)


#: The invoice and line fields the engine reads; everything else Halo sends is dropped on reading, so that
#: memory per not-posted invoice stays small (the plan holds them all before applying).
HEADER_FIELDS = ("id", "invoicenumber", "client_id", "client_name", "invoice_date", "duedate", "reference",
                 "cust_order_number", "order_number", "total", "voided", "requires_approval", "approval_status",
                 "approvaldatetime", "global_nom_code", "tax_total", "creditlinkedtoinvoiceid", ISSUED_FIELD,
                 KIND_FIELD, *NO_SYNC_FIELDS)
LINE_FIELDS = ("id", "item_shortdescription", "item_longdescription", "qty_order", "unit_price", "net_amount",
               "tax_amount", "tax_code", "nominal_code", "sequenceid")


def slim(invoice: Any) -> dict[str, Any]:
    """The fields of a Halo invoice the sync uses, as a plain dict (lines included)."""
    out = {name: value for name in HEADER_FIELDS if (value := f.get(invoice, name)) is not None}
    out["lines"] = [
        {"_itemid": line_item_id(line), **{n: v for n in LINE_FIELDS if (v := f.get(line, n)) is not None}}
        for line in f.get(invoice, "lines", []) or []
    ]
    return out


def item_ids(invoice: Any) -> set[int]:
    return {iid for line in f.get(invoice, "lines", []) or [] if (iid := line_item_id(line)) is not None}


#: The store link kind the file export (`sync/file_export.py` LINK_EXPORT) gives each invoice it wrote; ``number``
#: is the batch. Such an invoice waits for `halo-accounts export confirm N`, which links it as "invoice"/"credit".
EXPORT_LINK = "export"


def plan(eng: SyncEngine, plan: Plan, pending: list[Any]) -> None:
    ctx = eng.ctx
    assert ctx is not None
    exported = {link.halo_id: link for link in eng.store.links(EXPORT_LINK)}
    review_first = bool(getattr(getattr(eng.settings, "sync", None), "review_first", False))
    approved = review.approved(eng.store) if review_first else set()
    # Held invoices Halo no longer lists as not posted (posted by hand, deleted) are held no longer.
    listed = {str(f.get(inv, "id")) for inv in pending}
    for held in eng.store.held():
        if held.kind in ("invoice", "credit") and held.halo_id not in listed:
            eng.release(held.kind, held.halo_id)
    for n, invoice in enumerate(pending):
        if n % 200 == 0:
            eng.progress("checking invoices", n, len(pending))
        kind = record_kind(invoice)
        halo_id = str(f.get(invoice, "id"))
        record = label(invoice)
        client_id = f.ident(f.get(invoice, "client_id"))
        client = ctx.clients.get(client_id or 0)
        name = clean(f.get(client, "name", "")) or clean(f.get(invoice, "client_name", ""))
        fingerprint = halo_fingerprint(invoice)
        key = external_key(ctx.tenant, halo_id)
        if f.flag(invoice, "voided"):
            eng.release(kind, halo_id)
            plan.add(Action(kind, "skip", halo_id, record, problem=Problem("sync.skip_voided", {"record": record}),
                            source=invoice))
            continue
        link = eng.store.get_link(kind, halo_id)
        if link is not None:
            _plan_posted(eng, plan, invoice, kind, halo_id, record, link, fingerprint)
            continue
        if halo_id in exported:  # in a Sage import file not yet confirmed: posting it too would post it twice
            eng.release(kind, halo_id)
            plan.add(Action(kind, "skip", halo_id, record, problem=Problem("sync.skip_exported", {
                "record": record, "batch": exported[halo_id].number}), source=invoice))
            continue
        held_back = why_not(ctx, invoice, client, record)
        if held_back is not None:
            eng.release(kind, halo_id)
            plan.add(Action(kind, "skip", halo_id, record, problem=held_back, source=invoice))
            continue
        sticky = eng.sticky_hold(kind, halo_id)
        if sticky is not None:
            plan.add(Action(kind, "hold", halo_id, record, problem=sticky, source=invoice, sticky=True))
            continue
        checks, lines, number = check_invoice(ctx, invoice)
        if checks.problem is not None:
            plan.add(Action(kind, "hold", halo_id, record, checks.items, problem=checks.problem, source=invoice))
            continue
        if review_first and not eng.dry_run and halo_id not in approved:  # ready: a preview shows it, to be approved
            eng.release(kind, halo_id)  # not held any more: it waits for approval only
            plan.add(Action(kind, "skip", halo_id, record, problem=Problem("sync.awaiting_review", {
                "record": record}), source=invoice))
            continue
        plan.add(Action(kind, "post", halo_id, record, checks.items,
                        detail={"number": number or "(assigned by " + ctx.package + ")", "external_key": key,
                                "client": name, "total": str(f.money(f.get(invoice, "total")))},
                        source=invoice, extra=_Pending(lines, number, key, fingerprint)))
    eng.progress("checking invoices", len(pending), len(pending))


@dataclasses.dataclass
class _Pending:
    lines: list[ResolvedLine]
    number: str
    key: str
    fingerprint: str


def _plan_posted(eng: SyncEngine, plan: Plan, invoice: Any, kind: str, halo_id: str, record: str, link: Any,
                 fingerprint: str) -> None:
    """Already in the package (a confirmed link) but not marked posted in Halo: the write-back was lost,
    or the invoice was changed after it was posted."""
    ctx = eng.ctx
    assert ctx is not None
    sticky = eng.sticky_hold(kind, halo_id)
    if sticky is not None and sticky.code == "sync.total_mismatch":  # stays held until `retry`
        plan.add(Action(kind, "hold", halo_id, record, problem=sticky, source=invoice, sticky=True,
                        detail={"number": link.number}))
        return
    accept = f"{kind}:{halo_id}" in eng.retry_keys
    if link.fingerprint and link.fingerprint != fingerprint and not accept:
        problem = Problem("sync.invoice_drift", {"record": record, "ledger": ctx.package, "number": link.number,
                                                 "key": f"{kind}:{halo_id}"})
        plan.add(Action(kind, "hold", halo_id, record, problem=problem, source=invoice,
                        detail={"number": link.number}))
        return
    plan.add(Action(kind, "writeback", halo_id, record, detail={"number": link.number}, source=invoice,
                    extra=_Pending([], link.number, "", fingerprint if accept else link.fingerprint)))


def _build(eng: SyncEngine, action: Action) -> Invoice | Problem:
    """The package invoice for a planned post, with the references created earlier in this run filled in."""
    ctx = eng.ctx
    assert ctx is not None
    pending: _Pending = action.extra
    invoice = action.source
    client_id = f.ident(f.get(invoice, "client_id")) or 0
    customer_ref = ctx.customer_refs.get(client_id)
    if not customer_ref:
        client = ctx.clients.get(client_id)
        return Problem("sync.customer_not_ready", {
            "record": action.label, "name": clean(f.get(client, "name", "")), "client_id": client_id,
            "ledger": ctx.package, "reason": ctx.customer_problems.get(client_id, "it could not be created.")})
    lines = []
    for line in pending.lines:
        if not line.product_ref and line.item_id is not None and line.item_id in ctx.product_refs:
            line = dataclasses.replace(line, product_ref=ctx.product_refs[line.item_id])
        elif not line.product_ref and line.item_id is not None and line.item_id in ctx.product_problems:
            item = ctx.items.get(line.item_id)
            return Problem("sync.item_not_ready", {"name": clean(f.get(item, "name", "")), "item_id": line.item_id,
                                                   "record": action.label, "ledger": ctx.package,
                                                   "reason": ctx.product_problems[line.item_id]})
        lines.append(line)
    return ledger_invoice(invoice, customer_ref=customer_ref, number=pending.number, key=pending.key, lines=lines,
                          zone=ctx.zone)


def _request(inv: Invoice, fingerprint: str) -> dict[str, Any]:
    return {"number": inv.number, "kind": inv.kind, "external_key": inv.external_key, "fingerprint": fingerprint,
            "customer_ref": inv.customer_ref, "date": inv.date.isoformat(), "net": str(inv.net_total),
            "tax": str(inv.tax_total),
            # descriptions cut to 60 in the audit trail only (our choice; the package gets them whole)
            "lines": [[ln.product_ref, ln.description[:60], str(ln.quantity), str(ln.unit_price), str(ln.net_amount),
                       str(ln.tax_amount), ln.tax_code, ln.account_code] for ln in inv.lines]}


def apply(eng: SyncEngine, plan: Plan) -> None:
    ctx = eng.ctx
    assert ctx is not None
    posts = [a for a in plan.actions if a.kind in ("invoice", "credit") and a.op == "post"]
    writebacks = [a for a in plan.actions if a.kind in ("invoice", "credit") and a.op == "writeback"]
    total = len(posts) + len(writebacks)
    done = 0
    for chunk in batched(writebacks, WRITE_BACK_CHUNK):  # type: ignore[arg-type]
        _mark_posted(eng, [(a, a.extra.number, a.extra.fingerprint) for a in chunk])  # type: ignore[attr-defined]
        done += len(chunk)
        eng.progress("invoices", done, total)
    marks: list[tuple[Action, str, str]] = []
    for chunk in batched(posts, eng.batch_size):  # type: ignore[arg-type]
        marks.extend(_post_batch(eng, chunk))  # type: ignore[arg-type]
        if len(marks) >= WRITE_BACK_CHUNK:
            _mark_posted(eng, marks)
            marks = []
        done += len(chunk)
        eng.progress("invoices", done, total)
    _mark_posted(eng, marks)
    credits.apply(eng, plan)


def _post_batch(eng: SyncEngine, chunk: list[Action]) -> list[tuple[Action, str, str]]:
    """Post one batch in one package round trip; what was posted (to be marked posted in Halo)."""
    ctx = eng.ctx
    assert ctx is not None
    ready: list[tuple[Action, Invoice]] = []
    for action in chunk:
        built = _build(eng, action)
        if isinstance(built, Problem):
            eng.hold_now(action.kind, action.halo_id, action.label, built)
            continue
        ready.append((action, built))
    if not ready:
        return []
    entry_ids = eng.journal_many("ledger", "post", [
        (a.kind, a.halo_id, inv.external_key or inv.number, _request(inv, a.extra.fingerprint)) for a, inv in ready])
    by_key = {inv.external_key or inv.number: (entry_id, a, inv) for entry_id, (a, inv) in zip(entry_ids, ready,
                                                                                                 strict=True)}
    outcomes = eng.ledger.post_invoices([inv for _, inv in ready])  # LedgerUnavailable: entries stay "sent"
    posted: list[tuple[Action, str, str]] = []
    with eng.store.transaction():
        for outcome in outcomes:
            hit = by_key.get(outcome.key)
            if hit is None:
                continue
            entry_id, action, inv = hit
            if outcome.posted is not None:
                number = outcome.posted.number or inv.number
                eng.store.journal_confirm(entry_id, ledger_ref=outcome.posted.ledger_id, number=number,
                                          response=f"{outcome.posted.ledger_id} {number} {outcome.posted.total}")
                # the package's own id (TxnID), not the user-editable number: payments are matched by it
                eng.store.link(action.kind, action.halo_id, outcome.posted.ledger_id or number, number=number,
                               fingerprint=action.extra.fingerprint, customer_ref=inv.customer_ref)
                eng.report.bump(action.kind, "posted")
                mismatch = total_mismatch(ctx.package, action, outcome.posted, number)
                if mismatch is not None:  # in the package (linked: never posted again) but not marked posted
                    eng.release(action.kind, action.halo_id)
                    eng.hold_now(action.kind, action.halo_id, action.label, mismatch)
                    continue
                eng.release(action.kind, action.halo_id)
                posted.append((action, number, action.extra.fingerprint))
                continue
            error = outcome.error or LedgerError("sync.ledger_failed", ledger=ctx.package, record=action.label,
                                                 detail="no answer")
            eng.store.journal_fail(entry_id, code=error.code, message=error.message)
            if isinstance(error, RecordRejected) or not error.retryable:
                problem = Problem("sync.ledger_rejected", {"ledger": ctx.package, "record": action.label,
                                                           "detail": error.message, "key": action.key})
            else:
                problem = Problem("sync.ledger_failed", {"ledger": ctx.package, "record": action.label,
                                                         "detail": error.message})
            eng.hold_now(action.kind, action.halo_id, action.label, problem)
    return posted


#: The largest difference between the package's and Halo's total (or tax) that is not a mismatch: one penny of
#: rounding (issue 8: "a difference over 0.01 is held as a mismatch").
TOLERANCE = Decimal("0.01")


def halo_amounts(invoice: Any) -> tuple[Decimal, Decimal]:
    """Halo's total and tax of an invoice as the package should hold them (credit notes positive)."""
    lines = f.get(invoice, "lines", []) or []
    net = sum((f.money(f.get(line, "net_amount")) for line in lines), Decimal("0"))
    tax = sum((f.money(f.get(line, "tax_amount")) for line in lines), Decimal("0"))
    header_tax = f.get(invoice, "tax_total")
    if header_tax is not None:
        tax = f.money(header_tax)
    header_total = f.get(invoice, "total")
    total = f.money(header_total) if header_total is not None else net + tax
    sign = credit_sign(invoice)
    return total * sign, tax * sign


def total_mismatch(package: str, action: Action, posted: Posted, number: str) -> Problem | None:
    """A held reason when the package's total or tax differs from Halo's by more than `TOLERANCE`."""
    halo_total, halo_tax = halo_amounts(action.source)
    off_total = abs(posted.total - halo_total) > TOLERANCE
    off_tax = posted.tax is not None and abs(posted.tax - halo_tax) > TOLERANCE
    if not (off_total or off_tax):
        return None
    return Problem("sync.total_mismatch", {
        "record": action.label, "ledger": package, "number": number, "ledger_total": str(posted.total),
        "ledger_tax": str(posted.tax) if posted.tax is not None else "(not given)", "halo_total": str(halo_total),
        "halo_tax": str(halo_tax), "key": action.key})


def _mark_posted(eng: SyncEngine, items: list[tuple[Action, str, str]]) -> None:
    """Halo shows the invoices posted, when, and under which package number (no `lines`: NOTES §14.5)."""
    if not items:
        return
    when = eng.now_iso()
    rows = [(a.kind, a.halo_id, number, {"id": int(a.halo_id), "posted": True, "dateposted": when,
                                          "thirdpartyinvoicenumber": number}) for a, number, _ in items]
    labels = {a.halo_id: a.label for a, _, _ in items}
    saved = eng.halo_save("Invoice", "mark_posted", rows, labels)
    done = {row[1] for row, _ in saved}
    for action, _number, fingerprint in items:
        if action.halo_id not in done:
            continue
        if action.op == "writeback":
            link = eng.store.get_link(action.kind, action.halo_id)
            if link is not None and link.fingerprint != fingerprint:
                eng.store.link(action.kind, action.halo_id, link.ledger_ref, number=link.number,
                               fingerprint=fingerprint)
            eng.release(action.kind, action.halo_id)
        eng.report.bump(action.kind, "written_back")
