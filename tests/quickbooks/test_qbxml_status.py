"""Every status code in qbxml/NOTES.md §3.7 maps to a typed error with a plain message and a fix."""

from __future__ import annotations

import pytest

from halo_accounts.ledgers.port import LedgerError, LedgerUnavailable, RecordRejected
from halo_accounts.ledgers.quickbooks.qbxml import status
from halo_accounts.ledgers.quickbooks.qbxml.status import Status, error_for

CASES = [
    (3100, status.NameInUse, RecordRejected, "customer, vendor, employee or other name"),
    (3120, status.ObjectNotFound, RecordRejected, "could not find"),
    (3130, status.InvalidReference, RecordRejected, "does not have"),
    (3140, status.InvalidReference, RecordRejected, "does not have"),
    (3150, status.QbRecordRejected, RecordRejected, "required field"),
    (3170, status.RecordLocked, RecordRejected, "in use by another user"),
    (3175, status.RecordLocked, RecordRejected, "in use by another user"),
    (3176, status.RecordLocked, RecordRejected, "in use by another user"),
    (3180, status.RecordLocked, RecordRejected, "in use by another user"),
    (3171, status.QbRecordRejected, RecordRejected, "closing date"),
    (3200, status.StaleEditSequence, RecordRejected, "edit sequence"),
    (3210, status.QbRecordRejected, RecordRejected, "does not accept"),
    (3000, status.QbRecordRejected, RecordRejected, "not valid"),
    (3010, status.QbRecordRejected, RecordRejected, "does not accept"),
    (3020, status.QbRecordRejected, RecordRejected, "does not accept"),
    (3030, status.QbRecordRejected, RecordRejected, "does not accept"),
    (3031, status.QbRecordRejected, RecordRejected, "does not accept"),
    (3231, status.NotProcessed, RecordRejected, "earlier request"),
    (3250, status.FeatureNotEnabled, RecordRejected, "turned off"),
    (3260, status.PermissionDenied, LedgerUnavailable, "permission"),
    (3261, status.PermissionDenied, LedgerUnavailable, "permission"),
    (1000, status.QbUnavailable, LedgerUnavailable, "internal error"),
    (1010, status.QbUnavailable, LedgerUnavailable, "not available"),
    (1030, status.UnsupportedRequest, LedgerError, "does not support"),
    (1060, status.QuickBooksStatusError, LedgerError, "request id"),
    (2500, status.UnsupportedRequest, LedgerError, "does not support"),
    (1999, status.QuickBooksStatusError, LedgerError, "could not process"),
    (3999, status.QbRecordRejected, RecordRejected, "refused"),
]


@pytest.mark.parametrize(("code", "cls", "port_cls", "phrase"), CASES)
def test_status_code_to_typed_error(code: int, cls: type, port_cls: type, phrase: str) -> None:
    st = Status(code, "Error", f"QuickBooks text for {code}")
    assert st.is_error
    err = error_for(st, request="CustomerAdd", record="customer 'Smith & Jones'")
    assert type(err) is cls
    assert isinstance(err, port_cls)
    assert phrase in err.message
    assert err.fix
    assert err.status_code == code
    assert "{" not in err.message + err.fix


def test_retryable_flags() -> None:
    def retry(code: int) -> bool:
        return error_for(Status(code, "Error")).retryable

    assert retry(3200) and retry(3180) and retry(3231) and retry(1010)
    assert not retry(3100) and not retry(3140) and not retry(3261)


def test_name_in_use_explains_shared_name_space() -> None:
    err = error_for(Status(3100, "Error", 'The name "Acme" of the list element is already in use.'),
                    record="customer 'Acme'")
    assert "Acme" in err.message
    assert "map customer" in err.fix


@pytest.mark.parametrize("code", [0, 1, 500, 501, 510, 530, 531, 560])
def test_ok_no_match_and_warnings_are_not_errors(code: int) -> None:
    assert not Status(code, "Warn" if code >= 500 else "Info").is_error


def test_every_qb_code_used_in_the_code_is_in_the_catalogue() -> None:
    import re
    from pathlib import Path

    import halo_accounts.ledgers.quickbooks as qb
    from halo_accounts.messages import catalogue

    root = Path(qb.__file__).parent
    files = [root / "ledger.py", *sorted((root / "qbxml").glob("*.py"))]
    used = set()
    for path in files:
        used |= set(re.findall(r'"(qb\.[a-z_]+\.[a-z_]+)"', path.read_text("utf-8")))
    assert len(used) > 20
    missing = sorted(code for code in used if code not in catalogue())
    assert not missing, missing
