"""The sandbox's own copy of the SDO field rules, written from reference/sage/NOTES.md (not imported from the
connector, so a mistake in one is caught by the other). Format per line: NAME TYPE [LENGTH] [req] [sys]."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spec:
    name: str
    type: str
    length: int = 0
    required: bool = False
    system: bool = False


def _parse(text: str) -> dict[str, Spec]:
    out: dict[str, Spec] = {}
    for raw in text.strip().splitlines():
        parts = raw.split()
        name, type_ = parts[0], parts[1]
        length = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
        names = [name]
        if "{" in name:  # ADDRESS_{1-5}
            stem, rng = name.split("{")
            lo, hi = rng.rstrip("}").split("-")
            names = [f"{stem}{i}" for i in range(int(lo), int(hi) + 1)]
        for n in names:
            out[n] = Spec(n, type_, length, "req" in parts, "sys" in parts)
    return out


# NOTES §1.6 SalesRecord.
SALES = _parse("""
ACCOUNT_REF String 8 req
NAME String 60
ADDRESS_{1-5} String 60
CONTACT_NAME String 30
TRADE_CONTACT String 30
TELEPHONE String 30
TELEPHONE_2 String 30
FAX String 30
E_MAIL String 255
E_MAIL2 String 255
E_MAIL3 String 255
WWW String 255
COUNTRY_CODE String 2
DEL_NAME String 60
DEL_ADDRESS_{1-5} String 60
DEL_CONTACT_NAME String 30
DEL_TELEPHONE String 30
DEL_FAX String 30
VAT_REG_NUMBER String 20
DEF_NOM_CODE String 8
DEF_TAX_CODE SmallInt
CURRENCY Byte
DEPT_NUMBER SmallInt
TERMS String 30
PAYMENT_DUE_DAYS SmallInt
CREDIT_LIMIT Double
ACCOUNT_ON_HOLD Byte
INACTIVE_FLAG Byte
ANALYSIS_{1-3} String 30
PRICE_LIST_REF String 8
BALANCE Double sys
LAST_INV_DATE Date sys
LAST_PAY_DATE Date sys
DELETED_FLAG Byte sys
RECORD_CREATE_DATE Date sys
LAST_UPDATED Date sys
""")
# NOTES §1.7 StockRecord.
STOCK = _parse("""
STOCK_CODE String 30 req
DESCRIPTION String 60
ITEM_TYPE Byte
SALES_PRICE Double
NOMINAL_CODE String 8
PURCHASE_NOMINAL_CODE String 8
TAX_CODE SmallInt
UNIT_OF_SALE String 8
DEPT_NUMBER SmallInt
STOCK_CAT SmallInt
LOCATION String 16
PRODUCT_BARCODE String 60
SUPPLIER_PART_NUMBER String 16
PURCHASE_REF String 8
WEB_DESCRIPTION String 1023
INACTIVE_FLAG Byte
DELETED_FLAG Byte sys
QTY_IN_STOCK Double sys
LAST_SALE_DATE Date sys
RECORD_CREATE_DATE Date sys
LAST_UPDATED Date sys
""")
# NOTES §1.8 NominalRecord.
NOMINAL = _parse("""
ACCOUNT_REF String 8 req
NAME String 60
ACCOUNT_TYPE Byte
BALANCE Double sys
DELETED_FLAG Byte sys
""")
# NOTES §1.9.1 InvoiceRecord / InvoicePost header.
INVOICE = _parse("""
ACCOUNT_REF String 8 req
INVOICE_NUMBER Integer
INVOICE_DATE Date req
INVOICE_TYPE_CODE Byte req
ORDER_NUMBER String 7
CUST_ORDER_NUMBER String 60
NAME String 60
ADDRESS_{1-5} String 60
DEL_ADDRESS_{1-5} String 60
DELIVERY_NAME String 60
CONTACT_NAME String 30
CUST_TEL_NUMBER String 30
GLOBAL_TAX_CODE SmallInt
GLOBAL_NOM_CODE String 8
GLOBAL_DETAILS String 60
GLOBAL_DEPT_NUMBER SmallInt
NOTES_{1-3} String 60
TAKEN_BY String 60
PAYMENT_REF String 30
PAYMENT_DUE_DATE Date
CURRENCY Byte
FOREIGN_RATE Double
ITEMS_NET Double sys
ITEMS_TAX Double sys
POSTED_CODE Byte sys
DELETED_FLAG Byte sys
""")
# NOTES §1.9.1 InvoiceItem.
INVOICE_ITEM = _parse("""
STOCK_CODE String 30 req
DESCRIPTION String 60
COMMENT_1 String 60
COMMENT_2 String 60
TEXT String 60
QTY_ORDER Double
UNIT_PRICE Double
NET_AMOUNT Double
FULL_NET_AMOUNT Double
DISCOUNT_RATE Double
DISCOUNT_AMOUNT Double
TAX_CODE SmallInt
TAX_RATE Double
TAX_AMOUNT Double
TAX_FLAG Byte req
NOMINAL_CODE String 8
DEPT_NUMBER SmallInt
UNIT_OF_SALE String 8
SERVICE_FLAG Byte
ITEM_NUMBER Integer sys
""")
# NOTES §1.9.3 TransactionPost.
TP_HEADER = _parse("""
ACCOUNT_REF String 8 req
DATE Date req
POSTED_DATE Date
TYPE Byte req
INV_REF String 30
DETAILS String 60
DATE_DUE Date
CURRENCY Byte
FOREIGN_RATE Double
BANK_CODE String 8
""")
TP_SPLIT = _parse("""
TYPE Byte
NOMINAL_CODE String 8 req
TAX_CODE SmallInt req
NET_AMOUNT Double
TAX_AMOUNT Double
DETAILS String 60
DATE Date req
DEPT_NUMBER SmallInt
""")
# NOTES §1.10 HeaderData / SplitData; UsageData names from ODBC AUDIT_USAGE (zynk schema, NOTES §1.10 [S3]) [?].
HEADER = _parse("""
HEADER_NUMBER Integer sys
TYPE Byte
ACCOUNT_REF String 8
DATE Date
INV_REF String 30
DETAILS String 60
NET_AMOUNT Double
TAX_AMOUNT Double
AMOUNT_PAID Double sys
PAID_FLAG Byte
DATE_DUE Date sys
DELETED_FLAG Byte
FIRST_SPLIT Integer sys
LAST_SPLIT Integer sys
NO_OF_SPLIT Integer sys
USER_NAME String 32
""")
SPLIT = _parse("""
TRAN_NUMBER Integer sys
HEADER_NUMBER Integer sys
TYPE Byte
NOMINAL_CODE String 8
TAX_CODE SmallInt
NET_AMOUNT Double
TAX_AMOUNT Double
AMOUNT_PAID Double sys
PAID_FLAG Byte
DETAILS String 60
DATE Date
DEPT_NUMBER SmallInt
""")
USAGE = _parse("""
USAGE_NUMBER Integer sys
SPLIT_NUMBER Integer
SPLIT_CROSSREF Integer
TYPE Byte
REFERENCE String 30
DETAILS String 60
DATE Date
AMOUNT Double
""")
# NOTES §1.8 DepartmentData; ControlData tax table T0..T99; SetupData (company).
DEPARTMENT = _parse("""
NUMBER SmallInt sys
DEPT_REF String 8
NAME String 60
""")
CONTROL = {
    **{f"T{i}_DESCRIPTION": Spec(f"T{i}_DESCRIPTION", "String", 30) for i in range(100)},
    **{f"T{i}_RATE": Spec(f"T{i}_RATE", "Double") for i in range(100)},
}
SETUP = _parse("""
NAME String 60
ADDRESS_{1-5} String 60
TELEPHONE String 30
VAT_REG_NUMBER String 20
""")

MONEY_FIELDS = frozenset({"NET_AMOUNT", "TAX_AMOUNT", "FULL_NET_AMOUNT", "DISCOUNT_AMOUNT", "CREDIT_LIMIT",
                          "AMOUNT", "CARR_NET", "CARR_TAX"})
"""Fields that must arrive rounded to 2 decimal places (NOTES §1.5: else Check Data reports errors)."""
