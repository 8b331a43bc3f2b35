"""Lines said once per run summary and in `status` when the held records share one cause the user should fix
first (issue 8.8: the tax map comes before anything posts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from halo_accounts.messages import render

#: The store cursor that keeps the last run's shortened-text notice for `status`.
SHORTENED_CURSOR = "last_run.shortened"
#: What preflight writes on a text check whose value the package's builder shortens (sync/preflight.py).
SHORTENED_MARK = "(shortened when sent)"
#: At most this many records named in the notice (our choice; the count is always given).
NAMED_AT_MOST = 10


def from_held(codes: Iterable[str]) -> list[str]:
    """The notices the held records' codes call for, each once."""
    unmapped = sum(1 for code in codes if code == "sync.tax_unmapped")
    if not unmapped:
        return []
    text, fix = render("sync.tax_map_first", count=unmapped)
    return [f"{text} {fix}"]


def shortened(actions: Iterable[Any], package: str) -> str:
    """One line naming the records sent this run with text shortened to fit the package ("" when none)."""
    sent = [(a.label, [c.name for c in a.checks if c.ok and SHORTENED_MARK in c.detail]) for a in actions
            if a.op in ("create", "update", "post")]
    sent = [(label, fields) for label, fields in sent if fields]
    if not sent:
        return ""
    named = "; ".join(f"{label} ({', '.join(fields)})" for label, fields in sent[:NAMED_AT_MOST])
    more = f"; and {len(sent) - NAMED_AT_MOST} more" if len(sent) > NAMED_AT_MOST else ""
    text, fix = render("sync.text_shortened", count=len(sent), ledger=package, records=named + more)
    return f"{text} {fix}"
