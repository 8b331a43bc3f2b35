"""A rolling-window request budget that keeps the client under Halo's rate limit.

Hosted Halo answers 429 "Rate Limit Reached - 300 Requests per rolling 5 minute window"
(reference/halo/NOTES.md section 11). The budget waits *before* a request that would exceed the limit.

A request occupies the window from the moment it is sent until ``window`` seconds after its answer
arrived: Halo counts it at some moment in between, so counting it by its *completion* time means Halo
can never see more than ``limit`` requests in any window of its own, whatever the network latency.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# NOTES section 11 [C]: "Rate Limit Reached - 300 Requests per rolling 5 minute window" (hosted Halo).
DEFAULT_LIMIT = 300
DEFAULT_WINDOW = 300.0


class RequestBudget:
    """At most ``limit`` requests in any rolling ``window`` seconds; `slot()` waits for room."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._done: deque[float] = deque()  # completion times, oldest first
        self._in_flight = 0
        self._cond = threading.Condition()
        self.waited = 0.0
        """Total seconds spent waiting for room (for benchmarks and logs)."""

    def _prune(self, now: float) -> None:
        while self._done and self._done[0] <= now - self.window:
            self._done.popleft()

    def in_window(self) -> int:
        """Requests that still count against the window (in flight or answered less than ``window`` ago)."""
        with self._cond:
            self._prune(self._clock())
            return len(self._done) + self._in_flight

    def _acquire(self) -> None:
        while True:
            with self._cond:
                now = self._clock()
                self._prune(now)
                if len(self._done) + self._in_flight < self.limit:
                    self._in_flight += 1
                    return
                if not self._done:  # every slot is held by a request still in flight (other threads)
                    self._cond.wait(timeout=0.05)
                    continue
                wait = self._done[0] + self.window - now
            wait = max(wait, 0.001)
            self.waited += wait
            self._sleep(wait)

    def _release(self) -> None:
        with self._cond:
            self._in_flight -= 1
            self._done.append(self._clock())
            self._cond.notify()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one request's place in the window while the request is sent and answered."""
        self._acquire()
        try:
            yield
        finally:
            self._release()
