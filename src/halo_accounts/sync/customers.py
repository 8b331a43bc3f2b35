"""Customers: Halo clients (with their site addresses) -> the package. Matched by Accounts ID, then by
name; created only when the package has none; the package's reference is written back to the client."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import Customer, LedgerError, create_many
from halo_accounts.sync import creates
from halo_accounts.sync import fields as f
from halo_accounts.sync.mapping import clean, customer_from_client, normalize_name
from halo_accounts.sync.plan import WRITE_BACK_CHUNK, Action, Plan
from halo_accounts.sync.preflight import Problem, check_customer, client_label

if TYPE_CHECKING:
    from halo_accounts.sync.engine import SyncEngine


def read_clients(eng: SyncEngine) -> dict[int, Any]:
    """Every Halo client, inactive ones included (an inactive client may still have invoices to post)."""
    assert eng.ctx is not None
    if not eng.ctx.clients:
        eng.ctx.clients = {int(c.id): c for c in eng.halo.clients(includeinactive=True)}
    return eng.ctx.clients


def _sites(eng: SyncEngine) -> dict[int, list[Any]]:
    cache = getattr(eng, "_sites_cache", None)
    if cache is None:
        cache = {}
        for site in eng.halo.sites():
            cid = f.ident(f.get(site, "client_id"))
            if cid is not None:
                cache.setdefault(cid, []).append(site)
        eng._sites_cache = cache  # type: ignore[attr-defined]
    return cache


def _invoice_site(eng: SyncEngine, client: Any) -> Any | None:
    sites = _sites(eng).get(int(client.id), [])
    main = f.ident(f.get(client, "main_site_id"))
    for site in sites:
        if main is not None and f.ident(f.get(site, "id")) == main:
            return site
    for site in sites:
        if f.flag(site, "isinvoicesite"):
            return site
    return sites[0] if sites else None


def plan(eng: SyncEngine, plan: Plan, *, only_ids: set[int | None] | None) -> None:
    ctx = eng.ctx
    assert ctx is not None
    clients = read_clients(eng)
    links = {link.halo_id: link for link in eng.store.links("customer")}
    for cid, client in clients.items():
        if only_ids is not None and cid not in only_ids:
            continue
        inactive = f.flag(client, "inactive")
        halo_id = str(cid)
        label = client_label(client)
        name = clean(f.get(client, "name", ""))
        acc = f.text(client, "accountsid")
        link = links.get(halo_id)
        if acc:
            if link is not None and acc in (link.ledger_ref, link.number):
                ctx.customer_refs[cid] = link.ledger_ref
                eng.release("customer", halo_id)
                continue
            found = ctx.customers.by_ref(acc)
            if found is None:
                named = ctx.customers.by_name(acc)
                found = named[0] if len(named) == 1 else None
            if found is None:
                problem = Problem("sync.customer_unknown_ref", {"name": name, "client_id": cid, "ref": acc,
                                                                "ledger": ctx.package})
                _hold(eng, plan, cid, label, problem)
                continue
            ctx.customer_refs[cid] = found.ref
            plan.add(Action("customer", "link", halo_id, label, detail={"ref": found.ref, "accountsid": acc},
                            source=client, extra=found))
            continue
        if link is not None:
            ctx.customer_refs[cid] = link.ledger_ref
            plan.add(Action("customer", "writeback", halo_id, label, detail={"ref": link.ledger_ref},
                            source=client))
            continue
        if inactive and cid not in plan.wanted_clients:
            continue  # an inactive client with nothing to post is not pushed to the package
        sticky = eng.sticky_hold("customer", halo_id)
        if sticky is not None:  # the package refused it before: not sent again until `retry`
            ctx.customer_problems[cid] = sticky.message
            plan.add(Action("customer", "hold", halo_id, label, problem=sticky, source=client, sticky=True))
            continue
        matches = ctx.customers.by_name(name)
        if not matches and ctx.limits.fits_names and len(name) > ctx.limits.customer_name:
            one = eng.ledger.find_customer(name=name)
            matches = [one] if one is not None else []
        if len(matches) > 1:
            problem = Problem("sync.customer_ambiguous", {
                "name": name, "client_id": cid, "count": len(matches), "ledger": ctx.package,
                "names": ", ".join(f"'{m.name}' ({m.ref})" for m in matches[:5])})  # our choice: 5 keep it readable
            _hold(eng, plan, cid, label, problem)
            continue
        if matches:
            found = matches[0]
            ctx.customer_refs[cid] = found.ref
            plan.add(Action("customer", "match", halo_id, label, detail={"ref": found.ref, "name": found.name},
                            source=client, extra=found))
            continue
        customer = customer_from_client(client, _invoice_site(eng, client))
        checks = check_customer(ctx, client, customer)
        if checks.problem is not None:
            _hold(eng, plan, cid, label, checks.problem, checks.items)
            continue
        ctx.customers_pending[cid] = customer
        plan.add(Action("customer", "create", halo_id, label, checks.items, detail={"name": customer.name},
                        source=client, extra=customer))


def _hold(eng: SyncEngine, plan: Plan, cid: int, label: str, problem: Problem, checks: list[Any] | None = None) -> None:
    assert eng.ctx is not None
    eng.ctx.customer_problems[cid] = problem.message
    plan.add(Action("customer", "hold", str(cid), label, list(checks or []), problem=problem))


def _create_batch(eng: SyncEngine, actions: list[Action]) -> None:
    """Create one batch, journalled (durably) before it is sent; settled per outcome by `creates.settle`."""
    ctx = eng.ctx
    assert ctx is not None
    entry_ids = eng.journal_many("ledger", "create", [("customer", a.halo_id, a.extra.name, {"name": a.extra.name})
                                                      for a in actions])
    outcomes = create_many(eng.ledger, "customer", [a.extra for a in actions])

    def created(action: Action, entry_id: int, record: Any) -> str:
        assert isinstance(record, Customer)
        cid = int(action.halo_id)
        eng.store.journal_confirm(entry_id, ledger_ref=record.ref, response=record.name)
        eng.store.link("customer", action.halo_id, record.ref, number=record.name)
        ctx.customers_pending.pop(cid, None)
        ctx.customer_refs[cid] = record.ref
        action.detail["ref"] = record.ref
        return record.ref

    def failed(action: Action, exc: LedgerError) -> None:
        ctx.customers_pending.pop(int(action.halo_id), None)
        ctx.customer_problems[int(action.halo_id)] = exc.message

    creates.settle(eng, "customer", actions, entry_ids, outcomes, created=created, failed=failed)


def _name_twin(ctx: Any, action: Action, exc: HaloAccountsError) -> Problem | None:
    """A clash of two Halo clients matched by name to one package customer because their names differ only by case
    or spaces (QuickBooks names are case-insensitive, qbxml/NOTES.md): a fix that says so, not "clear the accounts
    reference" of a client that has none (issue 8.8)."""
    if exc.code != "store.link_conflict" or action.op != "match" or f.text(action.source, "accountsid"):
        return None
    other = ctx.clients.get(f.ident(exc.params.get("other")) or 0)
    name, other_name = clean(f.text(action.source, "name")), clean(f.text(other, "name"))
    if other is None or normalize_name(name) != normalize_name(other_name):
        return None
    return Problem("sync.customer_name_twin", {"name": name, "halo_id": action.halo_id, "other_name": other_name,
                                               "other": exc.params.get("other"), "ledger": ctx.package})


