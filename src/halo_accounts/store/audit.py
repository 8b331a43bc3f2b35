"""The audit trail out of the store: the journal as CSV (for a spreadsheet) or JSON (for a program).

CSV cells that a spreadsheet would run as a formula (starting with = + - @, a tab or CR) are prefixed with
an apostrophe, as is a cell that already starts with one, so ``csv_unescape`` restores every value exactly.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Literal, TextIO

from halo_accounts.errors import HaloAccountsError
from halo_accounts.store.journal import FIELDS, JournalEntry

FORMATS = ("csv", "json")
# OWASP "CSV injection": leading characters that make Excel/LibreOffice evaluate a cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_escape(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_unescape(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def write_csv(entries: Iterable[JournalEntry], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    count = 0
    for entry in entries:
        writer.writerow([csv_escape(getattr(entry, name)) for name in FIELDS])
        count += 1
    return count


def write_json(entries: Iterable[JournalEntry], out: TextIO) -> int:
    """A JSON array of objects, written one entry at a time (a long journal is never held in memory)."""
    count = 0
    out.write("[")
    for entry in entries:
        out.write(",\n " if count else "\n ")
        out.write(json.dumps(asdict(entry), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def export(entries: Iterable[JournalEntry], fmt: Literal["csv", "json"] | str, out: TextIO) -> int:
    """Write ``entries`` to ``out`` as ``fmt``; the number written. Open a CSV file with ``newline=""``."""
    if fmt == "csv":
        return write_csv(entries, out)
    if fmt == "json":
        return write_json(entries, out)
    raise HaloAccountsError("store.export_format", fmt=fmt, formats=", ".join(FORMATS))
