"""Which Halo permissions the integrator needs, which one a refused request lacked, and the `check` itself.

How `run_check` decides whether a permission is granted:

1. When Halo's token answer names the granted ``scope`` (NOTES section 1.2), that decides
   (`implied`): no extra requests, nothing written. It reflects the API application's Permissions tab;
   the agent the application logs in as can still be refused something (effective rights are
   agent AND application, NOTES section 1.1) -- ``force_probe=True`` (``check --probe``) catches that too.
2. Otherwise, or when the scope says nothing decisive, each permission is probed with a harmless request:
   reads with ``GET /<Entity>?count=1``, edits with ``POST /<Entity>`` of an empty array ``[]`` (Halo
   creates/updates one record per array element, NOTES section 2, so an empty array saves nothing [I]).
   A 403 means missing; any other answer, including a 400 about the empty body, means Halo let the
   request past its permission check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from halo_accounts.halo.errors import HaloError, HaloPermissionError

if TYPE_CHECKING:
    from halo_accounts.halo.client import HaloClient
    from halo_accounts.halo.models import Control


@dataclass(frozen=True)
class Permission:
    scope: str
    """The scope string Halo uses (NOTES section 1.3), also the label of its tick box."""
    action: str
    """What it lets the integrator do, completing "Halo refused to let the integrator ..."."""
    method: str
    entity: str
    """The request that probes it: ``method`` on ``/api/<entity>``."""


READ_CUSTOMERS = Permission("read:customers", "read customers and their sites", "GET", "Client")
EDIT_CUSTOMERS = Permission("edit:customers", "save customers' accounts references", "POST", "Client")
READ_ITEMS = Permission("read:items", "read items", "GET", "Item")
EDIT_ITEMS = Permission("edit:items", "create items and save their accounts codes", "POST", "Item")
READ_INVOICES = Permission("read:invoices", "read invoices and payments", "GET", "Invoice")
EDIT_INVOICES = Permission("edit:invoices", "mark invoices posted and record payments", "POST", "Invoice")
# NOTES section 1.1 [C]: "Admin Privileges will need to be granted for the initial import of Tax rates".
ADMIN = Permission("admin", "import tax rates and change Halo's settings", "POST", "Tax")

#: Shown by `check`, in this order.
PERMISSIONS: tuple[Permission, ...] = (
    READ_CUSTOMERS,
    EDIT_CUSTOMERS,
    READ_ITEMS,
    EDIT_ITEMS,
    READ_INVOICES,
    EDIT_INVOICES,
    ADMIN,
)

#: What a normal run needs, whatever the package (customers, items and invoices both ways; payments are invoices).
NEEDED: tuple[Permission, ...] = (READ_CUSTOMERS, EDIT_CUSTOMERS, READ_ITEMS, EDIT_ITEMS, READ_INVOICES, EDIT_INVOICES)
#: Needed only for the first import of tax rates (`check --for-tax-import` makes it required).
FOR_TAX_IMPORT: tuple[Permission, ...] = (ADMIN,)

#: entity (lower case) -> (scope for reads, scope for writes): names the permission a 403 lacked.
#: [?] NOTES sections 1.3 and 9: which scope guards /Tax reads and /Control is not documented; Control
#: "needs admin to read/write [I]" and tax rates are written with admin [C]. This is the one place to change.
ENDPOINT_SCOPES: dict[str, tuple[str, str]] = {
    "client": ("read:customers", "edit:customers"),
    "site": ("read:customers", "edit:customers"),
    "item": ("read:items", "edit:items"),
    "invoice": ("read:invoices", "edit:invoices"),
    "invoicepayment": ("read:invoices", "edit:invoices"),
    "tax": ("read:invoices", "admin"),
    "control": ("admin", "admin"),
}

_ACTIONS = {p.scope: p.action for p in PERMISSIONS}
_WHAT = {"control": "read Halo's accounts settings (Control)", "tax": "read tax rates"}


def permission_for(method: str, path: str) -> tuple[str, str]:
    """(scope, action) a request on ``path`` needs, for the message of a 403."""
    entity = path.strip("/").split("/")[0].split("?")[0].lower()
    read_scope, write_scope = ENDPOINT_SCOPES.get(entity, ("all", "all"))
    scope = read_scope if method.upper() == "GET" else write_scope
    if method.upper() == "GET" and entity in _WHAT:
        return scope, _WHAT[entity]
    return scope, _ACTIONS.get(scope, f"{'read' if method.upper() == 'GET' else 'change'} {entity} records")


def implied(granted: set[str], scope: str) -> bool | None:
    """Whether Halo's granted scopes include ``scope``; None when they do not say clearly.

    [?] NOTES section 1.3 lists ``all``, ``all:standard`` and ``admin`` as separate scopes: ``all`` is taken to
    cover every read:/edit: scope but not ``admin``; ``edit:X`` to include ``read:X``; ``all:standard`` is unknown.
    """
    if scope in granted:
        return True
    if scope != "admin" and "all" in granted:
        return True
    if scope.startswith("read:") and "edit:" + scope.split(":", 1)[1] in granted:
        return True
    if "all:standard" in granted:
        return None
    return False


@dataclass
class CheckLine:
    permission: Permission
    granted: bool
    how: str
    """"token scope" or "probe"."""
    required: bool
    note: str = ""
    in_application: bool | None = None
    """For a permission the requested scope leaves out: whether the application would grant it if asked."""


@dataclass
class CheckReport:
    ledger: str
    requested_scope: str
    granted_scope: str | None
    control: Control | None
    control_error: HaloError | None
    lines: list[CheckLine] = field(default_factory=list)

    @property
    def missing(self) -> list[CheckLine]:
        return [line for line in self.lines if line.required and not line.granted]

    @property
    def ok(self) -> bool:
        return not self.missing and self.control_error is None


def probe(client: HaloClient, permission: Permission) -> bool:
    """Try ``permission``'s harmless request; False only when Halo answers 403."""
    try:
        if permission.method == "GET":
            client.request("GET", permission.entity, params={"count": "1"})
        else:
            client.request("POST", permission.entity, json=[])
    except HaloPermissionError:
        return False
    except HaloError as exc:
        if exc.code in ("halo.validation", "halo.http_error"):
            return True  # refused for the empty body, i.e. after the permission check
        raise
    return True


