"""Fixtures for sync tests: `world(...)` builds a Halo sandbox + client, a QuickBooks sandbox company + ledger and a
store (see `sync_world`), stopped at the end of the test."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sync_world import (
    DEMO_APP,
    EXTRA_ACCOUNTS,
    FAST,
    Company,
    HaloClient,
    HaloSandbox,
    QuickBooksLedger,
    Store,
    World,
    make_settings,
    small_seed,
)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Callable[..., World]]:
    made: list[World] = []

    def build(seed: dict[str, Any] | None = None, *, edition: str = "UK", accounts: bool = True,
              map_taxes: bool = True, batch_size: int = 50, faults: Any = None, scopes: str = "all admin",
              qb_seed: dict[str, Any] | None = None, client_kwargs: dict[str, Any] | None = None) -> World:
        data = seed if seed is not None else small_seed()
        data.setdefault("applications", [dict(DEMO_APP)])
        halo = HaloSandbox(data, faults=faults, rate_limit=FAST)
        halo.start()
        client = HaloClient(halo.url, "demo", "demo-secret", scope=scopes, **{"timeout": 10.0, **(client_kwargs or {})})
        qb = dict(qb_seed or {})
        if accounts:
            qb.setdefault("accounts", []).extend(EXTRA_ACCOUNTS)
        company = Company(tmp_path / f"qb-{len(made)}.sqlite3", edition=edition, seed=qb)
        ledger = QuickBooksLedger(company)
        store = Store.open(tmp_path / f"store-{len(made)}.sqlite3")
        w = World(halo, client, company, ledger, store, make_settings(halo.url, tmp_path / "store.sqlite3",
                                                                     batch_size), tmp_path, edition)
        if map_taxes:
            w.map_taxes()
        made.append(w)
        return w

    yield build
    for w in reversed(made):
        w.client.close()
        w.store.close()
        w.company.close()
        w.halo.stop()
