"""Typed views of the Halo records the integrator uses, with Halo's own field names.

Field names are exactly those of Halo's OpenAPI schemas (``Area``, ``Site``, ``Item``, ``Tax``,
``InvoiceHeader``, ``InvoiceDetail``, ``InvoicePayment_List``, ``Control``); fields starting with ``_``
are exposed without it (``itemid`` for ``_itemid``) and accepted under either name. Unknown fields are
kept (``extra="allow"``), so a record read can be written back whole.

Halo's empties are normalised (reference/halo/NOTES.md section 2): the OLE zero date
``1899-12-30T00:00:00`` becomes ``None``, a link id of -1 or 0 becomes ``None``, a null text ``""``.
Money, quantities and rates are ``Decimal`` (the ledger port's type): JSON numbers are converted through
their shortest decimal form, so 1223.38 stays exactly 1223.38. Naive timestamps are taken as UTC
(`NAIVE_TIMEZONE`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

# NOTES section 2 [I]: Halo returns timestamps without a zone; values on a UK tenant suggest UTC.
NAIVE_TIMEZONE: tzinfo = UTC

# NOTES section 2 [C]: dates "1899-12-30T00:00:00" (OLE zero date) = no date.
_OLE_ZERO_DATE = "1899-12-30"

#: Field names whose values never appear in a repr (Control carries e.g. sage50password).
_SECRET_FIELD = re.compile(r"password|secret|token|apikey|api_key", re.IGNORECASE)


def _link_id(value: Any) -> Any:
    # NOTES section 2 [C]: ids -1 or 0 = none.
    if value in (-1, 0, "-1", "0", "", None):
        return None
    return value


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)  # e.g. a line's tax_code "5" sent as a number
    return value


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=NAIVE_TIMEZONE)
    return value


def _flag(value: Any) -> Any:
    return False if value is None else value


LinkId = Annotated[int | None, BeforeValidator(_link_id)]
Text = Annotated[str, BeforeValidator(_text)]
Timestamp = Annotated[datetime | None, AfterValidator(_aware)]
Amount = Decimal | None
Flag = Annotated[bool, BeforeValidator(_flag)]


class HaloModel(BaseModel):
    """Base of every Halo record: unknown fields kept, Halo's empties normalised, secrets hidden from repr."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _no_ole_dates(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: (None if isinstance(v, str) and v.startswith(_OLE_ZERO_DATE) else v) for k, v in data.items()}
        return data

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            yield name, ("***" if name and _SECRET_FIELD.search(name) and value else value)

    def halo(self) -> dict[str, Any]:
        """The fields that were read or set, with Halo's own names (``_itemid``), ready to POST back as JSON."""
        return to_halo(self.model_dump(by_alias=True, exclude_unset=True))


