"""A database that holds CAP opinions from the JSON text gets them from the HTML file once.

A citator that did not read CAP's HTML files stored each opinion from the case JSON's text (no
footnote marks, the notes after the opinion), and its fetch items were done for good. Such a
database is made here by harvesting while the HTML files are missing and then removing what the
fetch items record of the HTML file (`payload.html`), which that citator never wrote. The cases
are INVENTED for these tests and imitate a district court opinion (see test_harvest_cap_footnotes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest
import sqlite_utils
from pytest_httpserver import HTTPServer

from citator.db import frontier, store
from tests.fakes.cap import FakeCap
from tests.fakes.cap_corpus import ALL_CAP_CASES, MISSING_VOLUMES
from tests.fakes.cli import run_citator
from tests.fakes.harvest_env import make_env
from tests.harvest.test_harvest_cap_footnotes import footnoted

#: HTML file missing at the first harvest, served from the next one on
LATE = footnoted(6201, "0100-01", html_missing=True)
#: HTML file missing for good
GONE = footnoted(6202, "0110-01", html_missing=True)
#: HTML file missing at first, then one whose opinion is a dissent where the JSON has a majority
ODD = footnoted(6205, "0140-01", html_missing=True)
ODD_HTML = (
    '<section class="casebody" data-case-id="32044000009007_0140" data-firstpage="140" data-lastpage="145">\n'
    '  <article class="opinion" data-type="dissent">\n    <p id="b140-1">INVENTED dissent.</p>\n  </article>\n'
    "</section>\n")
#: two more cases whose HTML file appears late, for the budget
LATER = [footnoted(6203, "0120-01", html_missing=True), footnoted(6204, "0130-01", html_missing=True)]


@pytest.fixture
def site() -> Iterator[FakeCap]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    cases = [footnoted(c.id, c.file_name, html_missing=True) for c in (LATE, GONE, ODD, *LATER)]
    try:
        yield FakeCap(server, [*ALL_CAP_CASES, *cases], extra_volumes=MISSING_VOLUMES)
    finally:
        server.clear()
        if server.is_running():
            server.stop()


def _case(site: FakeCap, cap_id: int):
    return next(c for c in site.cases if c.id == cap_id)


def _as_before_html_files(db_path: str | Path) -> None:
    """Make a database look harvested by a citator that never asked for CAP's HTML files."""
    db = sqlite_utils.Database(db_path)
    db.execute("update crawl_frontier set payload = json_remove(payload, '$.html') where source = 'cap' and kind = 'fetch'")
    db.conn.commit()
    db.conn.close()


def _html_requests(site: FakeCap, file_name: str) -> int:
    return sum(f"/html/{file_name}.html" in r for r in site.requests)


def _format(db: sqlite_utils.Database, cap_id: int) -> tuple[str, str]:
    row = db["opinions"].get(f"cap:case:{cap_id}:0")
    return row["text_format"], row["text_field"]


