"""Modified-date window paging: how a query is read in pages where iterators are switched off. Free of I/O.

NOTES §3.4 plans it: iterator use outside the US is [?], so reads fall back to date-window paging. The planner
walks consecutive ``From/ToModifiedDate`` windows (bare on list queries, ``ModifiedDateRangeFilter`` on
transaction queries, NOTES §3.5), each read with ``MaxReturned`` as a guard. A window that comes back full
(count == MaxReturned) may hold more than was returned, so its answer is thrown away and it is read again
smaller; only windows that came back with fewer than MaxReturned are handed on. Consecutive windows overlap by
`EDGE` so that nothing on a boundary is lost whichever way QuickBooks treats the bounds; the caller drops the
duplicates (`DateWindows.fresh`).

No history is cut off: a read without a start (``since=None``) first sends no ``FromModifiedDate`` at all;
`HISTORY_FLOOR` only serves to compute where to split such a window, and the last window never has a
``ToModifiedDate``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from halo_accounts.ledgers.port import LedgerUnavailable

HISTORY_FLOOR = datetime(1970, 1, 2, tzinfo=UTC)
"""NOTES §3.5: modified dates are valid from 1970-01-01 (one day's margin for the company's time zone). Used only
to compute split points of a window that has no start; such a window is sent without FromModifiedDate."""
HISTORY_CEILING = datetime(2038, 1, 19, 3, 14, 7, tzinfo=UTC)
"""NOTES §3.5: modified dates are valid up to 2038-01-19T03:14:07. Split point base for windows beyond `now`."""
FUTURE_SLACK = timedelta(days=2)
"""[?] How far past our clock QuickBooks' TimeModified may lie (workstation clock, standard-time offset;
NOTES §3.5, §8.5). Only affects where open windows are split; the last window is open-ended anyway."""
EDGE = timedelta(seconds=1)
"""NOTES §8.5 [?]: whether From/ToModifiedDate are inclusive is unknown. TimeModified has whole seconds
(NOTES §3.3), so windows sharing one second cover every combination; duplicates are dropped."""
MIN_SPAN = timedelta(seconds=2)
"""The narrowest window: at 2 s a window overlapping its predecessor by `EDGE` still moves forward."""
GROWTH = 16
"""A full window whose records all lie within `MIN_SPAN` (a bulk import) is re-read with MaxReturned doubled, up
to this multiple of the page size, rather than split second by second; beyond it the read stops with
``qb.query.too_dense`` instead of skipping anything."""


@dataclass(frozen=True)
class Window:
    """One read: modified from ``start`` to ``end`` (None = unbounded on that side), at most ``max_returned``."""

    start: datetime | None
    end: datetime | None
    max_returned: int


class DateWindows:
    """The window plan of one query. ``window`` is the next read (None when done); report its result with
    `feed`, which says whether the records are complete for that window (hand them on) or must be re-read."""

    def __init__(self, since: datetime | None, page: int, now: datetime, what: str = "records") -> None:
        if page < 1:
            raise ValueError("page size must be at least 1 (NOTES §4.3 MaxReturned min value = 1)")
        self._start = _aware(since) if since is not None else None
        self._span: timedelta | None = None  # None: up to the end (first try: everything in one read)
        self._page = page
        self._max = page
        self._now = _aware(now)
        self._what = what
        self._done = False
        self._previous: set[str] = set()

    @property
    def window(self) -> Window | None:
        if self._done:
            return None
        return Window(self._start, self._end(), self._max)

    def _floor(self) -> datetime:
        return self._start if self._start is not None else HISTORY_FLOOR

    def _end(self) -> datetime | None:
        if self._span is None:
            return None
        end = self._floor() + self._span
        return None if end >= self._now + FUTURE_SLACK else end

    def _notional_end(self) -> datetime:
        end = self._end()
        if end is not None:
            return end
        horizon = self._now + FUTURE_SLACK
        return horizon if horizon - self._floor() > MIN_SPAN else max(HISTORY_CEILING, self._floor() + MIN_SPAN)

    def feed(self, count: int, stamps: Sequence[datetime] = ()) -> bool:
        """The current window returned ``count`` records modified at ``stamps`` (their TimeModified, where
        known). True: the window is complete, use its records. False: discard them, read `window` again."""
        if self._done:
            raise RuntimeError("no window is open")
        if count != self._max:  # fewer: complete. More: MaxReturned was not applied, so nothing was cut off either
            end = self._end()
            if end is None:
                self._done = True
            else:
                self._start = end - EDGE
                if count * 2 < self._max and self._span is not None:
                    self._span *= 2  # sparse: widen the next window
            self._max = self._page
            return True
        width = self._notional_end() - self._floor()
        known = [_aware(s) for s in stamps]
        bulk = len(known) == count and bool(known) and max(known) - min(known) <= MIN_SPAN
        if (bulk or width <= MIN_SPAN) and self._max < self._page * GROWTH:
            self._max *= 2
            return False
        if width <= MIN_SPAN:
            raise LedgerUnavailable("qb.query.too_dense", what=self._what, count=self._max,
                                    seconds=int(MIN_SPAN.total_seconds()), when=self._floor().isoformat())
        self._span = max(MIN_SPAN, timedelta(seconds=int(width.total_seconds()) // 2))
        return False

    def fresh(self, keys: Iterable[str]) -> list[bool]:
        """For the records of a complete window (by ListID/TxnID): False for those already handed on with the
        previous window (the `EDGE` overlap). Call once per complete window, in order. A record without a key
        ("") is always handed on: a duplicate is harmless downstream, a skip is not."""
        keys = list(keys)
        flags = [not k or k not in self._previous for k in keys]
        self._previous = set(keys)
        return flags


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
