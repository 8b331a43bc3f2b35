"""Turns the Web Connector's pull into an ordinary blocking call: ``job(transport)`` runs in a worker thread,
each ``transport.process(xml)`` becomes the next sendRequestXML answer and returns when receiveResponseXML
brings QuickBooks' response (DESIGN.md "The shape"; TEAM.md "Web Connector session hook").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Literal

from halo_accounts import xmlsafe
from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import LedgerUnavailable
from halo_accounts.ledgers.quickbooks.transport import HostInfo, QbxmlTransport
from halo_accounts.ledgers.quickbooks.webconnector.protocol import (
    SESSION_IDLE_SECONDS,
    HostContext,
    WorkState,
)

log = logging.getLogger(__name__)

Job = Callable[[QbxmlTransport], None]

#: How long sendRequestXML waits for the job's next request before answering NoOp. [?] QBWC's per-call timeout
#: is undocumented (qbxml/NOTES.md §8 item 2); 30 s stays well inside the usual 100 s .NET web-client default.
REQUEST_WAIT_SECONDS = 30.0
#: How long receiveResponseXML waits to learn whether the job has more to do (else it answers < 100 and the
#: next sendRequestXML waits or says NoOp). Same source as above.
ANSWER_WAIT_SECONDS = 30.0


class BridgeTransport:
    """The `QbxmlTransport` the job sees; every call blocks the worker thread, never the server."""

    def __init__(self, bridge: JobBridge) -> None:
        self._bridge = bridge

    def process(self, request_xml: str) -> str:
        return self._bridge.exchange(request_xml)

    def host_info(self) -> HostInfo | None:
        return self._bridge.host_info()

    def progress(self, done: int, total: int) -> None:
        """Optional: tell the Web Connector how far the job has got (shown as percent)."""
        self._bridge.report_progress(done, total)


def _host_details(hcp_response: str) -> tuple[str, tuple[str, ...]]:
    """ProductName and SupportedQBXMLVersion values from a HostQueryRs, if present."""
    if not hcp_response.strip():
        return "", ()
    try:
        root = xmlsafe.parse(hcp_response.strip(), what="host response from the Web Connector")
    except HaloAccountsError:
        return "", ()
    name = root.findtext(".//HostRet/ProductName") or ""
    versions = tuple(v.text.strip() for v in root.iterfind(".//HostRet/SupportedQBXMLVersion") if v.text)
    return name, versions


class JobBridge:
    """One update's `Work` (see `protocol.Work`): thread-safe hand-over between callbacks and the worker."""

    def __init__(
        self,
        job: Job,
        *,
        request_wait: float = REQUEST_WAIT_SECONDS,
        answer_wait: float = ANSWER_WAIT_SECONDS,
        response_timeout: float = SESSION_IDLE_SECONDS,
    ) -> None:
        self._job = job
        self._request_wait = request_wait
        self._answer_wait = answer_wait
        self._response_timeout = response_timeout
        self._cond = threading.Condition()
        self._state: Literal["new", "running", "finished", "failed", "abandoned"] = "new"
        self._outbox: str | None = None
        """A request from the worker that the Web Connector has not fetched yet."""
        self._awaiting = False
        """The worker waits for the response to a fetched request."""
        self._inbox: str | None = None
        self._error: HaloAccountsError | None = None
        """Why the job stopped (failed/abandoned), or what its waiting call must raise."""
        self._progress: tuple[int, int] | None = None
        self._context: HostContext | None = None
        self._thread: threading.Thread | None = None
        self.transport = BridgeTransport(self)

    # --- the Web Connector side (called by the protocol) -------------------------------------------------------
    def start(self, context: HostContext) -> None:
        with self._cond:
            if self._state != "new":
                return
            self._state = "running"
            self._context = context
        self._thread = threading.Thread(target=self._run, name="qbwc-job", daemon=True)
        self._thread.start()

    def next_request(self) -> WorkState:
        with self._cond:
            self._cond.wait_for(lambda: self._outbox is not None or self._state != "running", self._request_wait)
            if self._outbox is not None and self._state == "running":
                request, self._outbox = self._outbox, None
                self._awaiting = True
                return WorkState("request", request=request, progress=self._progress)
            return self._snapshot()

    def deliver(self, response: str) -> WorkState:
        with self._cond:
            if self._awaiting and self._state == "running":
                self._inbox = response
                self._awaiting = False
                self._cond.notify_all()
            self._cond.wait_for(lambda: self._outbox is not None or self._state != "running", self._answer_wait)
            return self._snapshot()

    def fail(self, error: HaloAccountsError) -> None:
        with self._cond:
            self._awaiting = False
            self._abandon_locked(error)

    def abandon(self, error: HaloAccountsError) -> None:
        with self._cond:
            self._abandon_locked(error)

    def _abandon_locked(self, error: HaloAccountsError) -> None:
        if self._state in ("new", "running"):
            self._state = "abandoned"
            self._error = error
        self._outbox = None
        self._cond.notify_all()

    def _snapshot(self) -> WorkState:
        if self._state == "running":
            if self._outbox is not None:
                return WorkState("request", request=self._outbox, progress=self._progress)
            return WorkState("working", progress=self._progress)
        if self._state == "finished":
            return WorkState("finished", progress=self._progress)
        return WorkState("failed", message=str(self._error) if self._error else "", progress=self._progress)

    # --- the worker side ---------------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._job(self.transport)
        except HaloAccountsError as exc:
            self._finish("failed", exc)
        except Exception as exc:
            log.exception("The Web Connector job failed")
            self._finish("failed", HaloAccountsError("qbwc.job_failed", kind=type(exc).__name__))
        else:
            self._finish("finished", None)

    def _finish(self, state: Literal["finished", "failed"], error: HaloAccountsError | None) -> None:
        with self._cond:
            if self._state == "running":
                self._state = state
                self._error = error
            self._outbox = None
            self._cond.notify_all()

    def exchange(self, request_xml: str) -> str:
        with self._cond:
            if self._state != "running":
                raise self._unavailable()
            self._outbox = request_xml
            self._cond.notify_all()
            arrived = self._cond.wait_for(
                lambda: self._inbox is not None or self._state != "running", self._response_timeout
            )
            if self._inbox is not None:
                response, self._inbox = self._inbox, None
                return response
            if not arrived:
                self._abandon_locked(HaloAccountsError("qbwc.session_expired", seconds=int(self._response_timeout)))
            raise self._unavailable()

    def _unavailable(self) -> LedgerUnavailable:
        error = self._error or HaloAccountsError("qbwc.session_closed", reason="the session is over")
        return LedgerUnavailable(error.code, **error.params)

    def report_progress(self, done: int, total: int) -> None:
        with self._cond:
            self._progress = (max(0, done), max(0, total))

    def host_info(self) -> HostInfo | None:
        context = self._context
        if context is None:
            return None
        product, versions = _host_details(context.hcp_response)
        return HostInfo(
            country=context.country,
            major=context.major,
            minor=context.minor,
            company_file=context.company_file,
            product_name=product,
            supported_versions=versions,
            hcp_response=context.hcp_response,
        )

    def join(self, timeout: float | None = None) -> None:
        """Wait for the worker thread (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)
