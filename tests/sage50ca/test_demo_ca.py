"""`halo-accounts demo --ledger sage50ca`: the four tax cases end with Sage's totals and taxes equal to Halo's."""

from __future__ import annotations

import re
from decimal import Decimal

from typer.testing import CliRunner

from halo_accounts.cli import app
from halo_accounts.sandbox.sage50ca.halo_seed import CLIENTS


def test_the_demo_shows_each_tax_case_equal_on_both_sides() -> None:
    result = CliRunner().invoke(app, ["demo", "--ledger", "sage50ca", "--invoices", "80"], terminal_width=200)
    out = result.output
    assert result.exit_code == 0, out
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃]", line) if c.strip()]
        if cells and cells[0] in {c[0] for c in CLIENTS} and len(cells) == 7:
            rows[cells[0]] = cells
    assert set(rows) == {c[0] for c in CLIENTS}, out
    codes = {name: row[6] for name, row in rows.items()}
    assert codes == {"Maple Leaf Dental": "H", "Coastal Logistics Inc.": "GP", "Boulangerie Saint-Laurent": "GQ",
                     "Northern Lights Band Council": "E"}
    for name, (_, docs, halo_total, halo_tax, sage_total, sage_tax, _) in rows.items():
        halo_docs, sage_docs = docs.split(" / ")
        assert halo_docs == sage_docs and int(sage_docs) > 0, name
        assert Decimal(halo_total) == Decimal(sage_total) and Decimal(halo_tax) == Decimal(sage_tax), name
