"""Reaching Sage Data Objects: which SDO to use, the connection settings, and a session that always disconnects.

Windows-only imports (``winreg``, ``win32com``) are made lazily inside functions, so this module imports on any OS;
everything except `dispatch_engine` and `installed_versions` works against any object with SDO's COM shape.
"""

from __future__ import annotations

import logging
import platform
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import LedgerError
from halo_accounts.ledgers.sage50uk.sdo.errors import to_ledger_error
from halo_accounts.ledgers.sage50uk.sdo.fields import UNIQUE_ID_MAX
from halo_accounts.secrets import Secret

log = logging.getLogger(__name__)

PROGID_FORMAT = "SDOEngine.{version}"  # NOTES §1.2: ProgID SDOEngine.<major>, e.g. SDOEngine.32 for v32
PROGID_RE = re.compile(r"^SDOEngine\.(\d+)$", re.IGNORECASE)
# NOTES §1.2 [I, single unverified source]: HKLM\SOFTWARE\(Wow6432Node\)Sage\Line 50\SDO, value Current.
REGISTRY_KEYS = (r"SOFTWARE\Sage\Line 50\SDO", r"SOFTWARE\WOW6432Node\Sage\Line 50\SDO")
REGISTRY_VALUE = "Current"
WORKSPACE_NAME = "halo-accounts"
DEFAULT_USERNAME = "halo"  # config.Sage50UKSettings default; Halo's Control value wins over it


def progid(version: int) -> str:
    return PROGID_FORMAT.format(version=version)


def installed_versions() -> list[int]:
    """SDO versions registered on this PC, newest first (empty off Windows). NOTES §1.2: read the registry's
    ``Current`` value, then scan ``HKCR\\SDOEngine.*``."""
    if sys.platform != "win32":
        return []
    import winreg  # Windows only

    found: set[int] = set()
    for key_path in REGISTRY_KEYS:
        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key_path) as key:
                value, _ = winreg.QueryValueEx(key, REGISTRY_VALUE)
        except OSError:
            continue
        match = PROGID_RE.match(str(value))
        if match:
            found.add(int(match.group(1)))
    index = 0
    while True:
        try:
            name = winreg.EnumKey(winreg.HKEY_CLASSES_ROOT, index)
        except OSError:
            break
        index += 1
        match = PROGID_RE.match(name)
        if match:
            found.add(int(match.group(1)))
    return sorted(found, reverse=True)


def dispatch_engine(version: int) -> Any:
    """The SDOEngine COM object for ``version`` (Windows, pywin32)."""
    if sys.platform != "win32":
        raise HaloAccountsError("sage.windows_only", platform=platform.system() or sys.platform)
    try:
        import win32com.client  # Windows only, extra [windows]
    except ImportError:
        raise HaloAccountsError("sage.pywin32_missing") from None
    name = progid(version)
    try:
        return win32com.client.Dispatch(name)
    except Exception as exc:  # pywintypes.com_error: class not registered, wrong bitness
        installed = ", ".join(str(v) for v in installed_versions()) or "none"
        raise HaloAccountsError("sage.sdo_missing", progid=name, version=version, installed=installed,
                                detail=_exc_text(exc)) from None


def default_unique_id() -> str:
    """NOTES §1.4: Sage uses the computer name; keep it <= 32 characters or Disconnect leaves the user logged in."""
    node = re.sub(r"[^A-Za-z0-9-]", "", platform.node()) or "PC"
    return f"HALO-{node}"[:UNIQUE_ID_MAX]


@dataclass(frozen=True)
class ConnectionSettings:
    data_path: str
    username: str
    password: Secret = field(repr=False)
    version: int = 0
    unique_id: str = ""


def _get(control: object, name: str) -> Any:
    if control is None:
        return None
    if isinstance(control, Mapping):
        return control.get(name)
    return getattr(control, name, None)


#: [?] What Halo's `sage50datapath` points at is undocumented (halo/NOTES.md §9; sage/NOTES.md §1.4: SDO's
#: Connect wants the company's ACCDATA folder, Halo's old guide speaks of "the folder that holds the COMPANY
#: file"). Default: ACCDATA itself; `[sage50uk] halo_data_path = "company"` says it is the folder above.
HALO_DATA_PATH_MEANING = "accdata"
ACCDATA = "ACCDATA"


def sdo_data_path(halo_value: str, meaning: str = HALO_DATA_PATH_MEANING) -> str:
    """The folder SDO connects to, from Halo's ``sage50datapath`` read as ``meaning`` ("accdata" or "company")."""
    value = halo_value.strip()
    if not value or meaning != "company":
        return value
    tail = value.rstrip("\\/")
    if tail.replace("/", "\\").rsplit("\\", 1)[-1].upper() == ACCDATA:
        return value
    sep = "/" if "/" in tail and "\\" not in tail else "\\"
    return f"{tail}{sep}{ACCDATA}"


def connection_settings(settings: Any, control: object = None, *, password: str | None = None,
                        detect: Callable[[], list[int]] = installed_versions) -> ConnectionSettings:
    """Connection values: the local config where it is set, else Halo's ``Control`` (sage50datapath,
    sage50username, sage50password, sage50version), else detection (version only).

    ``settings`` is `halo_accounts.config.Settings`; ``password`` defaults to the secret ``sage50uk.password``.
    """
    local = settings.sage50uk
    data_path = local.data_path or sdo_data_path(str(_get(control, "sage50datapath") or ""),
                                                 getattr(local, "halo_data_path", HALO_DATA_PATH_MEANING))
    username = local.username if local.username and local.username != DEFAULT_USERNAME else ""
    username = username or str(_get(control, "sage50username") or "") or local.username
    if password is None:
        from halo_accounts.secrets import get_secret

        password = get_secret("sage50uk.password", required=False)
    password = password or str(_get(control, "sage50password") or "")
    version = int(local.version or _get(control, "sage50version") or 0)
    if not version:
        versions = detect()
        version = versions[0] if versions else 0
    return ConnectionSettings(data_path, username, Secret(password), version, default_unique_id())


