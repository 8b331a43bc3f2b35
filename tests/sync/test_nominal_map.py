"""A Halo nominal code mapped to another package account (the console's Mappings) resolves to that account."""

from __future__ import annotations

from halo_accounts.ledgers.port import Account, LedgerInfo
from halo_accounts.sync.context import Context, LedgerIndex
from halo_accounts.sync.limits import limits_for


def _ctx(nominal_map: dict[str, str]) -> Context:
    empty = LedgerIndex(loader=lambda: iter(()), ref_of=str, name_of=str)
    return Context(control={}, info=LedgerInfo(kind="quickbooks", edition="UK"), limits=limits_for("quickbooks"),
                   tax_codes={}, accounts=[Account("4100", "Services"), Account("4000", "Sales")], halo_taxes={},
                   tax_map={}, customers=empty, products=empty, nominal_map=nominal_map)


def test_a_mapped_nominal_code_is_the_account_it_was_mapped_to() -> None:
    assert _ctx({}).account("4040") is None
    found = _ctx({"4040": "4100"}).account("4040")
    assert found is not None and found.code == "4100"
    assert _ctx({"4040": "4100"}).account("4000").code == "4000"  # type: ignore[union-attr]
