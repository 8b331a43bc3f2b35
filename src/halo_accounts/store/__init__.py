"""The store: links, the journal (audit trail), runs, held records and cursors, in one SQLite file.

``Store.open(path)`` creates the file owner-only and migrates it; every mutating method is atomic and
``transaction()`` groups several into one. ``journal_begin`` is fsynced before it returns, so send a request
only after it (or after the ``transaction()`` around it) returns. See `core` and `db` for the pragmas and why.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType
from typing import Literal, TextIO

from halo_accounts.store import audit, db, migrations
from halo_accounts.store.core import Clock, StoreBase
from halo_accounts.store.cursors import CursorsMixin
from halo_accounts.store.held import Held, HeldMixin
from halo_accounts.store.journal import Confirmation, JournalEntry, JournalMixin, NewEntry
from halo_accounts.store.links import Link, LinksMixin
from halo_accounts.store.redact import redact
from halo_accounts.store.runs import Run, RunsMixin

__all__ = ["Confirmation", "Held", "JournalEntry", "Link", "NewEntry", "Run", "Store", "redact"]


class Store(LinksMixin, RunsMixin, JournalMixin, HeldMixin, CursorsMixin, StoreBase):
    """The program's memory between runs. Thread-safe (one lock); one writer process at a time, any readers."""

    @classmethod
    def open(cls, path: Path | str, *, clock: Clock | None = None) -> Store:
        """Open (creating owner-only and migrating as needed) the store at ``path``; ``":memory:"`` for tests."""
        where = str(path)
        conn = db.connect(path)
        try:
            conn.row_factory = sqlite3.Row
            with db.translated(where):
                migrations.migrate(conn, where)
        except BaseException:
            conn.close()
            raise
        return cls(conn, where, clock)

    @property
    def version(self) -> int:
        """The schema version of the file (``PRAGMA user_version``)."""
        return int(self._rows("PRAGMA user_version")[0][0])

    def export_journal(
        self,
        fmt: Literal["csv", "json"] | str,
        out: TextIO,
        *,
        run_id: int | None = None,
        kind: str | None = None,
        halo_id: str | None = None,
    ) -> int:
        """Write the journal (or the part matching the filters) to ``out`` as CSV or JSON; entries written."""
        return audit.export(self.journal_entries(run_id=run_id, kind=kind, halo_id=halo_id), fmt, out)

    def check(self) -> list[str]:
        """SQLite's integrity check: an empty list when the file is sound, else what is wrong."""
        rows = self._rows("PRAGMA integrity_check")
        problems = [str(r[0]) for r in rows]
        return [] if problems == ["ok"] else problems

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._where!r})"
