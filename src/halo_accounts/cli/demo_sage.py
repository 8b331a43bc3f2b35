"""`halo-accounts demo --ledger sage50uk`: the whole product against the Halo sandbox and a Sage 50 UK sandbox
company, reached through the real Sage Data Objects connector (the SDO sandbox stands in for the COM objects).

Check, read, import tax codes, sync (held records shown with their fix), fix them, key receipts into Sage, sync
again (payments reach Halo with their `sage50_reference`), and sync a third time to show nothing goes twice.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

DEMO_SAGE_USER = "HALO"
DEMO_SAGE_PASSWORD = "demo-sage-password"  # noqa: S105 - a sandbox-only password, shown to nobody
DEMO_DATA_PATH = "C:\\ProgramData\\Sage\\Accounts\\2026\\COMPANY.000\\ACCDATA"
#: Halo Control `sage50ukinvoicetype` for the demo: service invoices that Sage numbers, then Update Ledgers
#: (see ledgers/sage50uk/routes.py HALO_INVOICE_TYPES; the values are [?] there).
DEMO_INVOICE_TYPE = 2
#: Sales nominal codes the Halo items use that a new sandbox company lacks (4000 and 4010 come with it).
#: 4040 (training) is left out on purpose: its items are held until it is created in Sage.
SAGE_NOMINALS = [("4020", "Hardware Sales"), ("4030", "Labour Sales")]
MISSING_NOMINAL = ("4040", "Training Income")
#: Halo items whose names are longer than a Sage stock code (30, sage/NOTES.md §1.7) are already in Sage under
#: their internal reference and linked by Accounts ID -- except this one, held until it is renamed in Halo.
HELD_ITEM, HELD_ITEM_FIX = "Microsoft 365 Business Standard", "M365 Business Standard"
STOCK_CODE_MAX = 30  # sage/NOTES.md §1.7: STOCK_CODE (30)
SUPPORT_DEPARTMENT = 1  # the sandbox company's department 1 "Support" (sage/NOTES.md §1.8: departments 0-999)


def adjust_seed(seed: dict[str, Any], company: Any) -> None:
    """The demo tenant, set up for Sage 50 UK: Control, department on labour items, long-named items linked."""
    seed["control"].update(useqb=False, usesage=True, sage50ukinvoicetype=DEMO_INVOICE_TYPE, sage50version=32,
                           sage50datapath=DEMO_DATA_PATH, sage50username=DEMO_SAGE_USER)
    for item in seed["items"]:
        if item.get("nominalcode") == "4030":
            item["sage50uk_department_id"] = SUPPORT_DEPARTMENT
        if len(item["name"]) > STOCK_CODE_MAX and item["name"] != HELD_ITEM:
            code = item["internalreference"]
            company.put("stock", code, {"STOCK_CODE": code, "DESCRIPTION": item["name"][:60], "ITEM_TYPE": 2,
                                        "SALES_PRICE": float(item["baseprice"]), "NOMINAL_CODE": item["nominalcode"],
                                        "TAX_CODE": 1, "UNIT_OF_SALE": "Each", "DELETED_FLAG": 0})
            item["accountsid"] = code


def run(console: Console, folder: Path, *, n_invoices: int, keep: bool = False) -> None:
    from halo_accounts.cli.demo import check_and_read, start_halo
    from halo_accounts.config import HaloSettings, LedgerSettings, Settings, StoreSettings
    from halo_accounts.ledgers.sage50uk import Sage50UKLedger, connection_settings
    from halo_accounts.sandbox.sage50uk import Company, SDOEngine
    from halo_accounts.store import Store
    from halo_accounts.sync import taxes
    from halo_accounts.sync.engine import SyncEngine
    from halo_accounts.sync.report import render

    with ExitStack() as stack:
        company = Company(folder / "sage50-company.sqlite3", data_path=DEMO_DATA_PATH, name="Demo MSP Ltd",
                          users={"MANAGER": DEMO_SAGE_PASSWORD + "-manager", DEMO_SAGE_USER: DEMO_SAGE_PASSWORD})
        stack.callback(company.close)
        with company.transaction():
            for code, name in SAGE_NOMINALS:
                company.put("nominal", code, _nominal(code, name))
        halo, client = start_halo(console, stack, n_invoices, lambda seed: adjust_seed(seed, company))
        check_and_read(console, client, "sage50uk")

        store_file = folder / "halo-accounts.sqlite3"
        settings = Settings(halo=HaloSettings(url=halo.url, client_id="demo"),
                            ledger=LedgerSettings(kind="sage50uk"), store=StoreSettings(path=str(store_file)))
        store = stack.enter_context(Store.open(store_file))
        control = client.control()
        conn = connection_settings(settings, control, password=DEMO_SAGE_PASSWORD, detect=list)
        engine = SDOEngine(company)
        ledger = stack.enter_context(Sage50UKLedger.open(
            conn, engine_factory=lambda version: engine, invoice_route=getattr(control, "sage50ukinvoicetype", None)))

        console.rule("[bold]4. Sage 50 UK")
        info = ledger.info()
        console.print(f"Connected to '{info.company}' (Sage 50 v{info.version}, {engine.Workspaces.Count} SDO "
                      f"workspace) at {conn.data_path} as {conn.username}; company file {company.path}.")
        console.print(f"Invoices go as {ledger.route.value} invoices (Halo sage50ukinvoicetype "
                      f"{DEMO_INVOICE_TYPE}); Sage numbers them.")
        console.print("Tax codes: " + ", ".join(f"{t.code} {t.name} {t.rate}%" for t in ledger.tax_codes()))
        console.print("Nominal codes: " + ", ".join(a.code for a in ledger.accounts()))
        console.print("Departments: " + ", ".join(f"{d.number} {d.name}" for d in ledger.departments()))

        console.rule("[bold]5. Tax codes: Sage -> Halo, as `halo-accounts import tax` does it")
        imported = taxes.import_taxes(SyncEngine(client, ledger, store, settings))
        console.print(f"Matched Halo taxes to {', '.join(imported.matched) or 'none'}; created in Halo: "
                      f"{', '.join(imported.created) or 'none'}.")

        def sync(title: str) -> Any:
            report = SyncEngine(client, ledger, store, settings).run()
            console.rule(f"[bold]{title}")
            render(report, console)
            return report

        sync("6. First sync")
        fix_and_pay(console, client, company)
        sync("8. Second sync: the fixed records go, receipts come back to Halo")
        last = sync("9. Third sync: nothing left to do, nothing posted twice")
        posted_now = last.count("invoice", "posted") + last.count("credit", "posted")
        console.print(f"Third sync posted {posted_now} records and used {last.halo_requests} Halo requests.")
        summarise(console, halo.export(), company)
        if keep:
            console.print(f"Store, journal and Sage company file kept in {folder}.")
        else:
            console.print("Run `halo-accounts demo --ledger sage50uk --keep DIR` to keep the store, journal and "
                          "Sage company file.")


def _nominal(code: str, name: str) -> dict[str, Any]:
    from halo_accounts.sandbox.sage50uk.company import NOMINAL_SALES

    return {"ACCOUNT_REF": code, "NAME": name, "ACCOUNT_TYPE": NOMINAL_SALES, "BALANCE": 0.0, "DELETED_FLAG": 0}


def fix_and_pay(console: Console, client: Any, company: Any) -> None:
    """What the finance team would do between syncs: the fixes the held messages gave, and receipts keyed in Sage."""
    console.rule("[bold]7. Meanwhile, in the office")
    code, name = MISSING_NOMINAL
    company.put("nominal", code, _nominal(code, name))
    console.print(f"In Sage: nominal code {code} '{name}' created (the fix the held message gave).")
    for halo_client in client.clients(includeinactive=True):
        if len(halo_client.name or "") > 60:  # sage/NOTES.md §1.6: NAME (60)
            short = (halo_client.name or "").replace("Co-operative", "Co-op")
            client.save("Client", [{"id": halo_client.id, "name": short}])
            console.print(f"In Halo: client '{halo_client.name}' renamed '{short}' (Sage keeps 60 characters).")
    for item in client.items():
        if item.name == HELD_ITEM:
            client.save("Item", [{"id": item.id, "name": HELD_ITEM_FIX}])
            console.print(f"In Halo: item '{HELD_ITEM}' renamed '{HELD_ITEM_FIX}' (a Sage stock code keeps 30).")
    unpaid = [company.header(n) for n in company.header_numbers()]
    invoices = [h for h in unpaid if h and h["TYPE"] == 1 and not h["PAID_FLAG"]][:3]  # TYPE 1 = SI (NOTES §1.9.3)
    for n, header in enumerate(invoices):
        gross = Decimal(str(header["NET_AMOUNT"])) + Decimal(str(header["TAX_AMOUNT"]))
        amount = gross if n < 2 else (gross / 2).quantize(Decimal("0.01"))
        company.receive_payment(header["ACCOUNT_REF"], header["HEADER_NUMBER"], float(amount), date(2026, 11, 24),
                                reference=f"BACS{n + 1}")
        what = "in full" if n < 2 else "in part"
        console.print(f"In Sage: receipt of {amount} from {header['ACCOUNT_REF']} allocated to invoice "
                      f"{header['INV_REF']} ({what}).")


def summarise(console: Console, tenant: dict[str, Any], company: Any) -> None:
    """Where everything ended up, read from both sides."""
    console.rule("[bold]Where things are now")
    invoices = tenant.get("invoices", [])
    posted = [inv for inv in invoices if inv.get("posted")]
    numbered = [inv for inv in posted if inv.get("thirdpartyinvoicenumber")]
    headers = [h for h in (company.header(n) for n in company.header_numbers()) if h]
    by_type = {t: sum(1 for h in headers if h["TYPE"] == t) for t in (1, 2, 3)}  # SI, SC, SR (NOTES §1.9.3)
    documents = company.keys("invoice")
    table = Table("", "Halo", "Sage 50")
    table.add_row("customers", f"{sum(1 for c in tenant.get('clients', []) if c.get('accountsid'))} linked",
                  str(len(company.keys("sales"))))
    table.add_row("items", f"{sum(1 for i in tenant.get('items', []) if i.get('accountsid'))} linked",
                  str(len(company.keys("stock"))))
    table.add_row("invoices + credit notes", f"{len(posted)} posted ({len(numbered)} with a Sage number)",
                  f"{len(documents)} documents; audit trail {by_type[1]} SI + {by_type[2]} SC")
    pays = tenant.get("payments", [])
    table.add_row("payments", f"{len(pays)} recorded ({sum(1 for p in pays if p.get('sage50_reference'))} from Sage)",
                  f"{by_type[3]} receipts (SR)")
    console.print(table)
