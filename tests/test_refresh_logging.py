"""Issue 7: logs for cron (--quiet) and CI (--log-format json), never with a secret in them."""

from __future__ import annotations

import json
import re
import sqlite3

from tests.conftest import TOKEN
from tests.test_refresh_support import Workspace, json_lines, workspace  # noqa: F401
from werkzeug.wrappers import Response


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
    workspace.server.set_fault("garbage", after=0)
    result = workspace.run("refresh", "--log-format", "json", "--quiet")
    assert result.returncode == 1
    entries = json_lines(result.stderr)
    assert [e["level"] for e in entries] == ["error"]
    assert "malformed JSON" in entries[0]["message"]


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
