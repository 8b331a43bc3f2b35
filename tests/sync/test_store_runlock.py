"""One run at a time per store: a second run is refused with a message; a killed run leaves no stale lock."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.store import Store


def test_second_run_is_refused(tmp_path: Path) -> None:
    import threading

    a = Store.open(tmp_path / "s.sqlite3")
    b = Store.open(tmp_path / "s.sqlite3")
    errors: list[HaloAccountsError] = []

    def second_run() -> None:
        try:
            b.run_lock().acquire()
        except HaloAccountsError as exc:
            errors.append(exc)

    with a.run_lock():
        worker = threading.Thread(target=second_run)
        worker.start()
        worker.join()
    assert [e.code for e in errors] == ["store.run_locked"]
    assert "twice" in errors[0].fix
    with b.run_lock() as lock:  # released by the first
        assert lock.held
    a.close()
    b.close()


def test_lock_file_is_owner_only(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    with store.run_lock() as lock:
        assert lock.path is not None
        assert lock.path.stat().st_mode & 0o077 == 0
    store.close()


def test_memory_store_needs_no_lock() -> None:
    store = Store.open(":memory:")
    with store.run_lock() as lock:
        assert lock.path is None
    store.close()


def test_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    script = (
        "import sys, time\n"
        "from halo_accounts.store import Store\n"
        f"s = Store.open({str(path)!r}); s.run_lock().acquire(); print('locked', flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "locked"
        store = Store.open(path)
        with pytest.raises(HaloAccountsError):
            store.run_lock().acquire()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 5
        while True:
            try:
                with store.run_lock():
                    break
            except HaloAccountsError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        store.close()
    finally:
        proc.kill()


def test_the_holding_thread_may_take_it_again_others_may_not(tmp_path: Path) -> None:
    import threading

    store = Store.open(tmp_path / "s.sqlite3")
    other = Store.open(tmp_path / "s.sqlite3")
    refused: list[str] = []

    def from_another_thread() -> None:
        try:
            other.run_lock().acquire()
        except HaloAccountsError as exc:
            refused.append(exc.code)

    with store.run_lock():
        with store.run_lock() as inner:  # the same thread: nested, not refused
            assert inner.held
        worker = threading.Thread(target=from_another_thread)
        worker.start()
        worker.join()
        assert refused == ["store.run_locked"]
        # Still held by the outer block after the inner one ended: another process is refused.
        probe = subprocess.run([sys.executable, "-c", (
            "from halo_accounts.store import Store\n"
            f"Store.open({str(tmp_path / 's.sqlite3')!r}).run_lock().acquire()\n")], capture_output=True, text=True)
        assert probe.returncode != 0
        assert "Another halo-accounts run is using this store" in probe.stderr
    with other.run_lock():  # released by the outer block
        pass
    store.close()
    other.close()
