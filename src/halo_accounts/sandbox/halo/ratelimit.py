"""A rolling-window request counter: Halo's 300 requests per rolling 5 minutes (halo/NOTES.md §11 [C])."""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class RollingWindow:
    """At most ``limit`` accepted requests in any ``window`` seconds; refused requests are not counted [?]."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def admit(self, now: float | None = None) -> float:
        """0.0 if the request may go on (and count it); else seconds until a slot frees."""
        now = time.monotonic() if now is None else now
        with self._lock:
            while self._times and self._times[0] <= now - self.window:
                self._times.popleft()
            if len(self._times) < self.limit:
                self._times.append(now)
                return 0.0
            return max(0.001, self._times[0] + self.window - now)

    @staticmethod
    def retry_after(wait: float) -> str:
        """Whole seconds for a ``Retry-After`` header."""
        return str(max(1, math.ceil(wait)))
