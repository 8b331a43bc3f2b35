"""The SDO COM object model over a sandbox `Company`: SDOEngine, Workspaces, records, data and posting objects.

Names and behaviour follow reference/sage/NOTES.md §1.4-§1.10 (Workspaces.Add, Connect, CreateObject,
Fields.Item(n).Value, AddNew/Edit/Update/Find/Move*/IsEOF/Link, Items.Add, Header.Fields, LastError).
"""
# ruff: noqa: N802

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from halo_accounts.sandbox.sage50uk import schema
from halo_accounts.sandbox.sage50uk.company import UNLISTED, Company, Faults, SdoFailure

COM_HRESULT = -2147352567  # DISP_E_EXCEPTION: how pywin32 reports an exception raised by a COM server
ACCOUNT_REF_RULE = re.compile(r"^[A-Z0-9]+$")  # NOTES §1.6: A-Z and 0-9, no spaces (uppercase [I])


class SandboxViolation(AssertionError):
    """The connector used SDO in a way the notes forbid (unknown field, wrong type, over-long text, read-only
    field, unrounded money): a bug in the caller, not a Sage error."""


class SdoComError(Exception):
    """Shaped like pywintypes.com_error: (hresult, text, excepinfo, argerr); excepinfo[2] is Sage's text."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(COM_HRESULT, "Exception occurred.", (0, "SDOEngine", text, None, 0, -2147467259), None)
        self.code = code


class SDOError:
    def __init__(self) -> None:
        self.Code = 0
        self.Text = ""


class Field:
    def __init__(self, bag: FieldBag, spec: schema.Spec) -> None:
        self._bag, self._spec = bag, spec
        self.Name, self.Length, self.Type = spec.name, spec.length, spec.type
        self.State = 1 if spec.required else 0  # NOTES §1.5: Optional=0 / Required=1

    @property
    def Value(self) -> Any:
        return self._bag.values.get(self._spec.name)

    @Value.setter
    def Value(self, value: Any) -> None:
        self._bag.assign(self._spec, value)


class Fields:
    def __init__(self, bag: FieldBag) -> None:
        self._bag = bag

    def Item(self, name: str) -> Field:
        spec = self._bag.specs.get(str(name).upper())
        if spec is None:
            raise SandboxViolation(f"no field {name!r} on {self._bag.object_name}")
        return Field(self._bag, spec)

    @property
    def Count(self) -> int:
        return len(self._bag.specs)


class FieldBag:
    """Values of one record buffer, type-checked on assignment (NOTES §1.4: values are type-cast)."""

    def __init__(self, object_name: str, specs: dict[str, schema.Spec], writable: bool = True) -> None:
        self.object_name, self.specs, self.writable = object_name, specs, writable
        self.values: dict[str, Any] = {}
        self.Fields = Fields(self)

    def assign(self, spec: schema.Spec, value: Any) -> None:
        name = f"{self.object_name}.{spec.name}"
        if spec.system and not getattr(self, "allow_system", False):
            raise SandboxViolation(f"{name} is read-only")
        if value is not None:
            _check_type(name, spec, value)
        self.values[spec.name] = value


def _check_type(name: str, spec: schema.Spec, value: Any) -> None:
    if spec.type == "String" and not isinstance(value, str):
        raise SandboxViolation(f"{name} needs a string, got {value!r}")
    if spec.type in ("SmallInt", "Byte", "Integer"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SandboxViolation(f"{name} needs an integer ({spec.type}), got {value!r}")
        if spec.type == "Byte" and not 0 <= value <= 255:
            raise SandboxViolation(f"{name} Byte out of range: {value}")
        if spec.type == "SmallInt" and not -32768 <= value <= 32767:
            raise SandboxViolation(f"{name} SmallInt out of range: {value}")
    if spec.type == "Double":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SandboxViolation(f"{name} needs a Double, got {value!r}")
        if spec.name in schema.MONEY_FIELDS and round(float(value), 2) != float(value):
            raise SandboxViolation(f"{name} not rounded to 2 dp: {value!r} (NOTES §1.5)")
    if spec.type == "Date" and not isinstance(value, (date, datetime)):
        raise SandboxViolation(f"{name} needs a date, got {value!r}")


def _check_lengths(bag: FieldBag, *, key: str = "") -> None:
    for name, value in bag.values.items():
        spec = bag.specs[name]
        if spec.type == "String" and isinstance(value, str) and len(value) > spec.length:
            if name == key:
                raise SdoFailure(50, "Empty key specified")  # NOTES §1.6: 50 seen for refs > 8 characters
            if "ADDRESS_" in name:
                raise SdoFailure(83, "Address line is too long")  # NOTES §1.6: 83
            raise SandboxViolation(f"{bag.object_name}.{name} longer than {spec.length}: {value!r}")
    for name, spec in bag.specs.items():
        if spec.required and bag.values.get(name) in (None, "") and not spec.system:
            if name == key:
                raise SdoFailure(63 if name == "ACCOUNT_REF" else 50, "Empty key specified")
            raise SandboxViolation(f"{bag.object_name}.{name} is required")


# ---------------------------------------------------------------------------------------------- engine
class SDOEngine:
    """``SDOEngine(company, faults=...)``: the object a real ``Dispatch("SDOEngine.32")`` returns."""

    def __init__(self, company: Company, *, faults: Faults | None = None) -> None:
        self.company = company
        self.faults = faults or Faults()
        self.LastError = SDOError()
        self.Workspaces = Workspaces(self)
        self.IsRegistered = not self.faults.not_registered
        self.calls: list[str] = []
        """Every Workspaces.Add / Connect / Disconnect, in order (for tests of the call sequence)."""

    def fail(self, code: int, text: str, *, raise_: bool = True) -> bool:
        self.LastError.Code, self.LastError.Text = code, text
        if raise_:
            raise SdoComError(code, text)
        return False


class Workspaces:
    def __init__(self, engine: SDOEngine) -> None:
        self._engine = engine
        self.items: list[Workspace] = []

    def Add(self, name: str) -> Workspace:
        self._engine.calls.append(f"Workspaces.Add({name})")
        ws = Workspace(self._engine, name)
        self.items.append(ws)
        return ws

    @property
    def Count(self) -> int:
        return len(self.items)


class Workspace:
    def __init__(self, engine: SDOEngine, name: str) -> None:
        self.engine, self.Name = engine, name
        self.connected = False
        self.username = self.unique_id = ""
        self._kicked = False

    @property
    def Version(self) -> str:
        return f"{self.engine.company.version}.0"

    def Connect(self, path: str, user: str, password: str, unique_id: str) -> bool:
        """NOTES §1.4 / §1.11: the connection errors, in the order a logon meets them."""
        eng, co, faults = self.engine, self.engine.company, self.engine.faults
        eng.calls.append(f"Connect({path},{user},***,{unique_id})")
        eng.LastError.Code, eng.LastError.Text = 0, ""
        if faults.data_service_down:
            return eng.fail(94, "Unable to connect to the data service")
        if faults.not_registered:
            return eng.fail(31, "3rd Party Integration NOT Enabled - Site Activation")  # NOTES §1.3
        if faults.cloud_error:
            return eng.fail(faults.cloud_error, "Sage ID exception")
        if faults.exclusive:
            return eng.fail(24, "Program is in exclusive mode. Logon cannot proceed")  # NOTES §1.11
        if path.rstrip("\\/").upper() != co.data_path.rstrip("\\/").upper():
            return eng.fail(25, "Bad data path")
        if faults.wrong_version:
            return eng.fail(26, "Wrong data version")
        if not user or not password:
            # NOTES §1.4: empty strings make SDO show a login dialog; a service would hang. The sandbox refuses.
            raise SandboxViolation("Connect with an empty user name or password shows a login dialog")
        if user.upper() not in co.users:
            return eng.fail(21, "Logon failed")
        if co.users[user.upper()] != password:
            return eng.fail(22, "Invalid password")
        sessions = co.sessions()
        if faults.user_in_use or any(u == user.upper() for _, u in sessions):
            return eng.fail(23, "Username is already in use")  # NOTES §1.4
        if faults.licence_limit or len(sessions) >= co.max_users:
            return eng.fail(30, "Logon user count exceeded")
        co.login(unique_id, user.upper())
        self.connected, self.username, self.unique_id = True, user.upper(), unique_id
        self._kicked = faults.kicked_out
        return True

    def Disconnect(self) -> None:
        self.engine.calls.append("Disconnect()")
        if self.connected and len(self.unique_id) <= 32:
            # NOTES §1.4: a UniqueID over 32 characters silently leaves the user in the user list.
            self.engine.company.logout(self.unique_id, self.username)
        self.connected = False

    def require(self) -> None:
        if not self.connected:
            self.engine.fail(16, "Not connected")
        if self._kicked:
            self.connected = False
            self.engine.fail(91, "Connection kicked out")

    def CreateObject(self, name: str) -> Any:
        self.require()
        factory = OBJECTS.get(name.upper())  # NOTES §1.5: names are case-insensitive
        if factory is None:
            raise SandboxViolation(f"CreateObject: unknown object {name!r}")
        return factory(self)


# ---------------------------------------------------------------------------------------------- records
class _Record(FieldBag):
    """SDORecord-style object (NOTES §1.5): Fields, navigation, Find, AddNew/Edit/Update."""

    kind = ""
    key = ""
    specs_table: dict[str, schema.Spec] = {}

    def __init__(self, ws: Workspace) -> None:
        super().__init__(type(self).__name__, self.specs_table)
        self.ws = ws
        self.company = ws.engine.company
        self.mode: str | None = None
        self._keys: list[str] = []
        self._pos = -1

    def _load(self, key: str) -> None:
        self.values = dict(self.company.get(self.kind, key) or {})

    # navigation
    def MoveFirst(self) -> bool:
        self._keys = self.company.keys(self.kind)
        self._pos = 0
        if self._keys:
            self._load(self._keys[0])
        return bool(self._keys)

    def MoveNext(self) -> bool:
        self._pos += 1
        if self._pos < len(self._keys):
            self._load(self._keys[self._pos])
            return True
        return False

    @property
    def IsEOF(self) -> bool:
        return self._pos >= len(self._keys) or self._pos < 0

    @property
    def IsBOF(self) -> bool:
        return self._pos <= 0

    def Find(self, partial: bool) -> bool:
        self.ws.require()
        wanted = str(self.values.get(self.key) or "")
        if not partial:
            data = self.company.get(self.kind, wanted)
            if data is None:
                return False
            self.values = dict(data)
            return True
        for k in self.company.keys(self.kind):
            if k.startswith(wanted):
                self._load(k)
                return True
        return False

    def AddNew(self) -> bool:
        self.mode, self.values = "add", {}
        return True

    def Edit(self) -> bool:
        if not self.values.get(self.key):
            return self.ws.engine.fail(27, "Bad update mode", raise_=False)
        self.mode = "edit"
        return True

    def CancelUpdate(self) -> None:
        self.mode = None

    def Update(self) -> bool:
        eng, faults = self.ws.engine, self.ws.engine.faults
        self.ws.require()
        try:
            if self.mode is None:
                raise SdoFailure(27, "Bad update mode")  # NOTES §1.11: Update without AddNew/Edit
            if faults.read_only:
                raise SdoFailure(32, "Read only access")
            if faults.file_busy:
                raise SdoFailure(48, "Accounts application is busy")  # NOTES §1.11
            _check_lengths(self, key=self.key)
            self.validate()
            key = str(self.values[self.key])
            if self.mode == "add" and self.company.get(self.kind, key) is not None:
                raise SdoFailure(84, "Account reference already exists")
            now = datetime.now().replace(microsecond=0)
            if self.mode == "add":
                self.values.setdefault("RECORD_CREATE_DATE", now)
                self.values.setdefault("DELETED_FLAG", 0)
                if "BALANCE" in self.specs:
                    self.values.setdefault("BALANCE", 0.0)
            if "LAST_UPDATED" in self.specs:
                self.values["LAST_UPDATED"] = now
            self.company.put(self.kind, key, self.values)
        except SdoFailure as exc:
            self.mode = None
            return eng.fail(exc.code, exc.text, raise_=faults.update_raises)
        self.mode = None
        return True

    def validate(self) -> None:
        """Record-specific rules."""


class SalesRecord(_Record):
    kind, key, specs_table = "sales", "ACCOUNT_REF", schema.SALES

    def validate(self) -> None:
        ref = str(self.values.get("ACCOUNT_REF") or "")
        if " " in ref:
            raise SdoFailure(82, "Account reference contains spaces")  # NOTES §1.6: 82
        if not ACCOUNT_REF_RULE.match(ref):
            raise SdoFailure(86, "Account reference contains invalid characters")  # NOTES §1.6: 86

    @property
    def Link(self) -> _Cursor:
        """SalesRecord -> HeaderData for this account (NOTES §1.10)."""
        co = self.company
        return _Cursor("HeaderData", schema.HEADER,
                       lambda: [co.header(n) for n in co.header_numbers(str(self.values.get("ACCOUNT_REF")))],
                       link=_split_link(co))


class StockRecord(_Record):
    kind, key, specs_table = "stock", "STOCK_CODE", schema.STOCK


class NominalRecord(_Record):
    kind, key, specs_table = "nominal", "ACCOUNT_REF", schema.NOMINAL


class InvoiceRecord(_Record):
    kind, key, specs_table = "invoice", "INVOICE_NUMBER", schema.INVOICE

    def Find(self, partial: bool) -> bool:
        self.ws.require()
        data = self.company.get(self.kind, str(self.values.get("INVOICE_NUMBER") or ""))
        if data is None:
            return False
        self.values = dict(data)
        return True

    def Post(self) -> bool:
        """IUpdateLedgers.Post (NOTES §1.9.2): the invoice becomes SI/SC on the audit trail; POSTED_CODE = 1."""
        eng = self.ws.engine
        self.ws.require()
        data = self.company.get("invoice", str(self.values.get("INVOICE_NUMBER") or ""))
        try:
            if data is None:
                raise SdoFailure(UNLISTED, "Invoice not found")
            if data.get("POSTED_CODE"):
                raise SdoFailure(UNLISTED, "Invoice already posted")
            if eng.faults.file_busy:
                raise SdoFailure(48, "Accounts application is busy")
            credit = int(data["INVOICE_TYPE_CODE"]) in (3, 4)
            ttype = 2 if credit else 1
            splits = [{"NOMINAL_CODE": item.get("NOMINAL_CODE") or "4000", "TAX_CODE": item.get("TAX_CODE") or 0,
                       "NET_AMOUNT": item.get("NET_AMOUNT") or 0.0, "TAX_AMOUNT": item.get("TAX_AMOUNT") or 0.0,
                       "DETAILS": item.get("DESCRIPTION") or "", "DATE": data["INVOICE_DATE"],
                       "DEPT_NUMBER": item.get("DEPT_NUMBER") or 0} for item in data["_items"]]
            with self.company.transaction():  # the SI and POSTED_CODE change together
                self.company.post_transaction({"TYPE": ttype, "ACCOUNT_REF": data["ACCOUNT_REF"],
                                               "DATE": data["INVOICE_DATE"], "INV_REF": str(data["INVOICE_NUMBER"]),
                                               "DETAILS": f"Invoice {data['INVOICE_NUMBER']}"}, splits,
                                              user=self.ws.username)
                data["POSTED_CODE"] = 1
                self.company.put("invoice", str(data["INVOICE_NUMBER"]), data)
        except SdoFailure as exc:
            return eng.fail(exc.code, exc.text, raise_=eng.faults.update_raises)
        self.values = dict(data)
        return True


# ---------------------------------------------------------------------------------------------- data objects
def _split_link(co: Company) -> Any:
    def link(values: dict[str, Any]) -> _Cursor:
        numbers = co.split_numbers(int(values["HEADER_NUMBER"]))
        return _Cursor("SplitData", schema.SPLIT, lambda: [co.split(n) for n in numbers], link=_usage_link(co))
    return link


def _usage_link(co: Company) -> Any:
    def link(values: dict[str, Any]) -> _Cursor:
        return _Cursor("UsageData", schema.USAGE, lambda: co.usage_rows(int(values["TRAN_NUMBER"])))
    return link


class _Cursor(FieldBag):
    """A linked, navigable set of rows (HeaderData from SalesRecord.Link, SplitData from HeaderData.Link ...)."""

    def __init__(self, name: str, specs: dict[str, schema.Spec], rows: Any, link: Any = None) -> None:
        super().__init__(name, specs, writable=False)
        self._rows_fn, self._link = rows, link
        self._rows: list[dict[str, Any]] = []
        self._pos = -1

    def MoveFirst(self) -> bool:
        self._rows = [r for r in self._rows_fn() if r is not None]
        self._pos = 0
        self.values = dict(self._rows[0]) if self._rows else {}
        return bool(self._rows)

    def MoveNext(self) -> bool:
        self._pos += 1
        if self._pos < len(self._rows):
            self.values = dict(self._rows[self._pos])
            return True
        return False

    @property
    def IsEOF(self) -> bool:
        return self._pos < 0 or self._pos >= len(self._rows)

    @property
    def Link(self) -> _Cursor:
        if self._link is None:
            raise SandboxViolation(f"{self.object_name} has no Link")
        return self._link(self.values)


class _DataObject(FieldBag):
    """Read(n)/Count data objects (NOTES §1.5): ControlData, SetupData, DepartmentData, HeaderData, SplitData."""

    name = ""
    specs_table: dict[str, schema.Spec] = {}

    def __init__(self, ws: Workspace) -> None:
        super().__init__(self.name, self.specs_table, writable=False)
        self.ws, self.company = ws, ws.engine.company

    def row(self, n: int) -> dict[str, Any] | None:
        raise NotImplementedError

    @property
    def Count(self) -> int:
        return 1

    def Read(self, n: int) -> bool:
        self.ws.require()
        data = self.row(int(n))
        self.values = dict(data or {})
        return data is not None


class ControlData(_DataObject):
    name, specs_table = "ControlData", schema.CONTROL

    def row(self, n: int) -> dict[str, Any] | None:
        return self.company.control() if n == 1 else None


class SetupData(_DataObject):
    name, specs_table = "SetupData", schema.SETUP

    def row(self, n: int) -> dict[str, Any] | None:
        return self.company.setup() if n == 1 else None


class DepartmentData(_DataObject):
    name, specs_table = "DepartmentData", schema.DEPARTMENT

    @property
    def Count(self) -> int:
        return len(self.company.departments())

    def row(self, n: int) -> dict[str, Any] | None:
        # NOTES §1.8: record offset 1 — Read(1) is department 0.
        for number, ref, dept_name in self.company.departments():
            if number == n - 1:
                return {"NUMBER": number, "DEPT_REF": ref, "NAME": dept_name}
        return None


class HeaderData(_DataObject):
    name, specs_table = "HeaderData", schema.HEADER

    def __init__(self, ws: Workspace) -> None:
        super().__init__(ws)
        self._found: list[int] = []

    @property
    def Count(self) -> int:
        return self.company.header_count()

    def row(self, n: int) -> dict[str, Any] | None:
        return self.company.header(n)

    @property
    def Link(self) -> _Cursor:
        return _split_link(self.company)(self.values)

    def _matches(self, field: str, value: str) -> list[int]:
        spec = self.specs.get(field.upper())
        if spec is None:
            raise SandboxViolation(f"HeaderData has no field {field!r}")
        out = []
        for n in self.company.header_numbers():
            stored = str((self.company.header(n) or {}).get(spec.name) or "")
            if value.endswith("*"):  # NOTES §1.5: partial match uses a trailing * only
                if stored.startswith(value[:-1]):
                    out.append(n)
            elif value == stored.ljust(spec.length):  # NOTES §1.5: exact match needs space-padding
                out.append(n)
        return out

    def FindFirst(self, field: str, value: str) -> bool:
        self.ws.require()
        self._found = self._matches(field, value)
        return self.FindNext(field, value) if self._found else False

    def FindNext(self, field: str, value: str) -> bool:
        if not self._found:
            return False
        self.Read(self._found.pop(0))
        return True


class SplitData(_DataObject):
    name, specs_table = "SplitData", schema.SPLIT

    @property
    def Count(self) -> int:
        return self.company.split_count()

    def row(self, n: int) -> dict[str, Any] | None:
        return self.company.split(n)

    @property
    def Link(self) -> _Cursor:
        return _usage_link(self.company)(self.values)


# ---------------------------------------------------------------------------------------------- posting
class _Items:
    def __init__(self, name: str, specs: dict[str, schema.Spec]) -> None:
        self._name, self._specs = name, specs
        self.items: list[FieldBag] = []

    def Add(self) -> FieldBag:
        bag = FieldBag(self._name, self._specs)
        self.items.append(bag)
        return bag

    @property
    def Count(self) -> int:
        return len(self.items)


class InvoicePost:
    """NOTES §1.9.1: Header, Items, Type, Update(), GetNextNumber()."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.Type = 0
        self.Header = FieldBag("InvoicePost.Header", schema.INVOICE)
        self.Items = _Items("InvoicePost.Item", schema.INVOICE_ITEM)

    def GetNextNumber(self) -> int:
        numbers = [int(k) for k in self.ws.engine.company.keys("invoice")]
        return max(numbers, default=0) + 1

    def Update(self) -> bool:
        eng, co = self.ws.engine, self.ws.engine.company
        self.ws.require()
        h = self.Header.values
        try:
            if eng.faults.file_busy:
                raise SdoFailure(48, "Accounts application is busy")
            _check_lengths(self.Header, key="ACCOUNT_REF")
            if co.get("sales", str(h["ACCOUNT_REF"])) is None:
                raise SdoFailure(UNLISTED, f"Account {h['ACCOUNT_REF']} does not exist")
            number = h.get("INVOICE_NUMBER") or self.GetNextNumber()  # NOTES §1.9.1: optional since 2011
            if number > 9_999_999:  # NOTES §1.9.1: max 7 digits
                raise SandboxViolation(f"INVOICE_NUMBER {number} has more than 7 digits")
            if co.get("invoice", str(number)) is not None:
                raise SdoFailure(UNLISTED, f"Invoice number {number} already exists")
            items = []
            control = co.control()
            for bag in self.Items.items:
                _check_lengths(bag)
                item = dict(bag.values)
                if not item.get("TAX_FLAG"):
                    # NOTES §1.9.1: Update recalculates VAT from net unless TAX_FLAG = 1.
                    rate = float(control.get(f"T{int(item.get('TAX_CODE') or 0)}_RATE") or 0)
                    item["TAX_AMOUNT"] = round(float(item.get("NET_AMOUNT") or 0) * rate / 100, 2)
                if item.get("NOMINAL_CODE") and co.get("nominal", item["NOMINAL_CODE"]) is None:
                    raise SdoFailure(65, "Invalid nominal code")
                items.append(item)
            net = round(sum(float(i.get("NET_AMOUNT") or 0) for i in items), 2)
            tax = round(sum(float(i.get("TAX_AMOUNT") or 0) for i in items), 2)
            if net + tax < 0:
                raise SdoFailure(89, "Invoice total negative")
            record = {**h, "INVOICE_NUMBER": number, "ITEMS_NET": net, "ITEMS_TAX": tax, "POSTED_CODE": 0,
                      "DELETED_FLAG": 0, "_items": items}
            co.put("invoice", str(number), record)
        except SdoFailure as exc:
            return eng.fail(exc.code, exc.text, raise_=eng.faults.update_raises)
        self.Header.values["INVOICE_NUMBER"] = number
        return True


