"""Items: Halo items pushed to the package when new (no Accounts ID, not excluded from accounting sync),
matched by code otherwise; the package's item code is written back to the item's Accounts ID."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import LedgerError, Product, create_many
from halo_accounts.sync import creates
from halo_accounts.sync import fields as f
from halo_accounts.sync.mapping import clean
from halo_accounts.sync.plan import WRITE_BACK_CHUNK, Action, Plan
from halo_accounts.sync.preflight import Problem, check_item, item_label

if TYPE_CHECKING:
    from halo_accounts.sync.engine import SyncEngine


def read_items(eng: SyncEngine) -> dict[int, Any]:
    assert eng.ctx is not None
    if not eng.ctx.items:
        eng.ctx.items = {int(i.id): i for i in eng.halo.items()}
    return eng.ctx.items


def plan(eng: SyncEngine, plan: Plan, *, only_ids: set[int] | None) -> None:
    ctx = eng.ctx
    assert ctx is not None
    halo_items = read_items(eng)
    links = {link.halo_id: link for link in eng.store.links("item")}
    for iid, item in halo_items.items():
        if only_ids is not None and iid not in only_ids:
            continue
        halo_id = str(iid)
        label = item_label(item)
        name = clean(f.get(item, "name", ""))
        acc = f.text(item, "accountsid")
        link = links.get(halo_id)
        if acc:
            if link is not None and acc in (link.ledger_ref, link.number):
                ctx.product_refs[iid] = link.ledger_ref
                eng.release("item", halo_id)
                continue
            found = ctx.products.by_ref(acc)
            if found is None:
                named = ctx.products.by_name(acc)
                found = named[0] if len(named) == 1 else None
            if found is None and ctx.limits.fits_names:
                found = eng.ledger.find_product(code=acc)
            if found is None:
                _hold(eng, plan, iid, label, Problem("sync.item_unknown_ref", {
                    "name": name, "item_id": iid, "ref": acc, "ledger": ctx.package}))
                continue
            ctx.product_refs[iid] = found.ref or found.code
            ctx.item_accounts[iid] = found.income_account
            plan.add(Action("item", "link", halo_id, label, detail={"ref": found.ref or found.code},
                            source=item, extra=found))
            continue
        if f.flag(item, "ignore_from_accounting_sync"):
            continue
        sticky = eng.sticky_hold("item", halo_id)
        if sticky is not None:  # the package refused it before: not sent again until `retry`
            ctx.product_problems[iid] = sticky.message
            plan.add(Action("item", "hold", halo_id, label, problem=sticky, source=item, sticky=True))
            continue
        if link is not None:
            ctx.product_refs[iid] = link.ledger_ref
            plan.add(Action("item", "writeback", halo_id, label, detail={"code": link.number or link.ledger_ref},
                            source=item, extra=link.number or link.ledger_ref))
            continue
        matches = ctx.products.by_name(name)
        if not matches and ctx.limits.fits_names and len(name) > ctx.limits.product_code:
            one = eng.ledger.find_product(code=name)
            matches = [one] if one is not None else []
        if matches:
            found = matches[0]
            ctx.product_refs[iid] = found.ref or found.code
            ctx.item_accounts[iid] = found.income_account
            plan.add(Action("item", "match", halo_id, label, detail={"ref": found.ref or found.code,
                                                                      "code": found.code},
                            source=item, extra=found))
            continue
        checks, product = check_item(ctx, item)
        if product is None:
            assert checks.problem is not None
            _hold(eng, plan, iid, label, checks.problem, checks.items)
            continue
        ctx.products_pending[iid] = product
        ctx.item_accounts[iid] = product.income_account
        plan.add(Action("item", "create", halo_id, label, checks.items,
                        detail={"code": product.code, "income_account": product.income_account,
                                "tax_code": product.tax_code}, source=item, extra=product))


def _hold(eng: SyncEngine, plan: Plan, iid: int, label: str, problem: Problem, checks: list[Any] | None = None) -> None:
    assert eng.ctx is not None
    eng.ctx.product_problems[iid] = problem.message
    plan.add(Action("item", "hold", str(iid), label, list(checks or []), problem=problem))


def _create_batch(eng: SyncEngine, actions: list[Action], codes: dict[str, str]) -> None:
    """Create one batch, journalled (durably) before it is sent; settled per outcome by `creates.settle`."""
    ctx = eng.ctx
    assert ctx is not None
    entry_ids = eng.journal_many("ledger", "create", [
        ("item", a.halo_id, a.extra.code, {"code": a.extra.code, "income_account": a.extra.income_account,
                                           "tax_code": a.extra.tax_code}) for a in actions])
    outcomes = create_many(eng.ledger, "item", [a.extra for a in actions])

    def created(action: Action, entry_id: int, record: Any) -> str:
        assert isinstance(record, Product)
        iid = int(action.halo_id)
        ref = record.ref or record.code
        eng.store.journal_confirm(entry_id, ledger_ref=ref, response=record.code)
        eng.store.link("item", action.halo_id, ref, number=record.code)
        ctx.products_pending.pop(iid, None)
        ctx.product_refs[iid] = ref
        codes[action.halo_id] = record.code
        return ref

    def failed(action: Action, exc: LedgerError) -> None:
        ctx.products_pending.pop(int(action.halo_id), None)
        ctx.product_problems[int(action.halo_id)] = exc.message

    creates.settle(eng, "item", actions, entry_ids, outcomes, created=created, failed=failed)


def apply(eng: SyncEngine, plan: Plan) -> None:
    ctx = eng.ctx
    assert ctx is not None
    codes: dict[str, str] = {}
    creates = plan.of("item", op="create")
    for start in range(0, len(creates), eng.batch_size):
        eng.progress("items", start, len(creates))
        _create_batch(eng, creates[start:start + eng.batch_size], codes)
    for action in plan.of("item", op="match") + plan.of("item", op="link"):
        found = action.extra
        try:
            eng.store.link("item", action.halo_id, found.ref or found.code, number=found.code)
        except HaloAccountsError as exc:  # store.link_conflict: another Halo item has this package item
            ctx.product_refs.pop(int(action.halo_id), None)
            ctx.product_problems[int(action.halo_id)] = exc.message
            action.op = "hold"
            eng.hold_now("item", action.halo_id, action.label, Problem(
                exc.code, stored_message=exc.message, stored_fix=exc.fix))
            continue
        codes[action.halo_id] = found.code
        eng.release("item", action.halo_id)
        eng.report.bump("item", "matched")
    for action in plan.of("item", op="writeback"):
        codes[action.halo_id] = str(action.extra)
    rows = []
    labels = {}
    for action in plan.actions:
        if action.kind == "item" and action.op in ("create", "match", "writeback") and action.halo_id in codes:
            code = codes[action.halo_id]
            rows.append(("item", action.halo_id, code, {"id": int(action.halo_id), "accountsid": code}))
            labels[action.halo_id] = action.label
    for start in range(0, len(rows), WRITE_BACK_CHUNK):
        saved = eng.halo_save("Item", "set_accountsid", rows[start:start + WRITE_BACK_CHUNK], labels)
        eng.report.bump("item", "written_back", len(saved))
    eng.progress("items", len(creates), len(creates))


def import_items(eng: SyncEngine) -> list[str]:
    """Copy the package's items that Halo lacks into Halo (matched by Accounts ID, then name); their codes."""
    from halo_accounts.sync.context import build_tax_map

    store = eng.store
    eng.run_id = store.start_run("import items", {})
    created: list[str] = []
    status = "failed"
    try:
        halo_items = list(eng.halo.items())
        by_acc = {f.text(i, "accountsid").casefold(): i for i in halo_items if f.text(i, "accountsid")}
        by_name = {clean(f.get(i, "name", "")).casefold(): i for i in halo_items}
        with store.transaction():
            for entry in store.unconfirmed("halo"):
                if entry.kind == "item" and entry.action == "import":
                    store.journal_reconciled(entry.id, found=entry.key.casefold() in by_acc)
        taxes = {int(f.get(t, "id")): t for t in eng.halo.taxes()}
        codes = {c.code: c for c in eng.ledger.tax_codes()}
        tax_map = build_tax_map({lk.halo_id: lk.ledger_ref for lk in store.links("tax")}, taxes, codes)
        reverse = {code: tid for tid, code in sorted(tax_map.items(), reverse=True)}
        rows = []
        for product in eng.ledger.products():
            existing = by_acc.get(product.code.casefold()) or by_name.get(product.code.casefold())
            if existing is not None:
                if not store.get_link("item", str(f.get(existing, "id"))):
                    store.link("item", str(f.get(existing, "id")), product.ref or product.code, number=product.code)
                continue
            if not product.active:
                continue
            row: dict[str, Any] = {"name": product.code, "description": product.description or product.code,
                                   "baseprice": float(product.price), "accountsid": product.code,
                                   "nominalcode": product.income_account}
            if product.tax_code in reverse:
                row["taxcode"] = reverse[product.tax_code]
            rows.append(("item", "new", product.code, row, product))
        for start in range(0, len(rows), eng.batch_size):
            chunk = rows[start:start + eng.batch_size]
            saved = eng.halo_save("Item", "import", [r[:4] for r in chunk], {})
            refs = {r[2]: r[4] for r in chunk}
            for row, answer in saved:
                if answer.get("id"):
                    product = refs[row[2]]
                    store.link("item", str(answer["id"]), product.ref or product.code, number=product.code)
                    created.append(row[2])
        status = "ok"
        return created
    finally:
        store.finish_run(eng.run_id, status, {"item.imported": len(created)})
