"""File > Import CSV writers (NOTES §2): golden files for the three layouts plus structural checks."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from halo_accounts.ledgers.port import Address, Customer, Invoice, InvoiceLine, Product
from halo_accounts.ledgers.sage50uk import csv_export
from halo_accounts.ledgers.sage50uk.csv_export import build_export, encode, export_batch

D = Decimal  # short for the many amounts below

GOLDEN = Path(__file__).parent / "golden"
LONG = "The Extremely Long Named Managed Services Client Holdings Group Limited (Northern Division)"

CUSTOMERS = [
    Customer(name='Smith, Jones & "Partners" Ltd', ref="SMITH001",
             billing=Address(lines=("Unit 4, Mill Yard", "1 High St"), city="Leeds", postcode="LS1 1AA"),
             contact="Zoë O'Brien", phone="0113 496 0000", email="ap@smith.example", tax_code="T1"),
    Customer(name="Café Łódź Société Générale €", billing=Address(lines=("Rue de l'Église",), city="Paris")),
    Customer(name=LONG, billing=Address(lines=("Line\nwith break", "2", "3"), city="Town", region="County",
                                        postcode="AB1 2CD")),
    Customer(name="Bad ref", ref="C-00113"),
]
PRODUCTS = [
    Product(code="MS-GOLD", description='Managed service "Gold", per user', price=D("49.995"), income_account="4000",
            tax_code="T1", department=2),
    Product(code="LIC-365", description="Microsoft 365 Business Premium – annual licence, billed monthly per seat",
            price=D("18.1"), income_account="4010", tax_code="T1"),
    Product(code="X" * 31, description="Too long a code"),
]
INVOICES = [
    Invoice(number="INV00042", customer_ref="SMITH001", date=date(2026, 11, 3), po_number="PO 7, rev \"B\"", lines=(
        InvoiceLine("MS-GOLD", "Managed service, November", D(2), D(50), D("100.00"), D("20.01"), "T1", "4000", 1),
        InvoiceLine("", "Zero-rated café item", D(1), D(5), D("5"), D("0"), "0", "4010"))),
    Invoice(number="CN00007", customer_ref="SMITH001", date=date(2026, 11, 4), kind="credit", lines=(
        InvoiceLine("", "Credit: " + LONG, D(1), D(-10), D("-10.00"), D("-2.00"), "T1", "4000"),)),
    Invoice(number="INV00043", customer_ref="SMITH001", date=date(2026, 11, 5), lines=(
        InvoiceLine("", "ok", D(1), D(1), D(1), D("0.2"), "T1", "4000"),
        InvoiceLine("", "bad tax", D(1), D(1), D(1), D(0), "VAT20", "4000"))),
]


def batch() -> csv_export.ExportBatch:
    return build_export(CUSTOMERS, PRODUCTS, INVOICES, existing_refs=["CAFEO001"])


@pytest.mark.parametrize("kind", ["customers", "products", "audit"])
def test_golden(kind: str) -> None:
    data = encode(batch().texts[kind])
    path = GOLDEN / csv_export.FILES[kind]
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{path.name} differs (UPDATE_GOLDEN=1 to rewrite after checking the diff)"


def _rows(kind: str) -> list[list[str]]:
    text = (GOLDEN / csv_export.FILES[kind]).read_bytes().decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_golden_customers_follow_sages_layout() -> None:
    rows = _rows("customers")
    assert len(rows) == 3  # "C-00113" held
    assert all(len(r) == 31 for r in rows)  # NOTES §2.2: A..AE
    smith, cafe, long_ = rows
    assert smith[0] == "SMITH001" and smith[1] == 'Smith, Jones & "Partners" Ltd'
    assert smith[2:7] == ["Unit 4, Mill Yard", "1 High St", "Leeds", "", "LS1 1AA"]
    assert smith[7] == "Zoë O'Brien" and smith[23] == "T1" and smith[26] == "ap@smith.example"
    assert cafe[0] == "CAFEO002"  # prefix from "Cafe odz" (Ł has no accent-free form); CAFEO001 is taken
    assert cafe[1] == "Café ?ódz Société Générale €"  # Ł has no cp1252 form nor an accent-free one; ź -> z
    assert long_[1] == LONG[:60] and long_[2] == "Line with break" and long_[4:7] == ["3", "Town, County", "AB1 2CD"]
    assert all(len(c) <= 60 for r in rows for c in r)


def test_golden_products_follow_sages_layout() -> None:
    rows = _rows("products")
    assert [len(r) for r in rows] == [14, 14]  # NOTES §2.3: A..N
    gold, lic = rows
    assert gold[:4] == ["MS-GOLD", 'Managed service "Gold", per user', "T1", "50.00"]
    assert gold[5] == "Each" and gold[7] == "4000" and gold[10] == "2"
    assert lic[1] == "Microsoft 365 Business Premium – annual licence, billed mont"  # cut at 60; en dash is cp1252


def test_golden_audit_trail_follows_sages_layout() -> None:
    rows = _rows("audit")
    assert all(len(r) == 15 for r in rows)  # NOTES §2.1: A..O
    assert [r[0] for r in rows] == ["SI", "SI", "SC"]  # INV00043 held whole (bad tax code on one line)
    si1, si2, sc = rows
    assert si1[:10] == ["SI", "SMITH001", "4000", "1", "03/11/2026", "INV00042", "Managed service, November",
                        "100.00", "T1", "20.01"]
    assert si2[8] == "T0" and si2[7] == "5.00" and si2[3] == "0" and si2[11] == 'PO 7, rev "B"'
    assert sc[7:10] == ["10.00", "T1", "2.00"]  # unsigned (NOTES §2.1 col H)
    assert len(sc[6]) == 60
    for r in rows:
        assert re.fullmatch(r"\d\d/\d\d/\d{4}", r[4]) and re.fullmatch(r"T\d{1,2}", r[8])


def test_quoting_and_encoding_bytes() -> None:
    raw = (GOLDEN / "customers.csv").read_bytes()
    assert raw.startswith(b'SMITH001,"Smith, Jones & ""Partners"" Ltd","Unit 4, Mill Yard"')
    assert b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf")  # CRLF rows, no BOM
    assert "Zoë".encode("cp1252") in raw


def test_held_and_cut_are_reported() -> None:
    result = batch()
    held = {(h.kind, h.key): h.code for h in result.held}
    assert held == {("customers", "C-00113"): "sage.account_ref_invalid",
                    ("products", "X" * 31): "sage.csv_identifier_too_long",
                    ("audit", "INV00043"): "sage.tax_code_invalid"}
    assert all(h.fix for h in result.held)
    cuts = {(c.kind, c.field) for c in result.cut}
    assert ("customers", "Name") in cuts and ("products", "Description") in cuts and ("audit", "Details") in cuts
    assert result.refs == {"Café Łódź Société Générale €": "CAFEO002", LONG: "EXTRE001"}


def test_money_limits() -> None:
    big = Invoice(number="BIG", customer_ref="SMITH001", date=date(2026, 1, 1),
                  lines=(InvoiceLine("", "x", D(1), D(1), D("100000000.00"), D(0), "T1", "4000"),))
    result = build_export(invoices=[big])
    assert result.rows["audit"] == 0 and result.held[0].code == "sage.field_invalid"


def test_export_batch_writes_owner_only_files(tmp_path: Path) -> None:
    manifest = export_batch(tmp_path / "out", CUSTOMERS, PRODUCTS, INVOICES, existing_refs=["CAFEO001"])
    assert manifest.rows == {"customers": 3, "products": 2, "audit": 3}
    assert manifest.encoding == "cp1252"
    for name in [*csv_export.FILES.values(), "manifest.json"]:
        path = tmp_path / "out" / name
        assert path.exists()
        if sys.platform != "win32":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (tmp_path / "out" / "audit_trail.csv").read_bytes() == (GOLDEN / "audit_trail.csv").read_bytes()
    saved = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert len(saved["held"]) == 3 and saved["refs"]["Café Łódź Société Générale €"] == "CAFEO002"
