"""When the client tries again, and how long it waits: capped exponential back-off with jitter.

The rule that matters: a read may be repeated freely; a write (POST) is repeated only when Halo
provably never received it (the connection was never made) or provably refused it unprocessed (401, 429).
"""

from __future__ import annotations

import email.utils
import random
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

# reference/halo/NOTES.md section 11: homotechsual backs off 5 s x 2^n up to 60 s on 429; ProvisionData
# waits 60 s.
RATE_LIMIT_BASE = 5.0
RATE_LIMIT_CAP = 60.0
# The client gives up only after it has waited a whole rolling window (300 s on Halo-hosted tenants, NOTES
# section 11; `[halo] window_seconds`) plus this margin: by then every request that filled the window has left it,
# so a 429 still means someone else is using the budget (issue 8.7; 7 tries used to end after ~130-255 s).
RATE_LIMIT_MARGIN = 30.0
# A Retry-After longer than one Halo window (300 s, NOTES section 11) is not waited out: the run stops.
RETRY_AFTER_MAX = 300.0

# 5xx answers, timeouts and dropped connections: 1, 2, 4, 8, 16 s (our choice; Halo documents nothing).
TRANSIENT_BASE = 1.0
TRANSIENT_CAP = 30.0
TRANSIENT_ATTEMPTS = 6

#: Failures after which Halo cannot have received the request: safe to repeat even a POST.
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Failures after the request may have reached Halo: repeat reads, never writes.
MAYBE_SENT = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)


@dataclass
class Backoff:
    """Delay before try number ``attempt`` (1 = the first repeat): base * 2^(attempt-1), capped, with jitter."""

    base: float
    cap: float
    rng: random.Random

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.base * (2 ** max(0, attempt - 1)))
        return ceiling * (0.5 + 0.5 * self.rng.random())  # "equal jitter": never less than half the step


def retry_after(response: httpx.Response, *, now: datetime | None = None) -> float | None:
    """Seconds Halo asked us to wait (``Retry-After`` as seconds or an HTTP date), if it said."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
