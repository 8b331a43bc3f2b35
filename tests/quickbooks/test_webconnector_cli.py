"""`halo-accounts sandbox webconnector` runs one update against a live endpoint with a sandbox company file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from halo_accounts.ledgers.quickbooks.settings import WebConnectorSettings
from halo_accounts.ledgers.quickbooks.transport import QbxmlTransport
from halo_accounts.ledgers.quickbooks.webconnector import server

HOST_RQ = (
    '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?>'
    '<QBXML><QBXMLMsgsRq onError="stopOnError"><HostQueryRq requestID="1"/></QBXMLMsgsRq></QBXML>'
)


def test_sandbox_webconnector_command_runs_one_update(tmp_path: Path) -> None:
    from halo_accounts.cli import app

    answers: list[str] = []

    def job(t: QbxmlTransport) -> None:
        answers.append(t.process(HOST_RQ))

    endpoint = server.create_app(WebConnectorSettings(username="qb"), job, password="pw")
    with server.running(endpoint) as url:
        args = ["sandbox", "webconnector", "--url", url, "--user", "qb", "--company", str(tmp_path / "uk.qbw"),
                "--edition", "UK", "--noop-pause", "0.01"]
        ok = CliRunner().invoke(app, [*args, "--password", "pw"])
        refused = CliRunner().invoke(app, [*args, "--password", "wrong"])
    assert ok.exit_code == 0, ok.output
    assert "receiveResponseXML" in ok.output and "Update done: 1 request(s)" in ok.output
    assert answers and "<HostQueryRs" in answers[0]
    assert refused.exit_code != 0 and "pw" not in refused.output.replace("password", "")
