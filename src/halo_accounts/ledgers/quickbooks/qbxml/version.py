"""Which qbXML version and edition to speak, from what the running QuickBooks reports (never guessed).

Every open question about editions ([?] in qbxml/NOTES.md §3.4) is answered by one table here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from halo_accounts.ledgers.port import LedgerError

# NOTES §3.4/§0.4: target 13.0 by default; 16.0 (QuickBooks 2023) when offered; never above what the host
# supports. Requests are XSD-validated against exactly these two versions, so nothing older is spoken.
PREFERRED_VERSIONS: tuple[tuple[int, int], ...] = ((16, 0), (13, 0))
MINIMUM_VERSION: tuple[int, int] = (13, 0)
"""QuickBooks 2014 (qbXML 13.0) or later is required: our requests are validated against 13.0 and 16.0."""
DEFAULT_VERSION: tuple[int, int] = (13, 0)
"""Used when the transport has not been told what QuickBooks supports (and for the first HostQuery)."""

# [?] NOTES §3.4: whether modern UK/CA/AU QuickBooks wants a locale prefix ("UK13.0") in the qbxml
# processing instruction. The OSR annotates one spec for all editions, so no prefix is sent.
VERSION_PREFIX: dict[str, str] = {"US": "", "UK": "", "CA": "", "AU": ""}

# [?] NOTES §3.4/§8.1: whether iterators work outside the US. consolibyte disables them for CA/UK/AU;
# we do the same: those editions read lists and histories in modified-date windows instead (qbxml/windows.py).
ITERATORS: dict[str, bool] = {"US": True, "UK": False, "CA": False, "AU": False}

# HostRet/Country (len 2, NOTES/OSR HostRet) and the Web Connector's qbXMLCountry -> our edition.
# [?] the exact strings of non-US editions are unverified (NOTES §1.3, §8.1); "GB"/"OZ" accepted too.
COUNTRY_EDITION: dict[str, str] = {"US": "US", "UK": "UK", "GB": "UK", "CA": "CA", "AU": "AU", "OZ": "AU"}
# Fallback when no country is reported: words in HostRet/ProductName. [?] unverified product names.
PRODUCT_EDITION: tuple[tuple[str, str], ...] = (
    ("canad", "CA"), (" uk", "UK"), ("united kingdom", "UK"), ("australia", "AU"), ("reckon", "AU"),
)
# The home currency when PreferencesRet does not name one (multi-currency off).
EDITION_CURRENCY: dict[str, str] = {"US": "USD", "UK": "GBP", "CA": "CAD", "AU": "AUD"}
# PreferencesRet/MultiCurrencyPreferences/HomeCurrencyRef/FullName -> ISO code. [?] Only "US Dollar" is seen in
# real responses (qbwc-qbxml-ReceivePaymentQueryRs-multicurrency-1.xml); the other names are QuickBooks' usual.
CURRENCY_CODES: dict[str, str] = {
    "us dollar": "USD", "british pound sterling": "GBP", "canadian dollar": "CAD", "australian dollar": "AUD",
    "euro": "EUR", "new zealand dollar": "NZD",
}


def currency_code(home_currency_name: str, edition: str) -> str:
    """The company's home currency as an ISO code: from its name when multi-currency is on, else the edition's."""
    return CURRENCY_CODES.get(home_currency_name.strip().lower(), EDITION_CURRENCY.get(edition, ""))

_VERSION = re.compile(r"^(?:[A-Z]{2})?(\d+)\.(\d+)$")


def parse_version(text: str) -> tuple[int, int] | None:
    """``"13.0"`` -> (13, 0); locale-prefixed ``"CA3.0"`` -> (3, 0); anything else -> None."""
    m = _VERSION.match(text.strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


def format_version(version: tuple[int, int], edition: str = "US") -> str:
    return f"{VERSION_PREFIX.get(edition, '')}{version[0]}.{version[1]}"


def choose_version(supported: Iterable[str | tuple[int, int]] = (), highest: tuple[int, int] | None = None
                   ) -> tuple[int, int]:
    """The qbXML version to send.

    ``supported``: versions QuickBooks lists (HostRet/SupportedQBXMLVersion, COM QBXMLVersionsForSession);
    ``highest``: the highest version reported (Web Connector qbXMLMajorVers/MinorVers). With neither,
    `DEFAULT_VERSION`. Raises ``qb.version.too_old`` when QuickBooks cannot speak `MINIMUM_VERSION`.
    """
    versions: set[tuple[int, int]] = set()
    for v in supported:
        parsed = parse_version(v) if isinstance(v, str) else v
        if parsed:
            versions.add(parsed)
    if not versions and highest is None:
        return DEFAULT_VERSION
    ceiling = highest if highest is not None else max(versions)
    for candidate in PREFERRED_VERSIONS:
        if candidate <= ceiling and (not versions or candidate in versions or candidate < max(versions)):
            return candidate
    raise LedgerError("qb.version.too_old", reported=format_version(ceiling), needed=format_version(MINIMUM_VERSION))


def edition_from(country: str = "", product_name: str = "") -> str | None:
    """The edition ("US"|"UK"|"CA"|"AU") from HostRet/Country or, failing that, the product name."""
    code = COUNTRY_EDITION.get(country.strip().upper())
    if code:
        return code
    name = f" {product_name.lower()} "
    for word, edition in PRODUCT_EDITION:
        if word in name:
            return edition
    return None
