"""OAuth2 client credentials the way Halo does it: find the authorisation server, get a token, renew it early.

reference/halo/NOTES.md section 1.2: the auth server is configured, or ``GET {url}/api/authinfo`` tells it
(``auth_url``, ``tenant_id``), else ``{url}/auth``; the token comes from ``POST {auth}/token[?tenant=...]``
with a form body ``grant_type=client_credentials, client_id, client_secret, scope``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from halo_accounts.halo.errors import HaloAuthError, HaloError, HaloTenantError, body_of, describe, scrub
from halo_accounts.secrets import Secret

# NOTES section 1.2 [L]: renew shortly before expiry (pyhalopsa 60 s margin; panoramicdata 5 min).
RENEW_MARGIN = 60.0
# NOTES section 1.2 [L]: samples and defaults use 3600 s when expires_in is missing.
DEFAULT_LIFETIME = 3600.0


class Sender(Protocol):
    """How the token provider sends: through the client's budget and retries ("token" kind)."""

    def __call__(
        self,
        method: str,
        url: str,
        *,
        kind: str,
        data: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response: ...


@dataclass(frozen=True)
class Token:
    access_token: str
    expires_at: float
    scope: str | None
    """Scopes Halo says it granted (space-separated), or None when the answer did not say."""

    def __repr__(self) -> str:
        return f"Token(expires_at={self.expires_at!r}, scope={self.scope!r})"


class TokenProvider:
    """Hands out a valid bearer token, fetching a new one when the cached one is near expiry."""

    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        auth_url: str = "",
        tenant: str = "",
        scope: str = "all",
        send: Sender,
        clock: Callable[[], float],
        config: str = "the configuration file",
    ) -> None:
        self._base_url = base_url
        self._client_id = client_id
        self._secret = Secret(client_secret)
        self._auth_url = auth_url.rstrip("/")
        self._tenant = tenant
        self._scope = scope
        self._send = send
        self._clock = clock
        self._config = config
        self._token: Token | None = None
        self._lock = threading.Lock()
        self.tokens_issued = 0

    def __repr__(self) -> str:
        return f"TokenProvider(client_id={self._client_id!r}, auth_url={self._auth_url!r}, tenant={self._tenant!r})"

    @property
    def auth_url(self) -> str:
        """The authorisation server (discovered on first use when not configured)."""
        return self._auth_url

    @property
    def tenant(self) -> str:
        return self._tenant

    @property
    def scope(self) -> str:
        """The scope requested (halo.scope)."""
        return self._scope

    @property
    def granted_scope(self) -> str | None:
        return self._token.scope if self._token else None

    def token(self) -> str:
        """A bearer token valid for at least the renewal margin."""
        with self._lock:
            token = self._token
            if token is None or self._clock() >= token.expires_at:
                token = self._token = self._fetch()
            return token.access_token

    def invalidate(self, access_token: str | None = None) -> None:
        """Forget the cached token (Halo refused it); the next `token()` fetches a fresh one."""
        with self._lock:
            if access_token is None or (self._token and self._token.access_token == access_token):
                self._token = None

    def try_scope(self, scope: str) -> str | None:
        """Scopes Halo would grant for ``scope`` (a separate, uncached token), or None if it refuses them."""
        with self._lock:
            try:
                return self._fetch(scope).scope or ""
            except HaloAuthError as exc:
                if exc.code == "halo.auth.invalid_scope":
                    return None
                raise

    # -- discovery -----------------------------------------------------------------------------------

    def _discover(self) -> None:
        """Ask ``{url}/api/authinfo`` where the authorisation server is; fall back to ``{url}/auth``."""
        if self._auth_url:
            return
        response = self._send("GET", f"{self._base_url}/api/authinfo", kind="token")
        info: Any = body_of(response.content) if response.status_code == 200 else None
        if isinstance(info, dict) and isinstance(info.get("auth_url"), str) and info["auth_url"].strip():
            self._auth_url = info["auth_url"].strip().rstrip("/")
            tenant_id = info.get("tenant_id")
            if not self._tenant and tenant_id not in (None, ""):
                self._tenant = str(tenant_id)  # NOTES 1.2: query tenant=<Tenant or tenant_id>
        else:
            self._auth_url = f"{self._base_url}/auth"

    # -- token ---------------------------------------------------------------------------------------

    def _fetch(self, scope: str | None = None) -> Token:
        self._discover()
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": str(self._secret),
            "scope": self._scope if scope is None else scope,
        }
        params = {"tenant": self._tenant} if self._tenant else None
        response = self._send("POST", f"{self._auth_url}/token", kind="token", data=form, params=params)
        body = body_of(response.content)
        if response.status_code != 200:
            raise self._error(response.status_code, body, form["scope"])
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str) or not body["access_token"]:
            raise HaloError(
                "halo.bad_response",
                method="POST",
                path=f"{self._auth_url}/token",
                detail="no access_token in the answer",
                config=self._config,
            )
        try:
            lifetime = float(body.get("expires_in") or DEFAULT_LIFETIME)
        except (TypeError, ValueError):
            lifetime = DEFAULT_LIFETIME
        # Renew RENEW_MARGIN early, but never spend more than half a (short) lifetime on the margin.
        margin = min(RENEW_MARGIN, lifetime / 2)
        self.tokens_issued += 1
        scope = body.get("scope")
        return Token(
            access_token=body["access_token"],
            expires_at=self._clock() + lifetime - margin,
            scope=scope if isinstance(scope, str) else None,
        )

    def _error(self, status: int, body: Any, scope: str) -> HaloError:
        detail = scrub(describe(body), str(self._secret))
        code = body.get("error") if isinstance(body, dict) else None
        text = f"{code or ''} {describe(body)}".lower()
        # [?] Halo's answer to an unknown ?tenant= is not recorded (NOTES section 14); any refusal that
        # mentions the tenant is taken as one.
        if self._tenant and "tenant" in text:
            return HaloTenantError(
                "halo.tenant_not_found", tenant=self._tenant, auth_url=self._auth_url, config=self._config
            )
        if code == "invalid_client" or (status == 401 and code in (None, "unauthorized_client")):
            return HaloAuthError("halo.auth.invalid_client", client_id=self._client_id, config=self._config)
        if code == "invalid_scope":
            return HaloAuthError("halo.auth.invalid_scope", scope=scope, config=self._config)
        return HaloAuthError(
            "halo.auth.failed", auth_url=self._auth_url, status=status, detail=detail, config=self._config
        )
