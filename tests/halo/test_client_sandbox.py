"""The Halo client over real HTTP against the Halo sandbox on loopback: tokens, paging counts, the rolling
budget under a 429 storm, 5xx and dropped connections, and every error message a user can meet."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from halo_accounts.halo import HaloClient
from halo_accounts.halo.errors import (
    HaloAuthError,
    HaloPermissionError,
    HaloTenantError,
    HaloUnavailable,
    HaloValidationError,
)
from halo_accounts.sandbox.halo import Faults, HaloSandbox

Start = Callable[..., HaloSandbox]
SECRET = "demo-secret"


def clients_seed(n: int, *, apps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "applications": apps or [{"client_id": "demo", "client_secret": SECRET, "scopes": ["all", "admin"]}],
        "control": {"useqb": True},
        "taxes": [{"id": 1, "name": "Standard 20%", "code": "T1", "value": 20.0}],
        "clients": [{"id": i, "name": f"Client {i:05d}", "accountsid": ""} for i in range(1, n + 1)],
        "items": [{"id": 1, "name": "Managed Service", "baseprice": 50.0, "taxcode": 1, "nominalcode": "4000"}],
    }


class Recorder(httpx.BaseTransport):
    """Real HTTP, with the moment each request left the client."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.sent: list[float] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.sent.append(time.monotonic())
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()

    def most_in_any_window(self, window: float) -> int:
        return max((sum(1 for t in self.sent if s <= t < s + window) for s in self.sent), default=0)


class QuickSleep:
    """Records every wait the client asks for, and waits at most ``cap`` seconds of it for real."""

    def __init__(self, cap: float = 0.01) -> None:
        self.cap = cap
        self.asked: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        time.sleep(min(seconds, self.cap))


def connect(halo: HaloSandbox, **kwargs: Any) -> HaloClient:
    kwargs.setdefault("rng", random.Random(3))
    return HaloClient(halo.url, kwargs.pop("client_id", "demo"), kwargs.pop("secret", SECRET), **kwargs)


def by_path(halo: HaloSandbox, key: str) -> int:
    return int(halo.stats()["by_path"].get(key, 0))


# -- paging ------------------------------------------------------------------------------------------------


def test_paging_1234_clients_costs_13_pages(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(1234))
    with connect(halo) as client:
        names = [c.name for c in client.clients()]
    assert len(names) == 1234 and len(set(names)) == 1234
    assert names[0] == "Client 00001" and names[-1] == "Client 01234"
    assert by_path(halo, "GET /api/client") == 13  # ceil(1234 / 100): Halo serves at most 100 a page
    assert halo.stats()["requests"] == 13 + 2  # + authinfo + token
    assert client.request_count == 15


def test_exact_multiple_of_100_needs_no_extra_empty_page(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(300))
    with connect(halo) as client:
        assert sum(1 for _ in client.clients()) == 300
    assert by_path(halo, "GET /api/client") == 3


def test_demo_tenant_reads_end_to_end(halo_sandbox: Start) -> None:
    halo = halo_sandbox()
    with connect(halo) as client:
        control = client.control()
        invoices = list(client.invoices(notpostedonly=True))
        taxes = client.taxes()
        one = client.invoice(invoices[0].id)
        payments = list(client.payments())
    assert control.useqb is True
    assert invoices and all(not inv.posted for inv in invoices)
    assert all(inv.lines for inv in invoices)
    assert {t.code for t in taxes} >= {"T1"}
    assert one.id == invoices[0].id and one.lines
    assert payments and all(p.invoice_id for p in payments)


def test_save_writes_back_and_halo_keeps_it(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(150))
    with connect(halo) as client:
        saved = client.save("Client", [{"id": i, "accountsid": f"C-{i:05d}"} for i in range(1, 151)])
        created = client.save("Item", [{"name": "Backup as a Service", "baseprice": 85.0, "taxcode": 1}])
    assert len(saved) == 150 and saved[0]["accountsid"] == "C-00001"
    assert by_path(halo, "POST /api/client") == 2  # chunks of 100
    exported = halo.export()
    assert {c["accountsid"] for c in exported["clients"]} == {f"C-{i:05d}" for i in range(1, 151)}
    assert created[0]["id"] and created[0]["name"] == "Backup as a Service"


# -- tokens ------------------------------------------------------------------------------------------------


def test_expired_token_is_replaced_once_and_the_request_repeated(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(5))
    with connect(halo) as client:
        client.control()
        halo.expire_tokens()
        assert client.control().useqb is True
        assert client.tokens_issued == 2
    assert by_path(halo, "POST /auth/token") == 2
    assert by_path(halo, "GET /api/control") == 3  # one refused with 401, repeated once


def test_token_is_renewed_before_it_expires(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(5), token_lifetime=60)
    offset = [0.0]
    with connect(halo, clock=lambda: time.monotonic() + offset[0]) as client:
        client.control()
        offset[0] = 31.0  # past the renewal point (lifetime 60 s, margin half of it)
        client.control()
    assert by_path(halo, "POST /auth/token") == 2
    assert by_path(halo, "GET /api/control") == 2  # renewed early: no request was refused


# -- budget and faults -------------------------------------------------------------------------------------


