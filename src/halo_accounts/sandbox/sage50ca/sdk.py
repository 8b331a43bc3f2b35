"""The Sage 50 Accounting SDK facade (`Sage_SA.SDK`, namespace `SimplySDK`) over a sandbox company, with the class
and method names of sage/NOTES.md §3.1: `SDKInstanceManager.Instance.OpenDatabase` and its `SDKResult`s, ledgers
(`Open<X>Ledger` -> `InitializeNew`/`LoadBy...` -> properties -> `Save`), `SalesJournal` with `Post()` (which can
return false although it posted), `GetLastJournalNumber`, lookups and amounts owing, alerts that throw unless an
`SDKAlert` implementation is set, E71 on a duplicate customer, and `SDKDatabaseUtility` for the SQL of §3.3."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from types import SimpleNamespace
from typing import Any

from halo_accounts.sandbox.sage50ca.company import NO_ACCESS, READ_WRITE, Company, Faults, money

SDKResult = Enum("SDKResult", [  # sage/NOTES.md §3.1, names as the SDK has them
    "SUCCESS", "SUCCESS_RETURN_TRUE", "SUCCESS_RETURN_FALSE", "FAIL", "FAIL_PATH_NOT_EXIST",
    "FAIL_FILENOTFOUND_LOSTSHARE", "FAIL_FILEREADONLY", "FAIL_CONNECTIONMGR_NONE", "FAIL_CONNECTIONMGR_INIT",
    "FAIL_CONNECTIONMGR_AUTH", "FAIL_CONNECTIONMGR_TOOMANY", "FAIL_CONNECTIONMGR_NOPORTS", "FAIL_CONNECTIONMGR_VER",
    "FAIL_MYSQL_INIT", "FAIL_MYSQL_MEM", "FAIL_MYSQL_NOTRUNNING", "FAIL_MYSQL_TIMEOUT", "FAIL_MYSQL_CLOSE",
    "FAIL_ANOTHER_DATABASE_IS_OPEN", "FAIL_DATABASE_CONNECTION_FAILED", "FAIL_INVALID_SECURITY_DETAILS",
    "FAIL_USER_LOGON_FAILED", "FAIL_NOT_REMOTE_DATA_ACCESS_DATABASE", "FAIL_RDA_DATABASE_READONLY_MODE",
    "FAIL_INIT_REMOTE_DATA_ACCESS", "FAIL_NO_SAGEID_SIGNIN"])


class SimplyErrorMessageException(Exception):
    def __init__(self, message_id: str, text: str) -> None:
        super().__init__(text)
        self.MessageId = message_id
        self.Message = text


class InvalidEntryException(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.Message = text


class SimplyNoAccessException(InvalidEntryException):
    pass


class AlertNotImplementedException(InvalidEntryException):
    pass


class SDKAlert:
    """The base of an alert implementation (NOTES §3.1: AskAlert, YNCAlert, StopAlert, StopAlertNotShow,
    AskSaveAlert). Without one set, every alert throws."""


# NOTES §3.4 field widths (customer line), used as the customer ledger's widths [I: the import file's limits].
CUSTOMER_WIDTHS = {"Name": 52, "Contact": 30, "Street1": 50, "Street2": 50, "City": 35, "Province": 20,
                   "PostalCode": 9, "Country": 30, "Phone1": 25, "Phone2": 25, "Fax": 25, "Email": 50}
CUSTOMER_FIELDS = (*CUSTOMER_WIDTHS, "WebSite", "CurrencyCode", "PriceList")
ITEM_FIELDS = ("Number", "Name", "NameAlt", "IsServiceType", "IsActivityType", "StockingUnit", "RegularPrice",
               "PreferredPrice", "AssetAccount", "RevenueAccount", "ExpenseAccount")
PAID_BY = ("Pay Later", "Cash", "Cheque", "Credit Card")  # NOTES §3.1 SelectPaidByType ("Pay Later" | "Cash" | ...)
INVOICE_NUMBER_MAX = 20  # NOTES §3.4 options line: Invoice No. <= 20
COMMENT_MAX = 39  # NOTES §3.1: Comment <= 39
ITEM_NUMBER_MAX = 52  # NOTES §3.4 detail line: Item Number <= 52


class _Open:
    def __init__(self, sdk: _Sdk) -> None:
        self.sdk = sdk

    @property
    def company(self) -> Company:
        return self.sdk.open_company()

    def _writable(self) -> None:
        if self.sdk.rights != READ_WRITE:
            raise SimplyNoAccessException("You do not have the rights to change this data (Rights with "
                                          "Third-Party Products).")


class CustomerLedger(_Open):
    def __init__(self, sdk: _Sdk) -> None:
        super().__init__(sdk)
        self.InitializeNew()

    def InitializeNew(self) -> None:  # noqa: N802 - the SDK's method names
        for name in CUSTOMER_FIELDS:
            setattr(self, name, "")
        self._loaded: str | None = None

    def LoadByName(self, name: str) -> bool:  # noqa: N802
        found = self.company.get("customer", str(name).casefold())
        if found is None:
            return False
        self.InitializeNew()
        for key, value in found.items():
            setattr(self, key, value)
        self._loaded = found["Name"].casefold()
        return True

    def Save(self) -> None:  # noqa: N802
        self._writable()
        name = str(self.Name or "").strip()
        if not name:
            raise InvalidEntryException("The customer name cannot be blank.")
        for key, width in CUSTOMER_WIDTHS.items():
            if len(str(getattr(self, key) or "")) > width:
                raise InvalidEntryException(f"{key} is longer than {width} characters.")
        key = name.casefold()
        if self._loaded != key and self.company.get("customer", key) is not None:
            raise SimplyErrorMessageException("E71", f"The customer name '{name}' is already in use.")
        with self.company.transaction():
            if self._loaded and self._loaded != key:
                self.company.db.execute("DELETE FROM customer WHERE key = ?", (self._loaded,))
            self.company.put("customer", key, {k: getattr(self, k) for k in CUSTOMER_FIELDS})
        self._loaded = key


class InventoryLedger(_Open):
    def __init__(self, sdk: _Sdk) -> None:
        super().__init__(sdk)
        self.InitializeNew()

    def InitializeNew(self) -> None:  # noqa: N802
        for name in ITEM_FIELDS:
            setattr(self, name, "")
        self.IsServiceType = False
        self._loaded: str | None = None

    def LoadByPartCode(self, code: str) -> bool:  # noqa: N802
        found = self.company.get("item", str(code).casefold())
        if found is None:
            return False
        self.InitializeNew()
        for key, value in found.items():
            setattr(self, key, value)
        self._loaded = str(code).casefold()
        return True

    def Save(self) -> None:  # noqa: N802
        self._writable()
        number = str(self.Number or "").strip()
        if not number or len(number) > ITEM_NUMBER_MAX:
            raise InvalidEntryException(f"The item number must be 1 to {ITEM_NUMBER_MAX} characters.")
        if self._loaded != number.casefold() and self.company.get("item", number.casefold()) is not None:
            raise InvalidEntryException(f"The item number '{number}' is already in use.")
        account = str(self.RevenueAccount or "")
        if not account or self.company.get("account", account) is None:
            raise InvalidEntryException(f"Revenue account '{account}' does not exist.")
        with self.company.transaction():
            self.company.put("item", number.casefold(), {k: getattr(self, k) for k in ITEM_FIELDS})
        self._loaded = number.casefold()


class AccountLedger(_Open):
    def __init__(self, sdk: _Sdk) -> None:
        super().__init__(sdk)
        self.InitializeNew()

    def InitializeNew(self) -> None:  # noqa: N802
        self.Number, self.Name, self.Type, self.Class, self.CurrencyCode = "", "", "G", "", ""

    def LoadByAccountNumber(self, number: str) -> bool:  # noqa: N802
        found = self.company.get("account", str(number))
        if found is None:
            return False
        self.Number, self.Name, self.Type = found["number"], found["name"], found["type"]
        return True


class _Line:
    def __init__(self) -> None:
        self.item = self.description = self.account = self.tax_code = self.unit = ""
        self.quantity = self.price = self.amount = Decimal(0)


def _dec(value: object, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidEntryException(f"{what} {value!r} is not a number.") from None


class SalesJournal(_Open):
    def __init__(self, sdk: _Sdk) -> None:
        super().__init__(sdk)
        self._reset()
        self._lookup: dict[str, Any] | None = None

    def _reset(self) -> None:
        self.InvoiceNumber = ""
        self._trans_type = 0
        self._paid_by = "Pay Later"
        self._customer = ""
        self._date: datetime | None = None
        self._comment = ""
        self._freight = Decimal(0)
        self._lines: dict[int, _Line] = {}

    def _line(self, n: int) -> _Line:
        if int(n) < 1:  # NOTES §3.1: line numbers start at 1
            raise InvalidEntryException(f"Line number {n} is out of range (lines start at 1).")
        return self._lines.setdefault(int(n), _Line())

    def SelectTransType(self, value: int) -> None:  # noqa: N802
        if int(value) not in (0, 1, 2):
            raise InvalidEntryException(f"Transaction type {value} is not valid.")
        self._trans_type = int(value)

    def SelectPaidByType(self, value: str) -> None:  # noqa: N802
        if value not in PAID_BY:
            raise InvalidEntryException(f"Paid by type '{value}' is not valid.")
        self._paid_by = value

    def SelectAPARLedger(self, name: str) -> None:  # noqa: N802
        if name != "<One-time customer>" and self.company.get("customer", str(name).casefold()) is None:
            raise InvalidEntryException(f"Customer '{name}' does not exist.")
        self._customer = str(name)

    def SetJournalDate(self, value: str) -> None:  # noqa: N802
        fmt = self.company.meta("date_format")  # the Windows locale's short date [I] (NOTES §3.1)
        try:
            self._date = datetime.strptime(str(value), fmt)
        except ValueError:
            raise InvalidEntryException(f"'{value}' is not a valid date.") from None

    def SetShipDate(self, value: str) -> None:  # noqa: N802
        pass

    def SetItemNumber(self, item: str, line: int) -> None:  # noqa: N802
        if self.company.get("item", str(item).casefold()) is None:
            raise InvalidEntryException(f"Item '{item}' does not exist.")
        self._line(line).item = str(item)

    def SetQuantity(self, value: object, line: int) -> None:  # noqa: N802
        self._line(line).quantity = _dec(value, "Quantity")

    def SetUnit(self, value: str, line: int) -> None:  # noqa: N802
        self._line(line).unit = str(value)

    def SetDescription(self, value: str, line: int) -> None:  # noqa: N802
        self._line(line).description = str(value)

    def SetPrice(self, value: object, line: int) -> None:  # noqa: N802
        self._line(line).price = _dec(value, "Price")

    def SetLineAmount(self, value: object, line: int) -> None:  # noqa: N802
        self._line(line).amount = _dec(value, "Amount")

    def SetLineAccount(self, value: str, line: int) -> None:  # noqa: N802
        if self.company.get("account", str(value)) is None:
            raise InvalidEntryException(f"Account '{value}' does not exist.")
        self._line(line).account = str(value)

    def SetTaxCodeString(self, code: str, line: int) -> None:  # noqa: N802
        if code and self.company.get("taxcode", str(code)) is None:
            raise InvalidEntryException(f"Tax code '{code}' does not exist.")
        self._line(line).tax_code = str(code)

    def SetFreightAmount(self, value: object) -> None:  # noqa: N802
        self._freight = _dec(value, "Freight")

    def SetComment(self, value: str) -> None:  # noqa: N802
        if len(str(value)) > COMMENT_MAX:
            raise InvalidEntryException(f"The comment is longer than {COMMENT_MAX} characters.")
        self._comment = str(value)

    def Undo(self) -> None:  # noqa: N802
        self._reset()

    # -- amounts: Sage works out each line's taxes from its tax code, authority by authority, rounded to the cent
    def _taxes(self, line: _Line) -> Decimal:
        code = self.company.get("taxcode", line.tax_code) if line.tax_code else None
        parts = code["taxes"] if code else []
        return sum((money(line.amount * Decimal(rate) / 100) for _, rate, _ in parts), Decimal(0))

    def _entry_amounts(self) -> tuple[Decimal, Decimal]:
        net = sum((ln.amount for ln in self._lines.values()), Decimal(0)) + self._freight
        tax = sum((self._taxes(ln) for ln in self._lines.values()), Decimal(0))
        return net + tax, tax

    def GetTotalAmount(self) -> float:  # noqa: N802
        if self._lookup is not None and not self._lines:
            return float(self._lookup["total"])
        return float(self._entry_amounts()[0])

    def GetTaxTotalAmount(self) -> float:  # noqa: N802
        if self._lookup is not None and not self._lines:
            return float(self._lookup["tax"])
        return float(self._entry_amounts()[1])

    def GetAmountOwing(self) -> float:  # noqa: N802
        if self._lookup is None:
            raise InvalidEntryException("No invoice is loaded for lookup.")
        return float(self._lookup["owing"])

    def GetLastJournalNumber(self) -> int:  # noqa: N802
        return int(self.company.meta("last_journal"))

    def LoadInvoiceForLookup(self, customer: str, number: str) -> bool:  # noqa: N802
        self._lookup = None
        for entry in self.company.all("journal"):
            if entry["customer"].casefold() == str(customer).casefold() and entry["number"] == str(number):
                self._lookup = entry
                return True
        return False

    def Post(self) -> bool:  # noqa: N802
        self._writable()
        company, faults = self.company, self.sdk.faults
        if not self._customer or self._date is None or not self._lines:
            raise InvalidEntryException("The journal entry is not complete (customer, date and a line).")
        number = str(self.InvoiceNumber or "")
        if len(number) > INVOICE_NUMBER_MAX:
            raise InvalidEntryException(f"The invoice number is longer than {INVOICE_NUMBER_MAX} characters.")
        for n, line in sorted(self._lines.items()):
            if not line.account and not line.item:
                raise InvalidEntryException(f"Line {n} has no account.")
        taken = [e for e in company.all("journal") if e["customer"].casefold() == self._customer.casefold()
                 and e["number"] == number] if number else []
        if taken and not self.sdk.alert("AskAlert", f"Invoice number {number} has already been used. Do you "
                                                    "want to continue?"):
            return False
        total, tax = self._entry_amounts()
        with company.transaction():
            journal = int(company.meta("last_journal")) + 1
            if not number:
                number = str(journal)
            company.set_meta("last_journal", journal)
            company.put("journal", str(journal).zfill(10), {
                "journal": journal, "customer": self._customer, "number": number, "type": self._trans_type,
                "paid_by": self._paid_by, "date": self._date.date().isoformat(), "comment": self._comment,
                "total": str(total), "tax": str(tax), "owing": str(total),
                "lines": [{"line": n, "item": ln.item, "description": ln.description, "quantity": str(ln.quantity),
                           "price": str(ln.price), "amount": str(ln.amount), "account": ln.account,
                           "tax_code": ln.tax_code, "tax": str(self._taxes(ln))}
                          for n, ln in sorted(self._lines.items())]})
        self._reset()
        if faults.crash_after_post:
            raise ConnectionError("the connection to the Sage 50 database was lost")
        if faults.post_false_but_posted > 0:  # NOTES §3.1: Post() can return false though the journal posted
            faults.post_false_but_posted -= 1
            return False
        return True


class _Rows:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.Rows = rows


class _DataSet:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.Tables = [_Rows(rows)]


class SDKDatabaseUtility(_Open):
    """NOTES §3.1: RunSelectQuery, RunScalerQuery (sic), GetDataSetFromLastSelectQuery; answers the queries on the
    tables named in §3.3."""

    def __init__(self, sdk: _Sdk) -> None:
        super().__init__(sdk)
        self._last: list[dict[str, Any]] = []

    def RunScalerQuery(self, sql: str) -> object:  # noqa: N802
        if re.fullmatch(r"SELECT nActNumLen FROM tCompOth", sql.strip(), re.I):
            return int(self.company.meta("account_length"))
        raise InvalidEntryException(f"Query not understood: {sql}")

    def RunSelectQuery(self, sql: str) -> int:  # noqa: N802
        self._last = self._select(sql.strip())
        return len(self._last)

    def GetDataSetFromLastSelectQuery(self) -> _DataSet:  # noqa: N802
        return _DataSet(self._last)

    def _select(self, sql: str) -> list[dict[str, Any]]:
        company = self.company
        customers = company.all("customer")
        ids = {c["Name"].casefold(): n for n, c in enumerate(customers, start=1)}
        if re.fullmatch(r"SELECT sName FROM tCustomr", sql, re.I):
            return [{"sName": c["Name"]} for c in customers]
        if re.fullmatch(r"SELECT sPartCode FROM tInvent", sql, re.I):
            return [{"sPartCode": i["Number"]} for i in company.all("item")]
        if re.fullmatch(r"SELECT lId, sName, nAcctClass FROM tAccount", sql, re.I):
            return [{"lId": a["number"], "sName": a["name"], "nAcctClass": a["type"]} for a in company.all("account")]
        match = re.fullmatch(r"SELECT c\.sName, t\.sSource FROM tCusTr t JOIN tCustomr c ON c\.lId = t\.lCusId "
                             r"WHERE t\.nTranType = 0(?: AND t\.sSource = '((?:[^']|'')*)')?", sql, re.I)
        if match:
            wanted = match.group(1).replace("''", "'") if match.group(1) is not None else None
            return [{"sName": j["customer"], "sSource": j["number"], "lCusId": ids.get(j["customer"].casefold())}
                    for j in company.journals() if wanted is None or j["number"] == wanted]
        raise InvalidEntryException(f"Query not understood: {sql}")


class _Sdk:
    """One process's SDK: the instance manager's state."""

    def __init__(self, company: Company, faults: Faults) -> None:
        self.company, self.faults = company, faults
        self.alerts: Any = None
        self.rights = NO_ACCESS
        self.opened = False
        self.user = ""
        self.alerts_seen: list[tuple[str, str]] = []

    def open_company(self) -> Company:
        if not self.opened:
            raise InvalidEntryException("No database is open.")
        return self.company

    def alert(self, kind: str, text: str) -> Any:
        self.alerts_seen.append((kind, text))
        if self.alerts is None:  # NOTES §3.1: default alerts throw exceptions
            raise AlertNotImplementedException(text)
        return getattr(self.alerts, kind)(text)


class SDKInstanceManager:
    def __init__(self, sdk: _Sdk) -> None:
        self._sdk = sdk

    def SetAlertImplementation(self, alert: Any) -> None:  # noqa: N802
        self._sdk.alerts = alert

    def GetDatabaseVersion(self) -> str:  # noqa: N802
        return str(self._sdk.company.meta("version"))

    def OpenDatabase(self, sai: str, user: str, password: str, multi_user: bool, app_name: str,  # noqa: N802
                     app_code: str, app_version: int, result: Any = None) -> tuple[bool, SDKResult]:
        """Like pythonnet calling a method with an ``out`` parameter: returns (bool, SDKResult)."""
        sdk, company, faults = self._sdk, self._sdk.company, self._sdk.faults
        if sdk.opened:
            return False, SDKResult.FAIL_ANOTHER_DATABASE_IS_OPEN
        if faults.connection_manager_down:
            return False, SDKResult.FAIL_CONNECTIONMGR_NONE
        if faults.mysql_down:
            return False, SDKResult.FAIL_MYSQL_NOTRUNNING
        if faults.sdk_version_mismatch:
            return False, SDKResult.FAIL_CONNECTIONMGR_VER
        if str(sai).casefold() != str(company.meta("sai")).casefold():
            return False, SDKResult.FAIL_PATH_NOT_EXIST
        if not app_code or len(str(app_code)) > 6:  # NOTES §3.1: tpAppCode <= 6 characters
            return False, SDKResult.FAIL_INVALID_SECURITY_DETAILS
        users = {k.casefold(): v for k, v in company.meta("users").items()}
        known = users.get(str(user).casefold())
        if known is None or known[0] != password:
            return False, SDKResult.FAIL_USER_LOGON_FAILED
        if known[1] == NO_ACCESS:  # NOTES §3.2: new companies default to no third-party access [?: which result]
            return False, SDKResult.FAIL_INVALID_SECURITY_DETAILS
        if faults.open_single_user or (not multi_user and company.meta("sessions")):
            return False, SDKResult.FAIL_FILENOTFOUND_LOSTSHARE  # [?] NOTES §3.2: single-user mode must be closed
        with company.transaction():
            company.set_meta("sessions", [*company.meta("sessions"), f"{user}/{app_code}"])
        sdk.opened, sdk.user, sdk.rights = True, str(user), known[1]
        return True, SDKResult.SUCCESS

    def CloseDatabase(self) -> None:  # noqa: N802
        sdk = self._sdk
        if sdk.opened:
            sessions = list(sdk.company.meta("sessions"))
            for i, s in enumerate(sessions):
                if s.startswith(f"{sdk.user}/"):
                    del sessions[i]
                    break
            with sdk.company.transaction():
                sdk.company.set_meta("sessions", sessions)
        sdk.opened = False

    def OpenCustomerLedger(self) -> CustomerLedger:  # noqa: N802
        return CustomerLedger(self._sdk)

    def CloseCustomerLedger(self) -> None:  # noqa: N802
        pass

    def OpenInventoryLedger(self) -> InventoryLedger:  # noqa: N802
        return InventoryLedger(self._sdk)

    def CloseInventoryLedger(self) -> None:  # noqa: N802
        pass

    def OpenAccountLedger(self) -> AccountLedger:  # noqa: N802
        return AccountLedger(self._sdk)

    def CloseAccountLedger(self) -> None:  # noqa: N802
        pass

    def OpenSalesJournal(self) -> SalesJournal:  # noqa: N802
        return SalesJournal(self._sdk)

    def CloseSalesJournal(self) -> None:  # noqa: N802
        pass

    def OpenDatabaseUtility(self) -> SDKDatabaseUtility:  # noqa: N802
        return SDKDatabaseUtility(self._sdk)


def make_sdk(company: Company, faults: Faults | None = None) -> SimpleNamespace:
    """The SDK's namespace as pythonnet would give it: classes, the instance manager, results and exceptions."""
    state = _Sdk(company, faults or Faults())
    manager = SDKInstanceManager(state)
    return SimpleNamespace(
        SDKInstanceManager=SimpleNamespace(Instance=manager), SDKResult=SDKResult, SDKAlert=SDKAlert,
        SimplyErrorMessageException=SimplyErrorMessageException, InvalidEntryException=InvalidEntryException,
        SimplyNoAccessException=SimplyNoAccessException, AlertNotImplementedException=AlertNotImplementedException,
        state=state)
