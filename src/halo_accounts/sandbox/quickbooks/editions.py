"""What differs between the US, UK, Canadian and Australian company files: host answer, limits, tax model.

One spec version (13.0) serves all desktop editions; the OSR marks per field which edition has it and how
long it may be (qbxml/NOTES.md §3.4, §4). Rows marked [?] are not confirmed for that edition.
"""

from __future__ import annotations

from dataclasses import dataclass

EDITIONS = ("US", "UK", "CA", "AU")

# NOTES §3.4: qbXML 1.0..16.0 by release (2023 = 16.0) [C for US]; modern non-US editions [?].
_MODERN = ("1.0 1.1 2.0 2.1 3.0 4.0 4.1 5.0 6.0 7.0 8.0 9.0 10.0 11.0 12.0 13.0 14.0 15.0 16.0").split()


@dataclass(frozen=True)
class Host:
    """What HostQueryRs reports (shape: real-responses/qbwc-HostQueryRs-...-QBPro2014.xml)."""

    product_name: str
    major_version: str
    minor_version: str
    country: str
    versions: tuple[str, ...]


HOSTS: dict[str, Host] = {
    # NOTES §3.4: QuickBooks 2023 speaks 16.0 [C]; product name shape from the real HostRet files.
    "US": Host("QuickBooks Pro 2023", "33", "0", "US", tuple(_MODERN)),
    # [?] UK Desktop ended with 2022 (NOTES §3.4); the brief asks for 16.0 in every edition, so it is listed.
    # Pre-2008 locale versions (UK2.0, UK3.0...) are accepted too (NOTES §3.4, cdata page) [C].
    "UK": Host("QuickBooks Pro 2022", "32", "0", "UK", ("UK2.0", "UK3.0", *_MODERN)),
    "CA": Host("QuickBooks Pro 2023", "33", "0", "CA", ("CA2.0", "CA3.0", *_MODERN)),
    # [?] AU desktop became Reckon Accounts; no AU edition is in Intuit's SDK list (NOTES §3.4).
    "AU": Host("QuickBooks Pro 2013", "23", "0", "AU", ("OZ2.0", "AU3.0", *_MODERN)),
}

# [?] NOTES §3.4/§8.1: whether iterators work outside the US is unknown (consolibyte disables them there).
ITERATORS_SUPPORTED: dict[str, bool] = {"US": True, "UK": True, "CA": True, "AU": True}

# -- lengths (NOTES §4; OSR "max length = N for QBD|QBCA|QBUK|QBAU") --------------------------------------
# A value is an int (all editions) or a per-edition dict.
Limit = int | dict[str, int]

TAX_CODE_LEN: Limit = {"US": 3, "UK": 3, "CA": 3, "AU": 6}  # NOTES §4.1 SalesTaxCodeRef len3(US/CA/UK), len6(AU)

NAME_LIMITS: dict[str, Limit] = {
    "customer": 41,  # NOTES §4.1 Name len41
    "vendor": 41,
    "employee": 41,
    "othername": 41,
    "item": 31,  # NOTES §4.4 Item Name len31
    "account": 31,  # NOTES §5 AccountRet Name(31)
    "class": 31,  # NOTES §5 ClassRet Name(31)
    "terms": 31,  # NOTES §5 StandardTermsRet Name(31)
    "salestaxcode": TAX_CODE_LEN,  # NOTES §5 SalesTaxCodeRet Name len3; AU 6
}

# Fields directly under an Add element (or a line), by tag: NOTES §4.1, §4.4, §4.5.
FIELD_LIMITS: dict[str, Limit] = {
    "CompanyName": 41,
    "Salutation": 15,
    "FirstName": 25,
    "MiddleName": 5,
    "LastName": 25,
    "JobTitle": 41,
    "Phone": 21,
    "AltPhone": 21,
    "Fax": 21,
    "Email": 1023,
    "Cc": 1023,
    "Contact": 41,
    "AltContact": 41,
    "ResaleNumber": {"US": 15, "UK": 21, "CA": 21, "AU": 21},
    "AccountNumber": 99,
    "JobDesc": 99,
    "Notes": 4095,
    "TaxRegistrationNumber": 30,
    "ManufacturerPartNumber": 31,
    "Desc": 4095,
    "SalesDesc": 4095,
    "PurchaseDesc": 4095,
    "ItemDesc": 4095,
    "RefNumber": 11,  # NOTES §4.5 RefNumber len11
    "PONumber": 25,
    "FOB": 13,
    "Memo": 4095,
    "Other": 29,
    "Other1": 29,
    "Other2": 29,
    "UnitOfMeasure": 31,
}

