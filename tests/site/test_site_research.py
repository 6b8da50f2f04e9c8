"""The site as a researcher meets it (issue 16) and as a hostile visitor probes it (issue 20): the
home page, canned-query forms, readable tables, the case page, feeds that never fail, the notice of
an empty database, the Content-Security-Policy, and bounded SQL. Real Datasette through its test
client, on the INVENTED corpus of tests/fakes/site_corpus.py."""

from __future__ import annotations

import asyncio
import itertools
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from datasette.app import Datasette

from citator.db.web import site_security
from citator.db.dates import parse_day
from citator.db.web.home import INTERNAL_TABLES, NOTHING_HARVESTED
from citator.db.web.pages import MAX_DRAWN, cluster_graph
from citator.db.pins import pin_pages
from citator.db.web.queries import QUERIES
from citator.db.web.site import SQL_TIME_LIMIT_MS, datasette_options, serve_command
from tests.fakes import site_corpus as corpus

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def full_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus.build_site_db(tmp_path_factory.mktemp("research") / "citator.db")


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus.build_empty_db(tmp_path_factory.mktemp("empty") / "citator.db")


async def _datasette(path: Path, **settings: object) -> Datasette:
    options = datasette_options(path)
    options["settings"].update(settings)
    ds = Datasette([], immutables=[str(path)], **options)
    await ds.invoke_startup()
    return ds


@pytest.fixture
async def ds(full_db: Path) -> Datasette:
    return await _datasette(full_db)


@pytest.fixture
async def empty(empty_db: Path) -> Datasette:
    return await _datasette(empty_db)


# ---- 16.1 feeds that never fail -----------------------------------------------------------------


def _valid_feed(body: bytes) -> list[ET.Element]:
    root = ET.fromstring(body)
    assert root.tag == ATOM + "feed"
    for tag in ("id", "title", "updated"):
        assert (root.findtext(ATOM + tag) or "").strip(), tag
    entries = root.findall(ATOM + "entry")
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert entry.findtext(ATOM + tag), tag
        link = entry.find(ATOM + "link")
        assert link is not None and link.get("href", "").startswith(("http://", "https://")), link
    return entries


@pytest.mark.slow
@pytest.mark.parametrize("which", ["full", "empty"])
async def test_every_feed_filter_combination_is_a_valid_feed(full_db: Path, empty_db: Path, which: str) -> None:
    ds = await _datasette(full_db if which == "full" else empty_db)
    values = {"seed": ["", "bernstein-9th", "bernstein-3", "nope"], "treatment": ["", "followed", "distinguished", "nope"],
              "court": ["", "ca9", "ca1", "nope"]}
    total = 0
    for seed, treatment, court in itertools.product(*values.values()):
        response = await ds.client.get("/citator/new_references_feed.atom",
                                       params={"seed": seed, "treatment": treatment, "court": court})
        assert response.status_code == 200, (seed, treatment, court, response.text[:300])
        assert response.headers["content-type"].startswith("application/xml")
        entries = _valid_feed(response.content)
        total += len(entries)
        if "nope" in (seed, treatment, court):
            assert entries == []
    assert (total > 0) == (which == "full")


async def test_feed_links_only_http_addresses(ds: Datasette) -> None:
    entries = _valid_feed((await ds.client.get("/citator/new_references_feed.atom", params={"court": "ca9"})).content)
    hrefs = [e.find(ATOM + "link").get("href") for e in entries]
    assert hrefs and not [h for h in hrefs if "javascript" in h]
    assert any("/-/citator/case?id=" in h for h in hrefs)  # the hostile source address gave way to the case page


# ---- 16.2 canned queries ------------------------------------------------------------------------


def test_dates_read_as_researchers_write_them() -> None:
    today = date(2026, 3, 31)
    assert parse_day("2026-11-01", today) == "2026-11-01"
    assert parse_day(" Today ", today) == "2026-03-31"
    assert parse_day("yesterday", today) == "2026-03-30"
    assert parse_day("7 days ago", today) == "2026-03-24"
    assert parse_day("last month", today) == "2026-02-28"  # a shorter month ends on its last day
    assert parse_day("2 weeks ago", today) == "2026-03-17"
    assert parse_day("last year", today) == "2025-03-31"
    for unreadable in ("12/05/2026", "2026-13-01", "soon", "", None, "-3 days ago", "9999 years ago", 5, b"today"):
        assert parse_day(unreadable, today) is None, unreadable


