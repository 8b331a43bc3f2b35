"""A Sage 50 UK company held in SQLite (owner-only file): records, audit trail, allocations, logged-in users.

Posting rules follow reference/sage/NOTES.md §1.9.3 (TransactionPost fails on unknown account/nominal, control or
bank nominal, negative values, locked dates) and §1.10 (header/split/usage levels, AMOUNT_PAID, PAID_FLAG).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

# ACCOUNT_TYPE values used for control and bank nominals in the sandbox [?]: the numbering of Sage's
# ACCOUNT_TYPE byte is not in the notes; the sandbox only needs "is control/bank" (NOTES §1.8, error 88).
NOMINAL_SALES, NOMINAL_CONTROL, NOMINAL_BANK = 0, 1, 2
# NOTES §1.4: Accounts / Accounts Plus allow 6 SDO users overall.
DEFAULT_MAX_USERS = 6
# [?] The code Sage returns for "the account does not exist" / "invoice number exists" is not in the notes; the
# sandbox uses 0 with a text, which the connector reports as an unlisted SDO error.
UNLISTED = 0


class SdoFailure(Exception):
    """A posting rule refused the data: becomes LastError (code, text)."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


def _enc(value: object) -> object:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    return value


def _dec(value: object) -> object:
    if isinstance(value, dict) and "$dt" in value:
        return datetime.fromisoformat(value["$dt"])
    if isinstance(value, dict) and "$d" in value:
        return date.fromisoformat(value["$d"])
    return value


def dumps(data: dict[str, Any]) -> str:
    return json.dumps({k: _enc(v) for k, v in data.items()})


def loads(text: str) -> dict[str, Any]:
    return {k: _dec(v) for k, v in json.loads(text).items()}


DEFAULT_TAX = {0: ("Zero rated", 0.0), 1: ("Standard rate", 20.0), 2: ("Exempt", 0.0), 5: ("Reduced rate", 5.0),
               9: ("Non-VAT", 0.0)}  # NOTES §1.8: UK convention (rates must be read, never assumed)
DEFAULT_NOMINALS = [("1100", "Debtors Control Account", NOMINAL_CONTROL), ("1200", "Bank Current Account",
                    NOMINAL_BANK), ("2200", "Sales Tax Control Account", NOMINAL_CONTROL),
                    ("4000", "Sales Type A", NOMINAL_SALES), ("4010", "Sales Type B", NOMINAL_SALES),
                    ("4900", "Other Sales", NOMINAL_SALES)]
DEFAULT_DEPARTMENTS = [("", "Default"), ("SUPPORT", "Support"), ("PROJ", "Projects")]


@dataclass
class Faults:
    """Switches for the error conditions of NOTES §1.11 (each raised exactly as SDO would)."""

    not_registered: bool = False  # 31 sdoNotRegistered on Connect
    user_in_use: bool = False  # 23 sdoLogonNameInUse on Connect
    exclusive: bool = False  # 24 sdoLogonExclusive on Connect
    licence_limit: bool = False  # 30 sdoLogonUserCountExceeded on Connect
    data_service_down: bool = False  # 94 sdoUnableConnectToDataService on Connect
    wrong_version: bool = False  # 26 sdoWrongVersion on Connect
    cloud_error: int = 0  # 101..125 sdoOn*Exception on Connect
    file_busy: bool = False  # 48 sdoFileLockedAccountsBusy on Update
    read_only: bool = False  # 32 sdoReadOnlyAccess on Update
    kicked_out: bool = False  # 91 sdoConnectionKickedOut on the next call after Connect
    update_raises: bool = False
    """When True a failing Update raises a COM exception; else it returns False (NOTES §1.11: "and/or")."""


