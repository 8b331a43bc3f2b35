"""One qbXML request document in, one response document out: envelope, version, onError, requestID echo.

NOTES §3.1: ``QBXMLMsgsRq onError`` is required; requests run in document order; each gets one ``*Rs`` with
statusCode/statusSeverity/statusMessage, requestID echoed when it was sent (even empty) and absent otherwise
(real-responses/README.md). Failures of the document itself raise `RequestProcessorError` (NOTES §1.3).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from halo_accounts import xmlsafe
from halo_accounts.errors import HaloAccountsError
from halo_accounts.sandbox.quickbooks import customers, editions, host, items, lists, payments, sales, schema
from halo_accounts.sandbox.quickbooks.context import Ctx
from halo_accounts.sandbox.quickbooks.query import Reply
from halo_accounts.sandbox.quickbooks.status import (
    QbError,
    Status,
    UnsupportedBySandbox,
    parse_failure,
    status,
)

Handler = Callable[[Ctx, etree._Element], Reply]

HANDLERS: dict[str, Handler] = {
    "HostQueryRq": host.host_query,
    "CompanyQueryRq": host.company_query,
    "PreferencesQueryRq": host.preferences_query,
    "CustomerAddRq": customers.customer_add,
    "CustomerModRq": customers.customer_mod,
    "CustomerQueryRq": customers.customer_query,
    "ItemServiceAddRq": items.item_service_add,
    "ItemNonInventoryAddRq": items.item_non_inventory_add,
    "ItemOtherChargeAddRq": items.item_other_charge_add,
    "ItemQueryRq": items.item_query,
    "ItemServiceQueryRq": items.item_service_query,
    "ItemNonInventoryQueryRq": items.item_non_inventory_query,
    "ItemOtherChargeQueryRq": items.item_other_charge_query,
    "ItemSalesTaxQueryRq": items.item_sales_tax_query,
    "ItemSalesTaxGroupQueryRq": items.item_sales_tax_group_query,
    "SalesTaxCodeQueryRq": lists.sales_tax_code_query,
    "AccountQueryRq": lists.account_query,
    "TermsQueryRq": lists.terms_query,
    "ClassQueryRq": lists.class_query,
    "InvoiceAddRq": sales.invoice_add,
    "InvoiceModRq": sales.invoice_mod,
    "InvoiceQueryRq": sales.invoice_query,
    "CreditMemoAddRq": sales.credit_memo_add,
    "CreditMemoQueryRq": sales.credit_memo_query,
    "ReceivePaymentQueryRq": payments.receive_payment_query,
}

# [?] NOTES §3.1/§8.3: whether desktop honours rollbackOnError is unknown; the sandbox treats it as
# stopOnError and keeps the requests already done (the cautious reading: never rely on a rollback).
ROLLBACK_UNDOES_EARLIER = False
# NOTES §3.1: the <?qbxml version?> PI is mandatory in practice and selects the spec version [?: the exact
# failure for a missing/unknown version is not documented; the parse HRESULT is used].
_PI = re.compile(r"<\?qbxml\s+version\s*=\s*\"([^\"]+)\"\s*\?>")
# NOTES §3.1: requestID max 50 characters, else status 1060.
MAX_REQUEST_ID = 50
# NOTES §3.5: the queries whose schema has the iterator attribute (among those the sandbox answers).
ITERATOR_QUERIES = frozenset({
    "CustomerQueryRq", "ItemQueryRq", "ItemServiceQueryRq", "ItemNonInventoryQueryRq", "ItemOtherChargeQueryRq",
    "ItemSalesTaxQueryRq", "ItemSalesTaxGroupQueryRq", "InvoiceQueryRq", "CreditMemoQueryRq",
    "ReceivePaymentQueryRq",
})


def parse_request(text: str, edition: str, schema_path: str | Path | None) -> tuple[etree._Element, str]:
    """The QBXMLMsgsRq element and the requested version, or a RequestProcessorError."""
    if any(ord(ch) > 127 for ch in text):
        # NOTES §3.2: raw non-ASCII in the request failed in real QuickBooks; numeric references work.
        raise parse_failure("raw non-ASCII character in the request (send &#NNN; references)")
    match = _PI.search(text)
    if match is None:
        raise parse_failure('missing <?qbxml version="..."?> processing instruction')
    version = match.group(1)
    if version not in editions.HOSTS[edition].versions:
        raise parse_failure(f"qbXML version {version} is not supported by this QuickBooks")
    try:
        root = xmlsafe.parse(text, what="qbXML request")
    except HaloAccountsError as exc:
        raise parse_failure(exc.message) from None
    if schema_path is not None:
        found = schema.problems(schema.load(str(schema_path)), root)
        if found:
            raise parse_failure("; ".join(found[:3]))
    msgs = root.find("QBXMLMsgsRq")
    if root.tag != "QBXML" or msgs is None:
        raise parse_failure("root must be QBXML holding QBXMLMsgsRq")
    if msgs.get("onError") not in ("stopOnError", "continueOnError", "rollbackOnError"):
        raise parse_failure("QBXMLMsgsRq needs onError = stopOnError | continueOnError | rollbackOnError")
    for rq in msgs:
        if not isinstance(rq.tag, str):
            continue
        if not rq.tag.endswith("Rq"):
            raise parse_failure(f"unexpected element {rq.tag}")
        if rq.tag not in HANDLERS:
            raise UnsupportedBySandbox(f"the QuickBooks sandbox does not emulate {rq.tag}")
        if rq.get("iterator") is not None and rq.tag not in ITERATOR_QUERIES:
            raise parse_failure(f"{rq.tag} has no iterator attribute in the qbXML schema")
    return msgs, version


def _rs(rq: etree._Element, st: Status, reply: Reply | None, include_data: bool) -> etree._Element:
    rs = etree.Element(rq.tag[:-2] + "Rs")
    if rq.get("requestID") is not None:
        rs.set("requestID", rq.get("requestID", ""))
    rs.set("statusCode", str(st.code))
    rs.set("statusSeverity", st.severity)
    rs.set("statusMessage", st.message)
    # NOTES §3.1 metaData: a count of the matches ("retCount", OSR attribute order), with or without the data [I].
    meta = rq.get("metaData", "NoMetaData")
    if reply is not None and meta in ("MetaDataOnly", "MetaDataAndResponseData") and st.severity != "Error":
        rs.set("retCount", str(len(reply.rets)))
        if meta == "MetaDataOnly":
            include_data = False
    if reply is not None and reply.iterator is not None:
        rs.set("iteratorRemainingCount", str(reply.iterator[0]))
        rs.set("iteratorID", reply.iterator[1])
    if reply is not None and include_data:
        for element in reply.rets:
            rs.append(element)
    return rs


def run(ctx: Ctx, msgs: etree._Element) -> str:
    """Run every request of ``msgs`` and render the response document."""
    on_error = msgs.get("onError")
    # NOTES §3.1: responseData="includeNone" answers with status only.
    include_data = msgs.get("responseData", "includeAll") != "includeNone"
    out_root = etree.Element("QBXML")
    out = etree.SubElement(out_root, "QBXMLMsgsRs")
    stopped = False
    for rq in msgs:
        if not isinstance(rq.tag, str):
            continue
        if stopped:
            # NOTES §1.6: members after a failure under stopOnError are skipped (3231).
            out.append(_rs(rq, status(3231), None, include_data))
            continue
        request_id = rq.get("requestID")
        if request_id is not None and len(request_id) > MAX_REQUEST_ID:
            out.append(_rs(rq, status(1060, value=request_id), None, include_data))
            stopped = on_error in ("stopOnError", "rollbackOnError")
            continue
        ctx.warning = None
        ctx.store.begin()
        try:
            reply = HANDLERS[rq.tag](ctx, rq)
        except QbError as err:
            ctx.store.rollback()
            failed = Reply(rets=err.rets, status=err.status)
            out.append(_rs(rq, err.status, failed, include_data))
            if err.status.severity == "Error" and on_error in ("stopOnError", "rollbackOnError"):
                stopped = True
            continue
        except (ValueError, ArithmeticError) as exc:
            # A value QuickBooks' parser would refuse (bad date, non-numeric amount): the request processor
            # fails the document [I]; requests already run in this document stay done.
            ctx.store.rollback()
            raise parse_failure(f"{rq.tag}: {exc}") from None
        except BaseException:
            ctx.store.rollback()
            raise
        ctx.store.commit()
        st = ctx.warning if ctx.warning is not None and reply.status.code == 0 else reply.status
        out.append(_rs(rq, st, reply, include_data))
    body = etree.tostring(out_root, pretty_print=True, encoding="unicode")
    return '<?xml version="1.0" ?>\n' + body
