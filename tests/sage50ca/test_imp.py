"""The .IMP writer (ledgers/sage50ca/imp.py) against Sage's layout: the spec's own sample parses with the reader
written from the spec; our files for the four tax cases match golden files byte for byte and parse back with Halo's
amounts; what the layout cannot carry is held."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from imp_reader import SpecError, read

from halo_accounts.ledgers.port import Address, Customer, Invoice, InvoiceLine, Product
from halo_accounts.ledgers.sage50ca import imp
from halo_accounts.ledgers.sage50ca.package import FILE_EXPORT
from halo_accounts.sandbox.sage50ca.halo_seed import TAXES, line_tax

GOLDEN = Path(__file__).with_name("golden")
#: The sample in Sage's "Import File Layout" (sage/NOTES.md §3.4).
SPEC_SAMPLE = """<Version>
"12001", "1"
</Version>
<SalInvoice>
"UNIVERSAL CONSTRUCTION", , ,"102-3701 East Hastings St.", ,"Vancouver","British Columbia","V5C2H6", , , , ,
"2", ,"","3-15-2001", "3", "VISA", "67.84","0.00"
"C1020","2.0000","4.7500","9.50","GST","0","1","7.00","0.67","PST","0","0","7.00","0.67"
"H1020","2.0000","25.0000","50.00","GST","0","1","7.00","3.50","PST","0","0","7.00","3.50"
</SalInvoice>
"""
TAX_CODES = FILE_EXPORT.tax_codes({t["id"]: t for t in TAXES})
CASES = {  # case -> (customer, Halo tax id)
    "ontario_hst": (Customer(name="Maple Leaf Dental", ref="Maple Leaf Dental", contact="Dr. Anne Roy",
                             billing=Address(lines=("120 Bloor St W", "Toronto", "ON"), postcode="M5S 1S4",
                                             country="Canada"), email="accounts@mapleleaf.example"), 11),
    "bc_gst_pst": (Customer(name="Coastal Logistics Inc.", ref="Coastal Logistics Inc.",
                            billing=Address(lines=("1055 W Georgia St", "Suite 200", "Vancouver", "BC"),
                                            postcode="V6E 3P3")), 15),
    "quebec_gst_qst": (Customer(name="Boulangerie Saint-Laurent", ref="Boulangerie Saint-Laurent",
                                billing=Address(lines=("3725 boul. Saint-Laurent", "Montréal", "QC"),
                                                postcode="H2X 2V8")), 16),
    "exempt": (Customer(name="Northern Lights Band Council", ref="Northern Lights Band Council",
                        billing=Address(lines=("1 Council Rd", "Sioux Lookout", "ON"), postcode="P8T 1A1")), 17),
}


def _invoice(case: str, customer: Customer, tax_id: int, *, credit: bool = False) -> Invoice:
    tax = next(t for t in TAXES if t["id"] == tax_id)
    lines = []
    for item, qty, price in (("MS-GOLD", Decimal(12), Decimal("45.00")), ("M365-STD", Decimal(7), Decimal("10.30")),
                             ("LABOUR", Decimal("2.5"), Decimal("95.00"))):
        net = (qty * price).quantize(Decimal("0.01"))
        sign = Decimal(-1) if credit else Decimal(1)
        lines.append(InvoiceLine(item, f"{item} November", qty * sign, price, net * sign,
                                 Decimal(str(line_tax(float(net), tax))) * sign, tax["code"], "4040"))
    return Invoice(number=f"{'CN' if credit else 'INV'}-{case[:6].upper()}", customer_ref=customer.ref,
                   date=date(2026, 11, 3), lines=tuple(lines), kind="credit" if credit else "invoice",
                   po_number="PO-4471")


def test_the_specs_own_sample_parses() -> None:
    parsed = read(SPEC_SAMPLE)
    assert parsed.version == "12001" and parsed.country == "1"
    [inv] = parsed.invoices
    assert inv.customer["Name"] == "UNIVERSAL CONSTRUCTION" and inv.customer["Postal"] == "V5C2H6"
    assert inv.total == Decimal("67.84") and len(inv.details) == 2
    assert [(t.name, t.refundable) for t in inv.details[0].taxes] == [("GST", True), ("PST", False)]


def test_the_reader_refuses_what_the_spec_does_not_allow() -> None:
    with pytest.raises(SpecError):
        read(SPEC_SAMPLE.replace('"67.84"', '"67.85"'))  # total not the lines' sum
    with pytest.raises(SpecError):
        read(SPEC_SAMPLE.replace('"3-15-2001"', '"2001-03-15"'))  # not mm-dd-yyyy
    with pytest.raises(SpecError):
        read(SPEC_SAMPLE.replace('"2", ,""', '"3", ,""'))  # detail count
    with pytest.raises(SpecError):
        read(SPEC_SAMPLE.replace('"V5C2H6"', '"V5C 2H6"'))  # postal codes unformatted


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_tax_case_matches_its_golden_file_and_parses_back_with_halos_amounts(case: str) -> None:
    customer, tax_id = CASES[case]
    invoices = [_invoice(case, customer, tax_id), _invoice(case, customer, tax_id, credit=True)]
    batch = imp.build([customer], invoices, TAX_CODES)
    assert batch.held == []
    data = imp.encode(batch.text)
    assert data == (GOLDEN / f"{case}.imp").read_bytes()
    parsed = read(data.decode(imp.ENCODING))
    assert parsed.version == imp.VERSION and [c["Name"] for c in parsed.customers] == [customer.name]
    for inv, got in zip(invoices, parsed.invoices, strict=True):
        sign = -1 if inv.kind == "credit" else 1
        assert got.total == sign * abs(inv.net_total + inv.tax_total)
        assert got.tax == sign * abs(inv.tax_total)  # the tax groups add up to Halo's tax, to the cent
        assert got.options["InvoiceNo"] == inv.number and got.options["Date"] == "11-03-2026"
        assert got.customer["Postal"] == customer.billing.postcode.replace(" ", "")
        expected = {11: ["HST"], 15: ["GST", "PST"], 16: ["GST", "QST"], 17: []}[tax_id]
        assert all([t.name for t in d.taxes] == expected for d in got.details)


def test_what_the_layout_cannot_carry_is_held_never_written_light(tmp_path: Path) -> None:
    customer, tax_id = CASES["ontario_hst"]
    good = _invoice("ontario_hst", customer, tax_id)
    long_number = Invoice(**{**good.__dict__, "number": "INV-" + "9" * 20})
    foreign = Invoice(**{**good.__dict__, "number": "INV-USD", "currency": "USD"})
    untaxable = Invoice(**{**good.__dict__, "number": "INV-NOTAX", "lines": tuple(
        InvoiceLine(ln.product_ref, ln.description, ln.quantity, ln.unit_price, ln.net_amount, ln.tax_amount, "ZZ")
        for ln in good.lines)})
    new_item = Invoice(**{**good.__dict__, "number": "INV-NEWITEM"})
    manifest = imp.write_batch(tmp_path, [customer], [Product(code="MS-GOLD")], [new_item], TAX_CODES)
    assert [h.key for h in manifest.held] == ["INV-NEWITEM"]
    batch = imp.build([customer], [good, long_number, foreign, untaxable], TAX_CODES)
    assert sorted(h.key for h in batch.held) == sorted([long_number.number, "INV-USD", "INV-NOTAX"])
    assert [i.options["InvoiceNo"] for i in read(batch.text).invoices] == [good.number]
    assert oct((tmp_path / imp.FILE).stat().st_mode & 0o777) == "0o600"