class Company:
    """One company's data (ACCDATA) in a SQLite file."""

    def __init__(self, path: str | Path, *, data_path: str = "C:\\SAGE\\COMPANY.000\\ACCDATA", version: int = 32,
                 users: dict[str, str] | None = None, name: str = "Sandbox Trading Ltd",
                 lock_date: date | None = None, max_users: int = DEFAULT_MAX_USERS) -> None:
        self.path = Path(path)
        self.data_path = data_path
        self.version = version
        self.users = {k.upper(): v for k, v in (users or {"MANAGER": "letmein", "HALO": "s3cret"}).items()}
        self.lock_date = lock_date
        self.max_users = max_users
        new = not self.path.exists()
        if new:
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)  # owner-only (TEAM rules)
            os.close(fd)
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS records (kind TEXT, key TEXT, data TEXT, PRIMARY KEY (kind, key));
            CREATE TABLE IF NOT EXISTS headers (number INTEGER PRIMARY KEY, data TEXT);
            CREATE TABLE IF NOT EXISTS splits (number INTEGER PRIMARY KEY, header INTEGER, data TEXT);
            CREATE TABLE IF NOT EXISTS usage (number INTEGER PRIMARY KEY, split INTEGER, data TEXT);
            CREATE TABLE IF NOT EXISTS departments (number INTEGER PRIMARY KEY, ref TEXT, name TEXT);
            CREATE TABLE IF NOT EXISTS control (data TEXT);
            CREATE TABLE IF NOT EXISTS setup (data TEXT);
            CREATE TABLE IF NOT EXISTS sessions (unique_id TEXT, username TEXT);
        """)
        if new:
            with self.transaction():
                self._seed(name)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing writes (a posting never leaves half a transaction behind)."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _seed(self, name: str) -> None:
        control: dict[str, Any] = {}
        for i in range(100):
            desc, rate = DEFAULT_TAX.get(i, ("", 0.0))
            control[f"T{i}_DESCRIPTION"], control[f"T{i}_RATE"] = desc, rate
        self.db.execute("INSERT INTO control VALUES (?)", (dumps(control),))
        self.db.execute("INSERT INTO setup VALUES (?)", (dumps({"NAME": name}),))
        for ref, nom_name, kind in DEFAULT_NOMINALS:
            self.put("nominal", ref, {"ACCOUNT_REF": ref, "NAME": nom_name, "ACCOUNT_TYPE": kind, "BALANCE": 0.0,
                                      "DELETED_FLAG": 0})
        for number, (ref, dept_name) in enumerate(DEFAULT_DEPARTMENTS):
            self.db.execute("INSERT INTO departments VALUES (?, ?, ?)", (number, ref, dept_name))

    def close(self) -> None:
        self.db.close()

    # -- keyed records (sales, stock, nominal, invoice)
    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM records WHERE kind=? AND key=?", (kind, key)).fetchone()
        return loads(row[0]) if row else None

    def put(self, kind: str, key: str, data: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", (kind, key, dumps(data)))

    def keys(self, kind: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT key FROM records WHERE kind=? ORDER BY key", (kind,))]

    def control(self) -> dict[str, Any]:
        return loads(self.db.execute("SELECT data FROM control").fetchone()[0])

    def setup(self) -> dict[str, Any]:
        return loads(self.db.execute("SELECT data FROM setup").fetchone()[0])

    def departments(self) -> list[tuple[int, str, str]]:
        return list(self.db.execute("SELECT number, ref, name FROM departments ORDER BY number"))

    # -- audit trail
    def header(self, number: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM headers WHERE number=?", (number,)).fetchone()
        return loads(row[0]) if row else None

    def split(self, number: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM splits WHERE number=?", (number,)).fetchone()
        return loads(row[0]) if row else None

    def header_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM headers").fetchone()[0])

    def split_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM splits").fetchone()[0])

    def header_numbers(self, account: str | None = None) -> list[int]:
        rows = self.db.execute("SELECT number, data FROM headers ORDER BY number").fetchall()
        return [n for n, d in rows if account is None or loads(d)["ACCOUNT_REF"] == account]

    def split_numbers(self, header: int) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT number FROM splits WHERE header=? ORDER BY number", (header,))]

    def usage_rows(self, split: int) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT data FROM usage WHERE split=? ORDER BY number", (split,))
        return [loads(r[0]) for r in rows]

    def post_transaction(self, header: dict[str, Any], splits: list[dict[str, Any]], user: str = "") -> int:
        """NOTES §1.9.3: one header + splits on the audit trail, or SdoFailure."""
        with self.transaction():
            return self._post_transaction(header, splits, user)

    def _post_transaction(self, header: dict[str, Any], splits: list[dict[str, Any]], user: str) -> int:
        ttype = int(header["TYPE"])
        account = str(header.get("ACCOUNT_REF") or "")
        customer = self.get("sales", account)
        if customer is None:
            raise SdoFailure(UNLISTED, f"Account {account} does not exist")
        if customer.get("ACCOUNT_ON_HOLD"):
            raise SdoFailure(70, "Sales/Purchase account is on hold")  # NOTES §1.11: 70
        if not splits:
            raise SdoFailure(44, "Zero value transaction")
        when = header["DATE"]
        if self.lock_date and (when.date() if isinstance(when, datetime) else when) <= self.lock_date:
            raise SdoFailure(49, "Closed ledger date control error")  # NOTES §1.9.3 / §1.11: 49
        net_total = tax_total = 0.0
        for split in splits:
            nominal = self.get("nominal", str(split.get("NOMINAL_CODE") or ""))
            if nominal is None:
                raise SdoFailure(65, "Invalid nominal code")  # NOTES §1.8: 65
            if ttype in (1, 2) and nominal["ACCOUNT_TYPE"] in (NOMINAL_CONTROL, NOMINAL_BANK):
                raise SdoFailure(88, "Nominal account is a control account")  # NOTES §1.8: 88
            net, tax = float(split.get("NET_AMOUNT") or 0), float(split.get("TAX_AMOUNT") or 0)
            if net < 0 or tax < 0:
                raise SdoFailure(89, "Values must be unsigned")  # NOTES §1.9.3: negative values fail [code ?]
            net_total += net
            tax_total += tax
        if round(net_total + tax_total, 2) == 0:
            raise SdoFailure(44, "Zero value transaction")  # NOTES §1.11: 44
        number = self.header_count() + 1
        first = self.split_count() + 1
        for offset, split in enumerate(splits):
            data = {"TRAN_NUMBER": first + offset, "HEADER_NUMBER": number, "TYPE": ttype,
                    "NOMINAL_CODE": split["NOMINAL_CODE"], "TAX_CODE": int(split.get("TAX_CODE") or 0),
                    "NET_AMOUNT": round(float(split.get("NET_AMOUNT") or 0), 2),
                    "TAX_AMOUNT": round(float(split.get("TAX_AMOUNT") or 0), 2), "AMOUNT_PAID": 0.0,
                    "PAID_FLAG": 0, "DETAILS": split.get("DETAILS") or "", "DATE": split.get("DATE") or when,
                    "DEPT_NUMBER": int(split.get("DEPT_NUMBER") or 0)}
            self.db.execute("INSERT INTO splits VALUES (?, ?, ?)", (first + offset, number, dumps(data)))
        hdr = {"HEADER_NUMBER": number, "TYPE": ttype, "ACCOUNT_REF": account, "DATE": when,
               "INV_REF": header.get("INV_REF") or "", "DETAILS": header.get("DETAILS") or "",
               "NET_AMOUNT": round(net_total, 2), "TAX_AMOUNT": round(tax_total, 2), "AMOUNT_PAID": 0.0,
               "PAID_FLAG": 0, "DATE_DUE": header.get("DATE_DUE") or when, "DELETED_FLAG": 0,
               "FIRST_SPLIT": first, "LAST_SPLIT": first + len(splits) - 1, "NO_OF_SPLIT": len(splits),
               "USER_NAME": user}
        self.db.execute("INSERT INTO headers VALUES (?, ?)", (number, dumps(hdr)))
        sign = 1 if ttype in (1, 5) else -1  # SI / SD raise the balance; SC / SR / SA lower it
        customer["BALANCE"] = round(float(customer.get("BALANCE") or 0) + sign * (net_total + tax_total), 2)
        self.put("sales", account, customer)
        return number

    def allocate(self, invoice_split: int, payment_split: int, amount: float, when: date) -> None:
        """NOTES §1.9.3: AllocatePayment(invoiceSplitNo, paymentSplitNo, amount, date); usage rows on both sides."""
        with self.transaction():
            self._allocate(invoice_split, payment_split, amount, when)

    def _allocate(self, invoice_split: int, payment_split: int, amount: float, when: date) -> None:
        inv, pay = self.split(invoice_split), self.split(payment_split)
        if inv is None or pay is None:
            raise SdoFailure(UNLISTED, "Split not found")
        for this, other, data in ((invoice_split, payment_split, inv), (payment_split, invoice_split, pay)):
            number = int(self.db.execute("SELECT COUNT(*) FROM usage").fetchone()[0]) + 1
            header = self.header(int(data["HEADER_NUMBER"]))
            assert header is not None
            usage = {"USAGE_NUMBER": number, "SPLIT_NUMBER": this, "SPLIT_CROSSREF": other,
                     "TYPE": int(pay["TYPE"] if this == invoice_split else inv["TYPE"]),
                     "REFERENCE": self.header(int(pay["HEADER_NUMBER"]))["INV_REF"],  # type: ignore[index]
                     "DETAILS": f"{amount:.2f}", "DATE": when, "AMOUNT": round(amount, 2)}
            self.db.execute("INSERT INTO usage VALUES (?, ?, ?)", (number, this, dumps(usage)))
            data["AMOUNT_PAID"] = round(float(data["AMOUNT_PAID"]) + amount, 2)
            gross = round(float(data["NET_AMOUNT"]) + float(data["TAX_AMOUNT"]), 2)
            data["PAID_FLAG"] = 1 if data["AMOUNT_PAID"] >= gross else 0
            self.db.execute("UPDATE splits SET data=? WHERE number=?", (dumps(data), this))
            header["AMOUNT_PAID"] = round(float(header["AMOUNT_PAID"]) + amount, 2)
            header_gross = round(float(header["NET_AMOUNT"]) + float(header["TAX_AMOUNT"]), 2)
            header["PAID_FLAG"] = 1 if header["AMOUNT_PAID"] >= header_gross else 0
            self.db.execute("UPDATE headers SET data=? WHERE number=?", (dumps(header), header["HEADER_NUMBER"]))

    # -- logged-in users (NOTES §1.4: a connection counts as a user; a username in one session only)
    def sessions(self) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT unique_id, username FROM sessions"))

    def login(self, unique_id: str, username: str) -> None:
        self.db.execute("INSERT INTO sessions VALUES (?, ?)", (unique_id, username))

    def logout(self, unique_id: str, username: str) -> None:
        self.db.execute("DELETE FROM sessions WHERE unique_id=? AND username=?", (unique_id, username))

    # -- helpers for tests and the demo (what a Sage user would key in)
    def add_customer(self, ref: str, name: str, **fields: Any) -> None:
        self.put("sales", ref, {"ACCOUNT_REF": ref, "NAME": name, "BALANCE": 0.0, "DELETED_FLAG": 0, **fields})

    def post_receipt(self, account: str, amount: float, when: date, *, reference: str = "BACS",
                     bank: str = "1200") -> int:
        """NOTES §1.9.3: a sales receipt is TYPE=SR with BANK_CODE and one split to the bank, TAX_CODE 9."""
        return self.post_transaction(
            {"TYPE": 3, "ACCOUNT_REF": account, "DATE": when, "INV_REF": reference, "BANK_CODE": bank},
            [{"NOMINAL_CODE": bank, "TAX_CODE": 9, "NET_AMOUNT": amount, "TAX_AMOUNT": 0.0, "DATE": when}])

    def receive_payment(self, account: str, invoice_header: int, amount: float, when: date,
                        reference: str = "BACS", bank: str = "1200") -> int:
        """A sales receipt (SR) keyed in Sage and allocated to every split of ``invoice_header`` in order."""
        number = self.post_receipt(account, amount, when, reference=reference, bank=bank)
        pay_split = self.split_numbers(number)[0]
        left = round(amount, 2)
        for split_no in self.split_numbers(invoice_header):
            split = self.split(split_no)
            assert split is not None
            due = round(float(split["NET_AMOUNT"]) + float(split["TAX_AMOUNT"]) - float(split["AMOUNT_PAID"]), 2)
            part = min(due, left)
            if part > 0:
                self.allocate(split_no, pay_split, part, when)
                left = round(left - part, 2)
        return number
