"""Issue 20.5, 17.4, 17.5a: whatever a refresh's outcome, the requests it made are counted in the
published database (the daily budget holds), a partial run says why in its last line, and a killed
run is shown as interrupted by the next command that takes the lock. Real CLI processes against the
fake CourtListener on 127.0.0.1.
"""

from __future__ import annotations

import pytest

import json
import signal
import sqlite3
import time

from tests.fakes.workspace import Workspace, json_lines, run_rows, workspace  # noqa: F401 - fixture

pytestmark = pytest.mark.slow


def counted(ws: Workspace) -> int:
    conn = sqlite3.connect(ws.db)
    try:
        row = conn.execute("select coalesce(sum(requests), 0) from request_budget where source = 'courtlistener'").fetchone()
        return row[0]
    finally:
        conn.close()


def test_failing_and_nothing_new_runs_count_every_request_they_made(workspace: Workspace) -> None:
    ws = workspace
    assert ws.run("refresh").returncode == 0
    for _ in range(2):  # listings are asked again (revisit_days = 0) and find nothing new
        result = ws.run("refresh")
        assert result.returncode == 0, result.stderr
        assert run_rows(ws.db)[-1]["message"].startswith("nothing new")
    assert counted(ws) == len(ws.server.requests)

    ws.server.hang_seconds = 0.0
    ws.server.set_fault("hang")  # every answer a 504: each run fails after its retries
    for _ in range(2):
        result = ws.run("refresh")
        assert result.returncode == 1, result.stderr
    assert counted(ws) == len(ws.server.requests)

    # The budget now holds across failing runs: three more requests today, then the source waits.
    used = len(ws.server.requests)
    config = ws.path / "citator.toml"
    config.write_text(config.read_text().replace(
        "[sources.courtlistener]\n", f"[sources.courtlistener]\ndaily_request_budget = {used + 3}\n"), encoding="utf-8")
    for _ in range(3):
        assert ws.run("refresh").returncode in (0, 1)
    assert len(ws.server.requests) == used + 3
    assert counted(ws) == used + 3


def test_a_partial_refresh_names_each_failing_source_in_its_last_line_and_json(workspace: Workspace) -> None:
    ws = workspace
    ws.server.set_fault("garbage", after=6)  # the seeds resolve; the later listings answer garbage
    result = ws.run("refresh", "--quiet", "--log-format", "json")
    assert result.returncode == 3, result.stderr
    last = json_lines(result.stderr)[-1]
    assert last["status"] == "partial" and last["event"] == "finished" and last["level"] == "warning"
    assert "failed: courtlistener (" in last["message"] and "malformed" in last["message"]
    failure, = last["failures"]
    assert failure["source"] == "courtlistener" and failure["errors"] >= 1
    assert "CourtListener sent a malformed answer" in failure["first_error"]
    text = ws.run("refresh", "--quiet")
    assert text.returncode == 3
    assert "failed: courtlistener (" in text.stderr.strip().splitlines()[-1]


def test_a_killed_harvest_is_shown_interrupted_by_the_next_writer(workspace: Workspace) -> None:
    ws = workspace
    assert ws.run("refresh").returncode == 0
    ws.server.hang_seconds = 0.3
    ws.server.set_fault("hang")
    proc = ws.start("harvest")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len(run_rows(ws.db)) == 2:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert [r["status"] for r in run_rows(ws.db)] == ["ok", "running"]
    ws.server.set_fault(None)
    assert ws.run("extract").returncode == 0
    runs = run_rows(ws.db)
    assert [r["status"] for r in runs] == ["ok", "interrupted", "ok"]
    assert "process ended" in runs[1]["message"]
    shown = json.loads(ws.run("status", "--json").stdout)
    assert [r["status"] for r in shown["runs"]][1] == "interrupted"
