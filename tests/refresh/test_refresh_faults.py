"""Issue 7 fault tests: real `citator refresh` processes against a misbehaving local source.

After each fault the published database passes PRAGMA integrity_check, holds every row it held
before, records the failed run with its error, and the next run reaches exactly the state a clean
run reaches (table contents compared without timestamps and run ids).
"""

from __future__ import annotations

import json
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes.cli import TOKEN
from tests.fakes.workspace import (
    LATER, Workspace, all_rows, assert_kept, content, integrity, run_rows,
    workspace,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.slow


def _baseline(ws: Workspace) -> dict:
    first = ws.run("refresh")
    assert first.returncode == 0, first.stderr
    ws.server.clusters.append(LATER)  # new work waiting at the source for the faulty run
    return all_rows(ws.db)


def _recover_and_compare(ws: Workspace) -> None:
    """The next run completes the work; its result equals a clean run's against the same source."""
    ws.server.set_fault(None)
    again = ws.run("refresh")
    assert again.returncode == 0, (again.stderr, run_rows(ws.db)[-1], _errors_of_last_run(ws))
    assert "Traceback" not in again.stderr
    assert content(ws.db) == _clean_content(ws)
    assert "cl:cluster:200005" in {r[0] for r in content(ws.db)["cases"]}


_CLEAN: dict[tuple, dict] = {}


def _clean_content(ws: Workspace) -> dict:
    """What one clean refresh builds from the source as it is now (cached per source content)."""
    key = (ws.server.base_url, *(c.id for c in ws.server.clusters))  # URLs in rows carry the port
    if key not in _CLEAN:
        clean = ws.clone("clean")
        assert clean.run("refresh").returncode == 0
        _CLEAN[key] = content(clean.db)
    return _CLEAN[key]


def _errors_of_last_run(ws: Workspace) -> list[tuple]:
    conn = sqlite3.connect(ws.db)
    try:
        return conn.execute("select source, url, message from run_errors where run_id = (select max(id) from runs)").fetchall()
    finally:
        conn.close()


def _assert_failed_run_recorded(ws: Workspace, needle: str, status: str = "failed") -> None:
    last = run_rows(ws.db)[-1]
    assert last["status"] == status and last["ended_at"], last
    conn = sqlite3.connect(ws.db)
    errors = conn.execute("select source, url, message from run_errors where run_id = ?", [last["id"]]).fetchall()
    conn.close()
    assert errors, "the failed run recorded no error"
    assert any(needle in (message or "") for _, _, message in errors), errors
    assert all(TOKEN not in (message or "") + (url or "") for _, url, message in errors)


@pytest.mark.parametrize(
    "fault, after, needle, code",
    [
        # The faulty run asks (seeds already resolved are not looked up again): 3 pages of citing
        # cases, then 1 batch of opinion texts. Faults start midway, after some work was stored.
        # A network drop fails the run (exit 1, nothing published). A 429 storm or a bad answer stops
        # that source for this run: what was complete is published, the rest stays in the crawl
        # frontier for the next run, and the run is partial (exit 3), as the harvesters promise.
        ("hang", 2, "cannot reach CourtListener", 1),   # network drop midway: the server stops answering
        ("429", 1, "rate-limiting", 3),                 # a 429 storm
        ("garbage", 2, "malformed", 3),            # a server returning garbage
        ("shape", 2, "unexpected", 3),                  # JSON, but not the shape CourtListener answers in
    ],
)
def test_source_fault_leaves_published_database_intact(
    workspace: Workspace, fault: str, after: int, needle: str, code: int
) -> None:
    ws = workspace
    ws.server.hang_seconds = 0.6
    before = _baseline(ws)
    ws.server.set_fault(fault, after=after)
    result = ws.run("refresh")
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()[-1]) < 400  # one line a user can act on
    assert TOKEN not in result.stderr
    assert_kept(before, ws.db)
    assert content(ws.db) == content(ws.db)  # readable
    if code == 1:
        assert "cl:cluster:200005" not in {r[0] for r in content(ws.db)["cases"]}  # nothing published
    assert not Path(f"{ws.db}.building").exists()
    _assert_failed_run_recorded(ws, needle, "failed" if code == 1 else "partial")
    _recover_and_compare(ws)


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.001)


