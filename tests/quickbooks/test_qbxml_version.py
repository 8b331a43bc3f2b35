"""qbXML version and edition come from what QuickBooks reports, never above what it supports."""

from __future__ import annotations

import pytest

from halo_accounts.ledgers.port import LedgerError
from halo_accounts.ledgers.quickbooks.qbxml import version


def test_default_is_13_when_nothing_reported() -> None:
    assert version.choose_version() == (13, 0)


def test_16_when_offered() -> None:
    supported = [f"{v}.0" for v in range(1, 17)]
    assert version.choose_version(supported) == (16, 0)
    assert version.choose_version(highest=(16, 0)) == (16, 0)
    assert version.choose_version(highest=(17, 0)) == (16, 0)


def test_13_when_16_not_offered() -> None:
    assert version.choose_version(["1.0", "12.0", "13.0"]) == (13, 0)
    assert version.choose_version(["13.0", "14.0", "15.0"]) == (13, 0)
    assert version.choose_version(highest=(15, 0)) == (13, 0)


def test_never_above_what_the_host_supports() -> None:
    with pytest.raises(LedgerError) as info:
        version.choose_version(["1.0", "11.0", "12.0"])  # QuickBooks Accountant 2013
    assert info.value.code == "qb.version.too_old"
    assert "12.0" in info.value.message and "2014" in info.value.fix
    with pytest.raises(LedgerError):
        version.choose_version(highest=(5, 0))


def test_parse_and_format() -> None:
    assert version.parse_version("13.0") == (13, 0)
    assert version.parse_version("CA3.0") == (3, 0)
    assert version.parse_version("x") is None
    assert version.format_version((13, 0), "UK") == "13.0"  # [?] no locale prefix (VERSION_PREFIX)


@pytest.mark.parametrize(("country", "product", "edition"), [
    ("US", "QuickBooks Pro 2014", "US"),
    ("CA", "", "CA"),
    ("UK", "", "UK"),
    ("GB", "", "UK"),
    ("AU", "", "AU"),
    ("", "QuickBooks Premier Canadian Edition 2020", "CA"),
    ("", "QuickBooks Accountant 2019 UK", "UK"),
    ("", "QuickBooks Pro 2014", None),
])
def test_edition_from_host(country: str, product: str, edition: str | None) -> None:
    assert version.edition_from(country, product) == edition


def test_tables_cover_every_edition() -> None:
    for edition in ("US", "UK", "CA", "AU"):
        assert edition in version.VERSION_PREFIX
        assert edition in version.ITERATORS
        assert edition in version.EDITION_CURRENCY


def test_currency_code() -> None:
    assert version.currency_code("", "UK") == "GBP"
    assert version.currency_code("US Dollar", "CA") == "USD"
    assert version.currency_code("Euro", "UK") == "EUR"
    assert version.currency_code("Martian Credit", "AU") == "AUD"
