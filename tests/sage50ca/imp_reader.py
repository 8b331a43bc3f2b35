"""A reader for Sage 50 CA's Import Transactions file, written from Sage's layout (sage/NOTES.md §3.4) and not from
our writer: it checks what the spec says a file must be, and gives back the transactions it holds."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

CUSTOMER_FIELDS = ("Name", "OneTimeFlag", "Contact", "Street1", "Street2", "City", "Province", "Postal", "Country",
                   "Phone1", "Phone2", "Fax", "Email")  # §3.4, Postal before Country
WIDTHS = {"Name": 52, "Contact": 30, "Street1": 50, "Street2": 50, "City": 35, "Province": 20, "Postal": 9,
          "Country": 30, "Phone1": 25, "Phone2": 25, "Fax": 25, "Email": 50}
OPTION_FIELDS = ("Details", "OrderNo", "InvoiceNo", "Date", "PaidByType", "PaidBySource", "Total", "Freight")
TWO_DP = re.compile(r"-?\d+\.\d{2}")
FOUR_DP = re.compile(r"-?\d+\.\d{4}")
DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")  # mm-dd-yyyy (the spec's sample: 3-15-2001)
TAGS = ("customers", "vendors", "salinvoice", "salorder", "purinvoice", "purquote", "timeslip")


class SpecError(ValueError):
    pass


@dataclass
class TaxGroup:
    name: str
    included: bool
    refundable: bool
    rate: Decimal
    amount: Decimal


@dataclass
class Detail:
    item: str
    quantity: Decimal
    price: Decimal
    amount: Decimal
    taxes: list[TaxGroup]


@dataclass
class SalesInvoice:
    customer: dict[str, str]
    options: dict[str, str]
    details: list[Detail] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return Decimal(self.options["Total"])

    @property
    def tax(self) -> Decimal:
        return sum((t.amount for d in self.details for t in d.taxes), Decimal(0))


@dataclass
class ImpFile:
    version: str
    country: str
    customers: list[dict[str, str]] = field(default_factory=list)
    invoices: list[SalesInvoice] = field(default_factory=list)


def _fields(line: str) -> list[str]:
    return next(csv.reader([line], skipinitialspace=True))


def _money(value: str, what: str) -> Decimal:
    if not TWO_DP.fullmatch(value):
        raise SpecError(f"{what} {value!r} is not an amount with 2 decimals")
    return Decimal(value)


def _four(value: str, what: str) -> Decimal:
    if not FOUR_DP.fullmatch(value):
        raise SpecError(f"{what} {value!r} does not have 4 decimals")
    return Decimal(value)


def _taxes(cells: list[str], what: str) -> list[TaxGroup]:
    if len(cells) % 5:
        raise SpecError(f"{what}: tax information comes in groups of 5 fields, got {len(cells)}")
    out = []
    for i in range(0, len(cells), 5):
        name, included, refundable, rate, amount = cells[i:i + 5]
        if not name or len(name) > 20:
            raise SpecError(f"{what}: tax name {name!r} must be 1 to 20 characters")
        if included not in ("0", "1") or refundable not in ("0", "1"):
            raise SpecError(f"{what}: Included/Refundable must be 1 or 0")
        out.append(TaxGroup(name, included == "1", refundable == "1", _money(rate, "Rate"),
                            _money(amount, "Tax amount")))
    return out


def _customer(line: str) -> dict[str, str]:
    cells = _fields(line)
    if len(cells) != len(CUSTOMER_FIELDS):
        raise SpecError(f"a customer line has {len(CUSTOMER_FIELDS)} fields, got {len(cells)}: {line}")
    record = dict(zip(CUSTOMER_FIELDS, (c.strip() for c in cells), strict=True))
    if not record["Name"]:
        raise SpecError("the customer name is compulsory")
    for name, width in WIDTHS.items():
        if len(record[name]) > width:
            raise SpecError(f"{name} {record[name]!r} is longer than {width}")
    if record["OneTimeFlag"] not in ("", "0", "1"):
        raise SpecError("OneTimeFlag must be 1 or 0")
    if " " in record["Postal"]:
        raise SpecError("postal codes are unformatted")
    return record


def _invoice(lines: list[str]) -> SalesInvoice:
    if len(lines) < 2:
        raise SpecError("a sales invoice has a customer line and an options line")
    customer = _customer(lines[0])
    cells = [c.strip() for c in _fields(lines[1])]
    if len(cells) < len(OPTION_FIELDS):
        raise SpecError(f"the options line has at least {len(OPTION_FIELDS)} fields, got {len(cells)}")
    options = dict(zip(OPTION_FIELDS, cells, strict=False))
    freight_taxes = _taxes(cells[len(OPTION_FIELDS):], "freight")
    if not options["Details"].isdigit() or int(options["Details"]) != len(lines) - 2:
        raise SpecError(f"No. of details {options['Details']!r} but {len(lines) - 2} detail lines")
    if len(options["OrderNo"]) > 20 or len(options["InvoiceNo"]) > 20:
        raise SpecError("Order No. and Invoice No. are at most 20 characters")
    if not DATE.fullmatch(options["Date"]):
        raise SpecError(f"entry date {options['Date']!r} is not mm-dd-yyyy")
    month, day, _ = DATE.fullmatch(options["Date"]).groups()  # type: ignore[union-attr]
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        raise SpecError(f"entry date {options['Date']!r} is not mm-dd-yyyy")
    if options["PaidByType"] not in ("0", "1", "2", "3"):
        raise SpecError("Paid By Type is 0 pay later, 1 cash, 2 cheque or 3 credit card")
    if len(options["PaidBySource"]) > 20:
        raise SpecError("Paid by Source is at most 20 characters")
    invoice = SalesInvoice(customer, options)
    for n, line in enumerate(lines[2:], start=1):
        cells = [c.strip() for c in _fields(line)]
        if len(cells) < 4 or not cells[0] or len(cells[0]) > 52:
            raise SpecError(f"detail {n}: the item number (<= 52) is compulsory")
        invoice.details.append(Detail(cells[0], _four(cells[1], "Quantity"), _four(cells[2], "Price"),
                                      _money(cells[3], "Amount"), _taxes(cells[4:], f"detail {n}")))
    freight = _money(options["Freight"], "Freight")
    added = sum((d.amount + sum((t.amount for t in d.taxes if not t.included), Decimal(0))
                 for d in invoice.details), Decimal(0)) + freight + sum((t.amount for t in freight_taxes),
                                                                         Decimal(0))
    if _money(options["Total"], "Total") != added:
        raise SpecError(f"invoice {options['InvoiceNo']}: total {options['Total']} but the lines add up to {added}")
    return invoice


def read(text: str) -> ImpFile:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("<!")]
    if len(lines) < 3 or lines[0].lower() != "<version>" or lines[2].lower() != "</version>":
        raise SpecError("the file starts with a <Version> block")
    version = [c.strip() for c in _fields(lines[1])]
    if len(version) != 2 or not version[0].isdigit() or version[1] not in ("1", "2", "3", "5", "7"):
        raise SpecError(f"version line {lines[1]!r}: program version and country code (1, 2, 3, 5, 7)")
    out = ImpFile(version[0], version[1])
    block: list[str] = []
    tag: str | None = None
    for line in lines[3:]:
        low = line.lower()
        if tag is None:
            if not (low.startswith("<") and low.endswith(">") and low[1:-1] in TAGS):
                raise SpecError(f"expected a transaction tag, got {line!r}")
            tag, block = low[1:-1], []
            continue
        if low == f"</{tag}>":
            if tag == "customers":
                out.customers += [_customer(b) for b in block]
            elif tag == "salinvoice":
                out.invoices.append(_invoice(block))
            tag = None
            continue
        block.append(line)
    if tag is not None:
        raise SpecError(f"<{tag}> is not closed")
    return out


def as_dict(f: ImpFile) -> dict[str, Any]:
    return {"customers": f.customers, "invoices": [
        {"customer": i.customer["Name"], "number": i.options["InvoiceNo"], "total": str(i.total), "tax": str(i.tax),
         "lines": [[d.item, str(d.quantity), str(d.amount), [(t.name, str(t.rate), str(t.amount)) for t in d.taxes]]
                   for d in i.details]} for i in f.invoices]}
