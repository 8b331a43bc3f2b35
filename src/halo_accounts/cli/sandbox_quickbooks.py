"""`halo-accounts sandbox webconnector`: play the QuickBooks Web Connector against a running endpoint, with a
sandbox company file standing in for QuickBooks (one update, as "Update Selected" does)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from halo_accounts.errors import HaloAccountsError


def register(sandbox_app: typer.Typer) -> None:
    @sandbox_app.command("webconnector")
    def webconnector(
        url: Annotated[str, typer.Option("--url", help="The endpoint, e.g. http://localhost:8765/qbwc.")],
        user: Annotated[str, typer.Option("--user", help="Web Connector user name (webconnector.username).")],
        password: Annotated[
            str, typer.Option("--password", envvar="HALO_ACCOUNTS_WEBCONNECTOR_PASSWORD", help="Its password.")
        ],
        company: Annotated[Path, typer.Option("--company", help="Sandbox company file.")],
        edition: Annotated[str, typer.Option("--edition", help="US, UK, CA or AU.")] = "US",
        noop_pause: Annotated[float, typer.Option("--noop-pause", help="Seconds to wait after NoOp.")] = 5.0,
    ) -> None:
        """Run one Web Connector update against URL with a sandbox company standing in for QuickBooks."""
        from halo_accounts.sandbox.quickbooks import Company
        from halo_accounts.sandbox.quickbooks.webconnector_driver import WebConnectorDriver

        book = Company(company, edition=edition.upper())
        with WebConnectorDriver(url, user, password, book, noop_pause=noop_pause) as driver:
            result = driver.run_update()
        for call in result.calls:
            shown = call.result if not isinstance(call.result, str) or len(call.result) < 70 else "<qbXML>"
            typer.echo(f"{call.method:<20} -> {shown!r}")
        if result.outcome not in ("done", "none"):
            raise HaloAccountsError(
                "qbwc.sandbox_update_failed", outcome=result.outcome, detail=result.error or result.close_message
            )
        typer.echo(f"Update {result.outcome}: {len(result.requests)} request(s). {result.close_message}")
