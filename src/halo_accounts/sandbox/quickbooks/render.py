"""Turning stored records into ``*Ret`` elements and request elements into plain dicts.

Records use QuickBooks' element names; keys starting with ``_`` are the sandbox's own bookkeeping and never
rendered. Element order of every ``*Ret`` follows qbxml/NOTES.md §5 (from Intuit's OSR).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lxml import etree

# NOTES §5 CustomerRet
CUSTOMER_RET = (
    "ListID TimeCreated TimeModified EditSequence Name FullName IsActive ClassRef ParentRef Sublevel CompanyName "
    "Salutation FirstName MiddleName LastName JobTitle BillAddress BillAddressBlock ShipAddress ShipAddressBlock "
    "Phone AltPhone Fax Email Cc Contact AltContact CustomerTypeRef TermsRef SalesRepRef Balance TotalBalance "
    "SalesTaxCodeRef ItemSalesTaxRef SalesTaxCountry ResaleNumber AccountNumber CreditLimit "
    "PreferredPaymentMethodRef CreditCardInfo JobStatus JobStartDate JobProjectedEndDate JobEndDate JobDesc "
    "JobTypeRef Notes "
    "PreferredDeliveryMethod PriceLevelRef ExternalGUID TaxRegistrationNumber CurrencyRef"
).split()
# OSR VendorRet/EmployeeRet/OtherNameRet start the same way; the sandbox only keeps the names.
ENTITY_RET = "ListID TimeCreated TimeModified EditSequence Name IsActive CompanyName".split()
# OSR ItemServiceRet / ItemNonInventoryRet / ItemOtherChargeRet (NOTES §5, §4.4)
ITEM_RET: dict[str, list[str]] = {
    "ItemService": (
        "ListID TimeCreated TimeModified EditSequence Name FullName BarCodeValue IsActive ClassRef ParentRef "
        "Sublevel UnitOfMeasureSetRef IsTaxIncluded SalesTaxCodeRef SalesOrPurchase SalesAndPurchase ExternalGUID"
    ).split(),
    "ItemNonInventory": (
        "ListID TimeCreated TimeModified EditSequence Name FullName BarCodeValue IsActive ClassRef ParentRef "
        "Sublevel ManufacturerPartNumber UnitOfMeasureSetRef IsTaxIncluded SalesTaxCodeRef SalesOrPurchase "
        "SalesAndPurchase ExternalGUID"
    ).split(),
    "ItemOtherCharge": (
        "ListID TimeCreated TimeModified EditSequence Name FullName BarCodeValue IsActive ClassRef ParentRef "
        "Sublevel IsTaxIncluded SalesTaxCodeRef SalesOrPurchase SalesAndPurchase SpecialItemType ExternalGUID"
    ).split(),
    # OSR ItemSalesTaxRet (no FullName, no Sublevel)
    "ItemSalesTax": (
        "ListID TimeCreated TimeModified EditSequence Name BarCodeValue IsActive ClassRef ItemDesc TaxRate "
        "TaxVendorRef SalesTaxReturnLineRef ExternalGUID"
    ).split(),
    # OSR ItemSalesTaxGroupRet
    "ItemSalesTaxGroup": (
        "ListID TimeCreated TimeModified EditSequence Name BarCodeValue IsActive ItemDesc ExternalGUID ItemSalesTaxRef"
    ).split(),
}
# NOTES §5 SalesTaxCodeRet
SALES_TAX_CODE_RET = (
    "ListID TimeCreated TimeModified EditSequence Name IsActive IsTaxable Desc ItemPurchaseTaxRef ItemSalesTaxRef"
).split()
# NOTES §5 AccountRet
ACCOUNT_RET = (
    "ListID TimeCreated TimeModified EditSequence Name FullName IsActive ParentRef Sublevel AccountType "
    "SpecialAccountType IsTaxAccount AccountNumber BankNumber Desc Balance TotalBalance SalesTaxCodeRef "
    "TaxLineInfoRet CashFlowClassification CurrencyRef"
).split()
# NOTES §5 StandardTermsRet, ClassRet
TERMS_RET = "ListID TimeCreated TimeModified EditSequence Name IsActive StdDueDays StdDiscountDays DiscountPct".split()
CLASS_RET = "ListID TimeCreated TimeModified EditSequence Name FullName IsActive ParentRef Sublevel".split()
# NOTES §5 InvoiceRet
INVOICE_RET = (
    "TxnID TimeCreated TimeModified EditSequence TxnNumber CustomerRef ClassRef ARAccountRef TemplateRef TxnDate "
    "RefNumber BillAddress BillAddressBlock ShipAddress ShipAddressBlock IsPending IsFinanceCharge PONumber "
    "TermsRef DueDate SalesRepRef FOB ShipDate ShipMethodRef Subtotal ItemSalesTaxRef SalesTaxPercentage "
    "SalesTaxTotal AppliedAmount BalanceRemaining CurrencyRef ExchangeRate BalanceRemainingInHomeCurrency Memo "
    "IsPaid CustomerMsgRef IsToBePrinted IsToBeEmailed IsTaxIncluded CustomerSalesTaxCodeRef "
    "SuggestedDiscountAmount SuggestedDiscountDate Other ExternalGUID LinkedTxn InvoiceLineRet"
).split()
# OSR CreditMemoRet
CREDIT_MEMO_RET = (
    "TxnID TimeCreated TimeModified EditSequence TxnNumber CustomerRef ClassRef ARAccountRef TemplateRef TxnDate "
    "RefNumber BillAddress BillAddressBlock ShipAddress ShipAddressBlock IsPending PONumber TermsRef DueDate "
    "SalesRepRef FOB ShipDate ShipMethodRef Subtotal ItemSalesTaxRef SalesTaxPercentage SalesTaxTotal TotalAmount "
    "CreditRemaining CurrencyRef ExchangeRate CreditRemainingInHomeCurrency Memo CustomerMsgRef IsToBePrinted "
    "IsToBeEmailed IsTaxIncluded CustomerSalesTaxCodeRef Other ExternalGUID LinkedTxn CreditMemoLineRet"
).split()
# NOTES §5 InvoiceLineRet (CreditMemoLineRet has the same leading fields)
LINE_RET = (
    "TxnLineID ItemRef Desc Quantity UnitOfMeasure OverrideUOMSetRef Rate RatePercent ClassRef Amount TaxAmount "
    "InventorySiteRef InventorySiteLocationRef SerialNumber LotNumber ServiceDate SalesTaxCodeRef Other1 Other2"
).split()
# NOTES §5 ReceivePaymentRet
PAYMENT_RET = (
    "TxnID TimeCreated TimeModified EditSequence TxnNumber CustomerRef ARAccountRef TxnDate RefNumber TotalAmount "
    "CurrencyRef ExchangeRate TotalAmountInHomeCurrency PaymentMethodRef Memo DepositToAccountRef "
    "CreditCardTxnInfo UnusedPayment UnusedCredits ExternalGUID AppliedToTxnRet"
).split()
APPLIED_RET = "TxnID TxnType TxnDate RefNumber BalanceRemaining Amount DiscountAmount".split()
LINKED_TXN = "TxnID TxnType TxnDate RefNumber LinkType Amount".split()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def add_value(parent: etree._Element, tag: str, value: Any) -> None:
    """Append ``value`` under ``parent`` as element(s) named ``tag``."""
    if value is None:
        return
    if isinstance(value, list):
        for item in value:
            add_value(parent, tag, item)
        return
    child = etree.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, sub in value.items():
            if not key.startswith("_"):
                add_value(child, key, sub)
    else:
        child.text = _text(value)


def ret(tag: str, record: dict[str, Any], order: list[str], include: set[str] | None = None) -> etree._Element:
    """A ``*Ret`` element with ``record``'s fields in ``order`` (restricted to ``include`` if given)."""
    element = etree.Element(tag)
    for key in order:
        if key in record and (include is None or key in include):
            add_value(element, key, record[key])
    return element


