"""The package's reference data as the last run read it (tax codes, accounts, customers, items), kept in the store,
so the next update can be previewed when the package cannot be reached now (the Web Connector calls us, not the
other way round). `SnapshotLedger` serves it as a read-only `Ledger` for dry runs."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import (
    Account,
    Address,
    Customer,
    Invoice,
    LedgerInfo,
    LedgerUnavailable,
    Outcome,
    Payment,
    Posted,
    Product,
    TaxCode,
)

CURSOR = "snapshot.{part}"
PARTS = ("info", "tax_codes", "accounts", "customers", "products", "taken")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    raise TypeError(type(value).__name__)


def _dump(records: Sequence[Any]) -> str:
    return json.dumps([asdict(r) for r in records], default=_plain)


def save(store: Any, ctx: Any) -> None:
    """Keep what this run knew of the package; parts the run did not load keep their last value."""
    with store.transaction():
        store.set_cursor(CURSOR.format(part="info"), json.dumps(asdict(ctx.info)))
        store.set_cursor(CURSOR.format(part="tax_codes"), _dump(list(ctx.tax_codes.values())))
        store.set_cursor(CURSOR.format(part="accounts"), _dump(ctx.accounts))
        store.set_cursor(CURSOR.format(part="taken"), datetime.now().astimezone().isoformat(timespec="seconds"))
        for part, index in (("customers", ctx.customers), ("products", ctx.products)):
            if index.loaded:
                store.set_cursor(CURSOR.format(part=part), _dump(list((index._by_ref or {}).values())))


def taken(store: Any) -> str:
    """When the snapshot was taken ("" when no run has kept one)."""
    return store.get_cursor(CURSOR.format(part="taken")) or ""


def _load(store: Any, part: str) -> list[dict[str, Any]]:
    raw = store.get_cursor(CURSOR.format(part=part))
    return json.loads(raw) if raw else []


def _address(raw: dict[str, Any] | None) -> Address:
    raw = raw or {}
    return Address(lines=tuple(raw.get("lines", ())), city=raw.get("city", ""), region=raw.get("region", ""),
                   postcode=raw.get("postcode", ""), country=raw.get("country", ""))


class SnapshotLedger:
    """A read-only `Ledger` over the last snapshot: for previews only; any write is refused."""

    def __init__(self, store: Any) -> None:
        if not taken(store):
            raise HaloAccountsError("sync.preview_no_snapshot")
        raw = json.loads(store.get_cursor(CURSOR.format(part="info")) or "{}")
        self._info = LedgerInfo(**raw)
        self._taxes = [TaxCode(code=t["code"], name=t["name"], rate=Decimal(t["rate"]), ledger_id=t["ledger_id"],
                               parts=tuple((n, Decimal(r)) for n, r in t.get("parts", ())))
                       for t in _load(store, "tax_codes")]
        self._accounts = [Account(**a) for a in _load(store, "accounts")]
        self._customers = [Customer(**{**c, "billing": _address(c.get("billing")),
                                       "shipping": _address(c.get("shipping"))}) for c in _load(store, "customers")]
        self._products = [Product(**{**p, "price": Decimal(p.get("price", "0"))}) for p in _load(store, "products")]

    def info(self) -> LedgerInfo:
        return self._info

    def tax_codes(self) -> list[TaxCode]:
        return list(self._taxes)

    def accounts(self) -> list[Account]:
        return list(self._accounts)

    def customers(self, modified_since: datetime | None = None) -> Iterator[Customer]:
        return iter(self._customers)

    def products(self, modified_since: datetime | None = None) -> Iterator[Product]:
        return iter(self._products)

    def find_customer(self, *, ref: str = "", name: str = "") -> Customer | None:
        key = (ref or name).casefold()
        return next((c for c in self._customers if key in (c.ref.casefold(), c.name.casefold())), None)

    def find_product(self, *, ref: str = "", code: str = "") -> Product | None:
        key = (ref or code).casefold()
        return next((p for p in self._products if key in (p.ref.casefold(), p.code.casefold())), None)

    def find_invoice(self, number: str, kind: Literal["invoice", "credit"] = "invoice",
                     external_key: str = "") -> Posted | None:
        return None  # not known without the package; a preview does not reconcile

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise LedgerUnavailable("sync.preview_only")

    create_customer = update_customer = create_product = _refuse

    def post_invoices(self, invoices: Sequence[Invoice]) -> list[Outcome]:
        raise LedgerUnavailable("sync.preview_only")

    def payments(self, since: datetime | None = None) -> Iterator[Payment]:
        return iter(())  # amounts paid are read at the next update

    def close(self) -> None:
        pass
