"""qbXML status codes (NOTES §3.7) -> typed errors with a plain message and a fix. Free of I/O.

0 is OK, 1 ("no match") is an empty answer, 500-999 are warnings (data returned); everything else is
an error whose class tells the sync engine what to do: hold the record (`RecordRejected`), stop the
run (`LedgerUnavailable`), or neither (`LedgerError`).
"""

from __future__ import annotations

from dataclasses import dataclass

from halo_accounts.ledgers.port import LedgerError, LedgerUnavailable, RecordRejected


class QuickBooksStatusError(LedgerError):
    """Base of errors carrying a qbXML status code."""

    status_code: int = 0
    status_message: str = ""


class QbRecordRejected(RecordRejected, QuickBooksStatusError):
    """QuickBooks refused this record; the user can fix it (hold it, go on)."""


class NameInUse(QbRecordRejected):
    """3100: the name is already used by another customer, vendor, employee or other name."""


class ObjectNotFound(QbRecordRejected):
    """3120: an object named in the request does not exist."""


class InvalidReference(QbRecordRejected):
    """3140 / 3130: a reference (customer, item, account, tax code, parent) is not in QuickBooks."""


class StaleEditSequence(QbRecordRejected):
    """3200: the record changed in QuickBooks since we read it; re-read and retry."""

    retryable = True


class RecordLocked(QbRecordRejected):
    """3170/3175/3176/3180: the record or list is in use by another user; try again later."""

    retryable = True


class NotProcessed(QbRecordRejected):
    """3231: not processed because an earlier request in the batch failed."""

    retryable = True


class FeatureNotEnabled(QbRecordRejected):
    """3250: the feature is turned off or not available in this QuickBooks edition/version."""


class QbUnavailable(LedgerUnavailable, QuickBooksStatusError):
    """QuickBooks cannot serve requests now: stop the run."""


class PermissionDenied(QbUnavailable):
    """3260/3261: the QuickBooks user or this application lacks permission; needs the user, not a retry."""

    retryable = False


class UnsupportedRequest(QuickBooksStatusError):
    """1030 / 2000-2999: this QuickBooks does not support the request."""


OK = 0
NO_MATCH = 1
"""NOTES §3.7: a query that found nothing. Not an error."""
PARTIAL = 500
"""NOTES §3.7: a query by ListID/FullName where some objects were not found (warning, data returned)."""
NOT_FOUND = 3120
STALE = 3200

# code -> (error class, catalogue code). NOTES §3.7; every code the notes list.
STATUS: dict[int, tuple[type[QuickBooksStatusError], str]] = {
    1000: (QbUnavailable, "qb.status.internal"),
    1010: (QbUnavailable, "qb.status.unavailable"),
    1030: (UnsupportedRequest, "qb.status.unsupported"),
    1060: (QuickBooksStatusError, "qb.status.request_id"),
    3000: (QbRecordRejected, "qb.status.invalid_id"),
    3010: (QbRecordRejected, "qb.status.invalid_value"),
    3020: (QbRecordRejected, "qb.status.invalid_value"),
    3030: (QbRecordRejected, "qb.status.invalid_value"),
    3031: (QbRecordRejected, "qb.status.invalid_value"),
    3100: (NameInUse, "qb.status.name_in_use"),
    3120: (ObjectNotFound, "qb.status.not_found"),
    3130: (InvalidReference, "qb.status.invalid_reference"),
    3140: (InvalidReference, "qb.status.invalid_reference"),
    3070: (QbRecordRejected, "qb.status.invalid_value"),  # string too long ([?] not in NOTES §3.7; sandbox uses it)
    3150: (QbRecordRejected, "qb.status.missing_element"),
    3170: (RecordLocked, "qb.status.locked"),
    3171: (QbRecordRejected, "qb.status.closing_date"),
    3175: (RecordLocked, "qb.status.locked"),
    3176: (RecordLocked, "qb.status.locked"),
    3180: (RecordLocked, "qb.status.locked"),
    3200: (StaleEditSequence, "qb.status.stale"),
    3210: (QbRecordRejected, "qb.status.invalid_value"),
    3231: (NotProcessed, "qb.status.not_processed"),
    3250: (FeatureNotEnabled, "qb.status.feature"),
    3260: (PermissionDenied, "qb.status.permission"),
    3261: (PermissionDenied, "qb.status.app_permission"),
}


@dataclass(frozen=True)
class Status:
    code: int
    severity: str = "Info"
    message: str = ""

    @property
    def is_error(self) -> bool:
        """Errors only: OK, no-match and warnings (NOTES §3.7 ranges 0-999) are not."""
        if self.code in STATUS:
            return True
        if self.severity.lower() == "error":
            return True
        return self.code >= 1000


def error_for(status: Status, *, request: str = "", record: str = "") -> QuickBooksStatusError:
    """The typed error for an error status (`Status.is_error`)."""
    cls, code = STATUS.get(status.code, (None, ""))  # type: ignore[assignment]
    if cls is None:
        if 2000 <= status.code < 3000:
            cls, code = UnsupportedRequest, "qb.status.unsupported"
        elif 1000 <= status.code < 2000:
            cls, code = QuickBooksStatusError, "qb.status.general"
        else:
            cls, code = QbRecordRejected, "qb.status.rejected"
    err = cls(code, status=status.code, detail=status.message.strip(), request=request or "request",
              record=record or "the record")
    err.status_code = status.code
    err.status_message = status.message.strip()
    return err