def to_halo(value: Any) -> Any:
    """``value`` with Decimals as JSON numbers and timestamps as Halo writes them (UTC with Z, NOTES section 2)."""
    if isinstance(value, dict):
        return {k: to_halo(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_halo(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent == 0 else float(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


class KeyPair(HaloModel):
    """Halo's ``KeyPair2``: a picked value and its label."""

    value: Text = ""
    label: Text = ""
    isnew: bool | None = None


class Address(HaloModel):
    """Halo's ``AddressStore``."""

    id: int | None = None
    line1: Text = ""
    line2: Text = ""
    line3: Text = ""
    line4: Text = ""
    postcode: Text = ""
    type: int | None = None
    site_id: LinkId = None


class Client(HaloModel):
    """A Halo customer (schema ``Area``, path ``/Client``)."""

    id: int
    name: Text = ""
    trading_name: Text = ""
    inactive: Flag = False
    toplevel_id: LinkId = None
    toplevel_name: Text = ""
    accountsid: Text = ""
    accountsfirstname: Text = ""
    accountslastname: Text = ""
    accountsemailaddress: Text = ""
    accountsccemailaddress: Text = ""
    accountsbccemailaddress: Text = ""
    main_site_id: LinkId = None
    main_site_name: Text = ""
    main_invoice_address: Address | None = None
    main_delivery_address: Address | None = None
    main_phonenumber: Text = ""
    website: Text = ""
    tax_number: Text = ""
    item_tax_code: LinkId = None
    service_tax_code: LinkId = None
    prepay_tax_code: LinkId = None
    contract_tax_code: LinkId = None
    sales_tax_code: LinkId = None
    purchase_tax_code: LinkId = None
    taxable: bool | None = None
    automatic_sales_tax: bool | None = None
    paymentterms: int | None = None
    default_currency_code: LinkId = None
    currencyisocode: Text = ""
    excludefrominvoicesync: Flag = False
    stopped: int | None = None
    client_to_invoice: LinkId = None
    datecreated: Timestamp = None
    warning: Text = Field("", alias="_warning")


class Site(HaloModel):
    """A customer's site (schema ``Site``, path ``/Site``)."""

    id: int
    name: Text = ""
    client_id: LinkId = None
    client_name: Text = ""
    inactive: Flag = False
    accountsid: Text = ""
    accountsfirstname: Text = ""
    accountslastname: Text = ""
    accountsemailaddress: Text = ""
    isinvoicesite: bool | None = None
    invoice_address: Address | None = None
    delivery_address: Address | None = None
    phonenumber: Text = ""
    site_item_tax_code: LinkId = None
    site_service_tax_code: LinkId = None
    site_contract_tax_code: LinkId = None
    site_prepay_tax_code: LinkId = None
    site_sales_tax_code: LinkId = None
    site_purchase_tax_code: LinkId = None
    warning: Text = Field("", alias="_warning")


class Item(HaloModel):
    """A product / service item (schema ``Item``, path ``/Item``)."""

    id: int
    name: Text = ""
    description: Text = ""
    status: int | None = None
    accountsid: Text = ""
    shaccountsid: Text = ""
    third_party_id: Text = ""
    internalreference: Text = ""
    externalreference: Text = ""
    baseprice: Amount = None
    costprice: Amount = None
    taxcode: LinkId = None
    taxcode_name: Text = ""
    taxcodeother: LinkId = None
    salestaxincluded: bool | None = None
    taxable: bool | None = None
    nominalcode: Text = ""
    nominalcode_name: Text = ""
    purchasenominalcode: Text = ""
    item_group_nominalcode: Text = ""
    item_group_taxcode: LinkId = None
    ignore_from_accounting_sync: Flag = False
    sage50uk_department_id: LinkId = None
    isrecurringitem: bool | None = None
    dont_track_stock: bool | None = None
    dontinvoice: bool | None = None
    lastmodified: Timestamp = None
    warning: Text = Field("", alias="_warning")


class Tax(HaloModel):
    """A tax rate (schema ``Tax``, path ``/Tax``); ``value`` is the percentage, e.g. 20."""

    id: int
    name: Text = ""
    code: Text = ""
    value: Amount = None
    third_party_id: Text = ""
    third_party_desc: Text = ""
    is_composite: Flag = False
    linked_rates: list[Tax] = Field(default_factory=list)
    onseparateline: bool | None = None
    warning: Text = Field("", alias="_warning")


class InvoiceLine(HaloModel):
    """One invoice line (schema ``InvoiceDetail``). ``tax_code`` is the Halo Tax id as a string (NOTES 6.3)."""

    id: int | None = None
    ihid: int | None = None
    itemid: LinkId = Field(None, alias="_itemid")
    item_code: Text = ""
    item_shortdescription: Text = ""
    item_longdescription: Text = ""
    nominal_code: Text = ""
    tax_code: Text = ""
    override_tax_code: LinkId = None
    tax_code_overriden: bool | None = None
    item_tax_code: LinkId = None
    item_tax_name: Text = ""
    tax_rate: Amount = None
    qty_order: Amount = None
    unit_price: Amount = None
    unit_cost: Amount = None
    net_amount: Amount = None
    tax_amount: Amount = None
    total_price: Amount = None
    discount_perc: Amount = None
    sequenceid: int | None = None
    group_id: LinkId = None
    isgroupdesc: bool | None = None
    hide_on_pdf: bool | None = None
    isinactive: bool | None = None
    startdate: Timestamp = None
    enddate: Timestamp = None
    warning: Text = Field("", alias="_warning")


class InvoicePayment(HaloModel):
    """A payment against an invoice (schema ``InvoicePayment_List``, path ``/InvoicePayment``)."""

    id: int | None = None
    invoice_id: LinkId = None
    date: Timestamp = None
    amount: Amount = None
    method: int | None = None
    status: int | None = None
    module_id: LinkId = None
    sage50_reference: Text = ""
    thirdpartyid: Text = ""
    client_id: LinkId = None
    client_name: Text = ""
    invoice_invoicenumber: Text = ""
    warning: Text = Field("", alias="_warning")


class Invoice(HaloModel):
    """An invoice or credit note header with its ``lines`` (schema ``InvoiceHeader``, path ``/Invoice``)."""

    id: int
    invoicenumber: Text = ""
    thirdpartyinvoicenumber: Text = ""
    posted: Flag = False
    dateposted: Timestamp = None
    last_synced: Timestamp = None
    last_modified: Timestamp = None
    accountsid: Text = ""
    client_id: LinkId = None
    client_name: Text = ""
    sitenumber: LinkId = None
    site_name: Text = ""
    name: Text = ""
    address1: Text = ""
    address2: Text = ""
    address3: Text = ""
    address4: Text = ""
    address5: Text = ""
    invoice_date: Timestamp = None
    duedate: Timestamp = None
    reference: Text = ""
    order_number: Text = ""
    cust_order_number: Text = ""
    notes_1: Text = ""
    global_tax_code: Text = ""
    global_nom_code: Text = ""
    currency: Text = ""
    currency_code: LinkId = None
    currency_conversion_rate: Amount = None
    total: Amount = None
    tax_total: Amount = None
    amountpaid: Amount = None
    amountdue: Amount = None
    datepaid: Timestamp = None
    paymentstatus: int | None = None
    invoicetype: int | None = None
    creditlinkedtoinvoiceid: LinkId = None
    creditlinkedtoinvoiceid_thirdpartynumber: Text = ""
    approval_status: int | None = None
    requires_approval: bool | None = None
    voided: bool | None = None
    lines: list[InvoiceLine] = Field(default_factory=list)
    payments: list[InvoicePayment] = Field(default_factory=list)
    warning: Text = Field("", alias="_warning")


class Control(HaloModel):
    """Halo's global settings that govern accounts sync (schema ``Control``, NOTES section 9)."""

    id: int | None = None
    app_version: Text = ""
    usesage: bool | None = None
    useqb: bool | None = None
    qbversion: Text = ""
    qbdefaultcompanyname: Text = ""
    qb_allow_linked_items: bool | None = None
    sage50version: int | None = None
    sage50datapath: Text = ""
    sage50username: Text = ""
    sage50ukinvoicetype: int | None = None
    sage50cacompanypath: Text = ""
    sage50causername: Text = ""
    sage50cadefaultpaidtype: Text = ""
    sage50cadefaultpaidaccount: Text = ""
    syncinvoicetoaccountspackagewhenapproved: bool | None = None
    only_send_posted_invoices: bool | None = None
    enableinvoiceapprovals: bool | None = None
    donotalloweditingpostedinvoices: bool | None = None
    usehaloinvoiceidforaccounts: bool | None = None
    autogenerate_accountsid: bool | None = None
    autogenerate_itemaccountsid: bool | None = None
    force_accounts_id: bool | None = None
    useaccountscodeslookup: bool | None = None
    item_default_sales_nominal_code: KeyPair | None = None
    item_default_sales_nominal_code_id: Text = ""
    item_default_sales_nominal_code_name: Text = ""
    item_default_purchase_nominal_code: KeyPair | None = None
    item_default_purchase_nominal_code_id: Text = ""
    default_item_tax_code: LinkId = None
    default_service_tax_code: LinkId = None
    default_prepay_tax_code: LinkId = None
    default_contract_tax_code: LinkId = None
    allowtaxcodeoverride: bool | None = None
    defaultcurrency: Text = ""
    defaultcurrencycode: LinkId = None


#: Every model and the OpenAPI schema whose field names it uses (tests check the names against the spec).
SCHEMAS: dict[type[HaloModel], str] = {
    KeyPair: "KeyPair2",
    Address: "AddressStore",
    Client: "Area",
    Site: "Site",
    Item: "Item",
    Tax: "Tax",
    InvoiceLine: "InvoiceDetail",
    InvoicePayment: "InvoicePayment_List",
    Invoice: "InvoiceHeader",
    Control: "Control",
}
