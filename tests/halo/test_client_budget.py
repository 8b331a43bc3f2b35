"""The request budget and back-off rules, on a fake clock: no request beyond the window, waits as promised."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime

import httpx
import pytest

from halo_accounts.halo.budget import RequestBudget
from halo_accounts.halo.retry import RATE_LIMIT_BASE, RATE_LIMIT_CAP, Backoff, retry_after


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_budget_never_lets_more_than_limit_into_a_window() -> None:
    clock = FakeClock()
    budget = RequestBudget(5, 10.0, clock=clock, sleep=clock.sleep)
    sent: list[float] = []
    for _ in range(23):
        with budget.slot():
            sent.append(clock.now)
            clock.now += 0.25  # each request takes 0.25 s to answer
    for start in sent:
        assert sum(1 for t in sent if start <= t < start + 10.0) <= 5
    # 23 requests at 5 per 10 s need at least 4 full windows of waiting
    assert sent[-1] - sent[0] >= 40.0
    assert budget.waited == pytest.approx(sum(clock.slept))


def test_budget_counts_a_request_from_its_answer_not_its_sending() -> None:
    clock = FakeClock()
    budget = RequestBudget(2, 10.0, clock=clock, sleep=clock.sleep)
    with budget.slot():
        clock.now += 3.0  # a slow answer
    answered = clock.now
    with budget.slot():
        pass
    with budget.slot():  # third request must wait until 10 s after the first *answer*
        assert clock.now >= answered + 10.0


def test_budget_does_not_wait_when_under_the_limit() -> None:
    clock = FakeClock()
    budget = RequestBudget(300, 300.0, clock=clock, sleep=clock.sleep)
    for _ in range(300):
        with budget.slot():
            pass
    assert clock.slept == []
    assert budget.in_window() == 300


def test_budget_counts_requests_still_in_flight_on_other_threads() -> None:
    budget = RequestBudget(1, 0.2)
    inside = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with budget.slot():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    inside.wait(5)
    assert budget.in_window() == 1
    got: list[bool] = []
    second = threading.Thread(target=lambda: (budget._acquire(), got.append(True)))
    second.start()
    second.join(0.1)
    assert got == []  # blocked while the first request is unanswered
    release.set()
    worker.join(5)
    second.join(5)
    assert got == [True]


def test_budget_rejects_nonsense_limits() -> None:
    with pytest.raises(ValueError):
        RequestBudget(0, 10.0)


def test_backoff_doubles_with_jitter_and_stops_at_the_cap() -> None:
    backoff = Backoff(RATE_LIMIT_BASE, RATE_LIMIT_CAP, random.Random(7))
    delays = [backoff.delay(n) for n in range(1, 9)]
    for n, d in enumerate(delays, start=1):
        step = min(RATE_LIMIT_CAP, RATE_LIMIT_BASE * 2 ** (n - 1))
        assert step / 2 <= d <= step
    assert max(delays) <= RATE_LIMIT_CAP
    assert len(set(delays)) == len(delays)  # jittered


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after(httpx.Response(429, headers={"Retry-After": "7"})) == 7.0
    assert retry_after(httpx.Response(429)) is None
    assert retry_after(httpx.Response(429, headers={"Retry-After": "soon"})) is None
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    header = {"Retry-After": "Wed, 25 Nov 2026 12:00:30 GMT"}
    assert retry_after(httpx.Response(429, headers=header), now=now) == pytest.approx(30.0)
