"""Held records grouped by cause (the message code and its fix): "4 invoices held: Map it: halo-accounts map tax 1 S",
one fix for the group. Shared by `halo-accounts status` and the console's Held page."""

from __future__ import annotations

from dataclasses import dataclass, field

from halo_accounts.store.held import Held


@dataclass
class HeldGroup:
    """Held records that wait for the same fix."""

    code: str
    fix: str
    kind: str
    records: list[Held] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.code}|{self.fix}"

    @property
    def title(self) -> str:
        n = len(self.records)
        nouns = {"invoice": ("invoice", "invoices"), "credit": ("credit note", "credit notes"),
                 "customer": ("customer", "customers"), "item": ("item", "items"), "payment": ("payment", "payments")}
        one, many = nouns.get(self.kind, (f"{self.kind} record", f"{self.kind} records"))
        return f"{n} {one if n == 1 else many} held"


def held_groups(held: list[Held]) -> list[HeldGroup]:
    """Held records grouped by cause (the message code and its fix), biggest group first."""
    groups: dict[tuple[str, str, str], HeldGroup] = {}
    for h in held:
        key = (h.kind, h.code, h.fix)
        groups.setdefault(key, HeldGroup(h.code, h.fix, h.kind)).records.append(h)
    return sorted(groups.values(), key=lambda g: (-len(g.records), g.kind, g.code))


def matching(held: list[Held], *, kind: str = "", code: str = "", text: str = "") -> list[Held]:
    """The held records of ``kind`` (invoice/credit/customer/item/payment), with message ``code``, or whose message,
    fix or Halo id contains ``text``."""
    wanted = text.casefold()
    return [h for h in held if (not kind or h.kind == kind) and (not code or h.code == code)
            and (not wanted or any(wanted in v.casefold() for v in (h.message, h.fix, h.halo_id, h.detail)))]
