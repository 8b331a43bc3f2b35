"""Halo sandbox resources over real HTTP: paging, filters, GET by id, POST create/update/partial, payments, 400s."""

from __future__ import annotations

import httpx
import pytest

from halo_accounts.sandbox.halo import conventions

TAXES = [{"id": 1, "name": "Standard 20%", "code": "T1", "value": 20.0},
         {"id": 2, "name": "Zero 0%", "code": "T0", "value": 0.0}]


def _tenant() -> dict:
    clients = [{"id": 1, "name": "Smith & Jones Ltd", "inactive": False},
               {"id": 2, "name": "O'Brien's Bakery"},
               {"id": 3, "name": "Gone Away Ltd", "inactive": True}]
    invoices = [
        {"id": 1, "invoicenumber": "INV00001", "client_id": 1, "posted": True,
         "lines": [{"id": 11, "_itemid": 1, "qty_order": 2, "unit_price": 50.0, "tax_code": "1"}]},
        {"id": 2, "invoicenumber": "INV00002", "client_id": 2, "posted": False,
         "lines": [{"id": 21, "_itemid": 1, "qty_order": 1, "unit_price": 19.99, "tax_code": "1"},
                   {"id": 22, "qty_order": 3, "unit_price": 10.0, "tax_code": "2"}]},
        {"id": 3, "invoicenumber": "CN00003", "client_id": 1, "posted": False,
         "lines": [{"id": 31, "_itemid": 1, "qty_order": -1, "unit_price": 50.0, "tax_code": "1"}]},
    ]
    return {"taxes": TAXES, "clients": clients, "invoices": invoices,
            "sites": [{"id": 10, "client_id": 1, "name": "Main"}, {"id": 20, "client_id": 2, "name": "Shop"}],
            "items": [{"id": 1, "name": "Managed Service", "baseprice": 50.0, "taxcode": 1, "nominalcode": "4000"}]}


@pytest.fixture
def api(halo_sandbox, halo_api) -> httpx.Client:
    return halo_api(halo_sandbox(_tenant()))


def _ids(reply: httpx.Response, key: str) -> list[int]:
    assert reply.status_code == 200, reply.text
    return [row["id"] for row in reply.json()[key]]


def test_paging_caps_at_100_rows(halo_sandbox, halo_api) -> None:
    clients = [{"id": i, "name": f"Client {i:04d}"} for i in range(1, 1235)]
    api = halo_api(halo_sandbox({"clients": clients}))
    seen: list[int] = []
    pages = 0
    while True:
        body = api.get("/api/Client", params={"pageinate": "true", "page_size": 100, "page_no": pages + 1}).json()
        assert body["record_count"] == 1234 and body["page_no"] == pages + 1
        pages += 1
        seen += [c["id"] for c in body["clients"]]
        if len(body["clients"]) < 100:
            break
    assert pages == 13 and seen == list(range(1, 1235))
    big = api.get("/api/Client", params={"pageinate": "true", "page_size": 500, "page_no": 1}).json()
    assert len(big["clients"]) == conventions.MAX_PAGE_SIZE == 100
    assert big["record_count"] == 1234
    past = api.get("/api/Client", params={"pageinate": "true", "page_size": 100, "page_no": 14}).json()
    assert past["clients"] == []
    assert len(api.get("/api/Client").json()["clients"]) == 1234  # not paginated: all rows
    assert len(api.get("/api/Client", params={"count": 7}).json()["clients"]) == 7


def test_paths_are_case_insensitive(api) -> None:
    assert _ids(api.get("/api/client"), "clients") == _ids(api.get("/API/CLIENT"), "clients") == [1, 2]
    assert api.get("/Api/InVoice/2").json()["invoicenumber"] == "INV00002"


def test_list_keys(api) -> None:
    for path, key in (("Client", "clients"), ("Site", "sites"), ("Item", "items"), ("Tax", "taxes"),
                      ("Invoice", "invoices"), ("InvoicePayment", "invoicepayments")):
        body = api.get(f"/api/{path}").json()
        assert key in body and body["record_count"] == len(body[key])


def test_inactive_and_search_filters(api) -> None:
    assert _ids(api.get("/api/Client", params={"includeinactive": "true"}), "clients") == [1, 2, 3]
    assert _ids(api.get("/api/Client", params={"search": "o'brien"}), "clients") == [2]
    assert _ids(api.get("/api/Site", params={"client_id": 2}), "sites") == [20]
    assert api.get("/api/Site").json()["sites"][0]["client_name"] == "Smith & Jones Ltd"
    assert _ids(api.get("/api/Invoice", params={"search": "CN000"}), "invoices") == [3]


