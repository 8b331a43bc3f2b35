"""The ledger port: what the sync engine needs from any accounting package, in ledger-neutral records.

Each package folder (`ledgers/<kind>/`) implements `Ledger`; the engine never sees qbXML or SDO
field names. Calls are ordinary blocking calls: a pull transport (the Web Connector) blocks the calling
worker until the package has answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Protocol, runtime_checkable

from halo_accounts.errors import HaloAccountsError


@dataclass(frozen=True)
class TaxCode:
    """A tax code as the package knows it (QuickBooks sales tax code/item, Sage "T1")."""

    code: str
    name: str
    rate: Decimal
    """Percent, e.g. Decimal("20")."""
    ledger_id: str = ""
    """The package's own id where it has one (QuickBooks ListID); else equal to ``code``."""
    parts: tuple[tuple[str, Decimal], ...] = ()
    """The taxes a composite code is made of, (tax name, percent) each (e.g. GST 5 + PST 7), where known."""


@dataclass(frozen=True)
class Account:
    """An income / nominal account."""

    code: str
    name: str
    kind: str = ""
    """The package's account type ("Income", "OtherIncome", "Sales"...)."""
    ledger_id: str = ""


@dataclass(frozen=True)
class Address:
    lines: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""


@dataclass(frozen=True)
class Customer:
    name: str
    ref: str = ""
    """The package's reference: QuickBooks ListID (or Name), Sage account ref (<= 8 chars)."""
    company_name: str = ""
    billing: Address = field(default_factory=Address)
    shipping: Address = field(default_factory=Address)
    email: str = ""
    phone: str = ""
    contact: str = ""
    tax_code: str = ""
    active: bool = True
    version: str = ""
    """Optimistic-concurrency token (QuickBooks EditSequence); empty where the package has none."""


@dataclass(frozen=True)
class Product:
    code: str
    """The product's name/code in the package (QuickBooks item Name, Sage stock code)."""
    ref: str = ""
    """The package's id (QuickBooks ListID); equal to ``code`` where the package has no other."""
    description: str = ""
    price: Decimal = Decimal("0")
    income_account: str = ""
    tax_code: str = ""
    kind: Literal["service", "non_inventory", "other_charge", "stock"] = "service"
    active: bool = True
    department: int | None = None


@dataclass(frozen=True)
class InvoiceLine:
    product_ref: str
    """The package's product reference (see `Product.ref`); empty for a description-only line."""
    description: str
    quantity: Decimal
    unit_price: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    tax_code: str
    """The package's tax code (already mapped from Halo's)."""
    account_code: str = ""
    department: int | None = None


@dataclass(frozen=True)
class Invoice:
    """An invoice or credit note to post (or as read back from the package)."""

    number: str
    """The reference the package stores (QuickBooks RefNumber, Sage invoice number/reference); may be
    empty when the package numbers it, in which case `Posted.number` carries what it chose."""
    customer_ref: str
    date: date
    lines: tuple[InvoiceLine, ...]
    kind: Literal["invoice", "credit"] = "invoice"
    due_date: date | None = None
    memo: str = ""
    """Free text the package keeps with the transaction (QuickBooks Memo, Sage notes)."""
    external_key: str = ""
    """A key of ours the package stores where it can (used to find the record after a crash)."""
    po_number: str = ""
    billing: Address = field(default_factory=Address)
    currency: str = ""

    @property
    def net_total(self) -> Decimal:
        return sum((line.net_amount for line in self.lines), Decimal("0"))

    @property
    def tax_total(self) -> Decimal:
        return sum((line.tax_amount for line in self.lines), Decimal("0"))


@dataclass(frozen=True)
class Posted:
    """What the package says about a transaction it holds."""

    ledger_id: str
    """The package's own id (QuickBooks TxnID; Sage the audit header number once on the ledgers, else the invoice
    number). Links keep it, and payments name it (`Payment.invoice_ledger_id`)."""
    number: str
    """The package's reference number (QuickBooks RefNumber, Sage invoice number)."""
    total: Decimal = Decimal("0")
    """The document's total including tax, as the package holds it (positive for credits too)."""
    kind: Literal["invoice", "credit"] = "invoice"
    balance: Decimal | None = None
    """Amount still outstanding where the package reports it."""
    tax: Decimal | None = None
    """The document's tax as the package holds it; None where the package did not say."""


