"""A stand-in for the QuickBooks Web Connector: drives our endpoint over HTTP with a SOAP client built by zeep from
Intuit's WSDL, and runs each qbXML request against a sandbox company, in the documented call order.

Behaviour traced to shared/reference/qbxml/NOTES.md §1.1 (call sequence), §1.3 (return conventions, NoOp pause,
first-call strHCPResponse) and the real QBWC messages in real-responses/consolibyte-soap-*.xml.
Used by tests and by `halo-accounts sandbox webconnector`; product code never imports it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Protocol

from halo_accounts import xmlsafe
from halo_accounts.errors import HaloAccountsError

#: The version string QBWC sends to clientVersion (NOTES §1.2 example; the real log shows 2.0.0.116).
CLIENT_VERSION = "2.1.0.30"
#: NOTES §1.3: after getLastError returns NoOp, QBWC pauses ~5 s before calling sendRequestXML again.
NOOP_PAUSE_SECONDS = 5.0
#: NOTES §1.3: a NoOp is followed by another sendRequestXML; bound the loop so a stuck server ends the update.
MAX_NOOPS = 1000
#: The Host/Company/Preferences request whose answer QBWC passes as strHCPResponse on the first
#: sendRequestXML (NOTES §1.3 [I]; the real answers in real-responses/*HostQueryRs-CompanyQueryRs-
#: PreferencesQueryRs* carry requestIDs 0, 1, 2). [?] The qbXML version QBWC itself uses for it is not known.
HCP_REQUEST = (
    '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML>'
    '<QBXMLMsgsRq onError="continueOnError"><HostQueryRq requestID="0"/><CompanyQueryRq requestID="1"/>'
    '<PreferencesQueryRq requestID="2"/></QBXMLMsgsRq></QBXML>'
)
_QBWC_NS = "http://developer.intuit.com/"


class Company(Protocol):
    def process(self, request_xml: str) -> str: ...


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    result: Any


@dataclass
class UpdateResult:
    """What one update did, call by call (the password is never recorded)."""

    calls: list[Call] = field(default_factory=list)
    outcome: str = ""
    """"done", "nvu", "none", "busy", "error", "connection_error", "client_refused"."""
    error: str = ""
    close_message: str = ""
    requests: list[str] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)

    @property
    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    @property
    def percents(self) -> list[int]:
        return [c.result for c in self.calls if c.method == "receiveResponseXML"]


def _wsdl_path() -> str:
    ref = resources.files("halo_accounts.ledgers.quickbooks.webconnector").joinpath("wsdl", "QBWebConnectorSvc.wsdl")
    return str(ref)


def _host_facts(hcp: str) -> tuple[str, int, int]:
    """Country and highest plain qbXML version from a HostQueryRs (what QBWC reports to sendRequestXML)."""
    try:
        root = xmlsafe.parse(hcp, what="host response from the sandbox company")
    except HaloAccountsError:
        return "US", 13, 0
    country = (root.findtext(".//HostRet/Country") or "US").strip()
    best = (0, 0)
    for el in root.iterfind(".//HostRet/SupportedQBXMLVersion"):
        match = re.fullmatch(r"\s*(\d+)\.(\d+)\s*", el.text or "")
        if match:
            best = max(best, (int(match.group(1)), int(match.group(2))))
    if best == (0, 0):
        best = (13, 0)
    return country, best[0], best[1]


class WebConnectorDriver:
    """Plays the Web Connector against ``url`` for ``company`` (a sandbox `Company` or anything with process)."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        company: Company,
        *,
        company_file: str = "",
        noop_pause: float = NOOP_PAUSE_SECONDS,
        timeout: float = 60.0,
        client_version: str = CLIENT_VERSION,
        connection_fault: tuple[str, str] | None = None,
        verify: bool | str = True,
    ) -> None:
        import requests
        import zeep
        from zeep.transports import Transport

        self.url = url
        self.username = username
        self._password = password
        self.company = company
        self.company_file = company_file or str(getattr(company, "path", "") or "C:\\Sandbox\\Company.QBW")
        self.noop_pause = noop_pause
        self.client_version = client_version
        self.connection_fault = connection_fault
        """(hresult, message): pretend QuickBooks could not be opened, to exercise connectionError."""
        session = requests.Session()
        session.verify = verify  # a CA bundle path for a self-signed test certificate; the real QBWC uses Windows'
        if verify is not True:
            session.trust_env = False  # else REQUESTS_CA_BUNDLE in the environment overrides an explicit bundle
        self._session = session
        transport = Transport(session=session, timeout=timeout, operation_timeout=timeout)
        client = zeep.Client(_wsdl_path(), transport=transport)
        self.service = client.create_service(f"{{{_QBWC_NS}}}QBWebConnectorSvcSoap", url)

    def _call(self, result: UpdateResult, method: str, **args: Any) -> Any:
        value = getattr(self.service, method)(**args)
        if method == "authenticate":
            value = list(value.string) if value is not None and hasattr(value, "string") else list(value or [])
            value = ["" if v is None else v for v in value]
        elif isinstance(value, str) or value is None:
            value = value or ""
        shown = {k: ("***" if k == "strPassword" else v) for k, v in args.items()}
        result.calls.append(Call(method, shown, value))
        return value

    def run_update(self) -> UpdateResult:
        """One update, as QBWC runs it when the user clicks Update Selected (NOTES §1.1)."""
        r = UpdateResult()
        self._call(r, "serverVersion")
        answer = self._call(r, "clientVersion", strVersion=self.client_version)
        if answer.startswith(("E:", "O:")):  # NOTES §1.2: E = error (abort), O = newer QBWC expected
            r.outcome, r.error = "client_refused", answer[2:]
            return r
        auth = self._call(r, "authenticate", strUserName=self.username, strPassword=self._password)
        ticket = auth[0] if auth else ""
        status = auth[1] if len(auth) > 1 else ""
        if status in ("nvu", "none", "busy"):
            # NOTES §1.3: QBWC stops here. [?] Whether it still calls closeConnection after "none" is not
            # documented; we assume it does not (there is no work session to close).
            r.outcome = status
            return r
        company_file = status or self.company_file
        if self.connection_fault is not None:
            hresult, message = self.connection_fault
            self._call(r, "connectionError", ticket=ticket, hresult=hresult, message=message)
            r.outcome, r.error = "connection_error", message
            r.close_message = self._call(r, "closeConnection", ticket=ticket)
            return r
        hcp = self.company.process(HCP_REQUEST)
        country, major, minor = _host_facts(hcp)
        first, noops = True, 0
        while True:
            request = self._call(
                r, "sendRequestXML", ticket=ticket, strHCPResponse=hcp if first else "",
                strCompanyFileName=company_file, qbXMLCountry=country, qbXMLMajorVers=major, qbXMLMinorVers=minor,
            )
            first = False
            if not request:
                error = self._call(r, "getLastError", ticket=ticket)
                if error == "NoOp" and noops < MAX_NOOPS:
                    noops += 1
                    time.sleep(self.noop_pause)
                    continue
                r.outcome, r.error = "error", error
                break
            r.requests.append(request)
            try:
                response, hresult, message = self.company.process(request), "", ""
            except Exception as exc:
                if not getattr(exc, "hresult", ""):
                    raise  # not a request-processor refusal (e.g. a gap in the sandbox): fail loudly
                # NOTES §1.3: the request processor's failure arrives as hresult + message, response empty.
                response, hresult, message = "", str(exc.hresult), str(getattr(exc, "message", "") or exc)  # type: ignore[attr-defined]
            r.responses.append(response)
            percent = self._call(r, "receiveResponseXML", ticket=ticket, response=response, hresult=hresult,
                                 message=message)
            if percent < 0:
                r.outcome, r.error = "error", self._call(r, "getLastError", ticket=ticket)
                break
            if percent >= 100:
                r.outcome = "done"
                break
        r.close_message = self._call(r, "closeConnection", ticket=ticket)
        return r

    def close(self) -> None:
        """Drop the kept-alive HTTP connections (the real QBWC opens a new one per update)."""
        self._session.close()

    def __enter__(self) -> WebConnectorDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
