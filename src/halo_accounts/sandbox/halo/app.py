"""The Halo sandbox's HTTP face: `/auth/token`, `/api/authinfo`, `/api/<Entity>[/<id>]`, `/sandbox/*`.

An ASGI app over a `SandboxState`; paths are case-insensitive (halo/NOTES.md §2). Faults and the rate
limit apply to `/auth` and `/api`; `/sandbox/stats` and `/sandbox/export` are neither counted nor faulted.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from halo_accounts.sandbox.halo import conventions as cv
from halo_accounts.sandbox.halo import schemas, scopes
from halo_accounts.sandbox.halo.faults import Fault, FaultPlan
from halo_accounts.sandbox.halo.ratelimit import RollingWindow
from halo_accounts.sandbox.halo.store import Invalid, NotFound, Tenant

ENTITIES = frozenset({*cv.LIST_KEYS, "control"})
_NUMBER = re.compile(r"^\d+$")


@dataclass
class Token:
    client_id: str
    scopes: list[str]
    expires: float


class SandboxState:
    """Everything one sandbox knows: the tenant's data, applications, tokens, limits, faults and stats."""

    def __init__(
        self,
        seed: dict[str, Any],
        *,
        tenant: str = "",
        rate_limit: tuple[int, float] = cv.DEFAULT_RATE_LIMIT,
        token_lifetime: int = cv.DEFAULT_TOKEN_LIFETIME,
        faults: FaultPlan | None = None,
        retry_after: bool = cv.SEND_RETRY_AFTER,
    ) -> None:
        self.data = Tenant(seed)
        self.applications = {a["client_id"]: dict(a) for a in seed.get("applications", [])}
        self.tenant = tenant
        self.tenant_id = str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{tenant or 'sandbox'}.halo.sandbox"))
        self.limiter = RollingWindow(*rate_limit)
        self.token_lifetime = token_lifetime
        self.faults = faults or FaultPlan()
        self.retry_after = retry_after
        self.tokens: dict[str, Token] = {}
        self._lock = threading.Lock()
        self._by_path: Counter[str] = Counter()

    def count(self, method: str, path: str) -> None:
        key = f"{method} " + "/".join("{id}" if _NUMBER.match(p) else p for p in path.lower().split("/"))
        with self._lock:
            self._by_path[key] += 1

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {"requests": sum(self._by_path.values()), "by_path": dict(sorted(self._by_path.items()))}

    def export(self) -> dict[str, Any]:
        out = self.data.export()
        out["applications"] = [dict(a) for a in self.applications.values()]
        return out

    def issue(self, client_id: str, granted: list[str]) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self.tokens[token] = Token(client_id, granted, time.monotonic() + self.token_lifetime)
        return token

    def token(self, value: str) -> Token | None:
        with self._lock:
            tok = self.tokens.get(value)
            if tok is None or tok.expires <= time.monotonic():
                return None
            return tok

    def expire_tokens(self) -> None:
        with self._lock:
            for tok in self.tokens.values():
                tok.expires = 0.0


def _rate_limited(state: SandboxState, wait: float) -> Response:
    headers = {"Retry-After": RollingWindow.retry_after(wait)} if state.retry_after else None
    return PlainTextResponse(cv.RATE_LIMIT_MESSAGE, status_code=429, headers=headers)  # NOTES §11 [C]


def _invalid(problems: list[tuple[str, str]]) -> Response:
    return JSONResponse(schemas.validation_body(problems), status_code=cv.VALIDATION_STATUS)


def _not_found(what: str) -> Response:
    return JSONResponse({"Message": f"{what} not found."}, status_code=404)


