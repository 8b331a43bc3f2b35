"""Strip secrets from text before it is kept: the journal stores requests and responses, never credentials.

The engine should not hand secrets to the journal in the first place; this is the second line of defence.
"""

from __future__ import annotations

import re

MASK = "***"
# The names whose values are secrets, wherever they appear (form fields, JSON keys, XML elements, headers).
# Halo OAuth: client_secret, access_token, refresh_token, id_token (halo/NOTES.md, token endpoint);
# Web Connector authenticate: strPassword (QBWebConnectorSvc.wsdl); Sage SDO / generic: password.
SECRET_NAMES = (
    "client_secret",
    "access_token",
    "refresh_token",
    "id_token",
    "strPassword",
    "password",
    "passwd",
    "api_key",
    "apikey",
    "secret",
)
_NAMES = "|".join(sorted((re.escape(n) for n in SECRET_NAMES), key=len, reverse=True))

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # <strPassword>x</strPassword>, <ns:password attr="1">x</ns:password>
    (
        re.compile(rf"(<((?:[\w.-]+:)?(?:{_NAMES}))(?:\s[^>]*)?>)(.*?)(</\2\s*>)", re.IGNORECASE | re.DOTALL),
        rf"\1{MASK}\4",
    ),
    # "access_token": "x"  /  'client_secret': 'x'   (JSON, Python reprs)
    (
        re.compile(rf"""((["'])(?:{_NAMES})\2\s*:\s*)(["'])(?:\\.|(?!\3).)*\3""", re.IGNORECASE | re.DOTALL),
        rf"\1\3{MASK}\3",
    ),
    # client_secret=x&...  (form bodies, query strings, key=value logs)
    (re.compile(rf"(\b(?:{_NAMES})=)[^&\s\"'<>]+", re.IGNORECASE), rf"\1{MASK}"),
    # Authorization: Bearer x / Basic x (an HTTP header copied into a log or response)
    (
        re.compile(r"(\bAuthorization[\"']?\s*[:=]\s*[\"']?(?:(?:Bearer|Basic|Token)\s+)?)[^\s\"'<>,]+", re.IGNORECASE),
        rf"\1{MASK}",
    ),
    # a bare bearer token (long, no spaces: a JWT or opaque token), not the word "Bearer" in prose
    (re.compile(r"(\bBearer\s+)[A-Za-z0-9\-._~+/]{16,}=*", re.IGNORECASE), rf"\1{MASK}"),
)
_ANY = re.compile(rf"{_NAMES}|authorization|bearer", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with the values of known secret fields replaced by ``***`` (idempotent)."""
    if not text or _ANY.search(text) is None:  # the common case: nothing to do, one scan
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