# Address children (NOTES §4 ADDRESS).
ADDRESS_LIMITS: dict[str, Limit] = {
    "Addr1": 41, "Addr2": 41, "Addr3": 41, "Addr4": 41, "Addr5": 41,
    "City": 31, "State": 21, "PostalCode": 13, "Country": 31, "Note": 41,
}  # fmt: skip

# FullName inside a reference, by reference tag (NOTES §4.1, §4.4, §4.5 REF[FullName lenN]).
REF_LIMITS: dict[str, Limit] = {
    "CustomerRef": 209,
    "ClassRef": 159,
    "ARAccountRef": 159,
    "TemplateRef": 31,
    "TermsRef": 31,
    "SalesRepRef": 5,
    "ShipMethodRef": 15,
    "ItemSalesTaxRef": 31,
    "CustomerMsgRef": 101,
    "SalesTaxCodeRef": TAX_CODE_LEN,
    "CustomerSalesTaxCodeRef": TAX_CODE_LEN,
    "PurchaseTaxCodeRef": TAX_CODE_LEN,
    "AccountRef": 159,
    "IncomeAccountRef": 159,
    "ExpenseAccountRef": 159,
    "PrefVendorRef": 41,
    "PriceLevelRef": 31,
    "PreferredPaymentMethodRef": 31,
    "CustomerTypeRef": 159,
    "JobTypeRef": 159,
    "UnitOfMeasureSetRef": 31,
    "ItemRef": 159,
    "ParentRef": 209,
}


def limit(table: dict[str, Limit], key: str, edition: str) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    return value if isinstance(value, int) else value[edition]


# -- fields an edition does not have: QuickBooks answers 530 (Warn) and ignores them --------------------
# real-responses/jwachira-CustomerModRs-530-warn-1.xml shows the reply; which fields: NOTES §3.4 table.
QBOE_ONLY = frozenset({"PrintAs", "IsStatementWithParent", "DeliveryMethod"})  # NOTES §4.1, §6.3 #3
NOT_IN_EDITION: dict[str, frozenset[str]] = {
    "US": frozenset({"IsTaxIncluded", "SalesTaxCountry", "TaxRegistrationNumber", "TaxAmount", "PurchaseTaxCodeRef"}),
    "UK": frozenset({"TaxAmount"}),
    "CA": frozenset({"TaxAmount"}),
    "AU": frozenset({"BarCode", "InventorySiteRef", "InventorySiteLocationRef", "SerialNumber", "LotNumber"}),
}
# Customer ItemSalesTaxRef: not in CA/UK (NOTES §3.4).
CUSTOMER_NOT_IN: dict[str, frozenset[str]] = {
    "US": frozenset(),
    "UK": frozenset({"ItemSalesTaxRef"}),
    "CA": frozenset({"ItemSalesTaxRef"}),
    "AU": frozenset(),
}

# [I] Customer SalesTaxCountry (not in US; NOTES §4.1 enum, Canada the schema default) for a new customer.
DEFAULT_SALES_TAX_COUNTRY = {"UK": "UK", "CA": "Canada", "AU": "Australia"}

# -- the tax model (NOTES §3.4 "Practical reading") ----------------------------------------------------
# US: one ItemSalesTax rate per invoice, lines Tax/Non; elsewhere each line's code points at a tax item.
US_STYLE_TAX = {"US": True, "UK": False, "CA": False, "AU": False}
# [?] which code a line gets when neither the request nor the item names one.
DEFAULT_LINE_CODE = {"US": "Non", "UK": "S", "CA": "G", "AU": "GST"}
# [?] sales tax rounding: per invoice, per tax code, half-up to 2 dp.
ROUNDING = "ROUND_HALF_UP"