def is_com_error(exc: BaseException) -> bool:
    """Whether ``exc`` is what a COM call into SDO raises: ``pywintypes.com_error`` on Windows, else anything shaped
    like it, (hresult, text, excepinfo, argerr) with an int hresult (the stand-ins raise that shape)."""
    try:
        import pywintypes  # type: ignore[import-not-found]  # the [windows] extra

        if isinstance(exc, pywintypes.com_error):
            return True
    except ImportError:
        pass
    args = getattr(exc, "args", ())
    return (len(args) == 4 and isinstance(args[0], int) and not isinstance(args[0], bool)
            and isinstance(args[1], str) and (args[2] is None or isinstance(args[2], tuple)))


def _exc_text(exc: BaseException) -> str:
    # pywintypes.com_error args: (hresult, text, excepinfo, argerr); excepinfo[2] is the description.
    args = getattr(exc, "args", ())
    if len(args) >= 3 and isinstance(args[2], tuple) and len(args[2]) >= 3 and args[2][2]:
        return str(args[2][2])
    return str(exc) or type(exc).__name__


class SdoSession:
    """A connected workspace plus the engine whose ``LastError`` explains failures."""

    def __init__(self, engine: Any, workspace: Any, *, username: str = "", data_path: str = "",
                 version: int = 0) -> None:
        self.engine = engine
        self.workspace = workspace
        self.username = username
        self.data_path = data_path
        self.version = version

    @property
    def progid(self) -> str:
        return progid(self.version) if self.version else "SDOEngine"

    def create(self, name: str) -> Any:
        with self.guard(f"opening {name}"):
            return self.workspace.CreateObject(name)

    def last_error(self) -> tuple[int, str]:
        try:
            err = self.engine.LastError
            return int(err.Code or 0), str(err.Text or "")
        except Exception:
            return 0, ""

    def error(self, what: str, exc: BaseException | None = None, **params: object) -> LedgerError:
        code, text = self.last_error()
        if not text and exc is not None:
            text = _exc_text(exc)
        context: dict[str, object] = {"username": self.username, "data_path": self.data_path,
                                      "progid": self.progid, "account": "", "nominal": ""}
        context.update(params)
        return to_ledger_error(code, text, what=what, **context)

    def check(self, ok: object, what: str, **params: object) -> None:
        """Raise the mapped error when an SDO call returned False (NOTES §1.11)."""
        if ok is False or ok == 0:
            raise self.error(what, **params)

    @contextmanager
    def guard(self, what: str, **params: object) -> Iterator[None]:
        """Turn a COM exception raised inside the block into the mapped port error (NOTES §1.11)."""
        try:
            yield
        except HaloAccountsError:
            raise
        except Exception as exc:
            if not is_com_error(exc):
                raise  # a bug of ours (TypeError, KeyError, ...), never "rejected by Sage" (issue 8.7)
            raise self.error(what, exc, **params) from None


class SdoConnection:
    """``with SdoConnection(conn) as session:`` — Workspaces.Add, Connect, and Disconnect on every path.

    Never calls ``SelectCompany`` (it shows a dialog, NOTES §1.4). ``engine_factory(version)`` returns the SDOEngine
    (default: COM dispatch); tests pass a stand-in with the same object model.
    """

    def __init__(self, conn: ConnectionSettings, *, engine_factory: Callable[[int], Any] | None = None,
                 workspace_name: str = WORKSPACE_NAME) -> None:
        self.conn = conn
        self.engine_factory = engine_factory or dispatch_engine
        self.workspace_name = workspace_name
        self.session: SdoSession | None = None

    def open(self) -> SdoSession:
        conn = self.conn
        if not conn.data_path:
            raise HaloAccountsError("sage.data_path_missing")
        # NOTES §1.4: empty user name/password make SDO show a login dialog: never from a service.
        if not conn.username:
            raise HaloAccountsError("sage.username_missing")
        if not conn.password:
            raise HaloAccountsError("sage.password_missing", username=conn.username)
        if not conn.version:
            raise HaloAccountsError("sage.version_unknown")
        engine = self.engine_factory(conn.version)
        workspace = engine.Workspaces.Add(self.workspace_name)
        session = SdoSession(engine, workspace, username=conn.username, data_path=conn.data_path,
                             version=conn.version)
        unique_id = (conn.unique_id or default_unique_id())[:UNIQUE_ID_MAX]  # NOTES §1.4: <= 32
        try:
            ok = workspace.Connect(conn.data_path, conn.username, str(conn.password), unique_id)
        except Exception as exc:
            raise session.error("connecting to Sage 50", exc) from None
        session.check(ok, "connecting to Sage 50")
        self.session = session
        log.info("connected to Sage 50 (%s) at %s as %s", session.progid, conn.data_path, conn.username)
        return session

    def close(self) -> None:
        session, self.session = self.session, None
        if session is None:
            return
        try:
            session.workspace.Disconnect()  # NOTES §1.4: always disconnect
        except Exception as exc:
            log.warning("Sage 50 disconnect failed: %s", _exc_text(exc))

    def __enter__(self) -> SdoSession:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()
