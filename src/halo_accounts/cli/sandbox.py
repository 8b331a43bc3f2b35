"""`halo-accounts sandbox ...`: run the emulated systems (Halo here; QuickBooks and Sage add theirs) for trials."""

from __future__ import annotations

import signal
import time
from importlib import import_module
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

sandbox_app = typer.Typer(
    help="Run stand-ins for Halo and the accounting packages on this machine (for trials and tests).",
    no_args_is_help=True,
)

#: Other engineers' sandbox command modules; each has ``register(sandbox_app)``.
EXTENSIONS = ("sandbox_quickbooks", "sandbox_sage")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@sandbox_app.command("halo")
def halo(
    seed: Annotated[Path | None, typer.Option("--seed", help="Seed file: one JSON object.")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Use the built-in demo UK MSP tenant (the default).")] = False,
    port: Annotated[int, typer.Option("--port", help="Port to listen on; 0 lets the system choose.")] = 0,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant name checked in /auth/token?tenant=.")] = "",
    rate_limit: Annotated[int, typer.Option("--rate-limit", help="Requests allowed per window.")] = 300,
    rate_window: Annotated[float, typer.Option("--rate-window", help="Rolling window in seconds.")] = 300.0,
    retry_after: Annotated[bool, typer.Option("--retry-after", help="Send Retry-After with 429s.")] = False,
    token_lifetime: Annotated[int, typer.Option("--token-lifetime", help="Token lifetime in seconds.")] = 3600,
    latency: Annotated[float, typer.Option("--latency", help="Seconds added to every answer.")] = 0.0,
    error_rate: Annotated[float, typer.Option("--error-rate", help="Share of requests answered 500 (0-1).")] = 0.0,
    drop_rate: Annotated[float, typer.Option("--drop-rate", help="Share of connections cut unanswered (0-1).")] = 0.0,
    storm_429: Annotated[int, typer.Option("--storm-429", help="Answer the next N requests with 429.")] = 0,
    fault_seed: Annotated[int, typer.Option("--fault-seed", help="Seed for the fault draws.")] = 1,
) -> None:
    """Serve an emulated Halo tenant (API under /api, auth under /auth) until stopped with Ctrl+C."""
    from halo_accounts.sandbox.halo import Faults, HaloSandbox, demo_seed
    from halo_accounts.sandbox.halo import seed as seeds

    if seed is not None and demo:
        raise typer.BadParameter("give either --seed FILE or --demo, not both")
    data = seeds.load_file(seed) if seed is not None else demo_seed.build()
    faults = Faults(latency=latency, error_rate=error_rate, drop_rate=drop_rate, storm_429=storm_429, seed=fault_seed)
    sandbox = HaloSandbox(
        data,
        faults=faults,
        rate_limit=(rate_limit, rate_window),
        token_lifetime=token_lifetime,
        tenant=tenant,
        retry_after=retry_after,
        host=host,
        port=port,
    )
    sandbox.start()
    apps = ", ".join(f"{a['client_id']} ({' '.join(a.get('scopes', ['all']))})" for a in data.get("applications", []))
    typer.echo(f"Halo sandbox listening on {sandbox.url} (API {sandbox.url}/api, auth {sandbox.url}/auth)")
    typer.echo(f"Applications: {apps or 'none'}; tenant: {tenant or '(any)'}. Stop with Ctrl+C.")
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        typer.echo("Stopping the Halo sandbox.")
    finally:
        signal.signal(signal.SIGTERM, previous)
        sandbox.stop()


def register(app: typer.Typer) -> None:
    for name in EXTENSIONS:
        try:
            module = import_module(f"halo_accounts.cli.{name}")
        except ModuleNotFoundError as exc:  # not written yet: no commands from it
            if exc.name != f"halo_accounts.cli.{name}":
                raise
            continue
        module.register(sandbox_app)
    app.add_typer(sandbox_app, name="sandbox")
