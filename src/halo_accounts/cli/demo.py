"""`halo-accounts demo`: the whole product against built-in stand-ins, with no configuration or network.

It starts the Halo sandbox seeded with a realistic MSP, checks the connection, reads everything, then syncs
into a sandbox QuickBooks company through the real Web Connector endpoint (driven like the real Web
Connector), and syncs again to show that nothing is posted twice. Only this command and `sandbox` import
the sandboxes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from halo_accounts.ledgers import registry

DEMO_WC_USER = "halo-accounts"
DEMO_WC_PASSWORD = "demo-web-connector-password"  # noqa: S105 - a sandbox-only password, shown to nobody

#: Halo's UK VAT codes (Sage style, as the demo tenant has them) -> the QuickBooks UK company's codes.
#: The demo maps them with the same code path as `halo-accounts map tax HALO_ID CODE`.
QUICKBOOKS_UK_TAX = {"T1": "S", "T0": "Z", "T2": "E", "T5": "R"}

#: The demo MSP's chart of accounts in QuickBooks: income accounts numbered as Halo's nominal codes are
#: (4000 "Sales" comes with the sandbox company).
QUICKBOOKS_INCOME_ACCOUNTS = [
    {"Name": "Licence Income", "AccountType": "Income", "AccountNumber": "4010"},
    {"Name": "Hardware Income", "AccountType": "Income", "AccountNumber": "4020"},
    {"Name": "Labour Income", "AccountType": "Income", "AccountNumber": "4030"},
]


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        ledger: Annotated[str, typer.Option(help=" | ".join(_demo_kinds()))] = "quickbooks",
        keep: Annotated[
            Path | None, typer.Option(help="Keep the store and company files in this folder (default: a temp dir).")
        ] = None,
        invoices: Annotated[int, typer.Option(min=1, help="Invoices in the demo tenant.")] = 300,
    ) -> None:
        """Run the whole product against built-in sandboxes: check, read, sync, and sync again."""
        console = Console(highlight=False, width=None if sys.stdout.isatty() else 110)
        with ExitStack() as stack:
            if keep is None:
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="halo-accounts-demo-")))
            else:
                folder = keep
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            package = registry.get(ledger)
            if package is None or not package.demo:
                raise typer.BadParameter(f"one of {', '.join(_demo_kinds())}", param_hint="--ledger")
            module, _, function = package.demo.partition(":")
            run = getattr(import_module(module), function)  # the package's demo (its descriptor says which)
            run(console, folder, n_invoices=invoices, keep=keep is not None)


def _demo_kinds() -> list[str]:
    return [p.kind for p in registry.packages() if p.demo]


def start_halo(console: Console, stack: ExitStack, n_invoices: int,
               adjust: Callable[[dict[str, Any]], None] | None = None) -> tuple[Any, Any]:
    """Start the Halo sandbox with the demo tenant (changed by ``adjust`` first, if given); return (sandbox, client)."""
    from halo_accounts.halo import HaloClient
    from halo_accounts.sandbox.halo import HaloSandbox
    from halo_accounts.sandbox.halo.demo_seed import DEMO_APPLICATION, build

    seed = build(n_invoices=n_invoices)
    if adjust is not None:
        adjust(seed)
    halo = stack.enter_context(HaloSandbox(seed))
    console.rule("[bold]1. Halo")
    console.print(f"Halo sandbox running at {halo.url} (a UK MSP: {len(seed['clients'])} clients, "
                  f"{len(seed['items'])} items, {len(seed['invoices'])} invoices).")
    client = stack.enter_context(
        HaloClient(halo.url, DEMO_APPLICATION["client_id"], DEMO_APPLICATION["client_secret"], scope="all admin")
    )
    return halo, client


def check_and_read(console: Console, client: Any, ledger: str) -> None:
    """`halo-accounts check`, then a read of every client, item and invoice (with lines)."""
    from halo_accounts.cli.setup import check_lines
    from halo_accounts.halo.permissions import run_check

    console.rule("[bold]2. halo-accounts check")
    report = run_check(client, ledger=ledger, for_tax_import=True)
    for line in check_lines(report, client, config_name="demo"):
        console.print(line)
    console.rule("[bold]3. Reading Halo")
    started = time.perf_counter()
    before = client.request_count
    n_clients = sum(1 for _ in client.clients(includeinactive=True))
    n_items = sum(1 for _ in client.items())
    n_invoices = n_lines = n_credits = 0
    for invoice in client.invoices(includelines=True, includecredits=False):
        n_invoices += 1
        n_lines += len(invoice.lines or [])
    for invoice in client.invoices(includelines=True, includeinvoices=False):  # credit notes as Halo tells them
        n_invoices += 1
        n_credits += 1
        n_lines += len(invoice.lines or [])
    taxes = client.taxes()
    console.print(
        f"Read {n_clients} clients, {n_items} items, {len(taxes)} tax rates and {n_invoices} invoices "
        f"({n_credits} credit notes, {n_lines} lines) in {client.request_count - before} requests, "
        f"{time.perf_counter() - started:.1f} s."
    )


def run_quickbooks_demo(console: Console, folder: Path, *, n_invoices: int, keep: bool = False) -> None:
    from halo_accounts.config import HaloSettings, Settings, StoreSettings
    from halo_accounts.ledgers.quickbooks.ledger import QuickBooksLedger
    from halo_accounts.ledgers.quickbooks.webconnector.server import create_app, running
    from halo_accounts.sandbox.quickbooks import Company
    from halo_accounts.sandbox.quickbooks.webconnector_driver import WebConnectorDriver
    from halo_accounts.store import Store
    from halo_accounts.sync import taxes
    from halo_accounts.sync.engine import SyncEngine
    from halo_accounts.sync.report import render

    with ExitStack() as stack:
        halo, client = start_halo(console, stack, n_invoices)
        check_and_read(console, client, "quickbooks")

        settings = Settings(
            halo=HaloSettings(url=halo.url, client_id="demo"),
            store=StoreSettings(path=str(folder / "halo-accounts.sqlite3")),
        )
        store = stack.enter_context(Store.open(folder / "halo-accounts.sqlite3"))
        company = stack.enter_context(Company(
            folder / "quickbooks-company.sqlite3", edition="UK", seed={"accounts": QUICKBOOKS_INCOME_ACCOUNTS}
        ))
        reports: list[Any] = []

        def job(transport: Any) -> None:
            ledger = QuickBooksLedger(transport)
            engine = SyncEngine(client, ledger, store, settings)
            if not reports:
                console.rule("[bold]Tax map, as `halo-accounts map tax` does it")
                for tax in client.taxes():
                    code = QUICKBOOKS_UK_TAX.get(tax.code or "")
                    if code:
                        taxes.map_tax(engine, tax.id, code)
                        console.print(f"halo-accounts map tax {tax.id} {code}   "
                                      f"# Halo '{tax.name}' -> QuickBooks '{code}'")
            reports.append(engine.run())

        app = create_app(settings, job, password=DEMO_WC_PASSWORD)
        url = stack.enter_context(running(app))
        console.rule("[bold]4. QuickBooks Web Connector")
        console.print(f"Web Connector endpoint at {url}; QuickBooks UK sandbox company at {company.path}.")

        def update(title: str) -> Any:
            with WebConnectorDriver(url, DEMO_WC_USER, DEMO_WC_PASSWORD, company, noop_pause=0.05) as driver:
                started = time.perf_counter()
                result = driver.run_update()
            console.rule(f"[bold]{title}")
            ended = result.percents[-1] if result.percents else "-"
            console.print(f"Web Connector update: {len(result.calls)} SOAP calls, ended at {ended}% "
                          f"in {time.perf_counter() - started:.1f} s.")
            render(reports[-1], console)
            return reports[-1]

        update("5. First sync")
        fix_and_pay(console, company)
        update("7. Second sync: the fixed records go, payments come back to Halo")
        last = update("8. Third sync: nothing left to do, nothing posted twice")
        posted_now = last.count("invoice", "posted") + last.count("credit", "posted")
        console.print(f"Third sync posted {posted_now} records and used {last.halo_requests} Halo requests.")
        summarise(console, halo.export(), company)
        if keep:
            console.print(f"Store, journal and company file kept in {folder}.")
        else:
            console.print("Run `halo-accounts demo --keep DIR` to keep the store, journal and company file.")


def fix_and_pay(console: Console, company: Any) -> None:
    """What the finance team would do between syncs: fix a held record, and key payments into QuickBooks."""
    console.rule("[bold]6. Meanwhile, in the office")
    company.add_account("Training Income", "Income", "4040")
    console.print("In QuickBooks: income account 4040 'Training Income' created (the fix the held message gave).")
    invoices = [inv for inv in company.dump("invoice")["invoice"] if not inv.get("IsPaid")][:3]
    for n, inv in enumerate(invoices):
        balance = Decimal(str(inv["BalanceRemaining"]))
        amount = balance if n < 2 else (balance / 2).quantize(Decimal("0.01"))
        company.add_payment(inv["CustomerRef"]["ListID"], {inv["TxnID"]: amount}, inv["TxnDate"])
        what = "in full" if n < 2 else "in part"
        console.print(f"In QuickBooks: payment of {amount} from {inv['CustomerRef']['FullName']} against invoice "
                      f"{inv['RefNumber']} ({what}).")


def summarise(console: Console, tenant: dict[str, Any], company: Any) -> None:
    """Where everything ended up, read from both sides."""
    console.rule("[bold]Where things are now")
    invoices = tenant.get("invoices", [])
    posted = [inv for inv in invoices if inv.get("posted")]
    numbered = [inv for inv in posted if inv.get("thirdpartyinvoicenumber")]
    table = Table("", "Halo", "QuickBooks")
    counts = company.counts()
    table.add_row("customers", f"{sum(1 for c in tenant.get('clients', []) if c.get('accountsid'))} linked",
                  str(counts.get("customer", 0)))
    table.add_row("items", f"{sum(1 for i in tenant.get('items', []) if i.get('accountsid'))} linked",
                  str(counts.get("item", 0)))
    table.add_row("invoices + credit notes", f"{len(posted)} posted ({len(numbered)} with the QuickBooks number)",
                  f"{counts.get('invoice', 0)} + {counts.get('creditmemo', 0)}")
    table.add_row("payments", f"{len(tenant.get('payments', []))} recorded", str(counts.get("payment", 0)))
    console.print(table)
