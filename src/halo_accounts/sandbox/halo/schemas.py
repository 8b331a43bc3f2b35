"""Type checks of Halo request bodies and seeds against the OpenAPI field types (package data file).

Two modes: ``strict`` (seeds: a number must be a JSON number) and lenient (POST bodies: Newtonsoft's
conversions, see `conventions.VALIDATION_STATUS`). Unknown fields pass, as they do on a real tenant.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

_KIND = re.compile(r"^(?P<base>[a-z:A-Z_-]+)(?P<null>\?)?(?:<=(?P<max>\d+))?$")


@cache
def schemas() -> dict[str, dict[str, str]]:
    """The extracted schema subset: ``{schema: {field: kind}}``."""
    text = resources.files("halo_accounts.sandbox.halo").joinpath("halo_schemas.json").read_text(encoding="utf-8")
    return dict(json.loads(text)["schemas"])


Kind = tuple[str, bool, int]  # (base type, nullable, max length or 0)


def _parse(kind: str) -> Kind:
    m = _KIND.match(kind)
    if m is None:  # pragma: no cover - the data file is generated
        return ("object", True, 0)
    return (m["base"], bool(m["null"]), int(m["max"] or 0))


@cache
def _compiled() -> dict[str, dict[str, Kind]]:
    return {name: {f: _parse(k) for f, k in fields.items()} for name, fields in schemas().items()}


def _number_text(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _describe(value: Any) -> str:
    return json.dumps(value)[:40]


def _check_value(kind: Kind, value: Any, path: str, strict: bool, out: list[tuple[str, str]]) -> None:
    base, nullable, maxlen = kind
    if value is None:
        if not nullable and not strict:
            out.append((path, f"Error converting value {{null}} to type '{base}'. Path '{path}'."))
        return
    if base.startswith("ref:"):
        if not isinstance(value, dict):
            out.append((path, "expected an object" if strict else f"Unexpected value for an object. Path '{path}'."))
        else:
            check(base[4:], value, path, strict=strict, out=out)
        return
    if base.startswith("array"):
        if not isinstance(value, list):
            problem = "expected a list" if strict else f"Cannot deserialize the value into an array. Path '{path}'."
            out.append((path, problem))
            return
        inner = base.partition(":")[2] or "object"
        for i, item in enumerate(value):
            if inner in schemas():
                if isinstance(item, dict):
                    check(inner, item, f"{path}[{i}]", strict=strict, out=out)
                else:
                    out.append((f"{path}[{i}]", "expected an object"))
            else:
                _check_value((inner, True, 0), item, f"{path}[{i}]", strict, out)
        return
    problem = _primitive_problem(base, value, strict)
    if problem:
        out.append((path, problem if strict else f"{problem}: {_describe(value)}. Path '{path}'."))
    elif maxlen and isinstance(value, str) and len(value) > maxlen:
        out.append((path, f"longer than {maxlen} characters"))


def _primitive_problem(base: str, value: Any, strict: bool) -> str:
    """'' when ``value`` fits ``base``; else what was expected."""
    if base == "object":
        return "" if isinstance(value, dict) else "expected an object"
    if isinstance(value, dict | list):
        return f"expected {'a number' if base in ('integer', 'number') else 'a ' + base}"
    if base == "boolean":
        if isinstance(value, bool) or (not strict and isinstance(value, str) and value.lower() in ("true", "false")):
            return ""
        return "expected true or false" if strict else "Could not convert to boolean"
    if base == "integer":
        if isinstance(value, bool):
            return "expected a whole number" if strict else "Could not convert to integer"
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            return ""
        if not strict and isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            return ""
        return "expected a whole number" if strict else "Could not convert to integer"
    if base == "number":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return ""
        if not strict and isinstance(value, str) and _number_text(value):
            return ""
        return "expected a number" if strict else "Could not convert to double"
    # string, date-time, uuid: Newtonsoft turns any primitive into a string [?]
    if isinstance(value, str):
        return ""
    if strict:
        return "expected text"
    return ""


def check(
    schema: str, obj: dict[str, Any], path: str = "", *, strict: bool = False, out: list[tuple[str, str]] | None = None
) -> list[tuple[str, str]]:
    """Problems ``[(field path, message)]`` of ``obj`` against ``schema``; fields the schema lacks are ignored."""
    problems: list[tuple[str, str]] = [] if out is None else out
    fields = _compiled()[schema]
    for name, value in obj.items():
        kind = fields.get(name)
        if kind is not None:
            _check_value(kind, value, f"{path}.{name}" if path else name, strict, problems)
    return problems


def validation_body(problems: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The ASP.NET-style 400 body: ``{"[0].name": ["..."]}`` (halo/NOTES.md §11)."""
    body: dict[str, list[str]] = {}
    for path, message in problems:
        body.setdefault(path, []).append(message)
    return body
