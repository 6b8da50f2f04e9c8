"""Running the real `citator` CLI (in a subprocess, or in-process through click's CliRunner with no
source reachable), the token the fake sources expect, and a database that is not citator's."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

#: The API token the fake CourtListener accepts; never a real secret.
TOKEN = "test-token-not-a-secret"


def run_citator(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the installed `citator` CLI as a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "citator", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    for name in ("CITATOR_DB", "CITATOR_CONFIG", "COURTLISTENER_TOKEN", "CITATOR_LOG_FORMAT", "CITATOR_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CITATOR_CAP_URL", "http://127.0.0.1:9/")  # nothing listens there
    monkeypatch.setenv("CITATOR_COURTLISTENER_URL", "http://127.0.0.1:9/api/rest/v4/")
    (tmp_path / "citator.toml").write_text("[http]\nmax_retries = 0\nbackoff_seconds = 0.01\n", encoding="utf-8")
    return CliRunner()


def foreign_db(path: Path) -> Path:
    """A real SQLite database that belongs to some other program."""
    conn = sqlite3.connect(path)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.execute("insert into invoices (total) values (12.5)")
    conn.commit()
    conn.close()
    return path