class TransactionPost:
    """NOTES §1.9.3: Header, Items, Update(), PostingNumber, AllocatePayment()."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.Header = FieldBag("TransactionPost.Header", schema.TP_HEADER)
        self.Items = _Items("TransactionPost.Item", schema.TP_SPLIT)
        self.PostingNumber = 0

    def Update(self) -> bool:
        eng = self.ws.engine
        self.ws.require()
        try:
            if eng.faults.file_busy:
                raise SdoFailure(48, "Accounts application is busy")
            _check_lengths(self.Header, key="ACCOUNT_REF")
            for bag in self.Items.items:
                _check_lengths(bag)
            self.PostingNumber = eng.company.post_transaction(
                dict(self.Header.values), [dict(b.values) for b in self.Items.items], user=self.ws.username)
        except SdoFailure as exc:
            return eng.fail(exc.code, exc.text, raise_=eng.faults.update_raises)
        return True

    def AllocatePayment(self, invoice_split: int, payment_split: int, amount: float, when: date) -> bool:
        eng = self.ws.engine
        try:
            eng.company.allocate(int(invoice_split), int(payment_split), float(amount), when)
        except SdoFailure as exc:
            return eng.fail(exc.code, exc.text, raise_=False)
        return True


OBJECTS: dict[str, Any] = {
    "SALESRECORD": SalesRecord, "STOCKRECORD": StockRecord, "NOMINALRECORD": NominalRecord,
    "INVOICERECORD": InvoiceRecord, "CONTROLDATA": ControlData, "SETUPDATA": SetupData,
    "DEPARTMENTDATA": DepartmentData, "HEADERDATA": HeaderData, "SPLITDATA": SplitData,
    "INVOICEPOST": InvoicePost, "TRANSACTIONPOST": TransactionPost,
}
