"""Every command and sub-command answers --help (so none fails to import or declare its options)."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from halo_accounts.cli import app

ROOT = typer.main.get_command(app)


def _paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            out.extend(_paths(sub, (*prefix, name)))
    return out


PATHS = _paths(ROOT)


def test_the_commands_the_readme_names_exist() -> None:
    names = {" ".join(p) for p in PATHS}
    for wanted in ("demo", "init", "check", "sync", "run", "serve", "status", "retry", "import tax", "import items",
                   "map tax", "audit export", "qwc", "sandbox halo", "sandbox webconnector", "secret set",
                   "export sage50uk", "export confirm"):
        assert wanted in names, f"`halo-accounts {wanted}` is missing"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "(root)")
def test_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
