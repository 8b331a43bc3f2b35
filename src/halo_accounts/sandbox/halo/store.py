"""The sandbox tenant's data: in memory, behind one lock, with Halo's list filters, paging and POST rules.

Semantics follow halo/NOTES.md §2 (POST arrays, partial updates), §3 (filters, paging) and §10
(payments update the invoice); guesses live in `conventions`.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from halo_accounts.sandbox.halo import conventions as cv

Record = dict[str, Any]


def money(value: float) -> float:
    """Round to 2 dp, half up (as accounting packages do)."""
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def truthy(value: str | None) -> bool | None:
    """A query-string boolean; None when absent."""
    if value is None or value == "":
        return None
    return value.strip().lower() in ("true", "1", "yes")


class NotFound(Exception):
    """No record with that id."""


class Invalid(Exception):
    """A POST body that Halo would refuse: ``problems`` as ``[(path, message)]``."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


class Tenant:
    """All records of one sandbox tenant. Every public method takes the lock."""

    def __init__(self, seed: Record) -> None:
        self.lock = threading.RLock()
        self.control: Record = copy.deepcopy(seed.get("control", {}))
        self.options: Record = copy.deepcopy(seed.get("options", {}))
        self._list_omits: dict[str, set[str]] = {
            cv.SEED_KEYS[key]: set(fields) for key, fields in (self.options.get("list_omits") or {}).items()}
        self.rows: dict[str, dict[int, Record]] = {entity: {} for entity in cv.SEED_KEYS.values()}
        self._next_line_id = 1
        for key, entity in cv.SEED_KEYS.items():
            table = self.rows[entity]
            pending: list[Record] = []
            for row in seed.get(key, []):
                row = copy.deepcopy(row)
                if row.get("id"):
                    table[int(row["id"])] = row
                else:
                    pending.append(row)
            for row in pending:
                row["id"] = self._next_id(entity)
                table[row["id"]] = row
        for inv in self.rows["invoice"].values():
            for line in inv.get("lines") or []:
                if isinstance(line.get("id"), int) and line["id"] >= self._next_line_id:
                    self._next_line_id = line["id"] + 1
        for inv in self.rows["invoice"].values():
            for line in inv.get("lines") or []:
                if not line.get("id"):
                    line["id"] = self._next_line_id
                    self._next_line_id += 1
        for entity in ("site", "invoice", "invoicepayment"):
            for row in self.rows[entity].values():
                self._derive(entity, row)
        by_invoice: dict[int, list[Record]] = {}
        for pay in self.rows["invoicepayment"].values():
            by_invoice.setdefault(int(pay.get("invoice_id") or 0), []).append(pay)
        for inv in self.rows["invoice"].values():
            self._settle(inv, by_invoice.get(inv["id"], []))

    # -- reading ---------------------------------------------------------------------------------------

    def get(self, entity: str, rid: int, *, lines: bool = True) -> Record:
        with self.lock:
            row = self.rows[entity].get(rid)
            if row is None:
                raise NotFound(rid)
            return self._view(entity, row, lines=lines)

    def list(self, entity: str, params: dict[str, str]) -> Record:
        """A list response: ``{"record_count", ["page_no", "page_size"], <list key>: rows}``."""
        with self.lock:
            rows = [r for r in self.rows[entity].values() if _matches(entity, r, params)]
            rows.sort(key=lambda r: r["id"])
            include_lines = entity == "invoice" and bool(truthy(params.get("includelines")))
            body: Record = {"record_count": len(rows)}
            if truthy(params.get("pageinate")):
                asked = _int(params.get("page_size"), cv.DEFAULT_PAGE_SIZE)
                size = max(1, min(asked, cv.MAX_PAGE_SIZE))  # NOTES §3: at most 100 rows a page
                page = max(1, _int(params.get("page_no"), 1))
                rows = rows[(page - 1) * size : page * size]
                body["page_no"] = page
                body["page_size"] = asked if cv.ECHO_REQUESTED_PAGE_SIZE else size
            elif params.get("count"):
                rows = rows[: max(0, _int(params.get("count"), len(rows)))]
            omit = self._list_omits.get(entity, set())
            body[cv.LIST_KEYS[entity]] = [
                {k: v for k, v in self._view(entity, r, lines=include_lines).items() if k not in omit} for r in rows]
            return body

    def get_control(self) -> Record:
        with self.lock:
            return copy.deepcopy(self.control)

    def export(self) -> Record:
        """The whole tenant as a seed (applications are added by the server)."""
        with self.lock:
            out: Record = {"control": copy.deepcopy(self.control)}
            if self.options:
                out["options"] = copy.deepcopy(self.options)
            for key, entity in cv.SEED_KEYS.items():
                out[key] = [copy.deepcopy(self.rows[entity][i]) for i in sorted(self.rows[entity])]
            return out

    def count(self, entity: str) -> int:
        with self.lock:
            return len(self.rows[entity])

    # -- writing ---------------------------------------------------------------------------------------

    def save(self, entity: str, records: list[Record]) -> list[Record]:
        """POST semantics (NOTES §2): id present and known -> partial update; id absent/0 -> create."""
        with self.lock:
            self._check_save(entity, records)
            saved: list[Record] = []
            touched_invoices: set[int] = set()
            for rec in records:
                rec = copy.deepcopy(rec)
                rid = rec.pop("id", None)
                rid = int(rid) if rid not in (None, "", 0, "0") else 0
                table = self.rows[entity]
                if rid > 0 and rid in table:
                    row = table[rid]
                    if entity == "invoicepayment" and row.get("invoice_id"):
                        touched_invoices.add(int(row["invoice_id"]))
                    new_lines = rec.pop("lines", None) if entity == "invoice" else None
                    row.update(rec)
                    if new_lines is not None:
                        row["lines"] = self._merge_lines(row, new_lines)
                else:
                    row = rec
                    row["id"] = self._next_id(entity)
                    if entity == "invoice":
                        row["lines"] = self._merge_lines(row, row.get("lines") or [])
                        row.setdefault("posted", False)
                        row.setdefault("dateposted", cv.NO_DATE)
                    table[row["id"]] = row
                self._derive(entity, row)
                if entity == "invoice":
                    touched_invoices.add(row["id"])
                if entity == "invoicepayment":
                    touched_invoices.add(int(row["invoice_id"]))
                saved.append(row)
            for iid in touched_invoices:
                if iid in self.rows["invoice"]:
                    self._settle(self.rows["invoice"][iid])
            return [self._view(entity, r, lines=True) for r in saved]

    def save_control(self, records: list[Record]) -> list[Record]:
        with self.lock:
            for rec in records:
                self.control.update({k: v for k, v in rec.items() if k != "id"})
            return [copy.deepcopy(self.control)]

    # -- internals -------------------------------------------------------------------------------------

    def _next_id(self, entity: str) -> int:
        table = self.rows[entity]
        return (max(table) + 1) if table else 1

    def _check_save(self, entity: str, records: list[Record]) -> None:
        problems: list[tuple[str, str]] = []
        for i, rec in enumerate(records):
            rid = rec.get("id")
            unknown = rid not in (None, "", 0, "0") and int(rid) not in self.rows[entity]
            if unknown and cv.UNKNOWN_ID_IS_AN_ERROR:
                problems.append((f"[{i}].id", f"No {entity} with id {rid}."))
            if entity == "invoicepayment":
                existing = self.rows[entity].get(int(rid)) if rid not in (None, "", 0, "0") else None
                inv = rec.get("invoice_id", existing.get("invoice_id") if existing else None)
                if inv in (None, "", 0) or int(inv) not in self.rows["invoice"]:
                    problems.append((f"[{i}].invoice_id", f"Invoice {inv} not found."))
            if entity in ("invoice", "site") and "client_id" in rec:
                if int(rec["client_id"] or 0) not in self.rows["client"]:
                    problems.append((f"[{i}].client_id", f"Client {rec['client_id']} not found."))
            elif entity == "invoice" and rid in (None, "", 0, "0"):
                problems.append((f"[{i}].client_id", "The client_id field is required."))
        if problems:
            raise Invalid(problems)

    def _merge_lines(self, inv: Record, lines: Iterable[Record]) -> list[Record]:
        """Supplied lines become the invoice's lines; a supplied line with a known id updates that line
        partially, others are new; omitted lines are removed [?] (NOTES §14.5 unknown)."""
        old = {ln.get("id"): ln for ln in inv.get("lines") or []}
        out: list[Record] = []
        for line in lines:
            line = copy.deepcopy(line)
            lid = line.get("id")
            if lid in old and lid not in (None, 0):
                merged = copy.deepcopy(old[lid])
                merged.update(line)
                line = merged
            else:
                line["id"] = self._next_line_id
                self._next_line_id += 1
            line["ihid"] = inv["id"]
            out.append(line)
        return out

    def _tax_rate(self, code: Any) -> float:
        try:
            tax = self.rows["tax"].get(int(str(code)))
        except ValueError:
            tax = None
        return float(tax.get("value") or 0.0) if tax else 0.0

    def _derive(self, entity: str, row: Record) -> None:
        """Fields Halo fills in itself: names of linked records, line amounts, totals."""
        client = self.rows["client"].get(int(row.get("client_id") or 0))
        if entity in ("site", "invoice", "invoicepayment") and client is not None:
            row["client_name"] = client.get("name", "")
        if entity == "invoicepayment":
            inv = self.rows["invoice"].get(int(row.get("invoice_id") or 0))
            if inv is not None:
                row["client_id"] = inv.get("client_id")
                row["client_name"] = inv.get("client_name", "")
                row["invoice_invoicenumber"] = inv.get("invoicenumber", "")
        if entity == "invoice":
            for name, value in cv.INVOICE_DEFAULTS.items():
                row.setdefault(name, value)
            net_total = tax_total = 0.0
            for line in row.get("lines") or []:
                line.setdefault("ihid", row["id"])
                if "net_amount" not in line:
                    line["net_amount"] = money(float(line.get("qty_order") or 0) * float(line.get("unit_price") or 0))
                if "tax_rate" not in line:
                    line["tax_rate"] = self._tax_rate(line.get("tax_code"))
                if "tax_amount" not in line:
                    line["tax_amount"] = money(float(line["net_amount"]) * float(line["tax_rate"]) / 100)
                net_total += float(line["net_amount"])
                tax_total += float(line["tax_amount"])
            row["tax_total"] = money(tax_total)
            row["total"] = money(net_total + tax_total)

    def _settle(self, inv: Record, pays: list[Record] | None = None) -> None:
        """amountpaid/amountdue/paymentstatus/datepaid from the invoice's payments (NOTES §10 [I])."""
        if pays is None:
            pays = [p for p in self.rows["invoicepayment"].values() if int(p.get("invoice_id") or 0) == inv["id"]]
        paid = money(sum(float(p.get("amount") or 0) for p in pays))
        total = float(inv.get("total") or 0)
        inv["amountpaid"] = paid
        inv["amountdue"] = money(total - paid)
        if paid == 0:
            status = cv.PAYMENT_STATUS["unpaid"]
        elif (total > 0 and inv["amountdue"] <= 0) or (total < 0 and inv["amountdue"] >= 0):
            status = cv.PAYMENT_STATUS["paid"]
        else:
            status = cv.PAYMENT_STATUS["part_paid"]
        inv["paymentstatus"] = status
        dates = sorted(str(p.get("date")) for p in pays if p.get("date"))
        inv["datepaid"] = dates[-1] if status == cv.PAYMENT_STATUS["paid"] and dates else cv.NO_DATE

    def _view(self, entity: str, row: Record, *, lines: bool) -> Record:
        out = copy.deepcopy(row)
        if entity == "invoice" and not lines:
            out.pop("lines", None)
        return out