def run_check(
    client: HaloClient,
    *,
    ledger: str,
    for_tax_import: bool = False,
    force_probe: bool = False,
    prober: Callable[[HaloClient, Permission], bool] = probe,
) -> CheckReport:
    """Get a token, read Control, and decide every permission in `PERMISSIONS` (see the module docstring)."""
    client.authenticate()
    control: Control | None = None
    control_error: HaloError | None = None
    try:
        control = client.control()
    except HaloPermissionError as exc:
        control_error = exc
    granted_scope = client.granted_scope
    granted = set(granted_scope.split()) if granted_scope is not None else None
    needed = set(NEEDED) | (set(FOR_TAX_IMPORT) if for_tax_import else set())
    requested = set(client.scope.split())
    report = CheckReport(
        ledger=ledger,
        requested_scope=client.scope,
        granted_scope=granted_scope,
        control=control,
        control_error=control_error,
    )
    for permission in PERMISSIONS:
        decided = None if force_probe or granted is None else implied(granted, permission.scope)
        if decided is None:
            ok, how = prober(client, permission), "probe"
        else:
            ok, how = decided, "token scope"
        note = "needed only for the first import of tax rates" if permission in FOR_TAX_IMPORT else ""
        line = CheckLine(permission, ok, how, permission in needed, note)
        if not ok and implied(requested, permission.scope) is False:
            # Not asked for: would the application grant it? (one extra token request)
            offered = client.try_scope(permission.scope)
            line.in_application = offered is not None and implied(set(offered.split()), permission.scope) is True
        report.lines.append(line)
    return report


def missing_fix(report: CheckReport, line: CheckLine, *, config: str) -> str:
    """What the user changes so that ``line``'s permission is granted."""
    from halo_accounts.messages import render

    scope = line.permission.scope
    asked = render(
        "halo.check.scope_not_requested",
        scope=scope,
        requested=report.requested_scope,
        suggested=f"{report.requested_scope} {scope}".strip(),
        config=config or "the configuration file",
    )
    if line.in_application:
        return f"{asked[0]} {asked[1]}"
    _, tick = render("halo.permission_missing", scope=scope, action=line.permission.action)
    return f"{tick} {asked[1]}" if line.in_application is False else tick
