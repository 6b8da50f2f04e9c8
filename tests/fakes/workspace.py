"""Helpers for the refresh tests (no tests here): a CourtListener fake that can misbehave on cue,
a work directory with its own citator.toml and environment, and table snapshots to compare runs.

Everything runs the real CLI in subprocesses against servers on 127.0.0.1; nothing of citator is
mocked.
"""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.wrappers import Request, Response

from tests.fakes.cli import TOKEN
from tests.fakes.corpus import ALL_CLUSTERS
from tests.fakes.courtlistener import FakeCluster, FakeCourtListener

#: A citing case that appears at the source between two runs. INVENTED TEXT, not a real decision;
#: its long text needs new database pages, so storing it has to grow the file.
LATER = FakeCluster(
    id=200005,
    case_name="Latecomer v. Imaginary Commission",
    court_id="ca4",
    court="Court of Appeals for the Fourth Circuit",
    date_filed="2004-05-06",
    citations=["9005 F.3d 50"],
    opinions=[{
        "id": 400006, "type": "020lead", "author_str": "Invented", "cites": [300000],
        "plain_text": ("INVENTED TEXT FOR TESTS. " + "Filler sentence about nothing in particular. " * 1500
                       + "Code is speech, see Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1140 (9th Cir. 1999)."),
    }],
)

#: Columns that legitimately differ between two runs reaching the same state.
VOLATILE = {"updated_at", "fetched_at", "first_seen_run", "run_id", "extracted_at"}
#: Tables whose content must not depend on how a run got there.
DATA_TABLES = ("authorities", "cases", "case_citations", "case_sources", "opinions", "citations", "extractions")


