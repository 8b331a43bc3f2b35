"""Helpers for command tests: the CLI over a config file pointing at a real Halo sandbox and a store, with the
QuickBooks sandbox company reached either now (the ledger factory's test hook, as over COM) or only inside a real
Web Connector update (the real endpoint driven over HTTP by the zeep driver, running `serve`'s job)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sync_world import EXTRA_ACCOUNTS, FAST, TAX_MAPS, small_seed

from halo_accounts import config
from halo_accounts.cli import main
from halo_accounts.halo import HaloClient
from halo_accounts.ledgers.port import Customer
from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
from halo_accounts.ledgers.quickbooks.settings import WebConnectorSettings
from halo_accounts.ledgers.quickbooks.webconnector import server
from halo_accounts.sandbox.halo import HaloSandbox
from halo_accounts.sandbox.quickbooks import Company
from halo_accounts.sandbox.quickbooks.webconnector_driver import WebConnectorDriver
from halo_accounts.store import Store
from halo_accounts.sync import ledger_factory
from halo_accounts.sync.serve import webconnector_job

PLAIN_APP = {"client_id": "plain", "client_secret": "plain-secret", "scopes": ["all"]}
WC_USER, WC_PASSWORD = "halo-qbwc", "pw for test"


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return " ".join((self.out + self.err).split())  # rich wraps long lines


@dataclass
class CliWorld:
    halo: HaloSandbox
    company: Company
    store_file: Path
    config_file: Path
    tmp: Path
    monkeypatch: pytest.MonkeyPatch
    reports: list[Any] = field(default_factory=list)

    def __call__(self, *args: str) -> Outcome:
        """`halo-accounts ARGS` as a user runs it (errors shown as message + fix, exit 2)."""
        out, err = io.StringIO(), io.StringIO()
        code = 0
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = int(exc.code or 0)
        return Outcome(code, out.getvalue(), err.getvalue())

    def settings(self) -> config.Settings:
        return config.load(self.config_file)

    def client(self, scope: str = "all") -> HaloClient:
        return HaloClient(self.halo.url, "demo", "demo-secret", scope=scope)

    def halo_record(self, entity: str, record_id: int) -> dict[str, Any]:
        return next(r for r in self.halo.export()[entity] if r["id"] == record_id)

    def qb_customers(self) -> list[dict[str, Any]]:
        return self.company.dump("customer").get("customer", [])

    def add_qb_customer(self, name: str) -> str:
        """A customer keyed into QuickBooks by hand; its ListID."""
        return QuickBooksLedger(self.company).create_customer(Customer(name=name)).ref

    @contextmanager
    def store(self) -> Iterator[Store]:
        with Store.open(self.store_file) as store:
            yield store

    def update_result(self) -> Any:
        """One Web Connector update: the real endpoint, `serve`'s job (opening Halo from the settings, as
        `halo-accounts serve` does), the zeep driver answering from the QuickBooks sandbox company."""
        job = webconnector_job(self.settings(), on_report=self.reports.append)
        wc = WebConnectorSettings(username=WC_USER)
        with server.running(server.create_app(wc, job, password=WC_PASSWORD)) as url, \
                WebConnectorDriver(url, WC_USER, WC_PASSWORD, self.company, noop_pause=0.01) as driver:
            return driver.run_update()

    def update(self) -> Any:
        """A Web Connector update that must end well; the sync's report."""
        result = self.update_result()
        assert result.outcome == "done", result.error
        return self.reports[-1] if self.reports else None


def first_client_with_invoices(seed: dict[str, Any]) -> int:
    return int(seed["invoices"][0]["client_id"])


@contextmanager
def cli_world(tmp: Path, monkeypatch: pytest.MonkeyPatch, *, transport: str, n_invoices: int = 12,
              map_taxes: bool = True) -> Iterator[CliWorld]:
    """``transport`` "com": the package is reachable now (ledger factory hook); "webconnector": only in an update."""
    seed = small_seed(n_invoices)
    seed["applications"].append(dict(PLAIN_APP))
    with HaloSandbox(seed, rate_limit=FAST) as halo, \
            Company(tmp / "qb.sqlite3", edition="UK", seed={"accounts": EXTRA_ACCOUNTS}) as company:
        store_file = tmp / "store.sqlite3"
        cfg = tmp / "config.toml"
        cfg.write_text(f'[halo]\nurl = "{halo.url}"\nclient_id = "demo"\n[store]\npath = "{store_file.as_posix()}"\n'
                       f'[quickbooks]\ntransport = "{transport}"\n', encoding="utf-8")
        monkeypatch.setenv("HALO_ACCOUNTS_CONFIG", str(cfg))
        monkeypatch.setenv("HALO_ACCOUNTS_HALO_CLIENT_SECRET", "demo-secret")
        if transport == "com":
            monkeypatch.setattr(ledger_factory, "OVERRIDE", lambda settings, control: QuickBooksLedger(company))
        if map_taxes:
            with Store.open(store_file) as store:
                for halo_id, code in TAX_MAPS["UK"].items():
                    store.link("tax", halo_id, code, number=code)
        yield CliWorld(halo, company, store_file, cfg, tmp, monkeypatch)
