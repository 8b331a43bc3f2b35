"""Opening the SQLite file: owner-only creation, the pragmas that make it crash-safe, and errors as messages.

Pragmas (why each one):

- ``journal_mode=WAL``: a write never blocks readers, so ``status`` can read while a sync writes, and a commit
  is one append to the ``-wal`` file, atomic under a process kill at any instant.
- ``synchronous=FULL`` for every commit that begins a journal entry (and every ``transaction()`` by default):
  the WAL is fsynced before the commit returns. A journal entry is written *before* its request is sent to
  Halo or the ledger, so it must survive a power cut, not only a process kill. Commits that only settle or
  tidy (confirm, fail, link, hold, cursor, run) use ``NORMAL``: no fsync, still atomic and kill-safe. The WAL
  replays only an unbroken prefix of commits (frames are checksummed in a chain), so a power cut can lose a
  suffix of NORMAL commits but never one before the last FULL commit — at worst an entry stays "sent" and is
  reconciled by looking the record up. The cost is one fsync per begin; batch with the ``*_many`` methods.
- ``foreign_keys=ON``: journal entries point at real runs.
- ``busy_timeout``: a second process (another run, ``status``) waits for the write lock instead of failing.
- ``trusted_schema=OFF``: the schema of a file we did not write cannot run functions on us.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

from halo_accounts.errors import HaloAccountsError

MEMORY = ":memory:"
# How long a writer waits for another process's write lock before giving up (store.busy). Our own write
# transactions are milliseconds long; 30 s covers a checkpoint on a slow disk.
BUSY_TIMEOUT_MS = 30_000
# Truncate the -wal file back to this size after a checkpoint, so a 10,000-invoice run does not leave it large.
JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024
PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA trusted_schema = OFF",
    f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}",
)
SIDE_FILES = ("-wal", "-shm")
# sqlite3 result codes (https://www.sqlite.org/rescode.html) mapped to catalogue codes.
_CODES = {
    "SQLITE_CORRUPT": "store.corrupt",
    "SQLITE_NOTADB": "store.corrupt",
    "SQLITE_BUSY": "store.busy",
    "SQLITE_LOCKED": "store.busy",
    "SQLITE_FULL": "store.disk_full",
    "SQLITE_CANTOPEN": "store.unopenable",
    "SQLITE_PERM": "store.unopenable",
    "SQLITE_AUTH": "store.unopenable",
    "SQLITE_READONLY": "store.readonly",
    "SQLITE_IOERR": "store.io",
}


def store_error(exc: sqlite3.Error, path: str) -> HaloAccountsError | None:
    """The catalogue error for an sqlite3 failure the user can act on, or None for a programming error."""
    name = (getattr(exc, "sqlite_errorname", "") or "").split("_")
    base = "_".join(name[:2])  # SQLITE_IOERR_WRITE -> SQLITE_IOERR
    code = _CODES.get(base)
    if code is None:
        text = str(exc).lower()
        if "not a database" in text or "malformed" in text:
            code = "store.corrupt"
        elif "locked" in text:
            code = "store.busy"
        elif "unable to open" in text:
            code = "store.unopenable"
        else:
            return None
    return HaloAccountsError(code, path=path, detail=str(exc))


@contextlib.contextmanager
def translated(path: str) -> Iterator[None]:
    """Turn sqlite3 failures a user can fix (damage, locks, full disk, permissions) into catalogue errors."""
    try:
        yield
    except sqlite3.Error as exc:
        err = store_error(exc, path)
        if err is None:
            raise
        raise err from None


def _make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents owner-only (0o700); existing folders are left alone."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):
            part.mkdir(mode=0o700)


def _create_private_file(path: Path) -> bool:
    """Create an empty owner-only (0o600) file at ``path`` unless it exists; True if we created it."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


@contextlib.contextmanager
def _private_umask() -> Iterator[None]:
    """While SQLite creates its -wal and -shm files, nothing is readable by group or others."""
    if sys.platform == "win32":  # Windows: the per-user data folder's ACL keeps the files private
        yield
        return
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def connect(path: Path | str) -> sqlite3.Connection:
    """An open connection to ``path`` (created owner-only if missing) with the store's pragmas applied."""
    where = str(path)
    if where == MEMORY:
        conn = sqlite3.connect(MEMORY, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn
    file = Path(path)
    try:
        _make_private_dirs(file.parent)
        created = _create_private_file(file)
    except OSError as exc:
        raise HaloAccountsError("store.unopenable", path=where, detail=exc.strerror or str(exc)) from None
    if file.is_dir():
        raise HaloAccountsError("store.unopenable", path=where, detail="it is a folder")
    conn: sqlite3.Connection | None = None
    try:
        with translated(where), _private_umask():
            conn = sqlite3.connect(file, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS):d}")
            for pragma in PRAGMAS:
                conn.execute(pragma).fetchall()
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    if str(mode).lower() != "wal":
        conn.close()
        raise HaloAccountsError("store.unopenable", path=where, detail=f"journal mode {mode}, not WAL")
    if created:
        tighten(file)
    return conn


def tighten(file: Path) -> None:
    """Owner-only permissions on the database and its -wal/-shm files (those that exist)."""
    for candidate in (file, *(file.with_name(file.name + s) for s in SIDE_FILES)):
        with contextlib.suppress(OSError):
            if candidate.exists():
                os.chmod(candidate, 0o600)
