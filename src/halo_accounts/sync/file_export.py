"""The 'file' ledger mode: a package's import files instead of a live connection (such as Sage 50 UK's File >
Import CSV). Halo's invoices not yet posted go into a batch of files once each, and are marked
posted in Halo only when the user confirms that the batch was imported (`export confirm BATCH`). What a package's
files look like is its descriptor's (`ledgers/<kind>/package.py` ``file_export``); the rest is here, for every
package.

What the store keeps (the same store as the sync, so neither path posts what the other has):
- a batch is a run, command ``export <kind>`` (options: folder, again); its run id is the batch number, and its
  files are in ``<out>/batch-<n>/``;
- each invoice written: a journal entry (target "ledger", action "export", kind invoice|credit, key = the invoice
  number) begun and confirmed in one transaction once the files are complete, plus a link of kind "export"
  (Halo invoice id -> invoice number, ``number`` = the latest batch holding it). An invoice with an "export" link is
  not exported again unless ``--again``. Files are written into ``batch-<n>.partial/`` and renamed only after the
  store has recorded them, so a folder without ".partial" always matches the store;
- links "export-customer" / "export-item": Halo client / item id -> the account reference / stock code written,
  so later batches use the same ones;
- confirm: journal target "halo", action "mark_posted" / "set_accountsid" (as the sync), then the sync's own
  "invoice"/"credit" link (ledger_ref = the invoice number): from then on the invoice is in the package for every path;
  a second confirm finds those links and writes nothing. Writes a crash left "sent" are settled first by reading
  the invoice back from Halo. Cursor ``export.confirmed.<n>`` records when batch n was confirmed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers import registry
from halo_accounts.ledgers.package import Package
from halo_accounts.ledgers.port import Customer, Invoice, LedgerInfo, Product, RecordRejected
from halo_accounts.store import NewEntry
from halo_accounts.sync import control_settings
from halo_accounts.sync import fields as f
from halo_accounts.sync.context import Context, LedgerIndex, build_tax_map
from halo_accounts.sync.eligibility import why_not
from halo_accounts.sync.invoices import TOLERANCE, halo_amounts, pending_documents
from halo_accounts.sync.mapping import (
    clean,
    customer_from_client,
    halo_fingerprint,
    label,
    ledger_invoice,
    record_kind,
)
from halo_accounts.sync.preflight import Problem, check_invoice, check_item
from halo_accounts.sync.tenant_time import tenant_zone

COMMAND = "export {kind}"
CONFIRM_COMMAND = "export confirm"
CONFIRMED_CURSOR = "export.confirmed.{batch}"
LINK_EXPORT, LINK_CUSTOMER, LINK_ITEM = "export", "export-customer", "export-item"
BATCH_DIR = "batch-{batch}"
PARTIAL = ".partial"


def file_package(kind: str) -> Package:
    """The package of ``kind`` if it has import files; else a message naming those that do."""
    package = registry.get(kind)
    if package is None or package.file_export is None:
        choices = ", ".join(p.kind for p in registry.packages() if p.file_export is not None)
        raise HaloAccountsError("sync.file_export_unsupported", package=kind, choices=choices or "none")
    return package


@dataclass
class Exported:
    """One export: the batch, what went in, and what was held back (with the reason and fix)."""

    batch: int | None
    folder: Path | None
    invoices: list[tuple[str, str]] = field(default_factory=list)
    """(Halo id, invoice number) in the audit-trail file."""
    customers: int = 0
    products: int = 0
    held: list[tuple[str, str, str]] = field(default_factory=list)
    """(record, message, fix)."""
    notice: str = ""
    """Set when Halo refused Control and the kept copy was used (sync/control_settings.py)."""
    cut: list[str] = field(default_factory=list)
    """Free text shortened to fit the package's columns (written, but the user should know)."""
    skipped: int = 0
    already: int = 0
    """Invoices left out because an earlier batch holds them (use --again)."""


