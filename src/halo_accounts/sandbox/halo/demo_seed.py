"""A realistic, repeatable UK MSP tenant for the Halo sandbox: clients, sites, items, VAT, invoices, payments.

`build()` is deterministic for a given ``seed`` and scales (10,000 invoices in about a second), so demos,
tests and benchmarks share it. Field names are Halo's (halo/NOTES.md §4-§10).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from halo_accounts.sandbox.halo import conventions as cv
from halo_accounts.sandbox.halo.store import money

DEMO_APPLICATION: dict[str, Any] = {"client_id": "demo", "client_secret": "demo-secret", "scopes": ["all", "admin"]}

#: UK VAT rates as Sage 50 UK codes them (T1 standard, T0 zero, T2 exempt, T5 reduced); Halo Tax ids 1-4.
TAXES: list[dict[str, Any]] = [
    {"id": 1, "name": "Standard 20%", "code": "T1", "value": 20.0},
    {"id": 2, "name": "Zero rated 0%", "code": "T0", "value": 0.0},
    {"id": 3, "name": "Exempt", "code": "T2", "value": 0.0},
    {"id": 4, "name": "Reduced 5%", "code": "T5", "value": 5.0},
]

# Awkward names on purpose: ampersands, apostrophes, accents, and one longer than QuickBooks' 41 characters.
_FIXED_NAMES = [
    "Smith & Jones Ltd",
    "O'Brien's Bakery",
    "Café Rouge Nottingham",
    "Müller Engineering (UK) Ltd",
    "The Northern Lincolnshire Agricultural Supplies Co-operative Ltd",  # 64 > 41 (qbxml/NOTES.md §4.1)
    "St. Mary's Primary School",
]
_FIRST = ["Acme", "Brightwater", "Castle", "Dales", "Elmstead", "Foxglove", "Granite", "Harbour", "Ironbridge",
          "Juniper", "Kestrel", "Lakeside", "Meadow", "Northgate", "Oakwood", "Pennine", "Quayside", "Riverside",
          "Severn", "Thornbury", "Upton", "Vale", "Westfield", "Yardley"]
_SECOND = ["Dental Practice", "Solicitors LLP", "Accountants", "Logistics Ltd", "Veterinary Surgery", "Estate Agents",
           "Architects", "Builders Ltd", "Hotel & Spa", "Garden Centre", "Motors", "Pharmacy", "Surveyors",
           "Print & Design", "Charity Trust", "Medical Centre"]
_TOWNS = [("Manchester", "M"), ("Leeds", "LS"), ("Bristol", "BS"), ("Birmingham", "B"), ("Nottingham", "NG"),
          ("Sheffield", "S"), ("York", "YO"), ("Cardiff", "CF"), ("Glasgow", "G"), ("Norwich", "NR")]
_STREETS = ["High Street", "Station Road", "Church Lane", "Mill Road", "Victoria Street", "King's Road", "Park Avenue"]

#: (name, baseprice, tax id, nominal code, kind) — managed services, licences, hardware, labour.
_ITEMS: list[tuple[str, float, int, str, str]] = [
    ("Managed Service - Gold (per user)", 45.0, 1, "4000", "MS"),
    ("Managed Service - Silver (per user)", 32.5, 1, "4000", "MS"),
    ("Managed Service - Bronze (per user)", 19.99, 1, "4000", "MS"),
    ("Server Monitoring", 60.0, 1, "4000", "MS"),
    ("Backup as a Service (per TB)", 85.0, 1, "4000", "MS"),
    ("Microsoft 365 Business Basic", 4.9, 1, "4010", "LIC"),
    ("Microsoft 365 Business Standard", 10.3, 1, "4010", "LIC"),
    ("Microsoft 365 Business Premium", 18.1, 1, "4010", "LIC"),
    ("Endpoint Protection Licence", 3.75, 1, "4010", "LIC"),
    ("Domain Renewal (.co.uk)", 12.0, 1, "4010", "LIC"),
    ("Laptop 14\" i5 16GB", 849.0, 1, "4020", "HW"),
    ("24\" Monitor", 139.99, 1, "4020", "HW"),
    ("Firewall Appliance", 495.0, 1, "4020", "HW"),
    ("Wireless Access Point", 129.0, 1, "4020", "HW"),
    ("Children's Learning Tablet", 199.0, 2, "4020", "HW"),  # zero rated (illustrative)
    ("Remote Support (per hour)", 75.0, 1, "4030", "LAB"),
    ("On-site Engineer (per hour)", 95.0, 1, "4030", "LAB"),
    ("Project Day Rate", 650.0, 1, "4030", "LAB"),
    ("Out of Hours Call-out", 150.0, 1, "4030", "LAB"),
    ("Training Course (exempt)", 300.0, 3, "4040", "TRN"),
    ("Energy Saving Installation", 220.0, 4, "4030", "LAB"),
]


def _client_names(n: int, rng: random.Random) -> list[str]:
    names = list(_FIXED_NAMES[:n])
    used = set(names)
    i = 0
    while len(names) < n:
        name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)}"
        if name in used:
            i += 1
            name = f"{name} {i}"
        used.add(name)
        names.append(name)
    return names


def _address(rng: random.Random) -> dict[str, Any]:
    town, area = rng.choice(_TOWNS)
    return {
        "line1": f"{rng.randint(1, 250)} {rng.choice(_STREETS)}",
        "line2": "",
        "line3": town,
        "line4": "United Kingdom",
        "postcode": f"{area}{rng.randint(1, 29)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
    }


def build(n_clients: int = 50, n_items: int = 30, n_invoices: int = 300, seed: int = 1) -> dict[str, Any]:
    """A seed for `HaloSandbox`: UK MSP tenant, deterministic for the same arguments."""
    rng = random.Random(seed)
    clients: list[dict[str, Any]] = []
    sites: list[dict[str, Any]] = []
    for cid, name in enumerate(_client_names(n_clients, rng), start=1):
        address = _address(rng)
        clients.append({
            "id": cid,
            "name": name,
            "accountsid": "",
            "inactive": False,
            "excludefrominvoicesync": cid == 4,  # one client kept out of the accounts sync
            "main_site_id": cid * 10,
            "main_site_name": "Main Office",
            "main_invoice_address": dict(address),
            "item_tax_code": 1,
            "service_tax_code": 1,
            "tax_number": f"GB{rng.randint(100000000, 999999999)}" if cid % 3 == 0 else "",
            "paymentterms": 30,
        })
        sites.append({"id": cid * 10, "client_id": cid, "name": "Main Office", "isinvoicesite": True,
                      "invoice_address": dict(address), "delivery_address": dict(address), "inactive": False})
        if cid % 5 == 0:
            sites.append({"id": cid * 10 + 1, "client_id": cid, "name": "Branch Office", "isinvoicesite": False,
                          "delivery_address": _address(rng), "inactive": False})
    if clients:
        clients[-1]["inactive"] = n_clients > 10  # an inactive client, when there are enough to spare one

    items: list[dict[str, Any]] = []
    for iid in range(1, n_items + 1):
        name, price, tax, nominal, kind = _ITEMS[(iid - 1) % len(_ITEMS)]
        if iid > len(_ITEMS):
            name = f"{name} ({iid})"
        items.append({
            "id": iid, "name": name, "description": name, "baseprice": price, "costprice": money(price * 0.6),
            "taxcode": tax, "nominalcode": nominal, "accountsid": "", "internalreference": f"{kind}-{iid:03d}",
            "isrecurringitem": kind in ("MS", "LIC"),
        })
    rates = {t["id"]: float(t["value"]) for t in TAXES}

    invoices: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    start = date(2026, 6, 1)
    line_id = 1
    for inv_id in range(1, (n_invoices if clients else 0) + 1):  # invoices need a client
        client = clients[rng.randrange(len(clients))]
        day = start + timedelta(days=rng.randrange(180))
        credit = inv_id % 50 == 25  # a few credit notes: negative quantities, linked to an earlier invoice
        lines = []
        for seq in range(1, rng.randint(1, 5) + 1):
            item = items[rng.randrange(len(items))] if items else None
            qty = float(rng.choice([1, 1, 1, 2, 3, 5, 10, 25]) if item is None or item["baseprice"] < 100 else 1)
            if item is not None and "hour" in item["name"]:
                qty = rng.choice([0.5, 1.0, 1.5, 2.25, 3.0])
            qty = -qty if credit else qty
            price = float(item["baseprice"]) if item else 50.0
            tax_id = int(item["taxcode"]) if item else 1
            net = money(qty * price)
            lines.append({
                "id": line_id, "ihid": inv_id, "sequenceid": seq,
                "_itemid": item["id"] if item else -1,
                "item_code": item["internalreference"] if item else "",
                "item_shortdescription": item["name"] if item else "Sundry",
                "qty_order": qty, "unit_price": price, "net_amount": net,
                "tax_code": str(tax_id), "tax_rate": rates[tax_id], "tax_amount": money(net * rates[tax_id] / 100),
                "nominal_code": item["nominalcode"] if item else "4000",
            })
            line_id += 1
        posted = inv_id <= n_invoices // 3
        # a few awaiting approval (always the last invoice, so small tenants have one too)
        pending = not posted and (inv_id % 40 == 7 or inv_id == n_invoices)
        approval = cv.APPROVAL_PENDING if pending else cv.APPROVAL_DONE
        inv: dict[str, Any] = {
            "id": inv_id,
            "invoicenumber": f"{'CN' if credit else 'INV'}{inv_id:05d}",
            "client_id": client["id"],
            "invoice_date": f"{day.isoformat()}T00:00:00",
            "duedate": f"{(day + timedelta(days=30)).isoformat()}T00:00:00",
            "invoicetype": cv.CREDIT_NOTE_TYPE if credit else 0,
            "reference": f"PO-{rng.randint(1000, 9999)}" if rng.random() < 0.3 else "",
            "currency": "£",
            "posted": posted,
            "thirdpartyinvoicenumber": str(10000 + inv_id) if posted else "",
            "dateposted": f"{(day + timedelta(days=1)).isoformat()}T09:00:00" if posted else cv.NO_DATE,
            **approval,
            "lines": lines,
        }
        if credit and inv_id > 1:
            inv["creditlinkedtoinvoiceid"] = inv_id - 1
        invoices.append(inv)
        if not credit and inv_id % 7 in (1, 3):  # some paid in full, some in part
            total = sum(ln["net_amount"] + ln["tax_amount"] for ln in lines)
            amount = money(total if inv_id % 7 == 1 else total / 2)
            payments.append({"id": len(payments) + 1, "invoice_id": inv_id, "amount": amount,
                             "date": f"{(day + timedelta(days=20)).isoformat()}T00:00:00", "method": 1,
                             "thirdpartyid": "", "sage50_reference": ""})
    return {
        "applications": [dict(DEMO_APPLICATION)],
        "control": {"useqb": True, "usesage": False, "syncinvoicetoaccountspackagewhenapproved": True,
                    "enableinvoiceapprovals": True, "defaultcurrency": "GBP", "default_item_tax_code": 1,
                    "item_default_sales_nominal_code": {"value": "4000", "label": "Sales - Services"}},
        "taxes": [dict(t) for t in TAXES],
        "clients": clients,
        "sites": sites,
        "items": items,
        "invoices": invoices,
        "payments": payments,
    }
