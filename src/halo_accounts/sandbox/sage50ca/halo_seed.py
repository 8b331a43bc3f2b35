"""A Canadian MSP tenant for the Halo sandbox: the demo tenant with Canadian addresses and sales taxes by province
-- Ontario HST, British Columbia GST + PST, Quebec GST + QST (Halo composite rates with linked rates, halo/NOTES.md
§6.1), and a tax-exempt client. Each line's tax is worked out rate by rate, rounded to the cent."""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from halo_accounts.sandbox.halo import demo_seed

GST = {"id": 12, "name": "GST 5%", "code": "GST", "value": 5.0}
PST = {"id": 13, "name": "PST (BC) 7%", "code": "PST", "value": 7.0}
QST = {"id": 14, "name": "QST 9.975%", "code": "QST", "value": 9.975}
TAXES: list[dict[str, Any]] = [
    {"id": 11, "name": "HST (Ontario) 13%", "code": "H", "value": 13.0},
    GST, PST, QST,
    {"id": 15, "name": "GST + PST (BC)", "code": "GP", "value": 12.0, "is_composite": True,
     "linked_rates": [dict(GST), dict(PST)]},
    {"id": 16, "name": "GST + QST (Quebec)", "code": "GQ", "value": 14.975, "is_composite": True,
     "linked_rates": [dict(GST), dict(QST)]},
    {"id": 17, "name": "Exempt", "code": "E", "value": 0.0},
]
#: (client name, street, city, province, postal code, Halo tax id): the four tax cases first.
CLIENTS = [
    ("Maple Leaf Dental", "120 Bloor St W", "Toronto", "ON", "M5S 1S4", 11),
    ("Coastal Logistics Inc.", "1055 W Georgia St", "Vancouver", "BC", "V6E 3P3", 15),
    ("Boulangerie Saint-Laurent", "3725 boul. Saint-Laurent", "Montréal", "QC", "H2X 2V8", 16),
    ("Northern Lights Band Council", "1 Council Rd", "Sioux Lookout", "ON", "P8T 1A1", 17),
]
#: The company's Sage tax codes with the same taxes (Sage works them out itself, per authority).
SAGE_TAX_CODES = {"H": "HST 13%", "GP": "GST 5% + PST 7%", "GQ": "GST 5% + QST 9.975%", "E": "Exempt",
                  "G": "GST 5%"}
#: Halo tax id -> Sage tax code (mapped as `halo-accounts map tax` would).
TAX_MAP = {11: "H", 15: "GP", 16: "GQ", 17: "E", 12: "G"}
CENT = Decimal("0.01")


def _parts(tax: dict[str, Any]) -> list[Decimal]:
    linked = tax.get("linked_rates") or [tax]
    return [Decimal(str(t["value"])) for t in linked]


def line_tax(net: float, tax: dict[str, Any]) -> float:
    amount = Decimal(str(net))
    return float(sum(((amount * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP) for rate in _parts(tax)),
                     Decimal(0)))


def build(n_clients: int = 12, n_items: int = 14, n_invoices: int = 60, seed: int = 1) -> dict[str, Any]:
    data = copy.deepcopy(demo_seed.build(n_clients=max(n_clients, len(CLIENTS)), n_items=n_items,
                                         n_invoices=n_invoices, seed=seed))
    taxes = {t["id"]: t for t in TAXES}
    data["taxes"] = copy.deepcopy(TAXES)
    data["control"].update(useqb=False, usesage=True, defaultcurrency="CAD", default_item_tax_code=11,
                           sage50cadefaultpaidtype="Pay Later")
    by_client: dict[int, int] = {}
    for n, client in enumerate(data["clients"]):
        name, street, city, province, postcode, tax_id = CLIENTS[n % len(CLIENTS)]
        if n >= len(CLIENTS):
            name = client["name"]  # the demo tenant's own names (one is longer than Sage's 52: held until renamed)
        address = {"line1": street, "line2": "", "line3": city, "line4": province, "postcode": postcode}
        client.update(name=name, main_invoice_address=dict(address), item_tax_code=tax_id, service_tax_code=tax_id,
                      tax_number="", excludefrominvoicesync=False, inactive=False)
        by_client[client["id"]] = tax_id
    for site in data["sites"]:
        client = next(c for c in data["clients"] if c["id"] == site["client_id"])
        site["invoice_address"] = dict(client["main_invoice_address"])
        site["delivery_address"] = dict(client["main_invoice_address"])
    for item in data["items"]:
        item["taxcode"] = 11
        item["nominalcode"] = "4040" if item["nominalcode"] in ("4000", "4030") else "4020"
    for inv in data["invoices"]:
        tax = taxes[by_client[inv["client_id"]]]
        inv["currency"] = "$"
        for line in inv["lines"]:
            line["nominal_code"] = "4040" if line["nominal_code"] in ("4000", "4030") else "4020"
            line.update(tax_code=str(tax["id"]), tax_rate=tax["value"], tax_amount=line_tax(line["net_amount"], tax))
    for pay in data["payments"]:
        inv = next(i for i in data["invoices"] if i["id"] == pay["invoice_id"])
        total = sum(Decimal(str(ln["net_amount"])) + Decimal(str(ln["tax_amount"])) for ln in inv["lines"])
        pay["amount"] = float(total if pay["amount"] > 0 else 0)
    return data
