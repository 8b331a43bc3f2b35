"""SOAP 1.1 envelopes of the Web Connector, without I/O: bytes in -> (method, parameters); result -> bytes out.

Document/literal wrapped as in Intuit's WSDL (qbxml/NOTES.md §1.2, §1.4): the request element is the method
name, the answer is ``<method>Response`` holding ``<method>Result``; everything in ``http://developer.intuit.com/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from halo_accounts import xmlsafe
from halo_accounts.errors import HaloAccountsError

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
QBWC_NS = "http://developer.intuit.com/"

#: The methods of the WSDL (NOTES §1.2), with their parameters in WSDL order.
METHODS: dict[str, tuple[str, ...]] = {
    "serverVersion": ("strVersion",),
    "clientVersion": ("strVersion",),
    "authenticate": ("strUserName", "strPassword"),
    "sendRequestXML": (
        "ticket",
        "strHCPResponse",
        "strCompanyFileName",
        "qbXMLCountry",
        "qbXMLMajorVers",
        "qbXMLMinorVers",
    ),
    "receiveResponseXML": ("ticket", "response", "hresult", "message"),
    "connectionError": ("ticket", "hresult", "message"),
    "getLastError": ("ticket",),
    "closeConnection": ("ticket",),
}

#: Other spellings seen in the wild -> the WSDL's (NOTES §1.2: the Ruby gem spells strCompanyFilename).
_ALIASES = {"strCompanyFilename": "strCompanyFileName"}


@dataclass(frozen=True)
class SoapCall:
    """One parsed Web Connector call."""

    method: str
    params: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.params.get(name, "")

    def get_int(self, name: str, default: int = 0) -> int:
        try:
            return int(self.params.get(name, "").strip())
        except ValueError:
            return default

    def __repr__(self) -> str:  # never show the password
        shown = {k: ("***" if k == "strPassword" else (v if len(v) < 80 else v[:77] + "...")) for k, v in
                 self.params.items()}
        return f"SoapCall({self.method!r}, {shown!r})"


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def parse_request(body: bytes | str) -> SoapCall:
    """The method and string parameters of a SOAP request body.

    Any envelope prefix (``soap:``, ``SOAP-ENV:``) and any parameter prefix (``ns1:``) is accepted; a DOCTYPE
    is refused by `halo_accounts.xmlsafe`. Unknown methods raise ``qbwc.soap_unknown_method``.
    """
    root = xmlsafe.parse(body, what="SOAP request to the Web Connector endpoint")
    if etree.QName(root).namespace != SOAP_ENV or _local(root.tag) != "Envelope":
        raise HaloAccountsError("qbwc.soap_malformed", detail="the document is not a SOAP 1.1 envelope")
    bodies = [c for c in root if etree.QName(c).namespace == SOAP_ENV and _local(c.tag) == "Body"]
    if len(bodies) != 1:
        raise HaloAccountsError("qbwc.soap_malformed", detail="the envelope has no single Body")
    calls = [c for c in bodies[0] if isinstance(c.tag, str)]
    if len(calls) != 1:
        raise HaloAccountsError("qbwc.soap_malformed", detail="the Body does not hold exactly one call")
    call = calls[0]
    method = _local(call.tag)
    if method not in METHODS:
        raise HaloAccountsError("qbwc.soap_unknown_method", method=method[:60])
    params: dict[str, str] = {}
    for child in call:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        params[_ALIASES.get(name, name)] = child.text or ""
    return SoapCall(method, params)


def _envelope() -> tuple[etree._Element, etree._Element]:
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    body = etree.SubElement(env, f"{{{SOAP_ENV}}}Body")
    return env, body


def _serialize(env: etree._Element) -> bytes:
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


def build_response(method: str, result: str | int | list[str]) -> bytes:
    """The SOAP answer to ``method``: ``<methodResponse><methodResult>…`` (a list becomes ``ArrayOfString``)."""
    env, body = _envelope()
    wrapper = etree.SubElement(body, f"{{{QBWC_NS}}}{method}Response", nsmap={None: QBWC_NS})
    result_el = etree.SubElement(wrapper, f"{{{QBWC_NS}}}{method}Result")
    if isinstance(result, list):
        for item in result:
            etree.SubElement(result_el, f"{{{QBWC_NS}}}string").text = item
    else:
        result_el.text = str(result)
    return _serialize(env)


def build_fault(message: str, *, client: bool = True) -> bytes:
    """A SOAP 1.1 Fault (``soap:Client`` for a bad request, ``soap:Server`` for our own failure)."""
    env, body = _envelope()
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = "soap:Client" if client else "soap:Server"
    etree.SubElement(fault, "faultstring").text = message
    return _serialize(env)


def build_request(method: str, **params: str | int) -> bytes:
    """A request envelope as the Web Connector sends it (used by tests and tools, not by the server)."""
    env, body = _envelope()
    call = etree.SubElement(body, f"{{{QBWC_NS}}}{method}", nsmap={None: QBWC_NS})
    for name in METHODS[method]:
        if name in params:
            etree.SubElement(call, f"{{{QBWC_NS}}}{name}").text = str(params[name])
    return _serialize(env)


def parse_response(body: bytes | str) -> str | int | list[str]:
    """The result of a response envelope (tests and tools): a string, a list of strings, or an int."""
    root = xmlsafe.parse(body, what="SOAP response")
    for el in root.iter():
        if isinstance(el.tag, str) and _local(el.tag).endswith("Result"):
            strings = [s.text or "" for s in el if isinstance(s.tag, str) and _local(s.tag) == "string"]
            if strings or _local(el.tag) == "authenticateResult":
                return strings
            text = el.text or ""
            if _local(el.tag) == "receiveResponseXMLResult":
                return int(text)
            return text
    raise HaloAccountsError("qbwc.soap_malformed", detail="the response has no Result element")
