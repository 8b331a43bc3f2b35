"""Fault injection for the Halo sandbox: latency, 5xx answers, dropped connections, 429 storms; seeded, repeatable."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Faults:
    """What goes wrong, and how often. Rates are shares of requests (0.0-1.0); ``seed`` makes the draws repeatable.

    ``drop_after_write``: a dropped POST is saved first, then the connection is cut (the "sent but not
    confirmed" case); otherwise a dropped request changes nothing. ``slow_rate``: a share of requests is
    processed (a POST is saved) and answered only after ``slow_seconds`` — past a client's timeout, that is
    a timeout after the work was done.
    """

    latency: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    storm_429: int = 0
    seed: int = 1
    error_status: int = 500
    drop_after_write: bool = False
    slow_rate: float = 0.0
    slow_seconds: float = 0.0


class Fault(Enum):
    NONE = "none"
    STORM_429 = "429"
    ERROR = "5xx"
    DROP = "drop"
    SLOW = "slow"


class FaultPlan:
    """Draws the fault for each request from the current `Faults`; thread-safe."""

    def __init__(self, faults: Faults | None = None) -> None:
        self._lock = threading.Lock()
        self.set(faults or Faults())

    def set(self, faults: Faults) -> None:
        with self._lock:
            self.faults = faults
            self._storm_left = faults.storm_429
            self._rng = random.Random(faults.seed)

    def draw(self) -> Fault:
        with self._lock:
            if self._storm_left > 0:
                self._storm_left -= 1
                return Fault.STORM_429
            f = self.faults
            if f.drop_rate <= 0 and f.error_rate <= 0 and f.slow_rate <= 0:
                return Fault.NONE
            roll = self._rng.random()
            if roll < f.drop_rate:
                return Fault.DROP
            if roll < f.drop_rate + f.error_rate:
                return Fault.ERROR
            if roll < f.drop_rate + f.error_rate + f.slow_rate:
                return Fault.SLOW
            return Fault.NONE
