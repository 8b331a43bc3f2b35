"""Project-wide rules, checked over the source: product code never imports a sandbox, every message code it
raises is in the catalogue, and no module reads the shared reference folder at run time."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from halo_accounts.messages import catalogue

SRC = Path(__file__).resolve().parents[1] / "src" / "halo_accounts"

#: Only these may import `halo_accounts.sandbox`: the sandboxes themselves and the commands that start them.
SANDBOX_USERS = ("sandbox/", "cli/demo", "cli/sandbox")


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _imports(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_product_code_never_imports_a_sandbox() -> None:
    offenders = []
    for path in _modules():
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(SANDBOX_USERS):
            continue
        for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if name.startswith("halo_accounts.sandbox"):
                offenders.append(f"{rel} imports {name}")
    assert not offenders, offenders


def test_every_module_says_why_it_exists() -> None:
    missing = [
        path.relative_to(SRC).as_posix()
        for path in _modules()
        if path.stat().st_size and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not missing, missing


_CODE_CALL = re.compile(r"""(?:Error|Rejected|Unavailable|Exception)\(\s*["']([a-z0-9_]+\.[a-z0-9_.]+)["']""")


def test_every_raised_message_code_is_in_the_catalogue() -> None:
    known = set(catalogue())
    unknown = []
    for path in _modules():
        for code in _CODE_CALL.findall(path.read_text(encoding="utf-8")):
            if code not in known:
                unknown.append(f"{path.relative_to(SRC).as_posix()}: {code}")
    assert not unknown, unknown


_SHARED_PATH = re.compile(r"""["']shared["']\s*/\s*["']reference|["'][^"'\n]*\.\./shared""")


def test_no_run_time_reads_of_the_shared_reference() -> None:
    offenders = [
        path.relative_to(SRC).as_posix()
        for path in _modules()
        if _SHARED_PATH.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


@pytest.mark.parametrize("code", sorted(catalogue()))
def test_catalogue_placeholders_are_plain_names(code: str) -> None:
    for name in catalogue()[code].placeholders():
        assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), f"{code}: odd placeholder {{{name}}}"
