"""Opening the store: created owner-only, migrated once, and bad files refused with a catalogue message."""

from __future__ import annotations

import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.store import Store, db, migrations

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits; Windows uses the folder ACL")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_open_creates_and_migrates_from_empty(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with Store.open(path) as store:
        assert store.version == migrations.LATEST >= 1
        assert store.path == str(path)
        assert store.check() == []
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert {"links", "runs", "journal", "held", "cursors"} <= tables
    assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_reopen_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with Store.open(path) as store:
        store.set_cursor("payments", "2026-11-01T00:00:00Z")
    for _ in range(3):
        with Store.open(path) as store:
            assert store.version == migrations.LATEST
            assert store.get_cursor("payments") == "2026-11-01T00:00:00Z"


def test_memory_store_for_unit_tests() -> None:
    with Store.open(":memory:") as store:
        store.link("customer", "1", "80000001-1")
        assert store.get_link("customer", "1") is not None
        assert store.version == migrations.LATEST


@posix_only
def test_files_and_new_folders_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "store.sqlite3"
    store = Store.open(path)
    run = store.start_run("sync", {})
    store.journal_begin(run, "ledger", "add", "invoice", "1", "INV1", "<x/>")
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    assert wal.exists() and shm.exists()
    assert _mode(path) == 0o600
    assert _mode(wal) == 0o600
    assert _mode(shm) == 0o600
    assert _mode(tmp_path / "a") == 0o700
    assert _mode(tmp_path / "a" / "b") == 0o700
    store.close()
    # A later process re-creates -wal/-shm: they take the database's mode, whatever the umask.
    import os

    old = os.umask(0o022)
    try:
        with Store.open(path) as again:
            again.set_cursor("x", "1")
            assert _mode(Path(f"{path}-wal")) == 0o600
            assert _mode(Path(f"{path}-shm")) == 0o600
    finally:
        os.umask(old)


def test_not_a_database_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"this is a spreadsheet, not a store\n" * 200)
    with pytest.raises(HaloAccountsError) as caught:
        Store.open(path)
    assert caught.value.code == "store.corrupt"
    assert str(path) in caught.value.message
    assert "backup" in caught.value.fix
    assert path.read_bytes().startswith(b"this is a spreadsheet")  # untouched


def test_damaged_pages_are_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with Store.open(path) as store:
        run = store.start_run("sync", {})
        store.journal_begin_many(run, [("ledger", "add", "invoice", str(i), f"K{i}", "x" * 2000) for i in range(200)])
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), page):  # scribble over every page but the first (the header)
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    with pytest.raises(HaloAccountsError) as caught:
        with Store.open(path) as store:
            list(store.journal_entries())
            assert store.check() == []
    assert caught.value.code == "store.corrupt"


def test_store_from_newer_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 5}")
    conn.close()
    with pytest.raises(HaloAccountsError) as caught:
        Store.open(path)
    assert caught.value.code == "store.too_new"
    assert str(migrations.LATEST + 5) in caught.value.message
    assert str(migrations.LATEST) in caught.value.message


def test_someone_elses_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(HaloAccountsError) as caught:
        Store.open(path)
    assert caught.value.code == "store.foreign"
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_schema")] == ["contacts"]
    conn.close()


def test_folder_at_the_path_is_a_message(tmp_path: Path) -> None:
    with pytest.raises(HaloAccountsError) as caught:
        Store.open(tmp_path)
    assert caught.value.code == "store.unopenable"
    assert str(tmp_path) in caught.value.message


def test_migrations_step_by_step_and_a_failed_step_changes_nothing(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)
    steps: tuple[tuple[str, ...], ...] = (
        ("CREATE TABLE a (x)",),
        ("CREATE TABLE b (x)", "INSERT INTO b VALUES (1)", "CREATE TABLE a (y)"),  # fails on its last statement
    )
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(conn, "m", steps)
    assert migrations.version(conn) == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema")}
    assert names == {"a"}  # step 2 rolled back whole: no table b
    fixed = (steps[0], ("CREATE TABLE b (x)",))
    assert migrations.migrate(conn, "m", fixed) == 2
    assert migrations.migrate(conn, "m", fixed) == 2  # idempotent
    conn.close()


def test_close_twice_is_harmless() -> None:
    store = Store.open(":memory:")
    store.close()
    store.close()


@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        ("SQLITE_FULL", "database or disk is full", "store.disk_full"),
        ("SQLITE_IOERR_WRITE", "disk I/O error", "store.io"),
        ("SQLITE_READONLY_DBMOVED", "attempt to write a readonly database", "store.readonly"),
        ("SQLITE_BUSY_SNAPSHOT", "database is locked", "store.busy"),
        ("SQLITE_CANTOPEN", "unable to open database file", "store.unopenable"),
        ("SQLITE_CORRUPT", "database disk image is malformed", "store.corrupt"),
        ("", "file is not a database", "store.corrupt"),
    ],
)
def test_failures_a_user_can_fix_become_messages(name: str, text: str, code: str) -> None:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorname = name  # type: ignore[attr-defined]
    with pytest.raises(HaloAccountsError) as caught, db.translated("/data/store.sqlite3"):
        raise exc
    assert caught.value.code == code
    assert "/data/store.sqlite3" in caught.value.message
    assert caught.value.fix


def test_programming_errors_stay_programming_errors() -> None:
    exc = sqlite3.IntegrityError("UNIQUE constraint failed: links.kind")
    exc.sqlite_errorname = "SQLITE_CONSTRAINT_UNIQUE"  # type: ignore[attr-defined]
    with pytest.raises(sqlite3.IntegrityError), db.translated("x"):
        raise exc
