"""The import-file commands (the 'file' ledger mode, any OS): `export KIND` for each package whose descriptor has
import files, `export confirm`, `export list`.

The work is in `sync/file_export.py`; these commands open Halo and the store from the settings and print the outcome.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from halo_accounts.ledgers import registry
from halo_accounts.ledgers.package import Package

console = Console(highlight=False)


@contextlib.contextmanager
def _parts() -> Iterator[tuple[Any, Any]]:
    """(Halo client, store) from the settings, closed afterwards."""
    from halo_accounts import config
    from halo_accounts.cli import State
    from halo_accounts.halo import HaloClient
    from halo_accounts.store import Store

    settings = config.load(State.config_path)
    path = config.store_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(path) as store, HaloClient.from_settings(settings) as client:
        yield client, store


def _store() -> Any:
    from halo_accounts import config
    from halo_accounts.cli import State
    from halo_accounts.store import Store

    return Store.open(config.store_path(config.load(State.config_path)))


def _export_command(package: Package) -> Callable[..., None]:
    assert package.file_export is not None
    files = package.file_export

    def export_command(
        out: Annotated[Path, typer.Option("--out", help="Folder for the batch folders (created owner-only).")],
        again: Annotated[bool, typer.Option("--again", help="Also write invoices already in an earlier batch that "
                                                            "is not confirmed yet.")] = False,
    ) -> None:
        from halo_accounts import config
        from halo_accounts.cli import State
        from halo_accounts.sync.file_export import export

        out.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _parts() as (client, store):
            halo_settings = config.load(State.config_path).halo
            result = export(client, store, out, package.kind, again=again, timezone=halo_settings.timezone,
                            control=halo_settings.control)
        if result.notice:
            console.print(f"[bold]Note:[/] {result.notice}")
        for record, message, fix in result.held:
            console.print(f"[bold yellow]Held[/] {record}: {message}")
            if fix:
                console.print(f"      [bold]Fix:[/] {fix}")
        if result.batch is None or result.folder is None:
            more = f" ({result.already} are in earlier batches not confirmed yet: add --again to write them " \
                   "again)" if result.already else ""
            console.print(f"Nothing to export: no invoice is waiting to go to {package.limits.package}{more}.")
            if result.held:
                raise typer.Exit(1)
            return
        for note in result.cut:
            console.print(f"[cyan]Shortened[/] {note} (see manifest.json).")
        console.print(f"Batch {result.batch}: {len(result.invoices)} invoices and credit notes, {result.customers} "
                      f"customers, {result.products} products written to {result.folder}.")
        if result.already:
            console.print(f"{result.already} invoices already in earlier batches were left out (--again to include).")
        console.print(files.steps)
        console.print(f"When {package.limits.package} has imported them: [bold]halo-accounts export confirm "
                      f"{result.batch}[/] (marks the invoices posted in Halo).")
        if result.held:
            raise typer.Exit(1)

    export_command.__doc__ = (f"Write Halo's invoices not yet posted (each once) as {files.what}.")
    return export_command


def register(app: typer.Typer) -> None:
    with_files = [p for p in registry.packages() if p.file_export is not None]
    export_app = typer.Typer(help="Import files for the accounting package (" + "; ".join(
        p.file_export.what for p in with_files if p.file_export is not None) + ").", no_args_is_help=True)
    app.add_typer(export_app, name="export")
    for package in with_files:
        export_app.command(package.kind)(_export_command(package))

    @export_app.command("confirm")
    def export_confirm(batch: Annotated[int, typer.Argument(help="The batch number `export list` shows.")]) -> None:
        """Mark a batch's invoices posted in Halo, once, after its files were imported into the package."""
        from halo_accounts.sync.file_export import confirm

        with _parts() as (client, store):
            result = confirm(client, store, batch)
        for number, message in result.failed:
            console.print(f"[bold yellow]Not marked[/] invoice {number}: {message}")
        console.print(f"Batch {batch}: {len(result.marked)} invoices marked posted in Halo now"
                      + (f"; {result.already} were already marked." if result.already else "."))
        if result.failed:
            raise typer.Exit(1)

    @export_app.command("list")
    def export_list() -> None:
        """Show the export batches and whether each has been confirmed."""
        from halo_accounts.sync.file_export import batches

        with _store() as store:
            found = batches(store)
        if not found:
            console.print("No export batches yet.")
            return
        table = Table("Batch", "Package", "Written", "State", "Invoices", "Held", "Folder")
        for b in found:
            state = f"confirmed {b.confirmed}" if b.state == "confirmed" else b.state
            package = registry.get(b.kind)
            table.add_row(str(b.batch), package.display_name if package else b.kind, b.started[:19], state,
                          str(b.invoices), str(b.held), b.folder)
        console.print(table)
