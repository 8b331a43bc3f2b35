"""Halo sandbox rate limit, fault injection, stats and export, over real HTTP."""

from __future__ import annotations

import time

import httpx
import pytest

from halo_accounts.sandbox.halo import Faults, conventions

EXACT = "Rate Limit Reached - 300 Requests per rolling 5 minute window"
SEED = {"clients": [{"id": 1, "name": "Smith & Jones Ltd"}],
        "invoices": [{"id": 1, "client_id": 1, "lines": [{"qty_order": 1, "unit_price": 10.0}]}]}


def test_rate_limit_answers_429_with_halos_text(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED, rate_limit=(5, 0.5))
    api = halo_api(halo)  # the token request counts: 1
    codes = [api.get("/api/Client").status_code for _ in range(6)]
    assert codes == [200] * 4 + [429, 429]
    refused = api.get("/api/Client")
    assert refused.text == EXACT == conventions.RATE_LIMIT_MESSAGE
    assert "retry-after" not in refused.headers  # conventions.SEND_RETRY_AFTER is off by default
    time.sleep(0.55)  # the window rolls on
    assert api.get("/api/Client").status_code == 200


def test_retry_after_can_be_sent(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED, rate_limit=(2, 30.0), retry_after=True)
    api = halo_api(halo)
    api.get("/api/Client")
    refused = api.get("/api/Client")
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 30


def test_429_storm(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED)
    api = halo_api(halo)
    halo.set_faults(Faults(storm_429=3))
    replies = [api.get("/api/Client") for _ in range(4)]
    assert [r.status_code for r in replies] == [429, 429, 429, 200]
    assert replies[0].text == EXACT


def test_error_rate_is_seeded_and_repeatable(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED)
    api = halo_api(halo)

    def run() -> list[int]:
        halo.set_faults(Faults(error_rate=0.5, seed=7))
        return [api.get("/api/Client").status_code for _ in range(30)]

    first = run()
    assert set(first) == {200, 500} and 5 < first.count(500) < 25
    assert run() == first
    halo.set_faults(Faults())
    assert api.get("/api/Client").status_code == 200


def test_dropped_connection_is_a_transport_error(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED)
    api = halo_api(halo)
    halo.set_faults(Faults(drop_rate=1.0))
    with pytest.raises(httpx.TransportError):
        api.get("/api/Client")
    with pytest.raises(httpx.TransportError):
        api.post("/api/Client", json=[{"name": "Lost Ltd"}])
    halo.set_faults(Faults())
    assert [c["name"] for c in api.get("/api/Client").json()["clients"]] == ["Smith & Jones Ltd"]


def test_drop_after_write_saves_then_cuts(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED)
    api = halo_api(halo)
    halo.set_faults(Faults(drop_rate=1.0, drop_after_write=True))
    with pytest.raises(httpx.TransportError):
        api.post("/api/Invoice", json=[{"id": 1, "posted": True, "thirdpartyinvoicenumber": "SI-9"}])
    halo.set_faults(Faults())
    assert api.get("/api/Invoice/1").json()["thirdpartyinvoicenumber"] == "SI-9"


def test_latency(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED, faults=Faults(latency=0.2))
    api = halo_api(halo)
    start = time.perf_counter()
    assert api.get("/api/Client").status_code == 200
    assert time.perf_counter() - start >= 0.2


def test_stats_count_requests_not_themselves(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED)
    api = halo_api(halo)
    api.get("/api/Client")
    api.get("/api/client")
    api.get("/api/Invoice/1")
    api.post("/api/Client", json=[{"name": "New"}])
    expected = {"requests": 5, "by_path": {"GET /api/client": 2, "GET /api/invoice/{id}": 1,
                                           "POST /api/client": 1, "POST /auth/token": 1}}
    assert halo.stats() == expected
    assert api.get("/sandbox/stats").json() == expected
    api.get("/sandbox/export")
    assert halo.stats() == expected


def test_export_is_a_seed_of_the_current_tenant(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED)
    api = halo_api(halo)
    api.post("/api/Client", json=[{"id": 1, "accountsid": "SMITHJ"}, {"name": "Second Ltd"}])
    exported = api.get("/sandbox/export").json()
    assert exported == halo.export()
    assert [(c["id"], c.get("accountsid")) for c in exported["clients"]] == [(1, "SMITHJ"), (2, None)]
    assert exported["invoices"][0]["lines"][0]["net_amount"] == 10.0
    assert exported["applications"][0]["client_id"] == "demo"
    again = halo_sandbox(exported)  # an export is a valid seed
    assert halo_api(again).get("/api/Client/1").json()["accountsid"] == "SMITHJ"


def test_concurrent_posts_get_distinct_ids(halo_sandbox, halo_api) -> None:
    from concurrent.futures import ThreadPoolExecutor

    halo = halo_sandbox(SEED)
    token = halo_api(halo).headers["Authorization"]

    def post(i: int) -> int:
        reply = httpx.post(f"{halo.url}/api/Client", json=[{"name": f"C{i}"}], headers={"Authorization": token})
        return reply.json()[0]["id"]

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(post, range(24)))
    assert sorted(ids) == list(range(2, 26))
