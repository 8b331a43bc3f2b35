"""Names that lose characters to Latin-1 (NOTES §3.2: QuickBooks keeps "?" for them) get a stable, unique
prefix~digest name computed from the original, so two different clients never both become "??" (3100)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from halo_accounts.ledgers.port import Customer, Product
from halo_accounts.ledgers.quickbooks import QuickBooksLedger
from halo_accounts.ledgers.quickbooks.qbxml import build, status
from halo_accounts.ledgers.quickbooks.qbxml.envelope import document
from halo_accounts.ledgers.quickbooks.qbxml.text import FIELDS, LOST_DIGEST_CHARS, SHORTEN_MARK, fit, loses_characters
from halo_accounts.sandbox.quickbooks import Company
from refpaths import QBXML_XSD_13

LOST = ["北京科技", "上海科技", "深圳网络", "广州云", "Café 东京 Ltd", "Москва IT", "Ωmega Σystems"]
"""Wholly or partly outside Latin-1 (Greek capitals and Cyrillic have no Latin-1 look-alike either)."""


@pytest.fixture
def ledger(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[QuickBooksLedger]:
    edition = getattr(request, "param", "UK")
    company = Company(tmp_path / "c.qbw", edition=edition, validate_schema=QBXML_XSD_13)
    try:
        yield QuickBooksLedger(company)
    finally:
        company.close()


def test_detects_lost_characters_only() -> None:
    assert all(loses_characters(n) for n in LOST)
    assert not any(loses_characters(n) for n in ("Zoë & Co", "Who? Ltd", "Łódź Services", "“Quoted” – Ltd"))


@pytest.mark.parametrize("edition", ["US", "UK", "CA", "AU"])
def test_lost_names_are_distinct_stable_and_fit(edition: str) -> None:
    names = [fit("Customer.Name", n, edition) for n in LOST]
    values = [f.value for f in names]
    assert len(set(values)) == len(LOST)  # no two become "????"
    assert values == [fit("Customer.Name", n, edition).value for n in LOST]  # deterministic
    for f in names:
        assert f.shortened and len(f.value) <= FIELDS["Customer.Name"].limit_for(edition)
        prefix, tail = f.value.rsplit(SHORTEN_MARK, 1)
        assert re.fullmatch(f"[A-Z2-7]{{{LOST_DIGEST_CHARS}}}", tail), tail  # base32 digest of the original
        assert prefix and all(ord(c) < 256 for c in f.value)  # Latin-1: QuickBooks stores it as sent
    assert values[0].startswith("????" + SHORTEN_MARK)
    assert values[4].startswith("Café ?? Ltd" + SHORTEN_MARK)
    long = fit("Item.Name", "管理服务 " * 20, edition)
    assert len(long.value) <= FIELDS["Item.Name"].limit_for(edition) and SHORTEN_MARK in long.value
    # whitespace differences in Halo do not make a different QuickBooks name (names are compared collapsed)
    assert fit("Customer.Name", " 北京科技 ", edition).value == values[0]


def test_names_that_keep_their_characters_are_unchanged() -> None:
    assert fit("Customer.Name", "Zoë & Co <Ltd>", "UK").value == "Zoë & Co <Ltd>"
    assert fit("Customer.Name", "Who? Ltd", "UK").value == "Who? Ltd"


@pytest.mark.parametrize("ledger", ["UK", "US"], indirect=True)
def test_several_such_clients_are_created_and_found_again(ledger: QuickBooksLedger) -> None:
    made = [ledger.create_customer(Customer(name=n)) for n in LOST]  # no 3100 "name already in use"
    assert len({c.ref for c in made}) == len({c.name for c in made}) == len(LOST)
    for name, created in zip(LOST, made, strict=True):
        found = ledger.find_customer(name=name)
        assert found is not None and found.ref == created.ref
    with pytest.raises(status.NameInUse):  # the same client again: the same name, no silent duplicate
        ledger.create_customer(Customer(name=LOST[0]))


def test_the_folded_full_name_is_kept_in_company_name_and_notes() -> None:
    built = build.customer_add(Customer(name="北京科技"), "UK", "1")
    body = built.request.find("CustomerAdd")
    assert body is not None
    assert body.findtext("Name", "").startswith("????~")
    assert body.findtext("CompanyName") == "????"
    assert "Name: ????" in body.findtext("Notes", "")
    assert built.shortened == {"Name": "????"}
    xml = document([built.request], "13.0")
    assert xml.isascii()
    schema = etree.XMLSchema(etree.parse(str(QBXML_XSD_13)))
    assert schema.validate(etree.fromstring(xml.encode()))


def test_items_too(ledger: QuickBooksLedger) -> None:
    ledger.accounts()
    codes = ["维护服务", "备份服务"]
    made = [ledger.create_product(Product(code=c, price=1, income_account="4000")) for c in codes]  # type: ignore[arg-type]
    assert made[0].code != made[1].code
    for code, product in zip(codes, made, strict=True):
        found = ledger.find_product(code=code)
        assert found is not None and found.ref == product.ref
