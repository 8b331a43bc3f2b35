"""The accounting packages this program serves: one line each. Adding a package is adding its folder under
`ledgers/` (whose `__init__` exports a `Package`) and its line here."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from halo_accounts.ledgers.package import Package

KINDS: tuple[str, ...] = (
    "quickbooks",
    "sage50uk",
    "sage50ca",
)


@cache
def packages() -> tuple[Package, ...]:
    """Every package, in the order above."""
    out = []
    for kind in KINDS:
        package = import_module(f"halo_accounts.ledgers.{kind}").PACKAGE
        if package.kind != kind:
            raise RuntimeError(f"ledgers/{kind} describes itself as {package.kind!r}")
        out.append(package)
    return tuple(out)


def get(kind: str) -> Package | None:
    """The package of ``kind``, or None when no folder serves it."""
    return next((p for p in packages() if p.kind == kind), None)


def names() -> str:
    """The packages' names for help text ("QuickBooks Desktop, Sage 50 UK")."""
    return ", ".join(p.display_name for p in packages())
