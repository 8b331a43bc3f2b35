"""`QuickBooksLedger`: the ledger port over qbXML, on any `QbxmlTransport` (Web Connector, COM, sandbox).

Decisions that live here (see the module constants): the invoice's external key is kept in the
transaction's ``Other`` field; US tax codes are sales tax items (one per invoice); lists are read with
iterators where the edition allows them, else by modified-date windows (`qbxml.windows`); modified-since reads
overlap by `MODIFIED_OVERLAP`.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Literal, TypeVar

from lxml import etree

from halo_accounts.ledgers.port import (
    Account,
    Customer,
    Invoice,
    LedgerError,
    LedgerInfo,
    LedgerUnavailable,
    Outcome,
    Payment,
    Posted,
    Product,
    RecordRejected,
    TaxCode,
)
from halo_accounts.ledgers.quickbooks.qbxml import build, parse
from halo_accounts.ledgers.quickbooks.qbxml.build import CustomerTax, TxnTax, is_list_id, other_value
from halo_accounts.ledgers.quickbooks.qbxml.envelope import document
from halo_accounts.ledgers.quickbooks.qbxml.parse import Rs, SalesTaxCode, SalesTaxItem
from halo_accounts.ledgers.quickbooks.qbxml.status import (
    NO_MATCH,
    NOT_FOUND,
    PARTIAL,
    error_for,
)
from halo_accounts.ledgers.quickbooks.qbxml.text import clean, fit
from halo_accounts.ledgers.quickbooks.qbxml.version import (
    ITERATORS,
    choose_version,
    currency_code,
    edition_from,
    format_version,
)
from halo_accounts.ledgers.quickbooks.qbxml.windows import DateWindows
from halo_accounts.ledgers.quickbooks.transport import HostInfo, QbxmlTransport

MODIFIED_OVERLAP = timedelta(hours=1, minutes=1)
"""Modified-since reads start this much earlier: QuickBooks writes TimeModified with the standard-time
offset even in summer (real-responses/README.md) and the clock is the workstation's (NOTES §3.5, [?]).
Payments are keyed by a stable ``ledger_id``, so re-reading a few is harmless."""
FIND_BY_KEY_WINDOW = timedelta(days=14)
"""[?] When an invoice was posted without a number, `find_invoice` looks for its external key among
transactions modified in this window (QuickBooks cannot filter on ``Other``)."""
INCOME_ACCOUNT_TYPES = ("Income", "OtherIncome")
"""NOTES §4.3 AccountType values an invoice line may post to."""
ASSIGNS_NUMBERS = True
"""[?] QuickBooks numbers an invoice itself when RefNumber is left out (NOTES §4.5 RefNumber is optional)."""

_NOT_FOUND_CODES = (NO_MATCH, PARTIAL, NOT_FOUND)
_R = TypeVar("_R", Customer, Product)
_log = logging.getLogger(__name__)

MakeQuery = Callable[[str, int | None, datetime | None, datetime | None], etree._Element]
"""Builds one page's query: ``make(iterator, max_returned, modified_from, modified_to)``."""


def _stamp(ret: etree._Element) -> datetime | None:
    """A record's TimeModified (QuickBooks' clock), if it came back and parses."""
    try:
        return datetime.fromisoformat(parse.text(ret, "TimeModified"))
    except ValueError:
        return None


