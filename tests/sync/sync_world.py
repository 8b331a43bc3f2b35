"""Helpers for sync tests: a real Halo sandbox on loopback, a real Halo client, a QuickBooks sandbox company
as a direct qbXML transport behind the real `QuickBooksLedger`, and a real store — wired into `SyncEngine`."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from halo_accounts.config import Settings
from halo_accounts.halo import HaloClient
from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
from halo_accounts.ledgers.quickbooks.qbxml.build import other_value
from halo_accounts.sandbox.halo import HaloSandbox, demo_seed
from halo_accounts.sandbox.quickbooks import Company
from halo_accounts.store import Store
from halo_accounts.sync import SyncEngine
from halo_accounts.sync.mapping import external_key

DEMO_APP: dict[str, Any] = {"client_id": "demo", "client_secret": "demo-secret", "scopes": ["all", "admin"]}
#: Income accounts the demo tenant's items use that a new sandbox company lacks (it has 4000-4300).
EXTRA_ACCOUNTS = [
    {"Name": "Licences", "AccountType": "Income", "AccountNumber": "4010"},
    {"Name": "Hardware", "AccountType": "Income", "AccountNumber": "4020"},
    {"Name": "Labour", "AccountType": "Income", "AccountNumber": "4030"},
    {"Name": "Training", "AccountType": "Income", "AccountNumber": "4040"},
]
#: Halo demo tax ids (1 standard, 2 zero, 3 exempt, 4 reduced) -> QuickBooks codes per edition.
TAX_MAPS = {"UK": {"1": "S", "2": "Z", "3": "E", "4": "R"},
            "US": {"1": "State Tax", "2": "Non", "3": "Out of State", "4": "City Tax"}}
#: Generous rate limit for tests that are not about the rate limit.
FAST = (1_000_000, 300.0)


@cache
def _seed(n_clients: int, n_items: int, n_invoices: int, seed: int) -> dict[str, Any]:
    return demo_seed.build(n_clients=n_clients, n_items=n_items, n_invoices=n_invoices, seed=seed)


def small_seed(n_invoices: int = 40, *, n_clients: int = 8, n_items: int = 21, seed: int = 1,
               control: dict[str, Any] | None = None) -> dict[str, Any]:
    data = copy.deepcopy(_seed(n_clients, n_items, n_invoices, seed))
    data["applications"] = [dict(DEMO_APP)]
    data["control"].update(control or {})
    return data


@dataclass
class World:
    """Halo sandbox + client, QuickBooks company + ledger, store: everything a sync run touches."""

    halo: HaloSandbox
    client: HaloClient
    company: Company
    ledger: QuickBooksLedger
    store: Store
    settings: Settings
    tmp: Path
    edition: str
    engines: list[SyncEngine] = field(default_factory=list)

    def engine(self, **kwargs: Any) -> SyncEngine:
        eng = SyncEngine(self.client, self.ledger, self.store, self.settings, **kwargs)
        self.engines.append(eng)
        return eng

    def map_taxes(self) -> None:
        for halo_id, code in TAX_MAPS[self.edition].items():
            self.store.link("tax", halo_id, code, number=code)

    def export(self) -> dict[str, Any]:
        return self.halo.export()

    def invoices(self) -> dict[int, dict[str, Any]]:
        return {inv["id"]: inv for inv in self.export()["invoices"]}

    def qb(self, kind: str) -> list[dict[str, Any]]:
        return self.company.dump(kind).get(kind, [])

    def amount_differences(self) -> tuple[int, list[str]]:
        """(how many documents were compared, every difference over 0.01) between each Halo invoice or credit
        note marked posted by the sync and the QuickBooks transaction carrying its key (`Other`)."""
        return compare_amounts(self.export()["invoices"], {
            str(t.get("Other", "")): (Decimal(str(t.get("Subtotal") or 0)), Decimal(str(t.get("SalesTaxTotal") or 0)))
            for kind in ("invoice", "creditmemo") for t in self.qb(kind)}, lambda inv: other_value(
                external_key(self.tenant, inv["id"])))

    @property
    def tenant(self) -> str:
        """The tenant part of our external keys, as the engine derives it from the settings."""
        return SyncEngine(self.client, self.ledger, self.store, self.settings).tenant


def compare_amounts(invoices: list[dict[str, Any]], package: dict[str, tuple[Decimal, Decimal]],
                    key_of: Any) -> tuple[int, list[str]]:
    """Halo's total and tax (credit notes made positive) against the package's (net, tax) found by ``key_of``."""
    compared, differences = 0, []
    for inv in invoices:
        if not inv.get("posted") or not inv.get("thirdpartyinvoicenumber"):
            continue
        found = package.get(key_of(inv))
        if found is None:
            continue  # posted before the test's runs (seeded as posted)
        compared += 1
        net, tax = found
        lines = inv.get("lines") or []
        halo_tax = sum((Decimal(str(ln.get("tax_amount") or 0)) for ln in lines), Decimal(0))
        halo_total = Decimal(str(inv.get("total") or 0))
        if halo_total < 0:
            halo_total, halo_tax = -halo_total, -halo_tax
        if abs(net + tax - halo_total) > Decimal("0.01") or abs(tax - halo_tax) > Decimal("0.01"):
            differences.append(f"Halo {inv['id']}: Halo {halo_total}/{halo_tax}, package {net + tax}/{tax}")
    return compared, differences


def make_settings(url: str, store_path: Path, batch_size: int = 50) -> Settings:
    settings = Settings()
    settings.halo.url = url
    settings.halo.client_id = "demo"
    settings.store.path = str(store_path)
    settings.sync.batch_size = batch_size
    return settings