async def test_seed_picker_lists_seeds_with_counts_and_defaults_to_the_most_cited(ds: Datasette) -> None:
    html = (await ds.client.get("/citator/negative_treatment")).text
    picker = re.search(r'<select name="seed" class="seed-picker">(.*?)</select>', html, re.S).group(1)
    assert "the most cited (bernstein-9th)" in picker
    assert re.search(r'value="bernstein-9th">Bernstein v. U.S. Dep&#39;t of Justice, 176 F.3d 1132 \[withdrawn\] – 4 cases, 6 references', picker)
    assert 'value="bernstein-3"' in picker  # every configured seed, cited or not
    rows = (await ds.client.get("/citator/negative_treatment.json", params={"_shape": "array"})).json()
    assert {r["citing_case_id"] for r in rows} == {corpus.CASE_B, corpus.CASE_C}  # not an empty first page
    assert "<title>Negative treatment of a seed – citator</title>" in html  # a title, not SQL
    every_seed = (await ds.client.get("/citator/new_since")).text
    assert '<option value="" selected>every seed</option>' in every_seed


async def test_unknown_seed_and_unreadable_date_answer_with_a_message(ds: Datasette) -> None:
    html = (await ds.client.get("/citator/who_relies_on_seed", params={"seed": "nope"})).text
    assert "No seed is named &#39;nope&#39;" in html and "bernstein-9th" in html
    assert "rows-and-columns" not in html and "0 results" not in html
    html = (await ds.client.get("/citator/new_since", params={"since": "12/05/2026"})).text
    assert "Could not read the date &#39;12/05/2026&#39;" in html and "rows-and-columns" not in html
    rows = (await ds.client.get("/citator/new_since.json", params={"since": "yesterday", "_shape": "array"})).json()
    assert rows  # the new run started today
    rows = (await ds.client.get("/citator/new_since.json", params={"since": "12/05/2026", "_shape": "array"})).json()
    assert rows == []  # no longer every row


def test_every_query_has_a_human_title_and_description() -> None:
    for name, query in QUERIES.items():
        assert query["title"][0].isupper() and "select" not in query["title"].lower(), name
        assert len(query["description"]) > 60 and ":name" not in query["description"], name


# ---- 16.3 home page -----------------------------------------------------------------------------


@pytest.mark.slow
async def test_home_starts_the_research_and_hides_plumbing(ds: Datasette) -> None:
    html = (await ds.client.get("/")).text
    for words in ("The seeds", "withdrawn", "Research tables", "Citation network", "What is new", "Internals",
                  "/citator/who_relies_on_seed?seed=bernstein-9th", "/citator/reliance", "/-/citator/charts",
                  "/citator/new_references_feed.atom"):
        assert words in html, words
    internals = html[html.index("<h2>Internals</h2>"):]
    assert "/citator/crawl_frontier" in internals and "/citator/runs" in internals
    database = (await ds.client.get("/citator")).text
    listed = re.findall(r'<h3><a href="/citator/([a-z_]+)"', database)
    assert "reliance" in listed and not set(listed) & set(INTERNAL_TABLES)
    assert (await ds.client.get("/citator/crawl_frontier")).status_code == 200  # hidden, still there
    rows = (await ds.client.get("/citator.json", params={"sql": "select count(*) as n from runs", "_shape": "array"})).json()
    assert rows[0]["n"] == 2


# ---- 16.4 tables that read ----------------------------------------------------------------------


@pytest.mark.slow
async def test_tables_put_the_researchers_columns_first(ds: Datasette) -> None:
    html = (await ds.client.get("/citator/reliance")).text
    heads = re.findall(r'<th [^>]*data-column="([^"]+)"', html)
    assert heads[:7] == ["case_name", "court", "year", "treatment", "depth", "pin_cites", "parentheticals"]
    assert re.search(r'<a class="case-link" href="/-/citator/case\?id=cl%3Acluster%3A200001">Testcase v. Example Agency</a>', html)
    assert '<details class="about-columns">' in html and "About these columns" in html
    refs = (await ds.client.get("/citator/citing_references")).text
    heads = re.findall(r'<th [^>]*data-column="([^"]+)"', refs)
    assert heads[:6] == ["case_name", "court_id", "year", "treatment", "pin_cite", "sentence"]
    query = (await ds.client.get("/citator/who_relies_on_seed")).text
    heads = re.findall(r'<th class="col-([a-z_]+)" scope="col">', query)
    assert heads[:6] == ["case_name", "court", "year", "treatment", "depth", "pin_cites"]


