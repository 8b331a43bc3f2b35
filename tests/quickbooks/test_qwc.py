"""The .qwc file: well-formed, every field the Web Connector needs, stable IDs, https off localhost."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.quickbooks.webconnector import qwc

IDS = qwc.QwcIds("{11111111-2222-3333-4444-555555555555}", "{66666666-7777-8888-9999-AAAAAAAAAAAA}")


def build(url: str = "https://sync.example.com:8765/qbwc", **kw: object) -> etree._Element:
    text = qwc.build_qwc(app_name="halo-accounts", app_url=url, username="halo-qbwc", ids=IDS, **kw)  # type: ignore[arg-type]
    assert text.startswith('<?xml version="1.0"?>\n') and text.isascii()
    return etree.fromstring(text.encode("ascii"))


def test_fields_in_order_with_values() -> None:
    root = build(run_every_minutes=30, description="Halo & QuickBooks — sync")
    assert root.tag == "QBWCXML"
    tags = [c.tag for c in root]
    assert tags == ["AppName", "AppID", "AppURL", "CertURL", "AppDescription", "AppSupport", "UserName", "OwnerID",
                    "FileID", "QBType", "Style", "UnattendedModePref", "AppUniqueName", "Scheduler", "IsReadOnly"]
    # NOTES §1.5: without AppUniqueName the Web Connector clones entries of the same AppName (issue 8.7).
    assert root.findtext("AppUniqueName") == f"{root.findtext('AppName')} {IDS.owner_id}"
    assert root.findtext("UnattendedModePref") in ("umpRequired", "umpOptional")
    assert root.findtext("AppURL") == "https://sync.example.com:8765/qbwc"
    assert root.findtext("AppSupport") == "https://sync.example.com:8765/qbwc?wsdl"
    assert root.findtext("CertURL") == "https://sync.example.com:8765/"
    assert root.findtext("AppDescription") == "Halo & QuickBooks — sync"
    assert root.findtext("UserName") == "halo-qbwc"
    assert (root.findtext("OwnerID"), root.findtext("FileID")) == (IDS.owner_id, IDS.file_id)
    assert root.findtext("QBType") == "QBFS" and root.findtext("Scheduler/RunEveryNMinutes") == "30"
    assert root.findtext("IsReadOnly") == "false"


def test_localhost_may_be_http_without_certurl() -> None:
    root = build("http://localhost:8765/qbwc")
    assert root.find("CertURL") is None and root.findtext("AppURL") == "http://localhost:8765/qbwc"


@pytest.mark.parametrize("url", ["http://sync.example.com/qbwc", "http://192.168.1.5:8765/qbwc"])
def test_http_off_localhost_is_refused(url: str) -> None:
    with pytest.raises(HaloAccountsError) as info:
        build(url)
    assert info.value.code == "qbwc.qwc_https_required" and "public_url" in info.value.fix


@pytest.mark.parametrize("url", ["ftp://x/qbwc", "sync.example.com", ""])
def test_nonsense_url_is_refused(url: str) -> None:
    with pytest.raises(HaloAccountsError) as info:
        build(url)
    assert info.value.code == "qbwc.qwc_bad_url"


def test_ids_are_created_once_owner_only_and_reused(tmp_path: Path) -> None:
    first = qwc.install_ids(tmp_path / "data")
    assert first == qwc.install_ids(tmp_path / "data")
    assert first.owner_id != first.file_id and first.owner_id.startswith("{") and len(first.owner_id) == 38
    if sys.platform != "win32":
        mode = stat.S_IMODE(os.stat(tmp_path / "data" / qwc.IDS_FILE).st_mode)
        assert mode == 0o600
    assert qwc.install_ids(tmp_path / "other") != first


def test_damaged_ids_file_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / qwc.IDS_FILE).write_text('{"owner_id": "x"}')
    with pytest.raises(HaloAccountsError) as info:
        qwc.install_ids(tmp_path)
    assert info.value.code == "qbwc.ids_unreadable" and "Delete" in info.value.fix


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{(tmp_path / "data" / "store.sqlite3").as_posix()}"\n'
                      '[webconnector]\nport = 8999\nusername = "qb-user"\n')
    monkeypatch.setenv("HALO_ACCOUNTS_CONFIG", str(config))
    return tmp_path


def test_cli_writes_the_same_ids_every_time(cli_env: Path) -> None:
    from halo_accounts.cli import app

    runner = CliRunner()
    one, two = cli_env / "one.qwc", cli_env / "two.qwc"
    assert runner.invoke(app, ["qwc", "--out", str(one)]).exit_code == 0
    assert runner.invoke(app, ["qwc", "--out", str(two), "--every", "5"]).exit_code == 0
    a, b = etree.parse(str(one)).getroot(), etree.parse(str(two)).getroot()
    assert a.findtext("OwnerID") == b.findtext("OwnerID") and a.findtext("FileID") == b.findtext("FileID")
    assert a.findtext("AppURL") == "http://localhost:8999/qbwc" and a.findtext("UserName") == "qb-user"
    assert b.findtext("Scheduler/RunEveryNMinutes") == "5"
    again = runner.invoke(app, ["qwc", "--out", str(one)])
    assert again.exit_code != 0  # exists; --force needed


def test_cli_refuses_http_public_url(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from halo_accounts.cli import main

    monkeypatch.setenv("HALO_ACCOUNTS_WEBCONNECTOR_PUBLIC_URL", "http://sync.example.com:8765")
    with pytest.raises(SystemExit) as info:
        main(["qwc", "--out", str(cli_env / "x.qwc")])
    assert info.value.code == 2 and not (cli_env / "x.qwc").exists()


def test_cli_password_goes_to_the_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    from halo_accounts.cli import app

    stored: dict[str, str] = {}
    monkeypatch.setattr("halo_accounts.secrets.set_secret", lambda name, value: stored.__setitem__(name, value))
    result = CliRunner().invoke(app, ["webconnector-password"], input="hunter22\nhunter22\n")
    assert result.exit_code == 0 and stored == {"webconnector.password": "hunter22"}
    assert "hunter22" not in result.output
    result = CliRunner().invoke(app, ["webconnector-password", "--generate"])
    assert result.exit_code == 0 and len(stored["webconnector.password"]) >= 24
    assert stored["webconnector.password"] in result.output
