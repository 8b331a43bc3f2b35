"""QuickBooks' clock, identifiers and timestamps: ListID/TxnID/EditSequence shapes and standard-time offsets.

Shapes follow the real responses: list ids ``80000001-1408037988`` (hex counter from 0x80000001, then the
creation epoch), transaction and line ids ``2F-1413895912`` (one hex counter shared by TxnID and TxnLineID),
EditSequence the epoch of the last change; timestamps carry the *standard-time* offset of the QuickBooks
machine even in summer (qbxml/real-responses/README.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

# real-responses/apotema-*.xml: first list id of a new file is 80000001.
LIST_ID_BASE = 0x80000001
# real-responses/apotema-InvoiceQueryRs-1.xml: the first TxnID of a file is "1-1408037988" (hex counter).
TXN_ID_BASE = 0x1


def standard_offset() -> timezone:
    """This machine's standard-time UTC offset (DST ignored, as QuickBooks writes it)."""
    return timezone(timedelta(seconds=-time.timezone))


class Clock:
    """Wall time for the company file; tests may pass their own ``now`` (epoch seconds)."""

    def __init__(self, now: Callable[[], float] | None = None, tz: timezone | None = None) -> None:
        self._now = now or time.time
        self.tz = tz or standard_offset()

    def epoch(self) -> float:
        return self._now()

    def stamp(self, epoch: float) -> str:
        """DATETIMETYPE as QuickBooks writes it: ``2014-10-21T10:51:52-02:00``."""
        return datetime.fromtimestamp(int(epoch), self.tz).isoformat()

    def today(self) -> str:
        return datetime.fromtimestamp(self.epoch(), self.tz).date().isoformat()

    def parse(self, text: str, *, end_of_day: bool = False) -> float:
        """Epoch of a DATETIMETYPE value; no offset means company local time.

        NOTES §3.5: a date without time is T00:00:00 for From and the end of that day for To.
        """
        text = text.strip()
        if "T" not in text:
            day = date.fromisoformat(text)
            base = datetime(day.year, day.month, day.day, tzinfo=self.tz)
            return (base + timedelta(days=1) - timedelta(seconds=1)).timestamp() if end_of_day else base.timestamp()
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.tz)
        return parsed.astimezone(UTC).timestamp()


def list_id(counter: int, epoch: float) -> str:
    return f"{LIST_ID_BASE + counter:X}-{int(epoch)}"


def txn_id(counter: int, epoch: float) -> str:
    return f"{TXN_ID_BASE + counter:X}-{int(epoch)}"


def next_edit_sequence(epoch: float, previous: str | None) -> str:
    """EditSequence after a change: the epoch, but always different from (and above) the previous one."""
    value = int(epoch)
    if previous is not None and previous.isdigit() and value <= int(previous):
        value = int(previous) + 1
    return str(value)
