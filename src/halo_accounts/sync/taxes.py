"""Tax rates: the package's tax codes copied into Halo `/api/Tax` (an admin-scoped application is needed),
then a 1:1 map Halo tax id <-> package code kept in the store (links of kind "tax")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.halo.errors import HaloPermissionError
from halo_accounts.sync import fields as f
from halo_accounts.sync.context import build_tax_map, tax_candidates
from halo_accounts.sync.limits import limits_for

if TYPE_CHECKING:
    from halo_accounts.sync.engine import SyncEngine


@dataclass
class TaxImport:
    created: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    proposed: list[tuple[int, str, str]] = field(default_factory=list)
    """(Halo tax id, Halo name, package code): same rate, different name; not linked, not created - the user
    confirms with `halo-accounts map tax ID CODE`."""
    mapping: dict[str, str] = field(default_factory=dict)
    """Halo tax id -> package code, after the import."""


def import_taxes(eng: SyncEngine) -> TaxImport:
    """Copy into Halo only the package's tax codes it lacks, and map them (issue 8.8).

    A package code is matched to an existing Halo tax by code or third-party id, else by rate and name (linked);
    a Halo tax with the same rate but another name is proposed, never duplicated; only a code no Halo tax has the
    rate of is created."""
    store = eng.store
    result = TaxImport()
    eng.run_id = store.start_run("import tax", {})
    status = "failed"
    try:
        codes = eng.ledger.tax_codes()
        halo_taxes = list(eng.halo.taxes())
        by_code = {f.text(t, "code").casefold(): t for t in halo_taxes if f.text(t, "code")}
        by_tp = {f.text(t, "third_party_id").casefold(): t for t in halo_taxes if f.text(t, "third_party_id")}
        with store.transaction():
            for entry in store.unconfirmed("halo"):
                if entry.kind == "tax":
                    store.journal_reconciled(entry.id, found=entry.key.casefold() in by_code)
        rows: list[tuple[str, str, str, dict[str, Any]]] = []
        linked = {link.ledger_ref.casefold() for link in store.links("tax")}
        used = {link.halo_id for link in store.links("tax")}  # Halo taxes mapped already
        leftover: list[Any] = []
        for code in codes:
            if code.code.casefold() in linked:  # mapped already (`map tax`, an earlier import): not created twice
                result.matched.append(code.code)
                continue
            existing = by_code.get(code.code.casefold()) or (by_tp.get(code.ledger_id.casefold())
                                                             if code.ledger_id else None)
            if existing is not None and str(f.get(existing, "id")) not in used:
                store.link("tax", str(f.get(existing, "id")), code.code, number=code.code)
                used.add(str(f.get(existing, "id")))
                result.matched.append(code.code)
                continue
            free = [t for t in halo_taxes if str(f.get(t, "id")) not in used]
            by_rate = [t for t in free if tax_candidates(t, [code])[0]]
            named = [t for t in by_rate if tax_candidates(t, [code])[1]]
            if len(named) == 1:  # same rate and name: the same tax, linked
                store.link("tax", str(f.get(named[0], "id")), code.code, number=code.code)
                used.add(str(f.get(named[0], "id")))
                result.matched.append(code.code)
                continue
            leftover.append(code)
        for code in leftover:  # after every 1:1 match above has taken its Halo tax
            free = [t for t in halo_taxes if str(f.get(t, "id")) not in used]
            by_rate = [t for t in free if tax_candidates(t, [code])[0]]
            if by_rate:  # Halo has this rate under another name (or twice): proposed, never duplicated
                for tax in by_rate:
                    result.proposed.append((int(f.get(tax, "id")), f.text(tax, "name"), code.code))
                continue
            # 100: [?] Halo's Tax.name length is not in the spec; a generous cut
            rows.append(("tax", "new", code.code, {
                "name": (code.name or code.code)[:100], "code": code.code, "value": float(code.rate),
                "third_party_id": code.ledger_id or code.code, "third_party_desc": code.name}))
        if rows:
            try:
                saved = eng.halo_save("Tax", "create", rows, {})
            except HaloPermissionError:
                raise HaloAccountsError("sync.tax_import_needs_admin") from None
            for row, answer in saved:
                tax_id = answer.get("id")
                if tax_id:
                    store.link("tax", str(tax_id), row[2], number=row[2])
                    result.created.append(row[2])
        result.mapping = {link.halo_id: link.ledger_ref for link in store.links("tax")}
        status = "ok"
        return result
    finally:
        store.finish_run(eng.run_id, status, {"tax.created": len(result.created), "tax.matched": len(result.matched)})


def map_tax(eng: SyncEngine, halo_tax_id: int, ledger_code: str) -> str:
    """Point Halo tax ``halo_tax_id`` at the package's ``ledger_code`` (checked against both); the code."""
    taxes = {int(f.get(t, "id")): t for t in eng.halo.taxes()}
    if halo_tax_id not in taxes:
        raise HaloAccountsError("sync.map_tax_unknown_halo", tax_id=halo_tax_id,
                                ids=", ".join(f"{i} ({f.text(t, 'name')})" for i, t in sorted(taxes.items())))
    if eng.ledger is None:  # Web Connector: the package is checked at the next update (unknown codes are held)
        code = ledger_code.strip()
        eng.store.link("tax", str(halo_tax_id), code, number=code)
        return code
    codes = eng.ledger.tax_codes()
    wanted = ledger_code.strip().casefold()
    match = next((c for c in codes if c.code.casefold() == wanted), None) or next(
        (c for c in codes if c.name.casefold() == wanted or (c.ledger_id and c.ledger_id.casefold() == wanted)), None)
    if match is None:
        package = limits_for(eng.ledger.info().kind).package  # the name only
        raise HaloAccountsError("sync.map_tax_unknown_code", ledger=package, tax_code=ledger_code,
                                codes=", ".join(sorted(c.code for c in codes)) or "(none)")
    eng.store.link("tax", str(halo_tax_id), match.code, number=match.code)
    return match.code


def current_map(eng: SyncEngine) -> list[tuple[int, str, str]]:
    """(Halo tax id, Halo name, package code or "") for every Halo tax."""
    taxes = {int(f.get(t, "id")): t for t in eng.halo.taxes()}
    codes = {c.code: c for c in eng.ledger.tax_codes()}
    links = {link.halo_id: link.ledger_ref for link in eng.store.links("tax")}
    mapping = build_tax_map(links, taxes, codes)
    return [(tid, f.text(t, "name"), mapping.get(tid, "")) for tid, t in sorted(taxes.items())]
