"""Commands that set an install up: `init` writes a starter configuration, `secret` stores a secret,
`check` proves the Halo connection and lists the Halo permissions the integrator has and lacks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

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
        write_private(path, config.starter())
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

    @app.command()
    def check(
        for_tax_import: Annotated[
            bool,
            typer.Option("--for-tax-import", help="Also require 'admin', needed for the first import of tax rates."),
        ] = False,
        probe: Annotated[
            bool,
            typer.Option(
                "--probe",
                help="Try each permission with a harmless request instead of trusting the scope Halo reports.",
            ),
        ] = False,
    ) -> None:
        """Connect to Halo, read its settings and show which permissions are in place (exit 1 if any is missing)."""
        from halo_accounts.halo import HaloClient
        from halo_accounts.halo.permissions import run_check

        settings = config.load(State.config_path)
        with HaloClient.from_settings(settings) as client:
            report = run_check(client, ledger=settings.ledger.kind, for_tax_import=for_tax_import, force_probe=probe)
            lines = check_lines(report, client, config_name=settings.source)
        lines.extend(_first_run_lines(settings))
        for line in lines:
            typer.echo(line)
        raise typer.Exit(0 if report.ok else 1)


def _first_run_lines(settings: Any) -> list[str]:
    """The tax map comes first (issue 8.8): said by `check` until one Halo rate is mapped."""
    from halo_accounts.messages import render
    from halo_accounts.store import Store

    path = config.store_path(settings)
    if path.exists():
        with Store.open(path) as store:
            if store.links("tax"):
                return []
    text, fix = render("sync.tax_map_next")
    return [text, f"             {fix}"]


def check_lines(report: Any, client: Any, *, config_name: str) -> list[str]:
    """What `check` prints: the connection, Halo's settings, one line per permission and a verdict."""
    from halo_accounts.halo.permissions import missing_fix
    from halo_accounts.ledgers import registry
    from halo_accounts.messages import render

    package = registry.get(report.ledger)
    ledger = package.display_name if package is not None else report.ledger
    where = f"authorisation server {client.auth_url}" + (f", tenant {client.tenant}" if client.tenant else "")
    out = [f"Halo:        {client.base_url} ({where})"]
    scope = report.granted_scope
    out.append("Token:       OK" + (f"; Halo granted the scope '{scope}'" if scope is not None else ""))
    control = report.control
    if control is not None:
        package = ", ".join(name for name, on in (("QuickBooks", control.useqb), ("Sage", control.usesage)) if on)
        version = f"Halo {control.app_version}; " if control.app_version else ""
        out.append(f"Settings:    {version}accounts package selected in Halo: {package or 'none'}")
        if (report.ledger == "quickbooks" and not control.useqb) or (
            report.ledger.startswith("sage") and not control.usesage
        ):
            out.append(
                f"             Note: Halo's settings do not select {ledger}; this configuration uses ledger.kind = "
                f"'{report.ledger}'."
            )
    elif report.control_error is not None:
        out.append(f"Settings:    NOT READABLE - {report.control_error.message}")
        out.append(f"             Fix: {report.control_error.fix}")
    probed = any(line.how == "probe" for line in report.lines)
    how = "tried with harmless requests" if probed else "from the scope Halo granted"
    out.append(f"Permissions for {ledger} ({how}):")
    width = max(len(line.permission.scope) for line in report.lines)
    for line in report.lines:
        mark = "[ok]     " if line.granted else ("[MISSING]" if line.required else "[missing]")
        note = f" ({line.note})" if line.note else ""
        out.append(f"  {mark} {line.permission.scope:<{width}}  to {line.permission.action}{note}")
        if not line.granted:
            out.append(f"            Fix: {missing_fix(report, line, config=config_name)}")
    missing = report.missing
    if missing:
        text, fix = render(
            "halo.check.missing",
            count=len(missing),
            ledger=ledger,
            scopes=", ".join(line.permission.scope for line in missing),
        )
        out.append(f"{text} {fix}")
    elif report.control_error is None:
        out.append(f"Everything {ledger} needs from Halo is in place.")
    return out
