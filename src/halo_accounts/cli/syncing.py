"""The sync commands: `sync`, `run`, `serve`, `status`, `retry`, `import tax|items`, `map tax`, `audit export`,
`pause`/`resume`. Each opens Halo, the package and the store from the settings and hands them to the engine."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from halo_accounts import config
from halo_accounts.errors import HaloAccountsError

#: Exit codes: 0 everything went; 1 some records are (in a dry run: would be) held;
#: 3 the run was interrupted (the package or Halo went away).
EXIT_HELD = 1
EXIT_INTERRUPTED = 3

console = Console(highlight=False)


def _settings() -> config.Settings:
    from halo_accounts.cli import State
    from halo_accounts.sync.logs import configure

    settings = config.load(State.config_path)
    configure(settings.log.format, settings.log.level)
    return settings


def _store_path(settings: config.Settings) -> Path:
    path = config.store_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _pause_file(settings: config.Settings) -> Path:
    return config.store_path(settings).with_name("halo-accounts.paused")


@contextlib.contextmanager
def _parts(settings: config.Settings, *, ledger: bool = True, scope: str | None = None) -> Iterator[tuple[Any, ...]]:
    """(Halo client, ledger or None, store) for one command, closed afterwards."""
    from halo_accounts.halo import HaloClient
    from halo_accounts.store import Store
    from halo_accounts.sync import control_settings
    from halo_accounts.sync.ledger_factory import open_ledger

    with Store.open(_store_path(settings)) as store, HaloClient.from_settings(settings, scope=scope) as client:
        if not ledger:
            yield client, None, store
            return
        # The Sage route and data path come from Control; read as the engine reads it (sync/control_settings.py).
        control = (control_settings.read(client, store, settings.halo.control).control
                   if settings.ledger.kind != "quickbooks" else None)
        with open_ledger(settings, control) as opened:
            yield client, opened, store


def _ledger_reachable(settings: config.Settings) -> bool:
    """Whether this command can reach the package now: not with the Web Connector (only inside an update)."""
    return not (settings.ledger.kind == "quickbooks" and settings.quickbooks.transport == "webconnector")


def _queue(command: str, settings: config.Settings) -> None:
    """Leave ``command`` for the next Web Connector update (the only time QuickBooks can be reached)."""
    from halo_accounts.store import Store
    from halo_accounts.sync import queued

    with Store.open(_store_path(settings)) as store:
        queued.queue(store, command)
    console.print(f"QuickBooks is reached through the Web Connector: `{command}` will run at the start of the next "
                  "Web Connector update (halo-accounts serve). `halo-accounts status` shows how it went.")


def _engine(client: Any, ledger: Any, store: Any, settings: config.Settings, *, progress: bool) -> Any:
    from halo_accounts.sync import SyncEngine

    return SyncEngine(client, ledger, store, settings, progress=_progress() if progress else None)


def _progress() -> Any:
    """A rich progress bar fed by the engine's (phase, done, total) callbacks."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console,
                   transient=True)
    tasks: dict[str, Any] = {}
    bar.start()

    def update(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = bar.add_task(phase, total=max(total, 1))
        bar.update(tasks[phase], completed=done, total=max(total, 1))
        if all(t.finished for t in bar.tasks):
            bar.stop()

    update.bar = bar  # type: ignore[attr-defined]
    return update


def _show(report: Any, as_json: bool) -> None:
    from halo_accounts.sync.report import render

    if as_json:
        typer.echo(report.to_json())
    else:
        render(report, console)


def _exit_for(report: Any) -> None:
    if report.status == "interrupted":
        raise typer.Exit(EXIT_INTERRUPTED)
    if report.status == "held" or (report.dry_run and report.held):
        raise typer.Exit(EXIT_HELD)


def register(app: typer.Typer) -> None:
    @app.command()
    def sync(
        only: Annotated[str, typer.Option(help="Record types: customers,items,invoices,payments (default: all).")]
        = "",
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Show every action and its checks; write nothing.")]
        = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Run one sync now (Halo <-> the accounting package)."""
        from halo_accounts.sync.plan import parse_only

        try:
            kinds = parse_only(only or None)
            settings = _settings()
            preview = dry_run and not _ledger_reachable(settings)  # the Web Connector: from the last update's lists
            with _parts(settings, ledger=not preview) as (client, ledger, store):
                if preview:
                    from halo_accounts.sync.snapshot import SnapshotLedger

                    ledger = SnapshotLedger(store)
                engine = _engine(client, ledger, store, settings, progress=sys.stdout.isatty() and not as_json)
                try:
                    report = engine.run(kinds, dry_run=dry_run)
                finally:
                    bar = getattr(engine.progress, "bar", None)
                    if bar is not None:
                        bar.stop()
        except HaloAccountsError as exc:
            if not as_json:
                raise
            typer.echo(json.dumps({"error": {"code": exc.code, "message": exc.message, "fix": exc.fix}}))
            raise typer.Exit(2) from None
        _show(report, as_json)
        _exit_for(report)

    @app.command("run")
    def run_service(
        every: Annotated[str, typer.Option(help="Interval between runs, e.g. 15m, 1h.")] = "15m",
        window: Annotated[str, typer.Option(help="Only run inside this daily window, e.g. 19:00-07:00.")] = "",
        as_json: Annotated[bool, typer.Option("--json", help="Print each report as JSON.")] = False,
    ) -> None:
        """Run the sync every interval (a long-running service). Pause with `halo-accounts pause`."""
        from halo_accounts.sync.scheduler import Scheduler, parse_interval, parse_window

        seconds = parse_interval(every)
        win = parse_window(window) if window else None
        settings = _settings()

        def once() -> None:
            from datetime import datetime, timedelta

            from halo_accounts.sync.engine import NEXT_RUN

            with _parts(settings) as (client, ledger, store):
                report = _engine(client, ledger, store, settings, progress=False).run()
                due = (datetime.now().astimezone() + timedelta(seconds=seconds)).isoformat(timespec="seconds")
                store.set_cursor(NEXT_RUN, due + (f" (inside {win})" if win else ""))  # for the console's Health
            _show(report, as_json)

        console.print(f"Syncing every {every}{' inside ' + str(win) if win else ''}; "
                      f"pause with: halo-accounts pause. Stop with Ctrl+C.")
        Scheduler(once, seconds, window=win, pause_file=_pause_file(settings)).loop()

    @app.command()
    def pause() -> None:
        """Pause a running `halo-accounts run` (due runs are skipped until `resume`)."""
        from halo_accounts.sync.scheduler import pause as do_pause

        settings = _settings()
        do_pause(_pause_file(settings))
        console.print("Paused. Resume with: halo-accounts resume")

    @app.command()
    def resume() -> None:
        """Resume a paused `halo-accounts run`."""
        from halo_accounts.sync.scheduler import resume as do_resume

        settings = _settings()
        console.print("Resumed." if do_resume(_pause_file(settings)) else "It was not paused.")

    @app.command()
    def serve() -> None:
        """Serve the Web Connector endpoint; each Web Connector update runs one sync through it."""
        from halo_accounts.cli import State
        from halo_accounts.sync.serve import console_and_endpoint

        settings = _settings()
        _app, serve_app = console_and_endpoint(
            settings, config_path=State.config_path or config.default_config_path(),
            on_report=lambda report: _show(report, as_json=settings.log.format == "json"))
        wc = settings.webconnector
        console.print(f"Serving the console (and the Web Connector endpoint) on {wc.host}:{wc.port}. "
                      "Stop with Ctrl+C.")
        serve_app()  # refuses plain HTTP off loopback, and a certificate without its key

    @app.command()
    def status(
        as_json: Annotated[bool, typer.Option("--json")] = False,
        kind: Annotated[str, typer.Option(help="Only held records of this kind: invoice, credit, customer, item, "
                                               "payment.")] = "",
        code: Annotated[str, typer.Option(help="Only held records with this message code (e.g. "
                                               "sync.tax_unmapped).")] = "",
        search: Annotated[str, typer.Option(help="Only held records whose message, fix or Halo id contains "
                                                 "this.")] = "",
    ) -> None:
        """The last runs, their counts, and the held records grouped by cause, each group with its fix."""
        from halo_accounts.store import Store
        from halo_accounts.sync.held_groups import held_groups, matching

        settings = _settings()
        from halo_accounts.sync import notices, queued

        with Store.open(_store_path(settings)) as store:
            runs = store.runs(10)
            held = matching(store.held(), kind=kind, code=code, text=search)
            waiting = queued.states(store)
            retrying = queued.pending_retry(store)
            cut = store.get_cursor(notices.SHORTENED_CURSOR) or ""
        if as_json:
            said = [*notices.from_held(h.code for h in held), *([cut] if cut else [])]
            groups = [{"title": g.title, "kind": g.kind, "code": g.code, "fix": g.fix,
                       "records": [f"{h.kind}:{h.halo_id}" for h in g.records]} for g in held_groups(held)]
            typer.echo(json.dumps({"runs": [r.__dict__ for r in runs], "held": [h.__dict__ for h in held],
                                   "groups": groups, "queued": waiting, "retry_queued": retrying,
                                   "notices": said}, indent=2, default=str))
            return
        from rich.table import Table

        table = Table(title="Last runs")
        for col in ("#", "Command", "Started", "Status", "Counts"):
            table.add_column(col)
        for r in runs:
            counts = ", ".join(f"{k} {v}" for k, v in sorted(r.counts.items()) if v)
            table.add_row(str(r.id), r.command, r.started[:19], r.status, counts)
        console.print(table)
        for command, state in waiting.items():
            when = "Waiting for the next Web Connector update" if state == queued.PENDING else "Web Connector update"
            console.print(f"{when}: {command}: {escape(state)}")
        if retrying:
            console.print(f"To retry at the next Web Connector update: {', '.join(retrying)}")
        if not held:
            console.print("Nothing is held.")
        for notice in [*notices.from_held(h.code for h in held), *([cut] if cut else [])]:
            console.print(f"[bold]Note:[/] {escape(notice)}")
        for group in held_groups(held):
            console.print(f"[bold yellow]{escape(group.title)}[/] — [bold]Fix:[/] {escape(group.fix)}")
            for h in group.records:
                tried = f"[dim](tried {h.attempts}x since {h.first_seen[:16]})[/]"
                console.print(f"      {h.kind}:{h.halo_id} ({escape(h.detail)}) — {escape(h.message)}  {tried}")

    @app.command()
    def retry(
        key: Annotated[str, typer.Argument(help="A held record, e.g. invoice:123 (see status).")] = "",
        all_: Annotated[bool, typer.Option("--all", help="Every held record.")] = False,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Release held records and run the sync for them again."""
        settings = _settings()
        if not _ledger_reachable(settings):
            from halo_accounts.store import Store
            from halo_accounts.sync import queued

            with Store.open(_store_path(settings)) as store:
                keys = held_keys(store, key, all_)
                queued.queue_retry(store, keys)
            console.print(f"{len(keys)} held record(s) will be tried again at the next Web Connector update.")
            return
        with _parts(settings) as (client, ledger, store):
            keys = held_keys(store, key, all_)
            for k in keys:
                kind, _, halo_id = k.partition(":")
                store.release(kind, halo_id)
            report = _engine(client, ledger, store, settings, progress=False).run(retry=keys, command="retry")
        _show(report, as_json)
        _exit_for(report)

    import_app = typer.Typer(help="Copy reference data from the accounting package into Halo.",
                             no_args_is_help=True)
    app.add_typer(import_app, name="import")

    @import_app.command("tax")
    def import_tax() -> None:
        """Copy the package's tax codes into Halo (needs an admin-scoped API application) and map them."""
        from halo_accounts.halo import HaloClient
        from halo_accounts.sync import taxes

        settings = _settings()
        with HaloClient.from_settings(settings) as probe:
            granted = probe.try_scope("all admin")
        if granted is None or "admin" not in granted.split():
            raise HaloAccountsError("sync.tax_import_needs_admin")
        if not _ledger_reachable(settings):
            _queue("import tax", settings)
            return
        with _parts(settings, scope="all admin") as (client, ledger, store), store.run_lock():
            result = taxes.import_taxes(_engine(client, ledger, store, settings, progress=False))
            rows = taxes.current_map(_engine(client, ledger, store, settings, progress=False))
        console.print(f"Created {len(result.created)} Halo tax rates, matched {len(result.matched)}.")
        for tax_id, name, code in rows:
            console.print(f"  Halo {tax_id} {name!r} -> {code or '(not mapped)'}")
        for tax_id, name, code in result.proposed:
            console.print(f"Proposed: Halo {tax_id} {name!r} has the rate of {code} under another name; to use it: "
                          f"halo-accounts map tax {tax_id} {code}")

    @import_app.command("items")
    def import_items() -> None:
        """Copy the package's items that Halo does not have into Halo."""
        from halo_accounts.sync import items

        settings = _settings()
        if not _ledger_reachable(settings):
            _queue("import items", settings)
            return
        with _parts(settings) as (client, ledger, store), store.run_lock():
            created = items.import_items(_engine(client, ledger, store, settings, progress=False))
        console.print(f"Created {len(created)} Halo items.")

    map_app = typer.Typer(help="Edit how Halo records map to the package's.", no_args_is_help=True)
    app.add_typer(map_app, name="map")

    @map_app.command("tax")
    def map_tax(
        halo_id: Annotated[int, typer.Argument(help="Halo tax rate id.")],
        ledger_code: Annotated[str, typer.Argument(help="The package's tax code.")],
    ) -> None:
        """Map Halo tax rate HALO_ID to the package's LEDGER_CODE."""
        from halo_accounts.sync import taxes

        settings = _settings()
        reachable = _ledger_reachable(settings)
        with _parts(settings, ledger=reachable) as (client, ledger, store), store.run_lock():
            code = taxes.map_tax(_engine(client, ledger, store, settings, progress=False), halo_id, ledger_code)
        checked = "" if reachable else " It is checked against QuickBooks at the next Web Connector update."
        console.print(f"Halo tax {halo_id} -> {code}. Held invoices using it go with the next sync.{checked}")

    def _map_record(kind: str, halo_id: int, ref: str) -> None:
        from halo_accounts.sync.manual_links import map_record

        settings = _settings()
        reachable = _ledger_reachable(settings)
        with _parts(settings, ledger=reachable) as (client, ledger, store), store.run_lock():
            value, checked = map_record(client, store, ledger, kind, halo_id, ref)  # type: ignore[arg-type]
        how = "checked in the package" if checked else "to be checked at the next Web Connector update"
        console.print(f"Halo {'client' if kind == 'customer' else 'item'} {halo_id}: Accounts ID set to "
                      f"{value!r} ({how}). The next sync links it.")

    @map_app.command("customer")
    def map_customer(
        halo_id: Annotated[int, typer.Argument(help="Halo client id.")],
        ledger_ref: Annotated[str, typer.Argument(help="The package's customer: its name or id.")],
    ) -> None:
        """Link Halo client HALO_ID to an existing customer in the package (sets Halo's Accounts ID)."""
        _map_record("customer", halo_id, ledger_ref)

    @map_app.command("item")
    def map_item(
        halo_id: Annotated[int, typer.Argument(help="Halo item id.")],
        ledger_ref: Annotated[str, typer.Argument(help="The package's item: its name/code or id.")],
    ) -> None:
        """Link Halo item HALO_ID to an existing item in the package (sets Halo's Accounts ID)."""
        _map_record("item", halo_id, ledger_ref)

    audit_app = typer.Typer(help="The audit trail of every write.", no_args_is_help=True)
    app.add_typer(audit_app, name="audit")

    @audit_app.command("export")
    def audit_export(
        out: Annotated[Path, typer.Option("--out", help="File to write.")],
        fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    ) -> None:
        """Write the journal (every write to Halo and to the package) to a file."""
        from halo_accounts.cli.setup import write_private
        from halo_accounts.store import Store

        if fmt not in ("csv", "json"):
            raise typer.BadParameter("use csv or json", param_hint="--format")
        import io

        settings = _settings()
        buffer = io.StringIO()
        with Store.open(_store_path(settings)) as store:
            n = store.export_journal(fmt, buffer)
        write_private(out, buffer.getvalue())
        console.print(f"Wrote {n} journal entries to {out}.")


def held_keys(store: Any, key: str, all_: bool) -> list[str]:
    """The held records named by ``key`` ("invoice:12", or a bare Halo id) or all of them."""
    held = store.held()
    if all_:
        return [f"{h.kind}:{h.halo_id}" for h in held]
    if not key:
        raise typer.BadParameter("name a held record (e.g. invoice:123) or use --all")
    kind, sep, halo_id = key.partition(":")
    chosen = [h for h in held if (sep and h.kind == kind and h.halo_id == halo_id) or (not sep and h.halo_id == key)]
    if not chosen:
        raise HaloAccountsError("sync.retry_unknown", key=key)
    return [f"{h.kind}:{h.halo_id}" for h in chosen]
