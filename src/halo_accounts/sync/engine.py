"""One sync run, in order: read Halo's `Control`; read the package's reference data; plan; apply.

Transport-independent: it takes a Halo client, a `Ledger`, a store and the settings. Each write is journalled
before it is sent and confirmed after, and writes left "sent" by a crash are reconciled before anything else.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.halo.errors import HaloError, HaloRateLimited, HaloUnavailable, HaloValidationError
from halo_accounts.ledgers.port import Ledger, LedgerUnavailable
from halo_accounts.store import NewEntry
from halo_accounts.sync import control_settings, customers, invoices, items, notices, payments, reconcile, snapshot
from halo_accounts.sync import fields as f
from halo_accounts.sync.context import Context, build_tax_map, customer_index, product_index
from halo_accounts.sync.limits import limits_for
from halo_accounts.sync.plan import KINDS, Action, Plan, parse_only
from halo_accounts.sync.preflight import Problem
from halo_accounts.sync.report import Entry, RunReport
from halo_accounts.sync.tenant_time import tenant_zone

#: Store links of this kind map a Halo nominal code (halo_id) to the package's account (ledger_ref).
NOMINAL_LINK = "nominal"
#: Cursor: why the last run stopped short (Halo or the package unreachable); "" once a run gets through.
LAST_PROBLEM = "run.last_problem"
#: Cursor: when the next scheduled run is due ("halo-accounts run --every", or the Web Connector's interval).
NEXT_RUN = "run.next"
log = logging.getLogger("halo_accounts.sync")

#: Held codes that stay held until `retry` (re-checking them each run would only repeat the refusal).
STICKY_CODES = frozenset({"sync.ledger_rejected", "sync.halo_rejected", "sync.invoice_drift",
                          "sync.total_mismatch"})

Progress = Callable[[str, int, int], None]

#: What a dry run counts for each planned operation ("would be created", ...).
_WOULD = {"create": "created", "match": "matched", "link": "matched", "post": "posted", "writeback": "written_back",
          "pay": "paid", "reconcile": "reconciled"}


class Stop(Exception):
    """The run cannot go on (package or Halo unavailable): stop cleanly, nothing half-done."""

    def __init__(self, error: HaloAccountsError) -> None:
        super().__init__(str(error))
        self.error = error


class SyncEngine:
    """Keeps Halo and one accounting package in step. ``run()`` is one sync; ``plan()``/``apply()`` its halves."""

    def __init__(self, halo: Any, ledger: Ledger, store: Any, settings: Any, *,
                 progress: Progress | None = None, tenant: str = "") -> None:
        self.halo = halo
        self.ledger = ledger
        self.store = store
        self.settings = settings
        self.progress: Progress = progress or (lambda phase, done, total: None)
        self.batch_size = int(getattr(getattr(settings, "sync", None), "batch_size", 50) or 50)
        self.tenant = tenant or _tenant_of(settings)
        self.run_id: int | None = None
        self.dry_run = False
        self.retry_keys: set[str] = set()
        self.report = RunReport()
        self.ctx: Context | None = None
        self._held: dict[tuple[str, str], Any] = {}

    # ------------------------------------------------------------------ the run

    def run(self, only: Iterable[str] | str | None = None, *, dry_run: bool = False,
            retry: Iterable[str] = (), command: str = "sync") -> RunReport:
        """One whole run. Returns its report; a package or Halo outage ends it as "interrupted".

        A run that writes holds the store's run lock throughout: a second one at the same time is refused
        (`store.run_locked`) rather than risk posting the same invoice twice. A dry run writes nothing.
        """
        if dry_run:
            return self._run(only, dry_run=True, retry=retry, command=command)
        with self.store.run_lock():
            return self._run(only, dry_run=False, retry=retry, command=command)

    def _run(self, only: Iterable[str] | str | None, *, dry_run: bool, retry: Iterable[str],
             command: str) -> RunReport:
        kinds = parse_only(list(only) if only is not None and not isinstance(only, str) else only)
        self.dry_run = dry_run
        self.retry_keys = set(retry)
        self.report = RunReport(dry_run=dry_run)
        start_requests = self._halo_requests()
        if not dry_run:
            self.run_id = self.store.start_run(command, {"only": list(kinds), "retry": sorted(self.retry_keys)})
            self.report.run_id = self.run_id
        try:
            if not dry_run:
                reconcile.before_plan(self)
            plan = self.plan(kinds)
            if dry_run:
                self.report.status = "dry-run"
            else:
                reconcile.after_read(self, plan)
                self.apply(plan)
                if self.ctx is not None:
                    snapshot.save(self.store, self.ctx)  # what a preview of the next update plans from
                self.report.status = "held" if self.report.held else "ok"
                cut = notices.shortened(plan.actions, self.ctx.package if self.ctx is not None else "the package")
                self.store.set_cursor(notices.SHORTENED_CURSOR, cut)
                if cut:
                    self.report.notices.append(cut)
            for notice in notices.from_held(h.code for h in self.report.held):
                if notice not in self.report.notices:
                    self.report.notices.append(notice)
        except Stop as stop:
            self._interrupted(stop.error, "Halo")
        except LedgerUnavailable as exc:
            self._interrupted(exc, self.ctx.package if self.ctx is not None else "the accounting package")
        except (HaloUnavailable, HaloRateLimited) as exc:
            self._interrupted(exc, "Halo")
        except BaseException as exc:
            self.report.status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            self.report.errors.append(str(exc) if isinstance(exc, HaloAccountsError) else repr(exc))
            if self.run_id is not None:
                self._finish()
            raise
        finally:
            self.report.halo_requests = self._halo_requests() - start_requests
        if self.run_id is not None:
            self._finish()
        log.info("sync %s: %s (Halo requests %d)", self.report.status, self.report.flat_counts(),
                 self.report.halo_requests)
        return self.report

    def _interrupted(self, error: HaloAccountsError, what: str) -> None:
        """Stop cleanly: what was sent stays journalled and is looked up first by the next run."""
        self.report.status = "interrupted"
        self.report.errors.append(str(HaloAccountsError("sync.unavailable", detail=error.message, what=what)))
        if self.run_id is not None:
            self.store.set_cursor(LAST_PROBLEM, f"{what} could not be reached: {error.message}")
        log.warning("sync interrupted: %s", error.message)

    def _finish(self) -> None:
        assert self.run_id is not None
        if self.report.status in ("ok", "held"):
            self.store.set_cursor(LAST_PROBLEM, "")  # reached both sides this time
        counts = self.report.flat_counts()
        counts["halo.requests"] = self.report.halo_requests
        self.store.finish_run(self.run_id, self.report.status, counts)

    def _halo_requests(self) -> int:
        return int(getattr(self.halo, "request_count", 0) or 0)

    # ------------------------------------------------------------------ plan

    def load_context(self) -> Context:
        """Halo's settings and tax rates, the package's tax codes and accounts, and the tax map."""
        self.progress("reading settings", 0, 3)
        configured = getattr(getattr(self.settings, "halo", None), "control", None)
        read = control_settings.read(self.halo, self.store, configured, keep=not self.dry_run)
        control = read.control
        if read.notice and read.notice not in self.report.notices:
            self.report.notices.append(read.notice)
        info = self.ledger.info()
        limits = limits_for(info.kind, assigns_numbers=info.assigns_numbers)
        tax_codes = {t.code: t for t in self.ledger.tax_codes()}
        self.progress("reading settings", 1, 3)
        accounts = self.ledger.accounts()
        halo_taxes = {t.id: t for t in self.halo.taxes()}
        self.progress("reading settings", 2, 3)
        links = {link.halo_id: link.ledger_ref for link in self.store.links("tax")}
        zone, _zone_source = tenant_zone(str(getattr(getattr(self.settings, "halo", None), "timezone", "") or ""),
                                         control)
        ctx = Context(
            control=control, info=info, limits=limits, tax_codes=tax_codes, accounts=accounts,
            halo_taxes=halo_taxes, tax_map=build_tax_map(links, halo_taxes, tax_codes),
            customers=customer_index(self.ledger), products=product_index(self.ledger), tenant=self.tenant,
            catch_all_item=str(getattr(getattr(self.settings, "sync", None), "catch_all_item", "") or "").strip(),
            zone=zone,
            nominal_map={link.halo_id.casefold(): link.ledger_ref for link in self.store.links(NOMINAL_LINK)},
        )
        self.ctx = ctx
        self._held = {(h.kind, h.halo_id): h for h in self.store.held()}
        self.progress("reading settings", 3, 3)
        return ctx

    def plan(self, only: Iterable[str] | str | None = None) -> Plan:
        """Every action this run would take, with its checks. Reads only; writes nothing."""
        kinds = parse_only(list(only) if only is not None and not isinstance(only, str) else only)
        ctx = self.load_context()
        plan = Plan(only=kinds, context=ctx)
        numbering = (f"Halo's invoice numbers are used in {ctx.package}" if ctx.halo_numbers
                     else f"{ctx.package} numbers invoices")
        approval = "yes" if ctx.approval_required else "no"
        plan.notes.append(f"Numbering: {numbering}; invoices must be approved before they go: {approval}.")
        if self.dry_run:
            reconcile.plan_pending(self, plan)
        pending = invoices.read(self, plan) if "invoices" in kinds else []
        wanted_clients = {f.ident(f.get(inv, "client_id")) for inv in pending}
        plan.wanted_clients = wanted_clients
        wanted_items = {iid for inv in pending for iid in invoices.item_ids(inv)}
        if "customers" in kinds or "invoices" in kinds:
            customers.plan(self, plan, only_ids=None if "customers" in kinds else wanted_clients)
        if "items" in kinds or "invoices" in kinds:
            items.plan(self, plan, only_ids=None if "items" in kinds else wanted_items)
        if "invoices" in kinds:
            invoices.plan(self, plan, pending)
        if "payments" in kinds:
            payments.plan(self, plan)
        for action in plan.actions:
            if action.op == "hold":
                self.report.held.append(Entry(action.kind, action.halo_id, action.label, action.problem.code
                                              if action.problem else "", action.problem.message if action.problem
                                              else "", action.problem.fix if action.problem else ""))
                self.report.bump(action.kind, "held")
            elif action.op == "skip" and action.problem is not None:
                self.report.skipped.append(Entry(action.kind, action.halo_id, action.label, action.problem.code,
                                                 action.problem.message, action.problem.fix))
                self.report.bump(action.kind, "skipped")
        if self.dry_run:
            for action in plan.actions:
                counted = _WOULD.get(action.op)
                if counted:
                    self.report.bump(action.kind, counted)
        self.report.plan = plan
        return plan

    # ------------------------------------------------------------------ apply

    def apply(self, plan: Plan) -> RunReport:
        """Carry the plan out, kind by kind, in order. Holds are recorded; the rest goes on."""
        for action in plan.actions:
            if action.op == "hold" and action.problem is not None and not action.sticky:
                self.store.hold(action.kind, action.halo_id, action.problem.code, action.problem.message,
                                action.problem.fix, detail=action.label)
        if "customers" in plan.only or "invoices" in plan.only:
            customers.apply(self, plan)
        if "items" in plan.only or "invoices" in plan.only:
            items.apply(self, plan)
        if "invoices" in plan.only:
            invoices.apply(self, plan)
        if "payments" in plan.only:
            payments.apply(self, plan)
        return self.report

    # ------------------------------------------------------------------ helpers for the phases

    def held_entry(self, kind: str, halo_id: str) -> Any | None:
        return self._held.get((kind, str(halo_id)))

    def sticky_hold(self, kind: str, halo_id: str) -> Problem | None:
        """A hold that stays until `retry`, unless this run retries it."""
        held = self.held_entry(kind, halo_id)
        if held is None or held.code not in STICKY_CODES or f"{kind}:{halo_id}" in self.retry_keys:
            return None
        return Problem(held.code, stored_message=held.message, stored_fix=held.fix)

    def was_held(self, kind: str, halo_id: str) -> bool:
        return self.held_entry(kind, halo_id) is not None

    def release(self, kind: str, halo_id: str) -> None:
        if self.was_held(kind, halo_id) and not self.dry_run:
            self.store.release(kind, str(halo_id))
            self._held.pop((kind, str(halo_id)), None)

    def hold_now(self, kind: str, halo_id: str, label: str, problem: Problem) -> None:
        """Hold a record during apply (the package or Halo refused it) and report it."""
        self.store.hold(kind, str(halo_id), problem.code, problem.message, problem.fix, detail=label)
        self.report.held.append(Entry(kind, str(halo_id), label, problem.code, problem.message, problem.fix))
        self.report.bump(kind, "held")

    def journal_many(self, target: str, action: str, rows: list[tuple[str, str, str, Any]]) -> list[int]:
        """Journal writes about to be sent: rows of (kind, halo_id, key, request); durable when it returns."""
        return self.store.journal_begin_many(self.run_id, [
            NewEntry(target, action, kind, str(halo_id), key, _dump(request)) for kind, halo_id, key, request in rows
        ])

    def halo_save(self, entity: str, action: str, rows: list[tuple[str, str, str, dict[str, Any]]],
                  labels: dict[str, str]) -> list[tuple[tuple[str, str, str, dict[str, Any]], dict[str, Any]]]:
        """Journal, send (one batched POST) and confirm Halo writes; returns (row, Halo's answer) for each saved.

        Halo refusing the batch is narrowed down record by record (each refusal held); Halo unreachable
        stops the run: an answer that may have been lost leaves the entries "sent" for reconciliation.
        """
        if not rows:
            return []
        entry_ids = self.journal_many("halo", action, rows)
        try:
            answers = self.halo.save(entity, [row[3] for row in rows])
        except HaloValidationError as exc:
            if len(rows) > 1:
                for entry_id in entry_ids:
                    self.store.journal_fail(entry_id, code=exc.code, message="batch refused; sent one by one")
                out: list[tuple[tuple[str, str, str, dict[str, Any]], dict[str, Any]]] = []
                for row in rows:
                    out.extend(self.halo_save(entity, action, [row], labels))
                return out
            self.store.journal_fail(entry_ids[0], code=exc.code, message=exc.message)
            kind, halo_id = rows[0][0], rows[0][1]
            label = labels.get(halo_id, f"{kind} {halo_id}")
            self.hold_now(kind, halo_id, label, Problem("sync.halo_rejected", {
                "record": label, "detail": exc.message, "key": f"{kind}:{halo_id}"}))
            return []
        except HaloUnavailable as exc:
            if not exc.unconfirmed:
                for entry_id in entry_ids:
                    self.store.journal_fail(entry_id, code=exc.code, message=exc.message)
            raise Stop(exc) from None
        except HaloRateLimited as exc:
            for entry_id in entry_ids:
                self.store.journal_fail(entry_id, code=exc.code, message=exc.message)
            raise Stop(exc) from None
        except HaloError as exc:
            for entry_id in entry_ids:
                self.store.journal_fail(entry_id, code=exc.code, message=exc.message)
            raise
        answers = list(answers)
        confirmations = []
        out = []
        for i, (entry_id, row) in enumerate(zip(entry_ids, rows, strict=True)):
            answer = answers[i] if i < len(answers) else {}
            confirmations.append((entry_id, _dump(_brief(answer)), str(answer.get("id", "")) if answer else "", ""))
            out.append((row, answer))
        self.store.journal_confirm_many(confirmations)
        return out

    def now_iso(self) -> str:
        """Now, as Halo is sent dates (ISO 8601 UTC with Z; halo/NOTES.md §2)."""
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tenant_of(settings: Any) -> str:
    halo = getattr(settings, "halo", None)
    tenant = str(getattr(halo, "tenant", "") or "")
    if tenant:
        return tenant
    url = str(getattr(halo, "url", "") or "")
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    if not host:
        return "halo"
    return host if host.replace(".", "").isdigit() else host.split(".", 1)[0]


def _brief(answer: Any) -> dict[str, Any]:
    """The part of Halo's answer worth keeping in the journal."""
    if not isinstance(answer, dict):
        return {}
    keep = ("id", "posted", "dateposted", "thirdpartyinvoicenumber", "accountsid", "invoice_id", "amount",
            "thirdpartyid", "sage50_reference", "code", "name")
    return {k: answer[k] for k in keep if k in answer}


def _dump(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str, separators=(",", ":"))


__all__ = ["KINDS", "Action", "Plan", "RunReport", "Stop", "SyncEngine"]