def to_dict(element: etree._Element) -> dict[str, Any]:
    """Children of a request element as a dict (repeated tags become lists, leaves become text)."""
    out: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        value: Any = to_dict(child) if len(child) else (child.text or "")
        if child.tag in out:
            existing = out[child.tag]
            out[child.tag] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            out[child.tag] = value
    return out


def ref(record: dict[str, Any], name_key: str = "FullName") -> dict[str, str]:
    """A ``*Ref`` value pointing at ``record`` (ListID + FullName, as QuickBooks returns them)."""
    return {"ListID": record["ListID"], "FullName": record.get(name_key) or record["Name"]}


CENT = Decimal("0.01")


def money(value: Decimal) -> str:
    """AMTTYPE text: exactly two decimals (NOTES §3.3)."""
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def decimal(text: str | None, default: str = "0") -> Decimal:
    """A number from request or record text; QuickBooks may add a ``%`` to percentages (real-responses README)."""
    return Decimal((text or default).strip().rstrip("%") or default)


def address_block(address: dict[str, str]) -> dict[str, str]:
    """``*AddressBlock``: address lines, then "City, State PostalCode", then Country (real InvoiceRet files)."""
    lines = [address[k] for k in ("Addr1", "Addr2", "Addr3", "Addr4", "Addr5") if address.get(k)]
    city = ", ".join(p for p in (address.get("City", ""), address.get("State", "")) if p)
    town = " ".join(p for p in (city, address.get("PostalCode", "")) if p)
    if town:
        lines.append(town)
    if address.get("Country"):
        lines.append(address["Country"])
    return {f"Addr{i + 1}": line for i, line in enumerate(lines[:5])}
