"""One open company through the SDK: `SDKInstanceManager.Instance.OpenDatabase` on the .SAI with a dedicated user,
the multi-user flag and our app name/code (sage/NOTES.md §3.1), the headless alerts, and every SDK exception turned
into a ledger error with a plain message and its fix."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import LedgerError, LedgerUnavailable, RecordRejected
from halo_accounts.ledgers.sage50ca.sdk.alerts import headless_alerts
from halo_accounts.ledgers.sage50ca.sdk.results import RETRYABLE, SUCCESS, message_for, result_name
from halo_accounts.secrets import Secret

log = logging.getLogger(__name__)

APP_CODE_MAX = 6  # sage/NOTES.md §3.1: tpAppCode <= 6 characters


@dataclass(frozen=True)
class ConnectionSettings:
    company_path: str
    username: str
    password: Secret = field(repr=False)
    multi_user: bool = True
    app_name: str = "halo-accounts"
    app_code: str = "HALOAC"
    app_version: int = 1


class NoAccess(LedgerUnavailable):
    """The user may read but not change data: stop the run (nothing else can be written either)."""

    retryable = False


class OpenFailed(LedgerUnavailable):
    pass


@dataclass
class SdkSession:
    sdk: Any
    """The SDK's namespace (`loader.load()`, or a stand-in of the same shape)."""
    conn: ConnectionSettings

    def __post_init__(self) -> None:
        self.manager = self.sdk.SDKInstanceManager.Instance
        self.alerts = headless_alerts(self.sdk.SDKAlert)
        self.opened = False

    def open(self) -> SdkSession:
        conn = self.conn
        if not conn.company_path:
            raise HaloAccountsError("sage50ca.company_path_missing")
        if not conn.username:
            raise HaloAccountsError("sage50ca.username_missing")
        if not 1 <= len(conn.app_code) <= APP_CODE_MAX:
            raise HaloAccountsError("config.invalid", field="sage50ca.app_code", detail="must be 1 to 6 characters",
                                    path="the configuration file", section="sage50ca",
                                    env="HALO_ACCOUNTS_SAGE50CA_APP_CODE")
        self.manager.SetAlertImplementation(self.alerts)
        with self.guard("opening the company"):
            answer = self.manager.OpenDatabase(conn.company_path, conn.username, str(conn.password),
                                               conn.multi_user, conn.app_name, conn.app_code, conn.app_version, None)
        # pythonnet returns (return value, out parameters...) for a method with an ``out`` parameter
        ok, result = answer if isinstance(answer, tuple) else (answer, None)
        name = result_name(result) if result is not None else ("SUCCESS" if ok else "FAIL")
        if not ok or name not in SUCCESS:
            code = message_for(name)
            error = OpenFailed(code, path=conn.company_path, user=conn.username, result=name)
            error.retryable = code in RETRYABLE
            raise error
        self.opened = True
        return self

    def close(self) -> None:
        if self.opened:
            try:
                self.manager.CloseDatabase()
            except Exception as exc:  # closing is best effort: the run's outcome is already decided
                log.warning("Sage 50 CloseDatabase failed: %s", exc)
            self.opened = False

    def take_alerts(self) -> list[str]:
        return list(self.alerts.take())

    @contextmanager
    def guard(self, what: str) -> Iterator[None]:
        """Run SDK calls; their exceptions become ledger errors (sage/NOTES.md §3.1 exception types)."""
        try:
            yield
        except (LedgerError, HaloAccountsError):
            raise
        except Exception as exc:
            raise self.translate(exc, what) from None

    def translate(self, exc: Exception, what: str) -> LedgerError:
        kind = type(exc).__name__
        text = str(getattr(exc, "Message", "") or exc).strip() or kind
        if kind == "SimplyNoAccessException":
            return NoAccess("sage50ca.no_access", user=self.conn.username, detail=text)
        if kind == "SimplyErrorMessageException":
            error = RecordRejected("sage50ca.rejected", what=what, detail=f"{text} ({getattr(exc, 'MessageId', '')})")
            error.field_name = str(getattr(exc, "MessageId", ""))
            return error
        if kind == "AlertNotImplementedException":
            return RecordRejected("sage50ca.alert", text=text, what=what)
        if kind == "InvalidEntryException":
            return RecordRejected("sage50ca.rejected", what=what, detail=text)
        return LedgerUnavailable("sage50ca.connection_lost", what=what, detail=f"{kind}: {text}")
