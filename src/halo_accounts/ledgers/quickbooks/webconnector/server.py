"""The Web Connector endpoint over HTTP: a Starlette app (``POST /qbwc`` SOAP, ``GET /qbwc?wsdl``) and uvicorn.

All protocol decisions are in `protocol`; this module only moves bytes and refuses to listen in the clear on
anything but loopback (qbxml/NOTES.md §0 item 1: QBWC needs HTTPS except for localhost).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import threading
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from halo_accounts import xmlsafe
from halo_accounts.config import Settings
from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.quickbooks.settings import WebConnectorSettings
from halo_accounts.ledgers.quickbooks.webconnector import soap
from halo_accounts.ledgers.quickbooks.webconnector.auth import Credentials
from halo_accounts.ledgers.quickbooks.webconnector.bridge import (
    ANSWER_WAIT_SECONDS,
    REQUEST_WAIT_SECONDS,
    Job,
    JobBridge,
)
from halo_accounts.ledgers.quickbooks.webconnector.protocol import SESSION_IDLE_SECONDS, WebConnectorProtocol

log = logging.getLogger(__name__)

PATH = "/qbwc"
XML_TYPE = "text/xml; charset=utf-8"
#: Largest SOAP body accepted. [?] QuickBooks answers can be large (a full CustomerQueryRs of a big company
#: file runs to megabytes); 64 MiB bounds memory without refusing real answers.
MAX_BODY_BYTES = 64 * 1024 * 1024
_LOOPBACK_NAMES = {"localhost"}
_WSDL_SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/"


def _webconnector(settings: Settings | WebConnectorSettings) -> WebConnectorSettings:
    return settings.webconnector if isinstance(settings, Settings) else settings


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def wsdl_text() -> bytes:
    """Intuit's WSDL as shipped in the package (a copy of shared/reference/qbwc, checked by a test)."""
    return resources.files(__package__).joinpath("wsdl", "QBWebConnectorSvc.wsdl").read_bytes()


@lru_cache(maxsize=16)
def wsdl_for(address: str) -> bytes:
    """The WSDL with its service address set to ``address``."""
    root = xmlsafe.parse(wsdl_text(), what="packaged WSDL")
    for el in root.iter(f"{{{_WSDL_SOAP_NS}}}address"):
        el.set("location", address)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _dispatch(protocol: WebConnectorProtocol, call: soap.SoapCall) -> str | int | list[str]:
    m, g = call.method, call.get
    if m == "serverVersion":
        return protocol.server_version()
    if m == "clientVersion":
        return protocol.client_version(g("strVersion"))
    if m == "authenticate":
        return protocol.authenticate(g("strUserName"), g("strPassword"))
    if m == "sendRequestXML":
        return protocol.send_request_xml(
            g("ticket"),
            g("strHCPResponse"),
            g("strCompanyFileName"),
            g("qbXMLCountry"),
            call.get_int("qbXMLMajorVers"),
            call.get_int("qbXMLMinorVers"),
        )
    if m == "receiveResponseXML":
        return protocol.receive_response_xml(g("ticket"), g("response"), g("hresult"), g("message"))
    if m == "connectionError":
        return protocol.connection_error(g("ticket"), g("hresult"), g("message"))
    if m == "getLastError":
        return protocol.get_last_error(g("ticket"))
    return protocol.close_connection(g("ticket"))


def _fault(message: str, status: int = 500, *, client: bool = True) -> Response:
    # SOAP 1.1 §6.2: a fault is sent with HTTP 500.
    return Response(soap.build_fault(message, client=client), status_code=status, media_type=XML_TYPE)


