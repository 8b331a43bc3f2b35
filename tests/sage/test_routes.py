"""Halo's sage50ukinvoicetype -> posting route: one table, unknown values refused with a plain message."""

from __future__ import annotations

import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.sage50uk.routes import DEFAULT_ROUTE, HALO_INVOICE_TYPES, InvoiceRoute, route_for


@pytest.mark.parametrize(("value", "route"), [
    (None, DEFAULT_ROUTE), ("", DEFAULT_ROUTE), (0, InvoiceRoute.AUDIT_TRAIL), (1, InvoiceRoute.PRODUCT_INVOICE),
    (2, InvoiceRoute.SERVICE_INVOICE), ("2", InvoiceRoute.SERVICE_INVOICE), ("Audit", InvoiceRoute.AUDIT_TRAIL),
    (InvoiceRoute.PRODUCT_INVOICE, InvoiceRoute.PRODUCT_INVOICE),
])
def test_known_values(value: object, route: InvoiceRoute) -> None:
    assert route_for(value) is route


@pytest.mark.parametrize("value", [7, "bogus", True, -1])
def test_unknown_values(value: object) -> None:
    with pytest.raises(HaloAccountsError) as err:
        route_for(value)
    assert err.value.code == "sage.invoice_route_unknown"
    assert "audit" in err.value.fix


def test_every_route_is_reachable_from_halo() -> None:
    assert set(HALO_INVOICE_TYPES.values()) == set(InvoiceRoute)
