"""The status codes and message texts the sandbox company answers with, worded as real QuickBooks words them.

Every entry cites where the wording comes from (qbxml/NOTES.md §3.7 and qbxml/real-responses/); entries marked
[?] are not confirmed by a real response and live here, in one place, so they can be corrected.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class Status:
    """The three status attributes of a ``*Rs`` element."""

    code: int
    severity: str
    message: str


# real-responses/*: every successful reply.
OK = Status(0, "Info", "Status OK")
# real-responses/flowlink-ItemInventoryQueryRs-1-nomatch.xml, apotema-PurchaseOrderQueryRs-1-nomatch.xml.
NO_MATCH = Status(1, "Info", "A query request did not find a matching object in QuickBooks")

_IN_LIST = "QuickBooks error message: Invalid argument.  The specified record does not exist in the list."

# (code, severity, template) — the template's {placeholders} are filled by `status()`.
TEMPLATES: dict[int, tuple[str, str]] = {
    # real-responses/qbwc-CustomerQueryRs-500-warn-1.xml
    500: (
        "Warn",
        'The query request has not been fully completed. There was a required element ("{value}") that could not '
        "be found in QuickBooks.",
    ),
    # real-responses/jwachira-CustomerModRs-530-warn-1.xml
    530: ("Warn", 'The field "{field}" is not supported by this implementation.'),
    # NOTES §3.1/§3.7: requestID longer than 50 characters is 1060 [C]; wording [?].
    1060: ("Error", 'The requestID "{value}" is too long; it may be at most 50 characters.'),
    # [?] NOTES §3.7 names 3000 "invalid object ID" (amigopos table); wording not seen in a real response.
    3000: ("Error", 'The given object ID "{value}" in the field "{field}" is invalid.'),
    # [?] NOTES §8.4: the code for over-long values is unverified; 3070 is the brief's reading, wording guessed.
    3070: ("Error", 'The string "{value}" in the field "{field}" is too long.'),
    # real-responses/consolibyte-ItemServiceAddRs-3100-1.xml, jwachira-CustomerAddRs-3100-batch-1.xml
    3100: ("Error", 'The name "{value}" of the list element is already in use.'),
    # real-responses/qbwc-CustomerQueryRs-3120-1.xml
    3120: ("Error", 'Object "{value}" specified in the request cannot be found.  ' + _IN_LIST),
    # real-responses/hotglue-CustomerAddRs-batch-0-3100-3250-3130.xml
    3130: ("Error", 'There is an invalid reference to a parent "{value}" in the {list} list.  ' + _IN_LIST),
    # real-responses/flowlink-SalesOrderAdd-batch-1-0-3140.xml
    3140: ("Error", 'There is an invalid reference to QuickBooks {what} "{value}" in the {txn}.  ' + _IN_LIST),
    # real-responses/jwachira-CustomerModRs-3200-1.xml (the message really ends with a space)
    3200: ("Error", 'The provided edit sequence "{value}" is out-of-date. '),
    # real-responses/consolibyte-ReceivePaymentAddRs-3210-1.xml (severity there is hand-edited; Error used here)
    3210: (
        "Error",
        'The "{field}" field has an invalid value "{value}".  QuickBooks error message: {reason}',
    ),
    # [?] NOTES §1.6/§3.7: 3231 for members skipped under stopOnError (secondary source); wording guessed.
    3231: ("Error", "The request has not been processed."),
    # real-responses/hotglue-CustomerAddRs-batch-0-3100-3250-3130.xml
    3250: ("Error", "This feature is not enabled or not available in this version of QuickBooks."),
}


def status(code: int, **params: object) -> Status:
    """The status for ``code`` with its message filled in."""
    severity, template = TEMPLATES[code]
    return Status(code, severity, template.format(**params))


class QbError(Exception):
    """Raised by a handler to answer its request with ``status`` (and, for 3200/530, the current record)."""

    def __init__(self, st: Status, rets: list[etree._Element] | None = None) -> None:
        super().__init__(st.message)
        self.status = st
        self.rets = rets or []


# HRESULTs of the request processor itself (NOTES §1.3, from Intuit's WCWebService.asmx.cs [C]).
HRESULT_PARSE = "0x80040400"
HRESULT_PARSE_MESSAGE = "QuickBooks found an error when parsing the provided XML text stream."


class RequestProcessorError(RuntimeError):
    """The whole request document failed before QuickBooks ran it (what QBXMLRP2 raises as a COM error).

    Through the Web Connector this arrives as ``receiveResponseXML(hresult=..., message=...)`` with an empty
    response (NOTES §1.3); through COM as an exception from ``ProcessRequest``. ``detail`` says what the
    sandbox found wrong (real QuickBooks only gives the generic message).
    """

    def __init__(self, hresult: str, message: str, detail: str = "") -> None:
        super().__init__(f"{hresult}: {message}" + (f" ({detail})" if detail else ""))
        self.hresult = hresult
        self.message = message
        self.detail = detail


def parse_failure(detail: str) -> RequestProcessorError:
    """The error QBXMLRP2 gives for a document QuickBooks cannot parse against its schema (NOTES §1.3)."""
    return RequestProcessorError(HRESULT_PARSE, HRESULT_PARSE_MESSAGE, detail)


class UnsupportedBySandbox(NotImplementedError):
    """A request real QuickBooks understands but this sandbox does not emulate (a gap in the double, not a reply)."""
