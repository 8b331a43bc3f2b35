"""A process killed (SIGKILL) at any point leaves the store consistent: journalled writes stay, none half-done."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from halo_accounts.store import Store


def _run(script: str, path: Path) -> subprocess.Popen[str]:
    code = textwrap.dedent(script).replace("PATH", repr(str(path)))
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def test_unconfirmed_entries_survive_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    child = _run(
        """
        import time
        from halo_accounts.store import Store
        store = Store.open(PATH)
        run = store.start_run("sync", {"only": ["invoices"]})
        a = store.journal_begin(run, "ledger", "add", "invoice", "1", "INV00001", "<InvoiceAddRq>1</InvoiceAddRq>")
        b = store.journal_begin(run, "ledger", "add", "invoice", "2", "INV00002", "<InvoiceAddRq>2</InvoiceAddRq>")
        store.journal_confirm(a, response="<InvoiceRet/>", ledger_ref="TXN-1", number="INV00001")
        with store.transaction():
            store.journal_begin(run, "ledger", "add", "invoice", "3", "INV00003", "<never sent/>")
            print("sent", b, flush=True)  # the request for b is on the wire; 3 is not yet committed
            time.sleep(60)
        """,
        path,
    )
    assert child.stdout is not None
    line = child.stdout.readline().split()
    assert line[0] == "sent"
    child.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
    child.wait()
    with Store.open(path) as store:
        assert store.check() == []
        pending = store.unconfirmed()
        assert [(e.id, e.halo_id, e.key, e.state) for e in pending] == [(int(line[1]), "2", "INV00002", "sent")]
        assert pending[0].request == "<InvoiceAddRq>2</InvoiceAddRq>"
        states = {e.halo_id: e.state for e in store.journal_entries()}
        assert states == {"1": "confirmed", "2": "sent"}  # entry 3's transaction never committed
        (run,) = store.runs()
        assert run.status == "running" and run.finished is None
        # The next run reconciles it.
        store.journal_reconciled(pending[0].id, found=True, ledger_ref="TXN-2", number="INV00002")
        assert store.unconfirmed() == []


def test_kill_during_batches_leaves_each_batch_whole(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    batch = 50
    child = _run(
        f"""
        from halo_accounts.store import Store
        store = Store.open(PATH)
        run = store.start_run("sync", {{}})
        n = 0
        while True:
            ids = store.journal_begin_many(
                run, [("ledger", "add", "invoice", f"{{n}}-{{i}}", f"B{{n}}", "<x>" + "y" * 500 + "</x>")
                      for i in range({batch})])
            with store.transaction():
                store.journal_confirm_many([(e, "<ok/>", f"T{{e}}", "") for e in ids])
                store.set_cursor("batches", str(n))
            if n == 0:
                print("going", flush=True)
            n += 1
        """,
        path,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "going"
    time.sleep(0.3)  # let it write for a while, then pull the plug mid-stream
    child.kill()
    child.wait()
    with Store.open(path) as store:
        assert store.check() == []
        sizes: dict[str, list[str]] = {}
        for entry in store.journal_entries():
            sizes.setdefault(entry.key, []).append(entry.state)
        assert len(sizes) >= 2
        for key, states in sizes.items():
            assert len(states) == batch, key  # a batch is all there or not at all
            assert len(set(states)) == 1, key  # and all confirmed, or all still sent
        done = int(store.get_cursor("batches") or -1)
        confirmed = sorted(int(k[1:]) for k, s in sizes.items() if s[0] == "confirmed")
        assert confirmed == list(range(done + 1))  # the cursor moved with the confirmations, never apart
