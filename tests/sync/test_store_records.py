"""Links, runs, held records and cursors: what each method stores and returns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.store import Held, Link, Run, Store


class Clock:
    """A clock that moves a second each time it is read."""

    def __init__(self) -> None:
        self.t = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:", clock=Clock()) as s:
        yield s


# links


def test_link_round_trip(store: Store) -> None:
    store.link("customer", "42", "80000001-1234567890", number="SMITH", fingerprint="f1")
    link = store.get_link("customer", "42")
    assert link == Link("customer", "42", "80000001-1234567890", "SMITH", "f1", "2026-11-25T09:00:01.000000+00:00")
    assert store.find_link("customer", ledger_ref="80000001-1234567890") == link
    assert store.get_link("item", "42") is None  # per kind
    assert store.find_link("invoice", ledger_ref="80000001-1234567890") is None


def test_link_upsert_updates_in_place(store: Store) -> None:
    store.link("item", "7", "A")
    store.link("item", "7", "B", number="n", fingerprint="f2")
    (link,) = store.links("item")
    assert (link.ledger_ref, link.number, link.fingerprint) == ("B", "n", "f2")
    assert store.find_link("item", ledger_ref="A") is None


def test_same_ledger_record_for_two_halo_records_is_refused(store: Store) -> None:
    store.link("customer", "1", "SMITH01")
    with pytest.raises(HaloAccountsError) as caught:
        store.link("customer", "2", "SMITH01")
    assert caught.value.code == "store.link_conflict"
    assert "SMITH01" in caught.value.message and "1" in caught.value.message
    assert store.get_link("customer", "2") is None
    store.link("invoice", "2", "SMITH01")  # another kind may reuse the reference


def test_links_are_listed_per_kind_and_unlinked(store: Store) -> None:
    store.link("tax", "2", "T2")
    store.link("tax", "1", "T1")
    store.link("payment", "1", "P1")
    assert [link.halo_id for link in store.links("tax")] == ["1", "2"]
    assert store.unlink("tax", "1") is True
    assert store.unlink("tax", "1") is False
    assert [link.halo_id for link in store.links("tax")] == ["2"]


def test_link_needs_a_reference(store: Store) -> None:
    with pytest.raises(ValueError):
        store.link("customer", "1", "")


# runs


def test_runs_newest_first_with_counts_and_options(store: Store) -> None:
    first = store.start_run("sync", {"only": ["invoices"], "dry_run": False})
    second = store.start_run("import", {})
    store.finish_run(first, "held", {"posted": 10, "held": 2})
    runs = store.runs()
    assert [r.id for r in runs] == [second, first]
    assert runs[1] == Run(
        first,
        "sync",
        "2026-11-25T09:00:01.000000+00:00",
        "2026-11-25T09:00:03.000000+00:00",
        "held",
        {"posted": 10, "held": 2},
        {"dry_run": False, "only": ["invoices"]},
    )
    assert runs[0].status == "running" and runs[0].finished is None
    assert store.runs(limit=1) == [runs[0]]
    assert store.get_run(first) == runs[1]


def test_run_status_and_id_checked(store: Store) -> None:
    run = store.start_run("sync", {})
    with pytest.raises(ValueError):
        store.finish_run(run, "done", {})
    with pytest.raises(ValueError):
        store.finish_run(run + 100, "ok", {})


def test_run_options_never_keep_secrets(store: Store) -> None:
    run = store.start_run("setup", {"client_secret": "hunter2", "url": "https://x"})
    (saved,) = store.runs()
    assert saved.id == run
    assert saved.options == {"client_secret": "***", "url": "https://x"}


# held


def test_hold_counts_attempts_and_keeps_first_seen(store: Store) -> None:
    store.hold("invoice", "5", "sync.tax_unmapped", "Tax code 'VAT20' has no match.", "Map it.", detail="line 1")
    store.hold("invoice", "5", "sync.name_too_long", "Name too long.", "Shorten it.")
    (held,) = store.held()
    assert held == Held(
        "invoice",
        "5",
        "sync.name_too_long",
        "Name too long.",
        "Shorten it.",
        "",
        "2026-11-25T09:00:01.000000+00:00",
        "2026-11-25T09:00:02.000000+00:00",
        2,
    )


def test_held_by_kind_and_released(store: Store) -> None:
    store.hold("invoice", "1", "c", "m", "f")
    store.hold("customer", "2", "c", "m", "f")
    store.hold("invoice", "3", "c", "m", "f")
    assert [(h.kind, h.halo_id) for h in store.held()] == [("invoice", "1"), ("customer", "2"), ("invoice", "3")]
    assert [h.halo_id for h in store.held("invoice")] == ["1", "3"]
    store.release("invoice", "1")
    store.release("invoice", "1")  # twice is fine
    store.release("invoice", "404")
    assert [h.halo_id for h in store.held("invoice")] == ["3"]
    store.hold("invoice", "1", "c", "m", "f")
    assert [h.attempts for h in store.held("invoice") if h.halo_id == "1"] == [1]  # counting starts again


# cursors


def test_cursor_round_trip(store: Store) -> None:
    assert store.get_cursor("payments.since") is None
    store.set_cursor("payments.since", "2026-11-01T00:00:00+00:00")
    store.set_cursor("payments.since", "2026-11-02T00:00:00+00:00")
    store.set_cursor("other", "x")
    assert store.get_cursor("payments.since") == "2026-11-02T00:00:00+00:00"
    assert store.get_cursor("other") == "x"


def test_timestamps_are_utc_iso_whatever_the_clock_zone() -> None:
    eastern = timezone(timedelta(hours=-5))
    with Store.open(":memory:", clock=lambda: datetime(2026, 11, 25, 4, 0, tzinfo=eastern)) as store:
        store.set_cursor("c", "1")
        store.link("customer", "1", "A")
        assert store.get_link("customer", "1").updated == "2026-11-25T09:00:00.000000+00:00"  # type: ignore[union-attr]
    with Store.open(":memory:") as store:
        stamp = datetime.fromisoformat(store.now())
        assert stamp.utcoffset() == timedelta(0)
        assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)