def test_invoice_filters(api) -> None:
    assert _ids(api.get("/api/Invoice", params={"notpostedonly": "true"}), "invoices") == [2, 3]
    assert _ids(api.get("/api/Invoice", params={"postedonly": "true"}), "invoices") == [1]
    assert _ids(api.get("/api/Invoice", params={"client_id": 1}), "invoices") == [1, 3]
    assert _ids(api.get("/api/Invoice", params={"includecredits": "false"}), "invoices") == [1, 2]
    assert _ids(api.get("/api/Invoice", params={"includeinvoices": "false"}), "invoices") == [3]
    assert _ids(api.get("/api/Invoice", params={"paymentstatuses": "0,-1"}), "invoices") == [1, 2, 3]


def test_lines_only_when_asked_and_by_id(api) -> None:
    assert all("lines" not in inv for inv in api.get("/api/Invoice").json()["invoices"])
    with_lines = api.get("/api/Invoice", params={"includelines": "true"}).json()["invoices"]
    assert [len(inv["lines"]) for inv in with_lines] == [1, 2, 1]
    one = api.get("/api/Invoice/2").json()
    assert [ln["id"] for ln in one["lines"]] == [21, 22]
    assert one["lines"][0]["net_amount"] == 19.99 and one["lines"][0]["tax_amount"] == 4.0
    assert (one["tax_total"], one["total"], one["amountdue"]) == (4.0, 53.99, 53.99)
    credit = api.get("/api/Invoice/3").json()
    assert credit["total"] == -60.0


def test_unknown_id_and_path(api) -> None:
    assert api.get("/api/Invoice/999").status_code == 404
    assert api.get("/api/Nothing").status_code == 404
    assert api.get("/api/Client/abc").status_code == 404


def test_post_creates_with_new_ids(api) -> None:
    saved = api.post("/api/Client", json=[{"name": "Café Rouge"}, {"id": 0, "name": "Müller GmbH"}]).json()
    assert [(c["id"], c["name"]) for c in saved] == [(4, "Café Rouge"), (5, "Müller GmbH")]
    assert api.get("/api/Client/5").json()["name"] == "Müller GmbH"
    inv = api.post("/api/Invoice", json=[{"client_id": 2, "lines": [
        {"_itemid": 1, "qty_order": 3, "unit_price": 33.33, "tax_code": "1"}]}]).json()[0]
    assert inv["id"] == 4 and inv["posted"] is False
    assert inv["lines"][0]["id"] > 31 and inv["lines"][0]["ihid"] == 4
    assert (inv["lines"][0]["net_amount"], inv["lines"][0]["tax_amount"], inv["total"]) == (99.99, 20.0, 119.99)


def test_post_updates_partially_and_keeps_lines(api) -> None:
    saved = api.post("/api/Invoice", json=[{"id": 2, "posted": True, "thirdpartyinvoicenumber": "SI-1234"}]).json()
    assert saved[0]["posted"] is True
    again = api.get("/api/Invoice/2").json()
    assert again["thirdpartyinvoicenumber"] == "SI-1234" and again["invoicenumber"] == "INV00002"
    assert [ln["id"] for ln in again["lines"]] == [21, 22]
    assert _ids(api.get("/api/Invoice", params={"notpostedonly": "true"}), "invoices") == [3]
    api.post("/api/Client", json=[{"id": 1, "accountsid": "SMITHJ"}])
    client = api.get("/api/Client/1").json()
    assert (client["name"], client["accountsid"]) == ("Smith & Jones Ltd", "SMITHJ")


def test_post_with_lines_replaces_them(api) -> None:
    api.post("/api/Invoice", json=[{"id": 2, "lines": [{"id": 22, "qty_order": 4}]}])
    inv = api.get("/api/Invoice/2").json()
    assert [(ln["id"], ln["qty_order"], ln["unit_price"]) for ln in inv["lines"]] == [(22, 4, 10.0)]


