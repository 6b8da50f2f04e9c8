"""Both remote sources together, budgets and resumption, through the real CLI (invented cases)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from tests.fakes.cli import run_citator
from tests.fakes.harvest_env import NO_CAP, TOKEN, cap_site, make_env, snapshot  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow


def test_same_case_from_both_sources_is_one_case(tmp_path: Path, courtlistener, cap_site) -> None:
    env = make_env(tmp_path, courtlistener=courtlistener, cap=cap_site)
    result = run_citator(["refresh"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "CourtListener skipped" not in result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    ids = {r["id"] for r in db["cases"].rows}
    assert ids == {
        "cl:cluster:100000", "cl:cluster:100001", "cl:cluster:200001", "cl:cluster:200002", "cl:cluster:200003",
        "cap:case:6003",  # only CAP has this one
    }
    # 9001 F.3d 10 came from both: one case, provenance from each source kept.
    sources = {(r["source"], r["source_id"]) for r in db.query("select * from case_sources where case_id = 'cl:cluster:200001'")}
    assert sources == {("courtlistener", "cluster:200001"), ("cap", "case:6001")}
    # The text is stored once (from the first source), so references are not counted twice.
    assert [r["id"] for r in db.query("select id from opinions where case_id = 'cl:cluster:200001'")] == ["cl:opinion:400001"]
    assert db["cap_cites_to"].count > 0
    # Search listings were followed to the end (the fake pages by two).
    assert any("cursor=" in r for r in courtlistener.requests)
    assert TOKEN.encode() not in Path(env["CITATOR_DB"]).read_bytes()
    cache = tmp_path / "citator-cache"
    assert cache.is_dir() and not any(TOKEN.encode() in p.read_bytes() for p in cache.rglob("*") if p.is_file())


def test_daily_budget_stops_the_crawl_and_the_next_run_continues(tmp_path: Path, courtlistener) -> None:
    reference = tmp_path / "reference"
    reference.mkdir()
    env = make_env(reference, courtlistener=courtlistener, config=NO_CAP)
    assert run_citator(["harvest"], env, reference).returncode == 0
    total = len(courtlistener.requests)

    work = tmp_path / "budget"
    work.mkdir()
    env = make_env(work, courtlistener=courtlistener,
                   config={**NO_CAP, "sources": {"cap": {"enabled": False}, "courtlistener": {"daily_request_budget": 4}}})
    db = sqlite_utils.Database(env["CITATOR_DB"])
    runs = 0
    while True:
        before = len(courtlistener.requests)
        result = run_citator(["harvest"], env, work)
        runs += 1
        assert result.returncode == 0, result.stderr
        assert len(courtlistener.requests) - before <= 4
        status = run_citator(["status"], env, work).stdout
        assert "requests today" in status
        if "budget (4) is spent" not in result.stderr:
            break
        assert "courtlistener" in status and "pending" in status
        # A new day: yesterday's count no longer applies.
        db.execute("update request_budget set day = ? where day = date('now')", [f"2000-01-{runs:02d}"])
        db.conn.commit()
        assert runs < 10
    assert runs >= 3
    assert len(courtlistener.requests) - total <= total + 2  # at most the odd page refetched at a boundary
    assert snapshot(env["CITATOR_DB"])["cases"] == snapshot(reference / "citator.db")["cases"]
    assert {r[0] for r in snapshot(env["CITATOR_DB"])["opinions"]} == {r[0] for r in snapshot(reference / "citator.db")["opinions"]}


def test_long_rate_limit_stops_the_source_and_the_next_run_resumes(tmp_path: Path, courtlistener) -> None:
    env = make_env(tmp_path, courtlistener=courtlistener, config=NO_CAP)
    courtlistener.faults.add(r"opinions/", "retry_after", seconds=86400)
    result = run_citator(["harvest"], env, tmp_path)
    assert result.returncode == 3, result.stderr
    assert "rate-limiting citator (429 for 86400 s)" in result.stderr
    assert "Traceback" not in result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["opinions"].count == 0 and db["cases"].count == 2  # stopped at the seeds' texts
    result = run_citator(["harvest"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert db["opinions"].count == 6


def test_short_retry_after_is_waited_out(tmp_path: Path, courtlistener) -> None:
    env = make_env(tmp_path, courtlistener=courtlistener, config=NO_CAP)
    courtlistener.faults.add(r"search/.*citation=", "retry_after", seconds=1)
    started = time.monotonic()
    result = run_citator(["harvest"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 1.0
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["cases"].count == 5 and db["run_errors"].count == 0


def test_token_needed_is_said_plainly(tmp_path: Path, courtlistener) -> None:
    # Anonymous mode: search answers without a token, opinion texts do not.
    courtlistener.anonymous_search = True
    env = make_env(tmp_path, courtlistener=courtlistener, token=False,
                   config={"sources": {"cap": {"enabled": False}, "courtlistener": {"anonymous": True}}})
    result = run_citator(["harvest"], env, tmp_path)
    assert result.returncode == 3, result.stderr
    assert "fetching opinion texts needs an API token; set COURTLISTENER_TOKEN" in result.stderr
    assert result.stderr.count("COURTLISTENER_TOKEN") == 1
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["cases"].count == 5  # what works without a token still works
    # A wrong token is refused with a message that names the variable; one line, exit 1.
    env["COURTLISTENER_TOKEN"] = "wrong"
    courtlistener.anonymous_search = False
    result = run_citator(["harvest"], env, tmp_path)
    assert result.returncode == 1
    assert "Set COURTLISTENER_TOKEN to a valid API token" in result.stderr
    assert "wrong" not in result.stderr and "Traceback" not in result.stderr


def test_no_network_names_the_source(tmp_path: Path) -> None:
    env = make_env(tmp_path, token=False)  # CAP points at a port nobody listens on
    result = run_citator(["refresh"], env, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot reach Caselaw Access Project" in result.stderr.strip().splitlines()[-1]


KILL_POINTS = {
    "courtlistener-texts": r"opinions/",  # fetching a batch of opinion texts
    "courtlistener-listing": r"search/.*cursor=",  # the second page of a "who cites" listing
    "cap-scan": r"f-supp-2d/9005/CasesMetadata",  # scanning a CAP volume
}


@pytest.mark.parametrize("where", list(KILL_POINTS))
def test_killed_harvest_resumes_to_the_same_result(tmp_path: Path, courtlistener, cap_site, where: str) -> None:
    reference = tmp_path / "reference"
    reference.mkdir()
    env = make_env(reference, courtlistener=courtlistener, cap=cap_site)
    assert run_citator(["harvest", "--depth", "2"], env, reference).returncode == 0

    work = tmp_path / "killed"
    work.mkdir()
    env = make_env(work, courtlistener=courtlistener, cap=cap_site)
    fake = courtlistener if where.startswith("courtlistener") else cap_site
    # Hang the harvest in the middle of its work, then SIGKILL it there.
    fake.faults.add(KILL_POINTS[where], "hang")
    proc = subprocess.Popen([sys.executable, "-m", "citator", "harvest", "--depth", "2"], env=env, cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert fake.faults.hanging.wait(timeout=60), "the harvest never reached the hang point"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        fake.faults.release.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["cases"].count > 0  # it had stored some work before it died
    result = run_citator(["harvest", "--depth", "2"], env, work)
    assert result.returncode == 0, result.stderr
    assert snapshot(env["CITATOR_DB"]) == snapshot(reference / "citator.db")


def test_malformed_courtlistener_answer_is_recorded_and_retried(tmp_path: Path, courtlistener) -> None:
    env = make_env(tmp_path, courtlistener=courtlistener, config=NO_CAP)
    courtlistener.faults.add(r"search/.*cites", "truncate")
    result = run_citator(["harvest", "--quiet"], env, tmp_path)
    assert result.returncode == 3
    # --quiet prints one line: why the run is partial, naming the source and its first error (issue 17.4)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "harvest partial" in lines[0]
    assert "failed: courtlistener (1 error, first: CourtListener sent a malformed answer for" in lines[0]
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert [r["source"] for r in db["run_errors"].rows] == ["courtlistener"]
    assert run_citator(["harvest"], env, tmp_path).returncode == 0
    assert db["cases"].count == 5 and db["opinions"].count == 6


def test_source_option_limits_the_harvest(tmp_path: Path, courtlistener, cap_site) -> None:
    env = make_env(tmp_path, courtlistener=courtlistener, cap=cap_site)
    result = run_citator(["harvest", "--source", "cap"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert courtlistener.requests == [] and cap_site.requests
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert {r["source"] for r in db["case_sources"].rows} == {"cap"}
