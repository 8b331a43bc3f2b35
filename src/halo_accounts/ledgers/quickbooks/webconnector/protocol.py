"""The Web Connector state machine, free of I/O: each SOAP callback in, its exact return value out.

Sessions, tickets, percent done, the last error and NoOp live here (qbxml/NOTES.md §1.1, §1.3, §1.6); what the
session actually sends comes from a `Work` object (the thread bridge in production, a fake in tests).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from halo_accounts import __version__
from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.quickbooks.webconnector.auth import Credentials, new_ticket
from halo_accounts.messages import render

log = logging.getLogger(__name__)

# --- return conventions, each in one place (NOTES §1.3) --------------------------------------------------------
#: authenticate slot [1]: not a valid user.
NVU = "nvu"
#: authenticate slot [1]: authenticated, nothing to do (QBWC ends quietly).
NONE = "none"
#: authenticate slot [1] when another update is already running. [?] QBWC's handling of "busy" is not
#: documented (NOTES §1.3 marks it [I]); "none" is documented to end the update quietly, so we use that.
BUSY = NONE
#: getLastError value that makes QBWC pause ~5 s and call sendRequestXML again (NOTES §1.3).
NOOP = "NoOp"
#: receiveResponseXML: 100 = done (NOTES §1.3).
DONE_PERCENT = 100
#: receiveResponseXML after QuickBooks reported an HRESULT: Intuit's sample returns -101 (NOTES §1.3).
HRESULT_PERCENT = -101
#: receiveResponseXML when the job failed or the ticket is unknown: any negative value (NOTES §1.3).
ERROR_PERCENT = -1
#: connectionError: "done" tells QBWC to stop trying (NOTES §1.2 table).
CONNECTION_ERROR_DONE = "done"
#: clientVersion: oldest QBWC we accept silently. [?] No known incompatibility; 2.0 is the oldest version seen
#: in the real logs (reference real-responses, QBWC 2.0.0.116). Older ones get a "W:" warning (NOTES §1.2).
MINIMUM_CLIENT_VERSION = (2, 0)
#: A session with no callback for this long is ended and its job told so. [?] QBWC's own per-call timeout is
#: not documented (NOTES §8 item 2); 10 minutes is far above the NoOp pause of ~5 s.
SESSION_IDLE_SECONDS = 600.0
#: How many ended tickets are remembered to explain why a late call failed.
_ENDED_MEMORY = 256
#: qbXML version used for the filler request when QBWC reported none (NOTES §0 item 4: target 13.0).
DEFAULT_QBXML_VERSION = (13, 0)


@dataclass(frozen=True)
class HostContext:
    """What QBWC told us about QuickBooks on the first sendRequestXML of a session (NOTES §1.3)."""

    hcp_response: str = ""
    company_file: str = ""
    country: str = ""
    major: int = 0
    minor: int = 0


@dataclass(frozen=True)
class WorkState:
    """Where the session's work stands."""

    step: Literal["request", "working", "finished", "failed"]
    request: str = ""
    """The next qbXML request (step "request")."""
    message: str = ""
    """The plain-language failure (step "failed")."""
    progress: tuple[int, int] | None = None
    """(done, total) as the job last reported it, if it did."""


class Work(Protocol):
    """One update's source of qbXML requests (see `bridge.JobBridge`). Calls may block, but only briefly."""

    def start(self, context: HostContext) -> None: ...

    def next_request(self) -> WorkState:
        """The next request (consumed), or where the work stands if none is ready in time."""
        ...

    def deliver(self, response: str) -> WorkState:
        """Hand QuickBooks' response to the job and report what it does next (nothing is consumed)."""
        ...

    def fail(self, error: HaloAccountsError) -> None:
        """QuickBooks could not run the last request: the job's waiting call raises ``error`` as
        `LedgerUnavailable`."""
        ...

    def abandon(self, error: HaloAccountsError) -> None:
        """The session is over: any waiting or later call of the job raises ``error`` as `LedgerUnavailable`."""
        ...


def progress_percent(answered: int, reported: tuple[int, int] | None) -> int:
    """Percent for receiveResponseXML while work remains: 1..99, never 100 (NOTES §1.3: consolibyte caps at 99)."""
    if reported is not None and reported[1] > 0:
        value = 100 * reported[0] // reported[1]
    else:
        value = 100 * answered // (answered + 4)  # creeps towards 99 when the job gives no totals
    return max(1, min(99, value))


