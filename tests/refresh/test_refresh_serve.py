"""Issue 7: a running Datasette picks up a refresh without a restart and never sees half of one.

refresh publishes by writing the checked copy into the published file in one transaction (same
inode), so Datasette's open read-only connections see the old data until the commit and the new
data after it. This test runs `citator serve` (a real Datasette process) and polls it throughout a
refresh that adds a case.
"""

from __future__ import annotations

import pytest

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from citator.db.web.site import serve_command
from tests.fakes.workspace import LATER, Workspace, workspace  # noqa: F401

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/-/versions.json", timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError("datasette did not start")
            time.sleep(0.2)


def test_running_datasette_sees_the_new_data_and_never_half(workspace: Workspace) -> None:
    ws = workspace
    assert ws.run("refresh").returncode == 0
    port = _free_port()
    # `citator serve` itself (it runs Datasette as a child; stopped as a process group below).
    proc = subprocess.Popen([sys.executable, "-m", "citator", "serve", "--port", str(port)], env=ws.env, cwd=ws.path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    seen: list[tuple[int, int, int]] = []
    failures: list[str] = []
    stop = threading.Event()

    def poll() -> None:
        sql = ("select (select count(*) from cases), (select count(*) from opinions), "
               "(select count(*) from citations)")
        while not stop.is_set():
            try:
                r = httpx.get(base + "/citator.json", params={"sql": sql, "_shape": "arrays"}, timeout=10)
                if r.status_code != 200:
                    failures.append(f"{r.status_code}: {r.text[:200]}")
                else:
                    seen.append(tuple(r.json()["rows"][0]))
            except httpx.HTTPError as exc:
                failures.append(repr(exc))
            time.sleep(0.01)

    try:
        _wait_up(base, proc)
        inode = ws.db.stat().st_ino
        poller = threading.Thread(target=poll)
        poller.start()
        time.sleep(0.3)
        ws.server.clusters.append(LATER)
        result = ws.run("refresh")
        assert result.returncode == 0, result.stderr
        time.sleep(0.5)
        stop.set()
        poller.join()
        assert not failures, failures[:3]
        old, new = (5, 6, 6), (6, 7, 7)  # cases, opinions, references (5 to seeds + 1 between citing cases)
        assert set(seen) <= {old, new}, set(seen)  # never a half-built state
        assert seen[0] == old and seen[-1] == new  # picked up without restarting Datasette
        assert ws.db.stat().st_ino == inode  # same file: nothing for `serve` to reopen
        page = httpx.get(base + "/citator/cases", timeout=10)
        assert "Latecomer v. Imaginary Commission" in page.text
    finally:
        stop.set()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def test_why_not_rename_a_running_datasette_keeps_reading_the_old_file(workspace: Workspace, tmp_path: Path) -> None:
    """The design check behind publishing in place: after `os.replace` of a new file over the
    served one, Datasette (0.65, mutable mode) still answers from the file it opened."""
    import sqlite3
    ws = workspace
    assert ws.run("refresh").returncode == 0
    port = _free_port()
    proc = subprocess.Popen(serve_command(ws.db, "127.0.0.1", port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    sql = {"sql": "select count(*) from cases", "_shape": "arrays"}
    try:
        _wait_up(base, proc)
        assert httpx.get(base + "/citator.json", params=sql, timeout=10).json()["rows"] == [[5]]
        other = tmp_path / "renamed.db"
        conn = sqlite3.connect(ws.db)
        conn.execute("vacuum into ?", [str(other)])
        conn.close()
        conn = sqlite3.connect(other)
        conn.execute("delete from changes")
        conn.execute("delete from citations where citing_case_id = 'cl:cluster:200003'")
        conn.execute("delete from case_sources where case_id = 'cl:cluster:200003'")
        conn.execute("delete from case_citations where case_id = 'cl:cluster:200003'")
        conn.execute("delete from extractions where opinion_id in (select id from opinions where case_id = 'cl:cluster:200003')")
        conn.execute("delete from opinions where case_id = 'cl:cluster:200003'")
        conn.execute("delete from cases where id = 'cl:cluster:200003'")
        conn.commit()
        conn.close()
        os.replace(other, ws.db)
        answers = {tuple(httpx.get(base + "/citator.json", params=sql, timeout=10).json()["rows"][0]) for _ in range(20)}
        assert (5,) in answers  # still the old, unlinked file
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_from_a_folder_holding_a_citator_checkout(workspace: Workspace, tmp_path: Path) -> None:
    """README's main job runs `.venv/bin/citator serve` from the clone's root, where a folder named
    `citator/` lies in the working directory. Datasette must still load citator's site from the
    installed package, not from the folder it was started in. (Under the editable install the
    tests use, setuptools' finder also resolves the package; a regular install had failed here.)"""
    ws = workspace
    assert ws.run("refresh").returncode == 0
    checkout = tmp_path / "checkout"
    (checkout / "citator" / "db").mkdir(parents=True)  # a folder named like the package, as a clone has
    (checkout / "citator" / "__init__.py").write_text("# INVENTED: stands for the source folder of a checkout\n")
    (checkout / "citator" / "db" / "__init__.py").write_text("# INVENTED: shadows nothing once serve ignores the folder\n")
    port = _free_port()
    script = Path(sys.executable).parent / "citator"  # the console script, as README runs it
    proc = subprocess.Popen([str(script), "serve", "--port", str(port)], env=ws.env, cwd=checkout,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            _wait_up(base, proc)
        except AssertionError:
            proc.kill()
            raise AssertionError(proc.stderr.read().decode()[-2000:]) from None
        assert httpx.get(base + "/-/citator/about", timeout=10).status_code == 200
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
