"""Secrets never reach the journal: `redact` masks known secret fields in every shape they travel in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from halo_accounts.store import redact

CASES = [
    (
        "grant_type=client_credentials&client_id=demo&client_secret=s3cr3t&scope=all",
        "grant_type=client_credentials&client_id=demo&client_secret=***&scope=all",
    ),
    (
        '{"access_token": "eyJ.x.y", "token_type": "Bearer", "refresh_token":"r1"}',
        '{"access_token": "***", "token_type": "Bearer", "refresh_token":"***"}',
    ),
    ('{"client_secret": "with \\"escaped\\" quote"}', '{"client_secret": "***"}'),
    ("{'password': 'p'}", "{'password': '***'}"),
    (
        "<authenticate><strUserName>u</strUserName><strPassword>p&amp;w</strPassword></authenticate>",
        "<authenticate><strUserName>u</strUserName><strPassword>***</strPassword></authenticate>",
    ),
    (
        '<ns0:strPassword xmlns:ns0="urn:x">pw</ns0:strPassword>',
        '<ns0:strPassword xmlns:ns0="urn:x">***</ns0:strPassword>',
    ),
    ("<Password>\nmulti\nline\n</Password>", "<Password>***</Password>"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "Authorization: Bearer ***"),
    ("authorization: Basic dXNlcjpwYXNz", "authorization: Basic ***"),
    ("GET /token?client_secret=abc HTTP/1.1", "GET /token?client_secret=*** HTTP/1.1"),
]


@pytest.mark.parametrize(("raw", "clean"), CASES)
def test_secrets_masked(raw: str, clean: str) -> None:
    assert redact(raw) == clean
    assert redact(clean) == clean  # idempotent


@pytest.mark.parametrize(
    "text",
    [
        "<InvoiceAddRq><Memo>Basic Support, Password Manager licence</Memo></InvoiceAddRq>",
        '{"name": "Secret Garden Ltd", "is_secret": false, "token_type": "Bearer"}',
        "the Bearer of this invoice",
        "",
    ],
)
def test_ordinary_text_untouched(text: str) -> None:
    assert redact(text) == text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_never_fails_and_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=6, max_size=40))
def test_secret_value_gone_in_every_shape(secret: str) -> None:
    shapes = [
        f"client_secret={secret}",
        f'{{"client_secret": "{secret}"}}',
        f"<strPassword>{secret}</strPassword>",
        f"Authorization: Bearer {secret}",
    ]
    for shape in shapes:
        kept = redact(shape)
        # The value may itself be a substring of the fixed text ("secret" in "client_secret"): look only at
        # what is left once the fixed text is taken out.
        for fixed in ("client_secret", "strPassword", "Authorization", "Bearer"):
            kept = kept.replace(fixed, "")
        assert secret not in kept