def test_payments_update_the_invoice(api) -> None:
    unpaid = conventions.PAYMENT_STATUS
    part = api.post("/api/InvoicePayment", json=[{"invoice_id": 2, "amount": 20.0, "date": "2026-11-02T00:00:00",
                                                  "sage50_reference": "SR-1"}]).json()
    assert part[0]["id"] == 1 and part[0]["client_id"] == 2 and part[0]["invoice_invoicenumber"] == "INV00002"
    inv = api.get("/api/Invoice/2").json()
    assert (inv["amountpaid"], inv["amountdue"], inv["paymentstatus"]) == (20.0, 33.99, unpaid["part_paid"])
    assert inv["datepaid"] == conventions.NO_DATE
    api.post("/api/InvoicePayment", json=[{"invoice_id": 2, "amount": 33.99, "date": "2026-11-09T00:00:00"}])
    inv = api.get("/api/Invoice/2").json()
    assert (inv["amountpaid"], inv["amountdue"], inv["paymentstatus"]) == (53.99, 0.0, unpaid["paid"])
    assert inv["datepaid"] == "2026-11-09T00:00:00"
    assert _ids(api.get("/api/InvoicePayment", params={"invoice_id": 2}), "invoicepayments") == [1, 2]
    assert _ids(api.get("/api/InvoicePayment", params={"invoice_id": 1}), "invoicepayments") == []
    assert _ids(api.get("/api/Invoice", params={"paymentstatuses": str(unpaid["paid"])}), "invoices") == [2]


def test_payment_for_a_missing_invoice_is_refused(api) -> None:
    reply = api.post("/api/InvoicePayment", json=[{"invoice_id": 99, "amount": 1.0}])
    assert reply.status_code == 400 and "[0].invoice_id" in reply.json()


def test_control_get_and_post(api) -> None:
    assert api.get("/api/Control").json() == {}
    saved = api.post("/api/Control", json=[{"useqb": True, "qbdefaultcompanyname": "Acme"}]).json()
    assert saved[0]["useqb"] is True
    assert api.get("/api/Control").json() == {"useqb": True, "qbdefaultcompanyname": "Acme"}


@pytest.mark.parametrize(
    ("path", "body", "key"),
    [
        ("/api/Client", [{"name": "ok"}, {"name": {"first": "x"}}], "[1].name"),
        ("/api/Client", [{"id": "abc"}], "[0].id"),
        ("/api/Invoice", [{"id": 2, "lines": [{"qty_order": "lots"}]}], "[0].lines[0].qty_order"),
        ("/api/Invoice", [{"id": 2, "posted": "maybe"}], "[0].posted"),
        ("/api/Site", [{"id": 10, "delivery_address": {"line1": []}}], "[0].delivery_address.line1"),
        ("/api/Item", [{"baseprice": "cheap"}], "[0].baseprice"),
        ("/api/Control", [{"useqb": 3}], "[0].useqb"),
    ],
)
def test_bad_types_get_aspnet_style_400(api, path, body, key) -> None:
    reply = api.post(path, json=body)
    assert reply.status_code == 400
    errors = reply.json()
    assert list(errors) == [key] and isinstance(errors[key], list) and errors[key][0]
    assert api.get("/api/Client").json()["record_count"] == 2  # nothing saved


def test_lenient_conversions_like_newtonsoft(api) -> None:
    saved = api.post("/api/Invoice", json=[{"id": 2, "lines": [{"id": 21, "qty_order": "2", "tax_code": 1}]}])
    assert saved.status_code == 200


def test_post_must_be_an_array(api) -> None:
    assert api.post("/api/Client", json={"name": "x"}).status_code == 400
    assert api.post("/api/Client", content=b"{oops", headers={"content-type": "application/json"}).status_code == 400


def test_invoice_for_unknown_client_is_refused(api) -> None:
    reply = api.post("/api/Invoice", json=[{"client_id": 42, "lines": []}])
    assert reply.status_code == 400 and "[0].client_id" in reply.json()


def test_demo_tenant_lists(halo_sandbox, halo_api) -> None:
    api = halo_api(halo_sandbox())
    body = api.get("/api/Invoice", params={"pageinate": "true", "page_size": 100, "page_no": 3,
                                           "includelines": "true"}).json()
    assert body["record_count"] == 300 and len(body["invoices"]) == 100
    statuses = {inv["paymentstatus"] for inv in api.get("/api/Invoice").json()["invoices"]}
    assert statuses == set(conventions.PAYMENT_STATUS.values())
    assert api.get("/api/Client/4").json()["excludefrominvoicesync"] is True


def test_update_of_an_unknown_id_is_refused(api) -> None:
    reply = api.post("/api/Client", json=[{"id": 77, "name": "Ghost"}])
    assert reply.status_code == 400 and list(reply.json()) == ["[0].id"]
    assert api.get("/api/Client/77").status_code == 404
