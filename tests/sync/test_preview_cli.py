"""`sync --dry-run` on the Web Connector path: planned from the lists the last update read (no refusal); before any
update, a plain message, and as JSON with --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_world import cli_world


def test_dry_run_on_the_web_connector_path_previews_from_the_last_update(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="webconnector") as world:
        before = world("sync", "--dry-run", "--json")
        assert before.code == 2
        error = json.loads(before.out)["error"]
        assert error["code"] == "sync.preview_no_snapshot" and "Web Connector" in error["fix"]
        world.update()
        result = world("sync", "--dry-run", "--json")
        assert result.code in (0, 3), result.err
        report = json.loads(result.out)
        assert report["status"] == "dry-run"
        with world.store() as store:
            runs = store.runs(10)
        assert len(runs) == 1  # the preview wrote no run


def test_status_groups_held_records_by_cause_and_filters_them(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_world(tmp_path, monkeypatch, transport="webconnector", map_taxes=False) as world:
        world.update()
        status = json.loads(world("status", "--json").out)
        groups = status["groups"]
        assert [len(g["records"]) for g in groups] == sorted((len(g["records"]) for g in groups), reverse=True)
        assert sum(len(g["records"]) for g in groups) == len(status["held"]) > len(groups)
        assert all("map tax" in g["fix"] for g in groups)
        text = world("status").text
        assert f"{len(groups[0]['records'])} invoices held — Fix: {groups[0]['fix']}"[:60] in text
        one = groups[0]["records"][0].split(":")[1]
        assert [h["halo_id"] for h in json.loads(world("status", "--json", "--search", f"Halo id {one})").out)
                ["held"]] == [one]
        assert json.loads(world("status", "--json", "--kind", "customer").out)["held"] == []
        assert len(json.loads(world("status", "--json", "--code", "sync.tax_unmapped").out)["held"]) == len(
            status["held"])
