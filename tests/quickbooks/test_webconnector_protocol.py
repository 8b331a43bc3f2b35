"""The Web Connector state machine on its own: every callback's exact return value, with a scripted `Work`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.quickbooks.webconnector import protocol as p
from halo_accounts.ledgers.quickbooks.webconnector.auth import Credentials
from refpaths import QBXML_XSD_13

CREDS = Credentials.from_password("qbwc", "s3cret")


@dataclass
class ScriptedWork:
    """Plays back WorkStates: ``next_states`` for next_request, ``after`` for deliver."""

    next_states: list[p.WorkState] = field(default_factory=list)
    after: list[p.WorkState] = field(default_factory=list)
    started: p.HostContext | None = None
    delivered: list[str] = field(default_factory=list)
    failed: list[HaloAccountsError] = field(default_factory=list)
    abandoned: list[HaloAccountsError] = field(default_factory=list)

    def start(self, context: p.HostContext) -> None:
        self.started = context

    def next_request(self) -> p.WorkState:
        return self.next_states.pop(0)

    def deliver(self, response: str) -> p.WorkState:
        self.delivered.append(response)
        return self.after.pop(0)

    def fail(self, error: HaloAccountsError) -> None:
        self.failed.append(error)

    def abandon(self, error: HaloAccountsError) -> None:
        self.abandoned.append(error)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(work: ScriptedWork, **kw: object) -> tuple[p.WebConnectorProtocol, Clock]:
    clock = Clock()
    return p.WebConnectorProtocol(CREDS, lambda: work, clock=clock, **kw), clock  # type: ignore[arg-type]


def send(proto: p.WebConnectorProtocol, ticket: str, hcp: str = "") -> str:
    return proto.send_request_xml(ticket, hcp, "C:\\Co.QBW", "UK", 13, 0)


def test_wrong_password_or_user_gets_nvu_and_no_session() -> None:
    proto, _ = make(ScriptedWork())
    assert proto.authenticate("qbwc", "wrong") == ["", "nvu"]
    assert proto.authenticate("other", "s3cret") == ["", "nvu"]
    assert send(proto, "") == ""
    assert "does not know this Web Connector session" in proto.get_last_error("")
    assert proto.receive_response_xml("", "<QBXML/>", "", "") < 0
    assert proto.active_sessions == 0


def test_full_update_returns_documented_values() -> None:
    work = ScriptedWork(
        next_states=[p.WorkState("request", request="R1"), p.WorkState("request", request="R2")],
        after=[p.WorkState("request", request="R2"), p.WorkState("finished")],
    )
    proto, _ = make(work)
    assert proto.server_version().startswith("halo-accounts ")
    assert proto.client_version("2.3.0.36") == ""
    ticket, status = proto.authenticate("qbwc", "s3cret")
    assert len(ticket) >= 40 and status == ""
    assert send(proto, ticket, hcp="<HCP/>") == "R1"
    assert work.started == p.HostContext("<HCP/>", "C:\\Co.QBW", "UK", 13, 0)
    first = proto.receive_response_xml(ticket, "A1", "", "")
    assert 1 <= first <= 99
    assert send(proto, ticket) == "R2"
    assert proto.receive_response_xml(ticket, "A2", "", "") == 100
    assert work.delivered == ["A1", "A2"]
    assert proto.close_connection(ticket) == "halo-accounts: update complete."
    assert work.abandoned == []
    assert proto.get_last_error(ticket) == "halo-accounts: update complete."  # a late call learns how it ended


def test_authenticate_names_the_company_file_and_none_when_no_work() -> None:
    proto, _ = make(ScriptedWork(), company_file="C:\\Books\\Acme.QBW")
    assert proto.authenticate("qbwc", "s3cret")[1] == "C:\\Books\\Acme.QBW"
    idle, _ = make(ScriptedWork(), has_work=lambda: False)
    ticket, status = idle.authenticate("qbwc", "s3cret")
    assert status == "none" and ticket
    assert idle.close_connection(ticket) == "halo-accounts: update complete."


def test_second_update_while_one_runs_is_told_none() -> None:
    work = ScriptedWork(next_states=[p.WorkState("request", request="R1")])
    proto, _ = make(work)
    ticket, _ = proto.authenticate("qbwc", "s3cret")
    send(proto, ticket)
    assert proto.authenticate("qbwc", "s3cret")[1] == p.BUSY


def test_slow_worker_gives_noop() -> None:
    work = ScriptedWork(next_states=[p.WorkState("working"), p.WorkState("request", request="R1")])
    proto, _ = make(work)
    ticket, _ = proto.authenticate("qbwc", "s3cret")
    assert send(proto, ticket) == ""
    assert proto.get_last_error(ticket) == "NoOp"
    assert send(proto, ticket) == "R1"
    assert proto.get_last_error(ticket) == ""


def test_job_that_ends_between_calls_gets_a_valid_filler_then_100() -> None:
    work = ScriptedWork(next_states=[p.WorkState("finished")])
    proto, _ = make(work)
    ticket, _ = proto.authenticate("qbwc", "s3cret")
    filler = send(proto, ticket)
    assert "<HostQueryRq" in filler and 'version="13.0"' in filler
    schema = etree.XMLSchema(etree.parse(str(QBXML_XSD_13)))
    assert schema.validate(etree.fromstring(filler.encode()))
    assert proto.receive_response_xml(ticket, "<QBXML/>", "", "") == 100
    assert work.delivered == []


def test_job_failure_is_negative_with_its_message() -> None:
    work = ScriptedWork(
        next_states=[p.WorkState("request", request="R1")],
        after=[p.WorkState("failed", message="Tax code T9 has no QuickBooks code.")],
    )
    proto, _ = make(work)
    ticket, _ = proto.authenticate("qbwc", "s3cret")
    send(proto, ticket)
    assert proto.receive_response_xml(ticket, "A1", "", "") == p.ERROR_PERCENT
    assert proto.get_last_error(ticket) == "Tax code T9 has no QuickBooks code."
    assert proto.close_connection(ticket) == "Tax code T9 has no QuickBooks code."


def test_job_failure_before_first_request_is_empty_send_and_message() -> None:
    work = ScriptedWork(next_states=[p.WorkState("failed", message="Halo refused the credentials.")])
    proto, _ = make(work)
    ticket, _ = proto.authenticate("qbwc", "s3cret")
    assert send(proto, ticket) == ""
    assert proto.get_last_error(ticket) == "Halo refused the credentials."


def test_hresult_fails_the_worker_and_returns_negative() -> None:
    work = ScriptedWork(next_states=[p.WorkState("request", request="R1")])
    proto, _ = make(work)
    ticket, _ = proto.authenticate("qbwc", "s3cret")
    send(proto, ticket)
    percent = proto.receive_response_xml(ticket, "", "0x80040400", "QuickBooks found an error when parsing")
    assert percent == p.HRESULT_PERCENT < 0
    assert work.failed and work.failed[0].code == "qbwc.quickbooks_error"
    assert "0x80040400" in proto.get_last_error(ticket)
    assert work.delivered == []


def test_unknown_ticket_ends_every_callback_cleanly() -> None:
    proto, _ = make(ScriptedWork())
    assert send(proto, "no-such-ticket") == ""
    assert "does not know this Web Connector session" in proto.get_last_error("no-such-ticket")
    assert proto.receive_response_xml("no-such-ticket", "<QBXML/>", "", "") == p.ERROR_PERCENT
    assert proto.connection_error("no-such-ticket", "0x80040408", "x") == "done"
    assert "does not know" in proto.close_connection("no-such-ticket")


def test_idle_session_expires_and_its_job_is_told() -> None:
    work = ScriptedWork(next_states=[p.WorkState("request", request="R1")])
    proto, clock = make(work, idle_seconds=60)
    ticket, _ = proto.authenticate("qbwc", "s3cret")
    send(proto, ticket)
    clock.now += 61
    assert proto.receive_response_xml(ticket, "late", "", "") == p.ERROR_PERCENT
    assert work.abandoned and work.abandoned[0].code == "qbwc.session_expired"
    assert "did not call back within 60 seconds" in proto.get_last_error(ticket)


def test_early_close_and_connection_error_abandon_the_job() -> None:
    work = ScriptedWork(next_states=[p.WorkState("request", request="R1")])
    proto, _ = make(work)
    ticket, _ = proto.authenticate("qbwc", "s3cret")
    send(proto, ticket)
    assert "ended before the sync had finished" in proto.close_connection(ticket)
    assert work.abandoned[0].code == "qbwc.session_closed"

    work2 = ScriptedWork()
    proto2, _ = make(work2)
    ticket2, _ = proto2.authenticate("qbwc", "s3cret")
    assert proto2.connection_error(ticket2, "0x80040408", "Could not start QuickBooks.") == "done"
    assert work2.abandoned[0].code == "qbwc.connection_error"
    assert "Could not start QuickBooks" in proto2.close_connection(ticket2)


def test_old_client_is_warned() -> None:
    proto, _ = make(ScriptedWork())
    assert proto.client_version("1.5.0.1").startswith("W:")
    assert proto.client_version("2.0.0.116") == ""
    assert proto.client_version("") == ""


@given(st.integers(0, 10_000), st.one_of(st.none(), st.tuples(st.integers(0, 10_000), st.integers(0, 10_000))))
def test_progress_is_never_100_while_work_remains(answered: int, reported: tuple[int, int] | None) -> None:
    assert 1 <= p.progress_percent(answered, reported) <= 99


@pytest.mark.parametrize(("answered", "reported", "expected"), [(1, (1, 4), 25), (3, (4, 4), 99), (0, (0, 0), 1)])
def test_progress_follows_the_job_report(answered: int, reported: tuple[int, int], expected: int) -> None:
    assert p.progress_percent(answered, reported) == expected
