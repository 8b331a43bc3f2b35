"""Text rules: Latin-1 only, escaped as ASCII, per-edition limits, deterministic shorten-or-hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from halo_accounts.ledgers.quickbooks.qbxml import text
from halo_accounts.ledgers.quickbooks.qbxml.text import FIELDS, TextTooLong, fit


def test_escape_markup_quotes_and_non_ascii() -> None:
    assert text.escape("Smith & Jones <Ltd> \"A\" 'B'") == "Smith &amp; Jones &lt;Ltd&gt; &quot;A&quot; &apos;B&apos;"
    assert text.escape("Décor") == "D&#233;cor"  # NOTES §3.2: numeric reference, not raw UTF-8
    assert text.escape("line\nbreak") == "line\nbreak"


def test_to_latin1_keeps_latin1_and_maps_the_rest() -> None:
    assert text.to_latin1("Zoë Müller Ångström") == "Zoë Müller Ångström"
    assert text.to_latin1("“Quoted” — 100€ Łódź") == '"Quoted" - 100EUR Lódz'  # ó is Latin-1: kept
    assert text.to_latin1("ČŘ") == "CR"  # accents outside Latin-1 dropped via NFKD
    assert text.to_latin1("☃ 中") == "? ?"  # what QuickBooks would store anyway
    assert text.to_latin1("a\x00b\x1fc") == "abc"


def test_clean_collapses_whitespace_on_single_line_fields() -> None:
    assert text.clean("  Smith \t &\n Jones  ") == "Smith & Jones"
    assert text.clean(" a\r\nb ", multiline=True) == "a\nb"


def test_shorten_name_deterministic_and_collision_aware() -> None:
    a = "Northern Managed Services and Cloud Consulting Limited"
    b = "Northern Managed Services and Cloud Consulting Holdings"
    sa, sb = text.shorten_name(a, 41), text.shorten_name(b, 41)
    assert len(sa) <= 41 and len(sb) <= 41
    assert sa == text.shorten_name(a, 41)
    assert sa != sb
    assert sa.startswith("Northern Managed Services")
    assert "~" in sa
    assert text.shorten_name("Short", 41) == "Short"


@given(st.text(min_size=1, max_size=200))
def test_shorten_name_always_fits(value: str) -> None:
    for limit in (31, 41):
        assert len(text.shorten_name(value, limit)) <= limit


def test_fit_policies_from_the_table() -> None:
    assert fit("Customer.Name", "x" * 60, "US").shortened
    with pytest.raises(TextTooLong) as info:
        fit("Txn.RefNumber", "INV-000000001", "US", record="invoice 'INV-000000001'")
    err = info.value
    assert err.code == "qb.text.too_long"
    assert "13 characters" in err.message and "at most 11" in err.message
    assert "invoice number" in err.fix


def test_per_edition_limits() -> None:
    assert FIELDS["Ref.SalesTaxCode"].limit_for("AU") == 6
    assert FIELDS["Ref.SalesTaxCode"].limit_for("UK") == 3
    assert fit("Ref.SalesTaxCode", "GST-FR", "AU").value == "GST-FR"
    with pytest.raises(TextTooLong):
        fit("Ref.SalesTaxCode", "GST-FR", "CA")


def test_every_rule_has_a_policy_and_a_halo_field() -> None:
    for name, rule in FIELDS.items():
        assert rule.limit > 0, name
        assert rule.policy in ("shorten", "hold"), name
        assert rule.halo_field, name
    # the exactly-once key is never cut
    assert FIELDS["Txn.RefNumber"].policy == "hold"


def test_wrap_lines() -> None:
    long = "Unit 12, The Old Mill Business Park, Very Long Road Name"
    wrapped = text.wrap_lines([long], 41, 5)
    assert wrapped is not None and all(len(line) <= 41 for line in wrapped)
    assert " ".join(wrapped) == long
    assert text.wrap_lines([long] * 5, 41, 5) is None
    assert text.wrap_lines(["x" * 90], 41, 5) == ["x" * 41, "x" * 41, "x" * 8]
