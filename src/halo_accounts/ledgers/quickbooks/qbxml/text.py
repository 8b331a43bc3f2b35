"""Text that QuickBooks accepts: Latin-1 only, escaped as ASCII, each field within its edition's length limit.

One table (`FIELDS`) holds every limit we check and what happens when Halo's value is longer: it is
either shortened deterministically (the full text kept elsewhere) or the record is held with a message
naming the Halo field to change. Free of I/O.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from halo_accounts.ledgers.port import RecordRejected

Edition = Literal["US", "UK", "CA", "AU"]
EDITIONS: tuple[Edition, ...] = ("US", "UK", "CA", "AU")

Policy = Literal["shorten", "hold"]


@dataclass(frozen=True)
class FieldRule:
    """The limit of one qbXML field, per edition, and what to do with an over-long value."""

    limit: int
    policy: Policy
    halo_field: str
    """Where the user changes the value in Halo (named in the hold message)."""
    au_limit: int | None = None
    """A different limit for the Australian edition, where the OSR annotates one."""
    us_limit: int | None = None
    """A different limit for the US edition, where the OSR annotates one."""

    def limit_for(self, edition: str) -> int:
        if edition == "AU" and self.au_limit is not None:
            return self.au_limit
        if edition == "US" and self.us_limit is not None:
            return self.us_limit
        return self.limit


# The one table of limits and policies. Limits: qbxml/NOTES.md §4 and the OSR annotations in
# qbxml/osr/qbxmlops130.xml ("max length = N for QBD|QBCA|QBUK|QBAU"); per-edition values where the OSR
# gives them. Policy: "hold" where a shortened value would be wrong rather than abbreviated (keys,
# numbers, references, phone numbers, postcodes); "shorten" where a deterministic abbreviation is
# harmless and the full text is kept in a field QuickBooks keeps (Notes, Desc, Memo).
FIELDS: dict[str, FieldRule] = {
    # Customer (NOTES §4.1)
    "Customer.Name": FieldRule(41, "shorten", "client name"),  # §4.1 Name len41; full name -> Notes
    "Customer.CompanyName": FieldRule(41, "shorten", "client name"),  # §4.1 CompanyName len41; -> Notes
    "Customer.Contact": FieldRule(41, "shorten", "client main contact"),  # §4.1 Contact len41
    "Customer.Phone": FieldRule(21, "hold", "client phone number"),  # §4.1 Phone len21
    "Customer.Email": FieldRule(1023, "hold", "client e-mail address"),  # §4.1 Email len1023
    "Customer.Notes": FieldRule(4095, "shorten", "client notes"),  # §4.1 Notes len4095
    # Addresses (NOTES §4 "ADDRESS")
    # Addr1..5 len41: a long line first wraps at word boundaries onto spare lines; held if 5 lines are not enough
    "Address.Addr": FieldRule(41, "hold", "site address line"),
    "Address.City": FieldRule(31, "hold", "site town/city"),  # City len31
    "Address.State": FieldRule(21, "hold", "site county/state"),  # State len21
    "Address.PostalCode": FieldRule(13, "hold", "site postcode"),  # PostalCode len13
    "Address.Country": FieldRule(31, "shorten", "site country"),  # Country len31
    # References (sent as FullName when we have no ListID)
    "Ref.SalesTaxCode": FieldRule(3, "hold", "tax code mapping", au_limit=6),  # §4.1 len3 (US/CA/UK), len6 (AU)
    "Ref.ItemSalesTax": FieldRule(31, "hold", "tax code mapping"),  # §4.1 ItemSalesTaxRef len31
    "Ref.Customer": FieldRule(209, "hold", "client link"),  # §4.5 CustomerRef FullName len209
    "Ref.Item": FieldRule(159, "hold", "item link"),  # §4 Item FullName len159
    "Ref.Account": FieldRule(159, "hold", "nominal code mapping"),  # §4.4 AccountRef FullName len159
    # Items (NOTES §4.4)
    "Item.Name": FieldRule(31, "shorten", "item name"),  # §4.4 Name len31; full name -> Desc
    "Item.Desc": FieldRule(4095, "shorten", "item description"),  # §4.4 Desc len4095
    # Invoices / credit notes (NOTES §4.5, §4.8)
    "Txn.RefNumber": FieldRule(11, "hold", "invoice number"),  # §4.5 RefNumber len11: the exactly-once key
    "Txn.PONumber": FieldRule(25, "hold", "invoice PO number"),  # §4.5 PONumber len25
    "Txn.Memo": FieldRule(4095, "shorten", "invoice notes"),  # §4.5 Memo len4095
    "Txn.Other": FieldRule(29, "hold", "external key"),  # §4.5 Other len29 (we store a digest if longer)
    "Line.Desc": FieldRule(4095, "shorten", "invoice line description"),  # §4.5 Desc len4095
}

SHORTEN_MARK = "~"
"""Separates the kept prefix from the digest in a shortened name: ``"Very Long Name Ltd~K3QZ"``."""
DIGEST_CHARS = 4
"""Base32 characters of SHA-256 appended to a shortened name (32**4 ≈ 1M: collisions between two
shortened names sharing a prefix are negligible; a remaining clash surfaces as status 3100)."""
LOST_DIGEST_CHARS = 8
"""Base32 characters of the digest in the name of a record whose name lost characters to Latin-1 (NOTES §3.2:
they would become "?"). Such names share little readable prefix ("????"), so the digest carries the
uniqueness: 32**8 ≈ 10**12."""

# Characters outside Latin-1 become "?" inside QuickBooks (qbxml/NOTES.md §3.2); map the common ones to
# a Latin-1 look-alike first so that nothing is silently turned into "?".
_TRANSLITERATE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u20ac": "EUR", "\u2122": "TM", "\u2022": "*",
    "\u0141": "L", "\u0142": "l", "\u0152": "OE", "\u0153": "oe", "\u0131": "i",
    "\u00a0": " ", "\u2009": " ", "\u200b": "",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class TextTooLong(RecordRejected):
    """A value is longer than QuickBooks allows and the field's policy is to hold the record."""


