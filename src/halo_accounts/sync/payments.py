"""Payments: package -> Halo `/api/InvoicePayment`, partial ones too, each exactly once (keyed by the
package's payment id in `thirdpartyid`, and `sage50_reference` for Sage), read from a cursor."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from halo_accounts.ledgers import registry
from halo_accounts.ledgers.port import Payment
from halo_accounts.store.links import Link
from halo_accounts.sync.mapping import external_key
from halo_accounts.sync.plan import WRITE_BACK_CHUNK, Action, Plan
from halo_accounts.sync.tenant_time import halo_instant

if TYPE_CHECKING:
    from halo_accounts.sync.engine import SyncEngine

CURSOR = "payments.since"
#: Re-read this far behind the cursor: clocks of this PC and the package's may differ; the payment id
#: link makes re-reading harmless.
OVERLAP = timedelta(minutes=10)


def _since(eng: SyncEngine) -> datetime | None:
    raw = eng.store.get_cursor(CURSOR)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)) - OVERLAP


#: The key of a paid-to-date increment (`Payment.paid_to_date`): "<invoice id>~paid~<paid so far>", so the paid
#: amount already sent for an invoice is read back from the payment links, with nothing else to keep.
PAID_TO_DATE = "{invoice}~paid~{amount}"
_PAID_MARK = "~paid~"


def _paid_levels(eng: SyncEngine) -> dict[str, Decimal]:
    """Invoice id -> the paid-to-date amount already recorded in Halo (the highest increment linked)."""
    levels: dict[str, Decimal] = {}
    for link in eng.store.links("payment"):
        invoice, mark, amount = link.ledger_ref.rpartition(_PAID_MARK)
        if mark and invoice:
            try:
                level = Decimal(amount)
            except ArithmeticError:
                continue
            levels[invoice] = max(levels.get(invoice, Decimal(0)), level)
    return levels


def increment(payment: Payment, levels: dict[str, Decimal]) -> Payment | None:
    """The part of a paid-to-date amount not yet recorded (None when nothing is new), keyed by the new level."""
    invoice = payment.invoice_ledger_id or payment.invoice_number
    paid = payment.amount.quantize(Decimal("0.01"))
    new = paid - levels.get(invoice, Decimal(0))
    if new <= 0:  # nothing new (or less than before: a refund or reversal in the package; not sent as a payment)
        return None
    return replace(payment, ledger_id=PAID_TO_DATE.format(invoice=invoice, amount=paid), amount=new,
                   paid_to_date=False)


def plan(eng: SyncEngine, plan: Plan) -> None:
    ctx = eng.ctx
    assert ctx is not None
    started = datetime.now(UTC)
    newest: datetime | None = None
    foreign = 0
    levels: dict[str, Decimal] | None = None
    for read in eng.ledger.payments(_since(eng)):
        payment: Payment | None = read
        if read.paid_to_date:
            levels = _paid_levels(eng) if levels is None else levels
            payment = increment(read, levels)
            if payment is None:
                continue
        assert payment is not None
        if payment.modified is not None:
            stamp = payment.modified if payment.modified.tzinfo else payment.modified.replace(tzinfo=UTC)
            newest = stamp if newest is None or stamp > newest else newest
        if eng.store.find_link("payment", ledger_ref=payment.ledger_id) is not None:
            continue
        link = invoice_link(eng, payment)
        if link is None:
            foreign += 1
            continue
        record = f"payment {payment.reference or payment.ledger_id} of {payment.amount} on invoice {link.number}"
        plan.add(Action("payment", "pay", payment.ledger_id, record,
                        detail={"invoice_id": link.halo_id, "invoice_number": link.number,
                                "amount": str(payment.amount), "date": payment.date.isoformat()},
                        source=payment, extra=int(link.halo_id)))
    if foreign:
        plan.notes.append(f"{foreign} payments in {ctx.package} are for invoices that did not come from Halo; "
                          "they are left alone.")
        eng.report.bump("payment", "not_from_halo", foreign)
    cursor = min(started, newest) if newest is not None else started
    plan.cursor = cursor.isoformat()  # type: ignore[attr-defined]


def _same_customer(link: Link, payment: Payment) -> bool:
    """Whether the payment's customer is the one the invoice was posted to (unknown on either side: not refused)."""
    return not (link.customer_ref and payment.customer_ref) or \
        link.customer_ref.casefold() == payment.customer_ref.casefold()


def invoice_link(eng: SyncEngine, payment: Payment) -> Link | None:
    """The Halo invoice a package payment pays: by the package's own id of the invoice and by customer, never by
    the invoice number alone (qbxml/NOTES.md §3.6: RefNumber is not unique and can be edited), so a renumbered
    invoice is still found and a hand-keyed one that reuses our number for another customer is not ours.

    A link made before package ids were kept (its reference is the number) is matched by number only once the
    package confirms, by our key on the document, that the invoice paid is ours; the link is then upgraded."""
    if payment.invoice_ledger_id:
        link = eng.store.find_link("invoice", ledger_ref=payment.invoice_ledger_id)
        if link is not None:
            return link if _same_customer(link, payment) else None
    if not payment.invoice_number:
        return None
    legacy = eng.store.find_link("invoice", ledger_ref=payment.invoice_number)
    if legacy is None or legacy.customer_ref or legacy.ledger_ref != legacy.number:
        return None  # a current link is found by the package id above, never by the number
    if not payment.invoice_ledger_id:
        return legacy  # the package names no id for what the payment pays: the number is all there is
    ctx = eng.ctx
    assert ctx is not None
    found = eng.ledger.find_invoice(legacy.number, "invoice", external_key(ctx.tenant, legacy.halo_id))
    if found is None or found.ledger_id != payment.invoice_ledger_id:
        return None
    if not eng.dry_run:
        eng.store.link("invoice", legacy.halo_id, found.ledger_id, number=legacy.number,
                       fingerprint=legacy.fingerprint, customer_ref=payment.customer_ref)
    return eng.store.get_link("invoice", legacy.halo_id) if not eng.dry_run else legacy


def record(eng: SyncEngine, payment: Any, invoice_id: int) -> dict[str, Any]:
    ctx = eng.ctx
    assert ctx is not None
    row: dict[str, Any] = {"invoice_id": invoice_id, "date": halo_instant(payment.date, ctx.zone),
                           "amount": float(payment.amount), "thirdpartyid": payment.ledger_id}
    package = registry.get(ctx.info.kind)
    if package is not None and package.payment_reference_field:  # e.g. Sage 50's `sage50_reference`
        row[package.payment_reference_field] = payment.ledger_id
    return row


def apply(eng: SyncEngine, plan: Plan) -> None:
    actions = plan.of("payment", op="pay")
    for start in range(0, len(actions), WRITE_BACK_CHUNK):
        chunk = actions[start:start + WRITE_BACK_CHUNK]
        rows = [("payment", str(a.extra), a.halo_id, record(eng, a.source, a.extra)) for a in chunk]
        labels = {str(a.extra): a.label for a in chunk}
        saved = eng.halo_save("InvoicePayment", "create", rows, labels)
        with eng.store.transaction():
            for row, answer in saved:
                halo_payment = str(answer.get("id", "")) or f"invoice {row[1]}"
                eng.store.link("payment", halo_payment, row[2], number=row[1])
                eng.report.bump("payment", "paid")
        eng.progress("payments", start + len(chunk), len(actions))
    cursor = getattr(plan, "cursor", None)
    if cursor and not [h for h in eng.report.held if h.kind == "payment"]:
        eng.store.set_cursor(CURSOR, cursor)
