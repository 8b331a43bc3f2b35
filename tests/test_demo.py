"""`halo-accounts demo`, the README's main command, runs to the end for each package and shows the story:
held with a fix, fixed, payments back, and a last run that posts nothing twice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from halo_accounts.cli import app
from halo_accounts.ledgers import registry
from halo_accounts.store import Store


@pytest.mark.parametrize("ledger", [p.kind for p in registry.packages() if p.demo])
def test_demo_runs_and_posts_nothing_twice(ledger: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--ledger", ledger, "--invoices", "120", "--keep", str(tmp_path)])
    out = result.output
    assert result.exit_code == 0, out
    assert "Everything" in out and "needs from Halo is in place" in out  # the check passed
    assert "Held" in out and "Fix:" in out  # the first sync held something, with its fix
    assert re.search(r"Third sync posted 0 records and used \d+ Halo requests", out), out
    assert "Traceback" not in out
    with Store.open(tmp_path / "halo-accounts.sqlite3") as store:
        runs = store.runs(20)
        assert runs and runs[0].status == "ok"
        assert not store.unconfirmed()
        paid = sum(r.counts.get("payment.paid", 0) for r in runs)
        assert paid >= 1  # payments keyed into the package came back to Halo


def test_demo_refuses_an_unknown_ledger() -> None:
    result = CliRunner().invoke(app, ["demo", "--ledger", "xero"])
    assert result.exit_code != 0
    assert "quickbooks" in result.output
