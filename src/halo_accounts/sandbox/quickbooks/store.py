"""The company file: one SQLite database (WAL, owner-only) holding every list and transaction record as JSON.

Records are kept in QuickBooks' own element names so that rendering a ``*Ret`` is a walk over the dict.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Record = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    name_key TEXT,
    ref TEXT,
    owner TEXT,
    modified REAL NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS records_name ON records (name_key);
CREATE INDEX IF NOT EXISTS records_owner ON records (kind, owner);
"""


def _owner_only(path: Path) -> None:
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    os.chmod(path, 0o600)


class Store:
    """Typed access to the company file; callers hold the company lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        _owner_only(path)
        self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        for suffix in ("-wal", "-shm"):
            side = Path(str(path) + suffix)
            if side.exists():
                os.chmod(side, 0o600)

    # -- transactions ---------------------------------------------------------------------------
    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        self.db.execute("ROLLBACK")

    # -- meta and counters ----------------------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def bump(self, counter: str) -> int:
        """Next value of a persistent counter (0, 1, 2, ...)."""
        value = int(self.meta("counter:" + counter, "0") or "0")
        self.set_meta("counter:" + counter, str(value + 1))
        return value

    # -- records --------------------------------------------------------------------------------
    def put(
        self,
        kind: str,
        rec_id: str,
        data: Record,
        *,
        modified: float,
        name_key: str | None = None,
        ref: str | None = None,
        owner: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO records (kind, id, name_key, ref, owner, modified, data) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, id) DO UPDATE SET name_key = excluded.name_key, ref = excluded.ref, "
            "owner = excluded.owner, modified = excluded.modified, data = excluded.data",
            (kind, rec_id, name_key, ref, owner, modified, json.dumps(data)),
        )

    def get(self, kind: str, rec_id: str) -> Record | None:
        row = self.db.execute("SELECT data FROM records WHERE kind = ? AND id = ?", (kind, rec_id)).fetchone()
        return json.loads(row[0]) if row else None

    def by_name(self, kinds: tuple[str, ...], name: str) -> tuple[str, Record] | None:
        """A record of one of ``kinds`` whose full name matches case-insensitively (NOTES §3.6)."""
        marks = ",".join("?" * len(kinds))
        row = self.db.execute(
            f"SELECT kind, data FROM records WHERE name_key = ? AND kind IN ({marks}) LIMIT 1",  # noqa: S608
            (name.lower(), *kinds),
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def all(self, kinds: tuple[str, ...], *, owner: str | None = None) -> Iterator[tuple[str, Record]]:
        """Every record of ``kinds`` in creation order."""
        marks = ",".join("?" * len(kinds))
        sql = f"SELECT kind, data FROM records WHERE kind IN ({marks})"  # noqa: S608
        params: list[str] = list(kinds)
        if owner is not None:
            sql += " AND owner = ?"
            params.append(owner)
        for kind, data in self.db.execute(sql + " ORDER BY rowid", params).fetchall():
            yield kind, json.loads(data)

    def count(self, kind: str) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM records WHERE kind = ?", (kind,)).fetchone()[0])

    def kinds(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT kind, COUNT(*) FROM records GROUP BY kind").fetchall())

    def close(self) -> None:
        self.db.close()
