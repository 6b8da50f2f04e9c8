"""Paged canned queries (issue 8): each page of a query that lists rows holds at most PAGE_SIZE rows,
the next page holds the next rows, the page says how to reach them and where every row is, and that
table lists them all; new_since stops after a page instead of sorting every reference.

Built with the benchmark's generator (INVENTED cases and references, real seeds) at a size where
every paged query has more than one page, and served by real Datasette. No timings are asserted."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from datasette.app import Datasette

from bench import site_latency
from citator.db import dates
from citator.db.web import home, paging
from citator.db.web.queries import ALL_SEEDS_WHEN_EMPTY, DEFAULT_SEED, EVERY_ROW, PAGE, PAGE_SIZE, QUERIES
from citator.db.web.site import datasette_options, publish_site

#: Parameters each query is asked with (the others are left empty: their defaults).
ASKED = {"new_since": {"since": "2000-01-01"}}
#: Citing cases given a reference to one of the seed's citing cases, so second_degree has pages.
SECOND_DEGREE_LINKS = 150


def _add_second_degree_links(path: Path) -> None:
    """References (to no seed) from one bench case to another that cites the default seed."""
    db = sqlite_utils.Database(path)
    cited = [r[0] for r in db.execute("select citing_case_id from reliance where authority_key = ? order by 1 limit ?",
                                      [DEFAULT_SEED, SECOND_DEGREE_LINKS])]
    cases = [r[0] for r in db.execute("select id from cases where id like 'bench:case:%' order by id desc limit ?",
                                      [SECOND_DEGREE_LINKS])]
    rows = [(f"INVENTED-link-{n}", case.replace(":case:", ":opinion:"), case, via, f"{9000 + n} F.3d 1", "full", 1)
            for n, (case, via) in enumerate(zip(cases, cited)) if case != via]
    with db.conn:
        db.conn.executemany("insert into citations (id, opinion_id, citing_case_id, cited_case_id, cite, kind, first_seen_run) "
                            "values (?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()


@pytest.fixture(scope="module")
def paged_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pages") / "citator.db"
    site_latency.build_database(path, references=3000, cases=300)
    _add_second_degree_links(path)
    publish_site(path)
    return path


@pytest.fixture
async def ds(paged_db: Path) -> Datasette:
    datasette = Datasette([str(paged_db)], **datasette_options(paged_db))  # mutable, as `citator serve`
    await datasette.invoke_startup()
    return datasette


def _every_row_of(path: Path, name: str) -> list[sqlite3.Row]:
    """The query's rows without its page limit, straight from SQLite."""
    sql = QUERIES[name]["sql"].rsplit("\nlimit ", 1)[0]
    params = {p: ASKED.get(name, {}).get(p, "") for p in QUERIES[name]["params"]}
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        dates.register(conn)
        return conn.execute(sql, params).fetchall()


def _most_cited(path: Path, name: str = "") -> dict[str, str]:
    """The seed an empty form stands for (the one most cases cite), as the site finds it."""
    if name in ALL_SEEDS_WHEN_EMPTY:
        return {}
    with sqlite3.connect(path) as conn:
        return {"seed": home.most_cited_seed(conn, withdrawn=name == "withdrawn_unnoted")}


async def _page(ds: Datasette, name: str, page: int | None = None) -> list[tuple]:
    params = {**ASKED.get(name, {}), **({"page": str(page)} if page else {})}
    response = await ds.client.get(f"/citator/{name}.json", params=params)
    assert response.status_code == 200, response.text
    return [tuple(r) for r in response.json()["rows"]]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EVERY_ROW))
async def test_pages_list_every_row_once_in_order(ds: Datasette, paged_db: Path, name: str) -> None:
    everything = [tuple(r) for r in _every_row_of(paged_db, name)]
    assert len(everything) > PAGE_SIZE, "the corpus must give this query more than one page"
    first = await _page(ds, name)
    assert len(first) == PAGE_SIZE and first == await _page(ds, name, 1)
    assert await _page(ds, name, 2) == everything[PAGE_SIZE:2 * PAGE_SIZE]  # the next rows
    walked, page = [], 1
    while rows := await _page(ds, name, page):
        walked += rows
        page += 1
    assert walked == everything


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EVERY_ROW))
async def test_every_row_link_lists_all_of_them(ds: Datasette, paged_db: Path, name: str) -> None:
    """The table the page links to holds exactly the query's rows (for second_degree, the references
    behind its links), so a researcher can page through them all or download them as CSV."""
    everything = _every_row_of(paged_db, name)
    table, _, query = paging.every_row_url(name, ASKED.get(name, {}), _most_cited(paged_db, name)).partition("?")
    response = await ds.client.get(f"/citator/{table}.json?{query}")
    assert response.status_code == 200, response.text
    expected = sum(r["references_count"] for r in everything) if name == "second_degree" else len(everything)
    assert response.json()["filtered_table_rows_count"] == expected > PAGE_SIZE
    download = await ds.client.get(f"/citator/{table}.csv?{query}&_stream=on")
    assert download.status_code == 200, download.text
    streamed = list(csv.DictReader(io.StringIO(download.text)))
    assert len(streamed) == expected  # every row, not a page of them
    assert {r["citing_case_id"] for r in streamed} == {r["citing_case_id"] for r in everything}


