"""Never half-written: atomic methods, nested transactions, a second process reading or waiting meanwhile."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.store import Store, db


@pytest.fixture
def store() -> Store:
    return Store.open(":memory:")


class Boom(Exception):
    pass


def test_transaction_commits_together(store: Store) -> None:
    with store.transaction():
        store.link("customer", "1", "A")
        store.set_cursor("c", "1")
        assert store.in_transaction
    assert not store.in_transaction
    assert store.get_link("customer", "1") is not None
    assert store.get_cursor("c") == "1"


def test_failure_rolls_back_everything(store: Store) -> None:
    with pytest.raises(Boom), store.transaction():
        store.link("customer", "1", "A")
        store.hold("invoice", "9", "sync.x", "m", "f")
        raise Boom
    assert store.get_link("customer", "1") is None
    assert store.held() == []


def test_nested_failure_undoes_only_the_inner_block(store: Store) -> None:
    with store.transaction():
        store.link("customer", "1", "A")
        with pytest.raises(Boom), store.transaction():
            store.link("customer", "2", "B")
            with store.transaction():
                store.link("customer", "3", "C")
            raise Boom
        store.link("customer", "4", "D")
    assert [link.halo_id for link in store.links("customer")] == ["1", "4"]


def test_outer_failure_undoes_committed_inner_blocks(store: Store) -> None:
    with pytest.raises(Boom), store.transaction():
        with store.transaction():
            store.link("customer", "1", "A")
        raise Boom
    assert store.links("customer") == []


def test_a_failing_method_leaves_nothing_behind(store: Store) -> None:
    run = store.start_run("sync", {})
    good = store.journal_begin(run, "ledger", "add", "invoice", "1", "K1", "<a/>")
    with pytest.raises(ValueError):
        store.journal_confirm_many([(good, "<ok/>", "T1", "1"), (9999, "<ok/>", "T2", "2")])
    assert store.unconfirmed()[0].id == good  # the good one was not confirmed either
    with pytest.raises(ValueError):
        store.journal_begin_many(run, [("ledger", "add", "invoice", "2", "K2", ""), ("bank", "add", "x", "3", "", "")])
    assert [e.halo_id for e in store.journal_entries()] == ["1"]


def _child(script: str, path: Path) -> subprocess.Popen[str]:
    code = textwrap.dedent(script).replace("PATH", repr(str(path)))
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


HOLD_WRITE_LOCK = """
    import time
    from halo_accounts.store import Store
    store = Store.open(PATH)
    with store.transaction():
        store.link("customer", "2", "uncommitted")
        print("writing", flush=True)
        time.sleep(60)
"""


def test_reader_in_another_process_is_not_blocked_by_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with Store.open(path) as store:
        store.link("customer", "1", "committed")
    child = _child(HOLD_WRITE_LOCK, path)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
        started = time.monotonic()
        with Store.open(path) as reader:  # e.g. `halo-accounts status` during a run
            assert [link.ledger_ref for link in reader.links("customer")] == ["committed"]
            assert reader.runs() == []
        assert time.monotonic() - started < 5
    finally:
        child.kill()
        child.wait()


def test_second_writer_waits_then_gets_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store.sqlite3"
    Store.open(path).close()
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    child = _child(HOLD_WRITE_LOCK, path)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
        with Store.open(path) as writer:
            started = time.monotonic()
            with pytest.raises(HaloAccountsError) as caught:
                writer.link("customer", "3", "X")
            assert time.monotonic() - started >= 0.15  # it waited for the lock first
            assert caught.value.code == "store.busy"
            assert str(path) in caught.value.message
            assert not writer.in_transaction
    finally:
        child.kill()
        child.wait()
    with Store.open(path) as after:  # the killed writer's transaction never happened
        assert after.links("customer") == []
        after.link("customer", "3", "X")
        assert after.get_link("customer", "3") is not None


def test_threads_share_one_store(tmp_path: Path) -> None:
    import threading

    store = Store.open(tmp_path / "store.sqlite3")
    run = store.start_run("serve", {})
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                with store.transaction():
                    entry = store.journal_begin(run, "ledger", "add", "invoice", f"{n}-{i}", "", "")
                    store.journal_confirm(entry, ledger_ref=f"T{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(list(store.journal_entries(run_id=run))) == 200
    assert store.unconfirmed() == []
    store.close()


def _synchronous(store: Store) -> int:
    return int(store._rows("PRAGMA synchronous")[0][0])  # 1 NORMAL, 2 FULL


def test_journal_begin_is_fsynced_and_settling_is_not(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store.sqlite3") as store:
        entry = store.journal_begin(None, "ledger", "add", "invoice", "1", "", "")
        assert _synchronous(store) == 2
        store.journal_confirm(entry, ledger_ref="T1")
        store.link("invoice", "1", "T1")
        assert _synchronous(store) == 1
        with store.transaction():  # an explicit block is durable unless asked otherwise
            store.set_cursor("c", "1")
        assert _synchronous(store) == 2


def test_journal_begin_refused_where_it_could_be_lost(store: Store) -> None:
    with store.transaction(durable=False):
        with pytest.raises(RuntimeError):
            store.journal_begin(None, "ledger", "add", "invoice", "1", "", "")
        with pytest.raises(RuntimeError), store.transaction():
            pass
        store.link("customer", "1", "A")  # settling writes are fine here
    assert store.unconfirmed() == []
    assert store.get_link("customer", "1") is not None
    with store.transaction():
        with store.transaction(durable=False):  # a weaker inner block inside a durable one is fine
            store.journal_begin(None, "ledger", "add", "invoice", "1", "", "")
    assert len(store.unconfirmed()) == 1
