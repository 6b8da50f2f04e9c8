"""CAP opinions are read with each footnote where its number stands (issue 14, item 2).

CAP's case JSON drops footnote marks and appends the notes after the opinion; its HTML file keeps
both. The cases below are INVENTED for these tests and imitate a district court opinion: their
names, volumes (9007 F. Supp. 2d), CAP ids and sentences are made up, and so is "Acme Ciphers v.
Example Bureau, 922 F. Supp. 1400", an invented neighbour of the real seed 922 F. Supp. 1426 in the
same volume. The seed is first cited in a note; the body after the note's number cites it short,
names it and cites it by id.: read in CAP's JSON order (the note after the opinion), the short cite
has only the neighbour before it and the name a case not yet cited, so none of the three is found.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterator

import pytest
import sqlite_utils
from pytest_httpserver import HTTPServer

from tests.fakes import bulk_files
from tests.fakes.cap import FakeCap, FakeCapCase
from tests.fakes.cap_corpus import ALL_CAP_CASES, MISSING_VOLUMES, NDCAL
from tests.fakes.cli import run_citator
from tests.fakes.harvest_env import make_env
from citator.harvest import bulk_readers

BODY = (
    "INVENTED TEXT FOR TESTS. The agency relied on Acme Ciphers v. Example Bureau, 922 F. Supp. 1400, "
    "1402 (N.D. Cal. 1996).[[1]] The licensing scheme was held a prior restraint. 922 F. Supp. at 1436. "
    "The court in Bernstein found that the scheme lacked time limits. Id. at 1437.\n"
    "The parties dispute the reach of that holding in this appeal."
)
NOTE = "See Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426, 1434 (N.D. Cal. 1996)."
CITES_SEED = [{"cite": "922 F. Supp. 1426", "category": "reporters:federal", "reporter": "F. Supp.",
               "case_ids": [5001], "opinion_index": 0, "case_paths": ["/f-supp/922/1426-01"]}]


def footnoted(case_id: int, file_name: str, **extra) -> FakeCapCase:
    return FakeCapCase(
        id=case_id, slug="f-supp-2d", volume="9007", year=2004, file_name=file_name,
        name=f"Invented Cipher Society {case_id} v. Sample Export Office", court=NDCAL,
        decision_date="2004-05-06", citations=[f"9007 F. Supp. 2d {int(file_name[:4])}"], cites_to=CITES_SEED,
        opinions=[{"type": "majority", "author": "INVENTED, District Judge.", "text": BODY, "notes": {"1": NOTE}}],
        **extra,
    )


WITH_HTML = footnoted(6101, "0070-01")
NO_HTML = footnoted(6102, "0080-01", html_missing=True)
#: an HTML file whose one opinion is a dissent where the JSON has a majority
OTHER_HTML = footnoted(6103, "0090-01", html_file=(
    '<section class="casebody" data-case-id="32044000009007_0090" data-firstpage="90" data-lastpage="95">\n'
    '  <article class="opinion" data-type="dissent">\n    <p id="b90-1">INVENTED dissent.</p>\n  </article>\n'
    "</section>\n"))


@pytest.fixture
def footnote_site() -> Iterator[FakeCap]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield FakeCap(server, [*ALL_CAP_CASES, WITH_HTML, NO_HTML, OTHER_HTML], extra_volumes=MISSING_VOLUMES)
    finally:
        server.clear()
        if server.is_running():
            server.stop()


def _references(db: sqlite_utils.Database, opinion_id: str) -> list[tuple[str, str, str | None, int]]:
    return [(r["kind"], r["as_written"], r["authority_key"], r["in_footnote"]) for r in db.query(
        "select kind, as_written, authority_key, in_footnote from citations where opinion_id = ? order by span_start",
        [opinion_id])]


@pytest.mark.slow
def test_a_seed_first_cited_in_a_cap_footnote_is_the_antecedent_of_the_body_after_the_mark(
        tmp_path: Path, footnote_site: FakeCap) -> None:
    env = make_env(tmp_path, cap=footnote_site, token=False)
    result = run_citator(["refresh"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["run_errors"].count == 0
    assert sum("/f-supp-2d/9007/html/0070-01.html" in r for r in footnote_site.requests) == 1
    # every request, the HTML files' included, was counted against CAP's daily budget
    budgeted = db.execute("select sum(requests) from request_budget where source = 'cap'").fetchone()[0]
    assert budgeted == len(footnote_site.requests)

    opinion = db["opinions"].get("cap:case:6101:0")
    assert (opinion["text_format"], opinion["text_field"]) == ("html", "html article[0]")
    assert 'class="footnotemark"' in opinion["text"] and 'class="footnote"' in opinion["text"]
    refs = _references(db, "cap:case:6101:0")
    assert ("full", "Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426, 1434 (N.D. Cal. 1996)", "bernstein-1", 1) in refs
    body = [(kind, key) for kind, written, key, in_note in refs if not in_note]
    assert body == [("short", "bernstein-1"), ("name_only", "bernstein-1"), ("id", "bernstein-1")], refs

    # No HTML file (404) or one whose opinions differ: the JSON text is stored, said once per case.
    for case_id, why in ((6102, "no HTML file"), (6103, "do not match")):
        stored = db["opinions"].get(f"cap:case:{case_id}:0")
        assert (stored["text_format"], stored["text_field"]) == ("text", "casebody.opinions[0].text")
        assert stored["text"] == footnoted(case_id, "0000-01").case_json()["casebody"]["opinions"][0]["text"]
        said = [line for line in result.stderr.splitlines() if f"case {case_id} " in line]
        assert len(said) == 1 and why in said[0], result.stderr
    assert "Traceback" not in result.stderr

    # Rerunning stores nothing twice.
    opinions = db["opinions"].count
    assert run_citator(["refresh"], env, tmp_path).returncode == 0
    assert db["opinions"].count == opinions


def _volume(path: Path, cases: list[FakeCapCase], with_html: bool) -> Path:
    bulk_files.write_cap_volume(path, [c.case_json() for c in cases],
                                html={c.file_name: c.html() for c in cases} if with_html else {})
    return path


def _texts(path: Path) -> dict[str, tuple[str, str]]:
    docs = bulk_readers.cap_volume(path, lambda name: None)
    return {d.opinion.id: (d.opinion.text_format, d.opinion.text) for d in docs}


def test_a_volume_zip_with_html_gives_each_opinion_its_article(tmp_path: Path) -> None:
    texts = _texts(_volume(tmp_path / "9007.zip", [WITH_HTML], with_html=True))
    fmt, text = texts["cap:case:6101:0"]
    assert fmt == "html" and text.startswith('<article class="opinion" data-type="majority">')
    assert '<a class="footnotemark" href="#footnote_1_1"' in text and NOTE in text


def test_a_volume_zip_without_html_or_with_other_opinions_keeps_the_json_text(tmp_path: Path) -> None:
    json_text = WITH_HTML.case_json()["casebody"]["opinions"][0]["text"]
    assert _texts(_volume(tmp_path / "a.zip", [WITH_HTML], with_html=False)) == {"cap:case:6101:0": ("text", json_text)}
    assert _texts(_volume(tmp_path / "b.zip", [OTHER_HTML], with_html=True))["cap:case:6103:0"][0] == "text"
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as archive:  # an HTML file that is not UTF-8
        archive.writestr("json/0070-01.json", __import__("json").dumps(WITH_HTML.case_json()))
        archive.writestr("html/0070-01.html", WITH_HTML.html().encode("utf-8").replace(b"INVENTED", b"\xff\xfe", 1))
    assert _texts(tmp_path / "c.zip") == {"cap:case:6101:0": ("text", json_text)}


@pytest.mark.slow
def test_bulk_over_a_volume_read_before_from_json_replaces_the_text_on_the_same_rows(tmp_path: Path) -> None:
    """`citator bulk` over the same volume, first without html/ then with it: same rows, HTML text."""
    env = make_env(tmp_path, token=False)
    bare, full = tmp_path / "bare", tmp_path / "full"
    bare.mkdir(), full.mkdir()
    _volume(bare / "9007.zip", [WITH_HTML], with_html=False)
    _volume(full / "9007.zip", [WITH_HTML], with_html=True)
    result = run_citator(["bulk", str(bare)], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 CAP opinions read from the JSON text (no html/ file" in result.stderr  # the fallback is said
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert [(r["id"], r["text_format"]) for r in db["opinions"].rows] == [("cap:case:6101:0", "text")]
    result = run_citator(["bulk", str(full)], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "read from the JSON text" not in result.stderr
    assert [(r["id"], r["text_format"]) for r in db["opinions"].rows] == [("cap:case:6101:0", "html")]
    refs = _references(db, "cap:case:6101:0")
    body = [(kind, key) for kind, written, key, in_note in refs if not in_note]
    assert body == [("short", "bernstein-1"), ("name_only", "bernstein-1"), ("id", "bernstein-1")], refs


@pytest.mark.slow
def test_a_budget_spent_at_the_html_request_stores_nothing_of_the_case_and_resumes(tmp_path: Path, footnote_site: FakeCap) -> None:
    """The HTML file is one more request against `sources.cap.daily_request_budget`: when the day's
    allowance ends just before it, the case is not stored from its JSON text; a later run with
    budget left stores it from the HTML file."""
    probe = tmp_path / "probe"
    probe.mkdir()
    assert run_citator(["harvest"], make_env(probe, cap=footnote_site, token=False), probe).returncode == 0
    first_html = next(i for i, r in enumerate(footnote_site.requests) if "/html/" in r)
    html_case = footnote_site.requests[first_html].split("/html/")[0] + "/cases/"
    assert html_case == "/f-supp/922/cases/"  # the seed 922 F. Supp. 1426 (CAP id 5001) is fetched first
    footnote_site.requests.clear()

    work = tmp_path / "work"
    work.mkdir()
    tight = {"sources": {"cap": {"daily_request_budget": first_html}}}
    result = run_citator(["harvest"], make_env(work, cap=footnote_site, token=False, config=tight), work)
    assert result.returncode == 0, result.stderr
    assert "budget" in result.stderr and not any("/html/" in r for r in footnote_site.requests)
    db = sqlite_utils.Database(work / "citator.db")
    assert db["opinions"].count == 0 and "Traceback" not in result.stderr
    assert sum(html_case in r for r in footnote_site.requests) == 1  # its JSON was fetched, then the budget ran out

    roomy = {"sources": {"cap": {"daily_request_budget": 5000}}}
    result = run_citator(["harvest"], make_env(work, cap=footnote_site, token=False, config=roomy), work)
    assert result.returncode == 0, result.stderr
    assert db["opinions"].count > 0
    assert {r["text_format"] for r in db.query("select text_format from opinions where id like 'cap:case:5001:%'")} == {"html"}
