"""Sage account references for Halo clients: Halo's ``accountsid`` when set, else a deterministic, collision-free
code of at most 8 letters and digits derived from the client's name (e.g. "Smith & Jones Ltd" -> SMITH001)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from halo_accounts.ledgers.port import RecordRejected
from halo_accounts.ledgers.sage50uk.sdo.fields import ACCOUNT_REF_MAX

# NOTES §1.6: ACCOUNT_REF keep to A-Z and 0-9, no spaces [C: S4 customer import KB]; uppercase [I].
# [?] Whether Sage also accepts punctuation such as "-" is not documented: the allowed set lives here only.
ALLOWED = re.compile(r"^[A-Z0-9]+$")
PREFIX_LEN = 5
"""Letters kept from the name; the rest of the 8 characters is a counter (Sage's own sample style: ABS001)."""
# Words that carry no identity, dropped before taking the prefix.
NOISE_WORDS = frozenset({"THE", "LTD", "LIMITED", "PLC", "LLP", "LLC", "INC", "CO", "AND"})
FALLBACK_PREFIX = "CUST"


def normalise(ref: str) -> str:
    return ref.strip().upper()


def is_valid(ref: str) -> bool:
    return 0 < len(ref) <= ACCOUNT_REF_MAX and bool(ALLOWED.match(ref))


def checked(ref: str, *, field: str = "Client.accountsid") -> str:
    """``ref`` (from Halo) uppercased, or RecordRejected naming ``field`` when Sage could not hold it."""
    value = normalise(ref)
    if " " in value:
        raise RecordRejected("sage.account_ref_spaces", account=ref, field=field)
    if not is_valid(value):
        raise RecordRejected("sage.account_ref_invalid", account=ref, field=field)
    return value


def prefix(name: str) -> str:
    """Up to PREFIX_LEN letters/digits from ``name``: accents folded, noise words dropped."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").upper()
    words = [w for w in re.split(r"[^A-Z0-9]+", folded) if w]
    kept = [w for w in words if w not in NOISE_WORDS] or words
    joined = "".join(kept)
    return joined[:PREFIX_LEN] or FALLBACK_PREFIX


def candidates(name: str) -> Iterator[str]:
    """Every reference tried for ``name``, in order: PREFIX001..PREFIX999, then 4 letters + 0001..9999."""
    head = prefix(name)
    width = ACCOUNT_REF_MAX - len(head)
    for n in range(1, 10**width):
        yield f"{head}{n:0{width}d}"
    short = head[:4]
    for n in range(1, 10_000):
        yield f"{short}{n:04d}"


def allocate(name: str, taken: Callable[[str], bool]) -> str:
    """The first candidate reference for ``name`` that ``taken`` says is free. Deterministic for a given ledger."""
    tried = 0
    for ref in candidates(name):
        tried += 1
        if not taken(ref):
            return ref
    raise RecordRejected("sage.reference_exhausted", name=name, tried=tried)
