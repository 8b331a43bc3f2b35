"""A writing run holds the store's run lock: while another holds it (a run, `serve`, `map`, or another process) a
second run is refused with `store.run_locked` before it writes anything (no run row, no journal entry, nothing in
Halo or the package); a dry run, which writes nothing, still works."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cli_world import cli_world, first_client_with_invoices
from sync_world import small_seed

from halo_accounts.errors import HaloAccountsError
from halo_accounts.store import Store


@contextmanager
def held_elsewhere(path: str | Path) -> Iterator[None]:
    """The store's run lock held by another thread (as another run would; the holding thread itself may nest)."""
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        with Store.open(path) as other, other.run_lock():
            taken.set()
            done.wait(30)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(10)
    try:
        yield
    finally:
        done.set()
        holder.join(10)


def _snapshot(w: Any) -> tuple[Any, ...]:
    return (len(w.store.runs(100)), len(list(w.store.journal_entries())), w.company.counts(), w.export())


def test_a_second_run_is_refused_and_writes_nothing(world: Any) -> None:
    w = world(small_seed(15))
    before = _snapshot(w)
    with held_elsewhere(w.store.path):  # another run holds it
        with pytest.raises(HaloAccountsError) as err:
            w.engine().run()
        assert err.value.code == "store.run_locked"
        assert "twice" in err.value.fix
        assert _snapshot(w) == before
        dry = w.engine().run(dry_run=True)  # a dry run writes nothing, so it needs no lock
        assert dry.status == "dry-run" and dry.count("invoice", "posted") > 0
        assert _snapshot(w) == before
    report = w.engine().run()  # released: the next run goes
    assert report.count("invoice", "posted") > 0
    assert len(w.store.runs(100)) == before[0] + 1


def test_the_lock_is_released_when_a_run_fails(world: Any) -> None:
    w = world(small_seed(5))

    class Boom(Exception):
        pass

    eng = w.engine()

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise Boom

    eng._run = explode  # type: ignore[method-assign]
    with pytest.raises(Boom):
        eng.run()
    with w.store.run_lock() as lock:
        assert lock.held


def test_a_run_in_another_process_blocks_this_one(world: Any, tmp_path: Path) -> None:
    w = world(small_seed(5))
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from halo_accounts.store import Store\n"
        "s = Store.open(sys.argv[1])\n"
        "with s.run_lock():\n"
        "    print('held', flush=True)\n"
        "    time.sleep(30)\n"), w.store.path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = _snapshot(w)
        with pytest.raises(HaloAccountsError) as err:
            w.engine().run()
        assert err.value.code == "store.run_locked"
        assert _snapshot(w) == before
    finally:
        holder.kill()
        holder.wait(10)
    deadline = time.monotonic() + 5
    while True:  # the OS drops the lock with the process
        try:
            assert w.engine().run().count("invoice", "posted") > 0
            break
        except HaloAccountsError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_map_and_sync_commands_are_refused_while_a_run_holds_the_lock(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="com") as w:
        cid = first_client_with_invoices(small_seed(12))
        halo_before = w.halo.export()
        with held_elsewhere(w.store_file):
            mapped = w("map", "customer", str(cid), "Anything Ltd")
            synced = w("sync")
            dry = w("sync", "--dry-run")
        for result in (mapped, synced):
            assert result.code == 2 and "Traceback" not in result.text
            assert "twice" in result.text
        assert dry.code in (0, 1) and "dry run" in dry.text
        assert w.halo.export() == halo_before
        assert w.company.counts().get("invoice", 0) == 0
        with w.store() as store:
            assert store.runs(10) == [] and list(store.journal_entries()) == []


def test_a_web_connector_update_while_the_lock_is_held_ends_plainly_and_leaves_the_queue(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="webconnector") as w:
        assert w("import", "tax").code == 0
        halo_before = w.halo.export()
        with held_elsewhere(w.store_file):  # e.g. `map customer` at that moment
            result = w.update_result()
        assert result.outcome == "error" and "Another halo-accounts run is using this store" in result.error
        assert w.halo.export() == halo_before and w.company.counts().get("invoice", 0) == 0
        with w.store() as store:
            assert store.runs(10) == []
        assert "import tax: pending" in w("status").text
        report = w.update()  # the next update does it all
        assert report.count("invoice", "posted") >= 0 and "import tax: done" in w("status").text
