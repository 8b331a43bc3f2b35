"""Review before posting (`[sync] review_first`): the invoices approved in the console's preview, kept in the store;
only those go at the next run or Web Connector update."""

from __future__ import annotations

from typing import Any

CURSOR = "review.approved"


def approved(store: Any) -> set[str]:
    return {k for k in (store.get_cursor(CURSOR) or "").split(",") if k}


def approve(store: Any, halo_ids: list[str]) -> set[str]:
    """Add Halo invoice ids to the approved set; the set."""
    now = approved(store) | {str(i) for i in halo_ids if str(i).strip()}
    store.set_cursor(CURSOR, ",".join(sorted(now, key=lambda k: (len(k), k))))
    return now
