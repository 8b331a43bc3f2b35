"""The store's schema, as numbered migrations: ``PRAGMA user_version`` says which have run.

Each migration runs in one transaction together with its version bump, so a crash leaves the store at the old
version or the new one, never between. A store written by a newer program is refused, not guessed at.
"""

from __future__ import annotations

import sqlite3

from halo_accounts.errors import HaloAccountsError

# Marks the file as ours (PRAGMA application_id, the 32-bit word at offset 68 of the header): "HALO".
APPLICATION_ID = 0x48414C4F

# MIGRATIONS[n] takes the store from version n to version n + 1. Append only; never edit a released one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE links (
            kind        TEXT NOT NULL,
            halo_id     TEXT NOT NULL,
            ledger_ref  TEXT NOT NULL CHECK (ledger_ref <> ''),
            number      TEXT NOT NULL DEFAULT '',
            fingerprint TEXT NOT NULL DEFAULT '',
            updated     TEXT NOT NULL,
            PRIMARY KEY (kind, halo_id),
            UNIQUE (kind, ledger_ref)
        )""",
        """CREATE TABLE runs (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            command  TEXT NOT NULL,
            options  TEXT NOT NULL DEFAULT '{}',
            started  TEXT NOT NULL,
            finished TEXT,
            status   TEXT NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'ok', 'held', 'failed', 'interrupted')),
            counts   TEXT NOT NULL DEFAULT '{}'
        )""",
        """CREATE TABLE journal (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id     INTEGER REFERENCES runs (id),
            target     TEXT NOT NULL CHECK (target IN ('ledger', 'halo')),
            action     TEXT NOT NULL,
            kind       TEXT NOT NULL,
            halo_id    TEXT NOT NULL,
            key        TEXT NOT NULL DEFAULT '',
            state      TEXT NOT NULL DEFAULT 'sent'
                       CHECK (state IN ('sent', 'confirmed', 'failed', 'reconciled', 'abandoned')),
            request    TEXT NOT NULL DEFAULT '',
            response   TEXT NOT NULL DEFAULT '',
            ledger_ref TEXT NOT NULL DEFAULT '',
            number     TEXT NOT NULL DEFAULT '',
            code       TEXT NOT NULL DEFAULT '',
            message    TEXT NOT NULL DEFAULT '',
            created    TEXT NOT NULL,
            updated    TEXT NOT NULL
        )""",
        "CREATE INDEX journal_unconfirmed ON journal (target, id) WHERE state = 'sent'",
        "CREATE INDEX journal_record ON journal (kind, halo_id)",
        "CREATE INDEX journal_run ON journal (run_id)",
        """CREATE TABLE held (
            kind       TEXT NOT NULL,
            halo_id    TEXT NOT NULL,
            code       TEXT NOT NULL,
            message    TEXT NOT NULL,
            fix        TEXT NOT NULL DEFAULT '',
            detail     TEXT NOT NULL DEFAULT '',
            first_seen TEXT NOT NULL,
            last_seen  TEXT NOT NULL,
            attempts   INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (kind, halo_id)
        )""",
        """CREATE TABLE cursors (
            name    TEXT PRIMARY KEY,
            value   TEXT NOT NULL,
            updated TEXT NOT NULL
        )""",
    ),
    (
        # The package customer a document was posted to, so a payment is matched by the package's own id of the
        # invoice AND by customer (issue 8.2; qbxml/NOTES.md §3.6: RefNumber is not unique). Empty on older links.
        "ALTER TABLE links ADD COLUMN customer_ref TEXT NOT NULL DEFAULT ''",
    ),
)
LATEST = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _check_ours(conn: sqlite3.Connection, path: str) -> None:
    """Refuse a database that some other program wrote (we would add our tables to it)."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if app_id == APPLICATION_ID:
        return
    has_tables = conn.execute("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]
    if app_id != 0 or has_tables or version(conn) != 0:
        raise HaloAccountsError("store.foreign", path=path)


def migrate(conn: sqlite3.Connection, path: str, migrations: tuple[tuple[str, ...], ...] = MIGRATIONS) -> int:
    """Bring the store to the newest version, one transaction per migration; returns that version.

    Safe to run on every open and from two processes at once (each step re-reads the version under the lock).
    """
    latest = len(migrations)
    _check_ours(conn, path)
    current = version(conn)
    if current > latest:
        raise HaloAccountsError("store.too_new", path=path, found=current, supported=latest)
    while current < latest:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = version(conn)
            if current > latest:
                raise HaloAccountsError("store.too_new", path=path, found=current, supported=latest)
            if current < latest:
                _check_ours(conn, path)
                for statement in migrations[current]:
                    conn.execute(statement)
                # Pragmas take no parameters; both values are our own integers.
                conn.execute(f"PRAGMA user_version = {current + 1:d}")
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        current = version(conn)
    return current
