"""What a package folder tells the rest of the program about itself: each `ledgers/<kind>/__init__.py` exports one
`Package`, and `ledgers/registry.py` lists them. Nothing outside a package's folder names the package."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from halo_accounts.ledgers.limits import Limits

if TYPE_CHECKING:
    from pydantic import BaseModel

    from halo_accounts.ledgers.port import Customer, Invoice, Ledger, Product, TaxCode
    from halo_accounts.messages import Message


@dataclass(frozen=True)
class FileManifest:
    """What a package's import-file writer put in a batch folder."""

    rows: Mapping[str, int]
    """Rows written per file ("customers", "products", ...)."""
    held: Sequence[Any] = ()
    """Records the file rules refused: objects with ``kind``, ``key``, ``message``, ``fix``."""
    cut: Sequence[Any] = ()
    """Free text shortened to fit: objects with ``kind``, ``key``, ``field``, ``length``, ``limit``."""


@dataclass(frozen=True)
class FileExport:
    """A package's import files (the 'file' ledger mode, `sync/file_export.py`): written now, imported into the
    package by the user, and marked posted in Halo only when the user confirms the batch (`export confirm`)."""

    limits: Limits
    """What the files can hold (may differ from the live connector's)."""
    tax_codes: Callable[[Mapping[int, Any]], Mapping[str, TaxCode]]
    """The package's tax codes as the files name them, from Halo's tax rates (by id): the package is not at hand."""
    customer_ref: Callable[[Customer, Callable[[str], bool]], str]
    """The reference a new customer gets in the files (``taken(ref)`` says whether one is used already)."""
    checked_ref: Callable[[str], str]
    """A customer reference Halo already has (its Accounts ID), checked for the package (RecordRejected if not)."""
    normalise_ref: Callable[[str], str]
    """A customer reference as the package compares them."""
    write: Callable[[Path, Sequence[Customer], Sequence[Product], Sequence[Invoice], Mapping[str, TaxCode]], Any]
    """Write one batch's files into the folder (with the tax codes the invoices name, as ``tax_codes`` gave them);
    returns a `FileManifest`-shaped object."""
    invoice_file: str
    """The file (inside the batch folder) that holds the invoices."""
    invoice_kind: str
    """The manifest's ``kind`` of a held invoice (its ``key`` is the invoice number)."""
    what: str
    """What the files are, for help text ("Sage 50 UK import files (File > Import)")."""
    steps: str
    """How to import a batch, told after it is written."""


@dataclass(frozen=True)
class Package:
    """One accounting package, as the rest of the program sees it."""

    kind: str
    """The configuration's ``[ledger] kind`` and the folder name."""
    display_name: str
    """As users know the product ("QuickBooks Desktop")."""
    limits: Limits
    settings: Mapping[str, type[BaseModel]]
    """The configuration sections this package owns, by section name."""
    open: Callable[[Any, Any], AbstractContextManager[Ledger]]
    """``open(settings, control)``: the package, open for one run (a context manager closing it afterwards)."""
    secrets: tuple[str, ...] = ()
    """Its secrets by dotted name ("sage50uk.password"), read from the environment or the OS keyring."""
    messages: tuple[Message, ...] = ()
    """Its entries in the message catalogue (merged by `halo_accounts.messages`)."""
    starter: str = ""
    """Its sections of the starter configuration file (`halo-accounts init`)."""
    limits_for_route: Callable[[Limits, bool], Limits] | None = None
    """The limits when the package does (True) or does not number invoices itself, where that changes them."""
    payment_reference_field: str = ""
    """A Halo `InvoicePayment` field that also carries the payment's package key (besides ``thirdpartyid``)."""
    item_department_field: str = ""
    """The Halo item field naming the package's department for the item's lines and product."""
    file_export: FileExport | None = None
    demo: str = ""
    """``module:function`` that `halo-accounts demo --ledger KIND` runs (a command, so it may use the sandboxes)."""
    extras: Mapping[str, Any] = field(default_factory=dict)

    def limits_when(self, assigns_numbers: bool = True) -> Limits:
        if self.limits_for_route is None:
            return self.limits
        return self.limits_for_route(self.limits, assigns_numbers)