@dataclass
class Confirmed:
    batch: int
    marked: list[str] = field(default_factory=list)
    """Invoice numbers marked posted in Halo by this confirm."""
    already: int = 0
    """Invoices of the batch already marked posted (an earlier confirm, or found after a crash)."""
    failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Batch:
    batch: int
    started: str
    state: str
    """"exported" (waiting for the import), "confirmed" (marked posted in Halo), "incomplete" (stopped)."""
    invoices: int
    held: int
    folder: str
    confirmed: str = ""
    kind: str = ""
    """The package the batch is for."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # halo/NOTES.md §2: ISO 8601 UTC with Z


def _invoice_site(client: Any, sites: list[Any]) -> Any | None:
    main = f.ident(f.get(client, "main_site_id"))
    for site in sites:
        if main is not None and f.ident(f.get(site, "id")) == main:
            return site
    return next((s for s in sites if f.flag(s, "isinvoicesite")), sites[0] if sites else None)


class _Reader:
    """Halo's records and settings for one export, and the context the sync's checks expect."""

    def __init__(self, halo: Any, store: Any, package: Package, timezone: str = "",
                 control: dict[str, Any] | None = None) -> None:
        assert package.file_export is not None
        self.halo, self.store, self.package, self.files = halo, store, package, package.file_export
        read = control_settings.read(halo, store, control)  # Halo's, else the kept copy (issue 8.6)
        self.control, self.notice = read.control, read.notice
        self.zone, _ = tenant_zone(timezone, self.control)
        self.clients = {int(c.id): c for c in halo.clients(includeinactive=True)}
        self.items = {int(i.id): i for i in halo.items()}
        halo_taxes = {int(t.id): t for t in halo.taxes()}
        codes = dict(self.files.tax_codes(halo_taxes))
        tax_links = {link.halo_id: link.ledger_ref for link in store.links("tax")}
        empty = LedgerIndex(loader=lambda: iter(()), ref_of=lambda r: "", name_of=lambda r: "")
        self.ctx = Context(control=self.control, info=LedgerInfo(kind=package.kind, edition=""),
                           limits=self.files.limits,
                           tax_codes=codes, accounts=[], halo_taxes=halo_taxes,
                           tax_map=build_tax_map(tax_links, halo_taxes, codes), customers=empty, products=empty)
        self.ctx.clients, self.ctx.items = self.clients, self.items
        self._sites: dict[int, list[Any]] | None = None

    def sites(self, client_id: int) -> list[Any]:
        if self._sites is None:
            self._sites = {}
            for site in self.halo.sites():
                cid = f.ident(f.get(site, "client_id"))
                if cid is not None:
                    self._sites.setdefault(cid, []).append(site)
        return self._sites.get(client_id, [])


def _confirmed_batches(store: Any, batches: Iterable[str]) -> set[str]:
    return {b for b in batches if b and store.get_cursor(CONFIRMED_CURSOR.format(batch=b))}


def _customer_refs(reader: _Reader, store: Any, client_ids: set[int],
                   held: list[tuple[str, str, str]]) -> tuple[dict[int, str], list[Customer], dict[int, str]]:
    """Client id -> the package's customer reference for the batch; the customer records to write; new links to keep."""
    links = {int(link.halo_id): link for link in store.links(LINK_CUSTOMER)}
    confirmed = _confirmed_batches(store, {link.number for link in links.values()})
    files = reader.files
    taken = {files.normalise_ref(f.text(c, "accountsid")) for c in reader.clients.values() if f.text(c, "accountsid")}
    taken |= {link.ledger_ref for link in links.values()}
    refs: dict[int, str] = {}
    records: list[Customer] = []
    new_links: dict[int, str] = {}
    for cid in sorted(client_ids):
        client = reader.clients.get(cid)
        if client is None:
            continue
        acc = f.text(client, "accountsid")
        try:
            if acc:
                refs[cid] = files.checked_ref(acc)  # already in the package under Halo's Accounts ID
                continue
            link = links.get(cid)
            if link is not None:
                refs[cid] = link.ledger_ref
                if link.number in confirmed:
                    continue  # imported with a confirmed batch
            else:
                customer = customer_from_client(client, _invoice_site(client, reader.sites(cid)))
                refs[cid] = files.customer_ref(customer, taken.__contains__)
                taken.add(refs[cid])
                new_links[cid] = refs[cid]
        except RecordRejected as exc:
            reader.ctx.customer_problems[cid] = exc.message
            held.append((f"client '{clean(f.get(client, 'name', ''))}' (Halo id {cid})", exc.message, exc.fix))
            continue
        customer = customer_from_client(client, _invoice_site(client, reader.sites(cid)))
        records.append(replace(customer, ref=refs[cid]))
    reader.ctx.customer_refs.update(refs)
    return refs, records, new_links


