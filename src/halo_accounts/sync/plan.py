"""The plan of one run: every action with its pre-flight checks, in the order it will be applied.

A plan is data: `sync --dry-run` prints it, `--json` serialises it, `apply` carries it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from halo_accounts.sync.preflight import Check, Problem

#: Record kinds in the order a run handles them, and the `--only` names that select them.
KINDS = ("customers", "items", "invoices", "payments")
KIND_OF_ONLY = {"customers": ("customer",), "items": ("item",), "invoices": ("invoice", "credit"),
                "payments": ("payment",)}

#: Records written back to Halo per POST: the Halo client's chunk (halo/client.py SAVE_CHUNK), so small
#: package batches do not multiply Halo requests. A crash between the package and Halo leaves at most this
#: many write-backs to redo (the package side is reconciled, never re-posted).
WRITE_BACK_CHUNK = 100

#: What an action does. "hold" and "skip" do nothing but are reported.
OPS = ("create", "match", "link", "writeback", "post", "pay", "reconcile", "skip", "hold")


@dataclass
class Action:
    kind: str
    """customer | item | invoice | credit | payment."""
    op: str
    halo_id: str
    label: str
    checks: list[Check] = field(default_factory=list)
    problem: Problem | None = None
    """Why it is held (op "hold") or skipped by a Halo setting (op "skip")."""
    detail: dict[str, Any] = field(default_factory=dict)
    """JSON-able facts shown with the action (reference matched, number, amount...)."""
    source: Any = field(default=None, repr=False, compare=False)
    """The Halo (or package) record acted on; not serialised."""
    extra: Any = field(default=None, repr=False, compare=False)
    """What apply needs besides the source (the record to create, the resolved lines); not serialised."""
    sticky: bool = False
    """A hold that stays until `retry` (the package refused it, or it drifted), not re-checked each run."""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.halo_id}"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "op": self.op, "halo_id": self.halo_id, "label": self.label,
                               "checks": [c.as_dict() for c in self.checks], "detail": self.detail}
        if self.problem is not None:
            out.update(code=self.problem.code, message=self.problem.message, fix=self.problem.fix)
        return out


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    only: tuple[str, ...] = KINDS
    notes: list[str] = field(default_factory=list)
    """Facts about the run shown above the actions (numbering policy, settings read)."""
    context: Any = field(default=None, repr=False)
    wanted_clients: set[int | None] = field(default_factory=set, repr=False)
    """Halo clients with invoices to post in this run (an inactive one is pushed only then)."""

    def of(self, *kinds: str, op: str | None = None) -> list[Action]:
        return [a for a in self.actions if a.kind in kinds and (op is None or a.op == op)]

    def add(self, action: Action) -> Action:
        self.actions.append(action)
        return action

    def as_dict(self) -> dict[str, Any]:
        return {"only": list(self.only), "notes": list(self.notes), "actions": [a.as_dict() for a in self.actions]}


def parse_only(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``--only customers,invoices`` as kinds in run order; all kinds when empty."""
    from halo_accounts.errors import HaloAccountsError

    if not value:
        return KINDS
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in str(v).split(",")]
    wanted = {p.strip().lower() for p in parts if p.strip()}
    aliases = {k[:-1]: k for k in KINDS} | {"credits": "invoices", "credit": "invoices"}
    chosen: set[str] = set()
    for name in wanted:
        kind = name if name in KINDS else aliases.get(name)
        if kind is None:
            raise HaloAccountsError("sync.only_invalid", value=name, choices=", ".join(KINDS))
        chosen.add(kind)
    return tuple(k for k in KINDS if k in chosen) or KINDS