@pytest.mark.slow
async def test_json_columns_read_as_words_and_long_text_is_clipped(ds: Datasette) -> None:
    status = (await ds.client.get("/citator/authority_status")).text
    assert "relation: withdrawn_by, citation: 192 F.3d 1308" in status and '[{&#34;relation' not in status
    negative = (await ds.client.get("/citator/negative_treatment")).text
    assert "decline to follow" in negative and "[&#34;decline" not in negative
    refs = (await ds.client.get("/citator/citations")).text
    assert '<details class="clip">' in refs  # paragraphs are clipped behind an expander
    assert '<mark class="ref">176 F.3d at 1145</mark>' in refs  # the reference marked in its sentence


# ---- 16.5 case page -----------------------------------------------------------------------------


async def test_case_page_marks_each_reference_where_it_stands(ds: Datasette) -> None:
    html = (await ds.client.get("/-/citator/case", params={"id": corpus.CASE_F})).text
    blocks = re.findall(r'<blockquote class="context">(.*?)</blockquote>', html, re.S)
    assert len(blocks) == 1  # one paragraph, both of its references in it
    marks = re.findall(r'<mark class="ref">(.*?)</mark>', blocks[0], re.S)
    assert marks == ["945 F. Supp. 1279, 1289-90", "Bernstein"]
    assert "INVENTED TEXT FOR TESTS. Bernstein is often" in blocks[0]  # the name where it is no reference
    seed = (await ds.client.get("/-/citator/case", params={"id": corpus.SEED_9TH_CASE})).text
    seed_blocks = re.findall(r'<blockquote class="context">(.*?)</blockquote>', seed, re.S)
    assert len(seed_blocks) == len(set(seed_blocks))  # each citing paragraph once
    assert "Subsequent history" in seed and "withdrawn by 192 F.3d 1308" in seed


async def test_a_depth_two_case_shows_the_path_that_brought_it_in(ds: Datasette) -> None:
    html = (await ds.client.get("/-/citator/case", params={"id": corpus.CASE_D})).text
    assert "cites no seed authority itself" in html
    assert re.search(r"it cites <a [^>]*>Testcase v. Example Agency</a>.*?which\s+<span class=\"treatment t-followed\">followed</span>\s+"
                     r"<strong>Bernstein v. U.S. Dep&#39;t of Justice</strong>", html, re.S)


@pytest.mark.slow
async def test_a_source_address_that_is_not_http_is_never_a_link(ds: Datasette) -> None:
    html = (await ds.client.get("/-/citator/case", params={"id": corpus.CASE_E})).text
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', html))
    assert "Source address (not a web link)" in html
    for path in ("/citator/reliance", "/citator/cases", "/citator/who_relies_on_seed?seed=bernstein-9th"):
        page = (await ds.client.get(path)).text
        assert not [h for h in re.findall(r'href="([^"]*)"', page) if h.strip().lower().startswith("javascript")], path


def _crowd(cases: int) -> dict:
    """A seed cited by `cases` cases over 8 courts and 12 years, as `pages.network` returns it."""
    nodes = [{"id": "seed", "kind": "seed", "ring": 0, "label": "Bernstein", "court_id": "ca9", "year": 1999}]
    edges = []
    for n in range(cases):
        nodes.append({"id": f"case{n}", "kind": "case", "ring": 1, "label": f"Case {n}", "court_id": f"ca{n % 8 + 1}",
                      "year": 2000 + n % 12, "withdrawn_risk": n == 5})
        edges.append({"source": f"case{n}", "target": "seed", "treatment": "followed" if n % 2 else "distinguished",
                      "references": 1, "weight": 1})
    return {"seed": "bernstein-9th", "centre": "seed", "nodes": nodes, "edges": edges}


