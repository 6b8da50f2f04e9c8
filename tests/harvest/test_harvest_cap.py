"""The CAP static-site source through the real CLI, against a fake static.case.law (invented cases)."""

from __future__ import annotations

import pytest

import json
from pathlib import Path

import sqlite_utils

from tests.fakes.cli import run_citator
from tests.fakes.harvest_env import cap_site, make_env  # noqa: F401  (fixture)


@pytest.mark.slow
def test_no_token_harvests_cap_and_says_once_that_courtlistener_was_skipped(tmp_path: Path, cap_site) -> None:
    env = make_env(tmp_path, cap=cap_site, token=False)
    result = run_citator(["refresh"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("CourtListener skipped") == 1
    assert "Set COURTLISTENER_TOKEN" in result.stderr
    assert "[#" not in result.stderr and "[-" not in result.stderr  # no progress bar when not a TTY
    assert "Traceback" not in result.stderr
    # Seeds CAP lacks are reported as answers, not errors (945/974 volumes are listed but absent: 404).
    assert "no case for 945 F. Supp. 1279" in result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert {r["id"]: r["depth"] for r in db["cases"].rows} == {
        "cap:case:5001": 0, "cap:case:5002": 0, "cap:case:6001": 1, "cap:case:6003": 1,
    }
    assert db["run_errors"].count == 0
    case = db["cases"].get("cap:case:6003")
    assert case["court_id"] == "nysd" and case["citation"] == "9005 F. Supp. 2d 50"
    assert db["cases"].get("cap:case:5002")["court_id"] == "ca9"
    # Each opinion of a case is kept separately, with its type and author.
    ops = {r["id"]: r for r in db["opinions"].rows}
    assert [(ops[f"cap:case:5002:{i}"]["type"], ops[f"cap:case:5002:{i}"]["author"]) for i in range(3)] == [
        ("majority", "FLETCHER, Circuit Judge."), ("concurrence", "BRIGHT, Circuit Judge."), ("dissent", "NELSON, Circuit Judge."),
    ]
    # Each opinion's text is its article of the case's HTML file (footnote marks kept), read as HTML.
    assert ops["cap:case:6003:1"]["text_field"] == "html article[1]"
    assert ops["cap:case:6003:1"]["text_format"] == "html"
    assert ops["cap:case:6003:1"]["text"].startswith('<article class="opinion" data-type="dissent">')
    assert ops["cap:case:6003:1"]["url"].endswith("/f-supp-2d/9005/html/0050-01.html")
    assert len(ops["cap:case:6003:1"]["text_sha256"]) == 64
    # CAP's own cites_to is kept as data.
    cites = {(r["cap_case_id"], r["opinion_index"], r["cite"]): r for r in db["cap_cites_to"].rows}
    row = cites[(6003, 1, "922 F.Supp. 1426")]
    assert row["case_id"] == "cap:case:6003" and json.loads(row["cited_cap_case_ids"]) == [5001]
    assert json.loads(row["pin_cites"]) == [{"page": "1436", "parenthetical": "source code is speech"}]
    # The volume published before the earliest seed (1995) is never read; the unrelated case is not fetched.
    assert not any("/f3d/50/" in r for r in cap_site.requests)
    assert not any("0099-01" in r for r in cap_site.requests)
    # The extractor found the reference in the CAP dissent.
    refs = list(db.query("select opinion_id, authority_key from citations"))
    assert {"opinion_id": "cap:case:6003:1", "authority_key": "bernstein-1"} in refs


@pytest.mark.slow
def test_rerun_downloads_nothing_again_and_duplicates_nothing(tmp_path: Path, cap_site) -> None:
    env = make_env(tmp_path, cap=cap_site, token=False)
    assert run_citator(["harvest"], env, tmp_path).returncode == 0
    db = sqlite_utils.Database(env["CITATOR_DB"])
    first = (db["cases"].count, db["opinions"].count, db["cap_cites_to"].count, db["case_sources"].count)
    seen = len(cap_site.requests)
    assert run_citator(["harvest"], env, tmp_path).returncode == 0
    assert len(cap_site.requests) == seen  # everything came from the on-disk cache
    assert (db["cases"].count, db["opinions"].count, db["cap_cites_to"].count, db["case_sources"].count) == first
    runs = list(db.query("select documents_fetched, new_cases from runs order by id"))
    assert runs[-1] == {"documents_fetched": 0, "new_cases": 0}


@pytest.mark.slow
def test_stale_cache_is_revalidated_with_conditional_requests(tmp_path: Path, cap_site) -> None:
    env = make_env(tmp_path, cap=cap_site, token=False, config={"sources": {"cap": {"cache_days": 0.0}}})
    assert run_citator(["harvest"], env, tmp_path).returncode == 0
    seen = len(cap_site.requests)
    assert run_citator(["harvest"], env, tmp_path).returncode == 0
    assert len(cap_site.requests) > seen  # asked again (ttl 0) ...
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["cases"].count == 4 and db["run_errors"].count == 0  # ... and 304s served the cached bodies


@pytest.mark.slow
def test_snowball_depth_two_and_max_cases(tmp_path: Path, cap_site) -> None:
    env = make_env(tmp_path, cap=cap_site, token=False)
    result = run_citator(["harvest", "--depth", "2"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["cases"].get("cap:case:6004")["depth"] == 2
    assert db["cases"].get("cap:case:6001")["depth"] == 1

    # Deepening a finished crawl later continues from what is stored.
    later = tmp_path / "later"
    later.mkdir()
    env = make_env(later, cap=cap_site, token=False)
    assert run_citator(["harvest"], env, later).returncode == 0
    assert "cap:case:6004" not in {r["id"] for r in sqlite_utils.Database(env["CITATOR_DB"])["cases"].rows}
    assert run_citator(["harvest", "--depth", "2"], env, later).returncode == 0
    assert sqlite_utils.Database(env["CITATOR_DB"])["cases"].get("cap:case:6004")["depth"] == 2

    other = tmp_path / "bounded"
    other.mkdir()
    env = make_env(other, cap=cap_site, token=False)
    result = run_citator(["harvest", "--depth", "2", "--max-cases", "1"], env, other)
    assert result.returncode == 0, result.stderr
    assert "max_cases (1) reached" in result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert list(db.query("select count(*) as n from cases where depth >= 1"))[0]["n"] == 1
    status = run_citator(["status"], env, other)
    assert "left to fetch" in status.stdout and "cap" in status.stdout


@pytest.mark.slow
def test_malformed_json_is_recorded_skipped_and_retried_next_run(tmp_path: Path, cap_site) -> None:
    env = make_env(tmp_path, cap=cap_site, token=False)
    cap_site.faults.add(r"/f-supp-2d/9005/cases/0050-01\.json", "truncate")
    result = run_citator(["harvest"], env, tmp_path)
    assert result.returncode == 3, result.stderr  # partial: finished, one document failed
    assert "Traceback" not in result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    errors = list(db["run_errors"].rows)
    assert len(errors) == 1 and errors[0]["source"] == "cap" and "0050-01" in errors[0]["url"]
    assert "malformed" in errors[0]["message"]
    assert db["opinions"].count == 5  # everything else was stored
    result = run_citator(["harvest"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert db["opinions"].count == 7  # the bad answer was not cached; asked again, stored now
    assert db["crawl_frontier"].count_where("status != 'done'") == 0


@pytest.mark.slow
def test_server_errors_and_slow_answers_are_retried(tmp_path: Path, cap_site) -> None:
    env = make_env(tmp_path, cap=cap_site, token=False)
    cap_site.faults.add(r"/f3d/9001/CasesMetadata\.json", "status", status=500, times=2)
    cap_site.faults.add(r"/f-supp/922/cases/", "slow", seconds=1.0)  # longer than read_timeout 0.5
    result = run_citator(["harvest"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["cases"].count == 4 and db["opinions"].count == 7 and db["run_errors"].count == 0
    assert sum("/f3d/9001/CasesMetadata.json" in r for r in cap_site.requests) == 3
    assert sum("/f-supp/922/cases/1426-01.json" in r for r in cap_site.requests) == 2


def test_court_names_map_to_courtlistener_ids() -> None:
    from citator.citations.courts import exact_court_id as court_id

    assert court_id("United States Court of Appeals for the Ninth Circuit") == "ca9"
    assert court_id("United States Court of Appeals for the District of Columbia Circuit") == "cadc"
    assert court_id("United States District Court for the Northern District of California") == "cand"
    assert court_id("United States District Court for the District of Columbia") == "dcd"
    assert court_id("Supreme Court of the United States") == "scotus"
    assert court_id("Court of Appeals of Maryland") is None
    assert court_id("Louisiana Court of Appeal, Fifth Circuit") is None  # a state court, not ca5
