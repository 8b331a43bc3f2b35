"""SDO error codes and conditions (NOTES §1.11) -> the catalogue message and how the run should react.

One table: code -> (Sage's constant name, message code, reaction). Reactions: ``unavailable`` stops the run and
retries later, ``config`` stops the run until the user changes a setting, ``rejected`` holds the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from halo_accounts.ledgers.port import LedgerError, LedgerUnavailable, RecordRejected

Reaction = Literal["unavailable", "config", "rejected"]


@dataclass(frozen=True)
class SdoErrorInfo:
    name: str
    message: str
    reaction: Reaction


# NOTES §1.11 (ErrorCode enum [S1 Constants_Exceptions.htm][S2]); §1.6 for 82/83/84/86/50.
SDO_ERRORS: dict[int, SdoErrorInfo] = {
    16: SdoErrorInfo("sdoNotConnected", "sage.not_connected", "unavailable"),
    21: SdoErrorInfo("sdoLogonFail", "sage.logon_failed", "config"),
    22: SdoErrorInfo("sdoLogonPassword", "sage.logon_password", "config"),
    23: SdoErrorInfo("sdoLogonNameInUse", "sage.user_in_use", "unavailable"),
    24: SdoErrorInfo("sdoLogonExclusive", "sage.exclusive_mode", "unavailable"),
    25: SdoErrorInfo("sdoBadDataPath", "sage.bad_data_path", "config"),
    26: SdoErrorInfo("sdoWrongVersion", "sage.wrong_version", "config"),
    27: SdoErrorInfo("sdoBadUpdateMode", "sage.bad_update_mode", "rejected"),
    28: SdoErrorInfo("sdoDeleteFailed", "sage.delete_failed", "rejected"),  # NOTES: "28/29 delete failed"
    29: SdoErrorInfo("sdoDeleteFailed", "sage.delete_failed", "rejected"),
    30: SdoErrorInfo("sdoLogonUserCountExceeded", "sage.licence_limit", "unavailable"),
    31: SdoErrorInfo("sdoNotRegistered", "sage.integration_not_enabled", "config"),
    32: SdoErrorInfo("sdoReadOnlyAccess", "sage.read_only", "config"),
    34: SdoErrorInfo("sdoCurrencyDoesNotMatch", "sage.currency_mismatch", "rejected"),
    44: SdoErrorInfo("sdoZeroValueTransaction", "sage.zero_value", "rejected"),
    48: SdoErrorInfo("sdoFileLockedAccountsBusy", "sage.file_busy", "unavailable"),
    49: SdoErrorInfo("sdoClosedLedgerDateControlError", "sage.date_locked", "rejected"),
    50: SdoErrorInfo("sdoEmptyKey", "sage.empty_key", "rejected"),
    63: SdoErrorInfo("sdoEmptyAccountReference", "sage.empty_account_ref", "rejected"),
    65: SdoErrorInfo("sdoInvalidNominalCode", "sage.invalid_nominal", "rejected"),
    70: SdoErrorInfo("sdoSalPurAccountIsOnHold", "sage.account_on_hold", "rejected"),
    82: SdoErrorInfo("sdoAccountRefContainsSpaces", "sage.account_ref_spaces", "rejected"),
    83: SdoErrorInfo("sdoAddressLineIsTooLong", "sage.address_too_long", "rejected"),
    84: SdoErrorInfo("sdoAccountRefAlreadyExists", "sage.account_ref_exists", "rejected"),
    86: SdoErrorInfo("sdoAccountRefContainsInvalidCharacters", "sage.account_ref_invalid", "rejected"),
    87: SdoErrorInfo("sdoInvalidDate", "sage.invalid_date", "rejected"),
    88: SdoErrorInfo("sdoNominalAccountIsControl", "sage.nominal_is_control", "rejected"),
    89: SdoErrorInfo("sdoInvoiceTotalNegative", "sage.invoice_total_negative", "rejected"),
    91: SdoErrorInfo("sdoConnectionKickedOut", "sage.kicked_out", "unavailable"),
    94: SdoErrorInfo("sdoUnableConnectToDataService", "sage.data_service", "unavailable"),
}
# NOTES §1.11: v32 additions 101-125 sdoOn*Exception (Sage ID / data-service / cloud errors). Their individual
# names are not in the notes [?]: one message for the range.
CLOUD_ERROR_RANGE = range(101, 126)
CLOUD_ERROR = SdoErrorInfo("sdoOnException", "sage.cloud_error", "unavailable")
UNKNOWN_ERROR = SdoErrorInfo("", "sage.sdo_error", "rejected")


def info(code: int) -> SdoErrorInfo:
    if code in SDO_ERRORS:
        return SDO_ERRORS[code]
    if code in CLOUD_ERROR_RANGE:
        return CLOUD_ERROR
    return UNKNOWN_ERROR


def to_ledger_error(code: int, text: str, *, what: str, **params: object) -> LedgerError:
    """The port error for SDO error ``code`` with Sage's ``text``, raised while doing ``what``."""
    entry = info(code)
    values: dict[str, object] = {"what": what, "sdo_code": code, "text": text or "no text",
                                 "field": "the client's Accounts ID", **params}
    error: LedgerError
    if entry.reaction == "rejected":
        error = RecordRejected(entry.message, **values)
    else:
        error = LedgerUnavailable(entry.message, **values)
        error.retryable = entry.reaction == "unavailable"
    return error
