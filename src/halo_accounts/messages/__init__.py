"""The one catalogue of user-facing messages: every error a user can meet, with its fix.

Each area keeps its entries in a module of this package (``halo``, ``config``, ``quickbooks``,
``sage``, ``sync``, ``webconnector``); they are merged here so that a code is looked up in one place
and the test suite can check that every code is unique and every placeholder is filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter


@dataclass(frozen=True)
class Message:
    """A catalogue entry: what went wrong and what the user should do about it."""

    code: str
    text: str
    fix: str = ""

    def placeholders(self) -> set[str]:
        names: set[str] = set()
        for part in (self.text, self.fix):
            names.update(f for _, f, _, _ in Formatter().parse(part) if f)
        return names


def _collect() -> dict[str, Message]:
    from halo_accounts.ledgers import registry
    from halo_accounts.messages import config, halo, quickbooks, sage, sandbox, sync, webconnector

    catalogue: dict[str, Message] = {}
    entries = [entry for module in (config, halo, quickbooks, sage, sandbox, sync, webconnector)
               for entry in module.MESSAGES]
    entries += [entry for package in registry.packages() for entry in package.messages]  # each package's own
    for entry in entries:
        if entry.code in catalogue:
            raise RuntimeError(f"message code {entry.code!r} defined twice")
        catalogue[entry.code] = entry
    return catalogue


_CATALOGUE: dict[str, Message] | None = None


def catalogue() -> dict[str, Message]:
    """All messages by code."""
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = _collect()
    return _CATALOGUE


class _Safe(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(code: str, **params: object) -> tuple[str, str]:
    """The text and fix of message ``code`` with ``params`` filled in."""
    entry = catalogue()[code]
    values = _Safe(params)
    return entry.text.format_map(values), entry.fix.format_map(values)
