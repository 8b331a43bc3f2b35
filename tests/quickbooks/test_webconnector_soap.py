"""SOAP envelopes without a server: the real Web Connector's messages parse, our answers match the WSDL shape."""

from __future__ import annotations

import pytest
from lxml import etree

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.quickbooks.webconnector import soap
from refpaths import QB_REAL_RESPONSES

REAL = {p.name: p.read_bytes() for p in QB_REAL_RESPONSES.glob("*soap*request*.xml")}
NS = {"s": soap.SOAP_ENV, "q": soap.QBWC_NS}


def test_the_real_call_sequence_parses() -> None:
    names = sorted(n for n in REAL if n.startswith("consolibyte-soap-0"))
    methods = [soap.parse_request(REAL[n]).method for n in names]
    assert methods == [
        "serverVersion", "clientVersion", "authenticate", "sendRequestXML", "receiveResponseXML",
        "sendRequestXML", "getLastError", "closeConnection",
    ]


def test_real_parameters_are_read_and_unescaped() -> None:
    auth = soap.parse_request(REAL["consolibyte-soap-03-authenticate-request.xml"])
    assert auth.get("strUserName") == "api" and auth.get("strPassword") == "password"
    assert "password" not in repr(auth)
    first = soap.parse_request(REAL["consolibyte-soap-04-sendRequestXML-request-first.xml"])
    assert first.get("ticket") == "ea0bf596246b623664adb465cc8662a2"
    assert first.get("strHCPResponse").lstrip().startswith('<?xml version="1.0" ?>')
    assert "<HostQueryRs" in first.get("strHCPResponse")
    assert first.get("strCompanyFileName") == "C:\\KPALMER\\QBW\\Test Company.QBW"
    assert first.get("qbXMLCountry") == "US"
    assert (first.get_int("qbXMLMajorVers"), first.get_int("qbXMLMinorVers")) == (5, 0)
    later = soap.parse_request(REAL["consolibyte-soap-07-sendRequestXML-request-subsequent.xml"])
    assert later.get("strHCPResponse") == ""
    client = soap.parse_request(REAL["consolibyte-soap-02-clientVersion-request.xml"])
    assert client.get("strVersion") == "2.0.0.116"
    assert soap.parse_request(REAL["consolibyte-soap-01-serverVersion-request.xml"]).params == {}


@pytest.mark.parametrize("name", sorted(n for n in REAL if "receiveResponseXML" in n))
def test_real_receive_response_carries_qbxml_and_empty_hresult(name: str) -> None:
    call = soap.parse_request(REAL[name])
    assert call.method == "receiveResponseXML"
    assert call.get("ticket")
    assert "<QBXMLMsgsRs>" in call.get("response")
    assert call.get("hresult") == "" and call.get("message") == ""


def test_prefixed_envelope_and_alias_are_accepted() -> None:
    body = (
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:ns1="http://developer.intuit.com/"><SOAP-ENV:Body><ns1:sendRequestXML>'
        "<ns1:ticket>t</ns1:ticket><ns1:strCompanyFilename>C:\\a.QBW</ns1:strCompanyFilename>"
        "<ns1:qbXMLMajorVers>13</ns1:qbXMLMajorVers></ns1:sendRequestXML></SOAP-ENV:Body></SOAP-ENV:Envelope>"
    )
    call = soap.parse_request(body)
    assert call.method == "sendRequestXML"
    assert call.get("strCompanyFileName") == "C:\\a.QBW"
    assert call.get_int("qbXMLMajorVers") == 13 and call.get_int("qbXMLMinorVers") == 0


def test_doctype_and_entities_are_refused() -> None:
    evil = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<authenticate xmlns="http://developer.intuit.com/"><strUserName>&e;</strUserName></authenticate>'
        "</soap:Body></soap:Envelope>"
    )
    with pytest.raises(HaloAccountsError) as info:
        soap.parse_request(evil)
    assert info.value.code == "xml.doctype"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("<a/>", "qbwc.soap_malformed"),
        ("not xml", "xml.malformed"),
        ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"/>', "qbwc.soap_malformed"),
        (
            '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
            '<dropTables xmlns="http://developer.intuit.com/"/></s:Body></s:Envelope>',
            "qbwc.soap_unknown_method",
        ),
    ],
)
def test_bad_bodies_get_catalogue_errors(body: str, code: str) -> None:
    with pytest.raises(HaloAccountsError) as info:
        soap.parse_request(body)
    assert info.value.code == code


def test_authenticate_answer_is_an_array_of_string() -> None:
    root = etree.fromstring(soap.build_response("authenticate", ["TICKET", ""]))
    strings = root.xpath("/s:Envelope/s:Body/q:authenticateResponse/q:authenticateResult/q:string", namespaces=NS)
    assert [s.text or "" for s in strings] == ["TICKET", ""]
    assert soap.parse_response(soap.build_response("authenticate", ["", "nvu"])) == ["", "nvu"]


def test_qbxml_travels_escaped_and_comes_back_intact() -> None:
    qbxml = '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><Name>A &amp; B "<"</Name></QBXML>'
    raw = soap.build_response("sendRequestXML", qbxml)
    assert b"&lt;QBXML&gt;" in raw
    result = etree.fromstring(raw).xpath("//q:sendRequestXMLResult", namespaces=NS)[0]
    assert result.text == qbxml
    assert soap.parse_response(raw) == qbxml


def test_percent_is_an_int_and_fault_is_soap11() -> None:
    assert soap.parse_response(soap.build_response("receiveResponseXML", -101)) == -101
    fault = etree.fromstring(soap.build_fault("bad"))
    assert fault.xpath("/s:Envelope/s:Body/s:Fault/faultstring", namespaces=NS)[0].text == "bad"
    assert fault.xpath("//faultcode")[0].text == "soap:Client"


def test_build_request_round_trips_through_the_parser() -> None:
    raw = soap.build_request("receiveResponseXML", ticket="t", response="<QBXML/>", hresult="", message="")
    call = soap.parse_request(raw)
    assert call.params == {"ticket": "t", "response": "<QBXML/>", "hresult": "", "message": ""}
