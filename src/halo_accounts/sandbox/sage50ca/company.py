"""A Sage 50 Canadian Edition company held in SQLite (owner-only file): customers keyed by name, inventory and
service items, GL accounts, composite tax codes, sales journal entries with amounts owing, users and their
third-party rights. The SDK facade (`sdk.py`) is the only way in, as on a real install (sage/NOTES.md §3)."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

#: sage/NOTES.md §3.2: "Rights with Third-Party Products": No data access / Read data / Read and write data.
NO_ACCESS, READ, READ_WRITE = "none", "read", "readwrite"

#: A sample company's tax codes (Canadian convention; a real company's must be read, never assumed): code ->
#: (description, [(tax name, rate %, refundable)]). sage/NOTES.md §3.4: tax information per authority carries a
#: name, rate and refundable flag (GST refundable, PST not, as in the spec's sample).
DEFAULT_TAX_CODES: dict[str, tuple[str, list[tuple[str, str, bool]]]] = {
    "H": ("HST 13% (Ontario)", [("HST", "13", True)]),
    "G": ("GST 5%", [("GST", "5", True)]),
    "GP": ("GST 5% + PST 7% (BC)", [("GST", "5", True), ("PST", "7", False)]),
    "GQ": ("GST 5% + QST 9.975% (Quebec)", [("GST", "5", True), ("QST", "9.975", True)]),
    "E": ("Exempt", []),
}
DEFAULT_ACCOUNTS = [("1200", "Accounts Receivable", "G"), ("2310", "GST/HST Charged on Sales", "G"),
                    ("4020", "Revenue from Sales", "G"), ("4040", "Revenue from Services", "G")]
CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Faults:
    """Switches for the conditions of sage/NOTES.md §3.1-3.3, each answered as the SDK would."""

    mysql_down: bool = False  # FAIL_MYSQL_NOTRUNNING on OpenDatabase
    connection_manager_down: bool = False  # FAIL_CONNECTIONMGR_NONE on OpenDatabase
    open_single_user: bool = False  # the company is open in Sage in single-user mode (§3.2: it must be closed)
    sdk_version_mismatch: bool = False  # FAIL_CONNECTIONMGR_VER [?]: the SDK is not the company's release
    post_false_but_posted: int = 0  # the next N Post() calls post the journal but return False (§3.1)
    crash_after_post: bool = False  # raise (as a lost connection would) after the journal is posted


class Company:
    def __init__(self, path: Path, *, sai: str = "C:\\Sage\\Universal.SAI", version: str = "2026.1",
                 users: dict[str, tuple[str, str]] | None = None, account_length: int = 4,
                 date_format: str = "%m-%d-%Y") -> None:
        new = not path.exists()
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        os.chmod(path, 0o600)  # owner-only (TEAM rules)
        self.db.execute("PRAGMA journal_mode=WAL")
        for table in ("customer", "item", "account", "taxcode", "journal", "meta"):
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, data TEXT NOT NULL)")
        if new:
            with self.transaction():
                self.set_meta("sai", sai)
                self.set_meta("version", version)
                self.set_meta("users", users or {"sysadmin": ("admin", READ_WRITE)})
                self.set_meta("account_length", account_length)
                # The date format the company's Windows locale gives SetJournalDate strings [I] (NOTES §3.1).
                self.set_meta("date_format", date_format)
                self.set_meta("last_journal", 0)
                self.set_meta("sessions", [])
                for code, (desc, parts) in DEFAULT_TAX_CODES.items():
                    self.put("taxcode", code, {"code": code, "description": desc, "taxes": parts})
                for number, name, kind in DEFAULT_ACCOUNTS:
                    self.put("account", number, {"number": number, "name": name, "type": kind})

    # ---------------------------------------------------------------- storage
    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def put(self, table: str, key: str, data: dict[str, Any]) -> None:
        self.db.execute(f"INSERT OR REPLACE INTO {table} (key, data) VALUES (?, ?)", (key, json.dumps(data)))  # noqa: S608

    def get(self, table: str, key: str) -> dict[str, Any] | None:
        row = self.db.execute(f"SELECT data FROM {table} WHERE key = ?", (key,)).fetchone()  # noqa: S608
        return json.loads(row[0]) if row else None

    def all(self, table: str) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.db.execute(f"SELECT data FROM {table} ORDER BY key")]  # noqa: S608

    def meta(self, key: str) -> Any:
        row = self.db.execute("SELECT data FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_meta(self, key: str, value: Any) -> None:
        self.put("meta", key, value)

    def close(self) -> None:
        self.db.close()

    # ---------------------------------------------------------------- set-up helpers (tests, demo)
    def add_customer(self, name: str, **fields: Any) -> None:
        with self.transaction():
            self.put("customer", name.casefold(), {"Name": name, **fields})

    def add_account(self, number: str, name: str, kind: str = "G") -> None:
        with self.transaction():
            self.put("account", number, {"number": number, "name": name, "type": kind})

    def add_item(self, number: str, name: str, *, service: bool = True, revenue_account: str = "4020",
                 price: str = "0") -> None:
        with self.transaction():
            self.put("item", number.casefold(), {"Number": number, "Name": name, "IsServiceType": service,
                                                 "RevenueAccount": revenue_account, "RegularPrice": price})

    def set_rights(self, user: str, rights: str) -> None:
        users = self.meta("users")
        users[user][1] = rights
        with self.transaction():
            self.set_meta("users", users)

    def journals(self) -> list[dict[str, Any]]:
        return sorted(self.all("journal"), key=lambda j: j["journal"])

    def receive(self, customer: str, number: str, amount: Decimal) -> None:
        """A receipt keyed into Sage against an invoice: its amount owing goes down."""
        with self.transaction():
            for entry in self.all("journal"):
                if entry["customer"].casefold() == customer.casefold() and entry["number"] == number:
                    owing = Decimal(entry["owing"]) - amount
                    entry["owing"] = str(money(owing))
                    self.put("journal", str(entry["journal"]).zfill(10), entry)
                    return
        raise KeyError(number)

    def logout_all(self) -> None:
        """Sage's administrator clearing the sessions a killed process left open."""
        with self.transaction():
            self.set_meta("sessions", [])
