"""Pure parts of the engine: Halo records -> port records, name matching, fingerprints, pre-flight checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from halo_accounts.ledgers import registry
from halo_accounts.ledgers.port import Account, LedgerInfo, TaxCode
from halo_accounts.sync import fields as f
from halo_accounts.sync.context import Context, build_tax_map, customer_index, is_approved, product_index
from halo_accounts.sync.limits import all_limits, limits_for
from halo_accounts.sync.mapping import (
    ResolvedLine,
    clean,
    customer_from_client,
    halo_fingerprint,
    is_credit,
    ledger_invoice,
    normalize_name,
)
from halo_accounts.sync.preflight import check_customer, check_invoice, check_item

INVOICE: dict[str, Any] = {
    "id": 7, "invoicenumber": "INV00007", "client_id": 1, "invoice_date": "2026-11-01T00:00:00",
    "duedate": "2026-12-01T00:00:00", "total": 120.0,
    "lines": [{"id": 70, "_itemid": 3, "item_shortdescription": "Managed \u2019Gold\u2019", "qty_order": 2,
               "unit_price": 50.0, "net_amount": 100.0, "tax_amount": 20.0, "tax_code": "1", "nominal_code": "4000"}],
}


class NoLedger:
    def customers(self) -> list[Any]:
        return []

    def products(self) -> list[Any]:
        return []


def ctx(kind: str = "quickbooks", assigns: bool = True, **control: Any) -> Context:
    codes = {"S": TaxCode("S", "Standard", Decimal("20")), "Z": TaxCode("Z", "Zero", Decimal("0"))}
    taxes = {1: {"id": 1, "name": "Standard 20%", "code": "T1"}, 2: {"id": 2, "name": "Zero", "code": "Z"}}
    c = Context(control={"item_default_sales_nominal_code": {"value": "4000", "label": "Sales"}, **control},
                info=LedgerInfo(kind=kind, edition="UK", assigns_numbers=assigns),
                limits=limits_for(kind, assigns_numbers=assigns),
                tax_codes=codes, accounts=[Account("4000", "Sales"), Account("4100", "Services")],
                halo_taxes=taxes, tax_map=build_tax_map({"1": "S"}, taxes, codes),
                customers=customer_index(NoLedger()), products=product_index(NoLedger()), tenant="acme")
    c.clients = {1: {"id": 1, "name": "Smith & Jones Ltd"}}
    c.customer_refs = {1: "8000001-1"}
    c.items = {3: {"id": 3, "name": "Gold", "nominalcode": "4000"}}
    c.product_refs = {3: "ITEM-3"}
    return c


def test_names_match_conservatively() -> None:
    assert normalize_name("Smith  &  Jones LTD") == normalize_name("smith and jones ltd")
    assert normalize_name("Smith & Jones Ltd") != normalize_name("Smith & Jones Limited")
    assert clean("O\u2019Brien\u2019s \u2013 Bakery") == "O'Brien's - Bakery"


def test_halo_empties_read_as_none() -> None:
    assert f.day("1899-12-30T00:00:00") is None
    assert f.day("2026-11-01T10:00:00") == date(2026, 11, 1)
    assert f.ident(-1) is None and f.ident("5") == 5 and f.ident(0) is None
    assert f.money(19.999) == Decimal("20.00")


def test_tax_map_uses_the_store_then_matching_codes() -> None:
    codes = {"S": TaxCode("S", "Standard", Decimal("20")), "Z": TaxCode("Z", "Zero", Decimal("0"))}
    taxes = {1: {"code": "T1"}, 2: {"code": "z"}, 3: {"code": "X9"}}
    assert build_tax_map({"1": "S"}, taxes, codes) == {1: "S", 2: "Z"}


def test_fingerprint_changes_with_what_is_posted_only() -> None:
    base = halo_fingerprint(INVOICE)
    assert halo_fingerprint({**INVOICE, "posted": True, "dateposted": "x"}) == base
    changed = {**INVOICE, "lines": [{**INVOICE["lines"][0], "unit_price": 51.0}]}
    assert halo_fingerprint(changed) != base


def test_credit_notes_become_positive_credits() -> None:
    credit = {**INVOICE, "total": -120.0, "lines": [{**INVOICE["lines"][0], "qty_order": -2, "net_amount": -100.0,
                                                    "tax_amount": -20.0}]}
    assert is_credit(credit) and not is_credit(INVOICE)
    line = ResolvedLine(3, "P3", "X", Decimal(-2), Decimal(50), Decimal("-100.00"), Decimal("-20.00"), "S", "")
    inv = ledger_invoice(credit, customer_ref="C1", number="", key="k", lines=[line])
    assert inv.kind == "credit" and inv.lines[0].quantity == 2 and inv.net_total == Decimal("100.00")
    assert inv.tax_total == Decimal("20.00") and inv.date == date(2026, 11, 1)


def test_customer_takes_the_site_addresses() -> None:
    site = {"invoice_address": {"line1": "1 High St", "line2": "Leeds", "postcode": "LS1 1AA"}}
    c = customer_from_client({"id": 1, "name": " Smith & Jones Ltd ", "accountsemailaddress": "a@b.c"}, site)
    assert c.name == "Smith & Jones Ltd" and c.billing.lines == ("1 High St", "Leeds")
    assert c.billing.postcode == "LS1 1AA" and c.email == "a@b.c"


def test_preflight_passes_a_good_invoice_and_resolves_lines() -> None:
    checks, lines, number = check_invoice(ctx(), INVOICE)
    assert checks.problem is None, checks.problem and checks.problem.message
    assert number == ""  # QuickBooks numbers it (usehaloinvoiceidforaccounts off)
    assert lines[0].product_ref == "ITEM-3" and lines[0].tax_code == "S"
    assert lines[0].description == "Managed 'Gold'"
    assert lines[0].account_code == "4000"


def test_preflight_unmapped_tax_names_the_fix() -> None:
    bad = {**INVOICE, "lines": [{**INVOICE["lines"][0], "tax_code": "2"}]}
    c = ctx()
    c.tax_map.pop(2)
    checks, _, _ = check_invoice(c, bad)
    assert checks.problem is not None and checks.problem.code == "sync.tax_unmapped"
    assert "halo-accounts map tax 2" in checks.problem.fix
    assert "Zero" in checks.problem.message and "S, Z" in checks.problem.fix


def test_preflight_unknown_nominal_and_missing_customer() -> None:
    bad = {**INVOICE, "client_id": 9, "lines": [{**INVOICE["lines"][0], "nominal_code": "9999"}]}
    checks, _, _ = check_invoice(ctx(), bad)
    codes = [c.name for c in checks.items if not c.ok]
    assert "customer" in codes and "nominal code" in codes
    assert checks.problem is not None and checks.problem.code == "sync.customer_not_ready"


@pytest.mark.parametrize(("number", "kind", "ok"), [
    ("INV00007", "quickbooks", True), ("INV-000000007", "quickbooks", False),
    ("1234567", "sage50uk", True), ("INV7", "sage50uk", False), ("12345678", "sage50uk", False)])
def test_halo_numbers_checked_against_the_package(number: str, kind: str, ok: bool) -> None:
    c = ctx(kind, usehaloinvoiceidforaccounts=True)
    checks, _, got = check_invoice(c, {**INVOICE, "invoicenumber": number})
    problem = [x for x in checks.items if x.name == "invoice number" and not x.ok]
    assert (not problem) is ok
    assert (got == number) is ok


def test_sage_audit_trail_takes_text_references() -> None:
    c = ctx("sage50uk", assigns=False)
    checks, _, number = check_invoice(c, {**INVOICE, "invoicenumber": "INV00007"})
    assert number == "INV00007" and not [x for x in checks.items if x.name == "invoice number" and not x.ok]


def test_lengths_and_characters_per_package() -> None:
    long_name = "N" * 70
    sage = ctx("sage50uk")
    checks = check_customer(sage, {"id": 1, "name": long_name}, customer_from_client({"name": long_name}))
    assert checks.problem is not None and checks.problem.code == "sync.too_long"
    assert "60" in checks.problem.message
    qb = ctx("quickbooks")  # the QuickBooks connector shortens names itself (deterministically)
    assert check_customer(qb, {"id": 1, "name": long_name}, customer_from_client({"name": long_name})).problem is None
    emoji = "Caf\u00e9 \U0001f600"
    checks = check_customer(qb, {"id": 1, "name": emoji}, customer_from_client({"name": emoji}))
    assert checks.problem is not None and checks.problem.code == "sync.bad_characters"
    assert "U+1F600" in checks.problem.message


def test_item_needs_an_income_account_the_package_has() -> None:
    c = ctx()
    checks, product = check_item(c, {"id": 5, "name": "Licence", "nominalcode": "4999", "taxcode": 1})
    assert product is None and checks.problem is not None and checks.problem.code == "sync.nominal_unknown"
    checks, product = check_item(c, {"id": 5, "name": "Licence", "taxcode": 1})
    assert product is not None and product.income_account == "4000" and product.tax_code == "S"


def test_approval_follows_the_sandbox_convention() -> None:
    assert is_approved({"requires_approval": False, "approval_status": 1})
    assert not is_approved({"requires_approval": True, "approval_status": 0})
    assert is_approved({}) is None  # unknown is not approved (issue 8.4)


def test_every_limit_names_its_package() -> None:
    limits = all_limits()
    assert set(limits) == set(registry.KINDS)
    assert all(lim.package for lim in limits.values())
    assert limits["quickbooks"].customer_name == 41 and limits["sage50uk"].invoice_number == 7
