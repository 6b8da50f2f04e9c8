"""Issue 7: logs for cron (--quiet) and CI (--log-format json), never with a secret in them."""

from __future__ import annotations

import pytest

import json
import re
import sqlite3
import subprocess
import sys

from tests.fakes.cli import TOKEN
from tests.fakes.workspace import Workspace, json_lines, workspace  # noqa: F401
from werkzeug.wrappers import Response

pytestmark = pytest.mark.slow


def test_quiet_success_prints_nothing(workspace: Workspace) -> None:
    result = workspace.run("refresh", "--quiet")
    assert result.returncode == 0
    assert result.stderr == "" and result.stdout == ""


def test_json_log_is_one_object_per_line(workspace: Workspace) -> None:
    result = workspace.run("--log-format", "json", "refresh")
    assert result.returncode == 0, result.stderr
    entries = json_lines(result.stderr)  # raises if any line is not JSON
    assert {"time", "level", "logger", "message"} <= set(entries[0])
    finished = [e for e in entries if e.get("event") == "finished"]
    assert finished and finished[0]["status"] == "ok" and finished[0]["run_id"] == 1
    # The environment variable works too, for CI files that set it once.
    again = workspace.run("refresh", CITATOR_LOG_FORMAT="json")
    assert all(line.startswith("{") for line in again.stderr.splitlines())


def test_failure_is_one_json_line_with_exit_code(workspace: Workspace) -> None:
    workspace.server.hang_seconds = 0.6
    workspace.server.set_fault("hang", after=0)  # the source stops answering: the run fails
    result = workspace.run("refresh", "--log-format", "json", "--quiet")
    assert result.returncode == 1
    entries = json_lines(result.stderr)
    assert [e["level"] for e in entries] == ["error"]
    assert "cannot reach CourtListener" in entries[0]["message"]


def test_a_token_echoed_by_the_source_reaches_neither_log_nor_database(workspace: Workspace) -> None:
    """A source that quotes the credentials back in an error body must not leak them."""
    ws = workspace
    original = ws.server.search

    def leaky(request):
        return Response(json.dumps({"detail": f"Invalid token {TOKEN}."}), status=403, content_type="application/json")

    ws.server.search = leaky
    try:
        for fmt in ("json", "text"):
            result = ws.run("refresh", "--log-format", fmt)
            assert result.returncode == 1
            assert "refused the request" in result.stderr
            assert TOKEN not in result.stderr + result.stdout
            assert "[redacted]" in result.stderr
    finally:
        ws.server.search = original
    assert TOKEN.encode() not in ws.db.read_bytes()
    conn = sqlite3.connect(ws.db)
    messages = " ".join(r[0] for r in conn.execute("select message from run_errors"))
    conn.close()
    assert "[redacted]" in messages and TOKEN not in messages
    status = ws.run("status", "--json")
    assert TOKEN not in status.stdout
    assert re.search(r'"status": "failed"', status.stdout)


def test_unreadable_database_is_one_line_and_left_alone(workspace: Workspace) -> None:
    workspace.db.write_bytes(b"this is not a database, and must survive the attempt " * 100)
    before = workspace.db.read_bytes()
    result = workspace.run("refresh")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert "is not a SQLite database" in result.stderr and str(workspace.db) in result.stderr
    assert workspace.db.read_bytes() == before


def test_refresh_without_token_exits_0_says_so_once_and_publishes(workspace: Workspace) -> None:
    """A source skipped by configuration (no token) is not a failure (issue 17.5): exit 0, said once,
    even under --quiet."""
    env = {k: v for k, v in workspace.env.items() if k != "COURTLISTENER_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "citator", "refresh", "--quiet"], env=env, cwd=workspace.path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Set COURTLISTENER_TOKEN") == 1
    assert result.stderr.strip().count("\n") == 0
    conn = sqlite3.connect(workspace.db)
    assert conn.execute("select count(*) from authorities").fetchone()[0] == 5
    assert conn.execute("select status from runs").fetchone()[0] == "ok"
    conn.close()