async def test_a_page_shows_at_most_a_page_and_says_how_to_get_more(ds: Datasette, paged_db: Path) -> None:
    html = (await ds.client.get("/citator/who_relies_on_seed")).text
    assert html.count("<tr>") - 1 == PAGE_SIZE  # the header row, then one page of rows
    assert f"{PAGE_SIZE} rows a page" in html and "Rows 1 to 100" in html
    assert re.search(r'<a href="\?page=2" rel="next">Next page</a>', html)
    assert 'rel="prev"' not in html
    every = re.search(r'<a href="([^"]+)" class="citator-every-row">', html).group(1)
    most_cited = _most_cited(paged_db)["seed"]
    assert every.startswith(f"reliance?authority_key={most_cited}&amp;_where=")
    rows = await _every_row_page_count(ds)
    last = (rows + PAGE_SIZE - 1) // PAGE_SIZE
    tail = (await ds.client.get("/citator/who_relies_on_seed", params={"seed": DEFAULT_SEED, "page": str(last)})).text
    assert f'href="?seed={DEFAULT_SEED}&amp;page={last - 1}" rel="prev"' in tail
    assert 'rel="next"' not in tail  # the last page is not full
    beyond = (await ds.client.get("/citator/who_relies_on_seed", params={"page": str(last + 1)})).text
    assert f"No rows on page {last + 1}" in beyond


async def _every_row_page_count(ds: Datasette) -> int:
    rows = (await ds.client.get("/citator/who_relies_on_seed.json", params={"page": "1"})).json()["rows"]
    total, page = len(rows), 1
    while len(rows) == PAGE_SIZE:
        page += 1
        rows = (await ds.client.get("/citator/who_relies_on_seed.json", params={"page": str(page)})).json()["rows"]
        total += len(rows)
    assert total % PAGE_SIZE, "the last page must not be full for this test"
    return total


async def test_unpaged_queries_have_no_page_links(ds: Datasette) -> None:
    html = (await ds.client.get("/citator/cited_for")).text
    assert "citator-paging" not in html and "page" not in QUERIES["cited_for"]["params"]


def test_page_links_read_the_page_as_the_sql_does() -> None:
    with sqlite3.connect(":memory:") as conn:
        for value in ("", "1", "2", "17", "0", "-3", "abc", " 4", "2.5", "3x"):
            assert paging.page_number(value) == conn.execute(f"select {PAGE}", {"page": value}).fetchone()[0], value


def test_new_since_stops_after_a_page(paged_db: Path) -> None:
    """Every loop of new_since hands rows over in the page's order: no sort of the references since
    the date, with a seed or without one."""
    with sqlite3.connect(paged_db) as conn:
        dates.register(conn)
        for seed in ("", DEFAULT_SEED):
            plan = " | ".join(r[3] for r in conn.execute("explain query plan " + QUERIES["new_since"]["sql"],
                                                         {"since": "2000-01-01", "seed": seed, "page": ""}))
            assert "TEMP B-TREE" not in plan, plan
            assert "idx_citations_first_seen_run_authority_key (first_seen_run=? AND authority_key=?)" in plan, plan


def test_new_since_lists_newest_run_first(paged_db: Path) -> None:
    db = sqlite_utils.Database(paged_db)
    dates.register(db.conn)
    run = db.execute("insert into runs (command, started_at, status) values ('extract', '2100-01-01T00:00:00+00:00', 'ok')").lastrowid
    try:
        with db.conn:
            db.execute("update citations set first_seen_run = ? where rowid in "
                       "(select rowid from citations where authority_key is not null order by rowid desc limit 3)", [run])
        rows = db.execute(QUERIES["new_since"]["sql"], {"since": "2000-01-01", "seed": "", "page": ""}).fetchall()
        assert [r[0] for r in rows[:3]] == ["2100-01-01T00:00:00+00:00"] * 3
        assert rows[3][0] < rows[0][0]
        keys = [r[4] for r in rows[3:]]
        assert keys == sorted(keys)  # within a run, seed by seed
    finally:
        with db.conn:
            db.execute("update citations set first_seen_run = 1 where first_seen_run = ?", [run])
            db.execute("delete from runs where id = ?", [run])


@pytest.mark.parametrize("name", ["citations", "citing_references"])
async def test_reference_tables_list_fifty_rows_a_page(ds: Datasette, name: str) -> None:
    """Every row of these carries a sentence and a paragraph: a page holds 50, the next page the
    next 50, and `_size` still asks for more."""
    first = (await ds.client.get(f"/citator/{name}.json")).json()
    assert len(first["rows"]) == 50 and first["next_url"]
    second = (await ds.client.get(f"/citator/{name}.json", params={"_next": first["next"]})).json()
    assert len(second["rows"]) == 50 and not {tuple(r) for r in second["rows"]} & {tuple(r) for r in first["rows"]}
    assert len((await ds.client.get(f"/citator/{name}.json?_size=100")).json()["rows"]) == 100
