"""The one way this program parses XML it did not write: entities, DTDs and network access off.

A response carrying an external entity (XXE) or a DTD is refused, not resolved.
"""

from __future__ import annotations

from lxml import etree

from halo_accounts.errors import HaloAccountsError

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    # A DOCTYPE is refused before parsing, so no entity can expand; large text nodes are then safe and
    # needed: the Web Connector carries a whole qbXML answer (can exceed lxml's 10 MB default) as one text
    # node. Callers bound the input size (the endpoint caps a SOAP body at 64 MiB).
    huge_tree=True,
    remove_blank_text=False,
)


def parse(data: str | bytes, *, what: str = "XML") -> etree._Element:
    """Parse ``data``; a DOCTYPE (the carrier of entity tricks) or malformed XML is refused."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise HaloAccountsError("xml.doctype", what=what)
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise HaloAccountsError("xml.malformed", what=what, detail=str(exc)) from None