def _fold(value: str) -> tuple[str, bool]:
    """`to_latin1` and whether any character had no Latin-1 look-alike (became "?")."""
    out: list[str] = []
    lost = False
    for ch in _CONTROL.sub("", value):
        if ord(ch) < 256:
            out.append(ch)
            continue
        if ch in _TRANSLITERATE:
            out.append(_TRANSLITERATE[ch])
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base and all(ord(c) < 256 for c in base):
            out.append(base)
        else:
            out.append("?")
            lost = True
    return "".join(out), lost


def to_latin1(value: str) -> str:
    """``value`` with every character representable in ISO-8859-1 (NOTES §3.2).

    Known look-alikes are substituted (curly quotes, dashes, €); accented letters outside Latin-1 lose
    their accent (NFKD); anything still outside Latin-1 becomes "?" — what QuickBooks would store anyway.
    Control characters are dropped (they are not allowed in XML 1.0).
    """
    return _fold(value)[0]


def loses_characters(value: str) -> bool:
    """True when `to_latin1` has to turn some character of ``value`` into "?" (information lost)."""
    return _fold(value)[1]


def clean(value: str, *, multiline: bool = False) -> str:
    """Latin-1 text with surrounding whitespace removed; single-line fields have runs of space collapsed."""
    text = to_latin1(value)
    if multiline:
        return text.replace("\r\n", "\n").strip()
    return " ".join(text.split())


def escape(value: str) -> str:
    """XML character data for a qbXML document: ``& < > " '`` escaped, every non-ASCII character as a
    numeric character reference (``&#233;``) — raw UTF-8 was refused by QuickBooks (NOTES §3.2)."""
    out: list[str] = []
    for ch in value:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&quot;")
        elif ch == "'":
            out.append("&apos;")
        elif ord(ch) > 126 or (ord(ch) < 32 and ch not in "\t\n\r"):
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def digest(value: str, chars: int = DIGEST_CHARS) -> str:
    """A short, stable base32 digest of ``value`` (upper case, no padding)."""
    raw = hashlib.sha256(value.encode("utf-8")).digest()
    return base64.b32encode(raw).decode("ascii")[:chars]


