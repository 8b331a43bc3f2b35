"""Customers through the connector against the SDO sandbox: create, update, reference scheme, Sage's refusals."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from halo_accounts.ledgers.port import Address, Customer, LedgerError, RecordRejected
from halo_accounts.ledgers.sage50uk import Sage50UKLedger
from halo_accounts.sandbox.sage50uk import Company, Faults


def test_create_with_allocated_reference_and_read_back(company: Company, ledger: Sage50UKLedger) -> None:
    created = ledger.create_customer(Customer(
        name="Smith & Jones Ltd", billing=Address(lines=("1 High St", "Floor 2"), city="Leeds", region="West Yorks",
                                                  postcode="LS1 1AA", country="gb"),
        email="ap@smith.example", phone="0113 000000", contact="Jo Smith", tax_code="T1"))
    assert created.ref == "SMITH001"
    stored = company.get("sales", "SMITH001")
    assert stored is not None
    assert [stored[f"ADDRESS_{i}"] for i in range(1, 6)] == ["1 High St", "Floor 2", "Leeds", "West Yorks", "LS1 1AA"]
    assert stored["DEF_TAX_CODE"] == 1 and stored["COUNTRY_CODE"] == "GB"  # SmallInt n, not "T1" (NOTES §1.6)
    found = ledger.find_customer(ref="smith001")
    assert found is not None and found.name == "Smith & Jones Ltd" and found.email == "ap@smith.example"
    assert ledger.find_customer(name="smith & jones ltd") == found


def test_collisions_with_sage_and_within_the_run(company: Company, ledger: Sage50UKLedger) -> None:
    company.add_customer("SMITH001", "Smith Existing")
    a = ledger.create_customer(Customer(name="Smith Ltd"))
    b = ledger.create_customer(Customer(name="SMITH limited"))
    assert (a.ref, b.ref) == ("SMITH002", "SMITH003")


def test_halo_accountsid_is_used_as_the_reference(company: Company, ledger: Sage50UKLedger) -> None:
    ledger.create_customer(Customer(name="Halo Named", ref="hal01"))
    assert company.get("sales", "HAL01") is not None


def test_existing_reference_is_sages_error_84(ledger: Sage50UKLedger) -> None:
    with pytest.raises(RecordRejected) as err:
        ledger.create_customer(Customer(name="Dup", ref="ABS001"))
    assert err.value.code == "sage.account_ref_exists"
    assert "ABS001" in err.value.message


def test_invalid_accountsid_is_held_before_sage_is_asked(ledger: Sage50UKLedger) -> None:
    with pytest.raises(RecordRejected) as err:
        ledger.create_customer(Customer(name="Dash", ref="C-00113"))
    assert err.value.code == "sage.account_ref_invalid"


def test_long_name_is_cut_to_sages_60(company: Company, ledger: Sage50UKLedger) -> None:
    name = "The Extremely Long Named Managed Services Client Holdings Group Limited"
    created = ledger.create_customer(Customer(name=name))
    assert company.get("sales", created.ref)["NAME"] == name[:60]  # type: ignore[index]


def test_update(company: Company, ledger: Sage50UKLedger) -> None:
    updated = ledger.update_customer(Customer(name="A B S Limited", ref="ABS001", phone="01234",
                                              billing=Address(lines=("2 Low St",), postcode="M1 1AA")))
    assert updated.name == "A B S Limited"
    stored = company.get("sales", "ABS001")
    assert stored is not None and stored["ADDRESS_1"] == "2 Low St" and stored["ADDRESS_5"] == "M1 1AA"
    with pytest.raises(RecordRejected) as err:
        ledger.update_customer(Customer(name="Ghost", ref="GHOST1"))
    assert err.value.code == "sage.customer_not_found"


def test_customers_listing(company: Company, ledger: Sage50UKLedger) -> None:
    company.add_customer("ZED001", "Zed")
    assert [c.ref for c in ledger.customers()] == ["ABS001", "ZED001"]


def test_update_refused_when_sage_is_busy(open_ledger: Callable[..., Sage50UKLedger]) -> None:
    ledger = open_ledger(faults=Faults(file_busy=True))
    with pytest.raises(LedgerError) as err:
        ledger.update_customer(Customer(name="A B S", ref="ABS001"))
    assert err.value.code == "sage.file_busy" and err.value.retryable


def test_modified_since_filters_on_last_updated(company: Company, ledger: Sage50UKLedger) -> None:
    from datetime import datetime, timedelta

    ledger.create_customer(Customer(name="Fresh Co"))
    stored = company.get("sales", "ABS001")
    assert stored is not None
    stored["LAST_UPDATED"] = datetime(2020, 1, 1)
    company.put("sales", "ABS001", stored)
    recent = [c.ref for c in ledger.customers(modified_since=datetime.now() - timedelta(days=1))]
    assert recent == ["FRESH001"]
