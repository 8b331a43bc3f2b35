"""Typed errors of the Halo client, and the mapping from Halo's error answers to them.

Halo's error bodies come in several shapes (reference/halo/NOTES.md section 11); `describe` and
`validation_fields` read all of them so that a message can quote what Halo said.
"""

from __future__ import annotations

import json
import re
from typing import Any

from halo_accounts.errors import HaloAccountsError

#: Longest piece of a Halo answer quoted in a message (keeps messages readable).
DETAIL_MAX = 300


class HaloError(HaloAccountsError):
    """Anything that went wrong talking to Halo.

    ``saved`` holds what Halo confirmed saving from the same `HaloClient.save` call before the failure
    (earlier chunks), so the caller can record those and hold only the rest.
    """

    saved: list[dict[str, Any]]

    def __init__(self, code: str, **params: object) -> None:
        self.saved = []
        super().__init__(code, **params)


class HaloAuthError(HaloError):
    """The client id/secret, scope or token was refused."""


class HaloTenantError(HaloError):
    """The hosted tenant named in the settings does not exist."""


class HaloPermissionError(HaloError):
    """Halo answered 403: the API application (or its agent) lacks a permission."""

    @property
    def scope(self) -> str:
        return str(self.params.get("scope", ""))


class HaloValidationError(HaloError):
    """Halo answered 400 to a save: ``fields`` maps Halo's field paths to its complaints."""

    def __init__(
        self, code: str, *, fields: dict[str, list[str]] | None = None, detail: str = "", **params: object
    ) -> None:
        self.fields: dict[str, list[str]] = dict(fields or {})
        super().__init__(code, fields=summarise_fields(self.fields) or detail or "no details given", **params)


class HaloRateLimited(HaloError):
    """Halo kept answering 429 beyond the client's patience."""


class HaloUnavailable(HaloError):
    """Halo could not be reached, or a write was sent and not confirmed (``unconfirmed`` is then true)."""

    @property
    def unconfirmed(self) -> bool:
        return self.code == "halo.write_unconfirmed"


class HaloNotFound(HaloError):
    """Halo answered 404."""


def body_of(content: bytes) -> Any:
    """The JSON of an error answer, else its text (Halo sometimes answers plain text)."""
    text = content.decode("utf-8", errors="replace").strip()
    if not text:
        return ""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


def _as_messages(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    if isinstance(value, dict):
        text = value.get("errorMessage") or value.get("message") or value.get("Message")
        return [str(text)] if text else [json.dumps(value)]
    return [str(value)] if value not in (None, "") else []


# Keys that carry a human message rather than a field name, in the shapes seen
# (NOTES section 11: {resultCode, errorMessage}, {ClassName, Message}, {Message}, {error}, ProblemDetails).
_MESSAGE_KEYS = ("errorMessage", "error_description", "Message", "message", "detail", "title", "error")
_NON_FIELD_KEYS = {
    "resultCode",
    "ClassName",
    "type",
    "status",
    "traceId",
    "instance",
    "StackTraceString",
    *_MESSAGE_KEYS,
}


def validation_fields(body: Any) -> dict[str, list[str]]:
    """Field path -> complaints from an ASP.NET-style 400 body (``{"[0].id": ["..."]}``, ``{"errors": {...}}``)."""
    if not isinstance(body, dict):
        return {}
    if isinstance(body.get("errors"), dict):  # ASP.NET Core ProblemDetails
        return {str(k): _as_messages(v) for k, v in body["errors"].items()}
    return {str(k): _as_messages(v) for k, v in body.items() if k not in _NON_FIELD_KEYS}


def describe(body: Any) -> str:
    """One line saying what Halo said, whatever the shape of its answer."""
    if isinstance(body, dict):
        for key in _MESSAGE_KEYS:
            value = body.get(key)
            if isinstance(value, str) and value:
                extra = body.get("error_description") if key == "error" else None
                return _shorten(f"{value}: {extra}" if isinstance(extra, str) and extra else value)
        fields = validation_fields(body)
        if fields:
            return _shorten(summarise_fields(fields))
        return _shorten(json.dumps(body))
    if isinstance(body, list):
        return _shorten("; ".join(describe(b) for b in body[:3]))
    text = str(body)
    if "<html" in text.lower():
        return "an HTML page"
    return _shorten(text) or "no details"


def summarise_fields(fields: dict[str, list[str]]) -> str:
    parts = []
    for name, complaints in fields.items():
        parts.append(f"{name}: {' '.join(complaints)}" if complaints else name)
    return "; ".join(parts)


_INDEX = re.compile(r"^\[(\d+)\](.*)$")


def shift_indexes(fields: dict[str, list[str]], offset: int) -> dict[str, list[str]]:
    """Renumber ``[i].field`` paths of one chunk so they index the whole batch the caller passed."""
    if not offset:
        return dict(fields)
    out: dict[str, list[str]] = {}
    for name, complaints in fields.items():
        match = _INDEX.match(name)
        out[f"[{int(match.group(1)) + offset}]{match.group(2)}" if match else name] = complaints
    return out


def scrub(text: str, *secrets: str) -> str:
    """``text`` with every secret replaced by ***."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
