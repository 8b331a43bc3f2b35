"""The COM transport: qbXML straight to QuickBooks on this Windows PC through Intuit's request processor.

Call sequence from qbxml/NOTES.md §2 (OpenConnection2 -> BeginSession -> ProcessRequest* -> EndSession ->
CloseConnection). ``win32com`` is imported lazily, so this module imports anywhere; tests pass a stand-in.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import LedgerError, LedgerUnavailable
from halo_accounts.ledgers.quickbooks.transport import HostInfo

log = logging.getLogger(__name__)

PROG_ID = "QBXMLRP2.RequestProcessor"
# NOTES §2 (paulyoder/QuickBooks.Net ConnectionType.cs): connection types.
CONNECTION_LOCAL = 1
CONNECTION_LOCAL_LAUNCH_UI = 3
# NOTES §2 (paulyoder/QuickBooks.Net FileMode.cs): file open modes.
OPEN_SINGLE_USER = 0
OPEN_MULTI_USER = 1
OPEN_DO_NOT_CARE = 2

#: Request-processor HRESULTs -> catalogue code (messages/webconnector.py). Texts in comments are Intuit's as
#: quoted in NOTES §1.3 [C] and in consolibyte/quickbooks-php error handlers (read via code search) [C];
#: 0x80040403 "Could not open the specified QuickBooks company data file" is from the SDK docs as remembered [I].
HRESULT_CODES: dict[int, str] = {
    0x80040400: "qbcom.xml_rejected",  # QuickBooks found an error when parsing the provided XML text stream
    0x80040401: "qbcom.cannot_start",  # Could not access QuickBooks
    0x80040403: "qbcom.cannot_open_file",  # Could not open the specified QuickBooks company data file [I]
    0x80040408: "qbcom.cannot_start",  # Could not start QuickBooks
    0x8004040A: "qbcom.wrong_file",  # Company data file is already open and different from the one requested
    0x80040410: "qbcom.file_mode",  # The company data file is open in a mode other than the one specified
    0x80040414: "qbcom.dialog_open",  # A modal dialog box is showing in the QuickBooks user interface
    0x80040416: "qbcom.no_file",  # QuickBooks is not running and no company file was specified
    0x80040418: "qbcom.first_access",  # This application has not accessed this company data file before
    0x8004041A: "qbcom.access_denied",  # This application does not have permission to access this file
    0x8004041B: "qbcom.busy",  # Unable to lock the necessary information ... Try again later
    0x8004041D: "qbcom.no_auto_login",  # Not allowed to log into this company data file automatically
    0x80040420: "qbcom.access_denied",  # The QuickBooks user has denied access
    0x80040422: "qbcom.file_mode",  # Requires Single User mode and another application shares the file
    0x80040423: "qbcom.version_unsupported",  # The version of qbXML that was requested is not supported
    0x80040424: "qbcom.busy",  # QuickBooks did not finish its initialization. Please try again later
}
#: Windows: "Class not registered" / "Invalid class string" -> the SDK is missing.
_NOT_REGISTERED = {0x80040154, 0x800401F3}


def hresult_of(exc: BaseException) -> int | None:
    """The HRESULT carried by a ``pywintypes.com_error`` (or a stand-in shaped like one), unsigned."""
    code: Any = getattr(exc, "hresult", None)
    args = getattr(exc, "args", ())
    excepinfo = args[2] if len(args) > 2 else None
    if isinstance(excepinfo, tuple) and len(excepinfo) > 5 and isinstance(excepinfo[5], int) and excepinfo[5]:
        code = excepinfo[5]  # the server's own scode (QBXMLRP2 raises DISP_E_EXCEPTION around it)
    elif code is None and args and isinstance(args[0], int):
        code = args[0]
    return code & 0xFFFFFFFF if isinstance(code, int) else None


def _detail(exc: BaseException) -> str:
    args = getattr(exc, "args", ())
    excepinfo = args[2] if len(args) > 2 else None
    if isinstance(excepinfo, tuple) and len(excepinfo) > 2 and excepinfo[2]:
        return str(excepinfo[2]).strip()
    if len(args) > 1 and isinstance(args[1], str):
        return args[1].strip()
    return str(exc).strip()


def error_for(exc: BaseException, *, company: str = "") -> LedgerError:
    """The plain-language error for a COM failure (see `HRESULT_CODES`)."""
    code = hresult_of(exc)
    shown = f"0x{code:08X}" if code is not None else "unknown"
    detail = _detail(exc) or "no detail"
    name = HRESULT_CODES.get(code, "qbcom.error") if code is not None else "qbcom.error"
    params = {"hresult": shown, "detail": detail, "company": company or "the open company file"}
    if name == "qbcom.xml_rejected":
        return LedgerError(name, **params)
    return LedgerUnavailable(name, **params)


def _default_dispatch(prog_id: str) -> Any:
    if sys.platform != "win32":
        raise HaloAccountsError("qbcom.not_windows")
    try:
        import pythoncom
        import win32com.client
    except ImportError:
        raise HaloAccountsError("qbcom.no_pywin32") from None
    pythoncom.CoInitialize()  # COM objects belong to the thread that creates them
    try:
        return win32com.client.Dispatch(prog_id)
    except Exception as exc:
        if hresult_of(exc) in _NOT_REGISTERED:
            raise HaloAccountsError("qbcom.no_sdk", detail=_detail(exc)) from None
        raise


class ComTransport:
    """`QbxmlTransport` over QBXMLRP2. Use as a context manager; create and use it on one thread."""

    def __init__(
        self,
        app_name: str,
        company_file: str = "",
        *,
        app_id: str = "",
        connection_type: int = CONNECTION_LOCAL,
        open_mode: int = OPEN_DO_NOT_CARE,
        dispatch: Callable[[str], Any] | None = None,
    ) -> None:
        self.app_name = app_name
        self.company_file = company_file
        self.app_id = app_id
        self.connection_type = connection_type
        self.open_mode = open_mode
        self._dispatch = dispatch or _default_dispatch
        self._rp: Any = None
        self._connected = False
        self._ticket: str | None = None
        self._host: HostInfo | None = None

    def _fail(self, exc: BaseException) -> LedgerError:
        if hresult_of(exc) is None:
            raise exc
        error = error_for(exc, company=self.company_file)
        log.warning("QuickBooks COM call failed: %s", error.message)
        return error

    def open(self) -> None:
        if self._ticket is not None:
            return
        try:
            self._rp = self._dispatch(PROG_ID)
            self._rp.OpenConnection2(self.app_id, self.app_name, self.connection_type)
            self._connected = True
            self._ticket = self._rp.BeginSession(self.company_file, self.open_mode)
        except HaloAccountsError:
            self.close()
            raise
        except Exception as exc:
            self.close()
            raise self._fail(exc) from None

    def process(self, request_xml: str) -> str:
        self.open()
        try:
            return str(self._rp.ProcessRequest(self._ticket, request_xml))
        except Exception as exc:
            raise self._fail(exc) from None

    def host_info(self) -> HostInfo | None:
        if self._host is not None or self._ticket is None:
            return self._host
        try:
            versions = tuple(str(v) for v in (self._rp.QBXMLVersionsForSession(self._ticket) or ()))
        except Exception as exc:
            if hresult_of(exc) is None:
                raise
            return None
        plain = [tuple(int(p) for p in v.split(".")) for v in versions if re.fullmatch(r"\d+\.\d+", v)]
        major, minor = max(plain) if plain else (0, 0)
        self._host = HostInfo(major=major, minor=minor, company_file=self.company_file,
                              supported_versions=versions)
        return self._host

    def close(self) -> None:
        """End the session and the connection; errors while closing are logged, not raised."""
        rp, ticket = self._rp, self._ticket
        self._ticket = None
        if rp is None:
            return
        if ticket is not None:
            try:
                rp.EndSession(ticket)
            except Exception as exc:
                log.warning("QuickBooks EndSession failed: %s", _detail(exc))
        if self._connected:
            self._connected = False
            try:
                rp.CloseConnection()
            except Exception as exc:
                log.warning("QuickBooks CloseConnection failed: %s", _detail(exc))
        self._rp = None

    def __enter__(self) -> ComTransport:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
