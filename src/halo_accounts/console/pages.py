"""The console's pages: health, the setup wizard, held records by cause, mappings, runs and the audit trail."""

from __future__ import annotations

import asyncio
import re
import time
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from halo_accounts.console import data
from halo_accounts.errors import HaloAccountsError
from halo_accounts.sync import snapshot
from halo_accounts.sync.engine import NOMINAL_LINK

if TYPE_CHECKING:
    from halo_accounts.console.app import Console
    from halo_accounts.console.security import Session


def pause_file(settings: Any) -> Path:
    from halo_accounts import config

    return config.store_path(settings).with_name("halo-accounts.paused")  # as `halo-accounts pause` (cli/syncing)


def paused(settings: Any) -> bool:
    return pause_file(settings).exists()


def _redirect(url: str) -> Response:
    from halo_accounts.console.app import redirect

    return redirect(url)


async def home(console: Console, request: Request, session: Session) -> Response:
    with console.store() as store:
        health = data.health(store, paused=paused(console.settings))
        held = len(store.held())
    return console.render(request, "home.html", session, health=health, held=held,
                          ledger=console.settings.ledger.kind)


async def pause(console: Console, request: Request, session: Session) -> Response:
    from halo_accounts.sync.scheduler import pause as do_pause
    from halo_accounts.sync.scheduler import resume as do_resume

    form = await request.form()
    if form.get("action") == "resume":
        do_resume(pause_file(console.settings))
    else:
        do_pause(pause_file(console.settings))
    return _redirect("/")


# ---------------------------------------------------------------- the setup wizard
def _check(values: dict[str, str], ledger: str) -> tuple[Any, str]:
    """`halo-accounts check` on the values typed in: (report, error message)."""
    from halo_accounts.halo import HaloClient
    from halo_accounts.halo.permissions import run_check

    try:
        # A person waits on this page: retries back off briefly, not as a background sync does.
        with HaloClient(values["url"], values["client_id"], values["secret"], tenant=values["tenant"],
                        scope="all admin", timeout=15.0, sleep=lambda s: time.sleep(min(s, 0.2))) as client:
            return run_check(client, ledger=ledger, for_tax_import=True), ""
    except HaloAccountsError as exc:
        return None, f"{exc.message} {exc.fix}".strip()


def _permission_rows(report: Any) -> list[dict[str, Any]]:
    from halo_accounts.halo.permissions import missing_fix

    return [{"scope": line.permission.scope, "action": line.permission.action, "granted": line.granted,
             "required": line.required, "fix": "" if line.granted else missing_fix(report, line, config="console")}
            for line in report.lines]


