"""HostQuery, CompanyQuery and PreferencesQuery: what the running QuickBooks and the open file say about
themselves (shapes: real-responses/*HostQueryRs-CompanyQueryRs-PreferencesQueryRs*.xml)."""

from __future__ import annotations

from lxml import etree

from halo_accounts.sandbox.quickbooks import editions
from halo_accounts.sandbox.quickbooks.context import Ctx
from halo_accounts.sandbox.quickbooks.query import Reply
from halo_accounts.sandbox.quickbooks.render import add_value, ref


def host_ret(edition: str) -> etree._Element:
    host = editions.HOSTS[edition]
    element = etree.Element("HostRet")
    add_value(element, "ProductName", host.product_name)
    add_value(element, "MajorVersion", host.major_version)
    add_value(element, "MinorVersion", host.minor_version)
    add_value(element, "Country", host.country)
    add_value(element, "SupportedQBXMLVersion", list(host.versions))
    add_value(element, "IsAutomaticLogin", False)
    add_value(element, "QBFileMode", "SingleUser")
    return element


def host_query(ctx: Ctx, rq: etree._Element) -> Reply:
    return Reply(rets=[host_ret(ctx.edition)])


def company_query(ctx: Ctx, rq: etree._Element) -> Reply:
    element = etree.Element("CompanyRet")
    name = ctx.store.meta("company_name") or "Sandbox Company"
    add_value(element, "IsSampleCompany", False)
    add_value(element, "CompanyName", name)
    add_value(element, "LegalCompanyName", name)
    add_value(element, "FirstMonthFiscalYear", "January")
    add_value(element, "FirstMonthIncomeTaxYear", "January")
    return Reply(rets=[element])


def preferences_query(ctx: Ctx, rq: etree._Element) -> Reply:
    element = etree.Element("PreferencesRet")
    add_value(element, "AccountingPreferences", {
        "IsUsingAccountNumbers": True, "IsRequiringAccounts": True, "IsUsingClassTracking": True,
        "IsUsingAuditTrail": True, "IsAssigningJournalEntryNumbers": True,
    })
    add_value(element, "MultiCurrencyPreferences", {"IsMultiCurrencyOn": False})
    if editions.US_STYLE_TAX[ctx.edition]:
        # real-responses/consolibyte-HostQueryRs-...-QBPro2006.xml SalesTaxPreferences
        prefs: dict[str, object] = {}
        default_item = ctx.store.meta("default_item_sales_tax")
        hit = ctx.store.by_name(("item",), default_item) if default_item else None
        if hit:
            prefs["DefaultItemSalesTaxRef"] = ref(hit[1], "Name")
        prefs["PaySalesTax"] = "Monthly"
        for key, code in (("DefaultTaxableSalesTaxCodeRef", "Tax"), ("DefaultNonTaxableSalesTaxCodeRef", "Non")):
            found = ctx.store.by_name(("salestaxcode",), code)
            if found:
                prefs[key] = ref(found[1], "Name")
        add_value(element, "SalesTaxPreferences", prefs)
    return Reply(rets=[element])
