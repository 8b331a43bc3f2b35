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
