"""Cursors: named bookmarks such as "payments read up to" so each run picks up where the last one stopped."""

from __future__ import annotations

from halo_accounts.store.core import StoreBase


class CursorsMixin(StoreBase):
    def get_cursor(self, name: str) -> str | None:
        rows = self._rows("SELECT value FROM cursors WHERE name = ?", (name,))
        return rows[0][0] if rows else None

    def cursor_updated(self, name: str) -> str | None:
        """When cursor ``name`` was last set (UTC, ISO 8601), or None."""
        rows = self._rows("SELECT updated FROM cursors WHERE name = ?", (name,))
        return str(rows[0][0]) if rows else None

    def set_cursor(self, name: str, value: str) -> None:
        with self.transaction(durable=False):
            self._execute(
                """INSERT INTO cursors (name, value, updated) VALUES (?, ?, ?)
                   ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated = excluded.updated""",
                (name, value, self.now()),
            )