def _products(reader: _Reader, store: Any, item_ids: set[int],
              held: list[tuple[str, str, str]]) -> tuple[list[Product], dict[int, str]]:
    """Product records for the batch's items that the package does not have yet; new links to keep."""
    links = {int(link.halo_id): link for link in store.links(LINK_ITEM)}
    confirmed = _confirmed_batches(store, {link.number for link in links.values()})
    records: list[Product] = []
    new_links: dict[int, str] = {}
    for iid in sorted(item_ids):
        item = reader.items.get(iid)
        if item is None or f.flag(item, "ignore_from_accounting_sync") or f.text(item, "accountsid"):
            continue
        link = links.get(iid)
        if link is not None and link.number in confirmed:
            continue
        checks, product = check_item(reader.ctx, item)
        if product is None:
            assert checks.problem is not None
            held.append((f"item '{clean(f.get(item, 'name', ''))}' (Halo id {iid})", checks.problem.message,
                         checks.problem.fix))
            continue
        records.append(product)
        new_links[iid] = product.code
    return records, new_links


def export(halo: Any, store: Any, out: Path, kind: str, *, again: bool = False, timezone: str = "",
           control: dict[str, Any] | None = None) -> Exported:
    """Write Halo's unposted invoices (not exported before, unless ``again``) as a batch of the package's import
    files."""
    package = file_package(kind)
    with store.run_lock():
        return _export(halo, store, out, package, again=again, timezone=timezone, control=control)


def _export(halo: Any, store: Any, out: Path, package: Package, *, again: bool, timezone: str,
            control: dict[str, Any] | None = None) -> Exported:
    reader = _Reader(halo, store, package, timezone, control)
    files = reader.files
    ctx = reader.ctx
    exported = {link.halo_id: link for link in store.links(LINK_EXPORT)}
    result = Exported(batch=None, folder=None, notice=reader.notice)
    chosen: list[Any] = []
    for invoice in pending_documents(halo):  # as the sync reads them: whole, credit notes by Halo's list
        halo_id = str(f.get(invoice, "id"))
        client = reader.clients.get(f.ident(f.get(invoice, "client_id")) or 0)
        if f.flag(invoice, "voided") or why_not(ctx, invoice, client, label(invoice)) is not None:
            result.skipped += 1  # the same rules as the sync (sync/invoices.py), which reports each reason
            continue
        if store.get_link(record_kind(invoice), halo_id) is not None:
            continue  # already in the package (confirmed, or posted by the sync); Halo's flag is the sync's to fix
        if halo_id in exported and not again:
            result.already += 1
            continue
        chosen.append(invoice)
    if not chosen:
        return result
    client_ids = {cid for inv in chosen if (cid := f.ident(f.get(inv, "client_id"))) is not None}
    item_ids = {iid for inv in chosen for line in f.get(inv, "lines", []) or []
                if (iid := f.ident(f.get(line, "itemid", f.get(line, "_itemid")))) is not None}
    refs, customers, customer_links = _customer_refs(reader, store, client_ids, result.held)
    products, item_links = _products(reader, store, item_ids, result.held)
    for iid, item in reader.items.items():  # products are in the package or in these files: every item is usable
        ctx.product_refs.setdefault(iid, f.text(item, "accountsid") or clean(f.get(item, "name", "")))
    invoices: list[tuple[Any, Invoice]] = []
    for invoice in chosen:
        checks, lines, number = check_invoice(ctx, invoice)
        if checks.problem is not None:
            result.held.append((label(invoice), checks.problem.message, checks.problem.fix))
            continue
        cid = f.ident(f.get(invoice, "client_id")) or 0
        built = ledger_invoice(invoice, customer_ref=refs[cid], number=number, key="", lines=lines,
                               zone=reader.zone)
        halo_total, halo_tax = halo_amounts(invoice)
        if abs(built.net_total + built.tax_total - halo_total) > TOLERANCE or abs(built.tax_total - halo_tax) > \
                TOLERANCE:  # the file must carry every amount Halo has, or it is not written
            problem = Problem("sync.export_total_mismatch", {
                "record": label(invoice), "ledger": ctx.package, "file_total": str(built.net_total + built.tax_total),
                "file_tax": str(built.tax_total), "halo_total": str(halo_total), "halo_tax": str(halo_tax)})
            result.held.append((label(invoice), problem.message, problem.fix))
            continue
        invoices.append((invoice, built))
    if not invoices:
        return result
    run_id = store.start_run(COMMAND.format(kind=package.kind), {"folder": str(out), "again": again})
    status = "failed"
    try:
        folder = out / BATCH_DIR.format(batch=run_id)
        partial = folder.with_name(folder.name + PARTIAL)
        partial.mkdir(mode=0o700, exist_ok=True)  # owner-only, like the files in it (TEAM rules)
        manifest = files.write(partial, customers, products, [inv for _, inv in invoices], ctx.tax_codes)
        held_keys = {h.key for h in manifest.held if h.kind == files.invoice_kind}
        result.held += [(f"{h.kind} record {h.key}", h.message, h.fix) for h in manifest.held]
        written = [(src, inv) for src, inv in invoices if inv.number not in held_keys]
        held_customers = {h.key for h in manifest.held if h.kind == "customers"}
        with store.transaction():
            entry_ids = store.journal_begin_many(run_id, [NewEntry(
                "ledger", "export", inv.kind, str(f.get(src, "id")), inv.number, json.dumps({
                    "batch": run_id, "number": inv.number, "customer_ref": inv.customer_ref,
                    "client_id": f.ident(f.get(src, "client_id")),
                    "fingerprint": halo_fingerprint(src), "net": str(inv.net_total), "tax": str(inv.tax_total),
                    "file": str(folder / files.invoice_file)})) for src, inv in written])
            store.journal_confirm_many([(entry_id, "written", "", inv.number)
                                        for entry_id, (_, inv) in zip(entry_ids, written, strict=True)])
            for src, inv in written:
                store.link(LINK_EXPORT, str(f.get(src, "id")), inv.number, number=str(run_id))
            for cid, ref in customer_links.items():
                if ref not in held_customers:
                    store.link(LINK_CUSTOMER, str(cid), ref, number=str(run_id))
            for iid, code in item_links.items():
                store.link(LINK_ITEM, str(iid), code, number=str(run_id))
        if not written:  # every invoice refused by the file rules: no batch to import
            shutil.rmtree(partial)
            status = "held"
            return result
        if folder.exists():
            shutil.rmtree(folder)
        partial.rename(folder)
        result.batch, result.folder = run_id, folder
        result.invoices = [(str(f.get(src, "id")), inv.number) for src, inv in written]
        result.cut = [f"{c.kind} record {c.key}: {c.field} cut from {c.length} to {c.limit} characters"
                      for c in manifest.cut]
        result.customers = manifest.rows.get("customers", 0)
        result.products = manifest.rows.get("products", 0)
        status = "held" if result.held else "ok"
        return result
    finally:
        store.finish_run(run_id, status, {"invoice.exported": len(result.invoices), "held": len(result.held),
                                          "customer.exported": result.customers, "item.exported": result.products})


