"""Checks a Halo sandbox seed and reports the first bad field by its JSON path.

A seed is one JSON object (keys in `conventions.SEED_KEYS` plus `control` and `applications`),
Halo's own field names; a missing key means none of those records.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.sandbox.halo import conventions, schemas

TOP_KEYS = frozenset({*conventions.SEED_KEYS, "control", "applications", "options"})


def _fail(path: str, detail: str) -> HaloAccountsError:
    return HaloAccountsError("sandbox.seed_invalid", path=path or "(top level)", detail=detail)


def load_file(path: Path) -> dict[str, Any]:
    """Read and check a seed file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HaloAccountsError("sandbox.seed_unreadable", path=path, detail=str(exc)) from None
    return validate(data)


def _check_applications(apps: Any) -> None:
    if not isinstance(apps, list):
        raise _fail("applications", "expected a list")
    for i, app in enumerate(apps):
        where = f"applications[{i}]"
        if not isinstance(app, dict):
            raise _fail(where, "expected an object")
        for key in ("client_id", "client_secret"):
            if not isinstance(app.get(key), str) or not app[key]:
                raise _fail(f"{where}.{key}", "expected non-empty text")
        scopes = app.get("scopes", ["all"])
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise _fail(f"{where}.scopes", "expected a list of scope names such as \"all\", \"read:invoices\"")


def validate(seed: Any) -> dict[str, Any]:
    """``seed`` unchanged if it is a valid seed; else `HaloAccountsError` ``sandbox.seed_invalid`` naming the path."""
    if not isinstance(seed, dict):
        raise _fail("", "expected a JSON object with keys such as 'clients', 'items', 'invoices'")
    for key in seed:
        if key not in TOP_KEYS:
            raise _fail(str(key), f"unknown key (expected one of {', '.join(sorted(TOP_KEYS))})")
    _check_applications(seed.get("applications", []))
    _check_options(seed.get("options", {}))
    control = seed.get("control", {})
    if not isinstance(control, dict):
        raise _fail("control", "expected an object")
    _raise_first(schemas.check("Control", control, "control", strict=True))
    ids: dict[str, set[int]] = {}
    for key, entity in conventions.SEED_KEYS.items():
        rows = seed.get(key, [])
        if not isinstance(rows, list):
            raise _fail(key, "expected a list")
        seen: set[int] = set()
        for i, row in enumerate(rows):
            where = f"{key}[{i}]"
            if not isinstance(row, dict):
                raise _fail(where, "expected an object")
            rid = row.get("id")
            if rid is not None:
                if isinstance(rid, bool) or not isinstance(rid, int) or rid <= 0:
                    raise _fail(f"{where}.id", "expected a whole number above 0")
                if rid in seen:
                    raise _fail(f"{where}.id", f"id {rid} is used twice")
                seen.add(rid)
            _raise_first(schemas.check(conventions.SCHEMA_OF[entity], row, where, strict=True))
        ids[key] = seen
    _check_references(seed, ids)
    return seed


def _check_options(options: Any) -> None:
    if not isinstance(options, dict):
        raise _fail("options", "expected an object")
    for key, value in options.items():
        if key not in conventions.SEED_OPTIONS:
            known = ", ".join(sorted(conventions.SEED_OPTIONS))
            raise _fail(f"options.{key}", f"unknown option (expected one of {known})")
        if key == "control_admin_only" and not isinstance(value, bool):
            raise _fail("options.control_admin_only", "expected true or false")
        if key == "list_omits":
            if not isinstance(value, dict):
                raise _fail("options.list_omits", "expected an object such as {\"invoices\": [\"requires_approval\"]}")
            for seed_key, fields in value.items():
                if seed_key not in conventions.SEED_KEYS:
                    raise _fail(f"options.list_omits.{seed_key}", "unknown seed key")
                if not isinstance(fields, list) or not all(isinstance(x, str) for x in fields):
                    raise _fail(f"options.list_omits.{seed_key}", "expected a list of field names")


def _raise_first(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise _fail(*problems[0])


def _check_references(seed: dict[str, Any], ids: dict[str, set[int]]) -> None:
    for key, field, target in (
        ("sites", "client_id", "clients"),
        ("invoices", "client_id", "clients"),
        ("payments", "invoice_id", "invoices"),
    ):
        for i, row in enumerate(seed.get(key, [])):
            ref = row.get(field)
            if ref is None and key != "sites":
                raise _fail(f"{key}[{i}].{field}", f"missing (every {key[:-1]} belongs to one of '{target}')")
            if ref is not None and int(ref) not in ids[target]:
                raise _fail(f"{key}[{i}].{field}", f"no {target[:-1]} with id {ref} in '{target}'")
    for i, inv in enumerate(seed.get("invoices", [])):
        for j, line in enumerate(inv.get("lines") or []):
            item = line.get("_itemid")
            if item is not None and int(item) > 0 and int(item) not in ids["items"]:
                raise _fail(f"invoices[{i}].lines[{j}]._itemid", f"no item with id {item} in 'items'")
            code = line.get("tax_code")
            if ids["taxes"] and code not in (None, "", "0", "-1", 0, -1):
                if not str(code).strip().lstrip("-").isdigit() or int(str(code)) not in ids["taxes"]:
                    raise _fail(f"invoices[{i}].lines[{j}].tax_code", f"no tax with id {code} in 'taxes'")
