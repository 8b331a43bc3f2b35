"""`run --every 15m --window 19:00-07:00`: the long-running service loop, with pause and resume.

Pausing is a flag file (works the same on Windows and elsewhere): while it exists, due runs are skipped.
The clock and the sleep are injected so the loop is tested without waiting.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import time as dtime
from pathlib import Path

from halo_accounts.errors import HaloAccountsError

log = logging.getLogger("halo_accounts.sync.scheduler")

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: Shortest interval allowed: Halo allows 300 requests per 5 minutes (halo/NOTES.md §11); runs closer than a
#: minute apart would only queue behind each other.
MIN_INTERVAL_SECONDS = 60


def parse_interval(value: str) -> float:
    """``"15m"`` -> 900.0 (units s, m, h, d; a bare number is minutes)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value or "", re.IGNORECASE)
    if not m:
        raise HaloAccountsError("sync.interval_invalid", value=value)
    seconds = float(m.group(1)) * _UNITS[(m.group(2) or "m").lower()]
    if seconds <= 0:
        raise HaloAccountsError("sync.interval_invalid", value=value)
    return max(seconds, float(MIN_INTERVAL_SECONDS))


@dataclass(frozen=True)
class Window:
    """A daily time window; it may cross midnight (19:00-07:00)."""

    start: dtime
    end: dtime

    def contains(self, moment: datetime) -> bool:
        now = moment.time()
        if self.start <= self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_window(value: str) -> Window:
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", value or "")
    if not m:
        raise HaloAccountsError("sync.window_invalid", value=value)
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) == (h2, m2):
        raise HaloAccountsError("sync.window_invalid", value=value)
    return Window(dtime(h1, m1), dtime(h2, m2))


class Scheduler:
    """Calls ``job()`` every ``every`` seconds (inside ``window`` when given), unless paused."""

    def __init__(self, job: Callable[[], object], every: float, *, window: Window | None = None,
                 pause_file: Path | None = None, now: Callable[[], datetime] = datetime.now,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.job = job
        self.every = every
        self.window = window
        self.pause_file = pause_file
        self.now = now
        self.sleep = sleep
        self.stopped = False

    @property
    def paused(self) -> bool:
        return self.pause_file is not None and self.pause_file.exists()

    def due(self) -> str:
        """"" when a run may start now, else why not."""
        if self.paused:
            return f"paused ({self.pause_file} exists)"
        if self.window is not None and not self.window.contains(self.now()):
            return f"outside the window {self.window}"
        return ""

    def loop(self, max_ticks: int | None = None) -> int:
        """Run until stopped (or ``max_ticks`` intervals); the number of runs made."""
        runs = ticks = 0
        while not self.stopped and (max_ticks is None or ticks < max_ticks):
            reason = self.due()
            if reason:
                log.info("not running: %s", reason)
            else:
                started = time.monotonic()
                try:
                    self.job()
                except HaloAccountsError as exc:  # reported by the job; the service keeps going
                    log.error("run failed: %s", exc)
                runs += 1
                log.debug("run took %.1fs", time.monotonic() - started)
            ticks += 1
            if max_ticks is not None and ticks >= max_ticks:
                break
            self.sleep(self.every)
        return runs


def pause(pause_file: Path) -> None:
    pause_file.parent.mkdir(parents=True, exist_ok=True)
    pause_file.write_text("paused\n", encoding="utf-8")


def resume(pause_file: Path) -> bool:
    if pause_file.exists():
        pause_file.unlink()
        return True
    return False
