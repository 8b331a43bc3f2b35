"""Plan building and the pieces around a run: --only, the plan's JSON, the scheduler's window and pause."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sync_world import small_seed

from halo_accounts.errors import HaloAccountsError
from halo_accounts.sync.plan import KINDS, parse_only
from halo_accounts.sync.report import RunReport, render
from halo_accounts.sync.scheduler import Scheduler, parse_interval, parse_window, pause, resume


def test_only_accepts_kinds_and_aliases_in_run_order() -> None:
    assert parse_only("") == KINDS
    assert parse_only("invoices,customers") == ("customers", "invoices")
    assert parse_only(["payment", "credits"]) == ("invoices", "payments")
    with pytest.raises(HaloAccountsError) as err:
        parse_only("customers,vendors")
    assert "vendors" in err.value.message and "customers, items, invoices, payments" in err.value.fix


def test_plan_orders_kinds_and_serialises(world: Any) -> None:
    w = world(small_seed(30))
    eng = w.engine()
    plan = eng.plan()
    kinds = [a.kind for a in plan.actions if a.op != "skip"]
    first = {k: kinds.index(k) for k in ("customer", "item", "invoice") if k in kinds}
    assert first["customer"] < first["item"] < first["invoice"]
    data = json.loads(json.dumps(plan.as_dict()))
    assert {a["op"] for a in data["actions"]} >= {"create", "post", "skip"}
    creates = [a for a in data["actions"] if a["op"] == "create" and a["kind"] == "customer"]
    assert all(c["checks"] for c in creates)
    assert not w.store.runs(5)  # planning alone records nothing


def test_plan_only_invoices_still_brings_the_customers_they_need(world: Any) -> None:
    w = world(small_seed(10))
    pending = {inv["client_id"] for inv in w.export()["invoices"] if not inv.get("posted")}
    report = w.engine().run(only="invoices")
    linked = {int(link.halo_id) for link in w.store.links("customer")}
    assert linked and linked <= pending
    assert report.count("invoice", "posted") > 0
    assert report.count("payment", "paid") == 0


def test_report_renders_and_flattens(world: Any) -> None:
    from rich.console import Console

    w = world(small_seed(10), map_taxes=False)
    report = w.engine().run(dry_run=True)
    console = Console(record=True, width=200)
    render(report, console)
    text = console.export_text()
    assert "Plan (dry run" in text and "Held" in text and "Fix:" in text
    r = RunReport()
    r.bump("invoice", "posted", 3)
    assert r.flat_counts() == {"invoice.posted": 3}


def test_intervals_and_windows() -> None:
    assert parse_interval("15m") == 900 and parse_interval("2h") == 7200 and parse_interval("90s") == 90
    assert parse_interval("5s") == 60  # never more often than once a minute
    for bad in ("", "soon", "-5m", "0m"):
        with pytest.raises(HaloAccountsError):
            parse_interval(bad)
    night = parse_window("19:00-07:00")
    assert night.contains(datetime(2026, 1, 1, 23, 0)) and night.contains(datetime(2026, 1, 1, 6, 59))
    assert not night.contains(datetime(2026, 1, 1, 12, 0))
    day = parse_window("9:00-17:30")
    assert day.contains(datetime(2026, 1, 1, 17, 0)) and not day.contains(datetime(2026, 1, 1, 18, 0))
    with pytest.raises(HaloAccountsError):
        parse_window("25:00-07:00")


def test_scheduler_runs_in_window_and_pauses(tmp_path: Path) -> None:
    runs: list[int] = []
    clock = iter([datetime(2026, 1, 1, h, 0) for h in (18, 19, 20, 21, 22, 23)])
    flag = tmp_path / "paused"
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 2:
            pause(flag)
        if len(sleeps) == 4:
            assert resume(flag)

    sched = Scheduler(lambda: runs.append(1), 900, window=parse_window("19:00-07:00"), pause_file=flag,
                      now=lambda: next(clock), sleep=sleep)
    made = sched.loop(max_ticks=6)
    # 18:00 outside the window; 19:00 runs; 20:00 and 21:00 paused; 22:00 and 23:00 run.
    assert made == 3 and len(runs) == 3
    assert sleeps == [900] * 5
    assert not resume(flag)


def test_logs_as_json_without_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from halo_accounts.sync.logs import configure

    configure("json", "info")
    logging.getLogger("halo_accounts.sync").info("token request client_secret=abc123&scope=all")
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["level"] == "info" and "abc123" not in line and "client_secret=***" in record["message"]
    configure("text", "warning")


def test_ledger_factory_explains_what_cannot_be_opened_here(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from halo_accounts.config import Settings
    from halo_accounts.sync.ledger_factory import open_ledger

    settings = Settings()
    with pytest.raises(HaloAccountsError) as err, open_ledger(settings):
        pass
    assert err.value.code == "sync.webconnector_only_in_serve" and "halo-accounts serve" in err.value.fix
    settings.quickbooks.transport = "com"
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(HaloAccountsError) as err, open_ledger(settings):
        pass
    assert err.value.code == "sync.windows_only" and "Web Connector" in err.value.fix


def test_plan_then_apply_is_a_run_in_two_steps(world: Any) -> None:
    w = world(small_seed(10))
    eng = w.engine()
    plan = eng.plan()
    posts = len([a for a in plan.actions if a.op == "post"])
    assert posts and not w.qb("invoice")
    report = eng.apply(plan)
    assert report.count("invoice", "posted") + report.count("credit", "posted") == posts
    assert len(w.qb("invoice")) + len(w.qb("creditmemo")) == posts