@dataclass(frozen=True)
class Payment:
    """A payment keyed into the package against one invoice (split per invoice when applied to several)."""

    ledger_id: str
    """Stable and unique per (payment, invoice): Halo's `thirdpartyid` / `sage50_reference` key."""
    invoice_number: str
    """The package's reference of the invoice it pays (`Posted.number`)."""
    amount: Decimal
    date: date
    customer_ref: str = ""
    reference: str = ""
    method: str = ""
    modified: datetime | None = None
    invoice_ledger_id: str = ""
    """The package's own id of the invoice it pays (`Posted.ledger_id`: QuickBooks TxnID, Sage audit header
    number). Payments are matched by it and by customer, never by the user-editable number alone."""
    paid_to_date: bool = False
    """``amount`` is what the invoice has been paid in all so far, not one receipt (a package that keeps amounts
    owing rather than receipts). The engine sends only the part not sent before, under a key of its own
    (`sync/payments.py`), so the same amount is never recorded twice; ``ledger_id`` is then ignored."""


class LedgerError(HaloAccountsError):
    """The package refused a request. ``retryable`` says whether the same request may succeed later."""

    retryable: bool = False
    field_name: str = ""


class RecordRejected(LedgerError):
    """The package refused this record for a reason the user can fix (it is held, the run goes on)."""


class LedgerUnavailable(LedgerError):
    """The package cannot be reached now (closed, busy, session lost): stop the run, retry later."""

    retryable = True


@dataclass(frozen=True)
class Outcome:
    """The result of one record in a batch: exactly one of ``posted`` (invoices), ``created`` (customers,
    items) or ``error`` is set."""

    key: str
    posted: Posted | None = None
    error: LedgerError | None = None
    created: Customer | Product | None = None


@dataclass(frozen=True)
class LedgerInfo:
    kind: str
    """The package's kind, as its descriptor names it (`ledgers/registry.py`)."""
    edition: str
    """QuickBooks "US"|"UK"|"CA"|"AU"; Sage "UK"|"CA"."""
    version: str = ""
    company: str = ""
    currency: str = ""
    assigns_numbers: bool = False
    """True when the package numbers invoices itself when ``Invoice.number`` is empty."""


@runtime_checkable
class Ledger(Protocol):
    """What the sync engine asks of an accounting package."""

    def info(self) -> LedgerInfo: ...

    # Reference data.
    def tax_codes(self) -> list[TaxCode]: ...

    def accounts(self) -> list[Account]: ...

    def customers(self, modified_since: datetime | None = None) -> Iterator[Customer]: ...

    def products(self, modified_since: datetime | None = None) -> Iterator[Product]: ...

    # Look-ups (used for matching and for reconciling a write whose answer was lost).
    def find_customer(self, *, ref: str = "", name: str = "") -> Customer | None: ...

    def find_product(self, *, ref: str = "", code: str = "") -> Product | None: ...

    def find_invoice(self, number: str, kind: Literal["invoice", "credit"] = "invoice",
                     external_key: str = "") -> Posted | None: ...

    # Writes.
    def create_customer(self, customer: Customer) -> Customer: ...

    def update_customer(self, customer: Customer) -> Customer: ...

    def create_product(self, product: Product) -> Product: ...

    def post_invoices(self, invoices: Sequence[Invoice]) -> list[Outcome]:
        """Post a batch (one package round trip where the package allows it). Each outcome's ``key``
        is the invoice's ``external_key`` (or ``number`` when that is empty)."""
        ...

    # Money coming back.
    def payments(self, since: datetime | None = None) -> Iterator[Payment]: ...

    def close(self) -> None: ...


def create_many(ledger: Ledger, kind: Literal["customer", "item"],
                records: Sequence[Customer] | Sequence[Product]) -> list[Outcome]:
    """Create customers or items, one ``Outcome`` per record in order (``key`` = customer name / item code).

    Uses the ledger's optional batch method (``create_customers`` / ``create_products``, one package round
    trip where the package allows it) when it has one; otherwise creates them one by one. A `LedgerError`
    becomes that record's error outcome, except `LedgerUnavailable`, which propagates (stop the run).
    """
    batch = getattr(ledger, "create_customers" if kind == "customer" else "create_products", None)
    if callable(batch):
        return list(batch(records))
    outcomes: list[Outcome] = []
    for record in records:
        key = record.name if isinstance(record, Customer) else record.code
        try:
            created = ledger.create_customer(record) if isinstance(record, Customer) else \
                ledger.create_product(record)
        except LedgerUnavailable:
            raise
        except LedgerError as exc:
            outcomes.append(Outcome(key=key, error=exc))
            continue
        outcomes.append(Outcome(key=key, created=created))
    return outcomes


def batched(items: Iterable[Invoice], size: int) -> Iterator[list[Invoice]]:
    """Split ``items`` into lists of at most ``size``."""
    chunk: list[Invoice] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
