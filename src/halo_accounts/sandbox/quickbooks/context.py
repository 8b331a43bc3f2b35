"""What every handler needs: the store, the edition, the clock, iterators, and QuickBooks' common list rules.

The rules here are the ones all request families share: one name space for customers, vendors, employees and
other names (3100), per-edition length limits (3070), fields an edition lacks (530), Latin-1 only text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from halo_accounts.sandbox.quickbooks import editions
from halo_accounts.sandbox.quickbooks.clock import Clock, list_id, next_edit_sequence, txn_id
from halo_accounts.sandbox.quickbooks.render import ref
from halo_accounts.sandbox.quickbooks.status import QbError, Status, status
from halo_accounts.sandbox.quickbooks.store import Record, Store

# NOTES §3.6: Customer/Vendor/Employee/OtherName share one name space.
ENTITY_KINDS = ("customer", "vendor", "employee", "othername")
# Every item type shares the item list's name space (one Item list in QuickBooks).
ITEM_KINDS = ("item",)

# Which list a reference tag points at, and how a 3140 message names it
# (real-responses/flowlink-SalesOrderAdd-batch-1-0-3140.xml: 'QuickBooks Customer "…"'; other names [?]).
REF_TARGETS: dict[str, tuple[tuple[str, ...], str]] = {
    "CustomerRef": (("customer",), "Customer"),
    "ParentRef": (("customer",), "Customer"),
    "ItemRef": (ITEM_KINDS, "Item"),
    "ClassRef": (("class",), "Class"),
    "TermsRef": (("terms",), "Terms"),
    "SalesTaxCodeRef": (("salestaxcode",), "Sales Tax Code"),
    "CustomerSalesTaxCodeRef": (("salestaxcode",), "Sales Tax Code"),
    "PurchaseTaxCodeRef": (("salestaxcode",), "Sales Tax Code"),
    "ItemSalesTaxRef": (ITEM_KINDS, "Item"),
    "ARAccountRef": (("account",), "Account"),
    "AccountRef": (("account",), "Account"),
    "IncomeAccountRef": (("account",), "Account"),
    "ExpenseAccountRef": (("account",), "Account"),
    "DepositToAccountRef": (("account",), "Account"),
    "TemplateRef": (("template",), "Template"),
    "PaymentMethodRef": (("paymentmethod",), "Payment Method"),
    "PreferredPaymentMethodRef": (("paymentmethod",), "Payment Method"),
    "PrefVendorRef": (("vendor",), "Vendor"),
}


def latin1(text: str) -> str:
    """QuickBooks stores ISO-8859-1 only; other characters become '?' (NOTES §3.2, qbwc/qbxml README)."""
    return "".join(ch if ord(ch) < 256 else "?" for ch in text)


@dataclass
class Iterator:
    request: str
    keys: list[tuple[str, str]]
    page: int | None


@dataclass
class Ctx:
    store: Store
    edition: str
    clock: Clock
    iterators: dict[str, Iterator] = field(default_factory=dict)
    warning: Status | None = None  # a 530 collected while handling the current request

    # -- identities ------------------------------------------------------------------------------
    def new_list_id(self, epoch: float) -> str:
        return list_id(self.store.bump("list"), epoch)

    def new_txn_id(self, epoch: float) -> str:
        return txn_id(self.store.bump("txn"), epoch)

    def stamp_new(self, record: Record, *, txn: bool = False) -> float:
        """Give a new record its id, TimeCreated/TimeModified and EditSequence; returns the epoch."""
        epoch = self.clock.epoch()
        key = "TxnID" if txn else "ListID"
        record[key] = self.new_txn_id(epoch) if txn else self.new_list_id(epoch)
        record["TimeCreated"] = record["TimeModified"] = self.clock.stamp(epoch)
        record["EditSequence"] = next_edit_sequence(epoch, None)
        return epoch

    def touch(self, record: Record) -> float:
        """Mark ``record`` modified now: new TimeModified and a new EditSequence (NOTES §3.6)."""
        epoch = self.clock.epoch()
        record["TimeModified"] = self.clock.stamp(epoch)
        record["EditSequence"] = next_edit_sequence(epoch, record.get("EditSequence"))
        record["_modified"] = epoch
        return epoch

    def save(self, kind: str, record: Record, *, name: str | None = None, refnum: str | None = None,
             owner: str | None = None) -> None:
        rec_id = record.get("ListID") or record["TxnID"]
        if "_modified" not in record:
            record["_modified"] = self.clock.epoch()
        self.store.put(kind, rec_id, record, modified=record["_modified"],
                       name_key=name.lower() if name is not None else None, ref=refnum, owner=owner)

    # -- names -----------------------------------------------------------------------------------
    def check_name_free(self, kinds: tuple[str, ...], full_name: str, kind_limit: str, *, own_id: str = "") -> None:
        """3100 when ``full_name`` is taken in the shared name space (message cuts the name to the field)."""
        hit = self.store.by_name(kinds, full_name)
        if hit is not None and hit[1].get("ListID") != own_id:
            cut = editions.limit(editions.NAME_LIMITS, kind_limit, self.edition) or len(full_name)
            raise QbError(status(3100, value=full_name[:cut]))

    # -- references ------------------------------------------------------------------------------
    def resolve(self, tag: str, value: Any, txn_name: str) -> Record:
        """The record a ``*Ref`` dict points at, or 3140 naming the missing object."""
        kinds, what = REF_TARGETS.get(tag, ((), tag.removesuffix("Ref")))
        wanted = value if isinstance(value, dict) else {}
        found: Record | None = None
        if wanted.get("ListID"):
            for kind in kinds:
                found = self.store.get(kind, wanted["ListID"])
                if found:
                    break
        elif wanted.get("FullName"):
            hit = self.store.by_name(kinds, wanted["FullName"]) if kinds else None
            found = hit[1] if hit else None
        if found is None:
            shown = wanted.get("FullName") or wanted.get("ListID") or ""
            if tag == "ParentRef":
                raise QbError(status(3130, value=shown, list="Customers"))
            raise QbError(status(3140, what=what, value=shown, txn=txn_name))
        return found

    def ref_to(self, tag: str, value: Any, txn_name: str) -> dict[str, str]:
        return ref(self.resolve(tag, value, txn_name))

    # -- request checks --------------------------------------------------------------------------
    def check_edition_fields(self, element: etree._Element, extra: frozenset[str] = frozenset()) -> set[str]:
        """Fields this edition lacks: remembered as a 530 warning and returned so the caller drops them."""
        unsupported = editions.NOT_IN_EDITION[self.edition] | editions.QBOE_ONLY | extra
        dropped: set[str] = set()
        for child in element.iter():
            if isinstance(child.tag, str) and child.tag in unsupported:
                dropped.add(child.tag)
                if self.warning is None:
                    self.warning = status(530, field=child.tag)
        return dropped

    def check_lengths(self, element: etree._Element, name_kind: str) -> None:
        """3070 for the first value longer than this edition allows (NOTES §4 limits)."""
        for child in element.iter():
            if not isinstance(child.tag, str) or len(child) or not child.text:
                continue
            parent = child.getparent()
            ptag = parent.tag if parent is not None else ""
            if ptag.endswith("Ref") and child.tag == "FullName":
                cap = editions.limit(editions.REF_LIMITS, ptag, self.edition)
            elif ptag.endswith("Address"):
                cap = editions.limit(editions.ADDRESS_LIMITS, child.tag, self.edition)
            elif child.tag == "Name" and parent is element:
                cap = editions.limit(editions.NAME_LIMITS, name_kind, self.edition)
            else:
                cap = editions.limit(editions.FIELD_LIMITS, child.tag, self.edition)
            if cap is not None and len(child.text) > cap:
                raise QbError(status(3070, value=child.text, field=child.tag))
