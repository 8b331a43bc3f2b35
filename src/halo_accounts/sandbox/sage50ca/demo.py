"""`halo-accounts demo --ledger sage50ca`: the whole product against the Halo sandbox (a Canadian MSP) and a Sage 50
Canada sandbox company, reached through the real SDK connector (the SDK sandbox stands in for `Sage_SA.SDK`).

Check, read, map Halo's rates to the company's tax codes, sync (Ontario HST, BC GST + PST, Quebec GST + QST and an
exempt client; the record Sage cannot take is held with its fix), fix it, key receipts into Sage, sync again
(payments reach Halo from the amounts owing), and sync a third time to show nothing goes twice.
"""

from __future__ import annotations

from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

DEMO_USER = "halo"
DEMO_PASSWORD = "demo-sage50ca-password"  # noqa: S105 - a sandbox-only password, shown to nobody
DEMO_SAI = "C:\\Sage\\Company\\MapleMSP.SAI"
NAME_MAX = 52  # sage/NOTES.md §3.4: customer Name <= 52


def run(console: Console, folder: Path, *, n_invoices: int, keep: bool = False) -> None:
    from halo_accounts.cli.demo import check_and_read
    from halo_accounts.config import Settings
    from halo_accounts.halo import HaloClient
    from halo_accounts.ledgers.sage50ca.ledger import Sage50CALedger
    from halo_accounts.ledgers.sage50ca.opening import connection_settings, options
    from halo_accounts.ledgers.sage50ca.sdk.session import SdkSession
    from halo_accounts.sandbox.halo import HaloSandbox
    from halo_accounts.sandbox.halo.demo_seed import DEMO_APPLICATION
    from halo_accounts.sandbox.sage50ca import Company, make_sdk
    from halo_accounts.sandbox.sage50ca.halo_seed import CLIENTS, SAGE_TAX_CODES, TAX_MAP, build
    from halo_accounts.store import Store
    from halo_accounts.sync import taxes
    from halo_accounts.sync.engine import SyncEngine
    from halo_accounts.sync.report import render

    with ExitStack() as stack:
        seed = build(n_clients=12, n_invoices=n_invoices)
        seed["control"].update(sage50cacompanypath=DEMO_SAI, sage50causername=DEMO_USER)
        for inv in seed["invoices"]:  # none posted before: this company is new
            inv.update(posted=False, thirdpartyinvoicenumber="", dateposted="1899-12-30T00:00:00")
        seed["payments"] = []
        halo = stack.enter_context(HaloSandbox(seed))
        console.rule("[bold]1. Halo")
        console.print(f"Halo sandbox running at {halo.url} (a Canadian MSP: {len(seed['clients'])} clients in "
                      f"Ontario, British Columbia and Quebec, {len(seed['items'])} items, {len(seed['invoices'])} "
                      "invoices).")
        client = stack.enter_context(HaloClient(halo.url, DEMO_APPLICATION["client_id"],
                                                DEMO_APPLICATION["client_secret"], scope="all admin"))
        check_and_read(console, client, "sage50ca")

        company = Company(folder / "sage50ca-company.sqlite3", sai=DEMO_SAI,
                          users={"sysadmin": ("sysadmin-" + DEMO_PASSWORD, "readwrite"),
                                 DEMO_USER: (DEMO_PASSWORD, "readwrite")})
        stack.callback(company.close)
        store_file = folder / "halo-accounts.sqlite3"
        settings = Settings()
        settings.halo.url, settings.halo.client_id = halo.url, "demo"
        settings.ledger.kind = "sage50ca"
        settings.store.path = str(store_file)
        settings.sage50ca.tax_codes = dict(SAGE_TAX_CODES)
        store = stack.enter_context(Store.open(store_file))
        control = client.control()
        conn = connection_settings(settings, control, password=DEMO_PASSWORD)
        session = SdkSession(make_sdk(company), conn).open()
        ledger = stack.enter_context(Sage50CALedger(session, options(settings, control)))

        console.rule("[bold]4. Sage 50 Canada")
        info = ledger.info()
        console.print(f"Opened {conn.company_path} (Sage 50 {info.version}) through the SDK as {conn.username}, "
                      f"multi-user, app code {conn.app_code}; company file {company.path}.")
        console.print("Tax codes: " + ", ".join(f"{t.code} {t.name}" for t in ledger.tax_codes()))
        console.print(f"Accounts ({ledger.account_length()} digits): " + ", ".join(a.code for a in ledger.accounts()))

        console.rule("[bold]5. Tax rates: Halo -> Sage codes, as `halo-accounts map tax` does it")
        mapper = SyncEngine(client, ledger, store, settings)
        names = {t.id: t.name for t in client.taxes()}
        for halo_id, code in TAX_MAP.items():
            taxes.map_tax(mapper, halo_id, code)
            console.print(f"Halo {halo_id} '{names.get(halo_id, '')}' -> Sage {code}")

        def sync(title: str) -> Any:
            report = SyncEngine(client, ledger, store, settings).run()
            console.rule(f"[bold]{title}")
            render(report, console)
            return report

        sync("6. First sync")
        console.rule("[bold]7. Meanwhile, in the office")
        for halo_client in client.clients(includeinactive=True):
            if len(halo_client.name or "") > NAME_MAX:
                short = (halo_client.name or "").replace("Agricultural Supplies", "Agri")[:NAME_MAX]
                client.save("Client", [{"id": halo_client.id, "name": short}])
                console.print(f"In Halo: client '{halo_client.name}' renamed '{short}' (Sage keeps 52 characters).")
        open_invoices = [j for j in company.journals() if Decimal(j["total"]) > 0][:3]
        for n, entry in enumerate(open_invoices):
            total = Decimal(entry["total"])
            amount = total if n < 2 else (total / 2).quantize(Decimal("0.01"))
            company.receive(entry["customer"], entry["number"], amount)
            console.print(f"In Sage: receipt of {amount} from {entry['customer']} on invoice {entry['number']} "
                          f"({'in full' if n < 2 else 'in part'}).")
        sync("8. Second sync: the fixed client's invoices go, receipts come back to Halo")
        last = sync("9. Third sync: nothing left to do, nothing posted twice")
        posted_now = last.count("invoice", "posted") + last.count("credit", "posted")
        console.print(f"Third sync posted {posted_now} records and used {last.halo_requests} Halo requests.")
        summarise(console, halo.export(), company, [c[0] for c in CLIENTS])
        if keep:
            console.print(f"Store, journal and Sage company file kept in {folder}.")
        else:
            console.print("Run `halo-accounts demo --ledger sage50ca --keep DIR` to keep the store, journal and "
                          "Sage company file.")


