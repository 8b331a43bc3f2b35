"""The connector's field tables and the sandbox's own copy (both written from NOTES §1.6-§1.10) agree, and the
connector's pre-flight check catches what the sandbox would refuse."""

from __future__ import annotations

import pytest

from halo_accounts.ledgers.sage50uk.sdo import fields
from halo_accounts.sandbox.sage50uk import Company, SandboxViolation, SDOEngine, schema

PAIRS = {
    "SalesRecord": schema.SALES, "StockRecord": schema.STOCK, "NominalRecord": schema.NOMINAL,
    "DepartmentData": schema.DEPARTMENT, "InvoicePost.Header": schema.INVOICE, "InvoicePost.Item": schema.INVOICE_ITEM,
    "TransactionPost.Header": schema.TP_HEADER, "TransactionPost.Item": schema.TP_SPLIT, "HeaderData": schema.HEADER,
    "SplitData": schema.SPLIT, "UsageData": schema.USAGE,
}


@pytest.mark.parametrize("table", sorted(PAIRS))
def test_connector_and_sandbox_tables_agree(table: str) -> None:
    ours, theirs = fields.TABLES[table], PAIRS[table]
    assert set(ours) == set(theirs), table
    for name, spec in ours.items():
        other = theirs[name]
        assert (spec.type, spec.length, spec.required, spec.system) == (
            other.type, other.length, other.required, other.system), f"{table}.{name}"


def test_key_limits_from_the_notes() -> None:
    assert fields.SALES_RECORD["ACCOUNT_REF"].length == 8  # NOTES §1.6
    assert fields.STOCK_RECORD["STOCK_CODE"].length == 30  # NOTES §1.7
    assert fields.TRANSACTION_HEADER["INV_REF"].length == 30  # NOTES §1.9.3
    assert fields.SALES_RECORD["DEF_TAX_CODE"].type == "SmallInt"  # NOTES §1.6: the n of Tn


def test_preflight_problems() -> None:
    got = dict(fields.problems("TransactionPost.Item", {"NOMINAL_CODE": "123456789", "TAX_CODE": "T1",
                                                        "NET_AMOUNT": 1.005, "DATE": "2026-01-01", "NOPE": 1}))
    assert got == {"NOMINAL_CODE": "longer than 8 characters", "TAX_CODE": "not a whole number",
                   "NET_AMOUNT": "more than 2 dp", "DATE": "not a date", "NOPE": "unknown field"}
    assert fields.problems("SalesRecord", {"BALANCE": 1.0}) == [("ACCOUNT_REF", "required"), ("BALANCE", "read-only")]


def test_sandbox_refuses_what_sdo_would_not_take(company: Company) -> None:
    ws = SDOEngine(company).Workspaces.Add("t")
    ws.Connect(company.data_path, "HALO", "s3cret", "T")
    tp = ws.CreateObject("transactionpost")  # NOTES §1.5: names are case-insensitive
    item = tp.Items.Add()
    with pytest.raises(SandboxViolation):
        item.Fields.Item("NET_AMOUNT").Value = 10.005  # NOTES §1.5: round money to 2 dp
    with pytest.raises(SandboxViolation):
        item.Fields.Item("TAX_CODE").Value = "T1"  # NOTES §1.8: SmallInt, not "T1"
    with pytest.raises(SandboxViolation):
        ws.CreateObject("SalesRecord").Fields.Item("BALANCE").Value = 1.0  # read-only
    rec = ws.CreateObject("SalesRecord")
    rec.AddNew()
    rec.Fields.Item("ACCOUNT_REF").Value = "TOOLONG99"
    assert rec.Update() is False and ws.engine.LastError.Code == 50  # NOTES §1.6: 50 for refs > 8
    rec.AddNew()
    rec.Fields.Item("ACCOUNT_REF").Value = "OK1"
    rec.Fields.Item("ADDRESS_1").Value = "x" * 61
    assert rec.Update() is False and ws.engine.LastError.Code == 83
    assert ws.CreateObject("SalesRecord").Update() is False and ws.engine.LastError.Code == 27  # no AddNew/Edit
    hd = ws.CreateObject("HeaderData")
    assert hd.FindFirst("INV_REF", "X*") is False
    ws.Disconnect()
    with pytest.raises(Exception) as err:
        ws.CreateObject("SalesRecord")
    assert ws.engine.LastError.Code == 16 and "Not connected" in str(err.value.args)


@pytest.mark.skipif(__import__("sys").platform == "win32", reason="POSIX permission bits")
def test_sandbox_company_file_is_owner_only(company: Company) -> None:
    import stat

    assert stat.S_IMODE(company.path.stat().st_mode) == 0o600
