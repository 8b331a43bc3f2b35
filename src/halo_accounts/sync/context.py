"""What one run knows before it plans: Halo's settings, the package's reference data, the tax map, and the
package references resolved so far (customers and items, including those the run will create)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from halo_accounts.ledgers.port import Account, Customer, LedgerInfo, Product, TaxCode
from halo_accounts.sync import fields as f
from halo_accounts.sync.limits import Limits
from halo_accounts.sync.mapping import normalize_name

#: Halo `Control` fields the engine reads (reference/halo/NOTES.md §9).
CONTROL_APPROVAL = "syncinvoicetoaccountspackagewhenapproved"
CONTROL_HALO_NUMBERS = "usehaloinvoiceidforaccounts"
CONTROL_DEFAULT_NOMINAL = "item_default_sales_nominal_code"


#: [I] halo/NOTES.md §9: with invoice approvals enabled in Halo ("could also delay the sync to an accounting
#: package"), an invoice awaiting approval does not go, whatever `syncinvoicetoaccountspackagewhenapproved` says.
CONTROL_APPROVALS_ENABLED = "enableinvoiceapprovals"
#: [I] halo/NOTES.md §9 `only_send_posted_invoices`: read as "only invoices Halo has sent (issued) to the customer",
#: i.e. with `datesent` set. Change `ISSUED_FIELD` (or the meaning in `is_issued`) when a tenant shows otherwise.
CONTROL_ONLY_SENT = "only_send_posted_invoices"
ISSUED_FIELD = "datesent"
#: [I] halo/NOTES.md §7.2/§9: since v2.228 an invoice's status may disallow syncing to third parties; the 2024 spec
#: has no such field, the database has `INVOICEHEADER.ihdontsyncto3rdparty` (schema.sql [C]). The API names we
#: accept for it:
NO_SYNC_FIELDS = ("dontsyncto3rdparty", "ihdontsyncto3rdparty", "dont_sync_to_3rd_party")
#: Fields that decide whether an invoice may go; a list row without one of them is fetched whole (halo/NOTES.md
#: §3: list rows are abbreviated views).
DECIDING_FIELDS = ("voided", "requires_approval")


def is_approved(invoice: Any) -> bool | None:
    """Whether Halo considers an invoice approved; None when the record does not say (never a guess).

    [?] halo/NOTES.md §7.2/§9: the approval fields' values are not documented. The Halo sandbox marks a
    pending invoice ``requires_approval: true, approval_status: 0`` and an approved one
    ``requires_approval: false, approval_status: 1`` (sandbox/halo/conventions.py); we accept either sign.
    """
    if f.get(invoice, "requires_approval") is None and f.get(invoice, "approval_status") is None:
        return None
    if not f.flag(invoice, "requires_approval"):
        return True
    return f.get(invoice, "approval_status") in (1, "1", True)


def missing_deciders(invoice: Any) -> list[str]:
    """The deciding fields a Halo invoice record lacks."""
    return [name for name in DECIDING_FIELDS if f.get(invoice, name) is None]


def is_issued(invoice: Any) -> bool:
    return f.day(f.get(invoice, ISSUED_FIELD)) is not None


def status_disallows_sync(invoice: Any) -> bool:
    return any(f.flag(invoice, name) for name in NO_SYNC_FIELDS)


@dataclass
class LedgerIndex:
    """Lazily loaded lists of the package's customers or products, looked up by reference and name."""

    loader: Callable[[], Iterator[Any]]
    ref_of: Callable[[Any], str]
    name_of: Callable[[Any], str]
    _by_ref: dict[str, Any] | None = None
    _by_name: dict[str, list[Any]] = field(default_factory=dict)

    def _load(self) -> None:
        if self._by_ref is not None:
            return
        self._by_ref = {}
        for record in self.loader():
            self.add(record)

    def add(self, record: Any) -> None:
        if self._by_ref is None:
            self._by_ref = {}
        ref = self.ref_of(record)
        if ref:
            self._by_ref[ref.casefold()] = record
        self._by_name.setdefault(normalize_name(self.name_of(record)), []).append(record)

    def by_ref(self, ref: str) -> Any | None:
        self._load()
        assert self._by_ref is not None
        return self._by_ref.get(ref.casefold())

    def by_name(self, name: str) -> list[Any]:
        self._load()
        return list(self._by_name.get(normalize_name(name), []))

    @property
    def loaded(self) -> bool:
        return self._by_ref is not None


def customer_index(ledger: Any) -> LedgerIndex:
    return LedgerIndex(loader=lambda: ledger.customers(), ref_of=lambda c: c.ref, name_of=lambda c: c.name)


def product_index(ledger: Any) -> LedgerIndex:
    return LedgerIndex(loader=lambda: ledger.products(), ref_of=lambda p: p.ref or p.code, name_of=lambda p: p.code)


