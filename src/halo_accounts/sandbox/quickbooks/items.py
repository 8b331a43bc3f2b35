"""ItemServiceAdd, ItemNonInventoryAdd, ItemOtherChargeAdd and the item queries (NOTES §4.3, §4.4, §5).

All item types share one name space (the Item list), so a service and a tax item cannot share a name.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from lxml import etree

from halo_accounts.sandbox.quickbooks.context import ITEM_KINDS, Ctx, latin1
from halo_accounts.sandbox.quickbooks.query import Reply, list_query
from halo_accounts.sandbox.quickbooks.render import ITEM_RET, decimal, ret, to_dict
from halo_accounts.sandbox.quickbooks.status import QbError, parse_failure, status
from halo_accounts.sandbox.quickbooks.store import Record

Handler = Callable[[Ctx, etree._Element], Reply]
SELLABLE = ("ItemService", "ItemNonInventory", "ItemOtherCharge")
_SALES_REFS = ("AccountRef", "IncomeAccountRef", "ExpenseAccountRef", "PurchaseTaxCodeRef", "PrefVendorRef")


def item_ret(kind: str, rec: Record) -> etree._Element:
    item_type = rec["_type"]
    return ret(item_type + "Ret", rec, ITEM_RET[item_type])


def price(text: str) -> str:
    """PRICETYPE as QuickBooks echoes it: at least two decimals (real-responses/apotema-ItemServiceAddRs-1.xml)."""
    value = decimal(text)
    exponent = value.as_tuple().exponent
    return f"{value:.2f}" if isinstance(exponent, int) and -exponent < 2 else str(value)


def _sales_block(ctx: Ctx, block: dict[str, Any], dropped: Collection[str], owner: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in block.items():
        if key in dropped:
            continue
        if key in _SALES_REFS:
            out[key] = ctx.ref_to(key, value, owner)
        elif key in ("Price", "SalesPrice", "PurchaseCost"):
            out[key] = price(value)
        else:
            out[key] = latin1(value)
    return out


def new_item(ctx: Ctx, item_type: str, fields: dict[str, Any], dropped: Collection[str] = ()) -> Record:
    """Create an item of ``item_type`` from Add-shaped ``fields``; 3100/3130/3140 as QuickBooks would."""
    name = latin1(fields["Name"])
    rec: Record = {"_type": item_type, "Name": name, "IsActive": fields.get("IsActive", "true") != "false"}
    full_name = name
    if item_type not in ("ItemSalesTax", "ItemSalesTaxGroup"):
        rec["Sublevel"] = "0"
        if "ParentRef" in fields:
            wanted = fields["ParentRef"]
            hit = ctx.store.get("item", wanted.get("ListID", "")) if wanted.get("ListID") else None
            if hit is None and wanted.get("FullName"):
                found = ctx.store.by_name(ITEM_KINDS, wanted["FullName"])
                hit = found[1] if found else None
            if hit is None:
                shown = wanted.get("FullName") or wanted.get("ListID", "")
                raise QbError(status(3130, value=shown, list="Items"))
            rec["ParentRef"] = {"ListID": hit["ListID"], "FullName": hit["FullName"]}
            rec["Sublevel"] = str(int(hit.get("Sublevel", "0")) + 1)
            full_name = f"{hit['FullName']}:{name}"
        rec["FullName"] = full_name
    ctx.check_name_free(ITEM_KINDS, full_name, "item")
    if isinstance(fields.get("BarCode"), dict) and fields["BarCode"].get("BarCodeValue"):
        rec["BarCodeValue"] = fields["BarCode"]["BarCodeValue"]
    for key in ("ClassRef", "UnitOfMeasureSetRef", "SalesTaxCodeRef", "TaxVendorRef"):
        if key in fields and key not in dropped:
            rec[key] = ctx.ref_to(key, fields[key], item_type)
    for key in ("ManufacturerPartNumber", "ItemDesc", "SpecialItemType", "ExternalGUID"):
        if key in fields and key not in dropped:
            rec[key] = latin1(fields[key])
    if "IsTaxIncluded" in fields and "IsTaxIncluded" not in dropped:
        rec["IsTaxIncluded"] = fields["IsTaxIncluded"] == "true"
    if "TaxRate" in fields:
        rec["TaxRate"] = str(decimal(fields["TaxRate"]))
    for block in ("SalesOrPurchase", "SalesAndPurchase"):
        if isinstance(fields.get(block), dict):
            rec[block] = _sales_block(ctx, fields[block], dropped, item_type)
    if "ItemSalesTaxRef" in fields:  # tax groups: the member tax items
        members = fields["ItemSalesTaxRef"]
        members = members if isinstance(members, list) else [members]
        rec["ItemSalesTaxRef"] = [{"ListID": m["ListID"], "FullName": m["Name"]}
                                  for m in (ctx.resolve("ItemSalesTaxRef", v, item_type) for v in members)]
    ctx.stamp_new(rec)
    ctx.save("item", rec, name=full_name)
    return rec


def _add(item_type: str) -> Handler:
    def handler(ctx: Ctx, rq: etree._Element) -> Reply:
        add = rq.find(item_type + "Add")
        if add is None or not add.findtext("Name"):
            raise parse_failure(f"{item_type}Add/Name is required")
        dropped = ctx.check_edition_fields(add)
        ctx.check_lengths(add, "item")
        rec = new_item(ctx, item_type, to_dict(add), dropped)
        return Reply(rets=[item_ret("item", rec)])

    return handler


item_service_add = _add("ItemService")
item_non_inventory_add = _add("ItemNonInventory")
item_other_charge_add = _add("ItemOtherCharge")


def _query(types: tuple[str, ...]) -> Handler:
    def handler(ctx: Ctx, rq: etree._Element) -> Reply:
        return list_query(ctx, rq, ITEM_KINDS, item_ret, accept=lambda kind, rec: rec["_type"] in types,
                          full_name=lambda rec: rec.get("FullName") or rec["Name"])

    return handler


item_query = _query((*SELLABLE, "ItemSalesTax", "ItemSalesTaxGroup"))
item_service_query = _query(("ItemService",))
item_non_inventory_query = _query(("ItemNonInventory",))
item_other_charge_query = _query(("ItemOtherCharge",))
item_sales_tax_query = _query(("ItemSalesTax",))
item_sales_tax_group_query = _query(("ItemSalesTaxGroup",))
