"""Runs: each sync (or other command that writes) with its options, outcome and counts."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from halo_accounts.store.core import StoreBase
from halo_accounts.store.redact import redact

FINAL_STATUSES = ("ok", "held", "failed", "interrupted")
RUNNING = "running"


@dataclass(frozen=True)
class Run:
    """One run; ``finished`` is None and ``status`` "running" until ``finish_run`` (or after a crash)."""

    id: int
    command: str
    started: str
    finished: str | None
    status: str
    counts: dict[str, int]
    options: dict[str, Any]


def _run(row: sqlite3.Row) -> Run:
    return Run(
        row["id"],
        row["command"],
        row["started"],
        row["finished"],
        row["status"],
        json.loads(row["counts"]),
        json.loads(row["options"]),
    )


class RunsMixin(StoreBase):
    def start_run(self, command: str, options: dict[str, Any]) -> int:
        """Record that ``command`` started with ``options`` (kept as JSON, secrets redacted); its run id."""
        text = redact(json.dumps(options, sort_keys=True, default=str))
        with self.transaction(durable=False):
            cur = self._execute(
                "INSERT INTO runs (command, options, started) VALUES (?, ?, ?)", (command, text, self.now())
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        """Record how run ``run_id`` ended: ``status`` is one of "ok", "held", "failed", "interrupted"."""
        if status not in FINAL_STATUSES:
            raise ValueError(f"run status must be one of {FINAL_STATUSES}, not {status!r}")
        with self.transaction(durable=False):
            cur = self._execute(
                "UPDATE runs SET finished = ?, status = ?, counts = ? WHERE id = ?",
                (self.now(), status, json.dumps({str(k): int(v) for k, v in counts.items()}), run_id),
            )
            if cur.rowcount != 1:
                raise ValueError(f"no run {run_id}")

    def runs(self, limit: int = 10) -> list[Run]:
        """The latest ``limit`` runs, newest first."""
        return [_run(r) for r in self._rows("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (int(limit),))]

    def get_run(self, run_id: int) -> Run | None:
        rows = self._rows("SELECT * FROM runs WHERE id = ?", (run_id,))
        return _run(rows[0]) if rows else None
