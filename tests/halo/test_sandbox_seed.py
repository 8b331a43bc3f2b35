"""Halo sandbox seeds: bad ones are refused with the JSON path of the bad field; the demo tenant is realistic."""

from __future__ import annotations

import copy
import json
import time
from decimal import Decimal
from pathlib import Path

import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.sandbox.halo import HaloSandbox, demo_seed
from halo_accounts.sandbox.halo import seed as seeds


def _refused(seed: object) -> HaloAccountsError:
    with pytest.raises(HaloAccountsError) as info:
        seeds.validate(seed)
    assert info.value.code == "sandbox.seed_invalid"
    return info.value


@pytest.mark.parametrize(
    ("change", "where", "detail"),
    [
        (lambda s: s["invoices"][3]["lines"][0].update(qty_order="two"), "invoices[3].lines[0].qty_order",
         "expected a number"),
        (lambda s: s["clients"][0].update(name=5), "clients[0].name", "expected text"),
        (lambda s: s["clients"][1].update(id=s["clients"][0]["id"]), "clients[1].id", "used twice"),
        (lambda s: s["sites"][0].update(client_id=99999), "sites[0].client_id", "no client with id 99999"),
        (lambda s: s["payments"][0].update(invoice_id=99999), "payments[0].invoice_id", "no invoice"),
        (lambda s: s["invoices"][0]["lines"][0].update(_itemid=99999), "invoices[0].lines[0]._itemid", "no item"),
        (lambda s: s["invoices"][0]["lines"][0].update(tax_code="77"), "invoices[0].lines[0].tax_code", "no tax"),
        (lambda s: s["items"][2].update(baseprice=[1]), "items[2].baseprice", "expected a number"),
        (lambda s: s["control"].update(useqb="yes"), "control.useqb", "expected true or false"),
        (lambda s: s["sites"][0].update(delivery_address={"line1": 7}), "sites[0].delivery_address.line1",
         "expected text"),
        (lambda s: s.update(customers=[]), "customers", "unknown key"),
        (lambda s: s["applications"][0].pop("client_secret"), "applications[0].client_secret", "non-empty"),
        (lambda s: s.update(items={}), "items", "expected a list"),
    ],
)
def test_bad_seed_names_the_path(change, where: str, detail: str) -> None:
    seed = demo_seed.build(n_clients=8, n_items=5, n_invoices=20)
    change(seed)
    error = _refused(seed)
    assert error.params["path"] == where
    assert detail in error.message
    assert error.fix  # says what to do


def test_seed_not_an_object_is_refused() -> None:
    assert "(top level)" in _refused([1, 2]).message


def test_missing_keys_mean_empty_and_ids_are_given(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox({"clients": [{"name": "No Id Ltd"}]})
    api = halo_api(halo)
    clients = api.get("/api/Client").json()["clients"]
    assert [(c["id"], c["name"]) for c in clients] == [(1, "No Id Ltd")]
    assert api.get("/api/Invoice").json() == {"record_count": 0, "invoices": []}


def test_seed_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "seed.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(HaloAccountsError) as info:
        seeds.load_file(bad)
    assert info.value.code == "sandbox.seed_unreadable"
    good = tmp_path / "good.json"
    good.write_text(json.dumps(demo_seed.build(n_clients=3, n_items=3, n_invoices=3)), encoding="utf-8")
    assert seeds.load_file(good)["clients"][0]["name"] == "Smith & Jones Ltd"


def test_sandbox_refuses_a_bad_seed_before_starting() -> None:
    with pytest.raises(HaloAccountsError):
        HaloSandbox({"invoices": [{"id": 1, "client_id": 1}]})


def test_demo_is_deterministic_and_valid() -> None:
    one, two = demo_seed.build(), demo_seed.build()
    assert one == two
    assert demo_seed.build(seed=2) != one
    seeds.validate(copy.deepcopy(one))
    assert (len(one["clients"]), len(one["items"]), len(one["invoices"])) == (50, 30, 300)


def test_demo_is_a_realistic_uk_msp() -> None:
    seed = demo_seed.build()
    assert {t["code"]: t["value"] for t in seed["taxes"]} == {"T1": 20.0, "T0": 0.0, "T2": 0.0, "T5": 5.0}
    names = [c["name"] for c in seed["clients"]]
    assert any("&" in n for n in names) and any("'" in n for n in names) and any("é" in n for n in names)
    assert any(len(n) > 41 for n in names)
    assert sum(1 for c in seed["clients"] if c["excludefrominvoicesync"]) == 1
    assert all(s["client_id"] for s in seed["sites"]) and len(seed["sites"]) >= len(seed["clients"])
    assert {i["nominalcode"] for i in seed["items"]} >= {"4000", "4010", "4020", "4030"}
    assert seed["control"]["useqb"] is True and seed["control"]["syncinvoicetoaccountspackagewhenapproved"] is True
    assert seed["applications"] == [{"client_id": "demo", "client_secret": "demo-secret", "scopes": ["all", "admin"]}]
    rates = {str(t["id"]): Decimal(str(t["value"])) for t in seed["taxes"]}
    for inv in seed["invoices"]:
        for line in inv["lines"]:
            net = Decimal(str(line["qty_order"])) * Decimal(str(line["unit_price"]))
            assert Decimal(str(line["net_amount"])) == net.quantize(Decimal("0.01"))
            tax = (Decimal(str(line["net_amount"])) * rates[line["tax_code"]] / 100).quantize(Decimal("0.01"))
            assert Decimal(str(line["tax_amount"])) == tax
    credits = [i for i in seed["invoices"] if all(ln["qty_order"] < 0 for ln in i["lines"])]
    assert 2 <= len(credits) < 20
    assert any(i["requires_approval"] for i in seed["invoices"])
    months = {i["invoice_date"][:7] for i in seed["invoices"]}
    assert len(months) >= 4
    assert seed["payments"]


def test_demo_scales() -> None:
    start = time.perf_counter()
    big = demo_seed.build(n_clients=500, n_items=100, n_invoices=10_000)
    assert len(big["invoices"]) == 10_000
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(("clients", "items", "invoices"), [(0, 0, 5), (3, 0, 5), (2, 2, 0), (4, 3, 2)])
def test_demo_small_sizes_are_valid(clients: int, items: int, invoices: int) -> None:
    seed = seeds.validate(demo_seed.build(n_clients=clients, n_items=items, n_invoices=invoices))
    assert len(seed["invoices"]) == (invoices if clients else 0)
    if seed["invoices"]:
        assert any(inv["requires_approval"] for inv in seed["invoices"])