def shorten_name(value: str, limit: int, *, original: str | None = None) -> str:
    """A deterministic, collision-aware name of at most ``limit`` characters.

    Unchanged when it fits (and no ``original`` is given). Otherwise the longest prefix that fits before
    ``~XXXX`` (a digest of the whole value), cut at a word boundary when one is near: the same long name
    always gives the same short one, and two long names with the same beginning give different short ones.

    ``original``: the text before Latin-1 folding, for a name that lost characters (`loses_characters`):
    the digest (`LOST_DIGEST_CHARS` long) is then of the original, so two names that fold to the same "??"
    get different, stable names, whatever their length.
    """
    if original is None and len(value) <= limit:
        return value
    if original is None:
        tail = SHORTEN_MARK + digest(value)
    else:
        key = " ".join(unicodedata.normalize("NFC", _CONTROL.sub("", original)).split())
        tail = SHORTEN_MARK + digest(key, LOST_DIGEST_CHARS)
    room = limit - len(tail)
    prefix = value[:room]
    cut = prefix.rfind(" ")
    if len(value) > room and cut >= room * 2 // 3:
        prefix = prefix[:cut]
    return prefix.rstrip(" -,.&:") + tail


def shorten_text(value: str, limit: int) -> str:
    """Free text cut to ``limit`` characters, ending with "..." when cut."""
    if len(value) <= limit:
        return value
    return value[: limit - 3].rstrip() + "..."


@dataclass
class Fitted:
    """A value made to fit its field, and whether it had to be shortened."""

    value: str
    original: str
    shortened: bool


def fit(field: str, value: str, edition: str, *, record: str = "", multiline: bool = False) -> Fitted:
    """``value`` cleaned and checked against ``FIELDS[field]`` for ``edition``.

    Shortens (deterministically) or raises `TextTooLong` (code ``qb.text.too_long``) per the table.
    """
    rule = FIELDS[field]
    text = clean(value, multiline=multiline)
    limit = rule.limit_for(edition)
    if field.endswith(".Name") and rule.policy == "shorten" and text and loses_characters(value):
        # NOTES §3.2: QuickBooks would keep "?" for each lost character, so two such names would clash
        # (3100): name it prefix~digest-of-the-original; the folded full text goes to Notes/CompanyName/Desc.
        return Fitted(shorten_name(text, limit, original=value), text, True)
    if len(text) <= limit:
        return Fitted(text, text, False)
    if rule.policy == "hold":
        err = TextTooLong(
            "qb.text.too_long", record=record or "record", field=rule.halo_field, value=text[:60],
            length=len(text), limit=limit, qb_field=field, edition=edition,
        )
        err.field_name = field
        raise err
    if field.endswith(".Name"):  # list names must stay unique: prefix + digest (collision-aware, stable)
        return Fitted(shorten_name(text, limit), text, True)
    return Fitted(shorten_text(text, limit), text, True)


def wrap_lines(lines: list[str], limit: int, slots: int) -> list[str] | None:
    """Address lines re-wrapped at word boundaries so each fits ``limit``; None if they need more than
    ``slots`` lines. Lines that already fit are kept as they are."""
    out: list[str] = []
    for line in lines:
        if len(line) <= limit:
            out.append(line)
            continue
        current = ""
        for word in line.split(" "):
            while len(word) > limit:
                if current:
                    out.append(current)
                    current = ""
                out.append(word[:limit])
                word = word[limit:]
            candidate = f"{current} {word}" if current else word
            if len(candidate) <= limit:
                current = candidate
            else:
                out.append(current)
                current = word
        if current:
            out.append(current)
    return out if len(out) <= slots else None