def test_429_storm_backs_off_and_the_budget_is_never_exceeded(halo_sandbox: Start) -> None:
    limit, window = 20, 2.0
    halo = halo_sandbox(clients_seed(4000), rate_limit=(limit, window), faults=Faults(storm_429=3))
    recorder = Recorder()
    sleep = QuickSleep()
    with connect(halo, requests_per_window=limit, window_seconds=window, transport=recorder, sleep=sleep) as client:
        assert sum(1 for _ in client.clients()) == 4000
    assert client.rate_limited == 3  # the storm, and nothing from the sandbox's own limiter
    backoffs = sleep.asked[:3]
    assert [round(b, 3) for b in backoffs] == [round(b, 3) for b in sorted(backoffs)]  # growing
    assert 2.5 <= backoffs[0] <= 5.0 and backoffs[2] >= 10.0  # 5 s x 2^n with equal jitter
    assert client.request_count == 40 + 2 + 3  # pages + authinfo/token + the three refused tries
    assert recorder.most_in_any_window(window) <= limit
    assert client.budget.waited > 0  # the budget really paced the 45 requests


def test_429_with_retry_after_waits_what_halo_asks(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(5), faults=Faults(storm_429=1), retry_after=True)
    sleep = QuickSleep()
    with connect(halo, sleep=sleep) as client:
        client.control()
    assert client.rate_limited == 1
    assert 1.0 <= sleep.asked[0] <= 1.1


def test_5xx_and_dropped_connections_on_reads_are_retried(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(1234))
    with connect(halo, sleep=QuickSleep()) as client:
        client.authenticate()
        halo.set_faults(Faults(error_rate=0.2, drop_rate=0.15, seed=5))
        ids = [c.id for c in client.clients()]
    assert ids == list(range(1, 1235))
    assert client.retries > 0
    assert by_path(halo, "GET /api/client") == 13 + client.retries


def test_a_dropped_write_is_reported_unconfirmed_not_resent(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(5))
    with connect(halo, sleep=QuickSleep()) as client:
        client.authenticate()
        halo.set_faults(Faults(drop_rate=1.0, drop_after_write=True))
        with pytest.raises(HaloUnavailable) as caught:
            client.save("Client", [{"id": 1, "accountsid": "C-1"}])
    assert caught.value.unconfirmed
    assert by_path(halo, "POST /api/client") == 1
    assert halo.export()["clients"][0]["accountsid"] == "C-1"  # Halo did save it: the engine must look first


def test_a_5xx_write_is_reported_unconfirmed_not_resent(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(5))
    with connect(halo, sleep=QuickSleep()) as client:
        client.authenticate()
        halo.set_faults(Faults(error_rate=1.0, error_status=503))
        with pytest.raises(HaloUnavailable) as caught:
            client.save("Client", [{"id": 1, "accountsid": "C-1"}])
    assert caught.value.code == "halo.write_unconfirmed"
    assert by_path(halo, "POST /api/client") == 1


def test_halo_down_is_unavailable(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(1))
    url = halo.url
    halo.stop()
    with pytest.raises(HaloUnavailable) as caught:
        HaloClient(url, "demo", SECRET, sleep=QuickSleep()).control()
    assert url in caught.value.message


# -- errors a user meets -----------------------------------------------------------------------------------


def test_bad_secret(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(1))
    wrong = "not-the-secret-123"
    with pytest.raises(HaloAuthError) as caught:
        connect(halo, secret=wrong).control()
    err = caught.value
    assert err.code == "halo.auth.invalid_client"
    assert "'demo'" in err.message and "halo.client_secret" in err.fix
    assert wrong not in str(err) + repr(err) + err.fix


def test_unknown_tenant(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(1), tenant="acme")
    with pytest.raises(HaloTenantError) as caught:
        connect(halo, tenant="acmee").control()
    assert "'acmee'" in caught.value.message
    assert "halo.tenant" in caught.value.fix and "API Details" in caught.value.fix
    with connect(halo, tenant="acme") as client:  # the right one works
        assert client.control().useqb is True


def test_missing_scope_names_the_permission(halo_sandbox: Start) -> None:
    app = {"client_id": "reader", "client_secret": "reader-secret", "scopes": ["read:customers", "read:items"]}
    halo = halo_sandbox(clients_seed(3, apps=[app]))
    with connect(halo, client_id="reader", secret="reader-secret", scope="read:customers read:items") as client:
        assert len(list(client.clients())) == 3
        with pytest.raises(HaloPermissionError) as caught:
            client.save("Client", [{"id": 1, "accountsid": "C-1"}])
        with pytest.raises(HaloPermissionError) as read_caught:
            list(client.invoices())
    assert caught.value.scope == "edit:customers"
    assert "'edit:customers'" in caught.value.message
    assert "Configuration > Integrations > Halo API" in caught.value.fix and "Permissions" in caught.value.fix
    assert read_caught.value.scope == "read:invoices"


def test_scope_the_application_does_not_have(halo_sandbox: Start) -> None:
    app = {"client_id": "reader", "client_secret": "reader-secret", "scopes": ["read:customers"]}
    halo = halo_sandbox(clients_seed(1, apps=[app]))
    with pytest.raises(HaloAuthError) as caught:
        connect(halo, client_id="reader", secret="reader-secret", scope="all").control()
    assert caught.value.code == "halo.auth.invalid_scope"
    assert "halo.scope" in caught.value.fix


def test_validation_error_names_the_field(halo_sandbox: Start) -> None:
    halo = halo_sandbox(clients_seed(3))
    with connect(halo) as client, pytest.raises(HaloValidationError) as caught:
        client.save("Client", [{"id": 1, "accountsid": "C-1"}, {"id": 2, "inactive": "maybe"}])
    err = caught.value
    assert any(name.startswith("[1].inactive") for name in err.fields), err.fields
    assert "[1].inactive" in err.message
