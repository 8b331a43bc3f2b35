"""Date-window paging where iterators are off (qbxml/windows.py; NOTES §3.4 plan): nothing is skipped, whatever
QuickBooks does with the window bounds, and a full answer is never taken as complete."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import LedgerUnavailable
from halo_accounts.ledgers.quickbooks.qbxml.windows import GROWTH, HISTORY_FLOOR, DateWindows, Window

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def serve(records: list[tuple[str, datetime]], window: Window, *, from_inclusive: bool, to_inclusive: bool,
          rng: random.Random) -> list[tuple[str, datetime]]:
    """A QuickBooks stand-in: the records modified inside ``window`` (bounds as told), in no particular order,
    at most MaxReturned of them."""
    def inside(when: datetime) -> bool:
        if window.start is not None and (when < window.start or (when == window.start and not from_inclusive)):
            return False
        return not (window.end is not None and (when > window.end or (when == window.end and not to_inclusive)))

    hits = [r for r in records if inside(r[1])]
    rng.shuffle(hits)
    return hits[: window.max_returned]


def read_all(records: list[tuple[str, datetime]], page: int, since: datetime | None = None, *,
             from_inclusive: bool = True, to_inclusive: bool = True, seed: int = 1) -> tuple[list[str], int]:
    """Drive the planner like the ledger does; the keys handed on, and the number of reads."""
    plan = DateWindows(since, page, NOW)
    rng = random.Random(seed)
    out: list[str] = []
    reads = 0
    while (window := plan.window) is not None:
        reads += 1
        assert reads < 10_000, "the plan does not end"
        got = serve(records, window, from_inclusive=from_inclusive, to_inclusive=to_inclusive, rng=rng)
        assert window.max_returned >= 1
        if plan.feed(len(got), [when for _, when in got]):
            keys = [key for key, _ in got]
            out += [k for k, new in zip(keys, plan.fresh(keys), strict=True) if new]
    return out, reads


stamps = st.one_of(
    st.datetimes(min_value=datetime(1999, 1, 1), max_value=datetime(2026, 11, 26, 23, 0)),  # spread out
    st.integers(0, 5).map(lambda s: datetime(2026, 11, 1, 9, 0, s)),  # bulk imports: many in a few seconds
).map(lambda d: d.replace(microsecond=0, tzinfo=UTC))


@settings(max_examples=150, deadline=None)
@given(st.lists(stamps, max_size=120), st.integers(1, 12), st.booleans(), st.booleans(), st.integers(0, 99))
def test_every_record_is_handed_on_exactly_once(when: list[datetime], page: int, from_inclusive: bool,
                                                to_inclusive: bool, seed: int) -> None:
    records = [(f"T{i}", w) for i, w in enumerate(when)]
    try:
        keys, _ = read_all(records, page, from_inclusive=from_inclusive, to_inclusive=to_inclusive, seed=seed)
    except LedgerUnavailable as exc:  # more than page*GROWTH in one couple of seconds: stop, never skip
        assert exc.code == "qb.query.too_dense"
        assert max(sum(1 for _, w in records if abs((w - t).total_seconds()) <= 2) for _, t in records) > page * 2
        return
    assert sorted(keys) == sorted(k for k, _ in records)  # none skipped, none twice


@settings(max_examples=60, deadline=None)
@given(st.lists(stamps, max_size=60), st.integers(1, 8), st.booleans(), st.booleans())
def test_since_reads_everything_modified_from_then(when: list[datetime], page: int, from_inclusive: bool,
                                                   to_inclusive: bool) -> None:
    since = datetime(2026, 1, 1, tzinfo=UTC)
    records = [(f"T{i}", w) for i, w in enumerate(when)]
    try:
        keys, _ = read_all(records, page, since, from_inclusive=from_inclusive, to_inclusive=to_inclusive)
    except LedgerUnavailable:
        return
    wanted = {k for k, w in records if w > since}
    assert wanted <= set(keys) and len(keys) == len(set(keys))
    assert set(keys) <= {k for k, w in records if w >= since}


def test_a_small_read_is_one_unbounded_request() -> None:
    plan = DateWindows(None, 100, NOW)
    assert plan.window == Window(None, None, 100)  # no FromModifiedDate: no history cut off
    assert plan.feed(99) is True and plan.window is None


def test_a_full_answer_is_never_taken_as_complete() -> None:
    plan = DateWindows(None, 3, NOW)
    spread = [datetime(2020, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC), NOW]
    assert plan.feed(3, spread) is False  # full: re-read smaller
    window = plan.window
    assert window is not None and window.start is None and window.end is not None
    assert window.end < NOW and window.end > HISTORY_FLOOR


def test_a_bulk_import_grows_the_page_instead_of_splitting_by_seconds() -> None:
    plan = DateWindows(None, 5, NOW)
    second = [datetime(2026, 11, 1, 9, 0, 0, tzinfo=UTC)] * 5
    assert plan.feed(5, second) is False
    assert plan.window == Window(None, None, 10)
    assert plan.feed(7) is True and plan.window is None


def test_too_many_in_one_second_stops_rather_than_skips() -> None:
    instant = datetime(2026, 11, 1, 9, 0, 0, tzinfo=UTC)
    records = [(f"T{i}", instant) for i in range(2 * GROWTH + 1)]
    with pytest.raises(LedgerUnavailable) as info:
        read_all(records, 1)
    assert info.value.code == "qb.query.too_dense"
    assert isinstance(info.value, HaloAccountsError) and info.value.fix


def test_windows_overlap_by_one_second_and_drop_the_duplicates() -> None:
    records = [(f"T{d}", datetime(2026, 6, 1, tzinfo=UTC) + timedelta(days=d)) for d in range(40)]
    keys, reads = read_all(records, 4, datetime(2026, 5, 1, tzinfo=UTC))
    assert sorted(keys) == sorted(k for k, _ in records)
    assert reads > 10  # paged: 4 at most per read


def test_an_answer_larger_than_max_returned_was_not_cut_off() -> None:
    """MaxReturned outside the US is [?] (NOTES §3.4): a QuickBooks that ignores it returned everything."""
    plan = DateWindows(None, 5, NOW)
    assert plan.feed(9) is True and plan.window is None


def test_page_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        DateWindows(None, 0, NOW)
