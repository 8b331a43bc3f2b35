"""The reference data a new company file starts with, per edition, and loading of extra seed records.

Account and tax-code names are the usual ones of each edition's QuickBooks setup; none is confirmed by a
real non-US response (qbxml/real-responses/README.md "Looked for and not found"), so the tables are [?]
apart from the US names seen in real responses (Accounts Receivable, Undeposited Funds, Tax/Non, Out of State).
"""

from __future__ import annotations

from typing import Any

from halo_accounts.sandbox.quickbooks.context import Ctx
from halo_accounts.sandbox.quickbooks.customers import customer_add
from halo_accounts.sandbox.quickbooks.items import new_item
from halo_accounts.sandbox.quickbooks.lists import new_list_record

Seed = dict[str, Any]

_ACCOUNTS_COMMON: list[dict[str, Any]] = [
    {"Name": "Checking", "AccountType": "Bank", "AccountNumber": "1000"},
    {"Name": "Accounts Receivable", "AccountType": "AccountsReceivable",
     "SpecialAccountType": "AccountsReceivable", "AccountNumber": "1100"},
    {"Name": "Undeposited Funds", "AccountType": "OtherCurrentAsset",
     "SpecialAccountType": "UndepositedFunds", "AccountNumber": "1200"},
    {"Name": "Accounts Payable", "AccountType": "AccountsPayable",
     "SpecialAccountType": "AccountsPayable", "AccountNumber": "2000"},
    {"Name": "Sales", "AccountType": "Income", "AccountNumber": "4000"},
    {"Name": "Services", "AccountType": "Income", "AccountNumber": "4100"},
    {"Name": "Consulting Income", "AccountType": "Income", "AccountNumber": "4200"},
    {"Name": "Hardware Sales", "AccountType": "Income", "AccountNumber": "4300", "Parent": "Sales"},
    {"Name": "Cost of Goods Sold", "AccountType": "CostOfGoodsSold",
     "SpecialAccountType": "CostOfGoodsSold", "AccountNumber": "5000"},
]
# [?] name of the tax liability account per edition.
_TAX_ACCOUNT = {"US": "Sales Tax Payable", "UK": "VAT Control", "CA": "GST/HST Payable", "AU": "GST Payable"}

# (tax item name, rate %, description)
_TAX_ITEMS: dict[str, list[tuple[str, str, str]]] = {
    # US: "Out of State" seen in real-responses/consolibyte-CustomerQueryRs-1.xml; "State Tax" per the brief.
    "US": [("State Tax", "7.25", "State sales tax"), ("City Tax", "1.0", "City sales tax"),
           ("Out of State", "0.0", "Out-of-state sale, exempt from sales tax")],
    "UK": [("20.0% S", "20.0", "Standard rate VAT"), ("5.0% R", "5.0", "Reduced rate VAT"),
           ("0.0% Z", "0.0", "Zero rated VAT"), ("0.0% E", "0.0", "Exempt")],
    "CA": [("GST", "5.0", "Goods and Services Tax"), ("HST ON", "13.0", "Harmonized Sales Tax (Ontario)"),
           ("PST BC", "7.0", "Provincial Sales Tax (BC)"), ("GST Zero", "0.0", "Zero-rated")],
    "AU": [("GST", "10.0", "Goods and Services Tax"), ("GST Free", "0.0", "GST-free sales"),
           ("Export", "0.0", "Export sales")],
}
_TAX_GROUPS: dict[str, list[tuple[str, str, list[str]]]] = {
    "US": [("City + State", "Combined city and state tax", ["State Tax", "City Tax"])],
    "UK": [],
    "CA": [("GST + PST BC", "GST and BC PST", ["GST", "PST BC"])],
    "AU": [],
}
# (code, taxable, description, sales tax item) — US: NOTES §3.4 Tax/Non; others [?].
_TAX_CODES: dict[str, list[tuple[str, bool, str, str | None]]] = {
    "US": [("Tax", True, "Taxable Sales", None), ("Non", False, "Non-Taxable Sales", None)],
    "UK": [("S", True, "Standard", "20.0% S"), ("R", True, "Reduced", "5.0% R"), ("Z", True, "Zero", "0.0% Z"),
           ("E", False, "Exempt", "0.0% E"), ("O", False, "Outside scope", None)],
    "CA": [("G", True, "GST", "GST"), ("H", True, "HST", "HST ON"), ("S", True, "GST/PST", "GST + PST BC"),
           ("Z", True, "Zero-rated", "GST Zero"), ("E", False, "Exempt", None)],
    "AU": [("GST", True, "GST", "GST"), ("FRE", True, "GST Free", "GST Free"), ("EXP", True, "Export", "Export"),
           ("N-T", False, "Not reportable", None)],
}
_TERMS = [("Due on receipt", 0), ("Net 15", 15), ("Net 30", 30), ("Net 60", 60)]
_CLASSES = ["Managed Services", "Projects", "Hardware"]
_TEMPLATES = ["Intuit Service Invoice", "Intuit Product Invoice", "Custom Credit Memo"]
_PAYMENT_METHODS = ["Cash", "Check", "Visa", "MasterCard", "American Express", "E-Check"]
# So tests can hit 3100 across entity types (NOTES §3.6).
_VENDORS = ["Northwind Supplies"]
_EMPLOYEES = ["Alex Employee"]
_OTHER_NAMES = ["Owner Drawings"]