def summarise(console: Console, tenant: dict[str, Any], company: Any, cases: list[str]) -> None:
    """The four tax cases as Halo and Sage hold them: documents, totals and taxes side by side."""
    console.rule("[bold]Where things are now")
    journals = company.journals()
    clients = {c["id"]: c for c in tenant["clients"]}
    table = Table("Client", "Documents", "Halo total", "Halo tax", "Sage total", "Sage tax", "Sage tax codes")
    for name in cases:
        ids = {cid for cid, c in clients.items() if c["name"] == name}
        halo_docs = [i for i in tenant["invoices"] if i["client_id"] in ids and i.get("posted")]
        sage_docs = [j for j in journals if j["customer"] == name]
        halo_total = sum((Decimal(str(i["total"])) for i in halo_docs), Decimal(0))
        halo_tax = sum((Decimal(str(ln["tax_amount"])) for i in halo_docs for ln in i["lines"]), Decimal(0))
        sage_total = sum((Decimal(j["total"]) for j in sage_docs), Decimal(0))
        sage_tax = sum((Decimal(j["tax"]) for j in sage_docs), Decimal(0))
        codes = sorted({ln["tax_code"] for j in sage_docs for ln in j["lines"]})
        table.add_row(name, f"{len(halo_docs)} / {len(sage_docs)}", str(halo_total), str(halo_tax), str(sage_total),
                      str(sage_tax), ", ".join(codes))
    console.print(table)
    pays = [p for p in tenant.get("payments", []) if p.get("sage50_reference")]
    console.print(f"{len(journals)} journal entries in Sage; {len(pays)} payments in Halo from Sage's amounts owing.")