def _int(value: str | None, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def _text(row: Record, *fields: str) -> str:
    return " ".join(str(row.get(f) or "") for f in fields).lower()


_SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "client": ("name", "accountsid"),
    "site": ("name", "client_name", "accountsid"),
    "item": ("name", "description", "accountsid"),
    "tax": ("name", "code"),
    "invoice": ("invoicenumber", "thirdpartyinvoicenumber", "client_name", "reference"),
    "invoicepayment": ("invoice_invoicenumber", "client_name", "thirdpartyid", "sage50_reference"),
}


def _matches(entity: str, row: Record, p: dict[str, str]) -> bool:
    checks: list[Callable[[], bool]] = []
    search = p.get("search")
    if search:
        checks.append(lambda: search.lower() in _text(row, *_SEARCH_FIELDS[entity]))
    if entity in ("site", "invoice", "invoicepayment") and p.get("client_id"):
        checks.append(lambda: str(row.get("client_id")) == p["client_id"])
    if entity == "invoicepayment" and p.get("invoice_id"):
        checks.append(lambda: str(row.get("invoice_id")) == p["invoice_id"])
    if entity in ("client", "site"):
        include_inactive = bool(truthy(p.get("includeinactive")))
        include_active = truthy(p.get("includeactive")) is not False
        checks.append(lambda: include_inactive if row.get("inactive") else include_active)
    if entity == "item":
        item_inactive = bool(truthy(p.get("includeinactive")))
        item_active = truthy(p.get("includeactive")) is not False
        checks.append(lambda: item_inactive if row.get("status") == cv.ITEM_INACTIVE_STATUS else item_active)
    if entity == "invoice":
        if truthy(p.get("notpostedonly")):
            checks.append(lambda: not row.get("posted"))
        if truthy(p.get("postedonly")):
            checks.append(lambda: bool(row.get("posted")))
        credits, invoices = truthy(p.get("includecredits")), truthy(p.get("includeinvoices"))
        checks.append(lambda: (credits is not False) if cv.is_credit_note(row) else (invoices is not False))
        if p.get("paymentstatuses"):
            wanted = {s.strip() for s in p["paymentstatuses"].split(",")}
            checks.append(lambda: str(row.get("paymentstatus")) in wanted)
    return all(c() for c in checks)
