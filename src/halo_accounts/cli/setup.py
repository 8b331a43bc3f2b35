"""Commands that set an install up: `init` writes a starter configuration, `secret` stores a secret."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from halo_accounts import config
from halo_accounts.errors import HaloAccountsError
from halo_accounts.secrets import SECRET_NAMES, set_secret


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    try:
        path.chmod(0o600)
    except OSError:  # pragma: no cover - e.g. a Windows share; the ACL then applies
        pass


def register(app: typer.Typer) -> None:
    from halo_accounts.cli import State

    @app.command()
    def init(
        config_path: Annotated[Path | None, typer.Option("--config", help="Where to write it.")] = None,
        force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    ) -> None:
        """Write a commented starter configuration file."""
        path = config_path or State.config_path or config.default_config_path()
        if path.exists() and not force:
            raise HaloAccountsError("config.exists", path=path)
        write_private(path, config.STARTER)
        typer.echo(f"Wrote {path}. Edit it, then set HALO_ACCOUNTS_HALO_CLIENT_SECRET and run `halo-accounts check`.")

    secret_app = typer.Typer(help="Store secrets in the OS keyring.", no_args_is_help=True)
    app.add_typer(secret_app, name="secret")

    @secret_app.command("set")
    def secret_set(name: Annotated[str, typer.Argument(help=", ".join(SECRET_NAMES))]) -> None:
        """Store a secret in the OS keyring (prompted, never echoed)."""
        if name not in SECRET_NAMES:
            raise typer.BadParameter(f"unknown secret; one of {', '.join(SECRET_NAMES)}")
        value = typer.prompt(name, hide_input=True, confirmation_prompt=True)
        set_secret(name, value)
        typer.echo(f"Stored {name} in the OS keyring.")
