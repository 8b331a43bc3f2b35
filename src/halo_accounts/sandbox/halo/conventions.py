"""Every guess the Halo sandbox makes where halo/NOTES.md says [?]/[I], each in one named place.

Change a constant here when a real tenant shows otherwise; the rest of the sandbox reads these.
"""

from __future__ import annotations

from typing import Any

#: Path entity (lower case) -> list key in list responses. clients/sites/items/invoices are
#: halo/NOTES.md §3 [L]; "taxes" and "invoicepayments" are [?] (NOTES §3/§14.2: keys unknown;
#: chosen by Halo's pattern `/PurchaseOrder` -> `purchaseorders`).
LIST_KEYS: dict[str, str] = {
    "client": "clients",
    "site": "sites",
    "item": "items",
    "tax": "taxes",  # [?]
    "invoice": "invoices",
    "invoicepayment": "invoicepayments",  # [?]
}

#: Seed key -> path entity. Seed keys are DESIGN.md's; `payments` are `/api/InvoicePayment` rows.
SEED_KEYS: dict[str, str] = {
    "clients": "client",
    "sites": "site",
    "items": "item",
    "taxes": "tax",
    "invoices": "invoice",
    "payments": "invoicepayment",
}

#: Path entity -> OpenAPI schema of its POST body (halo/NOTES.md §4-§10, spec requestBody).
SCHEMA_OF: dict[str, str] = {
    "client": "Area",
    "site": "Site",
    "item": "Item",
    "tax": "Tax",
    "invoice": "InvoiceHeader",
    "invoicepayment": "InvoicePayment_List",
    "control": "Control",
}

#: Path entity -> scope area (halo/NOTES.md §1.3 scope list [L]). Control is handled apart.
SCOPE_AREA: dict[str, str] = {
    "client": "customers",
    "site": "customers",
    "item": "items",
    "tax": "invoices",  # reading tax rates: [?] no `read:tax` scope exists; writing needs admin (guide 1636 [C])
    "invoice": "invoices",
    "invoicepayment": "invoices",
}

#: Writes that need the `admin` scope: tax import (guide 1636 [C]) and Control [I] (NOTES §9).
ADMIN_WRITES: frozenset[str] = frozenset({"tax", "control"})

#: GET /api/Control is allowed to any valid token [?] (NOTES §9 says "needs admin" only as [I]).
CONTROL_READ_NEEDS_ADMIN = False

#: `all` grants every scope except `admin` (NOTES §1.3 lists both separately) [?];
#: `all:standard` is treated as `all` [?].
ALL_SCOPES: frozenset[str] = frozenset({"all", "all:standard"})

#: `edit:X` implies `read:X` [?] (Halo's permission tab pairs them; not documented).
EDIT_IMPLIES_READ = True

#: InvoiceHeader.paymentstatus values [?] (NOTES §7.2/§14.1: only -1 on a template and the web app's
#: "unpaid" filter `0,-1` are known).
PAYMENT_STATUS: dict[str, int] = {"unpaid": 0, "part_paid": 1, "paid": 2}

#: A credit note is an InvoiceHeader with `invoicetype` = `CREDIT_NOTE_TYPE` [?] (NOTES §7.2: `invoicetype` is 0
#: on an invoice, its credit value unknown; the product never reads it, it asks with `includecredits`/
#: `includeinvoices`). Halo's usual credit note has negative lines, but a credit note with positive amounts is
#: still a credit note. A row without `invoicetype` (an older seed) is a credit note when its total is negative.
#: Demo credit notes also carry `creditlinkedtoinvoiceid`. `includecredits`/`includeinvoices` default to true [?].
CREDIT_NOTE_TYPE = 1


def is_credit_note(invoice: dict[str, Any]) -> bool:
    """Whether an invoice row is a credit note under the sandbox's representation."""
    kind = invoice.get("invoicetype")
    if kind is not None:
        return kind == CREDIT_NOTE_TYPE
    return float(invoice.get("total") or 0.0) < 0


#: An invoice awaiting approval has `requires_approval: true` and `approval_status: 0`; approved ones
#: `requires_approval: false`, `approval_status: 1` [?] (both fields are in the spec, values are not).
APPROVAL_PENDING: dict[str, Any] = {"requires_approval": True, "approval_status": 0}
APPROVAL_DONE: dict[str, Any] = {"requires_approval": False, "approval_status": 1}

