"""`Sage50CALedger`: the ledger port over the Sage 50 Accounting SDK (real through pythonnet, or a stand-in of the
same shape), per sage/NOTES.md §3.1-3.3. Customers are keyed by name; invoices and credit notes go through
`SalesJournal`, guarded by `GetLastJournalNumber` before and after `Post()`; paid status is read back as amounts
owing (`LoadInvoiceForLookup` + `GetAmountOwing`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from halo_accounts.ledgers.port import (
    Account,
    Customer,
    Invoice,
    LedgerInfo,
    LedgerUnavailable,
    Outcome,
    Payment,
    Posted,
    Product,
    RecordRejected,
    TaxCode,
)
from halo_accounts.ledgers.sage50ca import text
from halo_accounts.ledgers.sage50ca.sdk.session import SdkSession

log = logging.getLogger(__name__)

CENT = Decimal("0.01")
TOLERANCE = CENT  # the third rule: the package's total and tax equal Halo's to the cent
ONE_TIME = "<One-time customer>"  # sage/NOTES.md §3.1 SelectAPARLedger
INVOICE = 0  # sage/NOTES.md §3.1 SelectTransType(0 = invoice, 1 = order, 2 = quote)
#: SQL on the company database through SDKDatabaseUtility (sage/NOTES.md §3.3). Table names are confirmed there;
#: columns marked [I] follow the naming convention (s = string, l = long id, n = small int) and are fixed here only.
ACCOUNT_LENGTH_QUERY = "SELECT nActNumLen FROM tCompOth"  # [C] §3.1 (Sage's sample)
CUSTOMERS_QUERY = "SELECT sName FROM tCustomr"  # [C] §3.3
ITEMS_QUERY = "SELECT sPartCode FROM tInvent"  # [I] column name
ACCOUNTS_QUERY = "SELECT lId, sName, nAcctClass FROM tAccount"  # lId, nAcctClass [C]; sName [I]
#: Invoices with their customer: tCusTr lCusId/nTranType/sSource [C: columns], nTranType 0 = invoice [C?] (§3.3).
INVOICES_QUERY = ("SELECT c.sName, t.sSource FROM tCusTr t JOIN tCustomr c ON c.lId = t.lCusId "
                  "WHERE t.nTranType = 0")
#: [?] The SalesJournal method naming the account a paid (cash/cheque) invoice is paid into is not in the notes
#: (§0 pairs Halo's sage50cadefaultpaidaccount with "the paid-from account"); called only when one is set.
PAID_ACCOUNT_METHOD = "SelectPaidFromAccount"
#: Halo's sage50cadefaultpaidtype values as the .IMP's Paid By Type numbers (§3.4) -> SelectPaidByType strings.
PAID_TYPES = {"0": "Pay Later", "1": "Cash", "2": "Cheque", "3": "Credit Card"}


def _dec(value: object) -> Decimal:
    return Decimal(str(value if value not in (None, "") else 0)).quantize(CENT)


@dataclass(frozen=True)
class Options:
    date_format: str = "%m-%d-%Y"
    paid_type: str = "Pay Later"
    paid_account: str = ""
    tax_codes: tuple[tuple[str, str], ...] = ()


def paid_type(value: object) -> str:
    raw = str(value or "").strip()
    if not raw:
        return "Pay Later"
    return PAID_TYPES.get(raw, raw)


class Sage50CALedger:
    """Not thread-safe: one ledger per worker (the SDK keeps one open company per process, §3.1)."""

    def __init__(self, session: SdkSession, options: Options | None = None) -> None:
        self.session = session
        self.options = options or Options()
        self._account_length: int | None = None

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Sage50CALedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ helpers
    @property
    def manager(self) -> Any:
        return self.session.manager

    def _rows(self, sql: str, what: str) -> list[Any]:
        with self.session.guard(what):
            util = self.manager.OpenDatabaseUtility()
            util.RunSelectQuery(sql)
            return list(util.GetDataSetFromLastSelectQuery().Tables[0].Rows)

    def account_length(self) -> int:
        """sage/NOTES.md §3.1: account number length comes from ``SELECT nActNumLen FROM tCompOth``."""
        if self._account_length is None:
            with self.session.guard("reading the account number length"):
                self._account_length = int(self.manager.OpenDatabaseUtility().RunScalerQuery(ACCOUNT_LENGTH_QUERY))
        return self._account_length

    def _check_account(self, account: str, what: str) -> str:
        account = (account or "").strip()
        if account and (not account.isdigit() or len(account) != self.account_length()):
            raise RecordRejected("sage50ca.account_length", what=what, account=account, length=self.account_length())
        return account

    # ------------------------------------------------------------------ reference data
    def info(self) -> LedgerInfo:
        with self.session.guard("reading the version"):
            version = str(self.manager.GetDatabaseVersion() or "")
        return LedgerInfo(kind="sage50ca", edition="CA", version=version, company=self.session.conn.company_path,
                          currency="CAD", assigns_numbers=False)

    def tax_codes(self) -> list[TaxCode]:
        """The company's codes as `[sage50ca] tax_codes` lists them ([?] no SDK call lists them, §3); Sage works out
        each line's taxes from the code, and `post_invoices` compares its figures with Halo's before posting."""
        return [TaxCode(code=code, name=name or code, rate=Decimal(0)) for code, name in self.options.tax_codes]

    def accounts(self) -> list[Account]:
        out = []
        for row in self._rows(ACCOUNTS_QUERY, "reading the chart of accounts"):
            number = str(row["lId"]).strip()
            out.append(Account(code=number, name=str(row["sName"] or ""), kind=str(row["nAcctClass"] or ""),
                               ledger_id=number))
        return out

    def _load_customer(self, name: str) -> Customer | None:
        with self.session.guard("looking up a customer"):
            ledger = self.manager.OpenCustomerLedger()
            try:
                if not ledger.LoadByName(name):
                    return None
                return text.customer_from(ledger)
            finally:
                self.manager.CloseCustomerLedger()

    def customers(self, modified_since: datetime | None = None) -> Iterator[Customer]:
        for row in self._rows(CUSTOMERS_QUERY, "reading customers"):
            found = self._load_customer(str(row["sName"]))
            if found is not None:
                yield found

    def find_customer(self, *, ref: str = "", name: str = "") -> Customer | None:
        key = (ref or name).strip()  # §3.1: the name is the key (CA customers have no account code)
        if not key or len(key) > text.NAME_MAX:
            return None
        return self._load_customer(key)

    def _customer_fields(self, ledger: Any, customer: Customer) -> None:
        for field, value in text.customer_fields(customer).items():
            setattr(ledger, field, value)

    def create_customer(self, customer: Customer) -> Customer:
        """InitializeNew, properties, Save (§3.1). A name Sage has already raises E71: that customer is matched,
        never duplicated."""
        name = text.customer_name(customer)
        what = f"creating customer {name}"
        existing = self._load_customer(name)
        if existing is not None:
            return existing
        try:
            with self.session.guard(what):
                ledger = self.manager.OpenCustomerLedger()
                try:
                    ledger.InitializeNew()
                    self._customer_fields(ledger, customer)
                    ledger.Save()
                finally:
                    self.manager.CloseCustomerLedger()
        except RecordRejected as exc:
            if exc.field_name != "E71":
                raise
            log.info("Sage 50 already has a customer named %r (E71): matched, not duplicated", name)
        found = self._load_customer(name)
        if found is None:
            raise RecordRejected("sage50ca.rejected", what=what, detail="the customer was not found after saving")
        return found

    def update_customer(self, customer: Customer) -> Customer:
        name = (customer.ref or customer.name).strip()
        what = f"updating customer {name}"
        with self.session.guard(what):
            ledger = self.manager.OpenCustomerLedger()
            try:
                if not ledger.LoadByName(name):
                    raise RecordRejected("sage50ca.customer_missing", what=what, name=name)
                fields = text.customer_fields(customer)
                fields.pop("Name", None)  # the key: renaming is done in Sage, not by a sync
                for field, value in fields.items():
                    setattr(ledger, field, value)
                ledger.Save()
                return text.customer_from(ledger)
            finally:
                self.manager.CloseCustomerLedger()

    # ------------------------------------------------------------------ items
    def _load_item(self, code: str) -> Product | None:
        with self.session.guard("looking up an item"):
            ledger = self.manager.OpenInventoryLedger()
            try:
                if not ledger.LoadByPartCode(code):
                    return None
                return text.product_from(ledger)
            finally:
                self.manager.CloseInventoryLedger()

    def products(self, modified_since: datetime | None = None) -> Iterator[Product]:
        for row in self._rows(ITEMS_QUERY, "reading items"):
            found = self._load_item(str(row["sPartCode"]))
            if found is not None:
                yield found

    def find_product(self, *, ref: str = "", code: str = "") -> Product | None:
        key = (ref or code).strip()
        if not key or len(key) > text.ITEM_NUMBER_MAX:
            return None
        return self._load_item(key)

    def create_product(self, product: Product) -> Product:
        code = product.code.strip()
        what = f"item {code}"
        if not code or len(code) > text.ITEM_NUMBER_MAX:
            raise RecordRejected("sage50ca.rejected", what=what,
                                 detail=f"an item number must be 1 to {text.ITEM_NUMBER_MAX} characters")
        account = self._check_account(product.income_account, what)
        with self.session.guard(f"creating {what}"):
            ledger = self.manager.OpenInventoryLedger()
            try:
                ledger.InitializeNew()
                ledger.Number = code
                ledger.Name = text.fit(product.description or code, text.ITEM_NAME_MAX)
                ledger.IsServiceType = product.kind != "stock"
                ledger.RegularPrice = float(product.price)
                if account:
                    ledger.RevenueAccount = account
                ledger.Save()
            finally:
                self.manager.CloseInventoryLedger()
        found = self._load_item(code)
        if found is None:
            raise RecordRejected("sage50ca.rejected", what=what, detail="the item was not found after saving")
        return found

    # ------------------------------------------------------------------ invoices
    def post_invoices(self, invoices: Sequence[Invoice]) -> list[Outcome]:
        """Post each invoice; a refused one is held (its outcome carries the error) and the rest go on. When Sage
        cannot be reached (or an answer is lost), `LedgerUnavailable` propagates: the batch's writes stay "sent"
        and the next run looks each one up in Sage before anything is sent again."""
        outcomes: list[Outcome] = []
        for inv in invoices:
            key = inv.external_key or inv.number
            try:
                outcomes.append(Outcome(key, posted=self._post_one(inv)))
            except LedgerUnavailable:
                raise
            except RecordRejected as exc:
                outcomes.append(Outcome(key, error=exc))
        return outcomes

    def _amounts(self, customer: str, number: str) -> tuple[Decimal, Decimal, Decimal] | None:
        """(total, tax, owing) of a posted invoice as Sage holds them (credit notes negative), or None."""
        with self.session.guard(f"looking up invoice {number}"):
            journal = self.manager.OpenSalesJournal()
            try:
                if not journal.LoadInvoiceForLookup(customer, number):
                    return None
                return (_dec(journal.GetTotalAmount()), _dec(journal.GetTaxTotalAmount()),
                        _dec(journal.GetAmountOwing()))
            finally:
                self.manager.CloseSalesJournal()

    def _lookup(self, customer: str, number: str, kind: Literal["invoice", "credit"]) -> Posted | None:
        found = self._amounts(customer, number)
        if found is None:
            return None
        total, tax, owing = found
        return Posted(ledger_id=number, number=number, total=abs(total), kind=kind, balance=abs(owing), tax=abs(tax))

    def _post_one(self, inv: Invoice) -> Posted:
        label = "Credit note" if inv.kind == "credit" else "Invoice"
        what = f"{label} {inv.number or '(new)'}"
        customer = inv.customer_ref.strip()
        if not customer or self._load_customer(customer) is None:
            raise RecordRejected("sage50ca.customer_missing", what=what, name=customer or "(none)")
        if not inv.lines:
            raise RecordRejected("sage50ca.rejected", what=what, detail="it has no lines")
        number = text.checked(inv.number, text.INVOICE_NUMBER_MAX, what, "invoice number")
        if number:  # exactly once: already in Sage (an answer lost in a crash) -> not posted again
            existing = self._lookup(customer, number, inv.kind)
            if existing is not None:
                log.info("%s is already in Sage 50; not posting it again", what)
                return existing
        # Sage keeps a credit note as an invoice with negative amounts; Halo may send either sign.
        sign = Decimal(-1) if inv.kind == "credit" and inv.net_total + inv.tax_total > 0 else Decimal(1)
        want_total = (inv.net_total + inv.tax_total) * sign
        want_tax = inv.tax_total * sign
        accounts = [self._check_account(line.account_code, what) for line in inv.lines]
        self.session.take_alerts()
        with self.session.guard(f"posting {what}"):
            journal = self.manager.OpenSalesJournal()
            try:
                journal.SelectTransType(INVOICE)
                journal.SelectPaidByType(self.options.paid_type)
                if self.options.paid_type != "Pay Later" and self.options.paid_account:
                    select = getattr(journal, PAID_ACCOUNT_METHOD, None)
                    if callable(select):
                        select(self.options.paid_account)
                    else:  # Sage then uses its own default account for the paid type
                        log.warning("this SDK has no %s: Halo's paid account %s is not passed to Sage",
                                    PAID_ACCOUNT_METHOD, self.options.paid_account)
                journal.SelectAPARLedger(customer)
                if number:
                    journal.InvoiceNumber = number
                journal.SetJournalDate(inv.date.strftime(self.options.date_format))  # never the Windows locale
                if inv.memo:
                    journal.SetComment(text.fit(inv.memo, text.COMMENT_MAX))
                for n, (line, account) in enumerate(zip(inv.lines, accounts, strict=True), start=1):
                    if line.product_ref:
                        journal.SetItemNumber(line.product_ref, n)
                    journal.SetDescription(text.fit(line.description, text.LINE_DESCRIPTION_MAX), n)
                    journal.SetQuantity(float(abs(line.quantity) * (1 if sign > 0 else -1)), n)
                    journal.SetPrice(float(abs(line.unit_price)), n)
                    journal.SetLineAmount(float(line.net_amount * sign), n)
                    if account:
                        journal.SetLineAccount(account, n)
                    journal.SetTaxCodeString(line.tax_code, n)
                # Sage works out the taxes from its codes; what it would post must be what Halo has, to the cent.
                sage_total, sage_tax = _dec(journal.GetTotalAmount()), _dec(journal.GetTaxTotalAmount())
                if abs(sage_total - want_total) > TOLERANCE or abs(sage_tax - want_tax) > TOLERANCE:
                    journal.Undo()
                    raise RecordRejected("sage50ca.amounts_differ", what=what, sage_total=abs(sage_total),
                                         sage_tax=abs(sage_tax), halo_total=abs(want_total), halo_tax=abs(want_tax))
                before = int(journal.GetLastJournalNumber())
                try:
                    ok = bool(journal.Post())
                except Exception:
                    if number and self._posted_after(journal, before):
                        raise LedgerUnavailable("sage50ca.connection_lost", what=f"posting {what}",
                                                detail="the answer was lost after Sage posted it") from None
                    raise
                after = int(journal.GetLastJournalNumber())
            finally:
                self.manager.CloseSalesJournal()
        alerts = self.session.take_alerts()
        if not ok:
            if after > before:  # NOTES §3.1: Post() returned false but the journal was posted
                log.warning("%s: Post() returned false but journal %d was posted; not posting again", what, after)
            else:
                if alerts:
                    raise RecordRejected("sage50ca.alert", text=alerts[-1], what=f"posting {what}")
                raise RecordRejected("sage50ca.rejected", what=what, detail="Sage 50 did not post it")
        found = self._lookup(customer, number or str(after), inv.kind)
        if found is None:
            return Posted(ledger_id=number or str(after), number=number or str(after), total=abs(sage_total),
                          kind=inv.kind, balance=abs(sage_total), tax=abs(sage_tax))
        return found

    @staticmethod
    def _posted_after(journal: Any, before: int) -> bool:
        try:
            return int(journal.GetLastJournalNumber()) > before
        except Exception:
            return False

    def _owner(self, number: str) -> str:
        quoted = number.replace("'", "''")
        rows = self._rows(f"{INVOICES_QUERY} AND t.sSource = '{quoted}'", "looking up an invoice's customer")
        return str(rows[0]["sName"]) if rows else ""

    def find_invoice(self, number: str, kind: Literal["invoice", "credit"] = "invoice",
                     external_key: str = "") -> Posted | None:
        """By the number it was posted with (crash reconciliation); its customer from the receivables (§3.3)."""
        number = (number or "").strip()
        if not number or len(number) > text.INVOICE_NUMBER_MAX:
            return None
        owner = self._owner(number)
        return self._lookup(owner, number, kind) if owner else None

    # ------------------------------------------------------------------ money coming back
    def payments(self, since: datetime | None = None) -> Iterator[Payment]:
        """Paid status as amounts owing (§3.3: prefer LoadInvoiceForLookup + GetAmountOwing): one paid-to-date
        `Payment` per invoice something has been paid on. Sage keeps no date of payment this way, so today is used;
        ``since`` cannot narrow it (every invoice is read)."""
        for row in self._rows(INVOICES_QUERY, "reading invoices for payments"):
            customer, number = str(row["sName"]), str(row["sSource"])
            found = self._amounts(customer, number)
            if found is None or found[0] <= 0:  # not found, or a credit note (negative in Sage)
                continue
            paid = found[0] - found[2]
            if paid <= 0:
                continue
            yield Payment(ledger_id=f"{number}:{paid}", invoice_number=number, amount=paid, date=date.today(),
                          customer_ref=customer, invoice_ledger_id=number, paid_to_date=True)
