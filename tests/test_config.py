"""Configuration: TOML file, environment overrides, secrets never from the file, clear messages."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from halo_accounts import config
from halo_accounts.cli import main
from halo_accounts.errors import HaloAccountsError
from halo_accounts.secrets import get_secret


def test_starter_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    with pytest.raises(SystemExit) as done:
        main(["init", "--config", str(path)])
    assert done.value.code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    settings = config.load(path, environ={})
    assert settings.halo.url == "https://yourcompany.halopsa.com"
    assert settings.halo.requests_per_window == 300


def test_environment_overrides_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[halo]\nurl = "https://a.example"\n')
    settings = config.load(
        path, environ={"HALO_ACCOUNTS_HALO_URL": "https://b.example", "HALO_ACCOUNTS_WEBCONNECTOR_PORT": "9000"}
    )
    assert settings.halo.url == "https://b.example"
    assert settings.webconnector.port == 9000


def test_bad_value_names_field_and_env(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[webconnector]\nport = 'eighty'\n")
    with pytest.raises(HaloAccountsError) as err:
        config.load(path, environ={})
    assert err.value.code == "config.invalid"
    assert "webconnector.port" in err.value.message
    assert "HALO_ACCOUNTS_WEBCONNECTOR_PORT" in err.value.fix


def test_unknown_key_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[halo]\nurll = 'x'\n")
    with pytest.raises(HaloAccountsError) as err:
        config.load(path, environ={})
    assert "halo.urll" in err.value.message


def test_secret_in_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[halo]\nclient_secret = 'hunter2'\n")
    with pytest.raises(HaloAccountsError) as err:
        config.load(path, environ={})
    assert err.value.code == "config.secret_in_file"
    assert "hunter2" not in str(err.value)


def test_broken_toml_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[halo\nurl=")
    with pytest.raises(HaloAccountsError) as err:
        config.load(path, environ={})
    assert err.value.code == "config.unreadable"


def test_explicit_missing_file(tmp_path: Path) -> None:
    with pytest.raises(HaloAccountsError) as err:
        config.load(tmp_path / "nope.toml", environ={})
    assert err.value.code == "config.file_missing"


def test_missing_required_value() -> None:
    settings = config.Settings()
    with pytest.raises(HaloAccountsError) as err:
        config.require(settings, "halo.client_id")
    assert "HALO_ACCOUNTS_HALO_CLIENT_ID" in err.value.fix


def test_secret_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HALO_ACCOUNTS_HALO_CLIENT_SECRET", "s3cret")
    assert get_secret("halo.client_secret") == "s3cret"
    monkeypatch.delenv("HALO_ACCOUNTS_HALO_CLIENT_SECRET")
    monkeypatch.setattr("halo_accounts.secrets._from_keyring", lambda name: None)
    with pytest.raises(HaloAccountsError) as err:
        get_secret("halo.client_secret")
    assert "HALO_ACCOUNTS_HALO_CLIENT_SECRET" in err.value.fix


def test_cli_error_is_a_message_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.toml"
    path.write_text("x")
    with pytest.raises(SystemExit) as done:
        main(["init", "--config", str(path)])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "already exists" in err
    assert "Traceback" not in err


def test_error_text_in_brackets_is_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[webconnector]\nport = 'eighty'\n")
    with pytest.raises(SystemExit):
        main(["--config", str(path), "status"])
    err = capsys.readouterr().err
    assert "[webconnector]" in err  # printed as text, not swallowed as markup