async def _read_body(request: Request) -> bytes | None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(
    settings: Settings | WebConnectorSettings,
    job: Job,
    *,
    password: str | None = None,
    credentials: Credentials | None = None,
    has_work: Callable[[], bool] | None = None,
    company_file: str = "",
    request_wait: float = REQUEST_WAIT_SECONDS,
    answer_wait: float = ANSWER_WAIT_SECONDS,
    idle_seconds: float = SESSION_IDLE_SECONDS,
) -> Starlette:
    """The endpoint app. Each authenticated update runs ``job(transport)`` in a worker thread.

    The password is hashed here and only the hash is kept; without ``password``/``credentials`` it is read
    from the secret ``webconnector.password`` (environment or keyring). ``has_work`` decides whether an update
    has anything to do (``"none"`` to the Web Connector otherwise); ``company_file`` is the file QBWC should
    open ("" = the one open in QuickBooks).
    """
    wc = _webconnector(settings)
    if credentials is None:
        if password is None:
            from halo_accounts.secrets import get_secret

            password = get_secret("webconnector.password", required=False)
            if not password:
                raise HaloAccountsError("qbwc.password_missing")
        credentials = Credentials.from_password(wc.username, password)
    protocol = WebConnectorProtocol(
        credentials,
        lambda: JobBridge(job, request_wait=request_wait, answer_wait=answer_wait, response_timeout=idle_seconds),
        has_work=has_work,
        company_file=company_file,
        idle_seconds=idle_seconds,
    )

    async def endpoint(request: Request) -> Response:
        if request.method == "GET":
            if any(k.lower() == "wsdl" for k in request.query_params):
                address = endpoint_url(wc) if wc.public_url else str(request.url.replace(query=""))
                return Response(wsdl_for(address), media_type=XML_TYPE)
            return PlainTextResponse("halo-accounts QuickBooks Web Connector endpoint. WSDL: ?wsdl\n")
        body = await _read_body(request)
        if body is None:
            return _fault("request too large", 413)
        try:
            call = soap.parse_request(body)
        except HaloAccountsError as exc:
            log.warning("Refused a Web Connector request: %s", exc.message)
            return _fault(exc.message)
        try:
            result = await run_in_threadpool(_dispatch, protocol, call)
        except Exception:
            log.exception("Web Connector callback %s failed", call.method)
            return _fault("internal error in halo-accounts; see its log", client=False)
        return Response(soap.build_response(call.method, result), media_type=XML_TYPE)

    app = Starlette(routes=[Route(PATH, endpoint, methods=["GET", "POST"])])
    app.state.protocol = protocol
    return app


def endpoint_url(settings: Settings | WebConnectorSettings) -> str:
    """The URL the Web Connector calls: ``webconnector.public_url`` (``/qbwc`` appended when it has no path),
    else ``http://localhost:{port}/qbwc``."""
    wc = _webconnector(settings)
    url = wc.public_url.strip()
    if not url:
        return f"http://localhost:{wc.port}{PATH}"
    from urllib.parse import urlsplit

    if urlsplit(url).path in ("", "/"):
        return url.rstrip("/") + PATH
    return url


def listen_options(settings: Settings | WebConnectorSettings, *, host: str | None = None) -> dict[str, Any]:
    """uvicorn TLS options for ``settings``; refuses plain HTTP on anything but loopback."""
    wc = _webconnector(settings)
    host = wc.host if host is None else host
    cert, key = wc.cert_file.strip(), wc.key_file.strip()
    if bool(cert) != bool(key):
        raise HaloAccountsError("qbwc.cert_incomplete")
    if cert:
        for path in (cert, key):
            if not Path(path).is_file():
                raise HaloAccountsError("qbwc.cert_missing", path=path)
        return {"ssl_certfile": cert, "ssl_keyfile": key}
    if not is_loopback(host):
        raise HaloAccountsError("qbwc.https_required", host=host)
    return {}


def serve(app: Starlette, settings: Settings | WebConnectorSettings, *, host: str | None = None,
          port: int | None = None) -> None:
    """Run the endpoint with uvicorn until interrupted (HTTPS when a certificate is configured)."""
    import uvicorn

    wc = _webconnector(settings)
    host = wc.host if host is None else host
    options = listen_options(wc, host=host)
    uvicorn.run(app, host=host, port=wc.port if port is None else port, log_level="warning", **options)


@contextlib.contextmanager
def running(app: Starlette, settings: Settings | WebConnectorSettings | None = None, *, host: str = "127.0.0.1",
            port: int = 0, start_timeout: float = 10.0) -> Iterator[str]:
    """Serve ``app`` in a background thread (port 0 = chosen by the OS); yields the endpoint URL."""
    import uvicorn

    options = listen_options(settings or WebConnectorSettings(host=host), host=host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off",
                            timeout_graceful_shutdown=2, **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="qbwc-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the Web Connector endpoint did not start")
        time.sleep(0.01)
    sock = server.servers[0].sockets[0]
    bound_port = sock.getsockname()[1]
    scheme = "https" if options else "http"
    shown = f"[{host}]" if ":" in host else host
    try:
        yield f"{scheme}://{shown}:{bound_port}{PATH}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