def apply(eng: SyncEngine, plan: Plan) -> None:
    ctx = eng.ctx
    assert ctx is not None
    creates = plan.of("customer", op="create")
    for start in range(0, len(creates), eng.batch_size):
        eng.progress("customers", start, len(creates))
        _create_batch(eng, creates[start:start + eng.batch_size])
    for action in plan.of("customer", op="match") + plan.of("customer", op="link"):
        cid = int(action.halo_id)
        ref = ctx.customer_refs[cid]
        try:
            eng.store.link("customer", action.halo_id, ref, number=f.text(action.source, "accountsid") or
                           getattr(action.extra, "name", ""))
        except HaloAccountsError as exc:  # store.link_conflict: another Halo client has this customer
            ctx.customer_refs.pop(cid, None)
            problem = _name_twin(ctx, action, exc) or Problem(exc.code, stored_message=exc.message, stored_fix=exc.fix)
            ctx.customer_problems[cid] = problem.message
            action.op = "hold"
            eng.hold_now("customer", action.halo_id, action.label, problem)
            continue
        eng.release("customer", action.halo_id)
        eng.report.bump("customer", "matched")
    rows = []
    labels = {}
    for action in plan.actions:
        if action.kind == "customer" and action.op in ("create", "match", "writeback"):
            ref = ctx.customer_refs.get(int(action.halo_id))
            if ref:
                rows.append(("customer", action.halo_id, ref, {"id": int(action.halo_id), "accountsid": ref}))
                labels[action.halo_id] = action.label
    for start in range(0, len(rows), WRITE_BACK_CHUNK):
        saved = eng.halo_save("Client", "set_accountsid", rows[start:start + WRITE_BACK_CHUNK], labels)
        eng.report.bump("customer", "written_back", len(saved))
    eng.progress("customers", len(creates), len(creates))
