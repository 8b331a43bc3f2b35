"""The `halo-accounts` command: one Typer app; each area adds its commands from its own module.

Every `HaloAccountsError` reaching here is shown as its message and fix (exit 2), never a traceback.
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from halo_accounts import __version__
from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers import registry

app = typer.Typer(
    name="halo-accounts",
    help=f"Keeps HaloPSA in step with your accounting package ({registry.names()}).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

#: Modules under halo_accounts.cli that add commands; each has ``register(app)``.
COMMAND_MODULES = ("setup", "sandbox", "quickbooks", "syncing", "exports", "demo")

err_console = Console(stderr=True, highlight=False)


class State:
    config_path: Path | None = None


@app.callback()
def _root(
    config: Annotated[
        Path | None, typer.Option("--config", help="Configuration file (default: the platform's config folder).")
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)
    State.config_path = config


for _name in COMMAND_MODULES:
    try:
        _module = import_module(f"halo_accounts.cli.{_name}")
    except ModuleNotFoundError as _exc:  # a module not written yet adds no commands
        if _exc.name != f"halo_accounts.cli.{_name}":
            raise
        continue
    _module.register(app)


def report(exc: HaloAccountsError) -> None:
    """Print an error as the user should see it."""
    err_console.print(f"[bold red]Error:[/] {escape(exc.message)}")
    if exc.fix:
        err_console.print(f"[bold]Fix:[/] {escape(exc.fix)}")


def main(argv: list[str] | None = None) -> None:
    try:
        app(args=argv, standalone_mode=True)
    except HaloAccountsError as exc:
        report(exc)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("Stopped.")
        sys.exit(130)
