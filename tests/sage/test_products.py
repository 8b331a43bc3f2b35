"""Products (StockRecord) through the connector against the SDO sandbox."""

from __future__ import annotations

from decimal import Decimal

import pytest

from halo_accounts.ledgers.port import Product, RecordRejected
from halo_accounts.ledgers.sage50uk import Sage50UKLedger
from halo_accounts.sandbox.sage50uk import Company


def test_create_and_read_back(company: Company, ledger: Sage50UKLedger) -> None:
    made = ledger.create_product(Product(code="MS-GOLD", description="Managed service (gold)", price=Decimal("49.995"),
                                         income_account="4000", tax_code="T1", kind="service", department=1))
    stored = company.get("stock", "MS-GOLD")
    assert stored is not None
    assert (stored["ITEM_TYPE"], stored["TAX_CODE"], stored["UNIT_OF_SALE"], stored["DEPT_NUMBER"]) == (2, 1, "Each", 1)
    assert made.kind == "service" and made.tax_code == "T1" and made.department == 1
    assert ledger.find_product(code="MS-GOLD") == made
    assert [p.code for p in ledger.products()] == ["MS-GOLD"]


def test_non_inventory_maps_to_non_stock(company: Company, ledger: Sage50UKLedger) -> None:
    ledger.create_product(Product(code="LIC", kind="non_inventory"))
    assert company.get("stock", "LIC")["ITEM_TYPE"] == 1  # type: ignore[index]


@pytest.mark.parametrize(("product", "code"), [
    (Product(code="X" * 31), "sage.field_invalid"),
    (Product(code="BAD-TAX", tax_code="VAT20"), "sage.tax_code_invalid"),
    (Product(code="BAD-DEPT", department=1000), "sage.department_invalid"),
])
def test_refused_before_sending(ledger: Sage50UKLedger, product: Product, code: str) -> None:
    with pytest.raises(RecordRejected) as err:
        ledger.create_product(product)
    assert err.value.code == code


def test_duplicate_code(ledger: Sage50UKLedger) -> None:
    ledger.create_product(Product(code="DUP"))
    with pytest.raises(RecordRejected) as err:
        ledger.create_product(Product(code="DUP"))
    assert err.value.code == "sage.product_exists"
