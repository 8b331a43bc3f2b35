"""SDO field tables (object names, fields, types, lengths, required) and enums: the connector's pre-flight source.

Every entry cites reference/sage/NOTES.md. Lengths marked ``[?]`` are not given by the notes; the value chosen
is the nearest documented sibling field and lives only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum
from typing import Literal

FieldType = Literal["String", "SmallInt", "Byte", "Integer", "Double", "Date"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    length: int = 0
    """Maximum characters for String fields (0 = not a string)."""
    required: bool = False
    system: bool = False
    """Read-only: maintained by Sage."""


def _s(name: str, length: int, required: bool = False) -> FieldSpec:
    return FieldSpec(name, "String", length, required)


def _n(name: str, type_: FieldType, required: bool = False, system: bool = False) -> FieldSpec:
    return FieldSpec(name, type_, 0, required, system)


def _table(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in specs}


# NOTES §1.6 SalesRecord (SALES.DTA). Lengths from the notes' field table.
SALES_RECORD = _table(
    _s("ACCOUNT_REF", 8, required=True),  # NOTES §1.6: ACCOUNT_REF (8, String, Req)
    _s("NAME", 60),  # NOTES §1.6: NAME (60)
    *(_s(f"ADDRESS_{i}", 60) for i in range(1, 6)),  # NOTES §1.6: ADDRESS_1..5 (60 each)
    _s("CONTACT_NAME", 30),
    _s("TRADE_CONTACT", 30),
    _s("TELEPHONE", 30),
    _s("TELEPHONE_2", 30),
    _s("FAX", 30),
    _s("E_MAIL", 255),  # NOTES §1.6: E_MAIL (255)
    _s("E_MAIL2", 255),
    _s("E_MAIL3", 255),
    _s("WWW", 255),
    _s("COUNTRY_CODE", 2),
    _s("DEL_NAME", 60),
    *(_s(f"DEL_ADDRESS_{i}", 60) for i in range(1, 6)),
    _s("DEL_CONTACT_NAME", 30),  # [?] length not in the notes: as CONTACT_NAME
    _s("DEL_TELEPHONE", 30),  # [?] as TELEPHONE
    _s("DEL_FAX", 30),  # [?] as FAX
    _s("VAT_REG_NUMBER", 20),  # NOTES §1.6: VAT_REG_NUMBER (20)
    _s("DEF_NOM_CODE", 8),
    _n("DEF_TAX_CODE", "SmallInt"),  # NOTES §1.6: the number n of "Tn"
    _n("CURRENCY", "Byte"),
    _n("DEPT_NUMBER", "SmallInt"),
    _s("TERMS", 30),
    _n("PAYMENT_DUE_DAYS", "SmallInt"),  # [?] integer type not in the notes
    _n("CREDIT_LIMIT", "Double"),
    _n("ACCOUNT_ON_HOLD", "Byte"),
    _n("INACTIVE_FLAG", "Byte"),  # [?] flag type: Byte like ACCOUNT_ON_HOLD
    *(_s(f"ANALYSIS_{i}", 30) for i in range(1, 4)),
    _s("PRICE_LIST_REF", 8),
    _n("BALANCE", "Double", system=True),
    _n("LAST_INV_DATE", "Date", system=True),
    _n("LAST_PAY_DATE", "Date", system=True),
    _n("DELETED_FLAG", "Byte", system=True),
    _n("RECORD_CREATE_DATE", "Date", system=True),
    _n("LAST_UPDATED", "Date", system=True),
)

# NOTES §1.7 StockRecord (STOCK.DTA).
STOCK_RECORD = _table(
    _s("STOCK_CODE", 30, required=True),  # NOTES §1.7: STOCK_CODE (30, Req)
    _s("DESCRIPTION", 60),
    _n("ITEM_TYPE", "Byte"),
    _n("SALES_PRICE", "Double"),
    _s("NOMINAL_CODE", 8),
    _s("PURCHASE_NOMINAL_CODE", 8),
    _n("TAX_CODE", "SmallInt"),
    _s("UNIT_OF_SALE", 8),
    _n("DEPT_NUMBER", "SmallInt"),
    _n("STOCK_CAT", "SmallInt"),
    _s("LOCATION", 16),
    _s("PRODUCT_BARCODE", 60),
    _s("SUPPLIER_PART_NUMBER", 16),
    _s("PURCHASE_REF", 8),
    _s("WEB_DESCRIPTION", 1023),  # [?] the notes give 1023 for the pair WEB_DESCRIPTION/WEB_LONGDESCRIPTION
    _n("INACTIVE_FLAG", "Byte"),
    _n("DELETED_FLAG", "Byte", system=True),
    _n("QTY_IN_STOCK", "Double", system=True),
    _n("LAST_SALE_DATE", "Date", system=True),
    _n("RECORD_CREATE_DATE", "Date", system=True),  # [?] as SalesRecord
    _n("LAST_UPDATED", "Date", system=True),  # [?] as SalesRecord
)

# NOTES §1.8 NominalRecord.
NOMINAL_RECORD = _table(
    _s("ACCOUNT_REF", 8, required=True),
    _s("NAME", 60),
    _n("ACCOUNT_TYPE", "Byte"),
    _n("BALANCE", "Double", system=True),
    _n("DELETED_FLAG", "Byte", system=True),
)

# NOTES §1.8 DepartmentData: NUMBER (auto), DEPT_REF (8, unique), NAME (60).
DEPARTMENT_DATA = _table(
    _n("NUMBER", "SmallInt", system=True),
    _s("DEPT_REF", 8),
    _s("NAME", 60),
)

# NOTES §1.9.1 InvoicePost header (InvoiceRecord layout).
INVOICE_HEADER = _table(
    _s("ACCOUNT_REF", 8, required=True),
    _n("INVOICE_NUMBER", "Integer"),  # NOTES §1.9.1: max 7 digits; optional since 2011
    _n("INVOICE_DATE", "Date", required=True),
    _n("INVOICE_TYPE_CODE", "Byte", required=True),
    _s("ORDER_NUMBER", 7),
    _s("CUST_ORDER_NUMBER", 60),
    _s("NAME", 60),  # [?] length as SalesRecord NAME
    *(_s(f"ADDRESS_{i}", 60) for i in range(1, 6)),  # [?] as SalesRecord
    *(_s(f"DEL_ADDRESS_{i}", 60) for i in range(1, 6)),  # [?]
    _s("DELIVERY_NAME", 60),  # [?]
    _s("CONTACT_NAME", 30),  # [?]
    _s("CUST_TEL_NUMBER", 30),  # [?]
    _n("GLOBAL_TAX_CODE", "SmallInt"),
    _s("GLOBAL_NOM_CODE", 8),  # [?] as NOMINAL_CODE
    _s("GLOBAL_DETAILS", 60),  # [?] as DETAILS
    _n("GLOBAL_DEPT_NUMBER", "SmallInt"),
    *(_s(f"NOTES_{i}", 60) for i in range(1, 4)),  # NOTES §1.9.1: NOTES_1..3 (60)
    _s("TAKEN_BY", 60),
    _s("PAYMENT_REF", 30),
    _n("PAYMENT_DUE_DATE", "Date"),
    _n("CURRENCY", "Byte"),
    _n("FOREIGN_RATE", "Double"),
    _n("ITEMS_NET", "Double", system=True),
    _n("ITEMS_TAX", "Double", system=True),
    _n("POSTED_CODE", "Byte", system=True),
    _n("DELETED_FLAG", "Byte", system=True),
)

# NOTES §1.9.1 InvoiceItem (lines of InvoicePost).
INVOICE_ITEM = _table(
    _s("STOCK_CODE", 30, required=True),
    _s("DESCRIPTION", 60),
    _s("COMMENT_1", 60),
    _s("COMMENT_2", 60),
    _s("TEXT", 60),
    _n("QTY_ORDER", "Double"),
    _n("UNIT_PRICE", "Double"),
    _n("NET_AMOUNT", "Double"),
    _n("FULL_NET_AMOUNT", "Double"),
    _n("DISCOUNT_RATE", "Double"),
    _n("DISCOUNT_AMOUNT", "Double"),
    _n("TAX_CODE", "SmallInt"),
    _n("TAX_RATE", "Double"),
    _n("TAX_AMOUNT", "Double"),
    _n("TAX_FLAG", "Byte", required=True),
    _s("NOMINAL_CODE", 8),
    _n("DEPT_NUMBER", "SmallInt"),
    _s("UNIT_OF_SALE", 8),
    _n("SERVICE_FLAG", "Byte"),
    _n("ITEM_NUMBER", "Integer", system=True),
)

# NOTES §1.9.3 TransactionPost header and splits.
TRANSACTION_HEADER = _table(
    _s("ACCOUNT_REF", 8, required=True),
    _n("DATE", "Date", required=True),  # [?] "Req" given for the split DATE; the header example always sets it
    _n("POSTED_DATE", "Date"),
    _n("TYPE", "Byte", required=True),
    _s("INV_REF", 30),  # NOTES §1.9.3: INV_REF (30; Halo invoice number)
    _s("DETAILS", 60),
    _n("DATE_DUE", "Date"),
    _n("CURRENCY", "Byte"),
    _n("FOREIGN_RATE", "Double"),
    _s("BANK_CODE", 8),  # [?] length as NOMINAL_CODE
)
TRANSACTION_SPLIT = _table(
    _n("TYPE", "Byte"),
    _s("NOMINAL_CODE", 8, required=True),
    _n("TAX_CODE", "SmallInt", required=True),
    _n("NET_AMOUNT", "Double"),
    _n("TAX_AMOUNT", "Double"),
    _s("DETAILS", 60),
    _n("DATE", "Date", required=True),
    _n("DEPT_NUMBER", "SmallInt"),
)

# NOTES §1.10 HeaderData / SplitData (read back). HEADER_NUMBER is the ODBC column name (AUDIT_HEADER /
# AUDIT_SPLIT, NOTES §1.10 [S3]) used here for the header's number [I].
HEADER_DATA = _table(
    _n("HEADER_NUMBER", "Integer", system=True),
    _n("TYPE", "Byte"),
    _s("ACCOUNT_REF", 8),
    _n("DATE", "Date"),
    _s("INV_REF", 30),
    _s("DETAILS", 60),
    _n("NET_AMOUNT", "Double"),
    _n("TAX_AMOUNT", "Double"),
    _n("AMOUNT_PAID", "Double", system=True),
    _n("PAID_FLAG", "Byte"),
    _n("DATE_DUE", "Date", system=True),
    _n("DELETED_FLAG", "Byte"),
    _n("FIRST_SPLIT", "Integer", system=True),
    _n("LAST_SPLIT", "Integer", system=True),
    _n("NO_OF_SPLIT", "Integer", system=True),
    _s("USER_NAME", 32),  # [?] 32 as AUDIT_SPLIT.USER_NAME
)
SPLIT_DATA = _table(
    _n("TRAN_NUMBER", "Integer", system=True),  # NOTES §1.10: the split number used by AllocatePayment
    _n("HEADER_NUMBER", "Integer", system=True),  # [I] ODBC AUDIT_SPLIT.HEADER_NUMBER
    _n("TYPE", "Byte"),
    _s("NOMINAL_CODE", 8),
    _n("TAX_CODE", "SmallInt"),
    _n("NET_AMOUNT", "Double"),
    _n("TAX_AMOUNT", "Double"),
    _n("AMOUNT_PAID", "Double", system=True),
    _n("PAID_FLAG", "Byte"),
    _s("DETAILS", 60),
    _n("DATE", "Date"),
    _n("DEPT_NUMBER", "SmallInt"),
)
# Allocations (UsageData, NOTES §1.10 "UsageData (allocations)"). Field names from the ODBC table AUDIT_USAGE
# (zynk schema [S3]): the SDO field names are [?] and live only here.
USAGE_DATA = _table(
    _n("USAGE_NUMBER", "Integer", system=True),
    _n("SPLIT_NUMBER", "Integer"),
    _n("SPLIT_CROSSREF", "Integer"),
    _n("TYPE", "Byte"),
    _s("REFERENCE", 30),
    _s("DETAILS", 60),
    _n("DATE", "Date"),
    _n("AMOUNT", "Double"),
)

#: Object name -> field table, for pre-flight checks (NOTES §1.5: names are case-insensitive).
TABLES: dict[str, dict[str, FieldSpec]] = {
    "SalesRecord": SALES_RECORD,
    "StockRecord": STOCK_RECORD,
    "NominalRecord": NOMINAL_RECORD,
    "DepartmentData": DEPARTMENT_DATA,
    "InvoicePost.Header": INVOICE_HEADER,
    "InvoicePost.Item": INVOICE_ITEM,
    "TransactionPost.Header": TRANSACTION_HEADER,
    "TransactionPost.Item": TRANSACTION_SPLIT,
    "HeaderData": HEADER_DATA,
    "SplitData": SPLIT_DATA,
    "UsageData": USAGE_DATA,
}

# Limits (NOTES §1.4, §1.6, §1.8, §1.9.1).
ACCOUNT_REF_MAX = 8  # NOTES §1.6: ACCOUNT_REF (8)
UNIQUE_ID_MAX = 32  # NOTES §1.4: UniqueID <= 32 characters, or Disconnect leaves the user logged in
INVOICE_NUMBER_MAX = 9_999_999  # NOTES §1.9.1: INVOICE_NUMBER max 7 digits
TAX_CODE_MAX = 99  # NOTES §1.8: tax codes T0..T99
DEPARTMENT_MAX = 999  # NOTES §1.8: departments 0..999
SMALLINT_RANGE = (-32768, 32767)
BYTE_RANGE = (0, 255)


class TransType(IntEnum):
    """NOTES §1.9.3 TransType (v32 interop [S2])."""

    SI = 1
    SC = 2
    SR = 3
    SA = 4
    SD = 5


class InvoiceType(IntEnum):
    """NOTES §1.9.1 InvoiceType: INVOICE_TYPE_CODE."""

    PRODUCT_INVOICE = 0
    SOP_INVOICE = 1
    SERVICE_INVOICE = 2
    PRODUCT_CREDIT = 3
    SERVICE_CREDIT = 4


class LedgerType(IntEnum):
    """NOTES §1.9.1 LedgerType: InvoicePost.Type (only used by GetNextNumber)."""

    INVOICE = 261
    SERVICE = 264
    CREDIT = 265
    SERVICE_CREDIT = 279


class StockItemType(IntEnum):
    """NOTES §1.7 StockItemType: StockRecord.ITEM_TYPE."""

    STOCK = 0
    NON_STOCK = 1
    SERVICE = 2


class InvoiceItemType(IntEnum):
    """NOTES §1.9.1 InvoiceItemType: InvoiceItem.SERVICE_FLAG."""

    STOCK = 0
    SERVICE = 1
    QTY_SERVICE = 2


#: NOTES §1.7: special non-stock product codes for invoice lines.
SERVICE_LINE_VATABLE = "S1"
SERVICE_LINE_NON_VATABLE = "S2"
SERVICE_LINE_EXTENDED = "S3"
MESSAGE_LINE = "M"


def problems(table: str, values: dict[str, object]) -> list[tuple[str, str]]:
    """Pre-flight check of ``values`` against field table ``table``: a list of (field, reason); empty = fine."""
    specs = TABLES[table]
    found: list[tuple[str, str]] = []
    for name, spec in specs.items():
        if spec.required and values.get(name) in (None, ""):
            found.append((name, "required"))
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            found.append((name, "unknown field"))
            continue
        if spec.system:
            found.append((name, "read-only"))
            continue
        if value is None:
            continue
        reason = _type_problem(spec, value)
        if reason:
            found.append((name, reason))
    return found


def _type_problem(spec: FieldSpec, value: object) -> str:
    if spec.type == "String":
        if not isinstance(value, str):
            return "not text"
        if len(value) > spec.length:
            return f"longer than {spec.length} characters"
        return ""
    if spec.type in ("SmallInt", "Byte", "Integer"):
        if isinstance(value, bool) or not isinstance(value, int):
            return "not a whole number"
        low, high = BYTE_RANGE if spec.type == "Byte" else SMALLINT_RANGE if spec.type == "SmallInt" else (0, 2**31)
        return "" if low <= value <= high else f"outside {low}..{high}"
    if spec.type == "Double":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "not a number"
        # NOTES §1.5: round all money to 2 decimal places before passing it in.
        return "" if round(float(value), 2) == float(value) or spec.name in ("QTY_ORDER", "UNIT_PRICE",
                                                                            "TAX_RATE", "FOREIGN_RATE",
                                                                            "SALES_PRICE") else "more than 2 dp"
    if spec.type == "Date":
        return "" if isinstance(value, (date, datetime)) else "not a date"
    return ""


def money(value: Decimal) -> float:
    """A money amount as SDO wants it: a Double rounded to 2 decimal places (NOTES §1.5)."""
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def money_dec(value: Decimal) -> Decimal:
    """``value`` rounded half-up to 2 decimal places (NOTES §1.5), as a Decimal."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
