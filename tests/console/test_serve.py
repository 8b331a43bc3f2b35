"""`halo-accounts serve` (the console beside the Web Connector endpoint) refuses plain HTTP on any address but
loopback, and a certificate without its key, before it listens."""

from __future__ import annotations

from pathlib import Path

import pytest

from halo_accounts.config import Settings
from halo_accounts.errors import HaloAccountsError
from halo_accounts.sync.serve import console_and_endpoint


@pytest.mark.parametrize(("host", "cert", "code"), [("0.0.0.0", False, "qbwc.https_required"),
                                                    ("192.168.1.20", False, "qbwc.https_required"),
                                                    ("127.0.0.1", True, "qbwc.cert_incomplete")])
def test_serve_refuses_before_it_listens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str, cert: bool,
                                         code: str) -> None:
    monkeypatch.setenv("HALO_ACCOUNTS_WEBCONNECTOR_PASSWORD", "pw")
    settings = Settings()
    settings.store.path = str(tmp_path / "store.sqlite3")
    settings.webconnector.host = host
    if cert:
        settings.webconnector.cert_file = str(tmp_path / "cert.pem")
    app, serve = console_and_endpoint(settings)
    assert {"/qbwc", "/login", "/setup"} <= {getattr(r, "path", "") for r in app.routes}
    with pytest.raises(HaloAccountsError) as err:
        serve()
    assert err.value.code == code
