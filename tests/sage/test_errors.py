"""Every SDO error code the notes list has a plain message and fix; each condition reached through the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from halo_accounts.ledgers.port import Invoice, InvoiceLine, LedgerError, LedgerUnavailable, RecordRejected
from halo_accounts.ledgers.sage50uk import ConnectionSettings, Sage50UKLedger
from halo_accounts.ledgers.sage50uk.sdo.errors import SDO_ERRORS, info, to_ledger_error
from halo_accounts.messages import catalogue
from halo_accounts.sandbox.sage50uk import Company, Faults, SDOEngine

# NOTES §1.11 (connection, posting and validation errors) and §1.6 (82/83/84/86/50).
NOTES_CODES = [16, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 34, 44, 48, 49, 50, 63, 65, 70, 82, 83, 84, 86,
               87, 88, 89, 91, 94]


def test_every_listed_code_has_a_message_with_a_fix() -> None:
    assert sorted(SDO_ERRORS) == NOTES_CODES
    entries = catalogue()
    for code in NOTES_CODES:
        entry = entries[SDO_ERRORS[code].message]
        assert entry.text and entry.fix, code
        err = to_ledger_error(code, "Sage text", what="posting Invoice 1", username="HALO", data_path="C:\\D",
                              progid="SDOEngine.32", account="ABS001", nominal="4000")
        assert "{" not in err.message + err.fix, (code, err.message, err.fix)


def test_cloud_errors_101_to_125_and_unknown_codes() -> None:
    for code in (101, 125):
        assert info(code).message == "sage.cloud_error"
        assert isinstance(to_ledger_error(code, "x", what="w"), LedgerUnavailable)
    err = to_ledger_error(7, "Odd failure", what="posting Invoice 9")
    assert isinstance(err, RecordRejected) and "7" in err.message and "Odd failure" in err.message


@pytest.mark.parametrize(("faults", "code", "retryable"), [
    (Faults(not_registered=True), "sage.integration_not_enabled", False),
    (Faults(user_in_use=True), "sage.user_in_use", True),
    (Faults(exclusive=True), "sage.exclusive_mode", True),
    (Faults(licence_limit=True), "sage.licence_limit", True),
    (Faults(data_service_down=True), "sage.data_service", True),
    (Faults(wrong_version=True), "sage.wrong_version", False),
    (Faults(cloud_error=104), "sage.cloud_error", True),
])
def test_connect_faults_reach_the_user_as_plain_messages(company: Company, open_ledger: Callable[..., Sage50UKLedger],
                                                         faults: Faults, code: str, retryable: bool) -> None:
    with pytest.raises(LedgerUnavailable) as err:
        open_ledger(faults=faults)
    assert err.value.code == code
    assert err.value.retryable is retryable
    assert err.value.fix
    assert company.sessions() == []


def test_bad_data_path_and_unknown_user(company: Company, make_conn: Callable[..., ConnectionSettings]) -> None:
    conn = make_conn
    engine = SDOEngine(company)
    with pytest.raises(LedgerUnavailable) as err:
        Sage50UKLedger.open(conn(data_path="C:\\WRONG"), engine_factory=lambda v: engine)
    assert err.value.code == "sage.bad_data_path" and "C:\\WRONG" in err.value.message
    with pytest.raises(LedgerUnavailable) as err:
        Sage50UKLedger.open(conn(username="NOBODY"), engine_factory=lambda v: engine)
    assert err.value.code == "sage.logon_failed" and "NOBODY" in err.value.message


def test_same_user_twice_is_refused_while_the_first_session_lasts(open_ledger: Callable[..., Sage50UKLedger]) -> None:
    first = open_ledger()
    with pytest.raises(LedgerUnavailable) as err:
        open_ledger()
    assert err.value.code == "sage.user_in_use"
    first.close()
    open_ledger().close()  # free again after a clean disconnect


def _invoice(number: str = "INV1") -> Invoice:
    return Invoice(number=number, customer_ref="ABS001", date=date(2026, 11, 2),
                   lines=(InvoiceLine("", "Support", Decimal(1), Decimal(10), Decimal(10), Decimal(2), "T1", "4000"),))


@pytest.mark.parametrize("update_raises", [False, True])
def test_file_busy_on_update_stops_the_batch(open_ledger: Callable[..., Sage50UKLedger], update_raises: bool) -> None:
    ledger = open_ledger(faults=Faults(file_busy=True, update_raises=update_raises))
    outcomes = ledger.post_invoices([_invoice("A1"), _invoice("A2")])
    assert [o.error.code for o in outcomes if o.error] == ["sage.file_busy", "sage.file_busy"]
    assert all(isinstance(o.error, LedgerUnavailable) and o.error.retryable for o in outcomes)


def test_read_only_user(open_ledger: Callable[..., Sage50UKLedger]) -> None:
    from halo_accounts.ledgers.port import Customer

    with pytest.raises(LedgerError) as err:
        open_ledger(faults=Faults(read_only=True)).create_customer(Customer(name="New Co"))
    assert err.value.code == "sage.read_only"
    assert "Access Rights" in err.value.fix


def test_kicked_out_session(open_ledger: Callable[..., Sage50UKLedger]) -> None:
    with pytest.raises(LedgerUnavailable) as err:
        open_ledger(faults=Faults(kicked_out=True)).tax_codes()
    assert err.value.code == "sage.kicked_out"


def test_lost_connection_is_not_connected(ledger: Sage50UKLedger) -> None:
    ledger.session.workspace.Disconnect()
    with pytest.raises(LedgerUnavailable) as err:
        ledger.accounts()
    assert err.value.code == "sage.not_connected" and err.value.retryable


def test_update_ledgers_refused_then_finished_on_the_next_look(company: Company,
                                                               open_ledger: Callable[..., Sage50UKLedger]) -> None:
    from halo_accounts.ledgers.sage50uk import InvoiceRoute

    ledger = open_ledger(InvoiceRoute.PRODUCT_INVOICE, update_ledgers=False)
    ledger.post_invoices([_invoice("31")])
    ledger.update_ledgers = True
    ledger.session.engine.faults.file_busy = True
    with pytest.raises(LedgerUnavailable) as err:
        ledger.find_invoice("31")
    assert err.value.code == "sage.file_busy"
    assert company.header_count() == 0
    ledger.session.engine.faults.file_busy = False
    found = ledger.find_invoice("31")
    assert found is not None and found.balance == Decimal("12.00") and company.header_count() == 1
