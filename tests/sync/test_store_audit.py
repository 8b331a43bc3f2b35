"""The audit trail: the journal exported as CSV or JSON reads back exactly, and CSV is safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.store import Store
from halo_accounts.store.audit import csv_escape, csv_unescape
from halo_accounts.store.journal import FIELDS

AWKWARD = [
    '<InvoiceAddRq><Memo>Smith &amp; Jones, "quoted"\nsecond line</Memo></InvoiceAddRq>',
    '=HYPERLINK("http://evil")',
    "-5.00",
    "'already quoted",
    "@SUM(A1)",
    "Café Zürich — £20",
    "",
]


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as s:
        run = s.start_run("sync", {})
        ids = s.journal_begin_many(
            run, [("ledger", "add", "invoice", str(i), text, text) for i, text in enumerate(AWKWARD)]
        )
        s.journal_confirm(ids[0], response="<InvoiceRet/>", ledger_ref="T-1", number="INV1")
        s.journal_fail(ids[1], code="qb.3100", message="+ name in use")
        other = s.start_run("sync", {})
        s.journal_begin(other, "halo", "update", "invoice", "0", "", "{}")
        yield s


def _as_text(entry: dict[str, object]) -> dict[str, str]:
    return {k: "" if v is None else str(v) for k, v in entry.items()}


def test_csv_round_trip(store: Store) -> None:
    out = io.StringIO(newline="")
    assert store.export_journal("csv", out) == len(AWKWARD) + 1
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert tuple(rows[0]) == FIELDS
    back = [{name: csv_unescape(cell) for name, cell in zip(FIELDS, row, strict=True)} for row in rows[1:]]
    assert back == [_as_text(asdict(e)) for e in store.journal_entries()]


def test_csv_cells_never_start_a_formula(store: Store) -> None:
    out = io.StringIO(newline="")
    store.export_journal("csv", out)
    for row in list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert csv_escape("=1+1") == "'=1+1" and csv_unescape("'=1+1") == "=1+1"
    assert csv_unescape(csv_escape("'x")) == "'x"
    assert csv_escape("plain") == "plain" and csv_escape(None) == ""


def test_json_round_trip(store: Store) -> None:
    out = io.StringIO()
    assert store.export_journal("json", out) == len(AWKWARD) + 1
    assert json.loads(out.getvalue()) == [asdict(e) for e in store.journal_entries()]


def test_export_filters_and_empty(store: Store) -> None:
    out = io.StringIO()
    assert store.export_journal("json", out, run_id=2) == 1
    assert [e["target"] for e in json.loads(out.getvalue())] == ["halo"]
    out = io.StringIO()
    assert store.export_journal("json", out, run_id=99) == 0
    assert json.loads(out.getvalue()) == []
    out = io.StringIO()
    assert store.export_journal("csv", out, kind="nothing") == 0
    assert out.getvalue().strip() == ",".join(FIELDS)


def test_export_to_a_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "audit.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        count = store.export_journal("csv", fh, halo_id="5")
    assert count == 1
    with path.open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert csv_unescape(row["request"]) == "Café Zürich — £20"


def test_unknown_format_is_a_message(store: Store) -> None:
    with pytest.raises(HaloAccountsError) as caught:
        store.export_journal("xlsx", io.StringIO())
    assert caught.value.code == "store.export_format"
    assert "csv" in caught.value.fix and "json" in caught.value.fix
