"""Invoices and credit notes on each route, against the SDO sandbox: VAT kept, department per line, totals,
exactly-once (find_invoice), and Sage's refusals held per invoice while the rest of the batch goes on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from halo_accounts.ledgers.port import Invoice, InvoiceLine, LedgerUnavailable, RecordRejected
from halo_accounts.ledgers.sage50uk import InvoiceRoute, Sage50UKLedger
from halo_accounts.sandbox.sage50uk import Company

D = Decimal  # short for the many amounts below

ROUTES = [InvoiceRoute.AUDIT_TRAIL, InvoiceRoute.PRODUCT_INVOICE, InvoiceRoute.SERVICE_INVOICE]
Open = Callable[..., Sage50UKLedger]


def lines(kind_sign: int = 1) -> tuple[InvoiceLine, ...]:
    s = D(kind_sign)
    return (
        # VAT deliberately one penny off 20% of net: Sage must keep Halo's figure, not recompute it.
        InvoiceLine("", "Managed service, Nov", D(2), D("50"), s * D("100.00"), s * D("20.01"), "T1", "4000", 1),
        InvoiceLine("", "Project work", D(1), D("33.33"), s * D("33.33"), s * D("6.67"), "T1", "4010", 2),
        InvoiceLine("", "Zero-rated item", D(1), D("5"), s * D("5.00"), s * D("0"), "T0", "4000", None),
    )


def invoice(number: str, kind: str = "invoice", sign: int = 1, **kw: object) -> Invoice:
    return Invoice(number=number, customer_ref="ABS001", date=date(2026, 11, 3), lines=lines(sign), kind=kind,  # type: ignore[arg-type]
                   **kw)  # type: ignore[arg-type]


def audit_splits(company: Company, header: int) -> list[dict[str, object]]:
    return [company.split(n) for n in company.split_numbers(header)]  # type: ignore[misc]


@pytest.mark.parametrize("route", ROUTES)
def test_invoice_posts_with_halos_vat_and_departments(company: Company, open_ledger: Open,
                                                      route: InvoiceRoute) -> None:
    ledger = open_ledger(route)
    number = "INV-0042" if route is InvoiceRoute.AUDIT_TRAIL else "42"
    [outcome] = ledger.post_invoices([invoice(number)])
    assert outcome.error is None and outcome.posted is not None
    assert outcome.key == number
    assert outcome.posted.total == D("165.01") and outcome.posted.number == number
    # On the audit trail (directly, or after Update Ledgers) with Halo's VAT and one split per line.
    [header_no] = company.header_numbers("ABS001")
    header = company.header(header_no)
    assert header is not None and header["TYPE"] == 1 and header["INV_REF"] == number
    assert (header["NET_AMOUNT"], header["TAX_AMOUNT"]) == (138.33, 26.68)
    splits = audit_splits(company, header_no)
    assert [(s["NOMINAL_CODE"], s["TAX_CODE"], s["TAX_AMOUNT"], s["DEPT_NUMBER"]) for s in splits] == [
        ("4000", 1, 20.01, 1), ("4010", 1, 6.67, 2), ("4000", 0, 0.0, 0)]
    assert company.get("sales", "ABS001")["BALANCE"] == 165.01  # type: ignore[index]
    found = ledger.find_invoice(number)
    assert found is not None and found.total == D("165.01") and found.balance == D("165.01")


@pytest.mark.parametrize("route", [InvoiceRoute.PRODUCT_INVOICE, InvoiceRoute.SERVICE_INVOICE])
def test_invoicepost_document_keeps_tax_flag_and_type(company: Company, open_ledger: Open,
                                                      route: InvoiceRoute) -> None:
    open_ledger(route).post_invoices([invoice("7")])
    doc = company.get("invoice", "7")
    assert doc is not None and doc["POSTED_CODE"] == 1
    assert doc["INVOICE_TYPE_CODE"] == (0 if route is InvoiceRoute.PRODUCT_INVOICE else 2)
    assert all(item["TAX_FLAG"] == 1 for item in doc["_items"])
    assert [item["STOCK_CODE"] for item in doc["_items"]] == ["S3", "S3", "S3"]
    assert doc["ITEMS_TAX"] == 26.68


def test_product_invoice_uses_real_stock_codes(company: Company, open_ledger: Open) -> None:
    from halo_accounts.ledgers.port import Product

    ledger = open_ledger(InvoiceRoute.PRODUCT_INVOICE)
    ledger.create_product(Product(code="MS-GOLD", income_account="4000", tax_code="T1"))
    inv = Invoice(number="8", customer_ref="ABS001", date=date(2026, 11, 3), lines=(
        InvoiceLine("MS-GOLD", "Gold", D(1), D(10), D(10), D(2), "T1", "4000"),
        InvoiceLine("NOT-IN-SAGE", "Labour", D(1), D(10), D(10), D(2), "T1", "4000")))
    ledger.post_invoices([inv])
    items = company.get("invoice", "8")["_items"]  # type: ignore[index]
    assert [(i["STOCK_CODE"], i["SERVICE_FLAG"]) for i in items] == [("MS-GOLD", 0), ("S3", 2)]


def test_sage_numbers_the_invoice_when_halo_gives_none(company: Company, open_ledger: Open) -> None:
    ledger = open_ledger(InvoiceRoute.SERVICE_INVOICE)
    assert ledger.info().assigns_numbers
    [outcome] = ledger.post_invoices([invoice("", external_key="halo-5001")])
    assert outcome.key == "halo-5001" and outcome.posted is not None and outcome.posted.number == "1"


@pytest.mark.parametrize("route", ROUTES)
def test_credit_note_with_halos_negative_lines_posts_unsigned(company: Company, open_ledger: Open,
                                                              route: InvoiceRoute) -> None:
    ledger = open_ledger(route)
    number = "CN-1" if route is InvoiceRoute.AUDIT_TRAIL else "900"
    [outcome] = ledger.post_invoices([invoice(number, kind="credit", sign=-1)])
    assert outcome.error is None and outcome.posted is not None and outcome.posted.kind == "credit"
    [header_no] = company.header_numbers("ABS001")
    header = company.header(header_no)
    assert header is not None and header["TYPE"] == 2 and header["TAX_AMOUNT"] == 26.68  # SC, unsigned
    assert company.get("sales", "ABS001")["BALANCE"] == -165.01  # type: ignore[index]
    assert ledger.find_invoice(number, "credit") is not None
    assert ledger.find_invoice(number, "invoice") is None


@pytest.mark.parametrize("route", ROUTES)
def test_posting_twice_posts_once(company: Company, open_ledger: Open, route: InvoiceRoute) -> None:
    ledger = open_ledger(route)
    first = ledger.post_invoices([invoice("77")])[0].posted
    second = ledger.post_invoices([invoice("77")])[0].posted
    assert first is not None and second is not None and first.ledger_id == second.ledger_id
    assert company.header_count() == 1


def test_find_invoice_needs_the_padded_match_and_knows_nothing_else(ledger: Sage50UKLedger) -> None:
    ledger.post_invoices([invoice("INV1")])
    assert ledger.find_invoice("INV1") is not None
    assert ledger.find_invoice("INV") is None  # exact, not partial
    assert ledger.find_invoice("") is None
    assert ledger.find_invoice("X" * 31) is None


def test_invoicepost_lost_ledger_update_is_finished_by_find(company: Company, open_ledger: Open) -> None:
    """Crash between InvoicePost.Update and Update Ledgers: reconciliation completes it, exactly once."""
    ledger = open_ledger(InvoiceRoute.PRODUCT_INVOICE, update_ledgers=False)
    ledger.post_invoices([invoice("55")])
    assert company.get("invoice", "55")["POSTED_CODE"] == 0  # type: ignore[index]
    assert company.header_count() == 0
    ledger.update_ledgers = True
    found = ledger.find_invoice("55")
    assert found is not None and found.balance == D("165.01")
    assert company.header_count() == 1
    ledger.find_invoice("55")
    assert company.header_count() == 1


def test_invoice_number_used_by_another_customer(company: Company, open_ledger: Open) -> None:
    company.add_customer("OTHER1", "Other")
    ledger = open_ledger(InvoiceRoute.PRODUCT_INVOICE)
    ledger.post_invoices([Invoice(number="60", customer_ref="OTHER1", date=date(2026, 11, 3), lines=lines())])
    [outcome] = ledger.post_invoices([invoice("60")])
    assert outcome.error is not None and outcome.error.code == "sage.invoice_number_taken"
    assert "OTHER1" in outcome.error.message


def test_refusals_are_held_and_the_batch_goes_on(company: Company, open_ledger: Open) -> None:
    company.lock_date = date(2026, 10, 31)
    company.add_customer("HOLD1", "On hold", ACCOUNT_ON_HOLD=1)
    ledger = open_ledger()
    base = invoice("OK1")

    def variant(number: str, **kw: object) -> Invoice:
        return Invoice(**{**base.__dict__, "number": number, **kw})  # type: ignore[arg-type]

    bad_nominal = (InvoiceLine("", "x", D(1), D(1), D(1), D(0), "T1", "9999"),)
    control = (InvoiceLine("", "x", D(1), D(1), D(1), D(0), "T1", "1100"),)
    batch = [
        variant("MISSING", customer_ref="NOPE1"),
        variant("NOMINAL", lines=bad_nominal),
        variant("CONTROL", lines=control),
        variant("LOCKED", date=date(2026, 10, 1)),
        variant("ONHOLD", customer_ref="HOLD1"),
        variant("TAX", lines=(InvoiceLine("", "x", D(1), D(1), D(1), D(0), "VAT20", "4000"),)),
        variant("DEPT", lines=(InvoiceLine("", "x", D(1), D(1), D(1), D(0), "T1", "4000", 1000),)),
        variant("NEG", lines=(InvoiceLine("", "x", D(1), D(-1), D(-1), D(0), "T1", "4000"),)),
        variant("EMPTY", lines=()),
        variant("ZERO", lines=(InvoiceLine("", "x", D(1), D(0), D(0), D(0), "T1", "4000"),)),
        variant("NONOM", lines=(InvoiceLine("", "x", D(1), D(1), D(1), D(0), "T1", ""),)),
        variant("R" * 31),
        base,
    ]
    outcomes = {o.key: o for o in ledger.post_invoices(batch)}
    codes = {k: (o.error.code if o.error else None) for k, o in outcomes.items()}
    assert codes == {
        "MISSING": "sage.customer_missing", "NOMINAL": "sage.invalid_nominal", "CONTROL": "sage.nominal_is_control",
        "LOCKED": "sage.date_locked", "ONHOLD": "sage.account_on_hold", "TAX": "sage.tax_code_invalid",
        "DEPT": "sage.department_invalid", "NEG": "sage.negative_line", "EMPTY": "sage.invoice_empty",
        "ZERO": "sage.zero_value", "NONOM": "sage.field_invalid", "R" * 31: "sage.field_invalid", "OK1": None,
    }
    assert all(isinstance(o.error, RecordRejected) for o in outcomes.values() if o.error)
    assert "9999" in outcomes["NOMINAL"].error.message  # type: ignore[union-attr]
    assert company.header_count() == 1


def test_invoicepost_needs_a_numeric_number(open_ledger: Open) -> None:
    first = open_ledger(InvoiceRoute.PRODUCT_INVOICE)
    [outcome] = first.post_invoices([invoice("INV-1")])
    assert outcome.error is not None and outcome.error.code == "sage.invoice_number_invalid"
    first.close()
    [outcome] = open_ledger(InvoiceRoute.SERVICE_INVOICE).post_invoices([invoice("12345678")])
    assert outcome.error is not None and outcome.error.code == "sage.invoice_number_invalid"


def test_unavailable_mid_batch_marks_the_rest_unsent(company: Company, open_ledger: Open) -> None:
    ledger = open_ledger()
    ledger.post_invoices([invoice("B0")])
    ledger.session.engine.faults.file_busy = True
    outcomes = ledger.post_invoices([invoice("B1"), invoice("B2")])
    assert all(isinstance(o.error, LedgerUnavailable) for o in outcomes)
    assert company.header_count() == 1
