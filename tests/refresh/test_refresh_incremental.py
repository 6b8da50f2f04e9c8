"""Issue 7: a refresh redoes only what changed, says "nothing new" when nothing did, and keeps a
`changes` table of what each run added."""

from __future__ import annotations

import pytest

import json
import sqlite3
import time

from tests.fakes.workspace import LATER, Workspace, content, json_lines, workspace  # noqa: F401

pytestmark = pytest.mark.slow


def _finished(stderr: str) -> dict:
    return next(e for e in json_lines(stderr) if e.get("event") == "finished")


def test_no_change_refresh_is_fast_fetches_no_texts_and_says_so(workspace: Workspace) -> None:
    ws = workspace
    assert ws.run("refresh").returncode == 0
    before = content(ws.db)
    published_mtime = ws.db.stat().st_mtime_ns
    ws.server.requests.clear()
    began = time.monotonic()
    result = ws.run("refresh", "--log-format", "json")
    elapsed = time.monotonic() - began
    assert result.returncode == 0, result.stderr
    finished = _finished(result.stderr)
    assert finished["nothing_new"] is True and "nothing new" in finished["message"]
    assert finished["counts"]["opinions_read"] == 0
    assert not [r for r in ws.server.requests if "/opinions/" in r]  # no opinion text downloaded again
    # Seeds already held are not looked up again; only the seeds CourtListener lacks, and the
    # citing-case search that finds new work, are asked for.
    asked = [r for r in ws.server.requests if "citation=" in r]
    assert not [r for r in asked if "176+F.3d+1132" in r or "922+F.+Supp.+1426" in r], asked
    assert content(ws.db) == before
    runs = json.loads(ws.run("status", "--json").stdout)["runs"]
    assert runs[0]["status"] == "ok" and runs[0]["message"].startswith("nothing new")
    assert ws.db.stat().st_mtime_ns >= published_mtime
    print(f"no-change refresh: {elapsed:.2f} s wall clock, including interpreter start")
    assert elapsed < 15


def test_only_changed_opinions_are_read_again(workspace: Workspace) -> None:
    ws = workspace
    assert ws.run("refresh").returncode == 0
    conn = sqlite3.connect(ws.db)
    text = conn.execute("select text from opinions where id = 'cl:opinion:400002'").fetchone()[0]
    # Another source (or a corrected text) changed one opinion: it is the only one read again.
    import hashlib
    new_text = text + " INVENTED ADDITION. See also 922 F. Supp. 1426, 1440."
    with conn:
        conn.execute("update opinions set text = ?, text_sha256 = ? where id = 'cl:opinion:400002'",
                     [new_text, hashlib.sha256(new_text.encode()).hexdigest()])
    conn.close()
    result = ws.run("refresh", "--log-format", "json")
    assert result.returncode == 0, result.stderr
    finished = _finished(result.stderr)
    assert finished["counts"]["opinions_read"] == 1
    assert finished["counts"]["new_references"] == 1
    conn = sqlite3.connect(ws.db)
    pins = {r[0] for r in conn.execute("select pin_cite from citations where opinion_id = 'cl:opinion:400002'")}
    assert pins == {"1436", "1440"}
    conn.close()


def test_changed_seeds_reread_everything_with_the_same_result(workspace: Workspace) -> None:
    ws = workspace
    assert ws.run("refresh").returncode == 0
    before = content(ws.db, ("citations",))
    # Same seeds, one more nickname: the fingerprint changes, every opinion is read again,
    # and since the citations found do not change, neither does the table.
    config = ws.path / "citator.toml"
    from citator.config import load_config
    seeds = load_config(None, environ={}).data["seeds"]
    seeds[0]["nicknames"] = ["Bernstein I", "The first Bernstein"]
    import tomli_w
    config.write_text(config.read_text() + "\n" + tomli_w.dumps({"seeds": seeds}))
    result = ws.run("refresh", "--log-format", "json")
    assert result.returncode == 0, result.stderr
    finished = _finished(result.stderr)
    assert finished["counts"]["opinions_read"] == 6
    assert finished["counts"]["new_references"] == 0
    assert content(ws.db, ("citations",)) == before
    again = _finished(ws.run("refresh", "--log-format", "json").stderr)
    assert again["nothing_new"] is True


def test_changes_table_lists_what_each_run_added(workspace: Workspace) -> None:
    ws = workspace
    assert ws.run("refresh").returncode == 0
    ws.server.clusters.append(LATER)
    assert ws.run("refresh").returncode == 0
    conn = sqlite3.connect(ws.db)
    rows = conn.execute("select run_id, kind, row_id from changes order by id").fetchall()
    first = [r for r in rows if r[0] == 1]
    second = [r for r in rows if r[0] == 2]
    assert sorted(r[2] for r in first if r[1] == "new_case") == [
        "cl:cluster:100000", "cl:cluster:100001", "cl:cluster:200001", "cl:cluster:200002", "cl:cluster:200003"]
    # 5 references to seeds, and Placeholder's reference to Testcase (a citing case, not a seed)
    assert len([r for r in first if r[1] == "new_reference"]) == 6
    assert [(k, i) for _, k, i in second if k == "new_case"] == [("new_case", "cl:cluster:200005")]
    new_refs = [i for _, k, i in second if k == "new_reference"]
    assert len(new_refs) == 1
    citing = conn.execute("select citing_case_id from citations where id = ?", [new_refs[0]]).fetchone()[0]
    assert citing == "cl:cluster:200005"
    run = conn.execute("select new_cases, new_references, status from runs where id = 2").fetchone()
    assert run == (1, 1, "ok")
    conn.close()


def test_updates_to_existing_rows_are_published_even_without_new_cases(workspace: Workspace) -> None:
    """A source filling in a missing field is not "new", but must not be dropped either."""
    ws = workspace
    assert ws.run("refresh").returncode == 0
    citing_c = next(c for c in ws.server.clusters if c.id == 200003)
    citing_c.docket_number = "02-00003"  # the source fills in a docket number it lacked
    result = ws.run("refresh", "--log-format", "json")
    assert result.returncode == 0, result.stderr
    finished = _finished(result.stderr)
    assert finished["nothing_new"] is False
    assert "updated cases" in finished["message"]
    conn = sqlite3.connect(ws.db)
    assert conn.execute("select docket_number from cases where id = 'cl:cluster:200003'").fetchone()[0] == "02-00003"
    conn.close()
    assert _finished(ws.run("refresh", "--log-format", "json").stderr)["nothing_new"] is True