@pytest.mark.slow
def test_refresh_reads_an_html_file_that_appeared_and_asks_for_a_missing_one_once(tmp_path: Path, site: FakeCap) -> None:
    env = make_env(tmp_path, cap=site, token=False)
    first = run_citator(["refresh"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert _format(db, 6201) == ("text", "casebody.opinions[0].text")
    opinions = db["opinions"].count
    db.conn.close()
    _as_before_html_files(env["CITATOR_DB"])

    _case(site, 6201).html_missing = False
    _case(site, 6205).html_missing, _case(site, 6205).html_file = False, ODD_HTML
    site.requests.clear()
    result = run_citator(["refresh"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["run_errors"].count == 0
    # the text is replaced on the same row, from the HTML file
    assert db["opinions"].count == opinions
    row = db["opinions"].get("cap:case:6201:0")
    assert (row["text_format"], row["text_field"]) == ("html", "html article[0]")
    assert row["url"].endswith("/f-supp-2d/9007/html/0100-01.html") and 'class="footnotemark"' in row["text"]
    # read again: the body's short cite after the note's mark, the name and the id. go to the seed
    refs = list(db.query("select id, kind, authority_key, in_footnote from citations where opinion_id = ? "
                         "order by span_start", ["cap:case:6201:0"]))
    body = [(r["kind"], r["authority_key"]) for r in refs if not r["in_footnote"]]
    assert body == [("short", "bernstein-1"), ("name_only", "bernstein-1"), ("id", "bernstein-1")], refs
    # the run's feed shows the references read from the new text, as for any changed text
    run_id = db.execute("select max(id) from runs").fetchone()[0]
    fed = {r[0] for r in db.execute("select row_id from changes where run_id = ? and kind = 'new_reference'", [run_id])}
    short = next(r["id"] for r in refs if r["kind"] == "short")
    assert short in fed
    # the case whose HTML file is still missing keeps its JSON text, said once
    assert _format(db, 6202) == ("text", "casebody.opinions[0].text")
    said = [line for line in result.stderr.splitlines() if "case 6202" in line]
    assert len(said) == 1 and "no HTML file" in said[0], result.stderr
    assert _format(db, 6205) == ("text", "casebody.opinions[0].text")
    said = [line for line in result.stderr.splitlines() if "case 6205" in line]
    assert len(said) == 1 and "do not match" in said[0], result.stderr
    assert [_html_requests(site, name) for name in ("0100-01", "0110-01", "0140-01")] == [1, 1, 1]
    db.conn.close()

    again = run_citator(["refresh"], env, tmp_path)
    assert again.returncode == 0, again.stderr
    # never asked again
    assert [_html_requests(site, name) for name in ("0100-01", "0110-01", "0140-01")] == [1, 1, 1]
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["opinions"].count == opinions
    outcomes = {r["key"]: json.loads(r["payload"])["outcome"] for r in db.query(
        "select key, payload from crawl_frontier where kind = 'refetch_html' and status = 'done'")}
    assert [outcomes[f"refetch_html:case:{n}"] for n in (6201, 6202, 6205)] == ["stored", "missing", "mismatch"]


@pytest.mark.slow
def test_html_refetches_stay_within_the_daily_budget_and_resume(tmp_path: Path, site: FakeCap) -> None:
    env = make_env(tmp_path, cap=site, token=False)
    assert run_citator(["harvest"], env, tmp_path).returncode == 0
    for cap_id in (6201, 6203, 6204):
        _case(site, cap_id).html_missing = False
    # fetched by this citator, the HTML files were asked for (404) and are not asked for again
    site.requests.clear()
    assert run_citator(["harvest"], env, tmp_path).returncode == 0
    assert not any("/html/" in r for r in site.requests)
    _as_before_html_files(env["CITATOR_DB"])
    db = sqlite_utils.Database(env["CITATOR_DB"])
    used = frontier.budget_used(db, "cap")
    db.conn.close()

    # room for three requests (an HTML file each, and the case JSON unless the cache still holds it)
    site.requests.clear()
    tight = {"sources": {"cap": {"daily_request_budget": used + 3}}}
    result = run_citator(["harvest"], make_env(tmp_path, cap=site, token=False, config=tight), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "budget" in result.stderr and "Traceback" not in result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert frontier.budget_used(db, "cap") == used + 3 and len(site.requests) == 3
    assert all("/html/" in r or "/cases/" in r for r in site.requests)
    assert _format(db, 6201)[0] == "html" and _format(db, 6204)[0] == "text"  # in key order, the last one waits
    pending = db.execute("select count(*) from crawl_frontier where kind = 'refetch_html' and status = 'pending'").fetchone()[0]
    assert pending >= 1
    db.conn.close()

    roomy = {"sources": {"cap": {"daily_request_budget": used + 100}}}
    result = run_citator(["harvest"], make_env(tmp_path, cap=site, token=False, config=roomy), tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert [_format(db, cap_id)[0] for cap_id in (6201, 6202, 6203, 6204)] == ["html", "text", "html", "html"]
    assert db["opinions"].count == len({r["id"] for r in db.query("select id from opinions")})
    assert frontier.budget_used(db, "cap") == used + len(site.requests)


def test_refetches_wait_until_all_other_work_of_the_source_is_done(tmp_path: Path) -> None:
    db = store.open_database(tmp_path / "citator.db")
    frontier.frontier_add(db, "cap", "refetch_html:case:1", "refetch_html", depth=0, priority=-1.0)
    frontier.frontier_add(db, "cap", "fetch:case:2", "fetch", depth=2, priority=0.0)
    frontier.frontier_add(db, "cap", "scan:f3d/1:depth1", "scan", depth=1, priority=2000.0)
    order = [i["key"] for i in frontier.frontier_next(db, "cap", limit=10)]
    assert order == ["scan:f3d/1:depth1", "fetch:case:2", "refetch_html:case:1"]
