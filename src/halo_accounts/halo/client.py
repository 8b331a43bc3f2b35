"""`HaloClient`: the one way the program talks to Halo's REST API.

Every request goes through the request budget (`budget.RequestBudget`) and the retry rules
(`retry`): reads and token calls are repeated on 429, 5xx, timeouts and dropped connections; a write is
repeated only when Halo cannot have received it, otherwise `HaloUnavailable` ("write unconfirmed") lets
the sync engine reconcile before anything is sent again. A 401 fetches one fresh token and tries once more.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from halo_accounts import __version__
from halo_accounts.errors import HaloAccountsError
from halo_accounts.halo import models, paging
from halo_accounts.halo.auth import TokenProvider
from halo_accounts.halo.budget import DEFAULT_LIMIT, DEFAULT_WINDOW, RequestBudget
from halo_accounts.halo.errors import (
    HaloAuthError,
    HaloError,
    HaloNotFound,
    HaloPermissionError,
    HaloRateLimited,
    HaloUnavailable,
    HaloValidationError,
    body_of,
    describe,
    scrub,
    shift_indexes,
    validation_fields,
)
from halo_accounts.halo.permissions import permission_for
from halo_accounts.halo.retry import (
    MAYBE_SENT,
    NEVER_SENT,
    RATE_LIMIT_BASE,
    RATE_LIMIT_CAP,
    RATE_LIMIT_MARGIN,
    RETRY_AFTER_MAX,
    TRANSIENT_ATTEMPTS,
    TRANSIENT_BASE,
    TRANSIENT_CAP,
    Backoff,
    retry_after,
)
from halo_accounts.secrets import Secret

if TYPE_CHECKING:
    from halo_accounts.config import Settings

log = logging.getLogger("halo_accounts.halo")

# No documented limit on the length of a POST array [?]; 100 matches the page size Halo serves
# (NOTES section 3) and keeps one failed chunk small.
SAVE_CHUNK = 100

#: Record types `save` writes (path names under /api; NOTES sections 4-10).
ENTITIES = ("Client", "Site", "Item", "Tax", "Invoice", "InvoicePayment")

M = TypeVar("M", bound=models.HaloModel)


def _json_default(value: Any) -> Any:
    if isinstance(value, models.HaloModel):
        return value.halo()
    if isinstance(value, Decimal | datetime | date):
        return models.to_halo(value)
    raise TypeError(f"cannot send {type(value).__name__} to Halo")


def _base(url: str) -> str:
    """``https://acme.halopsa.com`` from what a user may paste (trailing slash, the /api resource path)."""
    url = url.strip().rstrip("/")
    if url.lower().endswith("/api"):
        url = url[:-4]
    return url


