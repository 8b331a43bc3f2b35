"""Open Sage 50 CA for a run through the SDK (pythonnet on Windows, or a stand-in SDK set by tests and demos), with
the local settings over Halo's Control (sage50cacompanypath, sage50causername, sage50cadefaultpaidtype,
sage50cadefaultpaidaccount; sage/NOTES.md §0)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from halo_accounts.ledgers.port import Ledger
from halo_accounts.ledgers.sage50ca.ledger import Options, Sage50CALedger, paid_type
from halo_accounts.ledgers.sage50ca.sdk.session import ConnectionSettings, SdkSession
from halo_accounts.ledgers.windows import require_windows
from halo_accounts.secrets import Secret

#: A stand-in for the SDK's namespace (tests, demos): ``SDK_FACTORY() -> namespace``. Product code never sets it.
SDK_FACTORY: Callable[[], Any] | None = None


def _control(control: Any, name: str) -> str:
    from halo_accounts.sync import fields as f

    return str(f.get(control, name) or "").strip()


def connection_settings(settings: Any, control: Any = None, *, password: str | None = None) -> ConnectionSettings:
    """The local config where set, else Halo's Control; the password is the secret ``sage50ca.password``."""
    local = settings.sage50ca
    if password is None:
        from halo_accounts.secrets import get_secret

        password = get_secret("sage50ca.password", required=False) or ""
    return ConnectionSettings(
        company_path=local.company_path or _control(control, "sage50cacompanypath"),
        username=local.username or _control(control, "sage50causername"),
        password=Secret(password), multi_user=local.multi_user, app_name=local.app_name, app_code=local.app_code,
        app_version=local.app_version)


def options(settings: Any, control: Any = None) -> Options:
    local = settings.sage50ca
    return Options(date_format=local.date_format, paid_type=paid_type(_control(control, "sage50cadefaultpaidtype")),
                   paid_account=_control(control, "sage50cadefaultpaidaccount"),
                   tax_codes=tuple(sorted(local.tax_codes.items())))


@contextmanager
def open_sage50ca(settings: Any, control: Any = None) -> Iterator[Ledger]:
    if SDK_FACTORY is None:
        require_windows("Sage 50 Canada (the Sage 50 Accounting SDK)", "Sage 50 Canada",
                        "its import file (halo-accounts export sage50ca --out FOLDER)")
        from halo_accounts.ledgers.sage50ca.sdk import loader

        sdk = loader.load(settings.sage50ca.sdk_path)
    else:
        sdk = SDK_FACTORY()
    session = SdkSession(sdk, connection_settings(settings, control)).open()
    ledger = Sage50CALedger(session, options(settings, control))
    try:
        yield ledger
    finally:
        ledger.close()
