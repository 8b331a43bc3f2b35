"""The wizard's package step is built from each package's own settings model (its descriptor): every package in
the registry gets its form, values are validated before they are written, and its secrets never come back."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from halo_accounts.config import Settings
from halo_accounts.console import create_console
from halo_accounts.ledgers import registry

PASSWORD = "correct horse battery"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = Settings()
    settings.store.path = str(tmp_path / "store.sqlite3")
    c = TestClient(create_console(settings, config_path=tmp_path / "config.toml"), base_url="https://testserver")
    c.post("/setup", data={"password": PASSWORD, "again": PASSWORD})
    return c


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


@pytest.mark.parametrize("kind", registry.KINDS)
def test_every_package_gets_its_form(client: TestClient, kind: str) -> None:
    page = client.get(f"/wizard/package?kind={kind}")
    package = registry.get(kind)
    assert package is not None and package.display_name in page.text
    for section, model in package.settings.items():
        some = next(n for n, f in model.model_fields.items() if f.annotation in (str, int, bool))
        assert f'name="{section}.{some}"' in page.text


def test_sage50ca_values_are_validated_then_written_and_the_password_kept_out(client: TestClient,
                                                                              tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    kept: dict[str, str] = {}
    monkeypatch.setattr(keyring, "set_password", lambda service, name, value: kept.__setitem__(name, value))
    page = client.get("/wizard/package?kind=sage50ca")
    form = {"csrf": _csrf(page.text), "kind": "sage50ca", "sage50ca.company_path": "C:\\Sage\\Maple.SAI",
            "sage50ca.username": "halo", "sage50ca.multi_user": "on", "sage50ca.app_code": "TOOLONGCODE",
            "sage50ca.app_version": "1", "sage50ca.date_format": "%m-%d-%Y", "sage50ca.app_name": "halo-accounts",
            "sage50ca.sdk_path": "", "secret:sage50ca.password": "sage-pw-123"}
    refused = client.post("/wizard/package", data=form)
    assert "Not saved: sage50ca.app_code" in refused.text
    assert not (tmp_path / "config.toml").exists()
    saved = client.post("/wizard/package", data={**form, "sage50ca.app_code": "HALOAC"})
    assert "Saved in" in saved.text and "sage-pw-123" not in saved.text
    written = tomllib.loads((tmp_path / "config.toml").read_text(encoding="utf-8"))
    assert written["ledger"]["kind"] == "sage50ca" and written["sage50ca"]["company_path"] == "C:\\Sage\\Maple.SAI"
    assert "sage-pw-123" not in (tmp_path / "config.toml").read_text(encoding="utf-8")
    assert kept == {"sage50ca.password": "sage-pw-123"}
    assert oct((tmp_path / "config.toml").stat().st_mode & 0o777) == "0o600"


def test_a_broken_configuration_file_is_a_message_not_a_traceback(client: TestClient, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[halo\nurl = ", encoding="utf-8")
    page = client.get("/wizard/package?kind=quickbooks")
    answer = client.post("/wizard/package", data={"csrf": _csrf(page.text), "kind": "quickbooks"})
    assert answer.status_code == 200 and "cannot be read as TOML" in answer.text
    assert (tmp_path / "config.toml").read_text(encoding="utf-8") == "[halo\nurl = "  # left as it was
