"""The account reference scheme: <= 8 letters/digits, deterministic, collision-free; Halo's accountsid kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from halo_accounts.ledgers.port import RecordRejected
from halo_accounts.ledgers.sage50uk import references


@pytest.mark.parametrize(("name", "ref"), [
    ("Smith & Jones Ltd", "SMITH001"),
    ("The Acme Company Limited", "ACMEC001"),
    ("Café Zoë", "CAFEZ001"),
    ("A1", "A1000001"),
    ("Ltd", "LTD00001"),
    ("!!!", "CUST0001"),
    ("北京公司", "CUST0001"),
])
def test_first_candidate(name: str, ref: str) -> None:
    assert references.allocate(name, lambda r: False) == ref


def test_collisions_take_the_next_free_number() -> None:
    taken = {"SMITH001", "SMITH002"}
    assert references.allocate("Smith Brothers", taken.__contains__) == "SMITH003"


def test_exhausted_prefix_moves_to_four_letters_and_then_holds() -> None:
    taken = {f"SMITH{n:03d}" for n in range(1, 1000)}
    assert references.allocate("Smith", taken.__contains__) == "SMIT0001"
    with pytest.raises(RecordRejected) as err:
        references.allocate("Smith", lambda r: True)
    assert err.value.code == "sage.reference_exhausted"


@given(st.text(max_size=80))
def test_every_candidate_is_valid_and_deterministic(name: str) -> None:
    first = references.allocate(name, lambda r: False)
    assert references.is_valid(first) and len(first) <= 8
    assert first == references.allocate(name, lambda r: False)


@pytest.mark.parametrize(("ref", "code"), [
    ("C-00113", "sage.account_ref_invalid"), ("ABC 01", "sage.account_ref_spaces"),
    ("TOOLONG99", "sage.account_ref_invalid")])
def test_halo_accountsid_that_sage_cannot_hold_is_refused(ref: str, code: str) -> None:
    with pytest.raises(RecordRejected) as err:
        references.checked(ref)
    assert err.value.code == code
    assert "Accounts ID" in err.value.fix or "Client.accountsid" in err.value.fix


def test_halo_accountsid_is_uppercased() -> None:
    assert references.checked(" abs001 ") == "ABS001"
