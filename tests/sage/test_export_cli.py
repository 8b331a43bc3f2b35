"""`halo-accounts export sage50uk | confirm | list` end to end: the real CLI, configured from the environment, the
real Halo client over HTTP to the Halo sandbox, a real store. Each invoice is exported once (again only when
asked), and marked posted in Halo once, when its batch is confirmed."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from sage_world import FAST, sage_seed

from halo_accounts.cli import app
from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.sage50uk.csv_export import AUDIT_COLUMNS, CSV_ENCODING, CUSTOMER_COLUMNS
from halo_accounts.sandbox.halo import HaloSandbox
from halo_accounts.store import Store

BAD_REF_CLIENT, BAD_REF, GOOD_REF = 2, "OBRIEN S", "OBRIENS"
"""A client whose Accounts ID Sage cannot hold (a space: sage/NOTES.md §1.6), and the fix."""


@pytest.fixture
def halo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HaloSandbox]:
    seed = sage_seed(40, n_clients=8)
    seed["clients"][BAD_REF_CLIENT - 1]["accountsid"] = BAD_REF
    with HaloSandbox(seed, rate_limit=FAST) as sandbox:
        monkeypatch.setenv("HALO_ACCOUNTS_HALO_URL", sandbox.url)
        monkeypatch.setenv("HALO_ACCOUNTS_HALO_CLIENT_ID", "demo")
        monkeypatch.setenv("HALO_ACCOUNTS_HALO_CLIENT_SECRET", "demo-secret")
        monkeypatch.setenv("HALO_ACCOUNTS_STORE_PATH", str(tmp_path / "store.sqlite3"))
        monkeypatch.setenv("HALO_ACCOUNTS_LEDGER_KIND", "sage50uk")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no user's config file is read
        yield sandbox


def cli(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(CSV_ENCODING))))


def waiting(sandbox: HaloSandbox) -> set[str]:
    """Numbers of the invoices that should go: not posted, approved, client neither excluded nor held."""
    export = sandbox.export()
    skip = {c["id"] for c in export["clients"] if c.get("excludefrominvoicesync") or " " in c["accountsid"]}
    return {i["invoicenumber"] for i in export["invoices"] if not i["posted"] and i["client_id"] not in skip
            and not i.get("requires_approval")}


def invoice_posts(sandbox: HaloSandbox) -> int:
    return int(sandbox.stats()["by_path"].get("POST /api/invoice", 0))


def test_export_once_again_on_request_confirm_once(halo: HaloSandbox, tmp_path: Path) -> None:
    out = tmp_path / "out"
    want = waiting(halo)
    first = cli("export", "sage50uk", "--out", str(out))
    assert first.exit_code == 1, first.output  # the client whose Accounts ID Sage cannot hold is held
    assert "Held" in first.output and BAD_REF in first.output
    assert "Shortened" in first.output  # the 64-character client name, cut to Sage's 60 (sage/NOTES.md §2.2)
    batch1 = out / "batch-1"
    audit = rows(batch1 / "audit_trail.csv")
    assert {r[5] for r in audit} == want  # column F, Reference = Halo's invoice number (sage/NOTES.md §2.1)
    assert all(len(r) == len(AUDIT_COLUMNS) and r[0] in ("SI", "SC") for r in audit)
    customers = rows(batch1 / "customers.csv")
    assert customers and all(len(r) == len(CUSTOMER_COLUMNS) and len(r[0]) <= 8 for r in customers)
    assert {r[1] for r in audit} <= {r[0] for r in customers}
    assert (batch1 / "products.csv").stat().st_size > 0
    for path in [batch1, *batch1.iterdir()]:  # owner-only (TEAM rules)
        assert path.stat().st_mode & 0o077 == 0, path
    assert not list(out.glob("*.partial"))

    second = cli("export", "sage50uk", "--out", str(out))
    assert second.exit_code == 1 and "Nothing to export" in second.output and "--again" in second.output
    assert BAD_REF in second.output  # still held, still said
    assert sorted(p.name for p in out.iterdir()) == ["batch-1"]

    third = cli("export", "sage50uk", "--out", str(out), "--again")
    batch = next(p for p in out.iterdir() if p.name != "batch-1")
    assert {r[5] for r in rows(batch / "audit_trail.csv")} == want
    assert batch.name in third.output
    number = batch.name.split("-")[1]
    listed = cli("export", "list")
    assert listed.exit_code == 0 and "exported" in listed.output and "confirmed" not in listed.output
    assert invoice_posts(halo) == 0  # nothing is marked posted before the user confirms

    confirmed = cli("export", "confirm", number)
    assert confirmed.exit_code == 0, confirmed.output
    assert f"{len(want)} invoices marked posted" in confirmed.output
    after = {i["invoicenumber"]: i for i in halo.export()["invoices"]}
    assert all(after[n]["posted"] and after[n]["thirdpartyinvoicenumber"] == n and after[n]["dateposted"]
               for n in want)
    clients = {c["id"]: c for c in halo.export()["clients"]}
    assert {r[1] for r in audit} <= {c["accountsid"] for c in clients.values()}  # Accounts IDs written back
    assert clients[BAD_REF_CLIENT]["accountsid"] == BAD_REF  # a held client's is left alone
    posts = invoice_posts(halo)
    assert posts >= 1

    for again in (("export", "confirm", number), ("export", "confirm", "1")):
        repeat = cli(*again)
        assert repeat.exit_code == 0 and "0 invoices marked posted" in repeat.output
        assert f"{len(want)} were already marked" in repeat.output
    assert invoice_posts(halo) == posts  # confirmed twice: no second write-back
    with Store.open(tmp_path / "store.sqlite3") as store:
        marks = [e for e in store.journal_entries() if e.action == "mark_posted"]
        assert sorted(e.key for e in marks) == sorted(want) and all(e.state == "confirmed" for e in marks)
    listed = cli("export", "list")
    assert "confirmed" in listed.output
    assert "Nothing to export" in cli("export", "sage50uk", "--out", str(out), "--again").output


def test_fixed_record_goes_in_the_next_batch(halo: HaloSandbox, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cli("export", "sage50uk", "--out", str(out))
    from halo_accounts.halo import HaloClient

    with HaloClient(halo.url, "demo", "demo-secret") as client:  # the fix the held message gave
        client.save("Client", [{"id": BAD_REF_CLIENT, "accountsid": GOOD_REF}])
    result = cli("export", "sage50uk", "--out", str(out))
    assert result.exit_code == 0, result.output
    audit = rows(out / "batch-2" / "audit_trail.csv")
    expected = {i["invoicenumber"] for i in halo.export()["invoices"] if i["client_id"] == BAD_REF_CLIENT
                and not i["posted"] and not i.get("requires_approval")}
    assert expected and {r[5] for r in audit} == expected and {r[1] for r in audit} == {GOOD_REF}
    assert rows(out / "batch-2" / "customers.csv") == []  # a client with an Accounts ID is already in Sage


def test_unknown_batch_is_a_clear_error(halo: HaloSandbox) -> None:
    with pytest.raises(HaloAccountsError) as caught:
        cli("export", "confirm", "42")
    assert caught.value.code == "sync.export_batch_unknown"
    assert "export list" in caught.value.fix


def test_confirm_killed_after_halo_saved_is_settled_not_resent(halo: HaloSandbox, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    cli("export", "sage50uk", "--out", str(out))
    want = waiting(halo)

    class Killed(BaseException):
        """Stands in for the process dying between Halo's answer and the store's record of it."""

    real = Store.journal_confirm_many

    def die_after_send(self: Store, confirmations: Any) -> None:
        if any(e.action == "mark_posted" and e.state == "sent" for e in self.unconfirmed("halo")):
            raise Killed
        real(self, confirmations)

    monkeypatch.setattr(Store, "journal_confirm_many", die_after_send)
    with pytest.raises(Killed):
        cli("export", "confirm", "1")
    monkeypatch.setattr(Store, "journal_confirm_many", real)
    posts = invoice_posts(halo)
    assert posts == 1 and all(i["posted"] for i in halo.export()["invoices"] if i["invoicenumber"] in want)
    again = cli("export", "confirm", "1")
    assert again.exit_code == 0 and f"{len(want)} were already marked" in again.output
    assert invoice_posts(halo) == posts  # found in Halo, not sent again
    with Store.open(tmp_path / "store.sqlite3") as store:
        assert not store.unconfirmed()
        assert {e.state for e in store.journal_entries() if e.action == "mark_posted"} == {"reconciled"}
        assert all(store.get_link(e.kind, e.halo_id) for e in store.journal_entries() if e.action == "export")
