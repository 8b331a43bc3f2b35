"""Payments and outstanding amounts read back from Sage (HeaderData -> SplitData -> UsageData, NOTES §1.10)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pytest

from halo_accounts.ledgers.port import Invoice, InvoiceLine
from halo_accounts.ledgers.sage50uk import InvoiceRoute, Sage50UKLedger
from halo_accounts.sandbox.sage50uk import Company

D = Decimal  # short for the many amounts below


def two_line_invoice(number: str) -> Invoice:
    return Invoice(number=number, customer_ref="ABS001", date=date(2026, 11, 3), lines=(
        InvoiceLine("", "Support", D(1), D(100), D("100.00"), D("20.00"), "T1", "4000"),
        InvoiceLine("", "Licences", D(1), D(50), D("50.00"), D("10.00"), "T1", "4010")))


@pytest.mark.parametrize("route", [InvoiceRoute.AUDIT_TRAIL, InvoiceRoute.SERVICE_INVOICE])
def test_partial_then_full_payment(company: Company, open_ledger: Callable[..., Sage50UKLedger],
                                   route: InvoiceRoute) -> None:
    ledger = open_ledger(route)
    number = "INV-9" if route is InvoiceRoute.AUDIT_TRAIL else "9"
    ledger.post_invoices([two_line_invoice(number)])
    [invoice_header] = company.header_numbers("ABS001")
    assert list(ledger.payments()) == []

    receipt1 = company.receive_payment("ABS001", invoice_header, 130.00, date(2026, 11, 10), reference="BACS1")
    [p1] = ledger.payments()
    assert (p1.invoice_number, p1.amount, p1.date, p1.customer_ref, p1.reference) == (
        number, D("130.00"), date(2026, 11, 10), "ABS001", "BACS1")
    assert p1.ledger_id == f"{receipt1}-{invoice_header}"
    found = ledger.find_invoice(number)
    assert found is not None and found.balance == D("50.00")  # NOTES §1.10: net + tax - paid per split

    receipt2 = company.receive_payment("ABS001", invoice_header, 50.00, date(2026, 11, 20), reference="CHQ2")
    payments = {p.ledger_id: p for p in ledger.payments()}
    assert payments[p1.ledger_id] == p1  # stable across runs: usable as Halo's sage50_reference
    assert payments[f"{receipt2}-{invoice_header}"].amount == D("50.00")
    found = ledger.find_invoice(number)
    assert found is not None and found.balance == D("0.00")
    header = company.header(invoice_header)
    assert header is not None and header["PAID_FLAG"] == 1

    # Sage keeps no change time: a receipt dated before ``since`` may have been keyed after it, so it is listed.
    assert sorted(p.reference for p in ledger.payments(since=datetime(2026, 11, 15))) == ["BACS1", "CHQ2"]


def test_payment_split_across_two_invoices(company: Company, ledger: Sage50UKLedger) -> None:
    ledger.post_invoices([two_line_invoice("A"), two_line_invoice("B")])
    first, second = company.header_numbers("ABS001")
    receipt = company.post_receipt("ABS001", 180.00, date(2026, 11, 5))
    pay_split = company.split_numbers(receipt)[0]
    company.allocate(company.split_numbers(first)[0], pay_split, 100.0, date(2026, 11, 5))
    company.allocate(company.split_numbers(second)[0], pay_split, 80.0, date(2026, 11, 5))
    got = sorted((p.invoice_number, p.amount, p.ledger_id) for p in ledger.payments())
    assert got == [("A", D("100.00"), f"{receipt}-{first}"), ("B", D("80.00"), f"{receipt}-{second}")]
    balances = [ledger.find_invoice(n) for n in ("A", "B")]
    assert [b.balance for b in balances if b] == [D("80.00"), D("100.00")]