class FaultyCourtListener(FakeCourtListener):
    """The fake CourtListener, plus faults that start after `after` answered requests.

    fault: None, "hang" (stops answering: sleeps past the client's read timeout), "429" (rate
    limit storm), "garbage" (200 with a body that is not JSON), "shape" (200, JSON of the wrong
    shape), "stall" (holds one request until `release()`, then answers it as usual: a refresh
    caught midway through its harvest, for as long as a test needs; `stalled` is set meanwhile).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fault: str | None = None
        self.after = 0
        self.served = 0
        self.hang_seconds = 1.0
        self.stalled = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()

    def set_fault(self, fault: str | None, after: int = 0) -> None:
        with self._lock:
            self.fault, self.after, self.served = fault, after, 0
            self.stalled.clear()
            self._released.clear()

    def release(self) -> None:
        """Answer the stalled request (and let every later one through)."""
        self._released.set()

    def wait_stalled(self, timeout: float = 60) -> None:
        assert self.stalled.wait(timeout), "the refresh never reached the stalled request"

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.served += 1
            faulty = self.fault is not None and self.served > self.after
            fault = self.fault
        if not faulty:
            return super().handle(request)
        if fault == "stall":
            if not self._released.is_set():
                self.stalled.set()
                self._released.wait(timeout=120)  # a cap, so a test that forgets cannot hang the server
            return super().handle(request)
        self.requests.append(request.full_path)
        if fault == "hang":
            time.sleep(self.hang_seconds)
            return Response("late", status=504)
        if fault == "429":
            return Response(json.dumps({"detail": "Request was throttled."}), status=429,
                            headers={"Retry-After": "0"}, content_type="application/json")
        if fault == "garbage":
            return Response("<html><body>\x00\x01 not json {{{", status=200, content_type="application/json")
        if fault == "shape":
            return Response(json.dumps({"results": [{"nothing": "useful"}], "next": None}), status=200,
                            content_type="application/json")
        raise AssertionError(fault)


@dataclass
class Workspace:
    """A directory with a citator.toml, the environment to run citator there, and its fake source."""

    path: Path
    env: dict[str, str]
    server: FaultyCourtListener

    @property
    def db(self) -> Path:
        return Path(self.env["CITATOR_DB"])

    def run(self, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "citator", *args], env={**self.env, **env}, cwd=self.path,
                              capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str, **env: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "citator", *args], env={**self.env, **env}, cwd=self.path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def stall_harvest(self, after: int = 2) -> None:
        """Hold the next refresh midway through its harvest (the request after `after` answered
        ones) until `self.server.release()`; the client waits for it instead of timing out."""
        config = self.path / "citator.toml"
        config.write_text(config.read_text().replace("read_timeout = 0.4", "read_timeout = 120"))
        self.server.set_fault("stall", after=after)

    def clone(self, name: str) -> "Workspace":
        """Another directory against the same server, for a clean run to compare with."""
        path = self.path / name
        path.mkdir()
        (path / "citator.toml").write_text((self.path / "citator.toml").read_text())
        return Workspace(path, {**self.env, "CITATOR_DB": str(path / "citator.db")}, self.server)


CONFIG = (
    "[http]\nbackoff_seconds = 0.01\nmax_retries = 2\nread_timeout = 0.4\nconnect_timeout = 0.5\nmax_retry_after = 1\n"
    # Listings are not reused from the cache here: each test run must see the server's new cases.
    "[sources.courtlistener]\nrequests_per_minute = 0\nlisting_cache_hours = 0\nrevisit_days = 0\n"
    "[sources.cap]\nrequests_per_minute = 0\nenabled = false\n"
)


@pytest.fixture
def workspace(tmp_path: Path, httpserver) -> Workspace:
    server = FaultyCourtListener(httpserver, [copy.deepcopy(c) for c in ALL_CLUSTERS], token=TOKEN)
    (tmp_path / "citator.toml").write_text(CONFIG, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITATOR_") and k != "COURTLISTENER_TOKEN"}
    env.update(
        CITATOR_DB=str(tmp_path / "citator.db"),
        CITATOR_COURTLISTENER_URL=server.base_url,
        CITATOR_CAP_URL="http://127.0.0.1:9/",
        COURTLISTENER_TOKEN=TOKEN,
    )
    return Workspace(tmp_path, env, server)


# ---- comparing databases ------------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def integrity(path: Path) -> str:
    conn = _connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def content(path: Path, tables: tuple[str, ...] = DATA_TABLES) -> dict[str, list[tuple]]:
    """Every row of `tables`, minus volatile columns, sorted: equal content means equal state."""
    conn = _connect(path)
    try:
        out = {}
        for table in tables:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in VOLATILE]
            rows = conn.execute(f"select {', '.join(cols)} from {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def all_rows(path: Path) -> dict[str, set[tuple]]:
    """Every row of every table, exactly (for "holds every row it had before")."""
    conn = _connect(path)
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
        return {n: set(conn.execute(f"select * from [{n}]").fetchall()) for n in names}
    finally:
        conn.close()


#: Bookkeeping tables whose values a run may advance, and how many leading columns are their key.
#: sqlite_stat1 holds SQLite's planner statistics (table, index, stat), which every publish
#: re-gathers since schema v6: its figures move with the data, its (table, index) keys stay.
BOOKKEEPING = {"citator_meta": 1, "source_state": 2, "request_budget": 2, "crawl_frontier": 2, "case_sources": 3,
               "sqlite_stat1": 2}


def assert_kept(before: dict[str, set[tuple]], path: Path) -> None:
    """Every row that was there before is still there, unchanged, apart from the runs' own records
    (`runs` rows may be finished or gain counts), and the database is intact."""
    assert integrity(path) == "ok"
    after = all_rows(path)
    for table, rows in before.items():
        if table == "runs":
            ids_before = {r[0] for r in rows}
            assert ids_before <= {r[0] for r in after[table]}
            continue
        if table in BOOKKEEPING:  # values move on (watermarks, counters); their keys must stay
            width = BOOKKEEPING[table]
            missing = {r[:width] for r in rows} - {r[:width] for r in after.get(table, set())}
        else:
            missing = rows - after.get(table, set())
        assert not missing, f"{table} lost {len(missing)} rows"


def run_rows(path: Path) -> list[dict[str, Any]]:
    conn = _connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("select * from runs order by id")]
    finally:
        conn.close()


def json_lines(stderr: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stderr.splitlines() if line.strip()]


def wait_for_line(proc: subprocess.Popen, needle: str, timeout: float = 60) -> list[str]:
    """Read the child's stderr until a line contains `needle`; returns the lines read."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stderr is not None
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        lines.append(line)
        if needle in line:
            return lines
    raise AssertionError(f"never saw {needle!r}; got: {''.join(lines)}")
