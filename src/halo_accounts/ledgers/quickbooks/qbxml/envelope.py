"""The qbXML request document: ``<?qbxml version?>``, ``QBXML/QBXMLMsgsRq`` with ``onError``, and its
serialisation as pure ASCII (every non-ASCII character a numeric reference, NOTES §3.2). Free of I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from lxml import etree

from halo_accounts.ledgers.quickbooks.qbxml.text import escape

OnError = Literal["stopOnError", "continueOnError", "rollbackOnError"]

# A batch of independent records (invoices, queries) uses continueOnError so that one bad record does
# not stop the rest; each *Rs carries its own status (NOTES §3.1, §1.6). rollbackOnError is not used:
# whether desktop honours it is [?] (NOTES §3.1).
DEFAULT_ON_ERROR: OnError = "continueOnError"

REQUEST_ID_MAX = 50
"""NOTES §3.1: requestID longer than 50 characters is refused with status 1060."""


def element(tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A new element with optional text and attributes (attributes with empty values are left out)."""
    el = etree.Element(tag)
    for key, value in attrs.items():
        if value:
            el.set(key, value)
    if text is not None:
        el.text = text
    return el


def child(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    """Append ``<tag>text</tag>`` to ``parent`` and return it."""
    el = etree.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def serialize(el: etree._Element) -> str:
    """``el`` as qbXML text: ASCII only, ``& < > " '`` escaped in text and attributes, no namespaces."""
    parts: list[str] = []
    _write(el, parts)
    return "".join(parts)


def _write(el: etree._Element, parts: list[str]) -> None:
    attrs = "".join(f' {k}="{escape(str(v))}"' for k, v in el.attrib.items())
    children = list(el)
    text = el.text or ""
    if not children and not text:
        parts.append(f"<{el.tag}{attrs}/>")
        return
    parts.append(f"<{el.tag}{attrs}>")
    parts.append(escape(text))
    for sub in children:
        _write(sub, parts)
    parts.append(f"</{el.tag}>")


def document(requests: Sequence[etree._Element], version: str, *, on_error: OnError = DEFAULT_ON_ERROR) -> str:
    """A complete qbXML request document holding ``requests`` (``*Rq`` elements) in order."""
    if not requests:
        raise ValueError("a qbXML document needs at least one request")
    msgs = element("QBXMLMsgsRq", onError=on_error)
    for rq in requests:
        rid = rq.get("requestID", "")
        if len(rid) > REQUEST_ID_MAX:
            raise ValueError(f"requestID longer than {REQUEST_ID_MAX} characters")
        msgs.append(rq)
    root = element("QBXML")
    root.append(msgs)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{version}"?>\n{serialize(root)}'
