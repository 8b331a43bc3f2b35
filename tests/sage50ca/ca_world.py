"""Helpers for whole-flow Sage 50 CA tests: the Halo sandbox on loopback with a Canadian tenant and a real Halo
client, a Sage 50 CA sandbox company behind the real `Sage50CALedger` (opened through the SDK session, as on
Windows), a real store, and the real `SyncEngine`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from halo_accounts.config import Settings
from halo_accounts.halo import HaloClient
from halo_accounts.ledgers.sage50ca.ledger import Options, Sage50CALedger
from halo_accounts.ledgers.sage50ca.sdk.session import ConnectionSettings, SdkSession
from halo_accounts.sandbox.halo import HaloSandbox
from halo_accounts.sandbox.halo.conventions import is_credit_note
from halo_accounts.sandbox.sage50ca import Company, Faults, make_sdk
from halo_accounts.sandbox.sage50ca.halo_seed import SAGE_TAX_CODES, TAX_MAP, build
from halo_accounts.secrets import Secret
from halo_accounts.store import Store
from halo_accounts.sync import SyncEngine

SAI = "C:\\Sage\\Company\\Maple.SAI"
USER, PASSWORD = "halo", "s3cret-ca"
FAST = (1_000_000, 300.0)


def ca_seed(n_invoices: int = 40, *, unposted: bool = True, n_clients: int = 8) -> dict[str, Any]:
    data = build(n_clients=n_clients, n_invoices=n_invoices)
    for inv in data["invoices"]:
        if inv["invoicenumber"].startswith("CN"):
            inv["client_id"] = 1
        if unposted:
            inv.update(posted=False, thirdpartyinvoicenumber="", dateposted="1899-12-30T00:00:00")
    if unposted:
        data["payments"] = []
    return data


def new_company(path: Path) -> Company:
    return Company(path, sai=SAI, users={"sysadmin": ("admin", "readwrite"), USER: (PASSWORD, "readwrite")})


def conn(**overrides: Any) -> ConnectionSettings:
    values: dict[str, Any] = {"company_path": SAI, "username": USER, "password": Secret(PASSWORD)}
    values.update(overrides)
    return ConnectionSettings(**values)


def open_ledger(company: Company, faults: Faults | None = None, **conn_overrides: Any) -> Sage50CALedger:
    session = SdkSession(make_sdk(company, faults), conn(**conn_overrides)).open()
    return Sage50CALedger(session, Options(tax_codes=tuple(sorted(SAGE_TAX_CODES.items()))))


def make_settings(url: str, store_path: Path, batch_size: int = 50) -> Settings:
    settings = Settings()
    settings.halo.url = url
    settings.halo.client_id = "demo"
    settings.ledger.kind = "sage50ca"
    settings.store.path = str(store_path)
    settings.sync.batch_size = batch_size
    settings.sage50ca.tax_codes = dict(SAGE_TAX_CODES)
    return settings


def map_taxes(store: Store) -> None:
    """Halo's rates -> the company's codes, as `halo-accounts map tax ID CODE` keeps them."""
    with store.transaction():
        for halo_id, code in TAX_MAP.items():
            store.link("tax", str(halo_id), code, number=code)


@dataclass
class World:
    halo: HaloSandbox
    client: HaloClient
    company: Company
    ledger: Sage50CALedger
    store: Store
    settings: Settings
    engines: list[SyncEngine] = field(default_factory=list)

    def engine(self, **kwargs: Any) -> SyncEngine:
        eng = SyncEngine(self.client, self.ledger, self.store, self.settings, **kwargs)
        self.engines.append(eng)
        return eng

    def invoices(self) -> dict[int, dict[str, Any]]:
        return {inv["id"]: inv for inv in self.halo.export()["invoices"]}

    def amount_differences(self) -> tuple[int, list[str]]:
        """(documents compared, every difference over 0.01) between each Halo invoice or credit note marked posted
        and the journal entry Sage holds for it (its total and tax, as Sage worked them out)."""
        journals = {(j["number"], j["customer"].casefold()): j for j in self.company.journals()}
        clients = {c["id"]: c for c in self.halo.export()["clients"]}
        compared, differences = 0, []
        for inv in self.halo.export()["invoices"]:
            if not inv.get("posted"):
                continue
            client = clients[inv["client_id"]]
            found = journals.get((inv["thirdpartyinvoicenumber"], (client.get("accountsid") or client["name"])
                                  .casefold()))
            if found is None:
                differences.append(f"Halo {inv['id']} {inv['invoicenumber']}: posted in Halo, not in Sage")
                continue
            compared += 1
            halo_tax = abs(sum((Decimal(str(ln["tax_amount"])) for ln in inv["lines"]), Decimal(0)))
            halo_total = abs(Decimal(str(inv["total"])))
            total, tax = abs(Decimal(found["total"])), abs(Decimal(found["tax"]))
            if (Decimal(found["total"]) < 0) != is_credit_note(inv):
                differences.append(f"Halo {inv['id']}: the sign in Sage is wrong ({found['total']})")
            if abs(total - halo_total) > Decimal("0.01") or abs(tax - halo_tax) > Decimal("0.01"):
                differences.append(f"Halo {inv['id']}: Halo {halo_total}/{halo_tax}, Sage {total}/{tax}")
        return compared, differences

    def close(self) -> None:
        self.client.close()
        self.ledger.close()
        self.store.close()
        self.company.close()
        self.halo.stop()


def make_world(tmp: Path, seed: dict[str, Any], *, faults: Faults | None = None) -> World:
    halo = HaloSandbox(seed, rate_limit=FAST)
    halo.start()
    client = HaloClient(halo.url, "demo", "demo-secret", scope="all admin", timeout=10.0)
    company = new_company(tmp / "sage50ca.sqlite3")
    ledger = open_ledger(company, faults)
    store = Store.open(tmp / "store.sqlite3")
    map_taxes(store)
    return World(halo, client, company, ledger, store, make_settings(halo.url, tmp / "store.sqlite3"))
