"""QuickBooks commands: `qwc` writes the file the Web Connector imports, `webconnector-password` sets its password."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer

from halo_accounts import config
from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.quickbooks.webconnector.qwc import DEFAULT_RUN_EVERY_MINUTES, build_qwc, install_ids
from halo_accounts.ledgers.quickbooks.webconnector.server import endpoint_url

#: Length of a generated Web Connector password: 18 random bytes = 24 URL-safe characters (144 bits).
_GENERATED_PASSWORD_BYTES = 18


def register(app: typer.Typer) -> None:
    from halo_accounts.cli import State

    @app.command("qwc")
    def qwc(
        out: Annotated[Path, typer.Option("--out", help="Where to write the .qwc file.")],
        url: Annotated[
            str | None, typer.Option("--url", help="AppURL (default: webconnector.public_url, else localhost).")
        ] = None,
        every: Annotated[
            int, typer.Option("--every", min=1, help="Minutes between automatic updates.")
        ] = DEFAULT_RUN_EVERY_MINUTES,
        force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    ) -> None:
        """Write the .qwc file to import into the QuickBooks Web Connector (File > Add an application)."""
        settings = config.load(State.config_path)
        if out.exists() and not force:
            raise HaloAccountsError("config.exists", path=out)
        ids = install_ids(config.store_path(settings).parent)
        text = build_qwc(
            app_name=settings.quickbooks.app_name,
            app_url=url or endpoint_url(settings),
            username=settings.webconnector.username,
            ids=ids,
            run_every_minutes=every,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="ascii")
        typer.echo(
            f"Wrote {out}. On the QuickBooks PC open the Web Connector, choose Add an application, pick this "
            "file, and type the password set with `halo-accounts webconnector-password`."
        )

    @app.command("webconnector-password")
    def webconnector_password(
        generate: Annotated[bool, typer.Option(help="Make up a strong password and show it once.")] = False,
    ) -> None:
        """Store the password the Web Connector must give (OS keyring; never in the configuration file)."""
        from halo_accounts.secrets import set_secret

        if generate:
            value = secrets.token_urlsafe(_GENERATED_PASSWORD_BYTES)
        else:
            value = typer.prompt("Web Connector password", hide_input=True, confirmation_prompt=True)
        try:
            set_secret("webconnector.password", value)
        except Exception as exc:
            raise HaloAccountsError("qbwc.keyring_failed", detail=type(exc).__name__) from None
        if generate:
            typer.echo(f"Password (type it into the Web Connector; it is not shown again): {value}")
        typer.echo("Stored webconnector.password in the OS keyring. Restart `halo-accounts serve` to use it.")
