"""Query semantics shared by every ``*QueryRq``: selectors, filters, MaxReturned, iterators, no-match replies.

NOTES §3.5 and §4.3/§4.7: identity selectors (ListID/FullName or TxnID/RefNumber) exclude the filter block;
list queries filter by ActiveStatus and bare From/ToModifiedDate, transaction queries by
ModifiedDateRangeFilter/TxnDateRangeFilter/EntityFilter/RefNumber filters; iterators page a snapshot.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from halo_accounts.sandbox.quickbooks import editions
from halo_accounts.sandbox.quickbooks.context import Ctx, Iterator
from halo_accounts.sandbox.quickbooks.status import NO_MATCH, OK, QbError, Status, UnsupportedBySandbox, status
from halo_accounts.sandbox.quickbooks.store import Record

Hit = tuple[str, Record]
Render = Callable[[str, Record], etree._Element]


@dataclass
class Reply:
    """What a handler answers: status, ``*Ret`` elements, and iterator attributes if iterating."""

    rets: list[etree._Element] = field(default_factory=list)
    status: Status = OK
    iterator: tuple[int, str] | None = None


def _texts(rq: etree._Element, tag: str) -> list[str]:
    return [(e.text or "").strip() for e in rq.findall(tag)]


def _include(rq: etree._Element) -> set[str] | None:
    """IncludeRetElement restricts the returned fields (NOTES §3.5)."""
    wanted = set(_texts(rq, "IncludeRetElement"))
    return wanted or None


def _name_match(rq: etree._Element, full_name: str) -> bool:
    name_filter = rq.find("NameFilter")
    if name_filter is not None:
        how = name_filter.findtext("MatchCriterion", "")
        needle = name_filter.findtext("Name", "").lower()
        hay = full_name.lower()
        return {"StartsWith": hay.startswith, "EndsWith": hay.endswith}.get(how, hay.__contains__)(needle)
    rng = rq.find("NameRangeFilter")
    if rng is not None:
        low, high = rng.findtext("FromName"), rng.findtext("ToName")
        key = full_name.lower()
        return (low is None or key >= low.lower()) and (high is None or key <= high.lower())
    return True


def _modified_in(ctx: Ctx, rec: Record, frm: str | None, to: str | None) -> bool:
    # NOTES §3.5: From without time = T00:00:00, To without time = end of day; both taken as inclusive [?].
    when = rec.get("_modified", 0.0)
    if frm and when < ctx.clock.parse(frm):
        return False
    return not (to and when > ctx.clock.parse(to, end_of_day=True))


def list_query(
    ctx: Ctx,
    rq: etree._Element,
    kinds: tuple[str, ...],
    render: Render,
    *,
    accept: Callable[[str, Record], bool] = lambda kind, rec: True,
    full_name: Callable[[Record], str] = lambda rec: rec.get("FullName") or rec["Name"],
) -> Reply:
    """A list query (Customer, Item*, Account, Class, Terms, SalesTaxCode ...)."""
    ids, names = _texts(rq, "ListID"), _texts(rq, "FullName")
    hits: list[Hit] = [(k, r) for k, r in ctx.store.all(kinds) if accept(k, r)]
    include = _include(rq)
    if ids:
        by_id = {r["ListID"]: (k, r) for k, r in hits}
        for wanted in ids:
            if wanted not in by_id:
                # real-responses/qbwc-CustomerQueryRs-3120-1.xml
                raise QbError(status(3120, value=wanted))
        return _answer(ctx, rq, [by_id[i] for i in ids], render, include)
    if names:
        by_name = {full_name(r).lower(): (k, r) for k, r in hits}
        found = [by_name[n.lower()] for n in names if n.lower() in by_name]
        missing = [n for n in names if n.lower() not in by_name]
        reply = _answer(ctx, rq, found, render, include)
        if missing:
            # real-responses/qbwc-CustomerQueryRs-500-warn-1.xml: a FullName that matches nothing
            reply.status = status(500, value=missing[0])
        return reply
    active = rq.findtext("ActiveStatus", "ActiveOnly")
    frm, to = rq.findtext("FromModifiedDate"), rq.findtext("ToModifiedDate")
    selected = [
        (k, r)
        for k, r in hits
        if (active == "All" or (active == "ActiveOnly") == r.get("IsActive", True))
        and _modified_in(ctx, r, frm, to)
        and _name_match(rq, full_name(r))
    ]
    # [?] QuickBooks lists come back in list (name) order.
    selected.sort(key=lambda h: full_name(h[1]).lower())
    return _answer(ctx, rq, selected, render, include, paged=True)


def txn_query(
    ctx: Ctx,
    rq: etree._Element,
    kind: str,
    render: Render,
    *,
    accept: Callable[[Record], bool] = lambda rec: True,
) -> Reply:
    """A transaction query (Invoice, CreditMemo, ReceivePayment)."""
    hits: list[Hit] = [(kind, r) for _, r in ctx.store.all((kind,))]
    include = _include(rq)
    txn_ids = _texts(rq, "TxnID")
    if txn_ids:
        by_id = {r["TxnID"]: (k, r) for k, r in hits}
        for wanted in txn_ids:
            if wanted not in by_id:
                # [?] same wording as the list 3120 (real-responses/qbwc-CustomerQueryRs-3120-1.xml)
                raise QbError(status(3120, value=wanted))
        return _answer(ctx, rq, [by_id[i] for i in txn_ids], render, include)
    refs = _texts(rq, "RefNumber")
    exact = _texts(rq, "RefNumberCaseSensitive")
    if refs or exact:
        wanted_ci = {r.lower() for r in refs}
        picked = [
            (k, r)
            for k, r in hits
            if (r.get("RefNumber") or "").lower() in wanted_ci or r.get("RefNumber") in exact
        ]
        # [?] RefNumber is a filter, not an identity (NOTES §3.6): no match is statusCode 1, not 500.
        return _answer(ctx, rq, picked, render, include)
    selected = [(k, r) for k, r in hits if accept(r) and _txn_filters(ctx, rq, r)]
    return _answer(ctx, rq, selected, render, include, paged=True)


def _txn_filters(ctx: Ctx, rq: etree._Element, rec: Record) -> bool:
    mod = rq.find("ModifiedDateRangeFilter")
    if mod is not None and not _modified_in(ctx, rec, mod.findtext("FromModifiedDate"), mod.findtext("ToModifiedDate")):
        return False
    dates = rq.find("TxnDateRangeFilter")
    if dates is not None:
        if dates.find("DateMacro") is not None:
            raise UnsupportedBySandbox("TxnDateRangeFilter/DateMacro")
        day = rec.get("TxnDate", "")
        low, high = dates.findtext("FromTxnDate"), dates.findtext("ToTxnDate")
        if (low and day < low) or (high and day > high):
            return False
    entity = rq.find("EntityFilter")
    if entity is not None:
        customer = rec.get("CustomerRef", {})
        ids = _texts(entity, "ListID") + _texts(entity, "ListIDWithChildren")
        names = [n.lower() for n in _texts(entity, "FullName")]
        with_children = [n.lower() for n in _texts(entity, "FullNameWithChildren")]
        full = customer.get("FullName", "").lower()
        if not (
            customer.get("ListID") in ids
            or full in names
            or any(full == n or full.startswith(n + ":") for n in with_children)
        ):
            return False
    account = rq.find("AccountFilter")
    if account is not None:
        ar = rec.get("ARAccountRef", {})
        if ar.get("ListID") not in _texts(account, "ListID") and ar.get("FullName") not in _texts(account, "FullName"):
            return False
    ref_filter = rq.find("RefNumberFilter")
    if ref_filter is not None:
        how = ref_filter.findtext("MatchCriterion", "")
        needle, hay = ref_filter.findtext("RefNumber", ""), rec.get("RefNumber") or ""
        if not {"StartsWith": hay.startswith, "EndsWith": hay.endswith}.get(how, hay.__contains__)(needle):
            return False
    rng = rq.find("RefNumberRangeFilter")
    if rng is not None:
        hay = rec.get("RefNumber") or ""
        low, high = rng.findtext("FromRefNumber"), rng.findtext("ToRefNumber")
        if (low and hay < low) or (high and hay > high):
            return False
    paid = rq.findtext("PaidStatus", "All")
    return not (paid == "PaidOnly" and not rec.get("IsPaid")) and not (paid == "NotPaidOnly" and rec.get("IsPaid"))


def _max(rq: etree._Element) -> int | None:
    text = rq.findtext("MaxReturned")
    return int(text) if text else None


def _answer(
    ctx: Ctx,
    rq: etree._Element,
    hits: list[Hit],
    render: Render,
    include: set[str] | None,
    *,
    paged: bool = False,
) -> Reply:
    mode = rq.get("iterator")
    if mode is not None and editions.ITERATORS_SUPPORTED[ctx.edition]:
        return _iterate(ctx, rq, mode, hits, render, include)
    if paged and (cap := _max(rq)) is not None:
        hits = hits[:cap]
    return _rendered(hits, render, include)


def _rendered(hits: list[Hit], render: Render, include: set[str] | None) -> Reply:
    rets = []
    for kind, rec in hits:
        element = render(kind, rec)
        if include is not None:
            for child in list(element):
                if child.tag not in include:
                    element.remove(child)
        rets.append(element)
    return Reply(rets=rets, status=OK if rets else NO_MATCH)


def _iterate(
    ctx: Ctx, rq: etree._Element, mode: str, hits: list[Hit], render: Render, include: set[str] | None
) -> Reply:
    """NOTES §3.5: Start snapshots the matches; Continue pages on with iteratorID; Stop drops it."""
    page = _max(rq)
    if mode == "Start":
        iterator_id = "{" + str(uuid.uuid4()) + "}"
        state = Iterator(request=rq.tag, keys=[(k, _key(r)) for k, r in hits], page=page)
        ctx.iterators[iterator_id] = state
    else:
        iterator_id = rq.get("iteratorID", "")
        known = ctx.iterators.get(iterator_id)
        if known is None or known.request != rq.tag:
            # [?] NOTES gives no code for an unknown/expired iterator; 3000 "invalid object ID" (NOTES §3.7).
            raise QbError(status(3000, value=iterator_id, field="iteratorID"))
        state = known
        if mode == "Stop":
            del ctx.iterators[iterator_id]
            return Reply()
        page = page or state.page
    size = page if page is not None else len(state.keys)
    chunk, state.keys = state.keys[:size], state.keys[size:]
    if not state.keys:
        ctx.iterators.pop(iterator_id, None)
    found: list[Hit] = []
    for kind, rec_id in chunk:
        rec = ctx.store.get(kind, rec_id)
        if rec is not None:
            found.append((kind, rec))
    reply = _rendered(found, render, include)
    if reply.rets:
        reply.iterator = (len(state.keys), iterator_id)
    return reply


def _key(rec: Record) -> str:
    return rec.get("ListID") or rec["TxnID"]
