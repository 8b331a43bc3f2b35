"""CustomerAdd, CustomerMod and CustomerQuery (NOTES §4.1-§4.3, §5 CustomerRet)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from halo_accounts.sandbox.quickbooks import editions, sales
from halo_accounts.sandbox.quickbooks.context import ENTITY_KINDS, Ctx, latin1
from halo_accounts.sandbox.quickbooks.query import Reply, list_query
from halo_accounts.sandbox.quickbooks.render import CUSTOMER_RET, address_block, decimal, ret, to_dict
from halo_accounts.sandbox.quickbooks.status import QbError, UnsupportedBySandbox, parse_failure, status
from halo_accounts.sandbox.quickbooks.store import Record

# Add/Mod fields kept on the record as sent (text), in CustomerRet order (NOTES §5).
_TEXT_FIELDS = (
    "CompanyName Salutation FirstName MiddleName LastName JobTitle Phone AltPhone Fax Email Cc Contact AltContact "
    "SalesTaxCountry ResaleNumber AccountNumber CreditLimit JobStatus JobStartDate JobProjectedEndDate JobEndDate "
    "JobDesc Notes PreferredDeliveryMethod ExternalGUID TaxRegistrationNumber"
).split()
_REF_FIELDS = "ClassRef TermsRef SalesTaxCodeRef ItemSalesTaxRef PreferredPaymentMethodRef".split()
# Parts of CustomerAdd/Mod this double does not emulate: refused loudly rather than dropped.
_UNEMULATED = ("ShipToAddress", "Contacts", "ContactsMod", "AdditionalContactRef", "AdditionalNotes",
               "AdditionalNotesMod")
# Lists the sandbox does not keep: a reference to them cannot resolve (3140), as in a file without them.
_UNKEPT_REFS = "CustomerTypeRef SalesRepRef JobTypeRef PriceLevelRef CurrencyRef".split()


def customer_ret(kind: str, rec: Record) -> etree._Element:
    return ret("CustomerRet", rec, CUSTOMER_RET)


def _apply(ctx: Ctx, rec: Record, fields: dict[str, Any], dropped: set[str]) -> None:
    for key in _TEXT_FIELDS:
        if key in fields and key not in dropped:
            value = fields[key]
            if value == "":
                rec.pop(key, None)  # NOTES §3.6: an empty element clears the field
            else:
                rec[key] = latin1(value)
    for key in _UNEMULATED:
        if key in fields:
            raise UnsupportedBySandbox(f"Customer {key}")
    if isinstance(fields.get("CreditCardInfo"), dict):
        rec["CreditCardInfo"] = {k: latin1(v) for k, v in fields["CreditCardInfo"].items()}
    if "IsActive" in fields:
        rec["IsActive"] = fields["IsActive"] == "true"
    for key in ("BillAddress", "ShipAddress"):
        if key in fields:
            address = {k: latin1(v) for k, v in fields[key].items()} if isinstance(fields[key], dict) else {}
            if address:
                rec[key], rec[key + "Block"] = address, address_block(address)
            else:
                rec.pop(key, None)
                rec.pop(key + "Block", None)
    for key in _UNKEPT_REFS:
        if key in fields and key not in dropped:
            ctx.resolve(key, fields[key], "Customer")
    for key in _REF_FIELDS:
        if key in fields and key not in dropped:
            rec[key] = ctx.ref_to(key, fields[key], "Customer")


def customer_add(ctx: Ctx, rq: etree._Element) -> Reply:
    add = rq.find("CustomerAdd")
    if add is None or not add.findtext("Name"):
        raise parse_failure("CustomerAdd/Name is required")
    dropped = ctx.check_edition_fields(add, editions.CUSTOMER_NOT_IN[ctx.edition])
    ctx.check_lengths(add, "customer")
    fields = to_dict(add)
    name = latin1(fields["Name"])
    rec: Record = {"Name": name, "IsActive": True, "Sublevel": "0"}
    full_name = name
    if "ParentRef" in fields:
        parent = ctx.resolve("ParentRef", fields["ParentRef"], "Customer")
        rec["ParentRef"] = {"ListID": parent["ListID"], "FullName": parent["FullName"]}
        rec["Sublevel"] = str(int(parent.get("Sublevel", "0")) + 1)
        full_name = f"{parent['FullName']}:{name}"
    rec["FullName"] = full_name
    ctx.check_name_free(ENTITY_KINDS, full_name, "customer")
    _apply(ctx, rec, fields, dropped)
    if ctx.edition in editions.DEFAULT_SALES_TAX_COUNTRY:
        rec.setdefault("SalesTaxCountry", editions.DEFAULT_SALES_TAX_COUNTRY[ctx.edition])
    rec.setdefault("JobStatus", "None")  # real-responses/qbwc-CustomerAddRs-1.xml
    rec["Balance"] = rec["TotalBalance"] = "0.00"
    ctx.stamp_new(rec)
    ctx.save("customer", rec, name=full_name)
    if fields.get("OpenBalance") and decimal(fields["OpenBalance"]) != 0:
        sales.opening_balance(ctx, rec, fields["OpenBalance"], fields.get("OpenBalanceDate"))
        rec = ctx.store.get("customer", rec["ListID"]) or rec
    return Reply(rets=[customer_ret("customer", rec)])


def customer_mod(ctx: Ctx, rq: etree._Element) -> Reply:
    mod = rq.find("CustomerMod")
    if mod is None:
        raise parse_failure("CustomerMod is required")
    list_id, edit_seq = mod.findtext("ListID", ""), mod.findtext("EditSequence", "")
    rec = ctx.store.get("customer", list_id)
    if rec is None:
        raise QbError(status(3120, value=list_id))
    if edit_seq != rec["EditSequence"]:
        # real-responses/jwachira-CustomerModRs-3200-1.xml: the reply still carries the current record.
        raise QbError(status(3200, value=edit_seq), [customer_ret("customer", rec)])
    dropped = ctx.check_edition_fields(mod, editions.CUSTOMER_NOT_IN[ctx.edition])
    ctx.check_lengths(mod, "customer")
    fields = to_dict(mod)
    if "ParentRef" in fields:
        raise UnsupportedBySandbox("CustomerMod ParentRef (moving a job)")
    if fields.get("Name"):
        name = latin1(fields["Name"])
        parent = rec.get("ParentRef", {}).get("FullName")
        full_name = f"{parent}:{name}" if parent else name
        ctx.check_name_free(ENTITY_KINDS, full_name, "customer", own_id=list_id)
        rec["Name"], rec["FullName"] = name, full_name
    _apply(ctx, rec, fields, dropped)
    ctx.touch(rec)
    ctx.save("customer", rec, name=rec["FullName"])
    return Reply(rets=[customer_ret("customer", rec)])


def customer_query(ctx: Ctx, rq: etree._Element) -> Reply:
    return list_query(ctx, rq, ("customer",), customer_ret)