def load_defaults(ctx: Ctx, company_name: str) -> None:
    edition = ctx.edition
    ctx.store.set_meta("company_name", company_name)
    for spec in _ACCOUNTS_COMMON:
        new_list_record(ctx, "account", dict(spec))
    new_list_record(ctx, "account", {"Name": _TAX_ACCOUNT[edition], "AccountType": "OtherCurrentLiability",
                                     "SpecialAccountType": "SalesTaxPayable", "AccountNumber": "2200"})
    for name in _VENDORS:
        new_list_record(ctx, "vendor", {"Name": name})
    for name in _EMPLOYEES:
        new_list_record(ctx, "employee", {"Name": name})
    for name in _OTHER_NAMES:
        new_list_record(ctx, "othername", {"Name": name})
    for name, rate, desc in _TAX_ITEMS[edition]:
        new_item(ctx, "ItemSalesTax", {"Name": name, "ItemDesc": desc, "TaxRate": rate})
    for name, desc, members in _TAX_GROUPS[edition]:
        new_item(ctx, "ItemSalesTaxGroup", {"Name": name, "ItemDesc": desc,
                                            "ItemSalesTaxRef": [{"FullName": m} for m in members]})
    for code, taxable, desc, item in _TAX_CODES[edition]:
        fields: dict[str, Any] = {"Name": code, "IsTaxable": taxable, "Desc": desc}
        if item:
            hit = ctx.store.by_name(("item",), item)
            assert hit is not None
            fields["ItemSalesTaxRef"] = {"ListID": hit[1]["ListID"], "FullName": hit[1]["Name"]}
        new_list_record(ctx, "salestaxcode", fields)
    if edition == "US":
        ctx.store.set_meta("default_item_sales_tax", "State Tax")
    for name, days in _TERMS:
        new_list_record(ctx, "terms", {"Name": name, "StdDueDays": str(days), "StdDiscountDays": "0",
                                       "DiscountPct": "0.00"})
    for name in _CLASSES:
        new_list_record(ctx, "class", {"Name": name})
    for name in _TEMPLATES:
        new_list_record(ctx, "template", {"Name": name})
    for name in _PAYMENT_METHODS:
        new_list_record(ctx, "paymentmethod", {"Name": name})


def load_extra(ctx: Ctx, seed: Seed) -> None:
    """Extra records: ``vendors``/``employees``/``other_names``/``classes`` (names), ``terms`` ((name, days)),
    ``accounts`` (AccountRet-shaped dicts), ``items`` ({"type": "ItemService", **ItemServiceAdd fields}),
    ``customers`` (CustomerAdd-shaped dicts, built through CustomerAddRq so every rule applies)."""
    from lxml import etree

    from halo_accounts.sandbox.quickbooks.render import add_value

    if "company_name" in seed:
        ctx.store.set_meta("company_name", seed["company_name"])
    for kind, key in (("vendor", "vendors"), ("employee", "employees"), ("othername", "other_names"),
                      ("class", "classes")):
        for name in seed.get(key, []):
            new_list_record(ctx, kind, {"Name": name})
    for name, days in seed.get("terms", []):
        new_list_record(ctx, "terms", {"Name": name, "StdDueDays": str(days), "StdDiscountDays": "0",
                                       "DiscountPct": "0.00"})
    for spec in seed.get("accounts", []):
        new_list_record(ctx, "account", dict(spec))
    for spec in seed.get("items", []):
        fields = dict(spec)
        new_item(ctx, fields.pop("type", "ItemService"), fields)
    for spec in seed.get("customers", []):
        rq = etree.Element("CustomerAddRq")
        add = etree.SubElement(rq, "CustomerAdd")
        for key, value in spec.items():
            add_value(add, key, value)
        customer_add(ctx, rq)
