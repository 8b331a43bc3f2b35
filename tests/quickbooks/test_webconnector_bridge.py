"""The thread bridge on its own: the worker's blocking `process` meets the callbacks' hand-over."""

from __future__ import annotations

import threading
import time

import pytest

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import LedgerUnavailable
from halo_accounts.ledgers.quickbooks.transport import QbxmlTransport
from halo_accounts.ledgers.quickbooks.webconnector.bridge import JobBridge
from halo_accounts.ledgers.quickbooks.webconnector.protocol import HostContext

CTX = HostContext("", "C:\\Co.QBW", "US", 13, 0)


def test_each_process_call_is_one_round_trip() -> None:
    answers: list[str] = []

    def job(t: QbxmlTransport) -> None:
        answers.append(t.process("R1"))
        t.progress(1, 2)  # type: ignore[attr-defined]
        answers.append(t.process("R2"))

    bridge = JobBridge(job, request_wait=5, answer_wait=5)
    bridge.start(CTX)
    first = bridge.next_request()
    assert (first.step, first.request) == ("request", "R1")
    after = bridge.deliver("A1")
    assert after.step == "request" and after.progress == (1, 2)
    assert bridge.next_request().request == "R2"
    assert bridge.deliver("A2").step == "finished"
    bridge.join(5)
    assert answers == ["A1", "A2"]
    host = bridge.transport.host_info()
    assert host is not None and host.company_file == "C:\\Co.QBW" and host.version == (13, 0)


def test_slow_worker_reports_working_not_a_request() -> None:
    go = threading.Event()

    def job(t: QbxmlTransport) -> None:
        go.wait(5)
        t.process("R1")

    bridge = JobBridge(job, request_wait=0.05, answer_wait=0.05)
    bridge.start(CTX)
    assert bridge.next_request().step == "working"
    go.set()
    assert bridge.next_request().request == "R1"
    bridge.abandon(HaloAccountsError("qbwc.session_closed", reason="test"))
    bridge.join(5)


def test_abandon_wakes_the_waiting_worker_with_ledger_unavailable() -> None:
    raised: list[BaseException] = []

    def job(t: QbxmlTransport) -> None:
        try:
            t.process("R1")
        except LedgerUnavailable as exc:
            raised.append(exc)
            raise

    bridge = JobBridge(job, request_wait=5, answer_wait=5)
    bridge.start(CTX)
    bridge.next_request()
    bridge.abandon(HaloAccountsError("qbwc.session_closed", reason="the Web Connector closed the connection"))
    bridge.join(5)
    assert raised and isinstance(raised[0], LedgerUnavailable)
    assert raised[0].code == "qbwc.session_closed" and raised[0].retryable


def test_quickbooks_failure_raises_in_the_worker() -> None:
    raised: list[LedgerUnavailable] = []

    def job(t: QbxmlTransport) -> None:
        try:
            t.process("R1")
        except LedgerUnavailable as exc:
            raised.append(exc)

    bridge = JobBridge(job, request_wait=5, answer_wait=5)
    bridge.start(CTX)
    bridge.next_request()
    bridge.fail(HaloAccountsError("qbwc.quickbooks_error", detail="parse error", hresult="0x80040400"))
    bridge.join(5)
    assert raised[0].code == "qbwc.quickbooks_error" and "0x80040400" in raised[0].message


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (HaloAccountsError("qbwc.no_answer"), "has not sent its next request"),
        (ZeroDivisionError("boom"), "unexpected error (ZeroDivisionError)"),
    ],
)
def test_job_exception_becomes_a_plain_failure(error: BaseException, expected: str) -> None:
    def job(t: QbxmlTransport) -> None:
        t.process("R1")
        raise error

    bridge = JobBridge(job, request_wait=5, answer_wait=5)
    bridge.start(CTX)
    bridge.next_request()
    state = bridge.deliver("A1")
    assert state.step == "failed" and expected in state.message
    assert "Traceback" not in state.message and "boom" not in state.message


def test_worker_gives_up_when_no_answer_comes() -> None:
    raised: list[LedgerUnavailable] = []

    def job(t: QbxmlTransport) -> None:
        try:
            t.process("R1")
        except LedgerUnavailable as exc:
            raised.append(exc)

    bridge = JobBridge(job, request_wait=5, answer_wait=5, response_timeout=0.1)
    bridge.start(CTX)
    bridge.next_request()
    start = time.monotonic()
    bridge.join(5)
    assert time.monotonic() - start < 5
    assert raised[0].code == "qbwc.session_expired"
    assert bridge.next_request().step == "failed"


def test_host_info_comes_from_the_real_first_send_request() -> None:
    from halo_accounts.ledgers.quickbooks.webconnector import soap
    from refpaths import QB_REAL_RESPONSES

    raw = (QB_REAL_RESPONSES / "consolibyte-soap-04-sendRequestXML-request-first.xml").read_bytes()
    call = soap.parse_request(raw)
    bridge = JobBridge(lambda t: None)
    bridge.start(HostContext(call.get("strHCPResponse"), call.get("strCompanyFileName"), call.get("qbXMLCountry"),
                             call.get_int("qbXMLMajorVers"), call.get_int("qbXMLMinorVers")))
    bridge.join(5)
    host = bridge.transport.host_info()
    assert host is not None
    assert host.product_name == "QuickBooks Pro 2006" and host.country == "US" and host.version == (5, 0)
    assert "5.0" in host.supported_versions and host.company_file.endswith("Test Company.QBW")