def _config_file(path: Path) -> dict[str, Any] | None:
    """The configuration file's contents ({} when there is none yet); None when it is not TOML."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None


def _save_halo(console: Console, values: dict[str, str]) -> list[str]:
    """Write the Halo section of the configuration file and the secret to the OS keyring; what was done."""
    import tomli_w

    from halo_accounts.secrets import env_name, set_secret

    done = []
    path = console.config_path
    if path is not None:
        current = _config_file(path)
        if current is None:
            return [f"Not saved: {path} cannot be read as TOML; correct it by hand (or move it away), then save "
                    "again."]
        current.setdefault("halo", {}).update(url=values["url"], tenant=values["tenant"],
                                              client_id=values["client_id"])
        path.parent.mkdir(parents=True, exist_ok=True)
        from halo_accounts.ledgers.import_files import write_private

        write_private(path, tomli_w.dumps(current).encode("utf-8"))  # owner-only
        done.append(f"Halo's address and client ID saved in {path}.")
    console.settings.halo.url, console.settings.halo.tenant = values["url"], values["tenant"]
    console.settings.halo.client_id = values["client_id"]
    try:
        set_secret("halo.client_secret", values["secret"])
        done.append("The client secret is in the OS keyring (never in the configuration file).")
    except Exception:  # no keyring on this machine (a server without a desktop session)
        done.append(f"No OS keyring here: set the environment variable {env_name('halo.client_secret')} for "
                    "halo-accounts serve instead.")
    return done


async def wizard(console: Console, request: Request, session: Session) -> Response:
    halo = console.settings.halo
    values = {"url": halo.url, "tenant": halo.tenant, "client_id": halo.client_id, "secret": ""}
    report, error, saved = None, "", []
    if request.method == "POST":
        form = await request.form()
        values = {k: str(form.get(k, "")).strip() for k in ("url", "tenant", "client_id", "secret")}
        if not all(values[k] for k in ("url", "client_id", "secret")):
            error = "Fill in Halo's address, the client ID and the client secret (Halo: Configuration > " \
                    "Integrations > Halo API > View Applications)."
        else:
            report, error = await asyncio.to_thread(_check, values, console.settings.ledger.kind)
            if report is not None and form.get("action") == "save":
                saved = _save_halo(console, values)
    rows = _permission_rows(report) if report is not None else []
    scopes = " ".join(r["scope"] for r in rows if r["required"] or r["scope"] == "admin")
    values["secret"] = ""  # a secret is never rendered back
    return console.render(request, "wizard.html", session, values=values, report=report, rows=rows,
                          scopes=scopes, error=error, saved=saved, ledger=console.settings.ledger.kind)


# ---------------------------------------------------------------- the wizard's second step: the package
def _form_fields(section: str, model: Any, current: Any) -> list[dict[str, Any]]:
    """The settings a form can carry (text, numbers, yes/no, one of a list), from the package's own settings model
    (its descriptor's); tables such as tax code lists stay in the configuration file."""
    from typing import Literal, get_args, get_origin

    out = []
    for name, info in model.model_fields.items():
        kind = info.annotation
        entry: dict[str, Any] = {"name": f"{section}.{name}", "label": name.replace("_", " "),
                                 "help": info.description or "", "value": getattr(current, name, info.default)}
        if kind is bool:
            entry["type"] = "bool"
        elif kind is int:
            entry["type"] = "int"
        elif kind is str:
            entry["type"] = "text"
        elif get_origin(kind) is Literal:
            entry.update(type="choice", choices=list(get_args(kind)))
        else:
            continue
        out.append(entry)
    return out


def _package_form(console: Console, kind: str) -> tuple[Any, list[dict[str, Any]]]:
    from halo_accounts.ledgers import registry

    package = registry.get(kind)
    if package is None:
        return None, []
    fields = []
    for section, model in package.settings.items():
        fields += _form_fields(section, model, getattr(console.settings, section))
    return package, fields


def _save_package(console: Console, kind: str, form: Any, fields: list[dict[str, Any]], package: Any) -> list[str]:
    """Validate and write ``[ledger] kind`` and the package's sections; store its secrets in the OS keyring."""
    import tomli_w
    from pydantic import ValidationError

    from halo_accounts import config
    from halo_accounts.ledgers.import_files import write_private
    from halo_accounts.secrets import env_name, set_secret

    path = console.config_path
    current = _config_file(path) if path is not None else {}
    if current is None:
        return [f"Not saved: {path} cannot be read as TOML; correct it by hand (or move it away), then save again."]
    current.setdefault("ledger", {})["kind"] = kind
    for field in fields:
        section, name = field["name"].split(".", 1)
        raw = form.get(field["name"])
        if field["type"] == "bool":
            value: Any = raw is not None
        elif field["type"] == "int":
            value = str(raw or "0").strip()
        else:
            value = str(raw or "").strip()
        current.setdefault(section, {})[name] = value
    try:
        checked = config.Settings.model_validate(current)
    except ValidationError as exc:
        err = exc.errors()[0]
        return [f"Not saved: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}."]
    for section in ("ledger", *package.settings):  # the validated (typed) values are written
        current[section] = getattr(checked, section).model_dump(exclude_defaults=False)
    done = []
    if path is not None:
        write_private(path, tomli_w.dumps(current).encode("utf-8"))  # owner-only
        done.append(f"Saved in {path}.")
    for section in ("ledger", *package.settings):
        setattr(console.settings, section, getattr(checked, section))
    for name in package.secrets:
        secret = str(form.get(f"secret:{name}", "") or "")
        if not secret:
            continue
        try:
            set_secret(name, secret)
            done.append(f"{name} is in the OS keyring.")
        except Exception:  # no keyring here
            done.append(f"No OS keyring here: set {env_name(name)} in the environment of halo-accounts serve.")
    return done


async def wizard_package(console: Console, request: Request, session: Session) -> Response:
    from halo_accounts.ledgers import registry

    kind = request.query_params.get("kind") or console.settings.ledger.kind
    saved: list[str] = []
    if request.method == "POST":
        form = await request.form()
        kind = str(form.get("kind", kind))
        package, fields = _package_form(console, kind)
        if package is not None:
            saved = _save_package(console, kind, form, fields, package)
    package, fields = _package_form(console, kind)
    downloads = list((package.extras.get("downloads") or {}) if package is not None else {})
    return console.render(request, "wizard_package.html", session, kind=kind, package=package, fields=fields,
                          packages=registry.packages(), saved=saved, downloads=downloads)


async def download(console: Console, request: Request, session: Session) -> Response:
    from halo_accounts import config
    from halo_accounts.console.app import HEADERS
    from halo_accounts.ledgers import registry

    package = registry.get(console.settings.ledger.kind)
    name = request.path_params["name"]
    makers = (package.extras.get("downloads") or {}) if package is not None else {}
    if name not in makers:
        return Response("Not found", status_code=404, headers=HEADERS)
    text = makers[name](console.settings, config.store_path(console.settings).parent)
    return Response(text, media_type="application/octet-stream", headers={
        **HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})


async def wizard_next(console: Console, request: Request, session: Session) -> Response:
    """Step 3: what makes the first update post, in order: tax codes imported and mapped, items, then a sync."""
    from halo_accounts.sync import queued

    message = ""
    with console.store() as store:
        if request.method == "POST":
            form = await request.form()
            command = str(form.get("command", ""))
            if command in queued.COMMANDS:
                queued.queue(store, command)
                message = f"'{command}' will run at the start of the next update."
        states = queued.states(store)
        mapped = len(store.links("tax"))
    settings = console.settings
    queue_them = settings.ledger.kind == "quickbooks" and settings.quickbooks.transport == "webconnector"
    return console.render(request, "wizard_next.html", session, states=states, mapped=mapped, message=message,
                          commands=queued.COMMANDS, queue_them=queue_them)


# ---------------------------------------------------------------- held records
async def held(console: Console, request: Request, session: Session) -> Response:
    from halo_accounts.sync import queued

    with console.store() as store:
        groups = data.held_groups(store.held())
        waiting = set(queued.pending_retry(store))
    return console.render(request, "held.html", session, groups=groups, waiting=waiting,
                          halo_url=console.settings.halo.url.rstrip("/"))


async def retry(console: Console, request: Request, session: Session) -> Response:
    """Queue a group's records for the next Web Connector update, or release them for the next run."""
    from halo_accounts.sync import queued

    form = await request.form()
    wanted = str(form.get("group", ""))
    with console.store() as store:
        group = next((g for g in data.held_groups(store.held()) if g.key == wanted), None)
        if group is not None:
            keys = [f"{h.kind}:{h.halo_id}" for h in group.records]
            queued.queue_retry(store, keys)
    return _redirect("/held")


# ---------------------------------------------------------------- mappings
async def mappings(console: Console, request: Request, session: Session) -> Response:
    message, error = "", ""
    if request.method == "POST":
        form = await request.form()
        with console.store() as store:
            changed = 0
            for key, value in form.multi_items():
                if key.startswith("nominal-") and str(value).strip():
                    nominal, account = key.removeprefix("nominal-"), str(value).strip()
                    current = store.get_link(NOMINAL_LINK, nominal)
                    if current is None or current.ledger_ref != account:
                        store.link(NOMINAL_LINK, nominal, account, number=account)
                        changed += 1
                    continue
                if not key.startswith("tax-") or not str(value).strip():
                    continue
                halo_id, code = key.removeprefix("tax-"), str(value).strip()
                current = store.get_link("tax", halo_id)
                if current is None or current.ledger_ref != code:
                    store.link("tax", halo_id, code, number=code)  # as `halo-accounts map tax` on the WC path
                    changed += 1
        message = f"{changed} mapping(s) saved; held records wait for the next update (or retry them)."
    try:
        taxes, nominals = await asyncio.to_thread(_halo_lists, console)
    except HaloAccountsError as exc:
        taxes, nominals, error = [], [], f"{exc.message} {exc.fix}".strip()
    with console.store() as store:
        links = {link.halo_id: link.ledger_ref for link in store.links("tax")}
        nominal_links = {link.halo_id: link.ledger_ref for link in store.links(NOMINAL_LINK)}
        accounts = {a.code: a.name for a in snapshot.SnapshotLedger(store).accounts()} if snapshot.taken(store) \
            else {}
    rows = [{"code": code, "count": n, "in_package": code in accounts or code.casefold() in
             {a.casefold() for a in accounts}, "mapped": nominal_links.get(code, "")} for code, n in nominals]
    return console.render(request, "mappings.html", session, taxes=taxes, links=links, message=message,
                          error=error, nominals=rows, accounts=accounts)


def _customer_rows(console: Console) -> list[dict[str, Any]]:
    """Held customers, each with the package's closest names (its customers as the last run read them) and the
    case twins (names that differ only by capitals or spaces)."""
    import difflib

    from halo_accounts.sync import snapshot

    with console.store() as store:
        held = store.held(kind="customer")
        names = [c.name for c in snapshot.SnapshotLedger(store).customers()] if snapshot.taken(store) else []
        refs = {c.name: c.ref for c in snapshot.SnapshotLedger(store).customers()} if names else {}
    rows = []
    for h in held:
        halo_name = h.detail or h.message
        wanted = re.search(r"'([^']+)'", h.message)
        name = wanted.group(1) if wanted else halo_name
        squeeze = "".join(name.split()).casefold()
        twins = [n for n in names if "".join(n.split()).casefold() == squeeze]
        close = [n for n in difflib.get_close_matches(name, names, n=3, cutoff=0.6) if n not in twins]
        rows.append({"held": h, "name": name, "suggestions": [(n, refs.get(n, n)) for n in [*twins, *close]],
                     "twins": set(twins)})
    return rows


async def customers(console: Console, request: Request, session: Session) -> Response:
    """Unmatched customers: link one to a package customer in one click (Halo's Accounts ID is set), or retry."""
    from halo_accounts.sync import queued
    from halo_accounts.sync.manual_links import map_record, rename_client

    message, error = "", ""
    if request.method == "POST":
        form = await request.form()
        halo_id, ref = str(form.get("halo_id", "")), str(form.get("ref", "")).strip()
        new_name = str(form.get("new_name", "")).strip()
        try:
            def link() -> None:
                with console.halo() as client, console.store() as store:
                    if new_name:  # a customer of its own: renamed in Halo, created at the next update
                        rename_client(client, store, int(halo_id), new_name)
                    else:
                        map_record(client, store, None, "customer", int(halo_id), ref)  # checked at the next update
                    store.release("customer", halo_id)
                    queued.queue_retry(store, [f"customer:{halo_id}"])
            await asyncio.to_thread(link)
            message = (f"Halo client {halo_id} renamed '{new_name}'; the next update creates it." if new_name else
                       f"Halo client {halo_id} linked to '{ref}'; the next update uses it.")
        except (HaloAccountsError, ValueError) as exc:
            error = getattr(exc, "message", str(exc))
    rows = await asyncio.to_thread(_customer_rows, console)
    return console.render(request, "customers.html", session, rows=rows, message=message, error=error)


def _halo_lists(console: Console) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    """Halo's tax rates, and the nominal codes its items use (with how many items use each)."""
    from collections import Counter

    from halo_accounts.sync import fields as f

    with console.halo() as client:
        taxes = [{"id": t.id, "name": t.name, "code": t.code, "value": t.value} for t in client.taxes()]
        used = Counter(f.text(i, "nominalcode") for i in client.items() if f.text(i, "nominalcode"))
    return taxes, sorted(used.items())


# ---------------------------------------------------------------- preview and approve
def _preview(console: Console) -> tuple[Any, str]:
    """The next update's plan (a dry run): through the package when it can be reached now, else from the lists the
    last update read (the Web Connector path). (report, when the lists were read)."""
    from contextlib import ExitStack

    from halo_accounts.sync import SyncEngine, snapshot
    from halo_accounts.sync.ledger_factory import open_ledger

    settings = console.settings
    with ExitStack() as stack:
        store = stack.enter_context(console.store())
        client = stack.enter_context(console.halo())
        reachable = not (settings.ledger.kind == "quickbooks" and settings.quickbooks.transport == "webconnector")
        if reachable:
            ledger = stack.enter_context(open_ledger(settings))
            when = "now"
        else:
            ledger = snapshot.SnapshotLedger(store)
            when = snapshot.taken(store)
        return SyncEngine(client, ledger, store, settings).run(dry_run=True), when


async def preview(console: Console, request: Request, session: Session) -> Response:
    from halo_accounts.sync import review

    message = ""
    if request.method == "POST":
        form = await request.form()
        chosen = [str(v) for v in form.getlist("approve")]
        with console.store() as store:
            review.approve(store, chosen)
        message = f"{len(chosen)} approved: they go at the next update."
    try:
        report, when = await asyncio.to_thread(_preview, console)
    except HaloAccountsError as exc:
        return console.render(request, "preview.html", session, error=f"{exc.message} {exc.fix}".strip(),
                              actions=[], when="", message=message, approved=set(), review_first=False)
    with console.store() as store:
        approved = review.approved(store)
    actions = [a for a in report.actions if a.op != "writeback"]
    return console.render(request, "preview.html", session, actions=actions, when=when, message=message,
                          approved=approved, error="", review_first=console.settings.sync.review_first)


# ---------------------------------------------------------------- runs and audit
async def runs(console: Console, request: Request, session: Session) -> Response:
    with console.store() as store:
        rows = data.run_rows(store.runs(100))
    return console.render(request, "runs.html", session, runs=rows)


async def audit(console: Console, request: Request, session: Session) -> Response:
    query = request.query_params.get("q", "")
    with console.store() as store:
        entries = data.audit_rows(store, query)
    return console.render(request, "audit.html", session, entries=entries, query=query)


async def audit_csv(console: Console, request: Request, session: Session) -> Response:
    from halo_accounts.console.app import HEADERS

    query = request.query_params.get("q", "")
    with console.store() as store:
        text = data.audit_csv(data.audit_rows(store, query, limit=1_000_000))
    return Response(text, media_type="text/csv", headers={
        **HEADERS, "Content-Disposition": 'attachment; filename="halo-accounts-audit.csv"'})


ROUTES = [
    ("/", home, ["GET"]),
    ("/pause", pause, ["POST"]),
    ("/wizard", wizard, ["GET", "POST"]),
    ("/wizard/package", wizard_package, ["GET", "POST"]),
    ("/wizard/next", wizard_next, ["GET", "POST"]),
    ("/download/{name}", download, ["GET"]),
    ("/preview", preview, ["GET", "POST"]),
    ("/held", held, ["GET"]),
    ("/held/retry", retry, ["POST"]),
    ("/mappings", mappings, ["GET", "POST"]),
    ("/mappings/customers", customers, ["GET", "POST"]),
    ("/runs", runs, ["GET"]),
    ("/audit", audit, ["GET"]),
    ("/audit.csv", audit_csv, ["GET"]),
]