class QuickBooksLedger:
    """The `halo_accounts.ledgers.port.Ledger` for QuickBooks Desktop (US, UK, CA, AU)."""

    def __init__(self, transport: QbxmlTransport, *, edition: str | None = None, max_returned: int = 100,
                 now: Callable[[], datetime] | None = None) -> None:
        self._transport = transport
        self._configured_edition = edition.upper() if edition else None
        self._max_returned = max_returned  # NOTES §3.5 MaxReturned per iterator page / date window
        self._now = now or (lambda: datetime.now(UTC))
        self._ids = itertools.count(1)
        self._version: tuple[int, int] | None = None
        self._edition: str | None = None
        self._info: LedgerInfo | None = None
        self._tax: tuple[list[SalesTaxCode], list[SalesTaxItem]] | None = None
        self._accounts: list[Account] | None = None

    # ------------------------------------------------------------ plumbing

    def _rid(self) -> str:
        return str(next(self._ids))

    @property
    def edition(self) -> str:
        self._ensure_host()
        assert self._edition is not None
        return self._edition

    def _send(self, requests: Sequence[etree._Element], version: tuple[int, int] | None = None) -> list[Rs]:
        v = version or self._ensure_host()
        doc = document(requests, format_version(v, self._edition or "US"))
        return parse.parse_response(self._transport.process(doc))

    def _one(self, rq: etree._Element) -> Rs:
        rid = rq.get("requestID", "")
        responses = self._send([rq])
        for rs in responses:
            if rs.request_id == rid or not rs.request_id:
                return rs
        raise LedgerUnavailable("qb.response.missing", record="the request", request=rq.tag)

    @staticmethod
    def _check(rs: Rs, record: str = "") -> None:
        if rs.status.is_error:
            raise error_for(rs.status, request=rs.name, record=record)
        if rs.status.code >= PARTIAL:  # NOTES §3.7: 500-999 are warnings; the data came back, say so
            _log.warning("QuickBooks warning %s on %s for %s: %s", rs.status.code, rs.name, record or "request",
                         rs.status.message.strip())

    def _host_info(self) -> HostInfo | None:
        getter: Callable[[], object] | None = getattr(self._transport, "host_info", None)
        hi = getter() if getter else None
        return hi if isinstance(hi, HostInfo) else None  # anything else: ask QuickBooks (HostQuery)

    def _ensure_host(self) -> tuple[int, int]:
        """Version and edition from what QuickBooks reports (HostQuery, or the Web Connector's HCP
        response), once per ledger."""
        if self._version is not None:
            return self._version
        hi = self._host_info()
        responses: list[Rs] = []
        if hi is not None and hi.hcp_response.strip():
            try:
                responses = parse.parse_response(hi.hcp_response)
            except LedgerError:
                responses = []
        if not any(rs.name == "HostQuery" and rs.rets("HostRet") for rs in responses):
            probe = choose_version(hi.supported_versions if hi else (), hi.version if hi else None)
            responses = self._send(
                [build.host_query(self._rid()), build.company_query(self._rid()), build.preferences_query(self._rid())],
                version=probe)
        for rs in responses:
            if rs.name == "HostQuery" and rs.status.is_error:
                raise error_for(rs.status, request=rs.name, record="QuickBooks host information")
        host = next((parse.host_from(r) for rs in responses if rs.name == "HostQuery" for r in rs.rets("HostRet")),
                    parse.Host())
        supported: tuple[str, ...] = host.supported or (hi.supported_versions if hi else ())
        self._version = choose_version(supported, hi.version if hi else None)
        reported = edition_from(host.country or (hi.country if hi else ""), host.product_name)
        configured = self._configured_edition
        if reported and configured and reported != configured:
            raise LedgerError("qb.edition.mismatch", configured=configured, reported=reported)
        edition = reported or configured
        if edition is None:
            raise LedgerError("qb.edition.unknown", country=host.country, product=host.product_name)
        self._edition = edition
        company = next((parse.text(r, "CompanyName") for rs in responses if rs.name == "CompanyQuery"
                        for r in rs.rets("CompanyRet")), "")
        currency = next((parse.text(r, "MultiCurrencyPreferences/HomeCurrencyRef/FullName") for rs in responses
                         if rs.name == "PreferencesQuery" for r in rs.rets("PreferencesRet")), "")
        self._info = LedgerInfo(
            kind="quickbooks", edition=edition,
            version=f"{host.product_name or 'QuickBooks'} (qbXML {format_version(self._version)})".strip(),
            company=company, currency=currency_code(currency, edition),
            assigns_numbers=ASSIGNS_NUMBERS)
        return self._version

    def _pages(self, kind: str, make: MakeQuery, record: str, since: datetime | None = None
               ) -> Iterator[list[etree._Element]]:
        """The ``*Ret`` elements of a query for records modified since ``since`` (None: all), a page at a time:
        with an iterator where the edition allows it (NOTES §3.5), else by modified-date windows (NOTES §3.4
        plan, `qbxml.windows`); only a query that takes neither is read in one request."""
        self._ensure_host()
        if kind not in build.ITERATOR_QUERIES:
            rs = self._one(make("", None, since, None))
            if rs.status.code != NO_MATCH:
                self._check(rs, record)
            yield rs.rets()
            return
        if ITERATORS.get(self.edition, False):
            yield from self._iterated(make, record, since)
        else:
            yield from self._windowed(make, record, since)

    def _iterated(self, make: MakeQuery, record: str, since: datetime | None) -> Iterator[list[etree._Element]]:
        """Iterator Start/Continue pages; an iteration left early (the caller stopped reading) is ended with
        ``iterator="Stop"`` so QuickBooks can drop it (NOTES §3.5)."""
        rq = make("Start", self._max_returned, since, None)
        open_id = ""
        try:
            while True:
                rs = self._one(rq)
                if rs.status.code == NO_MATCH:
                    return
                self._check(rs, record)
                open_id = rs.iterator_id if rs.remaining > 0 else ""
                yield rs.rets()
                if not open_id:
                    return
                rq = build.with_iterator(rq, open_id)
                rq.set("requestID", self._rid())
        except GeneratorExit:
            if open_id:
                self._stop_iterator(rq, open_id, record)
            raise

    def _stop_iterator(self, rq: etree._Element, iterator_id: str, record: str) -> None:
        stop = build.with_iterator(rq, iterator_id, "Stop")
        stop.set("requestID", self._rid())
        try:
            rs = self._one(stop)
        except LedgerError as exc:  # the iterator dies with the session anyway (NOTES §3.5)
            _log.info("Could not stop the QuickBooks iterator of %s: %s", record, exc)
            return
        if rs.status.is_error:
            _log.info("QuickBooks refused to stop the iterator of %s: %s", record, rs.status.message.strip())

    def _windowed(self, make: MakeQuery, record: str, since: datetime | None) -> Iterator[list[etree._Element]]:
        """Consecutive modified-date windows, each guarded by MaxReturned; a full window is re-read smaller,
        so nothing is skipped (`qbxml.windows`). Records on a shared window edge are handed on once."""
        plan = DateWindows(since, self._max_returned, self._now(), what=record)
        while (window := plan.window) is not None:
            rs = self._one(make("", window.max_returned, window.start, window.end))
            if rs.status.code != NO_MATCH:
                self._check(rs, record)
            rets = rs.rets()
            if len(rets) > window.max_returned:  # [?] NOTES §3.4: MaxReturned outside the US is unverified
                _log.warning("QuickBooks returned %d %s for MaxReturned %d", len(rets), record, window.max_returned)
            stamps = [s for s in (_stamp(r) for r in rets) if s is not None]
            if not plan.feed(len(rets), stamps):
                _log.debug("%s: window %s..%s came back full (%d); reading it again smaller", record,
                           window.start, window.end, len(rets))
                continue
            keys = (parse.text(r, "TxnID") or parse.text(r, "ListID") for r in rets)
            page = [r for r, new in zip(rets, plan.fresh(keys), strict=True) if new]
            if page:
                yield page

    def _find(self, rq: etree._Element, record: str) -> list[etree._Element]:
        rs = self._one(rq)
        if rs.status.code in _NOT_FOUND_CODES and not rs.rets():
            return []
        self._check(rs, record)
        return rs.rets()

    # ------------------------------------------------------------ reference data

    def info(self) -> LedgerInfo:
        self._ensure_host()
        assert self._info is not None
        return self._info

    def _tax_tables(self) -> tuple[list[SalesTaxCode], list[SalesTaxItem]]:
        if self._tax is None:
            responses = self._send([build.list_query("SalesTaxCode", self._rid(), active_status="All"),
                                    build.list_query("ItemSalesTax", self._rid(), active_status="All"),
                                    build.list_query("ItemSalesTaxGroup", self._rid(), active_status="All")])
            for rs in responses:
                if rs.status.code != NO_MATCH:
                    self._check(rs, "tax codes")
            codes = [parse.sales_tax_code_from(r) for r in parse.iter_rets(responses, "SalesTaxCodeQuery")]
            items = [parse.sales_tax_item_from(r) for r in parse.iter_rets(responses, "ItemSalesTaxQuery")]
            items += [parse.sales_tax_item_from(r) for r in parse.iter_rets(responses, "ItemSalesTaxGroupQuery")]
            self._tax = (codes, items)
        return self._tax

    def tax_codes(self) -> list[TaxCode]:
        self._tax = None  # always fresh when asked for
        codes, items = self._tax_tables()
        return parse.tax_codes_from(codes, items, self.edition)

    def accounts(self) -> list[Account]:
        rq = build.list_query("Account", self._rid(), account_types=INCOME_ACCOUNT_TYPES)
        self._accounts = [parse.account_from(r) for r in self._find(rq, "accounts")]
        return list(self._accounts)

    def customers(self, modified_since: datetime | None = None) -> Iterator[Customer]:
        since = modified_since - MODIFIED_OVERLAP if modified_since else None

        def make(iterator: str, max_returned: int | None, start: datetime | None, end: datetime | None
                 ) -> etree._Element:
            return build.list_query("Customer", self._rid(), max_returned=max_returned, active_status="All",
                                    from_modified=start, to_modified=end, iterator=iterator)

        for page in self._pages("Customer", make, "customers", since):
            yield from (parse.customer_from(r) for r in page if r.tag == "CustomerRet")

    def products(self, modified_since: datetime | None = None) -> Iterator[Product]:
        since = modified_since - MODIFIED_OVERLAP if modified_since else None

        def make(iterator: str, max_returned: int | None, start: datetime | None, end: datetime | None
                 ) -> etree._Element:
            return build.list_query("Item", self._rid(), max_returned=max_returned, active_status="All",
                                    from_modified=start, to_modified=end, iterator=iterator)

        for page in self._pages("Item", make, "items", since):
            for r in page:
                product = parse.product_from(r)
                if product is not None:
                    yield product

    # ------------------------------------------------------------ look-ups

    def find_customer(self, *, ref: str = "", name: str = "") -> Customer | None:
        if ref:
            rq = build.list_query("Customer", self._rid(), list_ids=[ref])
        elif name:
            # the name exactly as customer_add writes it (text.fit: shortened / digest-named alike)
            rq = build.list_query("Customer", self._rid(), full_names=[fit("Customer.Name", name, self.edition).value])
        else:
            return None
        found = [parse.customer_from(r) for r in self._find(rq, f"customer {ref or name!r}")]
        return found[0] if found else None

    def find_product(self, *, ref: str = "", code: str = "") -> Product | None:
        if ref:
            rq = build.list_query("Item", self._rid(), list_ids=[ref])
        elif code:
            rq = build.list_query("Item", self._rid(), full_names=[fit("Item.Name", code, self.edition).value])
        else:
            return None
        for r in self._find(rq, f"item {ref or code!r}"):
            product = parse.product_from(r)
            if product is not None:
                return product
        return None

    def find_invoice(self, number: str, kind: Literal["invoice", "credit"] = "invoice",
                     external_key: str = "") -> Posted | None:
        """By RefNumber; among several with that number, the one whose ``Other`` holds our key. One with
        the number and an empty ``Other`` is taken as the same invoice (entered by hand); one whose
        ``Other`` holds a different key is not ours. Without a number: by key among those modified within
        `FIND_BY_KEY_WINDOW` (iterator or date windows); the read stops at the match (an open iterator is
        stopped, NOTES §3.5)."""
        qkind: Literal["Invoice", "CreditMemo"] = "CreditMemo" if kind == "credit" else "Invoice"
        want = other_value(external_key) if external_key else ""
        if number:
            rq = build.txn_query(qkind, self._rid(), ref_numbers=[clean(number)])
            rets = self._find(rq, f"{kind} {number!r}")
            if not want:
                return parse.posted_from(rets[0]) if rets else None
            for r in rets:
                if parse.text(r, "Other") == want:
                    return parse.posted_from(r)
            blank = [r for r in rets if not parse.text(r, "Other")]
            return parse.posted_from(blank[0]) if len(blank) == 1 else None
        if not want:
            return None
        since = self._now() - FIND_BY_KEY_WINDOW

        def make(iterator: str, max_returned: int | None, start: datetime | None, end: datetime | None
                 ) -> etree._Element:
            return build.txn_query(qkind, self._rid(), max_returned=max_returned, from_modified=start,
                                   to_modified=end, iterator=iterator)

        with closing(self._pages(qkind, make, f"{kind} {external_key!r}", since)) as pages:
            for page in pages:
                for r in page:
                    if parse.text(r, "Other") == want:
                        return parse.posted_from(r)
        return None

    # ------------------------------------------------------------ writes

    def _customer_tax(self, tax_code: str) -> CustomerTax:
        """US: a sales tax item as the customer's tax code means "taxable at that item's rate"."""
        if not tax_code or self.edition != "US":
            return CustomerTax(tax_code)
        codes, items = self._tax_tables()
        if any(tax_code in (c.name, c.list_id) for c in codes):
            return CustomerTax(tax_code)
        item = next((i for i in items if tax_code in (i.name, i.list_id)), None)
        if item is None:
            raise RecordRejected("qb.tax.unknown", tax=tax_code, record="the customer")
        return CustomerTax(self._taxable_code(codes), item.list_id or item.name)

    @staticmethod
    def _taxable_code(codes: list[SalesTaxCode]) -> str:
        taxable = [c for c in codes if c.taxable and c.active]
        preferred = next((c for c in taxable if c.name.lower() == "tax"), None)
        chosen = preferred or (taxable[0] if taxable else None)
        return chosen.name if chosen else "Tax"  # NOTES §3.4: US codes "Tax"/"Non"

    def _customer_add(self, customer: Customer) -> etree._Element:
        """The CustomerAdd request (pre-flight and shortening in `build.customer_add`)."""
        return build.customer_add(customer, self.edition, self._rid(), self._customer_tax(customer.tax_code)).request

    def create_customer(self, customer: Customer) -> Customer:
        record = f"customer {customer.name!r}"
        rs = self._one(self._customer_add(customer))
        self._check(rs, record)
        return parse.customer_from(rs.rets("CustomerRet")[0])

    def update_customer(self, customer: Customer) -> Customer:
        """CustomerMod with the EditSequence we hold; on 3200 (stale) re-read and retry once."""
        record = f"customer {customer.name!r}"
        tax = self._customer_tax(customer.tax_code)
        for attempt in range(2):
            rs = self._one(build.customer_mod(customer, self.edition, self._rid(), tax).request)
            if rs.status.code == 3200 and attempt == 0:
                # NOTES real-responses: a 3200 reply still carries the current CustomerRet.
                current = [parse.customer_from(r) for r in rs.rets("CustomerRet")]
                fresh = current[0] if current else self.find_customer(ref=customer.ref)
                if fresh is None:
                    break
                customer = replace(customer, version=fresh.version)
                continue
            self._check(rs, record)
            return parse.customer_from(rs.rets("CustomerRet")[0])
        raise error_for(rs.status, request=rs.name, record=record)

    def _account_ref(self, code: str) -> str:
        """An account as the request should name it: ListID when we know it, else the text as FullName."""
        if not code or is_list_id(code):
            return code
        if self._accounts is None:
            self.accounts()
        for account in self._accounts or []:
            if code in (account.code, account.name) and account.ledger_id:
                return account.ledger_id
        return code

    def _item_add(self, product: Product) -> etree._Element:
        """The Item*Add request (pre-flight and shortening in `build.item_add`)."""
        tax = self._customer_tax(product.tax_code).sales_tax_code
        return build.item_add(product, self.edition, self._rid(), sales_tax_code=tax,
                              income_account=self._account_ref(product.income_account)).request

    def create_product(self, product: Product) -> Product:
        record = f"item {product.code!r}"
        rs = self._one(self._item_add(product))
        self._check(rs, record)
        created = next((parse.product_from(r) for r in rs.rets()), None)
        if created is None:
            raise LedgerError("qb.response.missing", record=record, request=rs.name)
        return created

    def create_customers(self, customers: Sequence[Customer]) -> list[Outcome]:
        """All CustomerAdds in ONE qbXML document (continueOnError), one round trip; outcome ``key`` is the name."""
        return self._create_batch(customers, lambda c: (c.name, f"customer {c.name!r}"), self._customer_add,
                                  lambda rs: next((parse.customer_from(r) for r in rs.rets("CustomerRet")), None))

    def create_products(self, products: Sequence[Product]) -> list[Outcome]:
        """All Item*Adds in ONE qbXML document (continueOnError), one round trip; outcome ``key`` is the code."""
        return self._create_batch(products, lambda p: (p.code, f"item {p.code!r}"), self._item_add,
                                  lambda rs: next((parse.product_from(r) for r in rs.rets()), None))

    def _create_batch(self, records: Sequence[_R], label: Callable[[_R], tuple[str, str]],
                      make: Callable[[_R], etree._Element],
                      created: Callable[[Rs], Customer | Product | None]) -> list[Outcome]:
        """One document of ``make(record)`` requests; each ``*Rs`` matched back by requestID. Records failing
        our own checks get an error outcome without being sent; `LedgerUnavailable` propagates."""
        results: list[Outcome | None] = [None] * len(records)
        sent: dict[str, int] = {}
        requests: list[etree._Element] = []
        for i, rec in enumerate(records):
            key, _record = label(rec)
            try:
                rq = make(rec)
            except LedgerUnavailable:
                raise
            except LedgerError as exc:
                results[i] = Outcome(key=key, error=exc)
                continue
            sent[rq.get("requestID", "")] = i
            requests.append(rq)
        if requests:
            by_id = {rs.request_id: rs for rs in self._send(requests)}
            for rid, i in sent.items():
                key, record = label(records[i])
                rs = by_id.get(rid)
                if rs is None:
                    err = LedgerError("qb.response.missing", record=record, request=requests[0].tag)
                    err.retryable = True  # not answered: may or may not have been applied (reconciled later)
                    results[i] = Outcome(key=key, error=err)
                elif rs.status.is_error:
                    results[i] = Outcome(key=key, error=error_for(rs.status, request=rs.name, record=record))
                else:
                    self._check(rs, record)  # logs a warning (500-999) if there is one
                    made = created(rs)
                    if made is None:
                        err = LedgerError("qb.response.missing", record=record, request=rs.name)
                        err.retryable = True
                        results[i] = Outcome(key=key, error=err)
                    else:
                        results[i] = Outcome(key=key, created=made)
        return [r for r in results if r is not None]

    def _txn_tax(self, invoice: Invoice, record: str) -> TxnTax:
        """Per-line SalesTaxCodeRef, the US header tax item, and per-line account overrides."""
        accounts = tuple(self._account_ref(line.account_code) for line in invoice.lines)
        if self.edition != "US" or not any(line.tax_code for line in invoice.lines):
            return TxnTax(tuple(line.tax_code for line in invoice.lines), line_accounts=accounts)
        codes, items = self._tax_tables()
        line_codes: list[str] = []
        used: dict[str, SalesTaxItem] = {}
        for line in invoice.lines:
            code = line.tax_code
            if not code or any(code in (c.name, c.list_id) for c in codes):
                line_codes.append(code)
                continue
            item = next((i for i in items if code in (i.name, i.list_id)), None)
            if item is None:
                raise RecordRejected("qb.tax.unknown", tax=code, record=record)
            used[item.list_id or item.name] = item
            line_codes.append(self._taxable_code(codes))
        if len(used) > 1:
            raise RecordRejected("qb.tax.us_one_rate", record=record,
                                 rates=", ".join(sorted(i.name for i in used.values())))
        header = next(iter(used), "")
        return TxnTax(tuple(line_codes), header, accounts)

    def post_invoices(self, invoices: Sequence[Invoice]) -> list[Outcome]:
        """All invoices and credit notes in ONE qbXML document (continueOnError), one round trip; each
        ``*Rs`` is matched to its invoice by requestID. Records that fail our own checks are held
        without being sent."""
        results: list[Outcome | None] = [None] * len(invoices)
        sent: dict[str, int] = {}
        requests: list[etree._Element] = []
        edition = self.edition
        for i, invoice in enumerate(invoices):
            key = invoice.external_key or invoice.number
            record = f"{'credit note' if invoice.kind == 'credit' else 'invoice'} {invoice.number or key!r}"
            try:
                built = build.txn_add(invoice, edition, self._rid(), self._txn_tax(invoice, record))
            except LedgerError as exc:
                results[i] = Outcome(key=key, error=exc)
                continue
            sent[built.request.get("requestID", "")] = i
            requests.append(built.request)
        if requests:
            by_id = {rs.request_id: rs for rs in self._send(requests)}
            for rid, i in sent.items():
                invoice = invoices[i]
                key = invoice.external_key or invoice.number
                record = f"{'credit note' if invoice.kind == 'credit' else 'invoice'} {invoice.number or key!r}"
                rs = by_id.get(rid)
                if rs is None:
                    err = LedgerError("qb.response.missing", record=record, request="InvoiceAdd")
                    err.retryable = True
                    results[i] = Outcome(key=key, error=err)
                elif rs.status.is_error:
                    results[i] = Outcome(key=key, error=error_for(rs.status, request=rs.name, record=record))
                else:
                    self._check(rs, record)  # logs a warning (500-999) if there is one
                    ret = next(iter(rs.rets("InvoiceRet", "CreditMemoRet")), None)
                    if ret is None:
                        err = LedgerError("qb.response.missing", record=record, request=rs.name)
                        err.retryable = True
                        results[i] = Outcome(key=key, error=err)
                    else:
                        results[i] = Outcome(key=key, posted=parse.posted_from(ret))
        return [r for r in results if r is not None]

    # ------------------------------------------------------------ credits applied to invoices

    def _txn(self, kind: Literal["Invoice", "CreditMemo"], txn_id: str) -> etree._Element | None:
        rets = self._find(build.txn_query(kind, self._rid(), txn_ids=[txn_id], include_linked_txns=True),
                          f"{kind} {txn_id}")
        return rets[0] if rets else None

    def credit_applied(self, credit_id: str, invoice_id: str) -> bool:
        """Whether the credit memo ``credit_id`` is already applied to invoice ``invoice_id`` (the invoice's
        LinkedTxn, NOTES §4.7 IncludeLinkedTxns)."""
        invoice = self._txn("Invoice", invoice_id)
        return invoice is not None and any(
            parse.text(link, "TxnID") == credit_id for link in invoice.findall("LinkedTxn"))

    def apply_credits(self, pairs: Sequence[tuple[str, str]]) -> list[Decimal | LedgerError]:
        """Apply credit memos to invoices, ``pairs`` of (credit TxnID, invoice TxnID): one document reading them
        all, one InvoiceMod (SetCredit) per invoice in a second; two round trips whatever the number. Each pair
        gets the amount applied (as much as the invoice still owes; 0 when nothing is left on either side) or
        the error that refused it, in order."""
        if not pairs:
            return []
        invoice_ids = sorted({i for _, i in pairs})
        credit_ids = sorted({c for c, _ in pairs})
        responses = self._send([
            build.txn_query("Invoice", self._rid(), txn_ids=invoice_ids),
            build.txn_query("CreditMemo", self._rid(), txn_ids=credit_ids)])
        found = {parse.text(r, "TxnID"): r for rs in responses for r in rs.rets("InvoiceRet", "CreditMemoRet")}
        results: list[Decimal | LedgerError] = [Decimal("0")] * len(pairs)
        owed = {i: parse.decimal(found[i], "BalanceRemaining") or Decimal("0") for i in invoice_ids if i in found}
        left = {c: parse.decimal(found[c], "CreditRemaining") or Decimal("0") for c in credit_ids if c in found}
        per_invoice: dict[str, list[tuple[int, str, Decimal]]] = {}
        for n, (credit_id, invoice_id) in enumerate(pairs):
            if invoice_id not in owed or credit_id not in left:
                results[n] = RecordRejected("qb.credit.not_found", record=f"credit memo {credit_id} on invoice "
                                                                          f"{invoice_id}")
                continue
            applied = min(owed[invoice_id], left[credit_id])
            if applied > 0:
                owed[invoice_id] -= applied
                left[credit_id] -= applied
                per_invoice.setdefault(invoice_id, []).append((n, credit_id, applied))
        requests, sent = [], {}
        for invoice_id, credits in per_invoice.items():
            rq = build.invoice_set_credit(invoice_id, parse.text(found[invoice_id], "EditSequence"),
                                          [(c, a) for _, c, a in credits], self._rid())
            sent[rq.get("requestID", "")] = credits
            requests.append(rq)
        if requests:
            by_id = {rs.request_id: rs for rs in self._send(requests)}
            for rid, credits in sent.items():
                rs = by_id.get(rid)
                for n, credit_id, applied in credits:
                    record = f"credit memo {credit_id} on invoice {pairs[n][1]}"
                    if rs is None:
                        err = LedgerError("qb.response.missing", record=record, request="InvoiceMod")
                        err.retryable = True  # may have been applied: looked up before anything is sent again
                        results[n] = err
                    elif rs.status.is_error:
                        results[n] = error_for(rs.status, request=rs.name, record=record)
                    else:
                        results[n] = applied
        return results

    # ------------------------------------------------------------ payments

    def payments(self, since: datetime | None = None) -> Iterator[Payment]:
        """ReceivePayments modified since ``since`` (less `MODIFIED_OVERLAP`), one `Payment` per applied
        invoice; invoice numbers QuickBooks leaves out are looked up in one InvoiceQuery per page."""
        start = since - MODIFIED_OVERLAP if since else None

        def make(iterator: str, max_returned: int | None, frm: datetime | None, to: datetime | None
                 ) -> etree._Element:
            return build.txn_query("ReceivePayment", self._rid(), max_returned=max_returned, from_modified=frm,
                                   to_modified=to, include_line_items=True, iterator=iterator)

        for page in self._pages("ReceivePayment", make, "payments", start):
            batch: list[Payment] = []
            for r in page:
                payments, _ = parse.payments_from(r)
                batch.extend(payments)
            missing = sorted({p.ledger_id.split(":", 1)[1] for p in batch if not p.invoice_number})
            if missing:
                numbers = self._invoice_numbers(missing)
                batch = [p if p.invoice_number else replace(p, invoice_number=numbers.get(
                    p.ledger_id.split(":", 1)[1], "")) for p in batch]
            yield from batch

    def _invoice_numbers(self, txn_ids: list[str]) -> dict[str, str]:
        rq = build.txn_query("Invoice", self._rid(), txn_ids=txn_ids, include_ret=("TxnID", "RefNumber"))
        return {parse.text(r, "TxnID"): parse.text(r, "RefNumber") for r in self._find(rq, "invoices")}

    def close(self) -> None:
        """Nothing to release: the transport belongs to whoever made it."""