@dataclass
class Context:
    """Reference data and resolution state of one run."""

    control: Any
    info: LedgerInfo
    limits: Limits
    tax_codes: dict[str, TaxCode]
    accounts: list[Account]
    halo_taxes: dict[int, Any]
    tax_map: dict[int, str]
    customers: LedgerIndex
    products: LedgerIndex
    tenant: str = ""
    nominal_map: dict[str, str] = field(default_factory=dict)
    """Halo nominal code (case-folded) -> the package's account code, where the user mapped one."""
    clients: dict[int, Any] = field(default_factory=dict)
    items: dict[int, Any] = field(default_factory=dict)
    customer_refs: dict[int, str] = field(default_factory=dict)
    """Halo client id -> package customer reference (known now)."""
    customers_pending: dict[int, Customer] = field(default_factory=dict)
    """Halo client id -> customer this run creates (its reference is known after apply)."""
    customer_problems: dict[int, str] = field(default_factory=dict)
    """Halo client id -> why it cannot go (its own held message)."""
    product_refs: dict[int, str] = field(default_factory=dict)
    products_pending: dict[int, Product] = field(default_factory=dict)
    product_problems: dict[int, str] = field(default_factory=dict)
    item_accounts: dict[int, str] = field(default_factory=dict)
    catch_all_item: str = ""
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    """The tenant's time zone: Halo's timestamps become package dates in it (sync/tenant_time.py)."""
    """`[sync] catch_all_item`: the package item for Halo lines without a usable item."""
    """Halo item id -> the package's income account of that item (for lines without their own nominal)."""

    @property
    def package(self) -> str:
        return self.limits.package

    @property
    def department_field(self) -> str:
        """The Halo item field naming the package's department (its descriptor's), or "" where it has none."""
        from halo_accounts.ledgers import registry

        package = registry.get(self.info.kind)
        return package.item_department_field if package is not None else ""

    @property
    def approval_required(self) -> bool:
        return f.flag(self.control, CONTROL_APPROVAL)

    @property
    def approvals_enabled(self) -> bool:
        return f.flag(self.control, CONTROL_APPROVALS_ENABLED)

    @property
    def only_sent(self) -> bool:
        return f.flag(self.control, CONTROL_ONLY_SENT)

    @property
    def halo_numbers(self) -> bool:
        """Halo's invoice number is the package's reference (else the package numbers invoices)."""
        if f.flag(self.control, CONTROL_HALO_NUMBERS):
            return True
        return not self.info.assigns_numbers

    @property
    def default_nominal(self) -> str:
        """Halo's default sales nominal code: a KeyPair {value, label} in Control (NOTES §9), or plain text."""
        value = f.get(self.control, CONTROL_DEFAULT_NOMINAL)
        if value is None or isinstance(value, str):
            return (value or "").strip()
        return f.text(value, "value")

    def account(self, code: str) -> Account | None:
        """The package account with this code (or name), case-insensitive; a Halo nominal code mapped to another
        account (the console's Mappings, links of kind "nominal") is that account."""
        wanted = self.nominal_map.get(code.casefold(), code).casefold()
        for account in self.accounts:
            if account.code.casefold() == wanted or account.name.casefold() == wanted or (
                account.ledger_id and account.ledger_id.casefold() == wanted
            ):
                return account
        return None

    def tax_codes_text(self) -> str:
        return ", ".join(sorted(self.tax_codes)) or "(none)"

    def tax_name(self, tax_id: int) -> str:
        return f.text(self.halo_taxes.get(tax_id), "name") or f"tax {tax_id}"


#: Two rates are the same when they differ by less than this (percent): Halo keeps `value` as a float.
RATE_TOLERANCE = Decimal("0.001")


def _words(text: str) -> frozenset[str]:
    """The words of a tax name without its figures: "Standard 20%" -> {"standard"}."""
    return frozenset(w for w in re.split(r"[^\w]+", text.casefold()) if w and not w.replace(".", "").isdigit())


def _same_name(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and (a <= b or b <= a)


def tax_candidates(halo_tax: Any, tax_codes: dict[str, TaxCode] | list[TaxCode]) -> tuple[list[TaxCode], bool]:
    """Package tax codes with the rate of ``halo_tax``, best first, and whether the first also has its name (or
    code) - a 1:1 match by rate and name (issue 8.8)."""
    codes = list(tax_codes.values()) if isinstance(tax_codes, dict) else list(tax_codes)
    try:
        rate = Decimal(str(f.get(halo_tax, "value")))
    except (ArithmeticError, ValueError):
        return [], False
    same_rate = [c for c in codes if abs(Decimal(c.rate) - rate) < RATE_TOLERANCE]
    names = [_words(f.text(halo_tax, "name")), _words(f.text(halo_tax, "code"))]
    named = [c for c in same_rate if any(_same_name(n, _words(c.name)) or _same_name(n, _words(c.code))
                                         for n in names)]
    return (named + [c for c in same_rate if c not in named]), bool(named)


def build_tax_map(links: dict[str, str], halo_taxes: dict[int, Any], tax_codes: dict[str, TaxCode]) -> dict[int, str]:
    """Halo tax id -> package tax code: the stored map first, else a Halo tax whose ``code`` is a package code."""
    out: dict[int, str] = {}
    by_fold = {code.casefold(): code for code in tax_codes}
    for tax_id, tax in halo_taxes.items():
        linked = links.get(str(tax_id))
        if linked:
            out[tax_id] = linked
            continue
        for candidate in (f.text(tax, "code"), f.text(tax, "third_party_id")):
            if candidate and candidate.casefold() in by_fold:
                out[tax_id] = by_fold[candidate.casefold()]
                break
    for halo_id, code in links.items():
        tid = f.ident(halo_id)
        if tid is not None and tid not in out:
            out[tid] = code
    return out
