"""Helpers for whole-flow Sage tests: a real Halo sandbox on loopback and a real Halo client, a Sage 50 UK sandbox
company behind the real `Sage50UKLedger` (opened through `SdoConnection`, as on Windows), a real store, and the
real `SyncEngine`."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from halo_accounts.config import Settings
from halo_accounts.halo import HaloClient
from halo_accounts.ledgers.sage50uk import ConnectionSettings, Sage50UKLedger
from halo_accounts.sandbox.halo import HaloSandbox, demo_seed
from halo_accounts.sandbox.halo.conventions import is_credit_note
from halo_accounts.sandbox.sage50uk import Company, SDOEngine
from halo_accounts.sandbox.sage50uk.company import NOMINAL_SALES
from halo_accounts.secrets import Secret
from halo_accounts.store import Store
from halo_accounts.sync import SyncEngine

DEMO_APP: dict[str, Any] = {"client_id": "demo", "client_secret": "demo-secret", "scopes": ["all", "admin"]}
DATA_PATH = "C:\\SAGE\\COMPANY.000\\ACCDATA"
USER, PASSWORD, UNIQUE_ID = "HALO", "s3cret", "HALO-TESTPC"
#: Sales nominal codes the demo tenant's items use that a new sandbox company lacks (it has 4000, 4010, 4900).
NOMINALS = {"4020": "Hardware Sales", "4030": "Labour Sales", "4040": "Training Income"}
FAST = (1_000_000, 300.0)
"""A rate limit tests that are not about the rate limit never reach."""
#: Halo `sage50ukinvoicetype` values (ledgers/sage50uk/routes.py HALO_INVOICE_TYPES).
AUDIT, PRODUCT, SERVICE = 0, 1, 2


@cache
def _seed(n_clients: int, n_items: int, n_invoices: int) -> dict[str, Any]:
    return demo_seed.build(n_clients=n_clients, n_items=n_items, n_invoices=n_invoices, seed=1)


def sage_seed(n_invoices: int = 40, *, n_clients: int = 8, route: int = SERVICE, numeric: bool = False,
              unposted: bool = False, short_names: bool = True) -> dict[str, Any]:
    """The demo tenant set up for Sage 50 UK. ``numeric``: Halo invoice numbers of digits only (10001...);
    ``unposted``: none posted before; ``short_names``: item names cut to a Sage stock code's 30 characters."""
    data = copy.deepcopy(_seed(n_clients, 21, n_invoices))
    data["applications"] = [dict(DEMO_APP)]
    data["control"].update(useqb=False, usesage=True, sage50ukinvoicetype=route, sage50version=32)
    if short_names:
        for item in data["items"]:
            item["name"] = item["name"].replace("Managed Service", "MS").replace("Microsoft 365 Business", "M365")
    for inv in data["invoices"]:
        if inv["invoicenumber"].startswith("CN"):
            inv["client_id"] = 1  # credit notes for a client that is neither excluded nor held
        if numeric:
            inv["invoicenumber"] = str(10000 + inv["id"])
        if unposted:
            inv.update(posted=False, thirdpartyinvoicenumber="", dateposted="1899-12-30T00:00:00")
    if unposted:
        data["payments"] = []
    return data


def new_company(path: Path, *, nominals: dict[str, str] | None = None) -> Company:
    company = Company(path, data_path=DATA_PATH, users={"MANAGER": "letmein", USER: PASSWORD})
    with company.transaction():
        for code, name in (NOMINALS if nominals is None else nominals).items():
            company.put("nominal", code, {"ACCOUNT_REF": code, "NAME": name, "ACCOUNT_TYPE": NOMINAL_SALES,
                                          "BALANCE": 0.0, "DELETED_FLAG": 0})
    return company


def open_ledger(company: Company, route: object) -> Sage50UKLedger:
    engine = SDOEngine(company)
    conn = ConnectionSettings(DATA_PATH, USER, Secret(PASSWORD), 32, UNIQUE_ID)
    return Sage50UKLedger.open(conn, engine_factory=lambda version: engine, invoice_route=route)


def make_settings(url: str, store_path: Path, batch_size: int = 50) -> Settings:
    settings = Settings()
    settings.halo.url = url
    settings.halo.client_id = "demo"
    settings.ledger.kind = "sage50uk"
    settings.store.path = str(store_path)
    settings.sync.batch_size = batch_size
    return settings


@dataclass
class World:
    """Halo sandbox + client, Sage company + ledger, store: everything a sync run touches."""

    halo: HaloSandbox
    client: HaloClient
    company: Company
    ledger: Sage50UKLedger
    store: Store
    settings: Settings
    engines: list[SyncEngine] = field(default_factory=list)

    def engine(self, **kwargs: Any) -> SyncEngine:
        eng = SyncEngine(self.client, self.ledger, self.store, self.settings, **kwargs)
        self.engines.append(eng)
        return eng

    def invoices(self) -> dict[int, dict[str, Any]]:
        return {inv["id"]: inv for inv in self.halo.export()["invoices"]}

    def headers(self, ttype: int | None = None) -> list[dict[str, Any]]:
        """Audit-trail headers (TYPE 1 SI, 2 SC, 3 SR: NOTES §1.9.3)."""
        out = [h for h in (self.company.header(n) for n in self.company.header_numbers()) if h]
        return [h for h in out if ttype is None or h["TYPE"] == ttype]

    def amount_differences(self) -> tuple[int, list[str]]:
        """(documents compared, every difference over 0.01) between each Halo invoice or credit note the sync
        marked posted and what Sage's audit trail holds for it (header NET_AMOUNT + TAX_AMOUNT, NOTES
        §1.9.3)."""
        on_trail = {(int(h["TYPE"]), str(h["INV_REF"]).strip()):
                    (Decimal(str(h["NET_AMOUNT"])), Decimal(str(h["TAX_AMOUNT"])))
                    for h in self.headers() if int(h["TYPE"]) in (1, 2)}
        compared, differences = 0, []
        for inv in self.halo.export()["invoices"]:
            found = on_trail.get((2 if is_credit_note(inv) else 1, str(inv.get("thirdpartyinvoicenumber"))))
            if not inv.get("posted") or found is None:
                continue
            compared += 1
            halo_tax = abs(sum((Decimal(str(ln["tax_amount"])) for ln in inv["lines"]), Decimal(0)))
            halo_total = abs(Decimal(str(inv["total"])))
            net, tax = found
            if abs(net + tax - halo_total) > Decimal("0.01") or abs(tax - halo_tax) > Decimal("0.01"):
                differences.append(f"Halo {inv['id']}: Halo {halo_total}/{halo_tax}, Sage {net + tax}/{tax}")
        return compared, differences

    def documents(self) -> list[dict[str, Any]]:
        """Invoicing-module documents (product/service invoices and credits)."""
        return [d for d in (self.company.get("invoice", k) for k in self.company.keys("invoice")) if d]

    def close(self) -> None:
        self.client.close()
        self.ledger.close()
        self.store.close()
        self.company.close()
        self.halo.stop()


def make_world(tmp: Path, seed: dict[str, Any], *, nominals: dict[str, str] | None = None) -> World:
    halo = HaloSandbox(seed, rate_limit=FAST)
    halo.start()
    client = HaloClient(halo.url, "demo", "demo-secret", scope="all admin", timeout=10.0)
    company = new_company(tmp / "sage.sqlite3", nominals=nominals)
    ledger = open_ledger(company, seed["control"].get("sage50ukinvoicetype"))
    store = Store.open(tmp / "store.sqlite3")
    return World(halo, client, company, ledger, store, make_settings(halo.url, tmp / "store.sqlite3"))
