"""What a run did, for people (a rich summary) and machines (JSON): counts per kind, held and skipped
records with their reasons and fixes, and the actions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from halo_accounts.sync.plan import Plan

#: Count names shown per kind, in this order.
COUNTS = ("created", "matched", "posted", "written_back", "paid", "reconciled", "skipped", "held")


@dataclass
class Entry:
    kind: str
    halo_id: str
    label: str
    code: str
    message: str
    fix: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "halo_id": self.halo_id, "label": self.label, "code": self.code,
                "message": self.message, "fix": self.fix}


@dataclass
class RunReport:
    """The outcome of one run (or of a dry run: what it would do)."""

    status: str = "ok"
    """ok | held | interrupted | failed (``dry-run`` for a plan only)."""
    dry_run: bool = False
    run_id: int | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    held: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    """Things the user should know about this run that hold nothing back (each said once)."""
    plan: Plan | None = None
    halo_requests: int = 0

    def bump(self, kind: str, what: str, n: int = 1) -> None:
        per = self.counts.setdefault(kind, {})
        per[what] = per.get(what, 0) + n

    def count(self, kind: str, what: str) -> int:
        return self.counts.get(kind, {}).get(what, 0)

    def flat_counts(self) -> dict[str, int]:
        """``{"invoice.posted": 3, ...}`` for the store's run record."""
        return {f"{kind}.{what}": n for kind, per in sorted(self.counts.items()) for what, n in per.items() if n}

    @property
    def actions(self) -> list[Any]:
        return self.plan.actions if self.plan is not None else []

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "dry_run": self.dry_run,
            "run_id": self.run_id,
            "counts": self.counts,
            "held": [h.as_dict() for h in self.held],
            "skipped": [s.as_dict() for s in self.skipped],
            "errors": list(self.errors),
            "notices": list(self.notices),
            "halo_requests": self.halo_requests,
            "plan": self.plan.as_dict() if self.plan is not None else None,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, default=str)


def render(report: RunReport, console: Console, *, show_checks: bool = False) -> None:
    """A human summary: the plan (dry run) or counts, then held and skipped records with their fixes."""
    if report.plan is not None and report.dry_run:
        for note in report.plan.notes:
            console.print(f"[dim]{escape(note)}[/]")
        table = Table(title="Plan (dry run: nothing was written)", show_lines=show_checks)
        for col in ("Action", "Record", "Checks"):
            table.add_column(col)
        for action in report.plan.actions:
            checks = "\n".join(f"{'ok ' if c.ok else 'NO '} {c.name}: {c.detail}" for c in action.checks)
            if action.problem is not None:
                checks = (checks + "\n" if checks else "") + action.problem.message
            table.add_row(f"{action.op} {action.kind}", action.label, checks)
        console.print(table)
    if report.counts:
        table = Table(title="Counts")
        table.add_column("Kind")
        for name in COUNTS:
            table.add_column(name.replace("_", " "), justify="right")
        for kind, per in report.counts.items():
            table.add_row(kind, *(str(per.get(name, 0) or "") for name in COUNTS))
        console.print(table)
    for entry in report.held:
        console.print(f"[bold yellow]Held[/] {escape(entry.label)}: {escape(entry.message)}")
        if entry.fix:
            console.print(f"      [bold]Fix:[/] {escape(entry.fix)}")
    for entry in report.skipped:
        console.print(f"[cyan]Skipped[/] {escape(entry.label)}: {escape(entry.message)}")
    for notice in report.notices:
        console.print(f"[bold]Note:[/] {escape(notice)}")
    for error in report.errors:
        console.print(f"[bold red]Stopped:[/] {escape(error)}")
    console.print(f"Status: [bold]{report.status}[/]")
