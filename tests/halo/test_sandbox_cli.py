"""`halo-accounts sandbox halo` starts a real server in its own process, answers, and stops on terminate."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from halo_accounts.sandbox.halo import demo_seed


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "halo_accounts", "sandbox", "halo", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+", line)
    if match is None:
        proc.kill()
        raise AssertionError(f"no URL in {line!r}: {proc.stderr.read() if proc.stderr else ''}")
    return proc, match.group(0)


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - only if the server hangs
        proc.kill()
        raise


def test_cli_serves_a_seed_file(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(demo_seed.build(n_clients=3, n_items=3, n_invoices=5)), encoding="utf-8")
    proc, url = _start("--seed", str(seed), "--tenant", "acme")
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                info = httpx.get(f"{url}/api/authinfo").json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert info["auth_url"] == f"{url}/auth"
        token = httpx.post(f"{info['auth_url']}/token?tenant=acme", data={
            "grant_type": "client_credentials", "client_id": "demo", "client_secret": "demo-secret"}).json()
        clients = httpx.get(f"{url}/api/Client", headers={"Authorization": f"Bearer {token['access_token']}"})
        assert clients.json()["record_count"] == 3
    finally:
        _stop(proc)
    assert proc.returncode == 0


def test_cli_fault_flags(tmp_path: Path) -> None:
    proc, url = _start("--demo", "--storm-429", "2")
    try:
        codes = [httpx.get(f"{url}/api/authinfo").status_code for _ in range(3)]
        assert codes == [429, 429, 200]
    finally:
        _stop(proc)


def test_cli_bad_seed_is_a_plain_error(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"clients": [{"id": "one"}]}), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "halo_accounts", "sandbox", "halo", "--seed", str(seed)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "clients[0].id" in result.stderr and "Traceback" not in result.stderr
