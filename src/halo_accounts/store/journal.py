"""The journal: every write to the ledger or to Halo, recorded before it is sent and settled after.

An entry is "sent" from ``journal_begin`` (committed and fsynced before it returns, so it outlives a crash)
until it is confirmed, failed, or — after a crash or a lost answer — reconciled by looking the record up.
Requests and responses are kept as the audit trail, with secrets redacted.

States: sent -> confirmed | failed | reconciled (found in the target) | abandoned (not found: safe to resend).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from halo_accounts.store.core import StoreBase
from halo_accounts.store.redact import redact

TARGETS = ("ledger", "halo")
SENT = "sent"
STATES = (SENT, "confirmed", "failed", "reconciled", "abandoned")
# Rows fetched per query by journal_entries(): bounded memory however long the journal is.
PAGE = 500


@dataclass(frozen=True)
class JournalEntry:
    """One write: what was sent (``request``), what came back (``response``) and where it ended (``state``)."""

    id: int
    run_id: int | None
    target: str
    action: str
    kind: str
    halo_id: str
    key: str
    state: str
    request: str
    response: str
    ledger_ref: str
    number: str
    code: str
    message: str
    created: str
    updated: str


FIELDS = tuple(JournalEntry.__dataclass_fields__)


class NewEntry(NamedTuple):
    """One write about to be sent (``journal_begin_many``)."""

    target: str
    action: str
    kind: str
    halo_id: str
    key: str
    request: str


class Confirmation(NamedTuple):
    """The answer to one write (``journal_confirm_many``)."""

    entry_id: int
    response: str = ""
    ledger_ref: str = ""
    number: str = ""


def _entry(row: sqlite3.Row) -> JournalEntry:
    return JournalEntry(*(row[name] for name in FIELDS))


class JournalMixin(StoreBase):
    def journal_begin(
        self, run_id: int | None, target: str, action: str, kind: str, halo_id: str, key: str, request: str
    ) -> int:
        """Record a write about to be sent (state "sent"); returns the entry id.

        Committed and fsynced when it returns — unless called inside ``transaction()``, where that happens when
        the outermost block ends: send the request only after that. Refused inside ``transaction(durable=False)``.
        """
        return self.journal_begin_many(run_id, [NewEntry(target, action, kind, halo_id, key, request)])[0]

    def journal_begin_many(self, run_id: int | None, entries: Iterable[NewEntry | tuple[str, ...]]) -> list[int]:
        """``journal_begin`` for a batch, in one transaction (one fsync); entry ids in the order given."""
        now = self.now()
        ids: list[int] = []
        with self.transaction():
            for item in entries:
                e = NewEntry(*item)
                if e.target not in TARGETS:
                    raise ValueError(f"journal target must be one of {TARGETS}, not {e.target!r}")
                cur = self._execute(
                    """INSERT INTO journal
                       (run_id, target, action, kind, halo_id, key, state, request, created, updated)
                       VALUES (?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?)""",
                    (run_id, e.target, e.action, e.kind, str(e.halo_id), e.key, redact(e.request), now, now),
                )
                assert cur.lastrowid is not None
                ids.append(cur.lastrowid)
        return ids

    def journal_confirm(self, entry_id: int, *, response: str = "", ledger_ref: str = "", number: str = "") -> None:
        """The write of ``entry_id`` was applied (state "confirmed")."""
        self.journal_confirm_many([Confirmation(entry_id, response, ledger_ref, number)])

    def journal_confirm_many(self, confirmations: Iterable[Confirmation | tuple[Any, ...]]) -> None:
        """``journal_confirm`` for a batch, in one transaction: all confirmed, or (on a bad id) none.

        Not fsynced on its own (a confirmation lost to a power cut leaves the entry "sent", to be reconciled);
        the next ``journal_begin`` or durable transaction makes it durable.
        """
        now = self.now()
        with self.transaction(durable=False):
            for item in confirmations:
                c = Confirmation(*item)
                self._settle(
                    c.entry_id,
                    "confirmed",
                    "response = ?, ledger_ref = ?, number = ?",
                    (redact(c.response), c.ledger_ref, c.number),
                    now,
                )

    def journal_fail(self, entry_id: int, *, response: str = "", code: str = "", message: str = "") -> None:
        """The write of ``entry_id`` was refused and is known not to have been applied (state "failed")."""
        with self.transaction(durable=False):
            self._settle(
                entry_id,
                "failed",
                "response = ?, code = ?, message = ?",
                (redact(response), code, redact(message)),
                self.now(),
            )

    def journal_reconciled(self, entry_id: int, *, found: bool, ledger_ref: str = "", number: str = "") -> None:
        """After a crash: the record was ``found`` in the target ("reconciled") or not ("abandoned")."""
        with self.transaction(durable=False):
            self._settle(
                entry_id,
                "reconciled" if found else "abandoned",
                "ledger_ref = ?, number = ?",
                (ledger_ref, number),
                self.now(),
            )

    def _settle(self, entry_id: int, state: str, sets: str, values: tuple[str, ...], now: str) -> None:
        cur = self._execute(
            f"UPDATE journal SET state = ?, {sets}, updated = ? WHERE id = ? AND state = 'sent'",  # noqa: S608
            (state, *values, now, entry_id),
        )
        if cur.rowcount != 1:
            row = self._execute("SELECT state FROM journal WHERE id = ?", (entry_id,)).fetchone()
            if row is None:
                raise ValueError(f"no journal entry {entry_id}")
            raise ValueError(f"journal entry {entry_id} is {row[0]!r}; only a 'sent' entry can become {state!r}")

    def unconfirmed(self, target: str | None = None) -> list[JournalEntry]:
        """Entries still "sent": the write may or may not have been applied (crash, lost answer). Oldest first."""
        if target is None:
            rows = self._rows("SELECT * FROM journal WHERE state = 'sent' ORDER BY id")
        else:
            rows = self._rows("SELECT * FROM journal WHERE state = 'sent' AND target = ? ORDER BY id", (target,))
        return [_entry(r) for r in rows]

    def get_entry(self, entry_id: int) -> JournalEntry | None:
        rows = self._rows("SELECT * FROM journal WHERE id = ?", (entry_id,))
        return _entry(rows[0]) if rows else None

    def journal_entries(
        self, *, run_id: int | None = None, kind: str | None = None, halo_id: str | None = None
    ) -> Iterator[JournalEntry]:
        """Entries matching every filter given, oldest first, read a page at a time (constant memory)."""
        where = ["id > ?"]
        params: list[Any] = []
        for column, value in (("run_id", run_id), ("kind", kind), ("halo_id", halo_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(str(value) if column == "halo_id" else value)
        sql = f"SELECT * FROM journal WHERE {' AND '.join(where)} ORDER BY id LIMIT {PAGE:d}"  # noqa: S608
        last = 0
        while True:
            rows = self._rows(sql, (last, *params))
            for row in rows:
                yield _entry(row)
            if len(rows) < PAGE:
                return
            last = rows[-1]["id"]
