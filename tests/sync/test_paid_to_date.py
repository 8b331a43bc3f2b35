"""Packages that keep amounts owing, not receipts (`Payment.paid_to_date`): only the part not yet in Halo is sent,
under a key that names the level reached, so a re-read never records the same money twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from halo_accounts.ledgers.port import Payment
from halo_accounts.sync.payments import PAID_TO_DATE, increment


def _paid(amount: str) -> Payment:
    return Payment(ledger_id="ignored", invoice_number="INV1", amount=Decimal(amount), date=date(2026, 12, 1),
                   invoice_ledger_id="INV1", paid_to_date=True)


def test_increments_follow_the_level_reached() -> None:
    first = increment(_paid("40"), {})
    assert first is not None and first.amount == Decimal("40.00") and not first.paid_to_date
    assert first.ledger_id == PAID_TO_DATE.format(invoice="INV1", amount=Decimal("40.00"))
    second = increment(_paid("100.00"), {"INV1": Decimal("40.00")})
    assert second is not None and second.amount == Decimal("60.00")
    assert second.ledger_id != first.ledger_id
    assert increment(_paid("100"), {"INV1": Decimal("100.00")}) is None  # nothing new
    assert increment(_paid("30"), {"INV1": Decimal("100.00")}) is None  # a reversal is not a payment