def test_up_to_200_cases_each_case_is_drawn() -> None:
    graph = cluster_graph(_crowd(MAX_DRAWN - 1))
    assert graph["clustered"] is None and len(graph["nodes"]) == MAX_DRAWN


def test_beyond_200_cases_are_grouped_by_court_and_year() -> None:
    graph = cluster_graph(_crowd(600))
    assert graph["clustered"] == "court and year"
    groups = [n for n in graph["nodes"] if n["kind"] == "cluster"]
    assert len(groups) == 24  # 8 courts x 12 years fall into 24 distinct (court, year) pairs here
    assert sum(g["members"] for g in groups) == 600  # every case in exactly one group
    assert [n["id"] for n in graph["nodes"] if n["kind"] == "seed"] == ["seed"]  # seeds are never grouped
    assert sum(1 for g in groups if g["withdrawn_risk"]) == 1  # the risk mark survives grouping
    group_ids = {g["id"] for g in groups}
    assert all(e["source"] in group_ids and e["target"] == "seed" for e in graph["edges"])  # edges run between groups
    assert len(graph["edges"]) == len({(e["source"], e["treatment"]) for e in graph["edges"]})  # one per group and treatment
    assert sum(e["references"] for e in graph["edges"]) == 600  # merged edges keep their reference counts
    assert len(graph["nodes"]) <= MAX_DRAWN


