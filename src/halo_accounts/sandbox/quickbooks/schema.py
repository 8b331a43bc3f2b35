"""Optional check of every request against Intuit's XSD, as QuickBooks' own parser would refuse it.

A request that breaks the schema fails as a whole with the parse HRESULT (NOTES §1.3 0x80040400). Length
facets are left to the per-edition check (3070): the XSD carries US lengths only (NOTES §6.3 caveat 2).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree


@lru_cache(maxsize=4)
def load(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(Path(path))))


def problems(schema: etree.XMLSchema, document: etree._Element) -> list[str]:
    """Schema errors other than maxLength facets (an empty list means the request is acceptable)."""
    if schema.validate(document):
        return []
    return [
        f"line {e.line}: {e.message}"
        for e in schema.error_log
        if e.type_name != "SCHEMAV_CVC_MAXLENGTH_VALID"
    ]
