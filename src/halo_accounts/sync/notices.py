"""Lines said once per run summary and in `status` when the held records share one cause the user should fix
first (issue 8.8: the tax map comes before anything posts)."""

from __future__ import annotations

from collections.abc import Iterable

from halo_accounts.messages import render


def from_held(codes: Iterable[str]) -> list[str]:
    """The notices the held records' codes call for, each once."""
    unmapped = sum(1 for code in codes if code == "sync.tax_unmapped")
    if not unmapped:
        return []
    text, fix = render("sync.tax_map_first", count=unmapped)
    return [f"{text} {fix}"]
