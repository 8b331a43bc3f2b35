"""`HaloSandbox`: the Halo stand-in served for real by uvicorn on loopback, in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from halo_accounts.errors import HaloAccountsError
from halo_accounts.sandbox.halo import conventions as cv
from halo_accounts.sandbox.halo import seed as seed_check
from halo_accounts.sandbox.halo.app import HaloApp, SandboxState
from halo_accounts.sandbox.halo.faults import FaultPlan, Faults


class _QuickServer(uvicorn.Server):
    """uvicorn's server, noticing `should_exit` within 10 ms rather than 100 ms (tests start and stop many)."""

    async def main_loop(self) -> None:
        tick = 0
        while not await self.on_tick(0 if tick % 100 == 0 else 1):  # on_tick(0) refreshes the Date header
            tick += 1
            await asyncio.sleep(0.01)


class HaloSandbox:
    """A Halo tenant on ``http://127.0.0.1:PORT`` (API under ``/api``, auth under ``/auth``).

    Use as a context manager, or call `start`/`stop`. ``port=0`` lets the OS choose; `url` has the real one.
    """

    def __init__(
        self,
        seed: dict[str, Any],
        *,
        faults: Faults | None = None,
        rate_limit: tuple[int, float] = cv.DEFAULT_RATE_LIMIT,
        token_lifetime: int = cv.DEFAULT_TOKEN_LIFETIME,
        tenant: str = "",
        retry_after: bool = cv.SEND_RETRY_AFTER,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        seed_check.validate(seed)
        self.state = SandboxState(
            seed,
            tenant=tenant,
            rate_limit=rate_limit,
            token_lifetime=token_lifetime,
            faults=FaultPlan(faults),
            retry_after=retry_after,
        )
        self.host = host
        self._port = port
        self._server: _QuickServer | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> HaloSandbox:
        # proto IPPROTO_TCP (not 0) so asyncio sets TCP_NODELAY on accepted sockets; otherwise every
        # keep-alive request waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.bind((self.host, self._port))
        except OSError as exc:
            sock.close()
            raise HaloAccountsError("sandbox.start_failed", host=self.host, port=self._port, detail=exc) from None
        sock.listen(128)
        self._socket = sock
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            HaloApp(self.state), lifespan="off", log_config=None, access_log=False, log_level="critical"
        )
        self._server = _QuickServer(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=f"halo-sandbox-{self._port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise HaloAccountsError("sandbox.start_failed", host=self.host, port=self._port, detail="did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> HaloSandbox:
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # -- the test API ----------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._port}"

    @property
    def tenant_id(self) -> str:
        return self.state.tenant_id

    def stats(self) -> dict[str, Any]:
        """``{"requests": N, "by_path": {"GET /api/client": n, ...}}`` since start (same as GET /sandbox/stats)."""
        return self.state.stats()

    def export(self) -> dict[str, Any]:
        """The whole tenant as a seed-shaped dict (same as GET /sandbox/export)."""
        return self.state.export()

    def set_faults(self, faults: Faults) -> None:
        """Replace the fault settings now (the storm count and the random draws restart)."""
        self.state.faults.set(faults)

    def expire_tokens(self) -> None:
        """Make every token issued so far expire now."""
        self.state.expire_tokens()