def _is_export(command: str) -> bool:
    return any(command == COMMAND.format(kind=p.kind) for p in registry.packages() if p.file_export is not None)


def _export_run(store: Any, batch: int) -> Any:
    run = store.get_run(batch)
    if run is None or not _is_export(run.command):
        known = ", ".join(str(b.batch) for b in batches(store)) or "none yet"
        raise HaloAccountsError("sync.export_batch_unknown", batch=batch, known=known)
    return run


def confirm(halo: Any, store: Any, batch: int) -> Confirmed:
    """Mark the invoices of ``batch`` posted in Halo (once each), now that the user has imported its files."""
    with store.run_lock():
        return _confirm(halo, store, batch)


def _confirm(halo: Any, store: Any, batch: int) -> Confirmed:
    run = _export_run(store, batch)
    if run.status not in ("ok", "held"):
        raise HaloAccountsError("sync.export_batch_incomplete", batch=batch, status=run.status, command=run.command)
    result = Confirmed(batch)
    entries = [e for e in store.journal_entries(run_id=batch) if e.action == "export" and e.state == "confirmed"]
    requests = {e.halo_id: json.loads(e.request or "{}") for e in entries}
    _settle(halo, store, requests)
    todo = []
    for entry in entries:
        if store.get_link(entry.kind, entry.halo_id) is not None:
            result.already += 1
            continue
        todo.append(entry)
    run_id = store.start_run(CONFIRM_COMMAND, {"batch": batch})
    status = "failed"
    try:
        if todo:
            _mark_posted(halo, store, run_id, todo, requests, result)
        _write_accounts_ids(halo, store, run_id, batch, requests)
        if not result.failed:
            store.set_cursor(CONFIRMED_CURSOR.format(batch=batch), _now())
        status = "held" if result.failed else "ok"
        return result
    finally:
        store.finish_run(run_id, status, {"invoice.written_back": len(result.marked),
                                          "invoice.already": result.already})


