"""The small reference lists: accounts, sales tax codes, terms, classes, templates, payment methods, and the
vendors/employees/other names that share the customers' name space (NOTES §4.3 table, §5)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from halo_accounts.sandbox.quickbooks import editions
from halo_accounts.sandbox.quickbooks.context import ENTITY_KINDS, Ctx
from halo_accounts.sandbox.quickbooks.query import Reply, list_query
from halo_accounts.sandbox.quickbooks.render import (
    ACCOUNT_RET,
    CLASS_RET,
    ENTITY_RET,
    SALES_TAX_CODE_RET,
    TERMS_RET,
    ret,
)
from halo_accounts.sandbox.quickbooks.store import Record

_RET: dict[str, tuple[str, list[str]]] = {
    "account": ("AccountRet", ACCOUNT_RET),
    "salestaxcode": ("SalesTaxCodeRet", SALES_TAX_CODE_RET),
    "terms": ("StandardTermsRet", TERMS_RET),
    "class": ("ClassRet", CLASS_RET),
    "vendor": ("VendorRet", ENTITY_RET),
    "employee": ("EmployeeRet", ENTITY_RET),
    "othername": ("OtherNameRet", ENTITY_RET),
    "template": ("TemplateRet", ENTITY_RET),
    "paymentmethod": ("PaymentMethodRet", ENTITY_RET),
}
_HIERARCHICAL = ("account", "class")


def list_ret(kind: str, rec: Record) -> etree._Element:
    tag, order = _RET[kind]
    return ret(tag, rec, order)


def new_list_record(ctx: Ctx, kind: str, fields: dict[str, Any]) -> Record:
    """Create a reference-list record from seed ``fields`` (element names, already in Ret shape)."""
    rec: Record = {"IsActive": True, **fields}
    name = rec["Name"]
    full_name = name
    if kind in _HIERARCHICAL:
        parent_name = rec.pop("Parent", None)
        rec["Sublevel"] = "0"
        if parent_name:
            parent = ctx.resolve("AccountRef" if kind == "account" else "ClassRef", {"FullName": parent_name}, kind)
            rec["ParentRef"] = {"ListID": parent["ListID"], "FullName": parent["FullName"]}
            rec["Sublevel"] = str(int(parent["Sublevel"]) + 1)
            full_name = f"{parent['FullName']}:{name}"
        rec["FullName"] = full_name
    if kind in ENTITY_KINDS:
        ctx.check_name_free(ENTITY_KINDS, full_name, kind)
    else:
        ctx.check_name_free((kind,), full_name, kind)
    ctx.stamp_new(rec)
    ctx.save(kind, rec, name=full_name)
    return rec


def account_query(ctx: Ctx, rq: etree._Element) -> Reply:
    types = {(e.text or "").strip() for e in rq.findall("AccountType")}
    return list_query(ctx, rq, ("account",), list_ret,
                      accept=lambda kind, rec: not types or rec["AccountType"] in types)


def sales_tax_code_query(ctx: Ctx, rq: etree._Element) -> Reply:
    # NOTES §5: ItemSalesTaxRef/ItemPurchaseTaxRef on a code exist only outside the US.
    def render(kind: str, rec: Record) -> etree._Element:
        if editions.US_STYLE_TAX[ctx.edition]:
            rec = {k: v for k, v in rec.items() if k not in ("ItemSalesTaxRef", "ItemPurchaseTaxRef")}
        return list_ret(kind, rec)

    return list_query(ctx, rq, ("salestaxcode",), render, full_name=lambda rec: rec["Name"])


def terms_query(ctx: Ctx, rq: etree._Element) -> Reply:
    return list_query(ctx, rq, ("terms",), list_ret, full_name=lambda rec: rec["Name"])


def class_query(ctx: Ctx, rq: etree._Element) -> Reply:
    return list_query(ctx, rq, ("class",), list_ret)
