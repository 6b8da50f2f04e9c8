"""CAP volumes unpacked into a local folder: each case read from its HTML file, footnotes at their marks.

The folders are written here in the layout of CAP's exporter (../shared/reference/cap-static.md,
section 2): `<volume>/cases/<name>.json` beside `<volume>/html/<name>.html` as on static.case.law,
or `json/`, `html/` and `metadata/` as in an unpacked volume zip, with the exporter's listings
(`CasesMetadata.json`, `VolumeMetadata.json`, and static.case.law's `index.html` in every folder).
The cases are INVENTED and imitate a district court opinion (tests/harvest/test_harvest_cap_footnotes.py):
the seed 922 F. Supp. 1426 is first cited in note 1, and after the note's mark the body cites it
short, names it and cites it by id.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import sqlite_utils

from citator.citations.courts import exact_court_id
from citator.db import runs, store
from citator.harvest import cap_records
from citator.harvest.crawl import Crawl
from citator.harvest.local import LocalFolder
from tests.fakes.cap import FakeCapCase
from tests.fakes.cli import run_citator
from tests.fakes.harvest_env import make_env
from tests.harvest.test_harvest_cap_footnotes import OTHER_HTML, footnoted

SEED_BODY = [("short", "bernstein-1"), ("name_only", "bernstein-1"), ("id", "bernstein-1")]
FALLBACK = "its opinions are stored from the JSON text"


def _volume(folder: Path, cases: list[FakeCapCase], *, zip_layout: bool = False, html: bool = True) -> Path:
    """A CAP volume as the exporter lays it out on disk (its HTML files left out when `html` is false)."""
    cases_dir, listings = (folder / "json", folder / "metadata") if zip_layout else (folder / "cases", folder)
    cases_dir.mkdir(parents=True, exist_ok=True)
    (folder / "html").mkdir(exist_ok=True)
    listings.mkdir(exist_ok=True)
    for case in cases:
        (cases_dir / f"{case.file_name}.json").write_text(json.dumps(case.case_json()), encoding="utf-8")
        if html and case.html() is not None:
            (folder / "html" / f"{case.file_name}.html").write_text(case.html(), encoding="utf-8")
    (listings / "CasesMetadata.json").write_text(json.dumps([c.metadata() for c in cases]), encoding="utf-8")
    (listings / "VolumeMetadata.json").write_text(json.dumps({"volume_number": "9007"}), encoding="utf-8")
    if not zip_layout:  # static.case.law's generated listing in every folder
        for listed in (folder, cases_dir, folder / "html"):
            (listed / "index.html").write_text("<title>Index of 9007</title><a href='0070-01.html'>0070-01</a>",
                                               encoding="utf-8")
    return folder


def _body(db: sqlite_utils.Database, opinion_id: str) -> list[tuple[str, str | None]]:
    return [(r["kind"], r["authority_key"]) for r in db.query(
        "select kind, authority_key from citations where opinion_id = ? and not in_footnote order by span_start",
        [opinion_id])]


def _harvest_and_extract(folder: Path, env: dict[str, str], cwd: Path) -> str:
    harvest = run_citator(["harvest", "--from", str(folder)], env, cwd)
    assert harvest.returncode == 0, harvest.stderr
    extract = run_citator(["extract"], env, cwd)
    assert extract.returncode == 0, extract.stderr
    assert "Traceback" not in harvest.stderr + extract.stderr
    return harvest.stderr


def test_the_exporters_html_file_maps_from_either_case_folder() -> None:
    assert cap_records.html_path("f-supp/922/cases/1426-01.json") == "f-supp/922/html/1426-01.html"
    assert cap_records.html_path("/data/9007/json/0070-01.json") == "/data/9007/html/0070-01.html"
    assert cap_records.html_path("json/0070-01.json") == "html/0070-01.html"
    assert cap_records.html_path("downloads/cap_case.json") is None  # not the exporter's layout
    assert cap_records.html_path("9007/html/0070-01.json") is None


def _crawl(said: list[str]) -> Crawl:
    db = store.open_database(":memory:")
    return Crawl(db, runs.start_run(db, "harvest"), depth=1, max_cases=500, report=said.append)


def test_an_html_file_is_its_cases_unless_the_json_beside_it_is_no_cap_case(tmp_path: Path) -> None:
    volume = _volume(tmp_path / "9007", [footnoted(6131, "0070-01"), footnoted(6132, "0080-01")])
    (volume / "cases" / "0080-01.json").write_text('{"casebody": {"opinions": [', encoding="utf-8")  # cut off
    (volume / "cases" / "0090-01.json").write_text(json.dumps({  # a CourtListener opinion, not a CAP case
        "id": 400009, "type": "010combined", "plain_text": "INVENTED TEXT FOR TESTS."}), encoding="utf-8")
    (volume / "html" / "0090-01.html").write_text("<title>Invented Page</title><p>INVENTED.</p>", encoding="utf-8")
    said: list[str] = []
    crawl = _crawl(said)
    counts = LocalFolder([volume], max_mb=None, court_ids=exact_court_id).harvest(crawl)
    assert counts.errors == 1 and said == []
    (error,) = [r[0] for r in crawl.db.execute("select message from run_errors")]
    assert error.startswith("cannot read cases/0080-01.json: JSONDecodeError"), error
    stored = {r[0]: r[1] for r in crawl.db.execute("select id, text_format from opinions")}
    # the unreadable case's HTML file waits for its JSON instead of becoming a case of its own
    assert stored == {"local:cases/0070-01.json:0": "html", "local:cases/0090-01.json": "text",
                      "local:html/0090-01.html": "html"}

    # A case file given on its own finds its HTML file in its volume folder.
    said.clear()
    crawl = _crawl(said)
    LocalFolder([volume / "cases" / "0070-01.json"], max_mb=None, court_ids=exact_court_id).harvest(crawl)
    row = crawl.db.execute("select text_format, url from opinions where id = 'local:0070-01.json:0'").fetchone()
    assert row == ("html", (volume / "html" / "0070-01.html").as_uri()) and said == []


@pytest.mark.slow
def test_a_cap_volume_folder_reads_each_case_once_with_its_notes_at_their_marks(tmp_path: Path) -> None:
    folder = tmp_path / "cap"
    _volume(folder / "f-supp-2d" / "9007", [footnoted(6101, "0070-01")])
    _volume(folder / "unzipped-9007", [footnoted(6102, "0080-01")], zip_layout=True)
    (folder / "mine").mkdir()
    (folder / "mine" / "page.html").write_text(  # an HTML file no CAP case JSON claims: as before
        "<title>Invented Page Case</title><p>INVENTED TEXT FOR TESTS.</p>", encoding="utf-8")
    env = make_env(tmp_path, token=False)
    stderr = _harvest_and_extract(folder, env, tmp_path)
    assert FALLBACK not in stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["run_errors"].count == 0  # the exporter's listings are not taken for documents
    static, unzipped = "local:f-supp-2d/9007/cases/0070-01.json", "local:unzipped-9007/json/0080-01.json"
    # one case per case JSON; the HTML files are part of their cases, not cases of their own
    assert {r["id"] for r in db["cases"].rows} == {static, unzipped, "local:mine/page.html"}
    assert {r["id"] for r in db["opinions"].rows} == {f"{static}:0", f"{unzipped}:0", "local:mine/page.html"}
    for opinion_id, html in ((f"{static}:0", "f-supp-2d/9007/html/0070-01.html"),
                             (f"{unzipped}:0", "unzipped-9007/html/0080-01.html")):
        row = db["opinions"].get(opinion_id)
        assert (row["text_format"], row["text_field"], row["source"]) == ("html", "html article[0]", "local")
        assert row["url"] == (folder / html).as_uri()
        assert 'class="footnotemark"' in row["text"]
        # the seed, first cited in note 1, is the antecedent of the body's short cite, name and id.
        assert _body(db, opinion_id) == SEED_BODY
    assert db["cases"].get(static)["url"] == (folder / "f-supp-2d/9007/cases/0070-01.json").as_uri()

    counts = {table: db[table].count for table in ("cases", "opinions", "citations")}
    db.conn.close()
    _harvest_and_extract(folder, env, tmp_path)
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert {table: db[table].count for table in counts} == counts


@pytest.mark.slow
def test_an_html_file_that_cannot_be_used_leaves_the_json_text_said_once(tmp_path: Path) -> None:
    folder = tmp_path / "cap"
    volume = _volume(folder / "9007", [
        footnoted(6111, "0070-01"),
        footnoted(6112, "0080-01", html_missing=True),
        OTHER_HTML,  # one opinion, a dissent where the JSON has a majority
        footnoted(6114, "0100-01"),
        footnoted(6115, "0110-01"),
        footnoted(6116, "0120-01"),
    ])
    good = volume / "html" / "0070-01.html"
    (volume / "html" / "0100-01.html").write_bytes(good.read_bytes().replace(b"INVENTED", b"\xff\xfe", 1))
    outside = tmp_path / "elsewhere" / "0110-01.html"
    outside.parent.mkdir()
    outside.write_text(footnoted(6115, "0110-01").html() + "<!-- NOT FOR PUBLICATION -->", encoding="utf-8")
    (volume / "html" / "0110-01.html").unlink()
    os.symlink(outside, volume / "html" / "0110-01.html")
    big = volume / "html" / "0120-01.html"
    big.write_text(big.read_text(encoding="utf-8") + "<!-- " + "x" * 40_000 + " -->", encoding="utf-8")
    env = make_env(tmp_path, token=False, config={"sources": {"local": {"max_file_mb": 0.03}}})
    stderr = _harvest_and_extract(folder, env, tmp_path)
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert db["run_errors"].count == 0, list(db["run_errors"].rows)
    assert db["opinions"].get("local:9007/cases/0070-01.json:0")["text_format"] == "html"
    reasons = {"0080-01": "is missing", "0090-01": "do not match", "0100-01": "is not UTF-8",
               "0110-01": "lies outside", "0120-01": "over the limit of 0.03 MB"}
    for name, reason in reasons.items():
        row = db["opinions"].get(f"local:9007/cases/{name}.json:0")
        assert (row["text_format"], row["text_field"]) == ("text", "casebody.opinions[0].text"), name
        assert row["url"] == (volume / "cases" / f"{name}.json").as_uri()
        said = [line for line in stderr.splitlines() if f"9007/cases/{name}.json" in line]
        assert len(said) == 1, stderr
        assert f"9007/html/{name}.html" in said[0] and reason in said[0] and FALLBACK in said[0], said
    # none of the HTML files became a document of its own; the linked one's text was never read
    assert not list(db.query("select id from cases where id like '%.html'"))
    assert "NOT FOR PUBLICATION" not in " ".join(r["text"] for r in db["opinions"].rows)


@pytest.mark.slow
def test_opinions_stored_from_the_json_text_get_the_html_text_on_the_same_rows(tmp_path: Path) -> None:
    """A folder refreshed while its html/ folder was missing holds the opinions a citator without
    this reading stored (same rows, JSON text); once the HTML files are there, the next refresh
    replaces the text, reads it again and lists its new references in the feed (`changes`)."""
    folder = tmp_path / "cap"
    volume = _volume(folder / "9007", [footnoted(6121, "0070-01")], html=False)
    env = make_env(tmp_path, token=False, config={"sources": {"cap": {"enabled": False},
                                                              "local": {"paths": [str(folder)]}}})
    first = run_citator(["refresh"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "9007/html/0070-01.html is missing" in first.stderr
    opinion_id = "local:9007/cases/0070-01.json:0"
    db = sqlite_utils.Database(env["CITATOR_DB"])
    before = db["opinions"].get(opinion_id)
    assert (before["text_format"], before["text_field"]) == ("text", "casebody.opinions[0].text")
    assert _body(db, opinion_id) != SEED_BODY
    counts = {table: db[table].count for table in ("cases", "opinions")}
    db.conn.close()

    (volume / "html" / "0070-01.html").write_text(footnoted(6121, "0070-01").html(), encoding="utf-8")
    second = run_citator(["refresh"], env, tmp_path)
    assert second.returncode == 0, second.stderr
    assert FALLBACK not in second.stderr and "Traceback" not in second.stderr
    db = sqlite_utils.Database(env["CITATOR_DB"])
    assert {table: db[table].count for table in counts} == counts
    after = db["opinions"].get(opinion_id)
    assert (after["text_format"], after["text_field"]) == ("html", "html article[0]")
    assert after["url"].endswith("/9007/html/0070-01.html") and after["text_sha256"] != before["text_sha256"]
    assert _body(db, opinion_id) == SEED_BODY
    run_id = db.execute("select max(id) from runs").fetchone()[0]
    fed = {r[0] for r in db.execute("select row_id from changes where run_id = ? and kind = 'new_reference'", [run_id])}
    short = db.execute("select id from citations where opinion_id = ? and kind = 'short'", [opinion_id]).fetchone()[0]
    assert short in fed
