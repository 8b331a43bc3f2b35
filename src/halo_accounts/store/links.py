"""Links: which ledger record a Halo record became, per record kind, so nothing is created twice."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from halo_accounts.errors import HaloAccountsError
from halo_accounts.store.core import StoreBase

KINDS = ("customer", "item", "tax", "invoice", "credit", "payment")


@dataclass(frozen=True)
class Link:
    """Halo record ``halo_id`` of ``kind`` is ledger record ``ledger_ref`` (``number``: its visible number)."""

    kind: str
    halo_id: str
    ledger_ref: str
    number: str
    fingerprint: str
    updated: str
    customer_ref: str = ""
    """Invoices and credits: the package customer it was posted to (empty on links older than store version 2)."""


def _link(row: sqlite3.Row) -> Link:
    return Link(row["kind"], row["halo_id"], row["ledger_ref"], row["number"], row["fingerprint"], row["updated"],
                row["customer_ref"])


class LinksMixin(StoreBase):
    def link(self, kind: str, halo_id: str, ledger_ref: str, *, number: str = "", fingerprint: str = "",
             customer_ref: str = "") -> None:
        """Record (or update) that Halo ``halo_id`` is ledger ``ledger_ref``.

        A ledger reference already linked to another Halo record of the same kind is refused with
        ``store.link_conflict`` (two Halo records would post into one ledger record).
        """
        if not ledger_ref:
            raise ValueError("link() needs a ledger reference")
        with self.transaction(durable=False):
            other = self._execute(
                "SELECT halo_id FROM links WHERE kind = ? AND ledger_ref = ? AND halo_id <> ?",
                (kind, ledger_ref, halo_id),
            ).fetchone()
            if other is not None:
                raise HaloAccountsError(
                    "store.link_conflict", kind=kind, ledger_ref=ledger_ref, halo_id=halo_id, other=other[0]
                )
            self._execute(
                """INSERT INTO links (kind, halo_id, ledger_ref, number, fingerprint, updated, customer_ref)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (kind, halo_id) DO UPDATE SET
                       ledger_ref = excluded.ledger_ref, number = excluded.number,
                       fingerprint = excluded.fingerprint, updated = excluded.updated,
                       customer_ref = CASE WHEN excluded.customer_ref <> '' THEN excluded.customer_ref
                                           ELSE links.customer_ref END""",
                (kind, str(halo_id), ledger_ref, number, fingerprint, self.now(), customer_ref),
            )

    def unlink(self, kind: str, halo_id: str) -> bool:
        """Forget the link of Halo ``halo_id`` (e.g. the ledger record was deleted); True if there was one."""
        with self.transaction(durable=False):
            cur = self._execute("DELETE FROM links WHERE kind = ? AND halo_id = ?", (kind, str(halo_id)))
            return cur.rowcount > 0

    def get_link(self, kind: str, halo_id: str) -> Link | None:
        rows = self._rows("SELECT * FROM links WHERE kind = ? AND halo_id = ?", (kind, str(halo_id)))
        return _link(rows[0]) if rows else None

    def find_link(self, kind: str, *, ledger_ref: str) -> Link | None:
        rows = self._rows("SELECT * FROM links WHERE kind = ? AND ledger_ref = ?", (kind, ledger_ref))
        return _link(rows[0]) if rows else None

    def links(self, kind: str) -> list[Link]:
        """Every link of ``kind``, by Halo id."""
        return [_link(r) for r in self._rows("SELECT * FROM links WHERE kind = ? ORDER BY halo_id", (kind,))]
