"""Fixtures for Halo tests: a real Halo sandbox on loopback, started per test and stopped after it.

``halo_sandbox(seed=None, **kwargs)`` starts a :class:`HaloSandbox` (kwargs as its constructor:
``faults``, ``rate_limit``, ``token_lifetime``, ``tenant``, ...). ``seed=None`` means the demo tenant
(``demo_seed.build()``); a seed without ``applications`` gets ``DEMO_APP`` so the demo credentials work.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import httpx
import pytest

from halo_accounts.sandbox.halo import HaloSandbox, demo_seed

#: The demo application. Test modules can't import conftest (importlib mode): use the `demo_app` fixture
#: or `halo_accounts.sandbox.halo.demo_seed.DEMO_APPLICATION` (the same value).
DEMO_APP: dict[str, Any] = {"client_id": "demo", "client_secret": "demo-secret", "scopes": ["all", "admin"]}
assert demo_seed.DEMO_APPLICATION == DEMO_APP


@pytest.fixture
def demo_app() -> dict[str, Any]:
    return copy.deepcopy(DEMO_APP)


@cache
def _demo() -> dict[str, Any]:
    return demo_seed.build()


@pytest.fixture
def halo_sandbox() -> Iterator[Callable[..., HaloSandbox]]:
    started: list[HaloSandbox] = []

    def start(seed: dict[str, Any] | None = None, **kwargs: Any) -> HaloSandbox:
        data = copy.deepcopy(_demo() if seed is None else seed)
        data.setdefault("applications", [dict(DEMO_APP)])
        sandbox = HaloSandbox(data, **kwargs)
        sandbox.start()
        started.append(sandbox)
        return sandbox

    yield start
    for sandbox in reversed(started):
        sandbox.stop()


@pytest.fixture
def halo_api() -> Iterator[Callable[..., httpx.Client]]:
    """``halo_api(sandbox, client_id="demo", client_secret="demo-secret", scope="all admin")``: an httpx
    client on the sandbox, already holding a bearer token (raw HTTP, for the sandbox's own tests)."""
    clients: list[httpx.Client] = []

    def connect(sandbox: HaloSandbox, client_id: str = "demo", client_secret: str = "demo-secret",
                scope: str = "all admin") -> httpx.Client:
        client = httpx.Client(base_url=sandbox.url, timeout=10)
        clients.append(client)
        reply = client.post("/auth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                 "client_secret": client_secret, "scope": scope})
        reply.raise_for_status()
        client.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
        return client

    yield connect
    for client in clients:
        client.close()
