"""Logging as text or JSON lines (`settings.log.format`), on stderr; secrets never reach a record."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

#: Values that look like credentials are masked in every record (tokens, secrets, passwords).
_SECRET = re.compile(r"(?i)((?:client_secret|password|access_token|refresh_token|authorization)[\"']?\s*[:=]\s*"
                     r"[\"']?(?:bearer\s+)?)([^\s\"'&,}]+)")


def scrub(text: str) -> str:
    return _SECRET.sub(lambda m: m.group(1) + "***", text)


class _Scrub(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds"),
                               "level": record.levelname.lower(), "logger": record.name,
                               "message": record.getMessage()}
        if record.exc_info:
            out["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(out)


def configure(fmt: str = "text", level: str = "info") -> None:
    """Send halo_accounts' logs to stderr as text or JSON."""
    handler = logging.StreamHandler()
    handler.addFilter(_Scrub())
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("halo_accounts")
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
