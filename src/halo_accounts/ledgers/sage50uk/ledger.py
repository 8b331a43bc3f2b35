"""`Sage50UKLedger`: the ledger port over Sage Data Objects (any object with SDO's COM shape: real or sandbox)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from halo_accounts.ledgers.port import (
    Account,
    Address,
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
from halo_accounts.ledgers.sage50uk import references
from halo_accounts.ledgers.sage50uk.mapping import address_lines, tax_number
from halo_accounts.ledgers.sage50uk.routes import InvoiceRoute, route_for
from halo_accounts.ledgers.sage50uk.sdo import fields as sdo
from halo_accounts.ledgers.sage50uk.sdo.transport import ConnectionSettings, SdoConnection, SdoSession

log = logging.getLogger(__name__)

DEFAULT_UNIT_OF_SALE = "Each"  # NOTES §1.7: the official example sets UNIT_OF_SALE="Each"
# [?] Which line code a service invoice line uses is not in the notes; S3 ("service line for stock/service
# invoices, allows memo/extended text", NOTES §1.7) is the one that keeps description, quantity and price.
SERVICE_LINE_CODE = sdo.SERVICE_LINE_EXTENDED
RECEIPT_TYPES = (sdo.TransType.SR, sdo.TransType.SA)  # what counts as a customer payment when read back [I]
# [?] An Invoicing-module document has no field meant for a third party's key (NOTES §1.9.1 header fields). Our
# external key goes in NOTES_3 (60) so a document Sage numbered can be found again after a crash (NOTES_1 holds
# Halo's reference).
EXTERNAL_KEY_FIELD = "NOTES_3"


@dataclass(frozen=True)
class Department:
    number: int
    ref: str
    name: str


def get(obj: Any, name: str) -> Any:
    return obj.Fields.Item(name).Value


def put(obj: Any, name: str, value: object) -> None:
    obj.Fields.Item(name).Value = value


def fit(text: str, table: str, name: str) -> str:
    """Free text cut to the SDO field length (NOTES field tables); identifiers are checked, never cut."""
    limit = sdo.TABLES[table][name].length
    text = (text or "").strip()
    if len(text) > limit:
        log.warning("Sage %s.%s cut to %d characters: %r", table, name, limit, text)
    return text[:limit]


def _dec(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (20.0 -> 20, not 2E+1)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


class Sage50UKLedger:
    """The Ledger port over SDO: ``Sage50UKLedger.open(conn)``, or over an already connected ``SdoSession`` (or a
    connected workspace plus its ``engine``, whose ``LastError`` explains failures). Not thread-safe: SDO objects
    are apartment-threaded (NOTES §1.2), so use one ledger per worker thread."""

    def __init__(self, session: SdoSession | Any, *, engine: Any = None, invoice_route: object = None,
                 update_ledgers: bool = True, connection: SdoConnection | None = None) -> None:
        if not isinstance(session, SdoSession):
            session = SdoSession(engine, session)
        self.session = session
        self.route = route_for(invoice_route)
        self.update_ledgers = update_ledgers
        self._connection = connection
        self._allocated: set[str] = set()
        self._tax_rates: dict[int, Decimal] | None = None

    @classmethod
    def open(cls, conn: ConnectionSettings, *, engine_factory: Any = None, invoice_route: object = None,
             update_ledgers: bool = True) -> Sage50UKLedger:
        connection = SdoConnection(conn, engine_factory=engine_factory)
        session = connection.open()
        try:
            return cls(session, invoice_route=invoice_route, update_ledgers=update_ledgers, connection=connection)
        except Exception:
            connection.close()
            raise

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()

    def __enter__(self) -> Sage50UKLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading
    def _rows(self, obj: Any, what: str) -> Iterator[Any]:
        """Walk an SDORecord-style object (NOTES §1.5: MoveFirst/MoveNext/IsEOF)."""
        with self.session.guard(what):
            obj.MoveFirst()
        while True:
            with self.session.guard(what):
                if obj.IsEOF:
                    return
            yield obj
            with self.session.guard(what):
                obj.MoveNext()

    def info(self) -> LedgerInfo:
        company = ""
        try:
            setup = self.session.create("SetupData")
            with self.session.guard("reading the company name"):
                setup.Read(1)
                company = str(get(setup, "NAME") or "")
        except LedgerError:
            company = ""
        return LedgerInfo(kind="sage50uk", edition="UK", version=str(self.session.version or ""), company=company,
                          currency="GBP", assigns_numbers=self.route is not InvoiceRoute.AUDIT_TRAIL)

    def tax_codes(self) -> list[TaxCode]:
        """NOTES §1.8: ControlData.Read(1), fields T{i}_DESCRIPTION / T{i}_RATE for i in 0..99."""
        cd = self.session.create("ControlData")
        out: list[TaxCode] = []
        rates: dict[int, Decimal] = {}
        with self.session.guard("reading tax codes"):
            cd.Read(1)
            for i in range(sdo.TAX_CODE_MAX + 1):
                desc = str(get(cd, f"T{i}_DESCRIPTION") or "").strip()
                rate = _plain(Decimal(str(get(cd, f"T{i}_RATE") or 0)))
                rates[i] = rate
                if desc or rate:
                    out.append(TaxCode(code=f"T{i}", name=desc, rate=rate, ledger_id=str(i)))
        self._tax_rates = rates
        return out

    def _rate(self, n: int) -> Decimal:
        if self._tax_rates is None:
            self.tax_codes()
        assert self._tax_rates is not None
        return self._tax_rates.get(n, Decimal("0"))

    def accounts(self) -> list[Account]:
        rec = self.session.create("NominalRecord")
        out = []
        for row in self._rows(rec, "reading nominal codes"):
            if get(row, "DELETED_FLAG"):
                continue
            code = str(get(row, "ACCOUNT_REF")).strip()
            out.append(Account(code=code, name=str(get(row, "NAME") or ""), kind=str(get(row, "ACCOUNT_TYPE") or 0),
                               ledger_id=code))
        return out

    def departments(self) -> list[Department]:
        """NOTES §1.8: DepartmentData, record offset 1: Read(1) is department 0."""
        dd = self.session.create("DepartmentData")
        out = []
        with self.session.guard("reading departments"):
            for n in range(1, int(dd.Count) + 1):
                dd.Read(n)
                out.append(Department(n - 1, str(get(dd, "DEPT_REF") or ""), str(get(dd, "NAME") or "")))
        return out

    def _customer(self, row: Any) -> Customer:
        lines = [str(get(row, f"ADDRESS_{i}") or "") for i in range(1, 5)]
        dels = [str(get(row, f"DEL_ADDRESS_{i}") or "") for i in range(1, 5)]
        return Customer(
            name=str(get(row, "NAME") or ""),
            ref=str(get(row, "ACCOUNT_REF")).strip(),
            billing=Address(lines=tuple(x for x in lines if x), postcode=str(get(row, "ADDRESS_5") or ""),
                            country=str(get(row, "COUNTRY_CODE") or "")),
            shipping=Address(lines=tuple(x for x in dels if x), postcode=str(get(row, "DEL_ADDRESS_5") or "")),
            email=str(get(row, "E_MAIL") or ""),
            phone=str(get(row, "TELEPHONE") or ""),
            contact=str(get(row, "CONTACT_NAME") or ""),
            tax_code=f"T{int(get(row, 'DEF_TAX_CODE') or 0)}",
            active=not get(row, "INACTIVE_FLAG"),
        )

    def customers(self, modified_since: datetime | None = None) -> Iterator[Customer]:
        for row in self._live_rows("SalesRecord", "reading customers", modified_since):
            yield self._customer(row)

    def _live_rows(self, object_name: str, what: str, modified_since: datetime | None) -> Iterator[Any]:
        """Rows of a record object that are not deleted and, with ``modified_since``, changed since then."""
        rec = self.session.create(object_name)
        for row in self._rows(rec, what):
            if get(row, "DELETED_FLAG"):
                continue
            if modified_since is not None:
                changed = get(row, "LAST_UPDATED")
                if isinstance(changed, datetime) and changed < modified_since.replace(tzinfo=None):
                    continue
            yield row

    def _find_sales(self, ref: str) -> Any | None:
        rec = self.session.create("SalesRecord")
        with self.session.guard("looking up a customer", account=ref):
            put(rec, "ACCOUNT_REF", ref)
            found = rec.Find(False)  # NOTES §1.4/§1.6: set the key, Find(False) = exact match
        return rec if found else None

    def find_customer(self, *, ref: str = "", name: str = "") -> Customer | None:
        if ref:
            ref = references.normalise(ref)
            if not references.is_valid(ref):
                return None
            rec = self._find_sales(ref)
            return self._customer(rec) if rec is not None else None
        if name:
            wanted = name.strip().casefold()
            for customer in self.customers():
                if customer.name.strip().casefold() == wanted:
                    return customer
        return None

    def _ref_taken(self, ref: str) -> bool:
        return ref in self._allocated or self._find_sales(ref) is not None

    def _customer_fields(self, rec: Any, c: Customer) -> None:
        t = "SalesRecord"
        put(rec, "NAME", fit(c.company_name or c.name, t, "NAME"))
        for i, line in enumerate(address_lines(c.billing), start=1):
            put(rec, f"ADDRESS_{i}", fit(line, t, f"ADDRESS_{i}"))
        if any((c.shipping.lines, c.shipping.postcode, c.shipping.city)):
            for i, line in enumerate(address_lines(c.shipping), start=1):
                put(rec, f"DEL_ADDRESS_{i}", fit(line, t, f"DEL_ADDRESS_{i}"))
        put(rec, "CONTACT_NAME", fit(c.contact, t, "CONTACT_NAME"))
        put(rec, "TELEPHONE", fit(c.phone, t, "TELEPHONE"))
        put(rec, "E_MAIL", fit(c.email, t, "E_MAIL"))
        country = c.billing.country.strip().upper()
        if len(country) == 2:  # NOTES §1.6: COUNTRY_CODE (2, e.g. "GB")
            put(rec, "COUNTRY_CODE", country)
        if c.tax_code:
            put(rec, "DEF_TAX_CODE", tax_number(c.tax_code, f"Customer {c.name}"))
        put(rec, "INACTIVE_FLAG", 0 if c.active else 1)

    def create_customer(self, customer: Customer) -> Customer:
        """NOTES §1.6: AddNew, set fields, Update. The reference is Halo's (``customer.ref``) or allocated."""
        if customer.ref:
            ref = references.checked(customer.ref)
        else:
            ref = references.allocate(customer.name, self._ref_taken)
        what = f"creating customer {customer.name} ({ref})"
        rec = self.session.create("SalesRecord")
        with self.session.guard(what, account=ref):
            rec.AddNew()
            put(rec, "ACCOUNT_REF", ref)
            self._customer_fields(rec, customer)
            ok = rec.Update()
        self.session.check(ok, what, account=ref)
        self._allocated.add(ref)
        return self._customer(self._find_sales(ref) or rec)

    def update_customer(self, customer: Customer) -> Customer:
        """NOTES §1.6: set ACCOUNT_REF, Find(False), Edit, set fields, Update."""
        ref = references.checked(customer.ref) if customer.ref else ""
        rec = self._find_sales(ref) if ref else None
        if rec is None:
            raise RecordRejected("sage.customer_not_found", account=customer.ref or customer.name)
        what = f"updating customer {customer.name} ({ref})"
        with self.session.guard(what, account=ref):
            rec.Edit()
            self._customer_fields(rec, customer)
            ok = rec.Update()
        self.session.check(ok, what, account=ref)
        return self._customer(rec)

    # ------------------------------------------------------------------ products
    _KINDS: dict[int, Literal["service", "non_inventory", "stock"]] = {
        sdo.StockItemType.STOCK: "stock", sdo.StockItemType.NON_STOCK: "non_inventory",
        sdo.StockItemType.SERVICE: "service"}

    def _product(self, row: Any) -> Product:
        code = str(get(row, "STOCK_CODE")).strip()
        dept = get(row, "DEPT_NUMBER")
        return Product(
            code=code, ref=code, description=str(get(row, "DESCRIPTION") or ""),
            price=Decimal(str(get(row, "SALES_PRICE") or 0)), income_account=str(get(row, "NOMINAL_CODE") or ""),
            tax_code=f"T{int(get(row, 'TAX_CODE') or 0)}",
            kind=self._KINDS.get(int(get(row, "ITEM_TYPE") or 0), "stock"),
            active=not get(row, "INACTIVE_FLAG"), department=int(dept) if dept is not None else None,
        )

    def products(self, modified_since: datetime | None = None) -> Iterator[Product]:
        for row in self._live_rows("StockRecord", "reading products", modified_since):
            yield self._product(row)

    def _find_stock(self, code: str) -> Any | None:
        rec = self.session.create("StockRecord")
        with self.session.guard("looking up a product"):
            put(rec, "STOCK_CODE", code)
            found = rec.Find(False)
        return rec if found else None

    def find_product(self, *, ref: str = "", code: str = "") -> Product | None:
        key = (ref or code).strip()
        if not key or len(key) > sdo.STOCK_RECORD["STOCK_CODE"].length:
            return None
        rec = self._find_stock(key)
        return self._product(rec) if rec is not None else None

    def create_product(self, product: Product) -> Product:
        """NOTES §1.7: AddNew, STOCK_CODE, DESCRIPTION, ITEM_TYPE, NOMINAL_CODE, UNIT_OF_SALE, Update."""
        code = product.code.strip()
        what = f"Product {code}"
        limit = sdo.STOCK_RECORD["STOCK_CODE"].length  # NOTES §1.7: STOCK_CODE (30)
        if not code or len(code) > limit:
            raise RecordRejected("sage.field_invalid", what=what, field="Item.accountsid",
                                 reason=f"must be 1 to {limit} characters", sdo_field="STOCK_CODE")
        if self._find_stock(code) is not None:
            raise RecordRejected("sage.product_exists", stock_code=code)
        item_type = {"stock": sdo.StockItemType.STOCK, "service": sdo.StockItemType.SERVICE}.get(
            product.kind, sdo.StockItemType.NON_STOCK)
        values: dict[str, object] = {
            "STOCK_CODE": code,
            "DESCRIPTION": fit(product.description or code, "StockRecord", "DESCRIPTION"),
            "ITEM_TYPE": int(item_type),
            "SALES_PRICE": float(product.price),
            "UNIT_OF_SALE": DEFAULT_UNIT_OF_SALE,
            "INACTIVE_FLAG": 0 if product.active else 1,
        }
        if product.income_account:
            values["NOMINAL_CODE"] = product.income_account.strip()
        if product.tax_code:
            values["TAX_CODE"] = tax_number(product.tax_code, what)
        if product.department is not None:
            values["DEPT_NUMBER"] = self._department(product.department, what)
        self._preflight("StockRecord", values, what)
        rec = self.session.create("StockRecord")
        with self.session.guard(f"creating {what}", nominal=product.income_account):
            rec.AddNew()
            for name, value in values.items():
                put(rec, name, value)
            ok = rec.Update()
        self.session.check(ok, f"creating {what}", nominal=product.income_account)
        return self._product(rec)

    # ------------------------------------------------------------------ invoices
    @staticmethod
    def _department(dept: int, what: str) -> int:
        if not 0 <= dept <= sdo.DEPARTMENT_MAX:  # NOTES §1.8: departments 0..999
            raise RecordRejected("sage.department_invalid", what=what, department=dept)
        return dept

    @staticmethod
    def _preflight(table: str, values: dict[str, object], what: str) -> None:
        for name, reason in sdo.problems(table, values):
            if reason == "required" and sdo.TABLES[table][name].required and name not in values:
                continue  # checked when the whole record is assembled
            raise RecordRejected("sage.field_invalid", what=what, field=name, reason=reason, sdo_field=name)

    def _signed_lines(self, inv: Invoice, what: str) -> list[tuple[Any, Decimal, Decimal]]:
        """Lines with unsigned net/tax (NOTES §1.9.3: values must be unsigned). A credit note may arrive with
        all-negative lines (Halo's sign); mixed signs are refused."""
        if not inv.lines:
            raise RecordRejected("sage.invoice_empty", what=what)
        flip = inv.kind == "credit" and all(ln.net_amount <= 0 and ln.tax_amount <= 0 for ln in inv.lines)
        out = []
        for line in inv.lines:
            net, tax = (-line.net_amount, -line.tax_amount) if flip else (line.net_amount, line.tax_amount)
            if net < 0 or tax < 0:
                raise RecordRejected("sage.negative_line", what=what, amount=min(net, tax))
            out.append((line, net, tax))
        return out

    def post_invoices(self, invoices: Sequence[Invoice]) -> list[Outcome]:
        """Post each invoice; a refused one is held (its outcome carries the error) and the rest go on. When Sage
        becomes unavailable, that invoice and all later ones get the `LedgerUnavailable` error (not sent)."""
        outcomes: list[Outcome] = []
        stop: LedgerUnavailable | None = None
        for inv in invoices:
            key = inv.external_key or inv.number
            if stop is not None:
                outcomes.append(Outcome(key, error=stop))
                continue
            try:
                outcomes.append(Outcome(key, posted=self._post_one(inv)))
            except LedgerUnavailable as exc:
                stop = exc
                outcomes.append(Outcome(key, error=exc))
            except RecordRejected as exc:
                outcomes.append(Outcome(key, error=exc))
        return outcomes

    def _post_one(self, inv: Invoice) -> Posted:
        label = "Credit note" if inv.kind == "credit" else "Invoice"
        what = f"{label} {inv.number or '(new)'}"
        ref = references.normalise(inv.customer_ref)
        if not ref or not references.is_valid(ref) or self._find_sales(ref) is None:
            raise RecordRejected("sage.customer_missing", what=what, account=inv.customer_ref or "(none)")
        lines = self._signed_lines(inv, what)
        if inv.number:
            found = self._find(inv.number, inv.kind, ref)
            if found is not None:
                existing, owner = found
                if existing is None:  # the number belongs to another customer's invoice in Sage
                    raise RecordRejected("sage.invoice_number_taken", what=what, number=inv.number, account=owner)
                # Exactly once: already in Sage (e.g. an answer lost in a crash): don't post it again.
                log.info("%s is already in Sage as %s; not posting it again", what, existing.ledger_id)
                return existing
        if self.route is InvoiceRoute.AUDIT_TRAIL:
            return self._transaction_post(inv, ref, lines, what)
        return self._invoice_post(inv, ref, lines, what)

    def _transaction_post(self, inv: Invoice, ref: str, lines: list[tuple[Any, Decimal, Decimal]],
                          what: str) -> Posted:
        """NOTES §1.9.3: TransactionPost TYPE=SI/SC, one split per line, Halo's VAT kept as TAX_AMOUNT."""
        ttype = int(sdo.TransType.SC if inv.kind == "credit" else sdo.TransType.SI)
        header: dict[str, object] = {
            "ACCOUNT_REF": ref, "DATE": inv.date, "POSTED_DATE": inv.date, "TYPE": ttype,
            "INV_REF": inv.number, "DETAILS": fit(inv.memo or f"{what}", "TransactionPost.Header", "DETAILS"),
        }
        if inv.due_date:
            header["DATE_DUE"] = inv.due_date
        if len(inv.number) > sdo.TRANSACTION_HEADER["INV_REF"].length:  # NOTES §1.9.3: INV_REF (30)
            raise RecordRejected("sage.field_invalid", what=what, field="Invoice number", sdo_field="INV_REF",
                                 reason=f"is longer than {sdo.TRANSACTION_HEADER['INV_REF'].length} characters")
        self._preflight("TransactionPost.Header", header, what)
        splits = []
        for line, net, tax in lines:
            split: dict[str, object] = {
                "TYPE": ttype, "NOMINAL_CODE": line.account_code.strip(),
                "TAX_CODE": tax_number(line.tax_code, what), "NET_AMOUNT": sdo.money(net),
                "TAX_AMOUNT": sdo.money(tax), "DETAILS": fit(line.description, "TransactionPost.Item", "DETAILS"),
                "DATE": inv.date, "DEPT_NUMBER": self._department(line.department or 0, what),
            }
            if not split["NOMINAL_CODE"]:
                raise RecordRejected("sage.field_invalid", what=what, field="nominal code",
                                     reason="is empty", sdo_field="NOMINAL_CODE")
            self._preflight("TransactionPost.Item", split, what)
            splits.append(split)
        nominals = ", ".join(sorted({str(s["NOMINAL_CODE"]) for s in splits}))
        tp = self.session.create("TransactionPost")
        with self.session.guard(f"posting {what}", account=ref, nominal=nominals):
            for name, value in header.items():
                put(tp.Header, name, value)
            for split in splits:
                item = tp.Items.Add()
                for name, value in split.items():
                    put(item, name, value)
            ok = tp.Update()
        self.session.check(ok, f"posting {what}", account=ref, nominal=nominals)
        stored = self._audit_header(inv.number, ttype, ref)  # what Sage holds, to compare with Halo's figures
        if stored is not None:  # its ledger_id: the audit header number, as receipts name it (`payments`)
            return self._posted_from_header(stored, inv.kind, inv.number)
        total = sum((sdo.money_dec(net) + sdo.money_dec(tax) for _, net, tax in lines), Decimal("0"))
        return Posted(ledger_id=str(tp.PostingNumber), number=inv.number, total=total, kind=inv.kind, balance=total)

    def _invoice_post(self, inv: Invoice, ref: str, lines: list[tuple[Any, Decimal, Decimal]], what: str) -> Posted:
        """NOTES §1.9.1: InvoicePost with TAX_FLAG=1 and TAX_AMOUNT so Sage keeps Halo's VAT; then Update Ledgers
        (§1.9.2) when ``update_ledgers``."""
        service = self.route is InvoiceRoute.SERVICE_INVOICE
        credit = inv.kind == "credit"
        type_code = {(False, False): sdo.InvoiceType.PRODUCT_INVOICE, (False, True): sdo.InvoiceType.PRODUCT_CREDIT,
                     (True, False): sdo.InvoiceType.SERVICE_INVOICE, (True, True): sdo.InvoiceType.SERVICE_CREDIT}[
            (service, credit)]
        ledger_type = {(False, False): sdo.LedgerType.INVOICE, (False, True): sdo.LedgerType.CREDIT,
                       (True, False): sdo.LedgerType.SERVICE,
                       (True, True): sdo.LedgerType.SERVICE_CREDIT}[(service, credit)]
        number = self._invoice_number(inv.number, what)
        header: dict[str, object] = {"ACCOUNT_REF": ref, "INVOICE_DATE": inv.date,
                                     "INVOICE_TYPE_CODE": int(type_code)}
        if number is not None:
            header["INVOICE_NUMBER"] = number
        if inv.po_number:
            header["CUST_ORDER_NUMBER"] = fit(inv.po_number, "InvoicePost.Header", "CUST_ORDER_NUMBER")
        if inv.memo:
            header["NOTES_1"] = fit(inv.memo, "InvoicePost.Header", "NOTES_1")
        if inv.external_key and len(inv.external_key) <= sdo.INVOICE_HEADER[EXTERNAL_KEY_FIELD].length:
            header[EXTERNAL_KEY_FIELD] = inv.external_key
        if inv.due_date:
            header["PAYMENT_DUE_DATE"] = inv.due_date
        self._preflight("InvoicePost.Header", header, what)
        items = []
        for line, net, tax in lines:
            n = tax_number(line.tax_code, what)
            qty = abs(line.quantity)
            item: dict[str, object] = {
                "DESCRIPTION": fit(line.description, "InvoicePost.Item", "DESCRIPTION"),
                "QTY_ORDER": float(qty),
                "UNIT_PRICE": float(abs(line.unit_price)),
                "NET_AMOUNT": sdo.money(net), "FULL_NET_AMOUNT": sdo.money(net),
                "TAX_CODE": n, "TAX_RATE": float(self._rate(n)), "TAX_AMOUNT": sdo.money(tax),
                "TAX_FLAG": 1,  # NOTES §1.9.1: keep our VAT, don't let Update recalculate it
                "DEPT_NUMBER": self._department(line.department or 0, what),
            }
            if line.account_code:
                item["NOMINAL_CODE"] = line.account_code.strip()
            if not service and line.product_ref and self._find_stock(line.product_ref) is not None:
                item["STOCK_CODE"] = line.product_ref
                item["SERVICE_FLAG"] = int(sdo.InvoiceItemType.STOCK)
            else:
                item["STOCK_CODE"] = SERVICE_LINE_CODE
                # NOTES §1.9.1: sdoItemQtyService must be used for S3 lines on mixed stock/service invoices.
                item["SERVICE_FLAG"] = int(sdo.InvoiceItemType.SERVICE if service else sdo.InvoiceItemType.QTY_SERVICE)
            self._preflight("InvoicePost.Item", item, what)
            items.append(item)
        nominals = ", ".join(sorted({str(i.get("NOMINAL_CODE", "")) for i in items}))
        post = self.session.create("InvoicePost")
        with self.session.guard(f"posting {what}", account=ref, nominal=nominals):
            post.Type = int(ledger_type)
            for name, value in header.items():
                put(post.Header, name, value)
            for values in items:
                item_obj = post.Items.Add()
                for name, value in values.items():
                    put(item_obj, name, value)
            ok = post.Update()
        self.session.check(ok, f"posting {what}", account=ref, nominal=nominals)
        with self.session.guard(f"reading the number of {what}"):
            assigned = int(get(post.Header, "INVOICE_NUMBER"))
        if self.update_ledgers:
            self._update_ledgers(assigned, what)
        ttype = int(sdo.TransType.SC if credit else sdo.TransType.SI)
        on_trail = self._audit_header(str(assigned), ttype, ref) if self.update_ledgers else None
        if on_trail is not None:  # ledgers updated: what the audit trail holds, under its header number
            return self._posted_from_header(on_trail, inv.kind, inv.number or str(assigned))
        stored = self._invoice_record(assigned)  # what Sage holds, to compare with Halo's figures
        if stored is not None:
            with self.session.guard(f"reading back {what}"):
                net_total, tax_total = _dec(get(stored, "ITEMS_NET")), _dec(get(stored, "ITEMS_TAX"))
        else:
            net_total = sum((sdo.money_dec(net) for _, net, _ in lines), Decimal("0"))
            tax_total = sum((sdo.money_dec(tax) for _, _, tax in lines), Decimal("0"))
        return Posted(ledger_id=str(assigned), number=inv.number or str(assigned), total=net_total + tax_total,
                      kind=inv.kind, balance=net_total + tax_total, tax=tax_total)

    @staticmethod
    def _invoice_number(number: str, what: str) -> int | None:
        if not number:
            return None
        value = number.strip()
        if not value.isdigit() or int(value) > sdo.INVOICE_NUMBER_MAX or int(value) == 0:
            raise RecordRejected("sage.invoice_number_invalid", number=number, route="product/service invoice")
        return int(value)

    def _invoice_record(self, number: int) -> Any | None:
        rec = self.session.create("InvoiceRecord")
        with self.session.guard("looking up an invoice"):
            put(rec, "INVOICE_NUMBER", number)
            found = rec.Find(False)
        return rec if found else None

    def _update_ledgers(self, number: int, what: str) -> None:
        """NOTES §1.9.2: InvoiceRecord, INVOICE_NUMBER, Find(False), Post() (IUpdateLedgers; implicit cast)."""
        rec = self._invoice_record(number)
        if rec is None:
            raise RecordRejected("sage.sdo_error", sdo_code=0, text="invoice not found after posting", what=what)
        with self.session.guard(f"updating ledgers for {what}"):
            ok = rec.Post()
        self.session.check(ok, f"updating ledgers for {what}")

    # ------------------------------------------------------------------ reading back
    def _audit_header(self, inv_ref: str, ttype: int, account: str = "") -> Any | None:
        """NOTES §1.5: FindFirst/FindNext exact match needs the value space-padded to the field length (INV_REF 30).
        [?] The FindFirst(field, value) signature is taken from the Data-object list in NOTES §1.5."""
        hd = self.session.create("HeaderData")
        padded = inv_ref.ljust(sdo.HEADER_DATA["INV_REF"].length)
        with self.session.guard("looking up a transaction"):
            found = hd.FindFirst("INV_REF", padded)
            while found:
                if (int(get(hd, "TYPE")) == ttype and not get(hd, "DELETED_FLAG")
                        and (not account or str(get(hd, "ACCOUNT_REF")).strip() == account)):
                    return hd
                found = hd.FindNext("INV_REF", padded)
        return None

    def _outstanding(self, hd: Any) -> Decimal:
        """NOTES §1.10: outstanding = NET_AMOUNT + TAX_AMOUNT - AMOUNT_PAID per split."""
        total = Decimal("0")
        with self.session.guard("reading a transaction's splits"):
            spl = hd.Link
            spl.MoveFirst()
            while not spl.IsEOF:
                total += _dec(get(spl, "NET_AMOUNT")) + _dec(get(spl, "TAX_AMOUNT")) - _dec(get(spl, "AMOUNT_PAID"))
                spl.MoveNext()
        return total

    def _posted_from_header(self, hd: Any, kind: Literal["invoice", "credit"], number: str,
                            ledger_id: str = "") -> Posted:
        with self.session.guard("reading a transaction"):
            tax = _dec(get(hd, "TAX_AMOUNT"))
            total = _dec(get(hd, "NET_AMOUNT")) + tax
            header_number = str(get(hd, "HEADER_NUMBER"))
        return Posted(ledger_id=ledger_id or header_number, number=number, total=total, kind=kind,
                      balance=self._outstanding(hd), tax=tax)

    def find_invoice(self, number: str, kind: Literal["invoice", "credit"] = "invoice",
                     external_key: str = "") -> Posted | None:
        """Find a transaction by the number it was posted with (crash reconciliation, NOTES §1.10); a document Sage
        numbered itself (product/service invoice route, no ``number``) is found by ``external_key``."""
        if not (number or "").strip() and external_key and self.route is not InvoiceRoute.AUDIT_TRAIL:
            number = self._number_for_key(external_key, kind)
        found = self._find(number, kind)
        return found[0] if found else None

    def _number_for_key(self, external_key: str, kind: Literal["invoice", "credit"]) -> str:
        """The INVOICE_NUMBER of the Invoicing-module document carrying ``external_key`` (a scan: used only to
        settle writes a crash left unconfirmed), or ""."""
        credits = (sdo.InvoiceType.PRODUCT_CREDIT, sdo.InvoiceType.SERVICE_CREDIT)
        rec = self.session.create("InvoiceRecord")
        for row in self._rows(rec, "looking up an invoice by its Halo key"):
            with self.session.guard("looking up an invoice by its Halo key"):
                if str(get(row, EXTERNAL_KEY_FIELD) or "").strip() != external_key or get(row, "DELETED_FLAG"):
                    continue
                if (int(get(row, "INVOICE_TYPE_CODE") or 0) in credits) != (kind == "credit"):
                    continue
                return str(int(get(row, "INVOICE_NUMBER")))
        return ""

    def _find(self, number: str, kind: Literal["invoice", "credit"],
              account: str = "") -> tuple[Posted | None, str] | None:
        """(Posted, Sage account) for ``number``; with ``account``, audit-trail matches are limited to it."""
        number = (number or "").strip()
        if not number:
            return None
        ttype = int(sdo.TransType.SC if kind == "credit" else sdo.TransType.SI)
        if self.route is InvoiceRoute.AUDIT_TRAIL:
            if len(number) > sdo.HEADER_DATA["INV_REF"].length:
                return None
            hd = self._audit_header(number, ttype, account)
            if hd is None:
                return None
            return self._posted_from_header(hd, kind, number), str(get(hd, "ACCOUNT_REF")).strip()
        if not number.isdigit() or int(number) > sdo.INVOICE_NUMBER_MAX:
            return None
        rec = self._invoice_record(int(number))
        if rec is None:
            return None
        with self.session.guard("reading an invoice"):
            posted_code = int(get(rec, "POSTED_CODE") or 0)
            net, tax = _dec(get(rec, "ITEMS_NET")), _dec(get(rec, "ITEMS_TAX"))
            owner = str(get(rec, "ACCOUNT_REF") or "").strip()
            doc_credit = int(get(rec, "INVOICE_TYPE_CODE") or 0) in (sdo.InvoiceType.PRODUCT_CREDIT,
                                                                     sdo.InvoiceType.SERVICE_CREDIT)
        if (account and owner != account) or doc_credit != (kind == "credit"):
            return None, owner  # the number is taken by another customer's document, or by the other kind
        if not posted_code and self.update_ledgers:
            # Posted to the Invoicing module but the ledger update was lost: finish it now (exactly once).
            self._update_ledgers(int(number), f"Invoice {number}")
            posted_code = 1
        hd = self._audit_header(number, ttype, owner) if posted_code else None
        if hd is not None:
            return self._posted_from_header(hd, kind, number), owner
        return Posted(ledger_id=number, number=number, total=net + tax, kind=kind, balance=None, tax=tax), owner

    def payments(self, since: datetime | None = None) -> Iterator[Payment]:
        """Receipts (SR/SA) allocated to invoices, one `Payment` per (receipt, invoice); ``ledger_id`` is
        "<receipt header>-<invoice header>", stable across runs (usable as Halo's ``sage50_reference``).
        Read from HeaderData -> SplitData -> UsageData (NOTES §1.10).

        ``since`` is not used to leave receipts out: Sage keeps no time of change on a transaction or an allocation
        (NOTES §1.10 field lists), and a receipt's DATE is the day the customer paid, often days before it is keyed
        in -- filtering on it would lose those receipts for good. Every allocated receipt is listed (``modified``
        is None); the engine skips the ones it has already sent by their ``ledger_id``."""
        hd = self.session.create("HeaderData")
        sd = self.session.create("SplitData")
        with self.session.guard("reading payments"):
            count = int(hd.Count)
        for n in range(1, count + 1):
            with self.session.guard("reading payments"):
                hd.Read(n)
                if int(get(hd, "TYPE")) != sdo.TransType.SI or get(hd, "DELETED_FLAG"):
                    continue
                if not _dec(get(hd, "AMOUNT_PAID")):
                    continue
                invoice_header = int(get(hd, "HEADER_NUMBER"))
                inv_ref = str(get(hd, "INV_REF") or "").strip()
                account = str(get(hd, "ACCOUNT_REF") or "").strip()
                by_receipt: dict[int, tuple[Decimal, date, str]] = {}
                spl = hd.Link
                spl.MoveFirst()
                while not spl.IsEOF:
                    usage = spl.Link
                    usage.MoveFirst()
                    while not usage.IsEOF:
                        cross = int(get(usage, "SPLIT_CROSSREF"))
                        sd.Read(cross)
                        if int(get(sd, "TYPE")) in RECEIPT_TYPES:
                            receipt = int(get(sd, "HEADER_NUMBER"))
                            amount, when, reference = by_receipt.get(receipt, (Decimal("0"), date.min, ""))
                            used = _as_date(get(usage, "DATE")) or date.min
                            by_receipt[receipt] = (amount + _dec(get(usage, "AMOUNT")), max(when, used),
                                                   reference or str(get(usage, "REFERENCE") or "").strip())
                        usage.MoveNext()
                    spl.MoveNext()
            for receipt, (amount, when, reference) in sorted(by_receipt.items()):
                yield Payment(ledger_id=f"{receipt}-{invoice_header}", invoice_number=inv_ref, amount=amount,
                              date=when, customer_ref=account, reference=reference,
                              invoice_ledger_id=str(invoice_header))