class HaloApp:
    """The ASGI application."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan is off; nothing else is served
            return
        request = Request(scope, receive)
        path = request.url.path.rstrip("/").lower() or "/"
        if path.startswith("/sandbox/"):
            await self._sandbox(path, request)(scope, receive, send)
            return
        state = self.state
        state.count(request.method, path)
        faults = state.faults.faults
        if faults.latency > 0:
            await asyncio.sleep(faults.latency)
        fault = state.faults.draw()
        if fault is Fault.STORM_429:
            await _rate_limited(state, 1.0)(scope, receive, send)
            return
        if fault is Fault.ERROR:
            body = {"ClassName": "System.Exception", "Message": "An error occurred (sandbox fault injection)."}
            await JSONResponse(body, status_code=faults.error_status)(scope, receive, send)
            return
        if fault is Fault.DROP:
            if faults.drop_after_write and request.method == "POST":
                await self._handle(path, request)
            await _drop(send)
            return
        wait = state.limiter.admit()
        if wait:
            await _rate_limited(state, wait)(scope, receive, send)
            return
        response = await self._handle(path, request)
        if fault is Fault.SLOW:
            await asyncio.sleep(faults.slow_seconds)
        await response(scope, receive, send)

    def _sandbox(self, path: str, request: Request) -> Response:
        if request.method == "GET" and path == "/sandbox/stats":
            return JSONResponse(self.state.stats())
        if request.method == "GET" and path == "/sandbox/export":
            return JSONResponse(self.state.export())
        return _not_found("Page")

    async def _handle(self, path: str, request: Request) -> Response:
        if path == "/auth/token" and request.method == "POST":
            return await self._token(request)
        if path == "/api/authinfo" and request.method == "GET":
            base = f"{request.url.scheme}://{request.url.netloc}"
            return JSONResponse({"auth_url": f"{base}/auth", "tenant_id": self.state.tenant_id})
        parts = path.strip("/").split("/")
        if len(parts) not in (2, 3) or parts[0] != "api" or parts[1] not in ENTITIES:
            return _not_found("Page")
        entity = parts[1]
        rid = parts[2] if len(parts) == 3 else None
        if rid is not None and (not _NUMBER.match(rid) or entity == "control"):
            return _not_found("Page")
        auth = request.headers.get("authorization", "")
        token = self.state.token(auth[7:].strip()) if auth[:7].lower() == "bearer " else None
        if token is None:
            return Response(status_code=401, headers={"WWW-Authenticate": cv.INVALID_TOKEN_HEADER})
        if request.method not in ("GET", "POST") or (request.method == "POST" and rid is not None):
            return JSONResponse({"Message": "The requested resource does not support this method."}, status_code=405)
        need = scopes.needed(entity, request.method, control_admin_only=bool(
            self.state.data.options.get("control_admin_only", cv.CONTROL_READ_NEEDS_ADMIN)))
        if not scopes.allows(token.scopes, need):
            return JSONResponse(cv.forbidden_body(need), status_code=403)
        if request.method == "GET":
            return self._get(entity, rid, dict(request.query_params))
        return await self._post(entity, request)

    async def _token(self, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        tenant = request.query_params.get("tenant") or form.get("tenant", "")
        if self.state.tenant and tenant and tenant not in (self.state.tenant, self.state.tenant_id):
            return JSONResponse(cv.UNKNOWN_TENANT_BODY, status_code=cv.UNKNOWN_TENANT_STATUS)
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        app = self.state.applications.get(form.get("client_id", ""))
        if app is None or not secrets.compare_digest(str(app["client_secret"]), form.get("client_secret", "")):
            return JSONResponse(cv.INVALID_CLIENT, status_code=401)  # NOTES §1.2 [C]
        granted = scopes.grant(list(app.get("scopes", ["all"])), form.get("scope", ""))
        if not granted:
            return JSONResponse({"error": "invalid_scope"}, status_code=400)
        token = self.state.issue(app["client_id"], granted)
        return JSONResponse(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.state.token_lifetime,
                "scope": " ".join(granted),
            }
        )

    def _get(self, entity: str, rid: str | None, params: dict[str, str]) -> Response:
        data = self.state.data
        if entity == "control":
            return JSONResponse(data.get_control())
        if rid is None:
            return JSONResponse(data.list(entity, params))
        try:
            return JSONResponse(data.get(entity, int(rid)))
        except NotFound:
            return _not_found(f"{entity.capitalize()} {rid}")

    async def _post(self, entity: str, request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return _invalid([("", f"Invalid JSON: {exc.msg}.")])
        if not isinstance(body, list) or not all(isinstance(x, dict) for x in body):
            # NOTES §2: every write is a JSON array of objects
            return _invalid([("", "Cannot deserialize the JSON value into type 'List`1' (send a JSON array).")])
        problems: list[tuple[str, str]] = []
        for i, rec in enumerate(body):
            schemas.check(cv.SCHEMA_OF[entity], rec, f"[{i}]", out=problems)
        if problems:
            return _invalid(problems)
        try:
            saved = self.state.data.save_control(body) if entity == "control" else self.state.data.save(entity, body)
        except Invalid as exc:
            return _invalid(exc.problems)
        return JSONResponse(saved)


async def _drop(send: Send) -> None:
    """Cut the connection without a complete answer: headers promise a body that never comes."""
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]})
    await send({"type": "http.response.body", "body": b"{", "more_body": True})
