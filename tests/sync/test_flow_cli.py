"""The sync commands end to end: `sync --dry-run --json`, `sync`, `status`, `map tax`, `retry`, `import tax`,
`audit export` against the Halo sandbox and a QuickBooks sandbox company (opened through the ledger factory's
test hook), and `serve`'s job inside a real Web Connector update."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from sync_world import EXTRA_ACCOUNTS, FAST, TAX_MAPS, small_seed
from typer.testing import CliRunner

from halo_accounts.cli import app
from halo_accounts.config import Settings
from halo_accounts.halo import HaloClient
from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
from halo_accounts.ledgers.quickbooks.settings import WebConnectorSettings
from halo_accounts.ledgers.quickbooks.webconnector import server
from halo_accounts.sandbox.halo import HaloSandbox
from halo_accounts.sandbox.quickbooks import Company
from halo_accounts.sandbox.quickbooks.webconnector_driver import WebConnectorDriver
from halo_accounts.store import Store
from halo_accounts.sync import ledger_factory
from halo_accounts.sync.serve import webconnector_job


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    seed = small_seed(20)
    seed["applications"].append({"client_id": "plain", "client_secret": "plain-secret", "scopes": ["all"]})
    halo = HaloSandbox(seed, rate_limit=FAST)
    halo.start()
    company = Company(tmp_path / "qb.sqlite3", edition="UK", seed={"accounts": EXTRA_ACCOUNTS})
    store_file = tmp_path / "store.sqlite3"
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[halo]\nurl = "{halo.url}"\nclient_id = "demo"\n[store]\npath = "{store_file.as_posix()}"\n'
                   '[quickbooks]\ntransport = "com"\n', encoding="utf-8")
    monkeypatch.setenv("HALO_ACCOUNTS_CONFIG", str(cfg))
    monkeypatch.setenv("HALO_ACCOUNTS_HALO_CLIENT_SECRET", "demo-secret")
    monkeypatch.setattr(ledger_factory, "OVERRIDE", lambda settings, control: QuickBooksLedger(company))

    class Ctx:
        runner = CliRunner()

        def __init__(self) -> None:
            self.halo, self.company, self.store_file, self.tmp = halo, company, store_file, tmp_path

        def __call__(self, *args: str) -> Any:
            return self.runner.invoke(app, list(args), catch_exceptions=False)

    yield Ctx()
    company.close()
    halo.stop()


def test_dry_run_json_then_sync_then_status(cli: Any) -> None:
    before = cli.halo.export()
    result = cli("sync", "--dry-run", "--json")
    assert result.exit_code == 1  # held: no tax map yet
    report = json.loads(result.stdout)
    assert report["status"] == "dry-run" and report["plan"]["actions"]
    held = [a for a in report["plan"]["actions"] if a["op"] == "hold"]
    assert held and "halo-accounts map tax" in held[0]["fix"]
    assert cli.halo.export() == before
    for halo_id, code in TAX_MAPS["UK"].items():
        mapped = cli("map", "tax", halo_id, code.lower())
        assert mapped.exit_code == 0, mapped.stdout
    result = cli("sync", "--json", "--only", "customers,items,invoices")
    report = json.loads(result.stdout)
    assert report["status"] == "ok", report["held"]
    assert report["counts"]["invoice"]["posted"] > 0
    status = json.loads(cli("status", "--json").stdout)
    assert [r["status"] for r in status["runs"]][:1] == ["ok"]
    out = cli.tmp / "audit.json"
    exported = cli("audit", "export", "--format", "json", "--out", str(out))
    assert exported.exit_code == 0
    entries = json.loads(out.read_text())
    assert any(e["action"] == "post" for e in entries)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_map_tax_refuses_unknown_codes_plainly(cli: Any) -> None:
    result = cli.runner.invoke(app, ["map", "tax", "1", "NOPE"])
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception) and "no tax code 'NOPE'" in str(result.exception)
    assert "S" in str(result.exception)


def test_retry_releases_and_posts(cli: Any) -> None:
    cli("sync")
    with Store.open(cli.store_file) as store:
        assert store.held("invoice")
        for halo_id, code in TAX_MAPS["UK"].items():
            store.link("tax", halo_id, code, number=code)
    result = cli("retry", "--all", "--json")
    report = json.loads(result.stdout)
    assert report["status"] == "ok"
    with Store.open(cli.store_file) as store:
        assert not store.held()
    unknown = cli.runner.invoke(app, ["retry", "invoice:999999"])
    assert unknown.exit_code != 0 and "Nothing is held" in str(unknown.exception)


def test_import_tax_needs_admin_and_says_so(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HALO_ACCOUNTS_HALO_CLIENT_ID", "plain")
    monkeypatch.setenv("HALO_ACCOUNTS_HALO_CLIENT_SECRET", "plain-secret")
    result = cli.runner.invoke(app, ["import", "tax"])
    assert result.exit_code != 0
    assert "admin" in str(result.exception)


def test_import_tax_with_admin_maps_every_code(cli: Any) -> None:
    result = cli("import", "tax")
    assert result.exit_code == 0, result.stdout
    with Store.open(cli.store_file) as store:
        mapped = {link.ledger_ref for link in store.links("tax")}
    assert {"S", "Z", "E", "R", "O"} <= mapped, result.stdout
    taxes = cli.halo.export()["taxes"]
    assert any(t.get("code") == "O" for t in taxes)  # created: Halo had no "O" (outside scope)
    again = cli("import", "tax")
    assert "Created 0" in again.stdout


def test_serve_job_runs_the_sync_inside_a_web_connector_update(tmp_path: Path) -> None:
    seed = small_seed(15)
    with HaloSandbox(seed, rate_limit=FAST) as halo, \
            Company(tmp_path / "qb.sqlite3", edition="UK", seed={"accounts": EXTRA_ACCOUNTS}) as company:
        settings = Settings()
        settings.halo.url = halo.url
        settings.store.path = str(tmp_path / "store.sqlite3")
        with Store.open(settings.store.path) as store:
            for halo_id, code in TAX_MAPS["UK"].items():
                store.link("tax", halo_id, code, number=code)
        reports: list[Any] = []
        job = webconnector_job(settings, on_report=reports.append,
                               halo_factory=lambda s: HaloClient(s.halo.url, "demo", "demo-secret"))
        wc = WebConnectorSettings(username="halo-qbwc")
        with server.running(server.create_app(wc, job, password="pw for test")) as url, \
                WebConnectorDriver(url, "halo-qbwc", "pw for test", company, noop_pause=0.01) as driver:
            update = driver.run_update()
        assert update.outcome == "done", update.error
        assert reports and reports[0].status in ("ok", "held")
        posted = reports[0].count("invoice", "posted")
        assert posted > 0
        assert len(company.dump("invoice").get("invoice", [])) == posted


def test_status_says_once_that_the_tax_map_comes_first(cli: Any) -> None:
    result = cli("sync", "--json")
    report = json.loads(result.stdout)
    assert sum("tax map comes first" in n for n in report["notices"]) == 1
    status = json.loads(cli("status", "--json").stdout)
    assert sum("tax map comes first" in n for n in status["notices"]) == 1
    text = " ".join(cli("status").stdout.split())  # the console may wrap the line
    assert text.count("tax map comes first") == 1
