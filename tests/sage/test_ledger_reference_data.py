"""Reading Sage's reference data through the connector: tax codes, nominal codes, departments, company."""

from __future__ import annotations

from decimal import Decimal

from halo_accounts.ledgers.port import Ledger
from halo_accounts.ledgers.sage50uk import Sage50UKLedger
from halo_accounts.sandbox.sage50uk import Company


def test_implements_the_port(ledger: Sage50UKLedger) -> None:
    assert isinstance(ledger, Ledger)
    info = ledger.info()
    assert (info.kind, info.edition, info.version, info.company) == ("sage50uk", "UK", "32", "Sandbox Trading Ltd")
    assert info.assigns_numbers is False  # audit-trail route: Halo's number is the reference


def test_tax_codes_are_read_not_assumed(company: Company, ledger: Sage50UKLedger) -> None:
    control = company.control()
    control["T1_RATE"], control["T7_DESCRIPTION"], control["T7_RATE"] = 17.5, "Special", 12.5
    company.db.execute("UPDATE control SET data=?", (__import__("json").dumps(control),))
    codes = {t.code: t for t in ledger.tax_codes()}
    assert codes["T1"].rate == Decimal("17.5")
    assert codes["T7"].name == "Special" and codes["T7"].ledger_id == "7"
    assert codes["T0"].rate == 0 and "T50" not in codes  # blank codes are left out


def test_nominal_codes_and_departments(ledger: Sage50UKLedger) -> None:
    accounts = {a.code: a for a in ledger.accounts()}
    assert {"1100", "1200", "4000", "4010", "4900"} <= set(accounts)
    assert accounts["4000"].name == "Sales Type A"
    departments = ledger.departments()
    assert departments[0].number == 0 and departments[0].name == "Default"  # NOTES §1.8: Read(1) is dept 0
    assert [d.number for d in departments] == [0, 1, 2]


def test_over_a_workspace_the_caller_connected(company: Company) -> None:
    from halo_accounts.sandbox.sage50uk import SDOEngine

    engine = SDOEngine(company)
    ws = engine.Workspaces.Add("own")
    ws.Connect(company.data_path, "HALO", "s3cret", "OWN")
    ledger = Sage50UKLedger(ws, engine=engine)
    assert [c.ref for c in ledger.customers()] == ["ABS001"]
    ledger.close()  # does not disconnect a workspace it did not open
    assert ws.connected
    ws.Disconnect()
