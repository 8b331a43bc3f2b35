"""The journal: begin before sending, then confirm, fail or reconcile; batches; filters; secrets redacted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from halo_accounts.store import Confirmation, JournalEntry, NewEntry, Store, journal


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as s:
        yield s


def test_begin_then_confirm(store: Store) -> None:
    run = store.start_run("sync", {})
    entry = store.journal_begin(run, "ledger", "add", "invoice", "101", "INV00101", "<InvoiceAddRq/>")
    (pending,) = store.unconfirmed()
    assert (pending.id, pending.state, pending.run_id, pending.target) == (entry, "sent", run, "ledger")
    assert (pending.action, pending.kind, pending.halo_id, pending.key) == ("add", "invoice", "101", "INV00101")
    assert pending.request == "<InvoiceAddRq/>" and pending.response == ""
    store.journal_confirm(entry, response="<InvoiceRet/>", ledger_ref="1A-123", number="INV00101")
    assert store.unconfirmed() == []
    done = store.get_entry(entry)
    assert done is not None
    assert (done.state, done.response, done.ledger_ref, done.number) == (
        "confirmed",
        "<InvoiceRet/>",
        "1A-123",
        "INV00101",
    )
    assert done.created <= done.updated


def test_fail_records_code_and_message(store: Store) -> None:
    run = store.start_run("sync", {})
    entry = store.journal_begin(run, "halo", "update", "invoice", "5", "", '{"id": 5}')
    store.journal_fail(entry, response='{"error": "x"}', code="halo.validation", message="Bad field")
    got = store.get_entry(entry)
    assert got is not None
    assert (got.state, got.code, got.message, got.response) == (
        "failed",
        "halo.validation",
        "Bad field",
        '{"error": "x"}',
    )


@pytest.mark.parametrize(("found", "state"), [(True, "reconciled"), (False, "abandoned")])
def test_reconcile_after_a_crash(store: Store, found: bool, state: str) -> None:
    entry = store.journal_begin(None, "ledger", "add", "invoice", "1", "INV1", "<x/>")
    store.journal_reconciled(entry, found=found, ledger_ref="T1" if found else "")
    got = store.get_entry(entry)
    assert got is not None and got.state == state
    assert got.ledger_ref == ("T1" if found else "")


def test_only_a_sent_entry_can_be_settled(store: Store) -> None:
    entry = store.journal_begin(None, "ledger", "add", "invoice", "1", "", "")
    store.journal_confirm(entry)
    with pytest.raises(ValueError, match="confirmed"):
        store.journal_fail(entry, code="x")
    with pytest.raises(ValueError, match="confirmed"):
        store.journal_reconciled(entry, found=False)
    with pytest.raises(ValueError, match="no journal entry"):
        store.journal_confirm(entry + 1)
    got = store.get_entry(entry)
    assert got is not None and got.state == "confirmed"


def test_unknown_target_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.journal_begin(None, "printer", "add", "invoice", "1", "", "")


def test_unconfirmed_by_target_oldest_first(store: Store) -> None:
    a = store.journal_begin(None, "ledger", "add", "invoice", "1", "", "")
    b = store.journal_begin(None, "halo", "update", "invoice", "1", "", "")
    c = store.journal_begin(None, "ledger", "add", "invoice", "2", "", "")
    assert [e.id for e in store.unconfirmed()] == [a, b, c]
    assert [e.id for e in store.unconfirmed("ledger")] == [a, c]
    assert [e.id for e in store.unconfirmed("halo")] == [b]


def test_batches(store: Store) -> None:
    run = store.start_run("sync", {})
    ids = store.journal_begin_many(
        run, [NewEntry("ledger", "add", "invoice", str(i), f"INV{i}", f"<r{i}/>") for i in range(50)]
    )
    assert len(ids) == 50 and ids == sorted(ids)
    assert [e.halo_id for e in store.unconfirmed()] == [str(i) for i in range(50)]
    store.journal_confirm_many([Confirmation(e, f"<ok{e}/>", f"T{e}", f"N{e}") for e in ids[:49]])
    store.journal_confirm_many([(ids[49], "<ok/>")])  # plain tuples, trailing fields defaulted
    assert store.unconfirmed() == []
    last = store.get_entry(ids[49])
    assert last is not None and (last.response, last.ledger_ref) == ("<ok/>", "")
    assert store.journal_begin_many(run, []) == []


def test_entries_filtered_and_paged(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "PAGE", 7)  # several pages
    one = store.start_run("sync", {})
    two = store.start_run("sync", {})
    store.journal_begin_many(one, [("ledger", "add", "invoice", str(i), "", "") for i in range(20)])
    store.journal_begin_many(two, [("ledger", "add", "customer", str(i), "", "") for i in range(15)])
    store.journal_begin(two, "halo", "update", "invoice", "3", "", "")
    everything = list(store.journal_entries())
    assert len(everything) == 36
    assert [e.id for e in everything] == sorted(e.id for e in everything)
    assert all(isinstance(e, JournalEntry) for e in everything)
    assert len(list(store.journal_entries(run_id=one))) == 20
    assert len(list(store.journal_entries(run_id=two))) == 16
    assert len(list(store.journal_entries(kind="invoice"))) == 21
    assert [e.target for e in store.journal_entries(kind="invoice", halo_id="3")] == ["ledger", "halo"]
    assert [e.target for e in store.journal_entries(run_id=two, kind="invoice", halo_id="3")] == ["halo"]
    assert list(store.journal_entries(run_id=999)) == []


def test_entries_iterate_while_the_store_is_written(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "PAGE", 3)
    ids = store.journal_begin_many(None, [("ledger", "add", "invoice", str(i), "", "") for i in range(10)])
    seen = []
    for entry in store.journal_entries():
        seen.append(entry.id)
        if entry.state == "sent":
            store.journal_confirm(entry.id)  # the engine settles as it reads: no lock held between pages
    assert seen[:10] == ids
    assert store.unconfirmed() == []


def test_secrets_are_redacted_on_the_way_in(store: Store) -> None:
    entry = store.journal_begin(
        None, "halo", "token", "auth", "-", "", "grant_type=client_credentials&client_id=demo&client_secret=s3cr3t"
    )
    store.journal_confirm(entry, response='{"access_token": "eyJhbGciOi.abc.def", "expires_in": 3600}')
    failed = store.journal_begin(None, "ledger", "auth", "qbwc", "-", "", "<strPassword>pw1</strPassword>")
    store.journal_fail(failed, response="<strPassword>pw2</strPassword>", message="password=pw3 rejected")
    text = repr(list(store.journal_entries()))
    for secret in ("s3cr3t", "eyJhbGciOi", "pw1", "pw2", "pw3"):
        assert secret not in text
    got = store.get_entry(entry)
    assert got is not None
    assert got.request.endswith("client_secret=***")
    assert got.response == '{"access_token": "***", "expires_in": 3600}'


def test_begin_inside_a_transaction_is_durable_when_it_ends(store: Store) -> None:
    with store.transaction():
        store.journal_begin(None, "ledger", "add", "invoice", "1", "", "")
        assert store.in_transaction  # the engine must not send before the block ends
    assert not store.in_transaction
    assert len(store.unconfirmed()) == 1
