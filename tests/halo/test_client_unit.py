"""The Halo client's logic over `httpx.MockTransport`: auth discovery, token reuse, paging counts, list
shapes, batch writes, retry rules and error mapping. Real-HTTP behaviour is in test_client_sandbox.py."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.halo import HaloClient, models
from halo_accounts.halo.errors import (
    HaloAuthError,
    HaloError,
    HaloNotFound,
    HaloPermissionError,
    HaloRateLimited,
    HaloTenantError,
    HaloUnavailable,
    HaloValidationError,
    describe,
    validation_fields,
)
from halo_accounts.halo.paging import PAGE_SIZE, pages, query_value, rows_of, saved_rows

SECRET = "s3cret-value-xyz"
Handler = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class FakeHalo:
    """A scripted Halo: token endpoint, authinfo, and a handler per API path."""

    def __init__(self, *, authinfo: dict[str, Any] | None = None, expires_in: int = 3600) -> None:
        self.calls: list[httpx.Request] = []
        self.authinfo = authinfo
        self.expires_in = expires_in
        self.tokens = 0
        self.routes: dict[tuple[str, str], Handler] = {}

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path.lower())] = handler

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        path = request.url.path.lower()
        if path == "/api/authinfo":
            return httpx.Response(200, json=self.authinfo) if self.authinfo else httpx.Response(404)
        if path.endswith("/token"):
            self.tokens += 1
            return httpx.Response(
                200, json={"access_token": f"tok{self.tokens}", "expires_in": self.expires_in, "scope": "all"}
            )
        handler = self.routes.get((request.method, path))
        if handler is None:
            return httpx.Response(404, json={"Message": "Page not found."})
        return handler(request)

    def api_calls(self) -> list[httpx.Request]:
        return [c for c in self.calls if c.url.path.lower().startswith("/api/") and "authinfo" not in c.url.path]


def filled(err: HaloAccountsError) -> HaloAccountsError:
    """``err`` after checking every placeholder of its message and fix was filled."""
    assert "{" not in err.message + err.fix, (err.code, err.message, err.fix)
    return err


def make_client(fake: Handler, clock: FakeClock | None = None, **kwargs: Any) -> HaloClient:
    clock = clock or FakeClock()
    return HaloClient(
        "https://acme.halopsa.com",
        "cid",
        SECRET,
        transport=httpx.MockTransport(fake),
        sleep=clock.sleep,
        clock=clock,
        rng=random.Random(1),
        **kwargs,
    )


def listing(key: str, rows: list[dict[str, Any]]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page_no"])
        size = min(int(request.url.params["page_size"]), 100)
        return httpx.Response(200, json={"record_count": len(rows), key: rows[(page - 1) * size : page * size]})

    return handler


# -- auth --------------------------------------------------------------------------------------------------


def test_auth_server_comes_from_authinfo_with_tenant() -> None:
    fake = FakeHalo(authinfo={"auth_url": "https://auth.haloservicedesk.com/", "tenant_id": "t-99"})
    fake.route("GET", "/api/Control", lambda r: httpx.Response(200, json={"useqb": True}))
    client = make_client(fake)
    assert client.control().useqb is True
    token_call = next(c for c in fake.calls if c.url.path.endswith("/token"))
    assert str(token_call.url) == "https://auth.haloservicedesk.com/token?tenant=t-99"
    form = dict(httpx.QueryParams(token_call.content.decode()))
    assert form == {"grant_type": "client_credentials", "client_id": "cid", "client_secret": SECRET, "scope": "all"}
    api = fake.api_calls()[0]
    assert api.headers["Authorization"] == "Bearer tok1"


def test_configured_auth_url_and_tenant_skip_discovery() -> None:
    fake = FakeHalo()
    fake.route("GET", "/api/Control", lambda r: httpx.Response(200, json={}))
    client = make_client(fake, auth_url="https://auth.example/", tenant="acme")
    client.control()
    assert [str(c.url) for c in fake.calls][:1] == ["https://auth.example/token?tenant=acme"]


def test_without_authinfo_the_auth_server_is_url_slash_auth() -> None:
    fake = FakeHalo()
    fake.route("GET", "/api/Control", lambda r: httpx.Response(200, json={}))
    client = make_client(fake)
    client.control()
    assert str(fake.calls[1].url) == "https://acme.halopsa.com/auth/token"  # no ?tenant= when none is known


def test_token_is_reused_until_near_expiry_then_renewed() -> None:
    clock = FakeClock()
    fake = FakeHalo(expires_in=600)
    fake.route("GET", "/api/Control", lambda r: httpx.Response(200, json={}))
    client = make_client(fake, clock)
    for _ in range(5):
        client.control()
    assert fake.tokens == 1
    clock.now += 600 - 60 - 1  # still inside the renewal margin
    client.control()
    assert fake.tokens == 1
    clock.now += 2
    client.control()
    assert fake.tokens == 2
    assert client.request_count == 1 + 2 + 7  # authinfo + two tokens + seven reads


def test_a_401_fetches_one_fresh_token_and_retries_once() -> None:
    fake = FakeHalo()
    seen: list[str] = []

    def control(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(401) if len(seen) == 1 else httpx.Response(200, json={"useqb": True})

    fake.route("GET", "/api/Control", control)
    client = make_client(fake)
    assert client.control().useqb is True
    assert seen == ["Bearer tok1", "Bearer tok2"]


def test_a_second_401_is_an_error_not_a_loop() -> None:
    fake = FakeHalo()
    fake.route("GET", "/api/Control", lambda r: httpx.Response(401))
    client = make_client(fake)
    with pytest.raises(HaloAuthError) as caught:
        client.control()
    assert filled(caught.value).code == "halo.auth.rejected"
    assert len(fake.api_calls()) == 2
    assert fake.tokens == 2


@pytest.mark.parametrize(
    ("status", "body", "error", "code"),
    [
        (401, {"error": "invalid_client"}, HaloAuthError, "halo.auth.invalid_client"),
        (400, {"error": "invalid_client"}, HaloAuthError, "halo.auth.invalid_client"),
        (400, {"error": "invalid_scope"}, HaloAuthError, "halo.auth.invalid_scope"),
        (
            400,
            {"error": "invalid_request", "error_description": "Tenant not found"},
            HaloTenantError,
            "halo.tenant_not_found",
        ),
        (404, "", HaloAuthError, "halo.auth.failed"),
        (400, {"error": "unsupported_grant_type"}, HaloAuthError, "halo.auth.failed"),
    ],
)
def test_token_errors_are_typed_and_never_show_the_secret(
    status: int, body: Any, error: type[HaloError], code: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            return httpx.Response(status, json=body) if body else httpx.Response(status)
        return httpx.Response(404)

    client = make_client(handler, tenant="acme")
    with pytest.raises(error) as caught:
        client.control()
    assert filled(caught.value).code == code
    assert SECRET not in str(caught.value) + repr(caught.value) + repr(client) + repr(client._auth)
    assert caught.value.fix


def test_a_secret_echoed_by_halo_is_scrubbed_from_the_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": "server_error", "error_description": f"bad secret {SECRET}"})

    with pytest.raises(HaloAuthError) as caught:
        make_client(handler).control()
    assert SECRET not in str(caught.value)
    assert "***" in str(caught.value)


def test_url_without_scheme_is_a_config_error() -> None:
    with pytest.raises(HaloAccountsError) as caught:
        HaloClient("acme.halopsa.com", "cid", SECRET)
    assert caught.value.code == "config.invalid"
    assert "halo.url" in caught.value.message


def test_pasted_resource_server_url_with_api_is_accepted() -> None:
    client = HaloClient("https://acme.halopsa.com/api/", "cid", SECRET)
    assert client.base_url == "https://acme.halopsa.com"
    client.close()


# -- paging ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "requests"), [(0, 1), (1, 1), (99, 1), (100, 1), (101, 2), (1234, 13), (1300, 13)])
def test_paging_costs_ceil_n_over_100_requests(n: int, requests: int) -> None:
    rows = [{"id": i + 1, "name": f"Client {i + 1}"} for i in range(n)]
    fake = FakeHalo()
    fake.route("GET", "/api/Client", listing("clients", rows))
    client = make_client(fake)
    got = [c.id for c in client.clients(includeinactive=True)]
    assert got == [r["id"] for r in rows]
    calls = fake.api_calls()
    assert len(calls) == requests
    assert [c.url.params["page_no"] for c in calls] == [str(i) for i in range(1, requests + 1)]
    assert all(c.url.params["pageinate"] == "true" and c.url.params["page_size"] == "100" for c in calls)
    assert all(c.url.params["includeinactive"] == "true" for c in calls)


def test_paging_without_record_count_stops_on_a_short_page() -> None:
    rows = [{"id": i} for i in range(1, 251)]
    fetched: list[dict[str, str]] = []

    def fetch(params: dict[str, str]) -> Any:
        fetched.append(params)
        page = int(params["page_no"])
        return rows[(page - 1) * 100 : page * 100]  # a bare list

    assert [r["id"] for r in pages(fetch, {}, "x")] == list(range(1, 251))
    assert len(fetched) == 3


def test_paging_is_lazy_one_page_at_a_time() -> None:
    fetched: list[int] = []

    def fetch(params: dict[str, str]) -> Any:
        fetched.append(int(params["page_no"]))
        return {"record_count": 10_000, "items": [{"id": i} for i in range(PAGE_SIZE)]}

    it = pages(fetch, {}, "items")
    for _ in range(150):
        next(it)
    assert fetched == [1, 2]


def test_rows_of_accepts_the_shapes_halo_uses() -> None:
    assert rows_of({"record_count": 1, "clients": [{"id": 1}]}, "clients") == [{"id": 1}]
    assert rows_of([{"id": 2}], "taxes") == [{"id": 2}]
    assert rows_of({"record_count": 1, "rates": [{"id": 3}]}, None) == [{"id": 3}]
    assert rows_of({"record_count": 0}, "clients") == []
    assert saved_rows({"id": 1}) == [{"id": 1}]
    assert saved_rows([{"id": 1}, {"id": 2}]) == [{"id": 1}, {"id": 2}]
    assert saved_rows(None) == []


def test_filters_are_encoded_for_halo() -> None:
    from datetime import datetime

    assert query_value(True) == "true"
    assert query_value([0, -1]) == "0,-1"
    assert query_value(datetime(2026, 1, 4, 7, 55, 24)) == "2026-01-04T07:55:24Z"


def test_invoice_filters_and_lists_without_known_key() -> None:
    fake = FakeHalo()
    fake.route("GET", "/api/Invoice", listing("invoices", [{"id": 1, "lines": [{"id": 9, "_itemid": 4}]}]))
    fake.route("GET", "/api/Tax", lambda r: httpx.Response(200, json=[{"id": 1, "name": "Standard", "value": 20}]))
    fake.route(
        "GET", "/api/InvoicePayment", lambda r: httpx.Response(200, json={"record_count": 1, "whatever": [{"id": 5}]})
    )
    client = make_client(fake)
    [invoice] = client.invoices(notpostedonly=True, client_id=12)
    assert invoice.lines[0].itemid == 4
    params = fake.api_calls()[0].url.params
    assert params["notpostedonly"] == "true" and params["client_id"] == "12"
    assert params["includelines"] == "true" and params["includecredits"] == "true"
    assert "postedonly" not in params
    assert [t.name for t in client.taxes()] == ["Standard"]
    assert [p.id for p in client.payments(invoice_id=1)] == [5]


def test_a_row_halo_should_never_send_is_a_plain_error() -> None:
    fake = FakeHalo()
    fake.route("GET", "/api/Item", listing("items", [{"id": "not-a-number"}]))
    with pytest.raises(HaloError) as caught:
        list(make_client(fake).items())
    assert filled(caught.value).code == "halo.bad_response"
    assert "id" in caught.value.message


def test_an_html_page_instead_of_json_says_check_the_url() -> None:
    fake = FakeHalo()
    fake.route("GET", "/api/Control", lambda r: httpx.Response(200, text="<html><body>Login</body></html>"))
    with pytest.raises(HaloError) as caught:
        make_client(fake).control()
    assert caught.value.code == "halo.bad_response"
    assert "HTML page" in caught.value.message
    assert "halo.url" in caught.value.fix


# -- writes ------------------------------------------------------------------------------------------------


def test_save_posts_json_arrays_in_chunks_of_100() -> None:
    fake = FakeHalo()
    bodies: list[list[dict[str, Any]]] = []

    def save(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append(body)
        assert request.headers["Content-Type"] == "application/json"
        return httpx.Response(200, json=[{**r, "id": r.get("id") or 1000 + i} for i, r in enumerate(body)])

    fake.route("POST", "/api/Client", save)
    records = [{"name": f"New {i}"} for i in range(150)] + [{"id": 7, "accountsid": "C-7"}]
    saved = make_client(fake).save("Client", records)
    assert [len(b) for b in bodies] == [100, 51]
    assert len(saved) == 151
    assert saved[-1] == {"id": 7, "accountsid": "C-7"}


def test_save_accepts_a_single_object_answer_and_models() -> None:
    from decimal import Decimal

    fake = FakeHalo()
    fake.route("POST", "/api/Item", lambda r: httpx.Response(200, json=json.loads(r.content)[0]))
    item = models.Item.model_validate({"id": 3, "name": "X"})
    item.baseprice = Decimal("12.50")
    [saved] = make_client(fake).save("Item", [item])
    assert saved["id"] == 3 and saved["baseprice"] == 12.5


def test_save_refuses_unknown_entities() -> None:
    with pytest.raises(HaloError) as caught:
        make_client(FakeHalo()).save("Ticket/../Control", [{}])
    assert filled(caught.value).code == "halo.bad_entity"


def test_validation_error_names_fields_renumbered_for_the_whole_batch() -> None:
    fake = FakeHalo()
    calls = {"n": 0}

    def save(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        body = json.loads(request.content)
        if calls["n"] == 2:
            return httpx.Response(400, json={"[3].name": ["The name field is required."]})
        return httpx.Response(200, json=body)

    fake.route("POST", "/api/Item", save)
    with pytest.raises(HaloValidationError) as caught:
        make_client(fake).save("Item", [{"name": f"I{i}"} for i in range(120)])
    err = filled(caught.value)
    assert err.fields == {"[103].name": ["The name field is required."]}
    assert "[103].name" in err.message and "required" in err.message
    assert len(err.saved) == 100  # the first chunk was saved


# -- retries -----------------------------------------------------------------------------------------------


def test_reads_are_retried_on_5xx_and_dropped_connections() -> None:
    fake = FakeHalo()
    answers: list[Any] = [httpx.Response(503), httpx.RemoteProtocolError("dropped"), httpx.ReadTimeout("slow")]

    def control(request: httpx.Request) -> httpx.Response:
        if answers:
            answer = answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return httpx.Response(200, json={"useqb": True})

    fake.route("GET", "/api/Control", control)
    clock = FakeClock()
    client = make_client(fake, clock)
    assert client.control().useqb is True
    assert client.retries == 3
    assert len(clock.slept) == 3 and clock.slept[0] < clock.slept[2]


def test_reads_give_up_after_a_while_with_halo_unavailable() -> None:
    fake = FakeHalo()
    fake.route("GET", "/api/Control", lambda r: httpx.Response(500, json={"Message": "boom"}))
    with pytest.raises(HaloUnavailable) as caught:
        make_client(fake).control()
    assert filled(caught.value).code == "halo.unavailable"
    assert "HTTP 500" in caught.value.message
    assert len(fake.api_calls()) == 6


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(502), httpx.ReadTimeout("no answer"), httpx.RemoteProtocolError("dropped")],
    ids=["5xx", "read-timeout", "dropped"],
)
def test_a_write_that_may_have_reached_halo_is_never_resent(failure: Any) -> None:
    fake = FakeHalo()

    def save(request: httpx.Request) -> httpx.Response:
        if isinstance(failure, Exception):
            raise failure
        return failure

    fake.route("POST", "/api/Invoice", save)
    with pytest.raises(HaloUnavailable) as caught:
        make_client(fake).save("Invoice", [{"id": 1, "posted": True}])
    assert filled(caught.value).unconfirmed
    assert "may or may not" in caught.value.message
    assert len([c for c in fake.api_calls() if c.method == "POST"]) == 1


def test_a_write_that_never_connected_is_retried() -> None:
    fake = FakeHalo()
    posts: list[int] = []

    def save(request: httpx.Request) -> httpx.Response:
        posts.append(1)
        if len(posts) == 1:
            raise httpx.ConnectError("refused")
        return httpx.Response(200, json=json.loads(request.content))

    fake.route("POST", "/api/Invoice", save)
    assert make_client(fake).save("Invoice", [{"id": 1, "posted": True}]) == [{"id": 1, "posted": True}]
    assert len(posts) == 2


def test_429_is_retried_for_writes_too_and_honours_retry_after() -> None:
    fake = FakeHalo()
    answers = [httpx.Response(429, headers={"Retry-After": "12"}), httpx.Response(429)]

    def save(request: httpx.Request) -> httpx.Response:
        return answers.pop(0) if answers else httpx.Response(200, json=json.loads(request.content))

    fake.route("POST", "/api/Client", save)
    clock = FakeClock()
    client = make_client(fake, clock)
    client.save("Client", [{"id": 1, "accountsid": "A"}])
    assert client.rate_limited == 2
    assert 12.0 <= clock.slept[0] <= 13.2  # Retry-After plus at most 10% jitter
    assert 5.0 <= clock.slept[1] <= 10.0  # no Retry-After: second step of 5 s x 2^n, equal jitter


def test_endless_429_ends_in_rate_limited() -> None:
    fake = FakeHalo()
    fake.route("GET", "/api/Control", lambda r: httpx.Response(429, text="Rate Limit Reached"))
    clock = FakeClock()
    with pytest.raises(HaloRateLimited) as caught:
        make_client(fake, clock).control()
    assert "429" in filled(caught.value).message and "requests_per_window" in caught.value.fix
    assert max(clock.slept) <= 60.0
    # It gives up only after waiting a whole rolling window (300 s, halo/NOTES.md §11) plus a margin (issue 8.7).
    assert sum(clock.slept) >= 300.0 + 30.0
    assert sum(clock.slept[:-1]) < 300.0 + 30.0  # and not much longer


def test_a_retry_after_beyond_one_window_is_not_waited_out() -> None:
    fake = FakeHalo()
    fake.route("GET", "/api/Control", lambda r: httpx.Response(429, headers={"Retry-After": "3600"}))
    clock = FakeClock()
    with pytest.raises(HaloRateLimited) as caught:
        make_client(fake, clock).control()
    assert "3600" in caught.value.message
    assert clock.slept == []


def test_unreachable_halo_is_unavailable_with_the_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known")

    with pytest.raises(HaloUnavailable) as caught:
        make_client(handler).control()
    assert "https://acme.halopsa.com" in filled(caught.value).message
    assert "halo.url" in caught.value.fix


# -- error mapping -----------------------------------------------------------------------------------------


def test_403_names_the_permission_to_tick() -> None:
    fake = FakeHalo()
    fake.route("POST", "/api/Item", lambda r: httpx.Response(403, json={"Message": "Forbidden"}))
    with pytest.raises(HaloPermissionError) as caught:
        make_client(fake).save("Item", [{"name": "x"}])
    assert filled(caught.value).scope == "edit:items"
    assert "'edit:items'" in caught.value.message
    assert "Configuration > Integrations > Halo API" in caught.value.fix
    assert "Permissions" in caught.value.fix


def test_404_for_a_record_and_for_a_wrong_url() -> None:
    fake = FakeHalo()
    with pytest.raises(HaloNotFound) as caught:
        make_client(fake).invoice(42)
    assert filled(caught.value).code == "halo.record_not_found" and "42" in caught.value.message
    with pytest.raises(HaloNotFound) as caught:
        make_client(fake).control()
    assert filled(caught.value).code == "halo.endpoint_not_found" and "halo.url" in caught.value.fix


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"[0].id": ["Invalid id."]}, {"[0].id": ["Invalid id."]}),
        (
            {"errors": {"[0].name": ["Required."]}, "title": "One or more validation errors occurred."},
            {"[0].name": ["Required."]},
        ),
        ({"id": "must be a number"}, {"id": ["must be a number"]}),
        ({"resultCode": 1, "errorMessage": "Name already in use"}, {}),
        ({"ClassName": "System.Exception", "Message": "Invalid item"}, {}),
        ("plain text failure", {}),
    ],
)
def test_validation_bodies_in_every_shape(body: Any, fields: dict[str, list[str]]) -> None:
    assert validation_fields(body) == fields
    text = describe(body)
    assert text and text != "no details"
    fake = FakeHalo()
    fake.route(
        "POST",
        "/api/Client",
        lambda r: httpx.Response(400, json=body) if not isinstance(body, str) else httpx.Response(400, text=body),
    )
    with pytest.raises(HaloValidationError) as caught:
        make_client(fake).save("Client", [{"id": 1}])
    assert filled(caught.value).fields == fields
    shown = caught.value.message
    for name in fields:
        assert name in shown
    if not fields:
        assert text in shown


def test_other_statuses_are_reported_with_what_halo_said() -> None:
    fake = FakeHalo()
    fake.route("GET", "/api/Control", lambda r: httpx.Response(409, json={"Message": "Locked by another user"}))
    with pytest.raises(HaloError) as caught:
        make_client(fake).control()
    assert filled(caught.value).code == "halo.http_error"
    assert "409" in caught.value.message and "Locked by another user" in caught.value.message
