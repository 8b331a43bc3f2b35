"""Neutral record -> Sage value mappings shared by the SDO ledger and the CSV writers (no I/O)."""

from __future__ import annotations

import re

from halo_accounts.ledgers.port import Address, RecordRejected

TAX_CODE_RE = re.compile(r"^T?(\d{1,2})$", re.IGNORECASE)  # NOTES §1.8: T0..T99 (SDO takes the integer n)


def tax_number(code: str, what: str) -> int:
    """The n of a Sage tax code "Tn" (also accepts "n"), or RecordRejected."""
    match = TAX_CODE_RE.match((code or "").strip())
    if not match:
        raise RecordRejected("sage.tax_code_invalid", what=what, tax_code=code)
    return int(match.group(1))


def address_lines(addr: Address) -> list[str]:
    """ADDRESS_1..5 from a neutral address: street lines, town, county in 1-4, postcode in 5 (NOTES §1.6:
    "5 is conventionally the postcode"). Extra parts are joined into line 4."""
    parts = [p.strip() for p in (*addr.lines, addr.city, addr.region) if p and p.strip()]
    if len(parts) > 4:
        parts = [*parts[:3], ", ".join(parts[3:])]
    parts += [""] * (4 - len(parts))
    return [*parts, addr.postcode.strip()]
