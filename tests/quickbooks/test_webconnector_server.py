"""The Web Connector endpoint for real: uvicorn on loopback (port 0), driven over HTTP by a zeep client built from
Intuit's WSDL that plays the Web Connector against the sandbox QuickBooks company."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import zeep
from lxml import etree

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import LedgerUnavailable
from halo_accounts.ledgers.quickbooks.settings import WebConnectorSettings
from halo_accounts.ledgers.quickbooks.transport import HostInfo, QbxmlTransport
from halo_accounts.ledgers.quickbooks.webconnector import server
from halo_accounts.sandbox.quickbooks import Company
from halo_accounts.sandbox.quickbooks.webconnector_driver import HCP_REQUEST, WebConnectorDriver
from refpaths import QBWC_WSDL, QBXML_XSD_13

USER, PASSWORD = "halo-qbwc", "correct horse battery"
SETTINGS = WebConnectorSettings(username=USER)
SCHEMA = etree.XMLSchema(etree.parse(str(QBXML_XSD_13)))


def qbxml(body: str) -> str:
    doc = (
        '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?>'
        f'<QBXML><QBXMLMsgsRq onError="stopOnError">{body}</QBXMLMsgsRq></QBXML>'
    )
    assert SCHEMA.validate(etree.fromstring(doc.encode())), SCHEMA.error_log
    return doc


HOST_RQ = qbxml('<HostQueryRq requestID="1"/>')
CUSTOMER_RQ = qbxml('<CustomerQueryRq requestID="2"><MaxReturned>10</MaxReturned></CustomerQueryRq>')


@pytest.fixture
def company(tmp_path: Path) -> Company:
    return Company(tmp_path / "acme.qbw", edition="UK")


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """serve(job, **create_app kwargs) -> endpoint URL; every server stops at test end."""
    stack: list[object] = []

    def start(job: Callable[[QbxmlTransport], None], **kwargs: object) -> str:
        kwargs.setdefault("password", PASSWORD)
        app = server.create_app(SETTINGS, job, **kwargs)  # type: ignore[arg-type]
        cm = server.running(app)
        url = cm.__enter__()
        stack.append(cm)
        return url

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)  # type: ignore[attr-defined]


def drive(url: str, company: Company, password: str = PASSWORD, **kw: object) -> WebConnectorDriver:
    kw.setdefault("noop_pause", 0.01)
    return WebConnectorDriver(url, USER, password, company, **kw)  # type: ignore[arg-type]


def test_one_update_runs_the_job_through_quickbooks(serve: Callable[..., str], company: Company) -> None:
    seen: dict[str, object] = {}

    def job(t: QbxmlTransport) -> None:
        seen["host"] = t.host_info()
        seen["host_rs"] = t.process(HOST_RQ)
        seen["customer_rs"] = t.process(CUSTOMER_RQ)

    url = serve(job)
    result = drive(url, company).run_update()
    assert result.methods == [
        "serverVersion", "clientVersion", "authenticate",
        "sendRequestXML", "receiveResponseXML", "sendRequestXML", "receiveResponseXML",
        "closeConnection",
    ]
    auth = result.calls[2].result
    assert len(auth) == 2 and len(auth[0]) >= 40 and auth[1] == ""
    assert result.calls[1].result == ""
    first, second = result.calls[3], result.calls[5]
    assert "<HostQueryRs" in first.args["strHCPResponse"] and second.args["strHCPResponse"] == ""
    assert first.result == HOST_RQ and second.result == CUSTOMER_RQ
    assert result.percents[0] in range(1, 100) and result.percents[-1] == 100
    assert result.outcome == "done" and result.close_message == "halo-accounts: update complete."
    assert "<HostQueryRs" in str(seen["host_rs"]) and "<CustomerQueryRs" in str(seen["customer_rs"])
    host = seen["host"]
    assert isinstance(host, HostInfo)
    assert host.country == first.args["qbXMLCountry"] and host.major == first.args["qbXMLMajorVers"] > 0
    assert host.product_name and host.supported_versions


def test_wrong_password_gets_nvu_and_nothing_else(serve: Callable[..., str], company: Company) -> None:
    ran = threading.Event()
    url = serve(lambda t: ran.set())
    driver = drive(url, company, password="guess")
    result = driver.run_update()
    assert result.methods == ["serverVersion", "clientVersion", "authenticate"]
    assert result.calls[-1].result == ["", "nvu"] and result.outcome == "nvu"
    svc = driver.service
    assert (svc.sendRequestXML(ticket="", strHCPResponse="", strCompanyFileName="", qbXMLCountry="US",
                               qbXMLMajorVers=13, qbXMLMinorVers=0) or "") == ""
    assert "does not know this Web Connector session" in svc.getLastError(ticket="")
    assert svc.receiveResponseXML(ticket="", response="<QBXML/>", hresult="", message="") < 0
    assert not ran.wait(0.2)


def test_unknown_ticket_after_a_restart_ends_cleanly(serve: Callable[..., str], company: Company) -> None:
    before = drive(serve(lambda t: None), company).service
    ticket = before.authenticate(strUserName=USER, strPassword=PASSWORD)[0]
    after = drive(serve(lambda t: None), company).service  # "restarted": a new server, empty session table
    assert (after.sendRequestXML(ticket=ticket, strHCPResponse="", strCompanyFileName="", qbXMLCountry="US",
                                 qbXMLMajorVers=13, qbXMLMinorVers=0) or "") == ""
    message = after.getLastError(ticket=ticket)
    assert "does not know this Web Connector session" in message and "run the update again" in message
    assert after.receiveResponseXML(ticket=ticket, response="<QBXML/>", hresult="", message="") < 0
    assert "does not know" in after.closeConnection(ticket=ticket)


def test_a_failing_job_gives_negative_percent_and_its_message(serve: Callable[..., str], company: Company) -> None:
    def job(t: QbxmlTransport) -> None:
        t.process(HOST_RQ)
        raise HaloAccountsError("qbwc.no_answer")

    result = drive(serve(job), company).run_update()
    assert result.methods[-4:] == ["sendRequestXML", "receiveResponseXML", "getLastError", "closeConnection"]
    assert result.percents == [-1]
    assert result.outcome == "error" and "has not sent its next request" in result.error
    assert result.close_message == result.error


def test_slow_worker_gets_noop_then_continues(serve: Callable[..., str], company: Company) -> None:
    def job(t: QbxmlTransport) -> None:
        time.sleep(0.4)
        t.process(HOST_RQ)

    result = drive(serve(job, request_wait=0.05), company).run_update()
    noops = [c for c in result.calls if c.method == "getLastError"]
    assert noops and all(c.result == "NoOp" for c in noops)
    assert result.methods[3:5] == ["sendRequestXML", "getLastError"]
    assert result.outcome == "done" and result.percents == [100] and result.requests == [HOST_RQ]


def test_percent_never_reaches_100_while_work_remains(serve: Callable[..., str], company: Company) -> None:
    def job(t: QbxmlTransport) -> None:
        for _ in range(5):
            t.process(CUSTOMER_RQ)
        time.sleep(0.3)  # still busy after the last answer: must not be reported as done

    result = drive(serve(job, answer_wait=0.05, request_wait=0.05), company).run_update()
    assert result.outcome == "done"
    assert result.percents[-1] == 100
    assert all(1 <= p <= 99 for p in result.percents[:-1])
    assert len(result.percents) == 6  # five requests, then the harmless HostQuery filler answered with 100
    assert "<HostQueryRq/>" in result.requests[-1]


def test_quickbooks_hresult_stops_the_worker(serve: Callable[..., str], company: Company) -> None:
    raised: list[LedgerUnavailable] = []
    done = threading.Event()

    def job(t: QbxmlTransport) -> None:
        try:
            t.process("<QBXML>not what QuickBooks expects")
        except LedgerUnavailable as exc:
            raised.append(exc)
        finally:
            done.set()

    result = drive(serve(job), company).run_update()  # the sandbox refuses the document as QBXMLRP2 would
    assert result.calls[4].args["hresult"] == "0x80040400" and result.percents == [-101]
    assert "0x80040400" in result.error and "parsing" in result.error
    assert done.wait(5) and raised[0].code == "qbwc.quickbooks_error"


def test_connection_error_ends_the_update(serve: Callable[..., str], company: Company) -> None:
    result = drive(serve(lambda t: None), company,
                   connection_fault=("0x80040408", "Could not start QuickBooks.")).run_update()
    assert result.methods[-2:] == ["connectionError", "closeConnection"]
    assert result.calls[-2].result == "done"
    assert "Could not start QuickBooks" in result.close_message


def test_early_close_wakes_the_job_with_ledger_unavailable(serve: Callable[..., str], company: Company) -> None:
    raised: list[LedgerUnavailable] = []
    done = threading.Event()

    def job(t: QbxmlTransport) -> None:
        try:
            t.process(HOST_RQ)
        except LedgerUnavailable as exc:
            raised.append(exc)
        finally:
            done.set()

    svc = drive(serve(job), company).service
    ticket = svc.authenticate(strUserName=USER, strPassword=PASSWORD)[0]
    sent = svc.sendRequestXML(ticket=ticket, strHCPResponse="", strCompanyFileName="", qbXMLCountry="US",
                              qbXMLMajorVers=13, qbXMLMinorVers=0)
    assert sent == HOST_RQ
    assert "ended before the sync had finished" in svc.closeConnection(ticket=ticket)
    assert done.wait(5) and raised[0].code == "qbwc.session_closed"


def test_nothing_to_do_is_none(serve: Callable[..., str], company: Company) -> None:
    result = drive(serve(lambda t: None, has_work=lambda: False), company).run_update()
    assert result.outcome == "none" and result.calls[-1].result[1] == "none"


def test_wsdl_is_served_with_our_address_and_loads_in_zeep(serve: Callable[..., str]) -> None:
    url = serve(lambda t: None)
    response = httpx.get(url + "?wsdl")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    address = root.find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address is not None and address.get("location") == url
    client = zeep.Client(url + "?wsdl")
    assert client.service.serverVersion().startswith("halo-accounts ")


def test_packaged_wsdl_is_intuits() -> None:
    assert server.wsdl_text() == QBWC_WSDL.read_bytes()


def test_driver_host_request_is_valid_qbxml() -> None:
    assert SCHEMA.validate(etree.fromstring(HCP_REQUEST.encode())), SCHEMA.error_log


def test_doctype_in_a_soap_request_is_refused(serve: Callable[..., str]) -> None:
    url = serve(lambda t: None)
    evil = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f'<authenticate xmlns="http://developer.intuit.com/"><strUserName>&x;</strUserName>'
        f"<strPassword>{PASSWORD}</strPassword></authenticate></soap:Body></soap:Envelope>"
    )
    response = httpx.post(url, content=evil, headers={"Content-Type": "text/xml; charset=utf-8",
                                                      "SOAPAction": '"http://developer.intuit.com/authenticate"'})
    assert response.status_code == 500
    assert b"Fault" in response.content and b"DOCTYPE" in response.content
    assert b"authenticateResult" not in response.content


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "sync.example.com", "::"])
def test_plain_http_off_loopback_is_refused_at_start(host: str) -> None:
    with pytest.raises(HaloAccountsError) as info:
        server.listen_options(WebConnectorSettings(host=host))
    assert info.value.code == "qbwc.https_required" and "cert_file" in info.value.fix
    app = server.create_app(SETTINGS, lambda t: None, password=PASSWORD)
    with pytest.raises(HaloAccountsError):
        server.serve(app, WebConnectorSettings(host=host))
    with pytest.raises(HaloAccountsError), server.running(app, WebConnectorSettings(host=host), host=host):
        pass


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_plain_http_on_loopback_is_allowed(host: str) -> None:
    assert server.listen_options(WebConnectorSettings(host=host)) == {}


def test_certificate_settings_are_checked(tmp_path: Path) -> None:
    with pytest.raises(HaloAccountsError) as info:
        server.listen_options(WebConnectorSettings(host="0.0.0.0", cert_file=str(tmp_path / "c.pem")))
    assert info.value.code == "qbwc.cert_incomplete"
    with pytest.raises(HaloAccountsError) as info:
        server.listen_options(WebConnectorSettings(host="0.0.0.0", cert_file=str(tmp_path / "c.pem"),
                                                   key_file=str(tmp_path / "k.pem")))
    assert info.value.code == "qbwc.cert_missing"
    (tmp_path / "c.pem").write_text("x")
    (tmp_path / "k.pem").write_text("x")
    options = server.listen_options(WebConnectorSettings(host="0.0.0.0", cert_file=str(tmp_path / "c.pem"),
                                                         key_file=str(tmp_path / "k.pem")))
    assert options == {"ssl_certfile": str(tmp_path / "c.pem"), "ssl_keyfile": str(tmp_path / "k.pem")}


def test_password_comes_from_the_secret_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("halo_accounts.secrets._from_keyring", lambda name: None)
    monkeypatch.delenv("HALO_ACCOUNTS_WEBCONNECTOR_PASSWORD", raising=False)
    with pytest.raises(HaloAccountsError) as info:
        server.create_app(SETTINGS, lambda t: None)
    assert info.value.code == "qbwc.password_missing"
    monkeypatch.setenv("HALO_ACCOUNTS_WEBCONNECTOR_PASSWORD", PASSWORD)
    app = server.create_app(SETTINGS, lambda t: None)
    assert app.state.protocol.authenticate(USER, PASSWORD)[1] == ""
    assert app.state.protocol.authenticate(USER, "nope") == ["", "nvu"]


def test_endpoint_url_and_plain_get() -> None:
    assert server.endpoint_url(WebConnectorSettings(port=9000)) == "http://localhost:9000/qbwc"
    assert server.endpoint_url(WebConnectorSettings(public_url="https://s.example.com")) == \
        "https://s.example.com/qbwc"
    assert server.endpoint_url(WebConnectorSettings(public_url="https://s.example.com/x/qbwc")) == \
        "https://s.example.com/x/qbwc"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a test certificate")
def test_https_with_a_configured_certificate(tmp_path: Path, company: Company) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    settings = WebConnectorSettings(username=USER, host="0.0.0.0", cert_file=str(cert), key_file=str(key))
    assert server.listen_options(settings) == {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
    app = server.create_app(settings, lambda t: t.process(HOST_RQ) and None, password=PASSWORD)
    with server.running(app, settings) as url:
        assert url.startswith("https://127.0.0.1:")
        with drive(url, company, verify=str(cert)) as driver:
            result = driver.run_update()
    assert result.outcome == "done" and result.percents == [100]
