"""The local folder source through the real CLI. All documents written here are INVENTED for tests."""

from __future__ import annotations

import pytest

import json
from pathlib import Path

import sqlite_utils

from tests.fakes.cli import run_citator
from tests.fakes.cap_corpus import CITING_CAP
from tests.fakes.harvest_env import make_env

pytestmark = pytest.mark.slow


def _folder(root: Path) -> Path:
    folder = root / "opinions"
    (folder / "cl").mkdir(parents=True)
    (folder / "a.txt").write_text(
        "INVENTED TEXT FOR TESTS. See Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426 (N.D. Cal. 1996).", encoding="utf-8")
    (folder / "a.txt.meta.json").write_text(json.dumps({
        "case": "invented-a", "name": "Invented Plaintiff v. Invented Defendant", "citations": ["9007 F.3d 70"],
        "court_id": "ca9", "decision_date": "2004-02-03", "type": "dissent", "author": "Nobody",
    }), encoding="utf-8")
    (folder / "b.html").write_text(
        "<html><head><title>Invented HTML Case</title></head><body><p>INVENTED TEXT FOR TESTS.</p></body></html>", encoding="utf-8")
    (folder / "cap_case.json").write_text(json.dumps(CITING_CAP.case_json()), encoding="utf-8")
    (folder / "cl" / "cluster.json").write_text(json.dumps({
        "id": 200001, "case_name": "Testcase v. Example Agency", "date_filed": "2000-04-04",
        "citations": [{"volume": "9001", "reporter": "F.3d", "page": "10", "type": 1}],
        "sub_opinions": ["https://www.courtlistener.com/api/rest/v4/opinions/400001/"],
    }), encoding="utf-8")
    (folder / "cl" / "opinion.json").write_text(json.dumps({
        "id": 400001, "cluster_id": 200001, "type": "020lead", "author_str": "Invented",
        "html_with_citations": "<p>INVENTED TEXT FOR TESTS.</p>", "plain_text": "",
    }), encoding="utf-8")
    (folder / "broken.json").write_text('{"casebody": {"opinions": [', encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (folder / "notes.md").write_text("ignored", encoding="utf-8")
    return folder


def test_harvest_from_a_local_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    env = make_env(tmp_path, token=False)  # no remote source reachable: --from harvests only the folder
    result = run_citator(["harvest", "--from", str(folder)], env, tmp_path)
    assert result.returncode == 3, result.stderr  # partial: two files could not be read
    assert "Traceback" not in result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    cases = {r["id"]: r for r in db["cases"].rows}
    assert set(cases) == {"local:invented-a", "local:b.html", "local:cap_case.json", "local:courtlistener-cluster-200001"}
    assert cases["local:invented-a"]["citation"] == "9007 F.3d 70" and cases["local:invented-a"]["court_id"] == "ca9"
    assert cases["local:b.html"]["name"] == "Invented HTML Case"
    assert cases["local:cap_case.json"]["court_id"] == "nysd"
    assert cases["local:courtlistener-cluster-200001"]["citation"] == "9001 F.3d 10"
    ops = {r["id"]: r for r in db["opinions"].rows}
    assert (ops["local:a.txt"]["type"], ops["local:a.txt"]["author"], ops["local:a.txt"]["text_format"]) == ("dissent", "Nobody", "text")
    assert ops["local:b.html"]["text_format"] == "html"
    assert [ops[f"local:cap_case.json:{i}"]["type"] for i in (0, 1)] == ["majority", "dissent"]
    assert ops["local:cl/opinion.json"]["text_field"] == "html_with_citations"
    assert all(o["source"] == "local" and o["url"].startswith("file://") and len(o["text_sha256"]) == 64 for o in ops.values())
    assert db["cap_cites_to"].count_where("case_id = 'local:cap_case.json'") == 2
    errors = {Path(r["url"]).name: r["message"] for r in db["run_errors"].rows}
    assert set(errors) == {"broken.json", "scan.pdf"}
    # A corrupt PDF (pypdf is installed) is named with pypdf's reason; the other files were imported.
    assert errors["scan.pdf"].startswith("cannot read scan.pdf: Pdf"), errors["scan.pdf"]
    assert "pip install" not in errors["scan.pdf"]
    assert "EOF marker" not in result.stderr  # pypdf's own log lines do not reach the user
    # Rerunning duplicates nothing.
    assert run_citator(["harvest", "--from", str(folder)], env, tmp_path).returncode == 3
    assert db["cases"].count == 4 and db["opinions"].count == len(ops)


def test_local_paths_from_configuration(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "broken.json").unlink()
    (folder / "scan.pdf").unlink()
    env = make_env(tmp_path, token=False, config={"sources": {"cap": {"enabled": False}, "local": {"paths": [str(folder)]}}})
    result = run_citator(["harvest"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("CourtListener skipped") == 1
    assert sqlite_utils.Database(env["CITATOR_DB"])["cases"].count == 4


def test_a_file_over_the_configured_size_is_reported_and_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "opinions"
    folder.mkdir()
    (folder / "small.txt").write_text("INVENTED TEXT FOR TESTS. A short opinion.", encoding="utf-8")
    (folder / "huge.txt").write_text("INVENTED TEXT FOR TESTS. " + "x" * 30_000, encoding="utf-8")
    env = make_env(tmp_path, token=False, config={"sources": {"cap": {"enabled": False},
                                                              "local": {"paths": [str(folder)], "max_file_mb": 0.02}}})
    result = run_citator(["harvest"], env, tmp_path)
    assert result.returncode == 3, result.stderr  # partial: one file refused
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert [r["id"] for r in db["opinions"].rows] == ["local:small.txt"]
    (message,) = [r["message"] for r in db["run_errors"].rows]
    assert message.startswith("skipped huge.txt: 0.0286 MB is over the limit of 0.02 MB"), message
    assert "max_file_mb" in message
