"""What the console pages show, read from the store (and Halo where a page needs it): pure functions of their
inputs, so they are tested without a browser."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from halo_accounts.sync.engine import LAST_PROBLEM, NEXT_RUN
from halo_accounts.sync.held_groups import HeldGroup, held_groups
from halo_accounts.sync.serve import WEBCONNECTOR_SEEN

__all__ = ["HeldGroup", "held_groups"]  # when the Web Connector last started an update


def _seconds(run: Any) -> float | None:
    if not run.finished:
        return None
    try:
        return (datetime.fromisoformat(run.finished.replace("Z", "+00:00"))
                - datetime.fromisoformat(run.started.replace("Z", "+00:00"))).total_seconds()
    except ValueError:
        return None


@dataclass
class RunRow:
    id: int
    command: str
    started: str
    status: str
    seconds: float | None
    halo_requests: int
    counts: dict[str, int]


def run_rows(runs: list[Any]) -> list[RunRow]:
    return [RunRow(r.id, r.command, r.started, r.status, _seconds(r), int(r.counts.get("halo.requests", 0)),
                   {k: v for k, v in r.counts.items() if k != "halo.requests" and v}) for r in runs]


@dataclass
class Health:
    last_ok: str
    last_run: str
    last_status: str
    webconnector_seen: str
    next_run: str
    halo_requests: int
    paused: bool
    problems: list[str]


def health(store: Any, *, paused: bool) -> Health:
    runs = store.runs(50)
    ok = next((r for r in runs if r.status in ("ok", "held") and r.finished), None)
    last = runs[0] if runs else None

    problems = []
    unreachable = store.get_cursor(LAST_PROBLEM) or ""
    if unreachable:
        problems.append(f"The last run stopped: {unreachable}")
    elif last is not None and last.status in ("failed", "interrupted"):
        problems.append(f"The last run ({last.command}, {last.started}) ended '{last.status}': see Runs.")
    return Health(last_ok=ok.finished or "" if ok else "", last_run=last.started if last else "",
                  last_status=last.status if last else "", webconnector_seen=store.get_cursor(WEBCONNECTOR_SEEN) or "",
                  next_run=store.get_cursor(NEXT_RUN) or "",
                  halo_requests=int(last.counts.get("halo.requests", 0)) if last else 0, paused=paused,
                  problems=problems)


def audit_rows(store: Any, query: str = "", limit: int = 500) -> list[Any]:
    """Journal entries (every write, with request and response) matching ``query`` in the key, the Halo id, the
    package's reference or the request, newest first."""
    wanted = query.strip().casefold()
    out = []
    for entry in store.journal_entries():
        if wanted and not any(wanted in str(v).casefold() for v in (entry.key, entry.halo_id, entry.number,
                                                                       entry.ledger_ref, entry.request)):
            continue
        out.append(entry)
    return list(reversed(out))[:limit]


AUDIT_COLUMNS = ("id", "run_id", "target", "action", "kind", "halo_id", "key", "state", "ledger_ref", "number",
                 "request", "response")


def audit_csv(entries: list[Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(AUDIT_COLUMNS)
    for e in entries:
        writer.writerow([getattr(e, c, "") for c in AUDIT_COLUMNS])
    return buf.getvalue()
