"""The SDO transport imports on Linux; its call sequence (Add, Connect, Disconnect on every path) and settings."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from halo_accounts.config import Settings
from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import LedgerUnavailable
from halo_accounts.ledgers.sage50uk import ConnectionSettings
from halo_accounts.ledgers.sage50uk.sdo import transport
from halo_accounts.ledgers.sage50uk.sdo.transport import SdoConnection, connection_settings, progid
from halo_accounts.sandbox.sage50uk import Company, Faults, SDOEngine

DATA_PATH = "C:\\SAGE\\COMPANY.000\\ACCDATA"  # as in conftest
PASSWORD = "s3cret"
Conn = Callable[..., ConnectionSettings]


def test_progid_by_version() -> None:
    assert progid(32) == "SDOEngine.32"
    assert transport.PROGID_RE.match("SDOEngine.33")


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows behaviour")
def test_off_windows_no_sdo_and_a_plain_message() -> None:
    assert transport.installed_versions() == []
    with pytest.raises(HaloAccountsError) as err:
        transport.dispatch_engine(32)
    assert err.value.code == "sage.windows_only"
    assert "export" in err.value.fix


def test_unique_id_is_at_most_32_characters() -> None:
    assert len(transport.default_unique_id()) <= 32
    assert transport.default_unique_id().startswith("HALO-")


def test_connect_and_disconnect_sequence(company: Company, make_conn: Conn) -> None:
    engine = SDOEngine(company)
    with SdoConnection(make_conn(), engine_factory=lambda v: engine) as session:
        assert session.workspace.connected
        assert company.sessions() == [("HALO-TESTPC", "HALO")]
    assert engine.calls == ["Workspaces.Add(halo-accounts)", f"Connect({DATA_PATH},HALO,***,HALO-TESTPC)",
                            "Disconnect()"]
    assert company.sessions() == []


def test_disconnect_when_the_work_fails(company: Company, make_conn: Conn) -> None:
    engine = SDOEngine(company)
    with pytest.raises(RuntimeError), SdoConnection(make_conn(), engine_factory=lambda v: engine):
        raise RuntimeError("boom")
    assert engine.calls[-1] == "Disconnect()"
    assert company.sessions() == []


def test_failed_connect_raises_mapped_error_and_leaves_no_session(company: Company, make_conn: Conn) -> None:
    engine = SDOEngine(company)
    connection = SdoConnection(make_conn(password="wrong"), engine_factory=lambda v: engine)
    with pytest.raises(LedgerUnavailable) as err:
        connection.open()
    assert err.value.code == "sage.logon_password"
    assert connection.session is None
    connection.close()  # nothing to disconnect
    assert "Disconnect()" not in engine.calls
    assert "wrong" not in str(err.value) and PASSWORD not in str(err.value)


class _FalseConnect:
    """A stand-in whose Connect returns False (no exception) and reports through LastError."""

    def __init__(self) -> None:
        self.LastError = SimpleNamespace(Code=31, Text="3rd Party Integration NOT Enabled")
        self.calls: list[str] = []
        outer = self

        class _Ws:
            def Connect(self, *args: Any) -> bool:
                outer.calls.append("Connect")
                return False

            def Disconnect(self) -> None:
                outer.calls.append("Disconnect")

        self.Workspaces = SimpleNamespace(Add=lambda name: outer.calls.append("Add") or _Ws())


def test_connect_returning_false_is_read_from_last_error(make_conn: Conn) -> None:
    engine = _FalseConnect()
    with pytest.raises(LedgerUnavailable) as err, SdoConnection(make_conn(), engine_factory=lambda v: engine):
        pass
    assert err.value.code == "sage.integration_not_enabled"
    assert "Tools > Activation" in err.value.fix
    assert engine.calls == ["Add", "Connect"]


@pytest.mark.parametrize(("override", "code"), [
    ({"data_path": ""}, "sage.data_path_missing"),
    ({"username": ""}, "sage.username_missing"),
    ({"password": ""}, "sage.password_missing"),
    ({"version": 0}, "sage.version_unknown"),
])
def test_missing_settings_are_refused_before_sdo_is_touched(override: dict[str, object], code: str,
                                                            make_conn: Conn) -> None:
    touched: list[int] = []
    with pytest.raises(HaloAccountsError) as err:
        SdoConnection(make_conn(**override), engine_factory=lambda v: touched.append(v)).open()
    assert err.value.code == code
    assert touched == []  # never reaches SDO: an empty user/password would show a login dialog (NOTES §1.4)


def test_long_unique_id_is_cut_so_disconnect_logs_the_user_out(company: Company, make_conn: Conn) -> None:
    engine = SDOEngine(company)
    with SdoConnection(make_conn(unique_id="X" * 40), engine_factory=lambda v: engine):
        assert len(company.sessions()[0][0]) == 32
    assert company.sessions() == []


def test_sandbox_leaves_user_logged_in_with_an_overlong_unique_id(company: Company) -> None:
    """The sandbox is faithful to NOTES §1.4, which is why the transport cuts the id."""
    ws = SDOEngine(company).Workspaces.Add("raw")
    ws.Connect(DATA_PATH, "HALO", PASSWORD, "Y" * 40)
    ws.Disconnect()
    assert company.sessions() == [("Y" * 40, "HALO")]


def test_connection_settings_prefer_config_then_halo_control() -> None:
    settings = Settings()
    control = {"sage50datapath": "D:\\ACCDATA", "sage50username": "SYNC", "sage50password": "pw-secret-7",
               "sage50version": 31}
    got = connection_settings(settings, control, password="", detect=lambda: [])
    assert (got.data_path, got.username, str(got.password), got.version) == ("D:\\ACCDATA", "SYNC", "pw-secret-7", 31)
    assert "pw-secret-7" not in repr(got)

    settings.sage50uk.data_path, settings.sage50uk.username, settings.sage50uk.version = "E:\\A", "LOCAL", 32
    got = connection_settings(settings, control, password="secret", detect=lambda: [])
    assert (got.data_path, got.username, str(got.password), got.version) == ("E:\\A", "LOCAL", "secret", 32)


def test_connection_settings_detect_version_when_none_given() -> None:
    got = connection_settings(Settings(), SimpleNamespace(sage50version=None), password="x", detect=lambda: [33, 32])
    assert got.version == 33
    assert got.username == "halo"  # the config default when Halo has none


def test_faults_cut_connect_short_without_a_session(company: Company, make_conn: Conn) -> None:
    engine = SDOEngine(company, faults=Faults(exclusive=True))
    with pytest.raises(LedgerUnavailable):
        SdoConnection(make_conn(), engine_factory=lambda v: engine).open()
    assert company.sessions() == []
