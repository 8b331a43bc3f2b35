"""How invoices reach Sage 50 UK (NOTES §1.9): the routes, and the ONE table from Halo's ``sage50ukinvoicetype``."""

from __future__ import annotations

from enum import StrEnum

from halo_accounts.errors import HaloAccountsError


class InvoiceRoute(StrEnum):
    PRODUCT_INVOICE = "product"
    """InvoicePost, INVOICE_TYPE_CODE product invoice/credit, then Update Ledgers (NOTES §1.9.1-2)."""
    SERVICE_INVOICE = "service"
    """InvoicePost, INVOICE_TYPE_CODE service invoice/credit, then Update Ledgers (NOTES §1.9.1-2)."""
    AUDIT_TRAIL = "audit"
    """TransactionPost SI/SC: a batch invoice on the audit trail, no invoice document (NOTES §1.9.3)."""


# Halo Control.sage50ukinvoicetype (int) -> route. [?] The values are not documented (halo/NOTES.md §9, §14.1;
# sage/NOTES.md §5 item 4: "Which posting method Halo uses ... [U]"). Chosen: 0 = Halo's default, taken as the
# audit-trail batch invoice (Halo is the invoice master); 1 = product invoice; 2 = service invoice.
# A tenant that shows otherwise sets `[sage50uk] invoice_types` in the configuration (over this table).
HALO_INVOICE_TYPES: dict[int, InvoiceRoute] = {
    0: InvoiceRoute.AUDIT_TRAIL,  # [?]
    1: InvoiceRoute.PRODUCT_INVOICE,  # [?]
    2: InvoiceRoute.SERVICE_INVOICE,  # [?]
}
DEFAULT_ROUTE = InvoiceRoute.AUDIT_TRAIL


def route_for(value: object, overrides: dict[str, str] | None = None) -> InvoiceRoute:
    """The route for a Halo ``sage50ukinvoicetype`` value, a route name, or None (the default); ``overrides`` is
    `[sage50uk] invoice_types` ({"0": "audit", ...})."""
    table = {**HALO_INVOICE_TYPES, **{int(k): InvoiceRoute(v) for k, v in (overrides or {}).items()}}
    if value is None or value == "":
        return DEFAULT_ROUTE
    if isinstance(value, InvoiceRoute):
        return value
    if isinstance(value, str):
        for route in InvoiceRoute:
            if value.lower() == route.value:
                return route
        if value.strip().lstrip("-").isdigit():
            value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value in table:
        return table[value]
    known = ", ".join([*(str(k) for k in table), *(r.value for r in InvoiceRoute)])
    raise HaloAccountsError("sage.invoice_route_unknown", value=value, known=known)