#: An item is inactive when its `status` is this value [?] (NOTES §5.2: `status` is Item's active/inactive flag,
#: values unknown). Like clients and sites, `/Item` lists leave inactive items out unless `includeinactive=true`
#: (NOTES §3/§5.1 list the parameter on `/Item` [C spec]; the default is [I]).
ITEM_INACTIVE_STATUS = 1

#: Flags a full invoice record always carries, with the value Halo fills when a save leaves them out [I]
#: (both are InvoiceHeader fields in the spec; a real `GET /Invoice/{id}` returns every field, NOTES §2/§3).
INVOICE_DEFAULTS: dict[str, Any] = {"requires_approval": False, "voided": False}

#: Seed `options` (none change what a real tenant holds, only how this one answers):
#: - `list_omits`: {seed key: [field, ...]} left out of list rows, as Halo's abbreviated "_List" views leave
#:   fields out (NOTES §3 [L]); `GET /{id}` still returns them.
#: - `control_admin_only`: `GET /api/Control` needs the `admin` scope (NOTES §9 [I]), overriding
#:   `CONTROL_READ_NEEDS_ADMIN` below for one tenant.
SEED_OPTIONS: frozenset[str] = frozenset({"list_omits", "control_admin_only"})

#: Halo's "no date" sentinel (OLE zero date; NOTES §2 [C]).
NO_DATE = "1899-12-30T00:00:00"

#: 429 body text, exactly as users reported it (NOTES §11 [C]).
RATE_LIMIT_MESSAGE = "Rate Limit Reached - 300 Requests per rolling 5 minute window"
#: Halo-hosted limit: 300 requests per rolling 5 minutes (NOTES §11 [C]).
DEFAULT_RATE_LIMIT: tuple[int, float] = (300, 300.0)
#: Whether a 429 carries `Retry-After` [?] (NOTES §11: unknown). Off by default so clients cope without it.
SEND_RETRY_AFTER = False

#: Server page cap: at most 100 rows a page whatever page_size asks (NOTES §3 [C], HaloAPI#90).
MAX_PAGE_SIZE = 100

#: Token lifetime when not configured: 3600 s (NOTES §1.2 [L]).
DEFAULT_TOKEN_LIFETIME = 3600

#: Bad client id/secret: 401 `{"error": "invalid_client"}` (NOTES §1.2 [C], HaloAPI#19).
INVALID_CLIENT: dict[str, str] = {"error": "invalid_client"}
#: Unknown `?tenant=`: [?] Halo's answer is not recorded anywhere; an OAuth-style 400.
UNKNOWN_TENANT_STATUS = 400
UNKNOWN_TENANT_BODY: dict[str, str] = {"error": "invalid_request", "error_description": "Tenant not found"}
#: Missing scope: 403 (NOTES §11 [L]); body shape [?] — `{Message}` is one homotechsual handles.
def forbidden_body(scope: str) -> dict[str, str]:
    """403 body naming the permission the application lacks."""
    return {"Message": f"You do not have permission to perform this action. Required permission: '{scope}'."}


#: Missing/expired/unknown bearer token: 401, empty body, `WWW-Authenticate: Bearer error="invalid_token"`
#: (ASP.NET JwtBearer behaviour) [?].
INVALID_TOKEN_HEADER = 'Bearer error="invalid_token"'  # noqa: S105 - a header value, not a secret

#: Validation errors: 400, ASP.NET/Newtonsoft-style object keyed by field path (NOTES §11 [L]); the bare
#: object (not the newer ProblemDetails wrapper) [?]. Conversions are Newtonsoft's lenient ones [?]:
#: a string field takes any primitive, an integer field an integral number or numeric string.
VALIDATION_STATUS = 400

#: POSTing an element whose `id` is not a record of that kind is a 400 keyed `[i].id` [?] (Halo's answer is not
#: recorded; refusing shows a client bug instead of hiding it). When False, such an element creates a new record.
UNKNOWN_ID_IS_AN_ERROR = True

#: Rows a page when `pageinate=true` comes without `page_size` [?] (not documented).
DEFAULT_PAGE_SIZE = 50
#: The `page_size` echoed in a page is the one asked for, not the capped one [?] (HaloAPI#90 shows
#: only that rows are capped) — so a client that trusts the echo to count pages finds out.
ECHO_REQUESTED_PAGE_SIZE = True
