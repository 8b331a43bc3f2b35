"""`halo-accounts check` against the Halo sandbox: one line per permission, the fix for each missing one,
and exit codes 0 (all there), 1 (something missing), 2 (cannot connect or log in)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from halo_accounts.cli import main
from halo_accounts.halo import HaloClient
from halo_accounts.halo.permissions import ADMIN, EDIT_CUSTOMERS, READ_CUSTOMERS, implied, permission_for, run_check
from halo_accounts.sandbox.halo import HaloSandbox

Start = Callable[..., HaloSandbox]
FULL = {"client_id": "demo", "client_secret": "demo-secret", "scopes": ["all", "admin"]}
READER = {
    "client_id": "reader",
    "client_secret": "reader-secret",
    "scopes": ["read:customers", "read:items", "read:invoices", "edit:invoices"],
}


def seed() -> dict[str, Any]:
    return {
        "applications": [FULL, READER],
        "control": {"useqb": True},
        "clients": [{"id": 1, "name": "Smith & Jones Ltd", "accountsid": ""}],
    }


def run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    halo: HaloSandbox,
    *args: str,
    client_id: str = "demo",
    secret: str = "demo-secret",
    scope: str = "all",
    kind: str = "quickbooks",
) -> tuple[int, str, str]:
    for name in list(os.environ):
        if name.startswith("HALO_ACCOUNTS_"):
            monkeypatch.delenv(name)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[halo]\nurl = "{halo.url}"\nclient_id = "{client_id}"\nscope = "{scope}"\n[ledger]\nkind = "{kind}"\n'
        f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HALO_ACCOUNTS_HALO_CLIENT_SECRET", secret)
    with pytest.raises(SystemExit) as exited:
        main(["--config", str(config), "check", *args])
    out, err = capsys.readouterr()
    assert secret not in out + err
    return int(exited.value.code or 0), out, err


def line_of(out: str, scope: str) -> str:
    return next(line for line in out.splitlines() if f" {scope} " in line and line.lstrip().startswith("["))


def test_everything_needed_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, halo_sandbox: Start
) -> None:
    halo = halo_sandbox(seed())
    code, out, _ = run(tmp_path, monkeypatch, capsys, halo)
    assert code == 0
    for scope in ("read:customers", "edit:customers", "read:items", "edit:items", "read:invoices", "edit:invoices"):
        assert line_of(out, scope).lstrip().startswith("[ok]")
    admin = line_of(out, "admin")
    assert admin.lstrip().startswith("[missing]") and "first import of tax rates" in admin
    assert 'scope = "all admin"' in out  # the app has admin; the configured scope just does not ask for it
    assert "accounts package selected in Halo: QuickBooks" in out
    assert "Everything QuickBooks Desktop needs from Halo is in place." in out
    # First run: no tax rate mapped yet, so check says the tax map comes first (issue 8.8).
    assert "the tax map comes first" in out and "halo-accounts import tax" in out


def test_admin_is_required_for_the_tax_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, halo_sandbox: Start
) -> None:
    halo = halo_sandbox(seed())
    code, out, _ = run(tmp_path, monkeypatch, capsys, halo, "--for-tax-import")
    assert code == 1
    assert line_of(out, "admin").lstrip().startswith("[MISSING]")
    assert "missing: admin" in out
    code, out, _ = run(tmp_path, monkeypatch, capsys, halo, "--for-tax-import", scope="all admin")
    assert code == 0
    assert line_of(out, "admin").lstrip().startswith("[ok]")


def test_missing_permissions_are_named_with_where_to_tick_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, halo_sandbox: Start
) -> None:
    halo = halo_sandbox(seed())
    code, out, _ = run(
        tmp_path,
        monkeypatch,
        capsys,
        halo,
        client_id="reader",
        secret="reader-secret",
        scope="read:customers read:items read:invoices edit:invoices",
        kind="sage50uk",
    )
    assert code == 1
    assert "Permissions for Sage 50 UK (from the scope Halo granted):" in out
    assert line_of(out, "edit:customers").lstrip().startswith("[MISSING]")
    assert line_of(out, "edit:items").lstrip().startswith("[MISSING]")
    assert line_of(out, "edit:invoices").lstrip().startswith("[ok]")
    assert "tick 'edit:customers'" in out and "Configuration > Integrations > Halo API" in out
    assert "2 Halo permission(s) needed for Sage 50 UK are missing: edit:customers, edit:items." in out
    assert "Note: Halo's settings do not select Sage 50 UK" in out


def test_probe_finds_the_same_without_writing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, halo_sandbox: Start
) -> None:
    halo = halo_sandbox(seed())
    before = halo.export()
    code, out, _ = run(
        tmp_path,
        monkeypatch,
        capsys,
        halo,
        "--probe",
        client_id="reader",
        secret="reader-secret",
        scope="read:customers read:items read:invoices edit:invoices",
    )
    assert code == 1
    assert "(tried with harmless requests)" in out
    assert line_of(out, "edit:customers").lstrip().startswith("[MISSING]")
    assert line_of(out, "edit:invoices").lstrip().startswith("[ok]")
    by_path = halo.stats()["by_path"]
    assert by_path["POST /api/client"] == 1 and by_path["POST /api/invoice"] == 1 and by_path["GET /api/item"] == 1
    after = halo.export()
    assert {k: v for k, v in after.items() if k != "applications"} == {
        k: v for k, v in before.items() if k != "applications"
    }


def test_bad_secret_exits_2_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, halo_sandbox: Start
) -> None:
    halo = halo_sandbox(seed())
    code, out, err = run(tmp_path, monkeypatch, capsys, halo, secret="wrong-secret-999")
    assert code == 2
    assert "did not accept the client ID 'demo'" in " ".join(err.split())
    assert "halo.client_secret" in err
    assert out == ""


def test_unreachable_halo_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, halo_sandbox: Start
) -> None:
    halo = halo_sandbox(seed())
    halo.stop()
    monkeypatch.setattr("halo_accounts.halo.client.TRANSIENT_BASE", 0.001)  # no real back-off waits
    code, _, err = run(tmp_path, monkeypatch, capsys, halo)
    assert code == 2
    assert "Could not get an answer from Halo" in " ".join(err.split())


def test_without_a_scope_in_the_token_answer_check_probes() -> None:
    posted: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.lower()
        if path.endswith("/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})  # no "scope"
        if path == "/api/control":
            return httpx.Response(200, json={"useqb": True})
        if request.method == "POST":
            posted.append(request.content)
            return httpx.Response(403) if path == "/api/tax" else httpx.Response(200, json=[])
        return httpx.Response(200, json={"record_count": 0, "clients": []})

    client = HaloClient("https://acme.halopsa.com", "cid", "sec", transport=httpx.MockTransport(handler))
    report = run_check(client, ledger="quickbooks")
    assert all(line.how == "probe" for line in report.lines)
    assert report.ok
    assert [line.granted for line in report.lines if line.permission is ADMIN] == [False]
    assert posted and all(body == b"[]" for body in posted)  # edit probes send an empty array only
    assert not run_check(client, ledger="quickbooks", for_tax_import=True).ok


def test_scope_table() -> None:
    assert implied({"all"}, READ_CUSTOMERS.scope) is True
    assert implied({"all"}, ADMIN.scope) is False
    assert implied({"edit:customers"}, READ_CUSTOMERS.scope) is True
    assert implied({"read:customers"}, EDIT_CUSTOMERS.scope) is False
    assert implied({"all:standard"}, EDIT_CUSTOMERS.scope) is None
    assert permission_for("POST", "Invoice") == ("edit:invoices", "mark invoices posted and record payments")
    assert permission_for("GET", "InvoicePayment")[0] == "read:invoices"
    assert permission_for("POST", "Tax")[0] == "admin"