def _settle(halo: Any, store: Any, requests: dict[str, dict[str, Any]]) -> None:
    """Halo write-backs of an earlier confirm left "sent" (a crash): read the invoice back before resending."""
    for entry in store.unconfirmed("halo"):
        if entry.action != "mark_posted" or entry.halo_id not in requests:
            continue
        invoice = halo.invoice(int(entry.halo_id))
        number = requests[entry.halo_id].get("number", entry.key)
        landed = f.flag(invoice, "posted") and f.text(invoice, "thirdpartyinvoicenumber") == number
        with store.transaction():
            if landed:
                store.link(entry.kind, entry.halo_id, number, number=number,
                           fingerprint=requests[entry.halo_id].get("fingerprint", ""))
            store.journal_reconciled(entry.id, found=landed)


def _mark_posted(halo: Any, store: Any, run_id: int, todo: list[Any], requests: dict[str, dict[str, Any]],
                 result: Confirmed) -> None:
    from halo_accounts.halo.errors import HaloValidationError

    when = _now()
    rows = [{"id": int(e.halo_id), "posted": True, "dateposted": when, "thirdpartyinvoicenumber": e.key}
            for e in todo]
    entry_ids = store.journal_begin_many(run_id, [
        NewEntry("halo", "mark_posted", e.kind, e.halo_id, e.key, json.dumps(row)) for e, row in zip(todo, rows,
                                                                                                    strict=True)])
    try:
        answers = halo.save("Invoice", rows)
    except HaloValidationError as exc:
        for entry_id, entry in zip(entry_ids, todo, strict=True):
            store.journal_fail(entry_id, code=exc.code, message=exc.message)
            result.failed.append((entry.key, exc.message))
        return
    answers = list(answers)
    with store.transaction():
        store.journal_confirm_many([
            (entry_id, json.dumps({k: answers[i].get(k) for k in ("id", "posted", "thirdpartyinvoicenumber")}
                                  if i < len(answers) else {}), "", entry.key)
            for i, (entry_id, entry) in enumerate(zip(entry_ids, todo, strict=True))])
        for entry in todo:
            store.link(entry.kind, entry.halo_id, entry.key, number=entry.key,
                       fingerprint=requests.get(entry.halo_id, {}).get("fingerprint", ""))
            result.marked.append(entry.key)


def _write_accounts_ids(halo: Any, store: Any, run_id: int, batch: int, requests: dict[str, dict[str, Any]]) -> None:
    """Clients given a package reference by an export, and items written by this batch, get it as Halo's Accounts ID
    (once each), so later exports and the live connector find them in the package."""
    clients = {str(r.get("client_id")) for r in requests.values() if r.get("client_id") is not None}
    for kind, entity, link_kind in (("customer", "Client", LINK_CUSTOMER), ("item", "Item", LINK_ITEM)):
        done = {e.halo_id for e in store.journal_entries(kind=kind) if e.action == "set_accountsid"
                and e.state in ("confirmed", "reconciled")}
        links = [link for link in store.links(link_kind) if link.halo_id not in done
                 and (link.halo_id in clients if kind == "customer" else link.number == str(batch))]
        if not links:
            continue
        rows = [{"id": int(link.halo_id), "accountsid": link.ledger_ref} for link in links]
        entry_ids = store.journal_begin_many(run_id, [NewEntry("halo", "set_accountsid", kind, link.halo_id,
                                                               link.ledger_ref, json.dumps(row))
                                                      for link, row in zip(links, rows, strict=True)])
        halo.save(entity, rows)
        store.journal_confirm_many([(entry_id, "saved") for entry_id in entry_ids])


def batches(store: Any, limit: int = 1000) -> list[Batch]:
    """Every export batch, newest first, with its state."""
    out = []
    for run in store.runs(limit):
        if not _is_export(run.command) or (run.status in ("ok", "held") and not run.counts.get("invoice.exported")):
            continue  # not an export, or one that wrote nothing (everything held)
        confirmed = store.get_cursor(CONFIRMED_CURSOR.format(batch=run.id)) or ""
        if confirmed:
            state = "confirmed"
        elif run.status in ("ok", "held"):
            state = "exported"
        else:
            state = "incomplete"
        folder = Path(str(run.options.get("folder", ""))) / BATCH_DIR.format(batch=run.id)
        out.append(Batch(run.id, run.started, state, int(run.counts.get("invoice.exported", 0)),
                         int(run.counts.get("held", 0)), str(folder), confirmed,
                         run.command.removeprefix(COMMAND.format(kind=""))))
    return out
