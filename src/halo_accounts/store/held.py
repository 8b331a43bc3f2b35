"""Held records: what could not go to the ledger or to Halo, with the reason and the fix, until it goes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from halo_accounts.store.core import StoreBase


@dataclass(frozen=True)
class Held:
    """A record held back: the catalogue ``code``, its ``message`` and ``fix``, and how often it was tried."""

    kind: str
    halo_id: str
    code: str
    message: str
    fix: str
    detail: str
    first_seen: str
    last_seen: str
    attempts: int


def _held(row: sqlite3.Row) -> Held:
    return Held(
        row["kind"],
        row["halo_id"],
        row["code"],
        row["message"],
        row["fix"],
        row["detail"],
        row["first_seen"],
        row["last_seen"],
        row["attempts"],
    )


class HeldMixin(StoreBase):
    def hold(self, kind: str, halo_id: str, code: str, message: str, fix: str, *, detail: str = "") -> None:
        """Hold Halo record ``halo_id``; held again, its reason is replaced and its attempts counted up."""
        now = self.now()
        with self.transaction(durable=False):
            self._execute(
                """INSERT INTO held (kind, halo_id, code, message, fix, detail, first_seen, last_seen, attempts)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
                   ON CONFLICT (kind, halo_id) DO UPDATE SET
                       code = excluded.code, message = excluded.message, fix = excluded.fix,
                       detail = excluded.detail, last_seen = excluded.last_seen, attempts = held.attempts + 1""",
                (kind, str(halo_id), code, message, fix, detail, now, now),
            )

    def release(self, kind: str, halo_id: str) -> None:
        """The record went (or is no longer wanted): it is no longer held. Releasing a free record is fine."""
        with self.transaction(durable=False):
            self._execute("DELETE FROM held WHERE kind = ? AND halo_id = ?", (kind, str(halo_id)))

    def held(self, kind: str | None = None) -> list[Held]:
        """Held records (of ``kind``, or all), oldest first."""
        if kind is None:
            rows = self._rows("SELECT * FROM held ORDER BY first_seen, kind, halo_id")
        else:
            rows = self._rows("SELECT * FROM held WHERE kind = ? ORDER BY first_seen, halo_id", (kind,))
        return [_held(r) for r in rows]
