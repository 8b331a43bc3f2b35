"""The connection every part of the store shares: one lock, nestable transactions, UTC timestamps.

Transactions: the outermost ``transaction()`` is ``BEGIN IMMEDIATE`` (takes the write lock up front, so
``busy_timeout`` applies and a second writer waits rather than failing half-way); nested ones are savepoints,
so an inner failure undoes only the inner block. Every public mutating method runs inside one, so it is atomic
on its own and joins the caller's transaction when there is one.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from halo_accounts.store.db import translated
from halo_accounts.store.runlock import RunLock

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class StoreBase:
    """Connection, lock, transactions and clock; the record-kind mixins build on these."""

    def __init__(self, conn: sqlite3.Connection, where: str, clock: Clock | None = None) -> None:
        self._conn = conn
        self._where = where
        self._clock = clock or utc_now
        self._lock = threading.RLock()
        self._depth = 0
        self._durable = True
        self._owner = 0
        self._synchronous = "FULL"  # db.PRAGMAS
        self._closed = False

    @property
    def path(self) -> str:
        """Where the store lives (``":memory:"`` for a throwaway one)."""
        return self._where

    def run_lock(self) -> RunLock:
        """The lock that lets one run at a time use this store (`runlock`); use it as a context manager."""
        return RunLock(self._where)

    @property
    def in_transaction(self) -> bool:
        """True inside ``transaction()`` on this thread: writes are not committed until the outermost block ends."""
        return self._depth > 0 and self._owner == threading.get_ident()

    def now(self) -> str:
        """The current time as a UTC ISO 8601 string (what every timestamp column holds)."""
        return self._clock().astimezone(UTC).isoformat(timespec="microseconds")

    @contextlib.contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[None]:
        """All writes in the block happen together or not at all. Nestable (inner blocks are savepoints).

        ``durable`` (the default): the outermost commit is fsynced (``synchronous=FULL``) before it returns,
        so it survives a power cut. ``durable=False`` skips that fsync: still atomic and safe against a killed
        process, and the WAL keeps commits in order, so the next durable commit makes it durable too; after a
        power cut it may be lost *with everything after it* — fine for a confirmation (the entry stays "sent"
        and is reconciled), never for ``journal_begin``, which refuses to run in such a block.
        """
        with self._lock, translated(self._where):
            conn = self._conn
            if self._depth == 0:
                wanted = "FULL" if durable else "NORMAL"
                if self._synchronous != wanted:  # may not change inside a transaction, so set it here
                    conn.execute(f"PRAGMA synchronous = {wanted}")
                    self._synchronous = wanted
                conn.execute("BEGIN IMMEDIATE")
                self._depth = 1
                self._durable = durable
                self._owner = threading.get_ident()
                try:
                    yield
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                finally:
                    self._depth = 0
            else:
                if durable and not self._durable:
                    raise RuntimeError(
                        "a durable transaction (e.g. journal_begin) cannot nest inside transaction(durable=False): "
                        "it would not be fsynced when it ends"
                    )
                name = f"halo_sp{self._depth}"
                conn.execute(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield
                    conn.execute(f"RELEASE {name}")
                except BaseException:
                    if conn.in_transaction:  # a failed statement may have ended the whole transaction
                        with contextlib.suppress(sqlite3.OperationalError):
                            conn.execute(f"ROLLBACK TO {name}")
                            conn.execute(f"RELEASE {name}")
                    raise
                finally:
                    self._depth -= 1

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """One statement; callers that write hold ``transaction()``."""
        return self._conn.execute(sql, params)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """All rows of a read, as one consistent snapshot."""
        with self._lock, translated(self._where):
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        """Close the file (a no-op the second time). An open transaction is rolled back."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with contextlib.suppress(sqlite3.Error):
                if not self._conn.in_transaction:
                    self._conn.execute("PRAGMA optimize")
            self._conn.close()
