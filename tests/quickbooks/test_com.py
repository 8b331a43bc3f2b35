"""The COM transport's logic through a stand-in request processor (the real one needs Windows + QuickBooks)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from typing import Any

import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import LedgerError, LedgerUnavailable
from halo_accounts.ledgers.quickbooks import com
from halo_accounts.ledgers.quickbooks.transport import QbxmlTransport


class ComError(Exception):
    """Shaped like pywintypes.com_error: (hresult, text, excepinfo, argerror)."""

    def __init__(self, scode: int, text: str = "") -> None:
        disp_e_exception = -2147352567  # 0x80020009, what win32com raises around a server error
        excepinfo = (0, "QBXMLRP2.RequestProcessor.2", text, None, 0, scode - 2**32)
        super().__init__(disp_e_exception, "Exception occurred.", excepinfo, None)


class StandIn:
    """Records every call; fails where told."""

    def __init__(self, fail: dict[str, Exception] | None = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.fail = fail or {}

    def _record(self, name: str, *args: Any) -> None:
        self.calls.append((name, *args))
        if name in self.fail:
            raise self.fail[name]

    def OpenConnection2(self, app_id: str, app_name: str, conn_type: int) -> None:
        self._record("OpenConnection2", app_id, app_name, conn_type)

    def BeginSession(self, company: str, mode: int) -> str:
        self._record("BeginSession", company, mode)
        return "{TICKET}"

    def ProcessRequest(self, ticket: str, xml: str) -> str:
        self._record("ProcessRequest", ticket, xml)
        return "<QBXML><QBXMLMsgsRs/></QBXML>"

    def QBXMLVersionsForSession(self, ticket: str) -> tuple[str, ...]:
        self._record("QBXMLVersionsForSession", ticket)
        return ("1.0", "2.0", "CA3.0", "12.0", "13.0")

    def EndSession(self, ticket: str) -> None:
        self._record("EndSession", ticket)

    def CloseConnection(self) -> None:
        self._record("CloseConnection")


def transport(rp: StandIn, **kw: Any) -> com.ComTransport:
    return com.ComTransport("halo-accounts", "C:\\Books\\Acme.QBW", dispatch=lambda prog: rp, **kw)


def test_call_sequence_matches_the_sdk() -> None:
    rp = StandIn()
    with transport(rp) as t:
        assert isinstance(t, QbxmlTransport)
        assert t.process("<QBXML/>") == "<QBXML><QBXMLMsgsRs/></QBXML>"
        t.process("<QBXML>2</QBXML>")
        host = t.host_info()
    assert rp.calls == [
        ("OpenConnection2", "", "halo-accounts", com.CONNECTION_LOCAL),
        ("BeginSession", "C:\\Books\\Acme.QBW", com.OPEN_DO_NOT_CARE),
        ("ProcessRequest", "{TICKET}", "<QBXML/>"),
        ("ProcessRequest", "{TICKET}", "<QBXML>2</QBXML>"),
        ("QBXMLVersionsForSession", "{TICKET}"),
        ("EndSession", "{TICKET}"),
        ("CloseConnection",),
    ]
    assert host is not None and host.version == (13, 0) and "CA3.0" in host.supported_versions


def test_process_opens_lazily_and_close_is_idempotent() -> None:
    rp = StandIn()
    t = transport(rp)
    t.process("<QBXML/>")
    t.close()
    t.close()
    assert [c[0] for c in rp.calls] == ["OpenConnection2", "BeginSession", "ProcessRequest", "EndSession",
                                        "CloseConnection"]


@pytest.mark.parametrize(
    ("scode", "code", "words"),
    [
        (0x80040408, "qbcom.cannot_start", "could not be started"),
        (0x8004040A, "qbcom.wrong_file", "different company file"),
        (0x8004041A, "qbcom.access_denied", "Integrated Applications"),
        (0x80040420, "qbcom.access_denied", "denied"),
        (0x80040414, "qbcom.dialog_open", "dialog box"),
        (0x80040416, "qbcom.no_file", "company_file"),
        (0x80040418, "qbcom.first_access", "Admin"),
        (0x8004041D, "qbcom.no_auto_login", "login automatically"),
        (0x80040424, "qbcom.busy", "Wait"),
        (0x80041234, "qbcom.error", "0x80041234"),
    ],
)
def test_begin_session_hresults_become_plain_messages(scode: int, code: str, words: str) -> None:
    rp = StandIn(fail={"BeginSession": ComError(scode, "QuickBooks says no.")})
    with pytest.raises(LedgerUnavailable) as info:
        transport(rp).open()
    assert info.value.code == code
    assert words in str(info.value)
    assert f"0x{scode:08X}" in info.value.message
    assert rp.calls[-1] == ("CloseConnection",)  # connection released after the failed session
    assert ("EndSession", "{TICKET}") not in rp.calls


def test_unparsable_request_is_a_ledger_error_not_unavailable() -> None:
    rp = StandIn(fail={"ProcessRequest": ComError(0x80040400, "QuickBooks found an error when parsing")})
    t = transport(rp)
    with pytest.raises(LedgerError) as info:
        t.process("<QBXML>")
    assert not isinstance(info.value, LedgerUnavailable)
    assert info.value.code == "qbcom.xml_rejected" and "parsing" in info.value.message
    t.close()


def test_hresult_read_from_plain_args_too() -> None:
    assert com.hresult_of(Exception(-2147220472, "x", None, None)) == 0x80040408
    assert com.hresult_of(ValueError("no code")) is None


def test_non_com_errors_are_not_swallowed() -> None:
    rp = StandIn(fail={"ProcessRequest": RuntimeError("bug")})
    t = transport(rp)
    with pytest.raises(RuntimeError):
        t.process("<QBXML/>")


@pytest.mark.skipif(sys.platform == "win32", reason="checks the behaviour off Windows")
def test_default_dispatch_off_windows_says_use_the_web_connector() -> None:
    with pytest.raises(HaloAccountsError) as info:
        com.ComTransport("halo-accounts").open()
    assert info.value.code == "qbcom.not_windows" and "webconnector" in info.value.fix


def test_imports_without_pywin32() -> None:
    code = (
        "import sys; sys.modules['win32com'] = None; sys.modules['pythoncom'] = None; "
        "import halo_accounts.ledgers.quickbooks.com as c; print(c.PROG_ID)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "QBXMLRP2.RequestProcessor"
    assert importlib.import_module("halo_accounts.ledgers.quickbooks.com") is com
