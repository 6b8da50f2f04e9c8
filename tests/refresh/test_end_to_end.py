"""The whole pipeline through the real CLI: fake CourtListener -> refresh -> SQLite -> Datasette."""

from __future__ import annotations

import pytest

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import sqlite_utils

from tests.fakes.cli import TOKEN, run_citator

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_refresh_builds_database_from_courtlistener(tmp_path: Path, cli_env: dict[str, str], courtlistener) -> None:
    result = run_citator(["refresh"], cli_env, tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(cli_env["CITATOR_DB"])

    case_ids = {row["id"] for row in db["cases"].rows}
    assert case_ids == {
        "cl:cluster:100000", "cl:cluster:100001",  # the two seeds CourtListener holds
        "cl:cluster:200001", "cl:cluster:200002", "cl:cluster:200003",  # the three citing cases
    }
    assert db["cases"].get("cl:cluster:200001")["court_id"] == "ca6"
    assert db["cases"].get("cl:cluster:100000")["depth"] == 0
    assert db["cases"].get("cl:cluster:200003")["depth"] == 1

    opinions = {row["id"]: row for row in db["opinions"].rows}
    assert opinions["cl:opinion:400001"]["text_field"] == "html_with_citations"
    assert opinions["cl:opinion:400002"]["text_field"] == "plain_text"
    assert opinions["cl:opinion:400004"]["text_field"] == "html_lawbox"
    assert opinions["cl:opinion:400003"]["type"] == "dissent"

    refs = list(db.query("select * from citations order by opinion_id, span_start"))
    summary = [(r["opinion_id"], r["authority_key"], r["kind"], r["pin_cite"]) for r in refs]
    assert ("cl:opinion:400001", "bernstein-9th", "full", "1141") in summary
    assert ("cl:opinion:400001", "bernstein-9th", "short", "1145") in summary
    assert ("cl:opinion:400002", "bernstein-1", "full", "1436") in summary
    assert ("cl:opinion:400003", "bernstein-9th", "full", None) in summary
    assert ("cl:opinion:400004", "bernstein-1", "full", None) in summary
    # Every span points at the text as stored, so a page can highlight it.
    for r in refs:
        text = opinions[r["opinion_id"]]["text"]
        assert text[r["span_start"] : r["span_end"]] == r["as_written"]
    dissent = [r for r in refs if r["opinion_id"] == "cl:opinion:400003"]
    assert dissent[0]["opinion_part"] == "dissent"

    # Every reference carries a treatment with its confidence and evidence.
    assert all(r["treatment"] and r["confidence"] is not None and json.loads(r["evidence"]) for r in refs)
    # 176 F.3d 1132 is withdrawn: citing it without saying so is flagged, and the flag propagates
    # to a case that relies on the flagged case (C follows A, which relies on the withdrawn opinion).
    flagged = {r["citing_case_id"] for r in refs if r["relies_on_withdrawn"]}
    assert flagged == {"cl:cluster:200001", "cl:cluster:200002"}
    risk = db["cases"].get("cl:cluster:200003")
    assert risk["withdrawn_risk"] == 1
    assert json.loads(risk["withdrawn_risk_path"]) == ["cl:cluster:200003", "cl:cluster:200001", "cl:cluster:100000"]
    edge = db.execute(
        "select treatment from citations where citing_case_id = 'cl:cluster:200003' and cited_case_id = 'cl:cluster:200001'"
    ).fetchone()
    assert edge is not None and edge[0] in ("followed", "relied_on")
    pairs = {(r["citing_case_id"], r["authority_key"]): r for r in db["case_treatments"].rows}
    assert set(pairs) == {
        ("cl:cluster:200001", "bernstein-9th"), ("cl:cluster:200002", "bernstein-1"),
        ("cl:cluster:200002", "bernstein-9th"), ("cl:cluster:200003", "bernstein-1"),
    }
    assert pairs[("cl:cluster:200001", "bernstein-9th")]["references_count"] == 2
    assert all(p["depth"] in ("mentioned", "cited", "discussed", "examined") for p in pairs.values())

    authorities = {row["key"]: row for row in db["authorities"].rows}
    assert authorities["bernstein-9th"]["status"] == "withdrawn"
    assert authorities["bernstein-9th"]["case_id"] == "cl:cluster:100000"

    runs = list(db["runs"].rows)
    assert [r["command"] for r in runs] == ["refresh"]  # one run per refresh (issue 7)
    assert all(r["status"] == "ok" and r["ended_at"] for r in runs)

    # The token never lands in the database.
    assert TOKEN.encode() not in Path(cli_env["CITATOR_DB"]).read_bytes()
    # Every request carried it, and the unrelated case was never fetched.
    assert not any("400005" in r for r in courtlistener.requests)

    # A second refresh changes nothing: stable keys, no duplicates.
    again = run_citator(["refresh"], cli_env, tmp_path)
    assert again.returncode == 0, again.stderr
    assert db["cases"].count == 5
    assert db["citations"].count == len(refs)


def test_datasette_serves_the_result(tmp_path: Path, cli_env: dict[str, str], courtlistener) -> None:
    assert run_citator(["refresh"], cli_env, tmp_path).returncode == 0
    database = Path(cli_env["CITATOR_DB"])
    metadata = database.with_name("citator-metadata.json")
    assert metadata.exists()
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(database), "-m", str(metadata), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/-/versions.json", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("datasette did not start: " + proc.stdout.read().decode() if proc.stdout else "")
                time.sleep(0.2)
        page = httpx.get(base + "/citator/cases")
        assert page.status_code == 200
        assert "Testcase v. Example Agency" in page.text
        assert "Stable id from the first source" in page.text  # column descriptions from our metadata
        rows = httpx.get(base + "/citator/citations.json", params={"_shape": "array", "authority_key": "bernstein-9th"}).json()
        assert {r["citing_case_id"] for r in rows} == {"cl:cluster:200001", "cl:cluster:200002"}
        version = httpx.get(base + "/-/versions.json").json()
        assert version["datasette"]["version"].startswith("0.65")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
