"""`citator bulk` through the real CLI: it writes the database, reruns change nothing, bad input is one line."""

from __future__ import annotations

import pytest

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from citator.db import corpus, records, store
from tests.fakes import bulk_files

pytestmark = pytest.mark.slow


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITATOR_") and k != "COURTLISTENER_TOKEN"}
    env["CITATOR_DB"] = str(tmp_path / "citator.db")
    return env


def _citator(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citator", *args], env=_env(tmp_path), cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _inputs(tmp_path: Path) -> list[str]:
    dump = tmp_path / "dump"
    dump.mkdir()
    bulk_files.write_opinions(dump / "opinions-2026-09-30.csv.bz2")
    bulk_files.write_cap_volume(dump / "999.zip")
    (dump / "README.txt").write_text("INVENTED: stray files in a dump folder are skipped", encoding="utf-8")
    return [str(dump)]


def test_bulk_writes_the_database_and_reruns_are_idempotent(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    first = _citator(["bulk", *inputs, "--workers", "2"], tmp_path)
    assert first.returncode == 0, first.stderr
    db = tmp_path / "citator.db"
    refs = _rows(db, "select opinion_id, citing_case_id, authority_key, kind, as_written, first_seen_run from citations order by opinion_id")
    assert [(r[0], r[1], r[2]) for r in refs] == [
        ("cap:case:7000001:0", "cap:case:7000001", "bernstein-3"),
        ("cl:opinion:501", "cl:cluster:9001", "bernstein-9th"),
        ("cl:opinion:502", "cl:cluster:9002", "bernstein-1"),
    ]
    assert {r[5] for r in refs} == {1}
    cases = _rows(db, "select id from cases order by id")
    assert cases == [("cap:case:7000001",), ("cl:cluster:9001",), ("cl:cluster:9002",)]
    assert _rows(db, "select cite, case_id from case_citations") == [("999 F.3d 10", "cap:case:7000001")]
    # A CAP case keeps its court (the citing court its references were classified with).
    assert _rows(db, "select court_id from cases where id = 'cap:case:7000001'") == [("ca1",)]
    assert _rows(db, "select source from case_sources order by source") == [("cap",), ("courtlistener",), ("courtlistener",)]
    run = _rows(db, "select command, status, documents_fetched, new_cases, new_opinions, new_references from runs")
    # opinions read: CourtListener row 504 names no seed and is passed over unparsed (row 503 has no text)
    assert run == [("bulk", "ok", 4, 3, 3, 3)]
    summary = _rows(db, "select message from runs")[0][0]
    assert "4 opinions read, 2 CourtListener rows passed over unread" in summary, summary

    before = _rows(db, "select * from citations order by id")
    second = _citator(["bulk", *inputs, "-j", "1"], tmp_path)
    assert second.returncode == 0, second.stderr
    assert _rows(db, "select * from citations order by id") == before  # first_seen_run kept too
    assert _rows(db, "select count(*) from cases")[0][0] == 3
    assert _rows(db, "select count(*) from opinions")[0][0] == 3
    assert _rows(db, "select new_cases, new_opinions, new_references from runs where id = 2") == [(0, 0, 0)]

    assert _rows(db, "PRAGMA foreign_key_check") == []  # the bulk writer checks by construction
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    store.open_database(tmp_path / "fresh.db")
    indexes = "select name, sql from sqlite_master where type = 'index' order by name"
    assert _rows(db, indexes) == _rows(tmp_path / "fresh.db", indexes)  # the first run's load set some aside
    assert _rows(db, "select count(*) from citator_meta where key = 'bulk_dropped_indexes'") == [(0,)]

    status = _citator(["status", "--json"], tmp_path)
    assert json.loads(status.stdout)["counts"]["citations"] == 3


def test_full_graph_mode_uses_the_same_path(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    result = _citator(["bulk", *inputs, "--all", "-j", "1"], tmp_path)
    assert result.returncode == 0, result.stderr
    db = tmp_path / "citator.db"
    # Every opinion with text is stored, and non-seed cites land with no authority.
    assert _rows(db, "select count(*) from opinions")[0][0] == 5
    others = _rows(db, "select opinion_id, cite from citations where authority_key is null")
    assert ("cl:opinion:504", "100 F.3d 200") in others
    assert _rows(db, "select count(*) from citations where authority_key is not null")[0][0] == 3
    assert _rows(db, "PRAGMA foreign_key_check") == []


def test_citation_map_forces_extraction_of_listed_opinions(tmp_path: Path) -> None:
    from citator import bulk
    from citator.config import load_config
    from citator.db import store

    db = store.open_database(tmp_path / "c.db")
    seeds = load_config(environ={}).seeds
    # The seed's CourtListener opinion is held in the database (as a harvest would leave it).
    corpus.upsert_case(db, records.CaseRecord(id="cl:cluster:1", name="INVENTED seed case", source="courtlistener",
                                           source_id="cluster:1", citations=[("176 F.3d 1132", "reporter")], depth=0))
    corpus.upsert_opinion(db, records.OpinionRecord(id="cl:opinion:77", case_id="cl:cluster:1", text="INVENTED", text_format="text",
                                                 text_field="plain_text", source="courtlistener", source_id="opinion:77"))
    cmap = bulk_files.write_citation_map(tmp_path / "citation-map-2026-09-30.csv", [(504, 77, 1)])
    opinions = bulk_files.write_opinions(tmp_path / "opinions-2026-09-30.csv")
    result = bulk.run(db, seeds, [opinions, cmap], workers=1)
    assert result.stats.candidates == 3  # 501 and 502 by the prefilter, 504 by the citation map
    assert result.stats.with_references == 2


def test_bad_inputs_fail_with_one_line(tmp_path: Path) -> None:
    missing = _citator(["bulk", "nowhere.csv.bz2"], tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0 and "no such file" in missing.stderr

    (tmp_path / "5.zip").write_bytes(b"INVENTED: not a zip")
    bad = _citator(["bulk", "5.zip"], tmp_path)
    assert bad.returncode == 1
    last = bad.stderr.strip().splitlines()[-1]
    assert last.startswith("citator: ") and "not a CAP volume zip" in last
    assert "Traceback" not in bad.stderr

    good = tmp_path / "opinions.csv"
    bulk_files.write_opinions(good)
    partial = _citator(["bulk", "5.zip", "opinions.csv", "-q"], tmp_path)
    assert partial.returncode == 3  # finished, one file skipped
    assert _rows(tmp_path / "citator.db", "select count(*) from run_errors")[0][0] >= 2


def test_bulk_waits_for_no_one_while_another_run_writes(tmp_path: Path) -> None:
    """A bulk load is a writer like a refresh: it will not start while another run holds the lock."""
    from citator.runlock import DatabaseLock

    inputs = _inputs(tmp_path)
    with DatabaseLock(tmp_path / "citator.db", command="refresh"):
        blocked = _citator(["bulk", *inputs], tmp_path)
    assert blocked.returncode == 4, blocked.stderr
    assert "refresh" in blocked.stderr and "already working" in blocked.stderr and "Traceback" not in blocked.stderr
    after = _citator(["bulk", *inputs], tmp_path)
    assert after.returncode == 0, after.stderr


def test_local_workers_fork_only_from_a_process_without_other_threads() -> None:
    """A `citator bulk` process (one thread) forks its workers, which start at once; a process
    running another thread spawns them, since a lock that thread holds would stay held in a fork."""
    probe = "from citator.bulk import worker_start_method; print(worker_start_method())"
    alone = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert alone.stdout.strip() == ("fork" if sys.platform.startswith("linux") else "spawn")
    with_thread = (
        "import threading; stop = threading.Event(); t = threading.Thread(target=stop.wait); t.start(); "
        + probe.replace("; print(", "; method = (") + "; stop.set(); t.join(); print(method)"
    )
    busy = subprocess.run([sys.executable, "-c", with_thread], capture_output=True, text=True, timeout=60)
    assert busy.stdout.strip() == "spawn", busy.stderr
