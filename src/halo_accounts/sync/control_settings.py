"""Halo's `Control` settings for one run. Halo may give them only to an admin application (halo/NOTES.md §9 [I]);
when it refuses, the run goes on with the copy kept from the last read, with `[halo.control]` from the config on
top, and says so once (issue 8.6)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from halo_accounts.errors import HaloAccountsError
from halo_accounts.halo import models
from halo_accounts.halo.errors import HaloPermissionError
from halo_accounts.messages import render

log = logging.getLogger(__name__)

#: The store cursor that keeps the last Control read (secrets left out, see `_keepable`).
CURSOR = "halo.control"
#: Never kept in the store: Halo's Control carries package passwords (sage50password, NOTES §9).
_SECRET_MARKERS = ("password", "secret", "token")


@dataclass
class ControlRead:
    control: models.Control
    source: str
    """"halo" when read now; else "stored", "config" or "stored and config"."""
    notice: str = ""
    """Empty when read now; else the one line telling the user which settings the run used."""


def _keepable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not any(m in k.lower() for m in _SECRET_MARKERS)}


def read(halo: Any, store: Any, configured: dict[str, Any] | None = None, *, keep: bool = True) -> ControlRead:
    """Control from Halo (kept in the store when ``keep``), else the fallback; neither -> a message with the fix."""
    configured = dict(configured or {})
    try:
        control = halo.control()
    except HaloPermissionError as exc:
        raw = store.get_cursor(CURSOR) if store is not None else None
        try:
            stored: dict[str, Any] = json.loads(raw) if raw else {}
        except ValueError:  # a damaged copy is no copy
            stored = {}
        if not stored and not configured:
            raise HaloAccountsError("sync.control_refused", detail=exc.message) from None
        source = " and ".join(n for n, have in (("stored", stored), ("config", configured)) if have)
        try:
            control = models.Control.model_validate({**stored, **configured})
        except ValueError as bad:  # pydantic's ValidationError: a [halo.control] value of the wrong type
            first = bad.errors()[0] if hasattr(bad, "errors") else {}
            field = ".".join(str(p) for p in first.get("loc", ())) or "?"
            raise HaloAccountsError("sync.control_config_invalid", field=field,
                                    detail=first.get("msg", bad)) from None
        when = store.cursor_updated(CURSOR) if stored else None
        text, fix = render("sync.control_fallback", source=_describe(source, when), detail=exc.message)
        notice = f"{text} {fix}"
        log.warning("%s", notice)
        return ControlRead(control, source, notice)
    if keep and store is not None:
        store.set_cursor(CURSOR, json.dumps(_keepable(control.model_dump(mode="json", exclude_none=True))))
    return ControlRead(control, "halo")


def _describe(source: str, when: str | None) -> str:
    parts = []
    if "stored" in source:
        parts.append(f"the settings read from Halo {'at ' + when if when else 'last time'}")
    if "config" in source:
        parts.append("[halo.control] in the configuration")
    return " with ".join(parts)