def parse_version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:4])


def filler_request(context: HostContext | None) -> str:
    """A harmless read (HostQueryRq) to send when the job ended between two callbacks, so that the next
    receiveResponseXML can answer 100: sendRequestXML has no other way to say "done" (NOTES §1.3)."""
    major, minor = DEFAULT_QBXML_VERSION
    if context is not None and context.major:
        major, minor = context.major, context.minor
    return (
        f'<?xml version="1.0" encoding="utf-8"?><?qbxml version="{major}.{minor}"?>'
        '<QBXML><QBXMLMsgsRq onError="stopOnError"><HostQueryRq/></QBXMLMsgsRq></QBXML>'
    )


def _text(code: str, **params: object) -> str:
    """The catalogue message with its fix, as one line for the Web Connector's window."""
    return str(HaloAccountsError(code, **params))


@dataclass
class Session:
    ticket: str
    work: Work | None
    last_seen: float
    status: Literal["idle", "ready", "running", "finished", "failed", "closed"] = "ready"
    last_error: str = ""
    answered: int = 0
    filler_sent: bool = False
    context: HostContext | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


class WebConnectorProtocol:
    """The callbacks of one Web Connector endpoint. Thread-safe: each call may come on its own thread."""

    def __init__(
        self,
        credentials: Credentials,
        work_factory: Callable[[], Work],
        *,
        has_work: Callable[[], bool] | None = None,
        company_file: str = "",
        idle_seconds: float = SESSION_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._credentials = credentials
        self._work_factory = work_factory
        self._has_work = has_work or (lambda: True)
        self._company_file = company_file
        self._idle = idle_seconds
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._ended: OrderedDict[str, str] = OrderedDict()
        self._table = threading.Lock()

    # --- session table -----------------------------------------------------------------------------------------
    def _reap(self) -> None:
        now = self._clock()
        expired: list[Session] = []
        with self._table:
            for ticket, session in list(self._sessions.items()):
                if now - session.last_seen > self._idle:
                    expired.append(self._sessions.pop(ticket))
        for session in expired:
            log.warning("Web Connector session %s… expired", session.ticket[:6])
            self._end(session, HaloAccountsError("qbwc.session_expired", seconds=int(self._idle)))

    def _end(self, session: Session, error: HaloAccountsError) -> None:
        """Forget the session, telling its job if it was still going; remember how it ended for late calls."""
        if session.status in ("finished", "idle"):
            message = render("qbwc.complete")[0]
        elif session.status == "failed" and session.last_error:
            message = session.last_error
        else:
            message = str(error)
        if session.work is not None and session.status in ("ready", "running"):
            session.work.abandon(error)
        if session.status not in ("finished", "failed"):
            session.status = "closed"
        with self._table:
            self._sessions.pop(session.ticket, None)
            self._ended[session.ticket] = message
            while len(self._ended) > _ENDED_MEMORY:
                self._ended.popitem(last=False)

    def _session(self, ticket: str) -> Session | None:
        self._reap()
        with self._table:
            session = self._sessions.get(ticket) if ticket else None
        if session is not None:
            session.last_seen = self._clock()
        return session

    def _unknown(self, ticket: str) -> str:
        with self._table:
            ended = self._ended.get(ticket) if ticket else None
        return ended or _text("qbwc.unknown_ticket")

    @property
    def active_sessions(self) -> int:
        with self._table:
            return sum(1 for s in self._sessions.values() if s.status in ("ready", "running"))

    # --- callbacks ---------------------------------------------------------------------------------------------
    def server_version(self) -> str:
        return f"halo-accounts {__version__}"

    def client_version(self, version: str) -> str:
        """"" to go on, "W:<text>" to warn (NOTES §1.2)."""
        parsed = parse_version(version)
        if parsed and parsed[: len(MINIMUM_CLIENT_VERSION)] < MINIMUM_CLIENT_VERSION:
            minimum = ".".join(str(p) for p in MINIMUM_CLIENT_VERSION)
            return "W:" + _text("qbwc.client_too_old", version=version, minimum=minimum)
        return ""

    def authenticate(self, username: str, password: str) -> list[str]:
        """[ticket, ""|"none"|"nvu"|company file] (NOTES §1.3)."""
        self._reap()
        if not self._credentials.check(username, password):
            log.warning("Web Connector sign-in refused for user %r", username[:40])
            return ["", NVU]
        ticket = new_ticket()
        now = self._clock()
        if self.active_sessions:
            log.info("Web Connector update refused: another update is still running")
            status = BUSY
        elif not self._has_work():
            status = NONE
        else:
            status = self._company_file
        session = Session(ticket, None if status == NONE else self._work_factory(), now,
                          status="idle" if status == NONE else "ready")
        with self._table:
            self._sessions[ticket] = session
        return [ticket, status]

    def send_request_xml(
        self, ticket: str, hcp_response: str, company_file: str, country: str, major: int, minor: int
    ) -> str:
        """The next qbXML request, or "" (then getLastError says NoOp or why) (NOTES §1.3)."""
        session = self._session(ticket)
        if session is None or session.work is None:
            return ""
        with session.lock:
            if session.status == "ready":
                session.context = HostContext(hcp_response, company_file, country, major, minor)
                session.status = "running"
                session.work.start(session.context)
            if session.status != "running":
                session.last_error = session.last_error or _text("qbwc.session_closed", reason=session.status)
                return ""
            state = session.work.next_request()
            if state.step == "request":
                session.last_error = ""
                return state.request
            if state.step == "working":
                session.last_error = NOOP
                return ""
            if state.step == "finished":
                session.filler_sent = True
                session.last_error = ""
                return filler_request(session.context)
            session.status = "failed"
            session.last_error = state.message
            return ""

    def receive_response_xml(self, ticket: str, response: str, hresult: str, message: str) -> int:
        """Percent done: 1..99 more to come, 100 done, negative error (then getLastError) (NOTES §1.3)."""
        session = self._session(ticket)
        if session is None or session.work is None:
            return ERROR_PERCENT
        with session.lock:
            if session.status != "running":
                session.last_error = session.last_error or _text("qbwc.session_closed", reason=session.status)
                return ERROR_PERCENT
            if hresult.strip():
                error = HaloAccountsError(
                    "qbwc.quickbooks_error", detail=message.strip() or "no detail", hresult=hresult.strip()
                )
                session.status = "failed"
                session.last_error = str(error)
                session.work.fail(error)
                return HRESULT_PERCENT
            if session.filler_sent:
                session.status = "finished"
                return DONE_PERCENT
            session.answered += 1
            state = session.work.deliver(response)
            if state.step == "finished":
                session.status = "finished"
                return DONE_PERCENT
            if state.step == "failed":
                session.status = "failed"
                session.last_error = state.message
                return ERROR_PERCENT
            return progress_percent(session.answered, state.progress)

    def get_last_error(self, ticket: str) -> str:
        """NoOp, or the message QBWC shows (NOTES §1.3)."""
        session = self._session(ticket)
        if session is None:
            return self._unknown(ticket)
        return session.last_error

    def connection_error(self, ticket: str, hresult: str, message: str) -> str:
        """QBWC could not reach QuickBooks: end the session ("done") (NOTES §1.2)."""
        session = self._session(ticket)
        if session is None:
            return CONNECTION_ERROR_DONE
        error = HaloAccountsError(
            "qbwc.connection_error", detail=message.strip() or "no detail", hresult=hresult.strip()
        )
        log.warning("Web Connector could not open QuickBooks: %s %s", hresult, message)
        with session.lock:
            session.last_error = str(error)
            self._end(session, error)
            session.status = "failed"
        return CONNECTION_ERROR_DONE

    def close_connection(self, ticket: str) -> str:
        """End the session; the text is shown in QBWC."""
        session = self._session(ticket)
        if session is None:
            return self._unknown(ticket)
        with session.lock:
            early = session.status in ("ready", "running")
            reason = HaloAccountsError("qbwc.session_closed", reason="the Web Connector closed the connection")
            self._end(session, reason)
            if session.status == "failed" and session.last_error:
                return session.last_error
            if early and session.work is not None and session.context is not None:
                return str(reason)
            return render("qbwc.complete")[0]