@pytest.mark.parametrize("phase", ["build", "publish"])
def test_sigkill_leaves_previous_database_and_an_interrupted_run(workspace: Workspace, phase: str) -> None:
    """Killed while building (the source holds a request midway through the harvest), or inside
    the publish transaction: once the build is done, the kill comes as soon as the publish has
    begun writing into the published file (its rollback journal exists). Ten megabytes of ballast
    in the database make the publish last long enough (a few hundred ms) to be caught."""
    ws = workspace
    before = _baseline(ws)
    if phase == "publish":
        conn = sqlite3.connect(ws.db)
        conn.execute("create table ballast (bytes blob)")
        conn.execute("with recursive n(i) as (select 1 union all select i + 1 from n where i < 10000) "
                     "insert into ballast select randomblob(1000) from n")
        conn.commit()
        conn.close()
    ws.stall_harvest()
    proc = ws.start("refresh", "--log-format", "json")
    try:
        ws.server.wait_stalled()  # the run is recorded and building: no other write to the published file
        if phase == "publish":
            ws.server.release()
            _wait_for(Path(f"{ws.db}-journal"), proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        ws.server.release()
    assert proc.returncode == -signal.SIGKILL
    if phase == "publish":
        assert Path(f"{ws.db}-journal").exists()  # the killed publish's hot journal
    # A read-only reader (how Datasette opens the file) sees the previous data at once, even with
    # the journal the killed publish left behind.
    ro = sqlite3.connect(f"file:{ws.db}?mode=ro", uri=True)
    assert ro.execute("select count(*) from cases").fetchone()[0] == 5
    ro.close()
    assert_kept(before, ws.db)
    assert "cl:cluster:200005" not in {r[0] for r in content(ws.db)["cases"]}
    status = ws.run("status", "--json")
    assert status.returncode == 0, status.stderr
    runs = json.loads(status.stdout)["runs"]
    assert runs[0]["status"] == "interrupted" and runs[0]["ended_at"] is None
    _recover_and_compare(ws)


def test_sigterm_stops_cleanly_as_interrupted(workspace: Workspace) -> None:
    """systemd and docker stop a job with SIGTERM: the run is recorded as interrupted, exit 130."""
    ws = workspace
    before = _baseline(ws)
    ws.stall_harvest()
    proc = ws.start("refresh")
    try:
        ws.server.wait_stalled()
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        ws.server.release()
    assert proc.returncode == 130
    assert "Traceback" not in stderr
    assert_kept(before, ws.db)
    assert not Path(f"{ws.db}.building").exists()
    last = run_rows(ws.db)[-1]
    assert last["status"] == "interrupted" and last["ended_at"]
    _recover_and_compare(ws)


def _limit_file_size(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG from write(), as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def test_full_disk_leaves_published_database_intact(workspace: Workspace) -> None:
    ws = workspace
    before = _baseline(ws)
    limit = ws.db.stat().st_size + 16 * 1024  # room for the run record, not for the new case's text
    result = subprocess.run([sys.executable, "-m", "citator", "refresh"], env=ws.env, cwd=ws.path,
                            capture_output=True, text=True, timeout=120, preexec_fn=_limit_file_size(limit))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "disk" in last or "full" in last or "too large" in last.lower(), last
    assert_kept(before, ws.db)
    assert not Path(f"{ws.db}.building").exists()
    assert run_rows(ws.db)[-1]["status"] == "failed"
    _recover_and_compare(ws)


def test_two_refreshes_at_once_second_exits_4(workspace: Workspace) -> None:
    ws = workspace
    assert ws.run("refresh").returncode == 0
    ws.server.clusters.append(LATER)
    ws.stall_harvest()
    first = ws.start("refresh", "--log-format", "json")
    try:
        ws.server.wait_stalled()
        began = time.monotonic()
        second = ws.run("refresh")
        elapsed = time.monotonic() - began
        assert second.returncode == 4, second.stderr
        assert "already working on" in second.stderr and f"pid {first.pid}" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
        assert elapsed < 10
        # Other writers respect the lock too, and status says who holds it.
        assert ws.run("harvest").returncode == 4
        status = ws.run("status")
        assert f"now running: refresh (pid {first.pid}" in status.stdout
        ws.server.release()
        assert first.wait(timeout=60) == 0, first.stderr.read() if first.stderr else ""
    finally:
        if first.poll() is None:
            first.kill()
        ws.server.release()
    runs = run_rows(ws.db)
    assert [r["status"] for r in runs] == ["ok", "ok"]  # the refused run never started one
    assert integrity(ws.db) == "ok"


def test_stale_lock_from_a_killed_run_is_cleared(workspace: Workspace) -> None:
    ws = workspace
    assert ws.run("refresh").returncode == 0
    ws.stall_harvest(after=0)
    proc = ws.start("refresh")
    try:
        ws.server.wait_stalled()
        proc.kill()
        proc.wait()
    finally:
        ws.server.release()
        ws.server.set_fault(None)
    note = Path(f"{ws.db}.lock").read_text()
    assert f'"pid": {proc.pid}' in note  # the dead run's note is still there
    result = ws.run("refresh")
    assert result.returncode == 0, result.stderr
    assert f"cleared a stale lock left by refresh (pid {proc.pid}" in result.stderr
    assert Path(f"{ws.db}.lock").read_text() == ""  # released cleanly this time
    statuses = [r["status"] for r in run_rows(ws.db)]
    assert statuses == ["ok", "interrupted", "ok"]  # the run taking the lock closes the dead one
    shown = ws.run("status").stdout
    assert "interrupted" in shown


def test_two_refreshes_started_at_the_same_moment(workspace: Workspace) -> None:
    """Exactly one works; the other exits 4 at once, whichever wins the race."""
    ws = workspace
    ws.stall_harvest(after=0)  # the winner waits at the source until the loser has answered
    procs = [ws.start("refresh") for _ in range(2)]
    try:
        ws.server.wait_stalled()
        loser = next(iter(_first_to_exit(procs)))
        assert loser.returncode == 4, loser.stderr.read() if loser.stderr else ""
        ws.server.release()
        results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
    finally:
        ws.server.release()
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert sorted(code for code, _ in results) == [0, 4], results
    loser = next(err for code, err in results if code == 4)
    assert "already working on" in loser and "Traceback" not in loser
    assert [r["status"] for r in run_rows(ws.db)] == ["ok"]
    assert integrity(ws.db) == "ok"


def _first_to_exit(procs: list[subprocess.Popen], timeout: float = 60) -> list[subprocess.Popen]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in procs if p.poll() is not None]
        if done:
            return done
        time.sleep(0.02)
    raise AssertionError("neither refresh exited")


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real filesystem that can fill up (tmpfs), where the machine lets the tests mount one."""
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mountpoint)],
                                 capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        mounted = False
    if not mounted:
        pytest.skip("cannot mount a tmpfs here (needs root); the RLIMIT_FSIZE test covers a full disk")

    def resize(size: int) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(mountpoint)], check=True, timeout=10)

    try:
        yield mountpoint, resize
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], timeout=10)


def test_filesystem_full_leaves_published_database_intact(workspace: Workspace, small_disk) -> None:
    mountpoint, resize = small_disk
    ws = workspace
    ws.env["CITATOR_DB"] = str(mountpoint / "citator.db")
    before = _baseline(ws)
    used = sum(p.stat().st_size for p in mountpoint.iterdir())
    resize(used + ws.db.stat().st_size + 32 * 1024)  # room for the build copy, not for the new text
    result = ws.run("refresh")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "free disk space" in result.stderr.strip().splitlines()[-1]
    assert_kept(before, ws.db)
    assert not Path(f"{ws.db}.building").exists()
    assert run_rows(ws.db)[-1]["status"] == "failed"
    resize(8 * 1024 * 1024)
    _recover_and_compare(ws)