def test_when_court_and_year_is_still_too_many_cases_are_grouped_by_court() -> None:
    crowd = _crowd(0)
    for n in range(3000):  # 30 courts x 100 years: 3000 pairs, more than can be drawn
        crowd["nodes"].append({"id": f"c{n}", "kind": "case", "ring": 1, "label": f"C {n}", "court_id": f"court{n % 30}",
                               "year": 1900 + n // 30})
        crowd["edges"].append({"source": f"c{n}", "target": "seed", "treatment": "followed", "references": 2, "weight": 1})
    graph = cluster_graph(crowd)
    assert graph["clustered"] == "court" and len(graph["nodes"]) == 31
    assert sum(e["references"] for e in graph["edges"]) == 6000


# ---- 16.7 cited_for ranges ----------------------------------------------------------------------


def test_pin_ranges_cover_each_page() -> None:
    assert pin_pages("1139-41") == ["1139", "1140", "1141"]
    assert pin_pages("1139\u201341") == ["1139", "1140", "1141"]
    assert pin_pages("272\u2013275, 315") == ["272", "273", "274", "275", "315"]
    assert pin_pages("535-36 & n.33") == ["535", "536"]
    assert pin_pages("307 n.18") == ["307 n.18"] and pin_pages("*3") == ["*3"] and pin_pages("") == ["(no pin)"]
    assert pin_pages("1139-38") == ["1139-38"]  # not a range forwards: kept as written


async def test_cited_for_counts_a_range_on_each_page(ds: Datasette) -> None:
    rows = (await ds.client.get("/citator/cited_for.json", params={"seed": "bernstein-2", "_shape": "array"})).json()
    counts = {r["pin_page"]: r["references_count"] for r in rows}
    assert counts == {"1289": 1, "1290": 1, "(no pin)": 1}


# ---- 16.8 an empty or failed database -----------------------------------------------------------

EVERY_KIND_OF_PAGE = ["/", "/citator", "/citator/reliance", "/citator/citations", "/citator/who_relies_on_seed",
                      "/citator/new_since", "/-/citator/network", "/-/citator/charts", "/-/citator/about"]


@pytest.mark.slow
async def test_an_empty_failed_database_explains_itself_on_every_page(empty: Datasette) -> None:
    for path in EVERY_KIND_OF_PAGE:
        response = await empty.client.get(path)
        assert response.status_code == 200, path
        assert "Nothing harvested yet" in response.text and "citator status" in response.text, path
        assert "failed" in response.text, path  # the failed run is named
    network = await empty.client.get("/-/citator/network.json")
    assert network.status_code == 404 and "citator refresh" in network.json()["error"]


async def test_a_database_without_citator_tables_explains_itself(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "citator.db"
    sqlite3.connect(path).close()
    ds = Datasette([], immutables=[str(path)], **datasette_options(path))
    await ds.invoke_startup()
    for path_ in ("/", "/-/citator/network", "/-/citator/charts", "/-/citator/about"):
        response = await ds.client.get(path_)
        assert response.status_code == 200 and NOTHING_HARVESTED.split(":")[0] in response.text, path_


async def test_a_good_database_shows_no_notice(ds: Datasette) -> None:
    assert "citator-notice" not in (await ds.client.get("/")).text


# ---- 20.1 Content-Security-Policy ---------------------------------------------------------------


@pytest.mark.slow
async def test_every_page_carries_a_content_security_policy(ds: Datasette) -> None:
    for path in ("/-/citator/case?id=" + corpus.CASE_A, "/-/citator/network", "/-/citator/about",
                 "/-/citator/static/network.js"):
        policy = (await ds.client.get(path)).headers["content-security-policy"]
        assert policy == site_security.CITATOR_POLICY, path
        assert "unsafe" not in policy and "http" not in policy
    for path in ("/", "/citator", "/citator/reliance", "/citator/cited_for", "/citator.json?sql=select+1"):
        policy = (await ds.client.get(path)).headers["content-security-policy"]
        scripts = [d for d in policy.split("; ") if d.startswith("script-src")][0]
        assert "'unsafe-inline'" not in scripts and "sha256-" in scripts and "http" not in policy, path


async def test_citator_pages_hold_no_inline_script_or_style(ds: Datasette) -> None:
    for path in ("/-/citator/case?id=" + corpus.CASE_F, "/-/citator/network", "/-/citator/charts", "/-/citator/about"):
        html = (await ds.client.get(path)).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html, path


# ---- 20.2 bounded public SQL --------------------------------------------------------------------


@pytest.mark.parametrize("sql", ["select zeroblob(200000000)", "select length(hex(randomblob(400000000)))",
                                 "select length(hex(zeroblob(5000000)))"])
async def test_huge_values_are_refused(ds: Datasette, sql: str) -> None:
    response = await ds.client.get("/citator.json", params={"sql": sql})
    assert response.status_code == 400 and "too big" in response.text, response.text[:300]


async def test_a_huge_result_is_refused(ds: Datasette) -> None:
    sql = ("with recursive n(i) as (select 1 union all select i + 1 from n limit 20) "
           "select i, zeroblob(7000000) as blob from n")
    response = await ds.client.get("/citator.json", params={"sql": sql})
    assert response.status_code == 400 and "larger than 64 MB" in response.text, response.text[:300]


async def test_visitor_sql_waits_its_turn() -> None:
    """With the one slot taken, a second request with SQL gets a 503 after the wait; pages without
    SQL pass straight through."""
    started = asyncio.Event()
    release = asyncio.Event()

    async def app(scope, receive, send):
        if b"sql=" in scope["query_string"]:
            started.set()
            await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    gate = site_security.HeavyQueryGate(app, slots=1, wait=0.2)
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    first = asyncio.create_task(gate({"type": "http", "query_string": b"sql=select+1"}, None, send))
    await started.wait()
    await gate({"type": "http", "query_string": b"sql=select+2"}, None, send)
    assert sent[0]["status"] == 503
    await gate({"type": "http", "query_string": b"_size=10"}, None, send)
    assert sent[2]["status"] == 200
    release.set()
    await first
    assert sent[-2]["status"] == 200


async def _answer_after(scope: dict, send: Any) -> None:
    """An ASGI app standing in for Datasette: a query string holding `slow` takes 0.3 s."""
    if b"slow" in scope["query_string"]:
        await asyncio.sleep(0.3)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


class _Statuses:
    """An ASGI `send` that keeps what was sent; `last` is the status of the latest response."""

    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def __call__(self, message: dict) -> None:
        self.sent.append(message)

    @property
    def last(self) -> int:
        return [m for m in self.sent if m["type"] == "http.response.start"][-1]["status"]


async def test_a_long_visitor_query_is_followed_by_a_rest() -> None:
    """Visitor SQL gets at most `share` of the time: after a query that ran 0.3 s with share 0.5, the
    next visitor query within 0.3 s is refused with a 503 that says why; after the rest it runs. A
    quick query leaves almost no rest, and pages without SQL never wait."""
    send = _Statuses()
    gate = site_security.HeavyQueryGate(lambda scope, receive, s: _answer_after(scope, s),
                                        slots=1, wait=0.05, share=0.5)
    for query, expected in ((b"sql=select+1", 200), (b"sql=select+2", 200),  # quick: no noticeable rest
                            (b"sql=slow", 200), (b"sql=select+3", 503), (b"_size=10", 200)):
        await gate({"type": "http", "query_string": query}, None, send)
        assert send.last == expected, query
        if expected == 503:
            assert b"one at a time" in send.sent[-1]["body"]
    await asyncio.sleep(0.35)
    await gate({"type": "http", "query_string": b"sql=select+4"}, None, send)
    assert send.last == 200


async def test_visitor_sql_share_of_one_means_no_rest() -> None:
    send = _Statuses()
    gate = site_security.HeavyQueryGate(lambda scope, receive, s: _answer_after(scope, s),
                                        slots=1, wait=0.05, share=1.0)
    for query in (b"sql=slow", b"sql=select+2"):
        await gate({"type": "http", "query_string": query}, None, send)
        assert send.last == 200, query
    with pytest.raises(ValueError):
        site_security.HeavyQueryGate(_answer_after, share=0)


async def test_visitor_sql_gets_the_shorter_time_limit() -> None:
    """Visitor-written SQL reaches Datasette with `_timelimit` at most VISITOR_SQL_TIME_LIMIT_MS (a visitor
    may ask for less, never more); tables and canned queries keep the site's limit."""
    seen: list[bytes] = []

    async def app(scope, receive, send):
        seen.append(scope["query_string"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def send(message):
        pass

    gate = site_security.HeavyQueryGate(app)
    limit = site_security.VISITOR_SQL_TIME_LIMIT_MS
    assert limit < SQL_TIME_LIMIT_MS
    for query, expected in ((b"sql=select+%27%C3%A9%27", limit), (b"sql=select+1&_timelimit=999999", limit),
                            (b"_where=1&_timelimit=50", 50), (b"sql=select+1&_timelimit=nonsense", limit)):
        await gate({"type": "http", "query_string": query}, None, send)
        args = parse_qs(seen[-1].decode("latin-1"))
        assert args["_timelimit"] == [str(expected)], query
    assert seen[0].startswith(b"sql=select+%27%C3%A9%27")  # the visitor's SQL passes byte for byte
    await gate({"type": "http", "query_string": b"seed=bernstein-9th"}, None, send)
    assert seen[-1] == b"seed=bernstein-9th"


async def test_no_sql_turns_visitor_sql_off(full_db: Path) -> None:
    args = serve_command(full_db, allow_sql=False)
    assert args[args.index("default_allow_sql") - 1:args.index("default_allow_sql") + 2] == ["--setting", "default_allow_sql", "off"]
    ds = await _datasette(full_db, default_allow_sql=False)
    assert (await ds.client.get("/citator.json", params={"sql": "select 1"})).status_code == 403
    assert (await ds.client.get("/citator/who_relies_on_seed.json")).status_code == 200
    assert (await ds.client.get("/citator/reliance.json")).status_code == 200
    assert (await ds.client.get("/citator/reliance", params={"_where": "1"})).status_code == 403


@pytest.mark.slow
async def test_without_visitor_sql_every_link_of_a_query_page_still_works(full_db: Path) -> None:
    """`--no-sql` refuses `_where=`, so a query page must not offer the links built with it."""
    ds = await _datasette(full_db, default_allow_sql=False)
    for name in ("who_relies_on_seed", "negative_treatment", "withdrawn_unnoted", "new_since", "second_degree"):
        html = (await ds.client.get(f"/citator/{name}")).text
        links = {h.replace("&amp;", "&") for h in re.findall(r'href="([^"#]+)"', html)}
        local = [h if h.startswith("/") else f"/citator/{name}{h}" if h.startswith("?") else f"/citator/{h}"
                 for h in links if not h.startswith(("http:", "https:", "mailto:"))]
        refused = [h for h in local if (await ds.client.get(h)).status_code == 403]
        assert not refused, (name, refused)
    page = (await ds.client.get("/citator/who_relies_on_seed")).text
    assert "without visitor SQL" in page and "citator-every-row" not in page
    allowed = (await (await _datasette(full_db)).client.get("/citator/who_relies_on_seed")).text
    assert "citator-every-row" in allowed  # with SQL on, the link is there