class HaloClient:
    """Halo's REST API: token handling, paging, batch writes, the request budget and typed errors."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        auth_url: str = "",
        tenant: str = "",
        scope: str = "all",
        requests_per_window: int = DEFAULT_LIMIT,
        window_seconds: float = DEFAULT_WINDOW,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        config: str = "the configuration file",
    ) -> None:
        self.base_url = _base(base_url)
        if not self.base_url.lower().startswith(("http://", "https://")):
            raise HaloAccountsError(
                "config.invalid",
                field="halo.url",
                detail=f"'{base_url}' does not start with https://",
                path=config,
                section="halo",
                env="HALO_ACCOUNTS_HALO_URL",
            )
        self._api = self.base_url + "/api"
        self._secret = Secret(client_secret)
        self._config = config
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._budget = RequestBudget(requests_per_window, window_seconds, clock=clock, sleep=sleep)
        self._window = float(window_seconds)
        self._http = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": f"halo-accounts/{__version__}", "Accept": "application/json"},
        )
        self._auth = TokenProvider(
            base_url=self.base_url,
            client_id=client_id,
            client_secret=client_secret,
            auth_url=auth_url,
            tenant=tenant,
            scope=scope,
            send=self._send,
            clock=clock,
            config=config,
        )
        self.client_id = client_id
        self._count = 0
        self.retries = 0
        """Requests repeated after a 429, 5xx, timeout or dropped connection."""
        self.rate_limited = 0
        """429 answers received."""
        self.backoff_seconds = 0.0
        """Seconds spent backing off before repeats (the budget's own waits are `budget.waited`)."""

    @classmethod
    def from_settings(cls, settings: Settings, *, scope: str | None = None, **kwargs: Any) -> HaloClient:
        """A client for ``settings.halo``; the secret comes from the environment or the OS keyring.

        ``scope`` overrides halo.scope (e.g. "all admin" for the first import of tax rates).
        """
        from halo_accounts.config import require
        from halo_accounts.secrets import get_secret

        halo = settings.halo
        return cls(
            require(settings, "halo.url"),
            require(settings, "halo.client_id"),
            get_secret("halo.client_secret") or "",
            auth_url=halo.auth_url,
            tenant=halo.tenant,
            scope=halo.scope if scope is None else scope,
            requests_per_window=halo.requests_per_window,
            window_seconds=halo.window_seconds,
            timeout=halo.timeout_seconds,
            config=settings.source or "the configuration file",
            **kwargs,
        )

    def __repr__(self) -> str:
        return f"HaloClient({self.base_url!r}, client_id={self.client_id!r})"

    def __enter__(self) -> HaloClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- what callers see ------------------------------------------------------------------------------

    @property
    def request_count(self) -> int:
        """Requests sent so far, token and discovery requests and repeats included."""
        return self._count

    @property
    def budget(self) -> RequestBudget:
        return self._budget

    @property
    def auth_url(self) -> str:
        return self._auth.auth_url

    @property
    def tenant(self) -> str:
        return self._auth.tenant

    @property
    def scope(self) -> str:
        """The scope this client asks Halo for (halo.scope)."""
        return self._auth.scope

    def try_scope(self, scope: str) -> str | None:
        """What Halo would grant if asked for ``scope`` (None if refused); the client's own token is kept."""
        return self._auth.try_scope(scope)

    @property
    def granted_scope(self) -> str | None:
        """Scopes Halo said it granted with the current token (None if it did not say)."""
        return self._auth.granted_scope

    @property
    def tokens_issued(self) -> int:
        return self._auth.tokens_issued

    def authenticate(self) -> None:
        """Get a token now (raises the auth/tenant errors early)."""
        self._auth.token()

    def control(self) -> models.Control:
        body = self.request("GET", "Control")
        if isinstance(body, list):  # NOTES section 3: wrapper of /Control unknown
            body = body[0] if body else {}
        return self._model(models.Control, body, "Control")

    def clients(self, **filters: Any) -> Iterator[models.Client]:
        return self._paged(models.Client, "Client", filters)

    def sites(self, client_id: int | None = None, **filters: Any) -> Iterator[models.Site]:
        return self._paged(models.Site, "Site", {"client_id": client_id, **filters})

    def items(self, **filters: Any) -> Iterator[models.Item]:
        """Every item, inactive ones too unless ``includeinactive=False``: an old invoice may use an item since
        made inactive, and must not be held for it (issue 8.7; halo/NOTES.md §3 `includeinactive`)."""
        return self._paged(models.Item, "Item", {"includeinactive": True, **filters})

    def taxes(self) -> list[models.Tax]:
        body = self.request("GET", "Tax")
        return [self._model(models.Tax, row, "Tax") for row in paging.rows_of(body, "taxes")]

    def invoices(
        self,
        *,
        notpostedonly: bool | None = None,
        postedonly: bool | None = None,
        includelines: bool = True,
        includecredits: bool = True,
        includeinvoices: bool = True,
        client_id: int | None = None,
        **filters: Any,
    ) -> Iterator[models.Invoice]:
        """Invoices and credit notes, paged. Do not change the filtered set while iterating (e.g. mark
        ``notpostedonly`` invoices posted): later pages would shift; collect the ids first."""
        params = {
            "notpostedonly": notpostedonly,
            "postedonly": postedonly,
            "includelines": includelines,
            "includecredits": includecredits,
            "includeinvoices": includeinvoices,
            "client_id": client_id,
            **filters,
        }
        return self._paged(models.Invoice, "Invoice", params)

    def invoice(self, invoice_id: int) -> models.Invoice:
        """One invoice with its lines (``GET /Invoice/{id}`` answers the bare object, NOTES section 2)."""
        body = self.request("GET", f"Invoice/{int(invoice_id)}", params={"includedetails": "true"})
        return self._model(models.Invoice, body, "Invoice")

    def payments(self, *, invoice_id: int | None = None, **filters: Any) -> Iterator[models.InvoicePayment]:
        return self._paged(models.InvoicePayment, "InvoicePayment", {"invoice_id": invoice_id, **filters})

    def save(self, entity: str, records: Sequence[Mapping[str, Any] | models.HaloModel]) -> list[dict[str, Any]]:
        """Create (no ``id``) or update (with ``id``) records by POSTing JSON arrays of `SAVE_CHUNK`.

        Returns what Halo answered, one dict per saved record. On failure the error's ``saved`` holds what
        earlier chunks saved; a chunk whose answer was lost raises `HaloUnavailable` (``unconfirmed``).
        """
        if entity not in ENTITIES:
            raise HaloError("halo.bad_entity", entity=entity, allowed=", ".join(ENTITIES))
        rows = [r.halo() if isinstance(r, models.HaloModel) else dict(r) for r in records]
        saved: list[dict[str, Any]] = []
        for start in range(0, len(rows), SAVE_CHUNK):
            chunk = rows[start : start + SAVE_CHUNK]
            try:
                body = self.request("POST", entity, json=chunk, offset=start)
            except HaloError as exc:
                exc.saved = saved
                raise
            for row in paging.saved_rows(body):
                if row.get("_warning"):  # NOTES section 2: saved, with a non-fatal server-side warning
                    log.warning("Halo saved %s %s with a warning: %s", entity, row.get("id"), row["_warning"])
                saved.append(row)
        return saved

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        offset: int = 0,
    ) -> Any:
        """One API call on ``/api/<path>``: the decoded JSON answer (None when empty), or a typed error.

        ``offset`` renumbers ``[i].field`` paths of a validation error (position of a chunk in a batch).
        """
        method = method.upper()
        path = path.strip("/")
        url = f"{self._api}/{path}"
        kind = "read" if method == "GET" else "write"
        content = None
        headers: dict[str, str] = {}
        count = 0
        if json is not None:
            content = _dumps(json)
            headers["Content-Type"] = "application/json"
            count = len(json) if isinstance(json, list) else 1
        query = paging.query(params or {})
        refreshed = False
        while True:
            token = self._auth.token()
            response = self._send(
                method,
                url,
                kind=kind,
                params=query or None,
                content=content,
                headers={**headers, "Authorization": f"Bearer {token}"},
                entity=path,
                count=count,
            )
            if response.status_code == 401 and not refreshed:
                # NOTES section 1.2: one fresh token and one retry after a 401 (never a loop). A 401 is
                # refused before anything is saved, so this is safe for writes too.
                log.info("Halo refused the token for %s %s; fetching a fresh one", method, path)
                self._auth.invalidate(token)
                refreshed = True
                continue
            if response.is_success:
                return self._decode(response, method, path)
            raise self._error(response, method, path, offset)

    # -- internals ------------------------------------------------------------------------------------

    def _paged(self, model: type[M], path: str, filters: Mapping[str, Any]) -> Iterator[M]:
        params = paging.query(filters)
        key = paging.list_key(path)
        for row in paging.pages(lambda p: self.request("GET", path, params=p), params, key):
            yield self._model(model, row, path)

    def _model(self, model: type[M], row: Any, path: str) -> M:
        try:
            return model.model_validate(row)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "the record"
            rid = row.get("id") if isinstance(row, dict) else None
            raise HaloError(
                "halo.bad_response",
                method="GET",
                path=path,
                detail=f"{path} {rid if rid is not None else ''} field {where}: {err['msg']}".replace("  ", " "),
                config=self._config,
            ) from None

    def _decode(self, response: httpx.Response, method: str, path: str) -> Any:
        if not response.content.strip():
            return None
        try:
            return response.json()
        except ValueError:
            raise HaloError(
                "halo.bad_response",
                method=method,
                path=path,
                detail=describe(body_of(response.content)) or "not JSON",
                config=self._config,
            ) from None

    def _error(self, response: httpx.Response, method: str, path: str, offset: int) -> HaloError:
        status = response.status_code
        body = body_of(response.content)
        detail = scrub(describe(body), str(self._secret))
        if status == 401:
            return HaloAuthError("halo.auth.rejected", method=method, path=path)
        if status == 403:
            scope, action = permission_for(method, path)
            return HaloPermissionError("halo.permission_missing", scope=scope, action=action, detail=detail)
        if status == 400 and method != "GET":
            fields = shift_indexes(validation_fields(body), offset)
            entity = path.split("/")[0]
            return HaloValidationError("halo.validation", fields=fields, detail=detail, entity=f"{entity} records")
        if status == 404:
            parts = path.split("/")
            if len(parts) > 1 and parts[-1].isdigit():
                return HaloNotFound("halo.record_not_found", entity=parts[0], record_id=parts[-1])
            return HaloNotFound(
                "halo.endpoint_not_found", url=str(response.request.url.copy_with(query=None)), config=self._config
            )
        return HaloError("halo.http_error", status=status, method=method, path=path, detail=detail)

    def _send(
        self,
        method: str,
        url: str,
        *,
        kind: str,
        params: Mapping[str, str] | None = None,
        data: dict[str, str] | None = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        entity: str = "",
        count: int = 0,
    ) -> httpx.Response:
        """Send through the budget; repeat what may be repeated (see the module docstring)."""
        transient = Backoff(TRANSIENT_BASE, TRANSIENT_CAP, self._rng)
        limited = Backoff(RATE_LIMIT_BASE, RATE_LIMIT_CAP, self._rng)
        failures = 0
        refusals = 0
        limited_for = 0.0  # seconds waited on 429s for this request
        shown = url.split("?")[0]
        while True:
            try:
                with self._budget.slot():
                    self._count += 1
                    response = self._http.request(
                        method, url, params=params, data=data, content=content, headers=headers
                    )
            except NEVER_SENT as exc:
                failures += 1
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                if failures >= TRANSIENT_ATTEMPTS:
                    raise HaloUnavailable(
                        "halo.unavailable",
                        url=self.base_url,
                        detail=scrub(reason, str(self._secret)),
                        config=self._config,
                    ) from None
                self._wait(transient.delay(failures), f"{method} {shown}: {reason}")
                continue
            except MAYBE_SENT as exc:
                reason = type(exc).__name__
                if kind == "write":
                    raise HaloUnavailable(
                        "halo.write_unconfirmed", count=count, entity=entity, detail=f"{reason} after sending"
                    ) from None
                failures += 1
                if failures >= TRANSIENT_ATTEMPTS:
                    raise HaloUnavailable(
                        "halo.unavailable", url=self.base_url, detail=reason, config=self._config
                    ) from None
                self._wait(transient.delay(failures), f"{method} {shown}: {reason}")
                continue
            except httpx.HTTPError as exc:  # e.g. an unsupported URL scheme or a TLS failure
                raise HaloUnavailable(
                    "halo.unavailable", url=self.base_url, detail=f"{type(exc).__name__}: {exc}", config=self._config
                ) from None
            status = response.status_code
            log.debug("%s %s -> %s", method, shown, status)
            if status == 429:
                # A 429 comes from the rate limiter before any work [I], so even a write may be repeated.
                refusals += 1
                asked = retry_after(response)
                if limited_for >= self._window + RATE_LIMIT_MARGIN or (asked is not None and asked > RETRY_AFTER_MAX):
                    wait = f" (Halo asked to wait {asked:.0f} s)" if asked is not None else ""
                    raise HaloRateLimited("halo.rate_limited", attempts=refusals, wait=wait, config=self._config)
                self.rate_limited += 1
                delay = asked * (1 + 0.1 * self._rng.random()) if asked is not None else limited.delay(refusals)
                limited_for += delay
                self._wait(delay, f"{method} {shown}: rate limit reached (429)")
                continue
            if status >= 500:
                if kind == "write":
                    raise HaloUnavailable("halo.write_unconfirmed", count=count, entity=entity, detail=f"HTTP {status}")
                failures += 1
                if failures >= TRANSIENT_ATTEMPTS:
                    raise HaloUnavailable(
                        "halo.unavailable",
                        url=self.base_url,
                        detail=f"HTTP {status} {response.reason_phrase}",
                        config=self._config,
                    )
                asked = retry_after(response)
                self._wait(max(asked or 0.0, transient.delay(failures)), f"{method} {shown}: HTTP {status}")
                continue
            return response

    def _wait(self, seconds: float, why: str) -> None:
        log.warning("Halo: %s; trying again in %.1f s", why, seconds)
        self.retries += 1
        self.backoff_seconds += seconds
        self._sleep(seconds)


def _dumps(value: Any) -> bytes:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True)
    return json.dumps(value, default=_json_default, separators=(",", ":")).encode("utf-8")
