"""The site at scale (issue 8): summary tables equal the live aggregates they replace, after an
extract, a re-run and a direct write; the facets moved off the million-row tables stay reachable;
rewritten canned queries give the same rows; the benchmark serves the way `citator serve` does.

No timings are asserted: figures belong in bench/ output."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from datasette.app import Datasette

from bench import site_latency
from citator.db import pins, schema, store
from citator.db.web import summaries
from citator.db.web.queries import QUERIES
from citator.db.web.site import SERVE_SETTINGS, build_metadata, datasette_options, publish_site, serve_command
from tests.fakes.cli import run_citator
from tests.fakes import site_corpus as corpus

#: Live aggregates written independently of db/web/summaries.py: what each summary row must equal.
LIVE_RELIANCE = """select citing_case_id, authority_key, count(*) as n, max(relies_on_withdrawn) as withdrawn
                   from citations where authority_key is not null group by 1, 2 order by 1, 2"""
LIVE_BY_COURT_YEAR = """select c.authority_key, k.court_id, k.year, count(*), count(distinct c.citing_case_id)
                        from citations c join cases k on k.id = c.citing_case_id
                        where c.authority_key is not null group by 1, 2, 3 order by 1, 2, 3"""
LIVE_STATUS = """select a.key, count(c.id), count(distinct c.citing_case_id) from authorities a
                 left join citations c on c.authority_key = a.key group by a.key order by a.key"""


#: The cited_for query as it was before issue 8, grouping the seed's references live (since issue 16
#: a reference counts for every page its pin covers, db/pins.py).
ORIGINAL_CITED_FOR = """
with refs as (
  select p.value as pin_page, c.citing_case_id, c.parenthetical, c.quotation
  from citations c, json_each(citator_pin_pages(c.pin_cite)) p where c.authority_key = coalesce(nullif(:seed, ''), 'bernstein-9th')
)
select pin_page,
  count(*) as references_count,
  count(distinct citing_case_id) as citing_cases,
  substr(replace(hex(zeroblob(min(count(*), 60))), '00', '#'), 1, min(count(*), 60)) as histogram,
  (select group_concat(p, ' | ') from (select distinct r.parenthetical as p from refs r
     where r.pin_page = refs.pin_page and coalesce(r.parenthetical, '') != '')) as parentheticals,
  (select group_concat(q, ' | ') from (select distinct r.quotation as q from refs r
     where r.pin_page = refs.pin_page and coalesce(r.quotation, '') != '')) as quotations
from refs
group by pin_page
order by pin_page = '(no pin)', cast(pin_page as integer), pin_page
"""


def _as_sets(rows: list[tuple]) -> list[tuple]:
    """cited_for rows with the joined parentheticals and quotations as sets (their order within a
    page was never specified: it followed whichever index SQLite scanned)."""
    return [(*r[:4], *(frozenset((v or "").split(" | ")) - {""} for v in r[4:])) for r in rows]


def _assert_cited_for_matches_original(db: sqlite_utils.Database) -> None:
    pins.register(db.conn)
    seeds = [r[0] for r in db.execute("select distinct authority_key from citations where authority_key is not null")]
    for seed in seeds + ["INVENTED-no-such-seed"]:
        now = db.execute(QUERIES["cited_for"]["sql"], {"seed": seed}).fetchall()
        assert _as_sets(now) == _as_sets(db.execute(ORIGINAL_CITED_FOR, {"seed": seed}).fetchall()), seed


def _assert_summaries_match_live(db: sqlite_utils.Database) -> None:
    reliance = db.execute("select citing_case_id, authority_key, references_count, relies_on_withdrawn "
                          "from reliance order by 1, 2").fetchall()
    assert reliance == db.execute(LIVE_RELIANCE).fetchall()
    by_court_year = db.execute("select authority_key, court_id, year, references_count, citing_cases "
                               "from references_by_court_year order by 1, 2, 3").fetchall()
    assert by_court_year == db.execute(LIVE_BY_COURT_YEAR).fetchall()
    status = db.execute("select authority_key, references_count, citing_cases from authority_status order by 1").fetchall()
    assert status == db.execute(LIVE_STATUS).fetchall()
    _assert_cited_for_matches_original(db)
    # Every column equals what the former view computed, row for row.
    pins.register(db.conn)
    for table, sql in summaries.SUMMARIES:
        columns = ", ".join(c.name for c in table.columns)
        stored = db.execute(f"select {columns} from [{table.name}] order by {columns}").fetchall()
        live = db.execute(f"select {columns} from ({sql}) order by {columns}").fetchall()
        assert stored == live, table.name


@pytest.fixture(scope="module")
def site_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus.build_site_db(tmp_path_factory.mktemp("scale") / "citator.db")


# ---- summary tables -----------------------------------------------------------------------------


@pytest.mark.slow
def test_summaries_equal_live_aggregates_after_extract_and_rerun(tmp_path: Path, cli_env: dict[str, str], courtlistener) -> None:
    assert run_citator(["harvest"], cli_env, tmp_path).returncode == 0
    result = run_citator(["extract"], cli_env, tmp_path)  # no publish: extraction itself keeps them
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(cli_env["CITATOR_DB"])
    assert db.execute("select count(*) from reliance").fetchone()[0] > 0
    _assert_summaries_match_live(db)
    assert not summaries.summaries_stale(db)
    before = db.execute("select * from reliance order by 1, 2").fetchall()
    db.close()
    result = run_citator(["extract"], cli_env, tmp_path)  # a re-run rebuilds them to the same rows
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(cli_env["CITATOR_DB"])
    _assert_summaries_match_live(db)
    assert db.execute("select * from reliance order by 1, 2").fetchall() == before


@pytest.mark.slow
def test_rebuild_is_idempotent(site_db: Path) -> None:
    db = sqlite_utils.Database(site_db)
    first = {t.name: db.execute(f"select * from [{t.name}] order by 1, 2").fetchall() for t, _ in summaries.SUMMARIES}
    summaries.rebuild_summaries(db)
    summaries.rebuild_summaries(db)
    assert {t.name: db.execute(f"select * from [{t.name}] order by 1, 2").fetchall() for t, _ in summaries.SUMMARIES} == first
    _assert_summaries_match_live(db)


@pytest.mark.slow
def test_publish_rebuilds_summaries_only_when_their_sources_changed(tmp_path: Path) -> None:
    path = corpus.build_site_db(tmp_path / "citator.db")
    db = sqlite_utils.Database(path)
    _assert_summaries_match_live(db)
    # Fresh: publish leaves them alone (a marker row written by hand survives).
    db.execute("update authority_status set name = 'MARKER' where authority_key = 'bernstein-1'")
    db.conn.commit()
    publish_site(path)
    assert db.execute("select name from authority_status where authority_key = 'bernstein-1'").fetchone()[0] == "MARKER"
    # A reference written by another tool makes them stale; publish rebuilds them.
    db.execute("delete from citations where citing_case_id = ?", [corpus.CASE_C])
    db.conn.commit()
    assert summaries.summaries_stale(db)
    publish_site(path)
    _assert_summaries_match_live(db)
    assert corpus.CASE_C not in {r[0] for r in db.execute("select citing_case_id from reliance")}
    # A changed case-level label is seen too.
    db.execute("update case_treatments set treatment = 'distinguished' where citing_case_id = ?", [corpus.CASE_A])
    db.conn.commit()
    publish_site(path)
    row = db.execute("select treatment from reliance where citing_case_id = ? and authority_key = 'bernstein-9th'",
                     [corpus.CASE_A]).fetchone()
    assert row[0] == "distinguished"


#: The summary tables that were views before schema v6.
V6_SUMMARIES = ("reliance", "references_by_court_year", "authority_status", "pin_cite_counts")


@pytest.mark.slow
def test_migration_6_replaces_the_old_views_with_tables(tmp_path: Path) -> None:
    database = tmp_path / "v5.db"
    old = sqlite_utils.Database(database)
    for migration in schema.MIGRATIONS[:5]:
        migration(old)
    for name in V6_SUMMARIES:  # as `citator publish` left a version 5 database
        old.execute(f"create view [{name}] as select 1 as placeholder")
    old.execute("PRAGMA user_version = 5")
    old.close()
    db = store.open_database(database)
    assert schema.schema_version(db) == schema.SCHEMA_VERSION >= 9
    for t in schema.SUMMARY_TABLES:
        assert t.name in db.table_names() and t.name not in db.view_names()
        assert [c.name for c in db[t.name].columns] == [c.name for c in t.columns]
    indexes = {i.name for i in db["reliance"].indexes}
    assert "idx_reliance_depth_order" in indexes
    citation_indexes = {tuple(i.columns) for i in db["citations"].indexes}
    assert {("authority_key", "id"), ("treatment", "first_seen_run"), ("first_seen_run", "authority_key")} <= citation_indexes
    assert "second_degree_links" in db.table_names()  # v7
    assert not {("first_seen_run",), ("treatment",)} & citation_indexes  # v8: served by the wider ones
    db.close()
    publish_site(database)
    _assert_summaries_match_live(sqlite_utils.Database(database))


def test_publish_gathers_planner_statistics(site_db: Path) -> None:
    db = sqlite_utils.Database(site_db)
    tables = {r[0] for r in db.execute("select tbl from sqlite_stat1")}
    assert {"citations", "cases", "reliance"} <= tables


def test_every_summary_table_and_column_is_described() -> None:
    assert [t for t, _ in summaries.SUMMARIES] == list(schema.SUMMARY_TABLES)  # each is rebuilt
    for t in schema.SUMMARY_TABLES:
        assert t.description and all(c.description for c in t.columns), t.name


# ---- what the site offers -----------------------------------------------------------------------


def test_facets_moved_off_the_million_row_tables_stay_reachable(site_db: Path) -> None:
    tables = build_metadata(site_db)["databases"]["citator"]["tables"]
    assert "facets" not in tables["citations"] and "facets" not in tables["citing_references"]
    for name, columns in (("citations", ("authority_key", "treatment", "kind", "signal")),
                          ("citing_references", ("authority_key", "treatment", "court_id", "year"))):
        html = tables[name]["description_html"]
        for column in columns:
            assert f'href="{name}?_facet={column}"' in html, (name, column)
        assert 'href="reliance"' in html and 'href="references_by_court_year"' in html
    # The case-level tables (~430,000 rows at a million references) count no facet by default since
    # v7: every facet is one click away, and the summaries they link to carry the counts (seed, court
    # and year faceted on every page of references_by_court_year; cases per seed in authority_status).
    for name, columns in (("reliance", ("authority_key", "treatment", "depth", "court_id", "year")),
                          ("case_treatments", ("authority_key", "treatment", "depth"))):
        assert "facets" not in tables[name], name
        for column in columns:
            assert f'href="{name}?_facet={column}"' in tables[name]["description_html"], (name, column)
        assert 'href="authority_status"' in tables[name]["description_html"]
    assert {"authority_key", "court_id", "year"} <= set(tables["references_by_court_year"]["facets"])


async def test_facet_links_and_summary_facets_answer(site_db: Path) -> None:
    ds = Datasette([str(site_db)], **datasette_options(site_db))  # mutable, as `citator serve`
    await ds.invoke_startup()
    page = await ds.client.get("/citator/citations")
    assert page.status_code == 200 and 'href="citations?_facet=treatment"' in page.text
    data = (await ds.client.get("/citator/citations.json?_facet=treatment")).json()
    counts = {r["value"]: r["count"] for r in data["facet_results"]["treatment"]["results"]}
    assert counts["distinguished"] == 1 and counts["followed"] == 3
    data = (await ds.client.get("/citator/citing_references.json?_facet=year")).json()
    assert {r["value"]: r["count"] for r in data["facet_results"]["year"]["results"]}[2000] == 3
    assert not (await ds.client.get("/citator/reliance.json")).json()["facet_results"]  # counted on request only
    data = (await ds.client.get("/citator/reliance.json?_facet=treatment&authority_key=bernstein-9th")).json()
    assert {r["value"]: r["count"] for r in data["facet_results"]["treatment"]["results"]}["noted_withdrawn"] == 1
    data = (await ds.client.get("/citator/reliance.json?_facet=year")).json()
    assert {r["value"]: r["count"] for r in data["facet_results"]["year"]["results"]}[2000] == 2  # case A, two seeds
    assert '/-/citator/case?id=' in (await ds.client.get("/citator/reliance")).text


def _original_join(sql: str) -> str:
    """The canned query as it was before issue 8 (join order left to SQLite)."""
    sql = sql.replace("+c.", "c.")
    return sql.replace("from cases k cross join citations c on c.citing_case_id = k.id",
                       "from citations c join cases k on k.id = c.citing_case_id").replace(
        "from cases k\ncross join citations c on c.citing_case_id = k.id",
        "from citations c\njoin cases k on k.id = c.citing_case_id")


@pytest.mark.parametrize("name", ["negative_treatment", "withdrawn_unnoted"])
def test_reordered_queries_give_the_same_rows(site_db: Path, name: str) -> None:
    db = sqlite_utils.Database(site_db)
    sql = QUERIES[name]["sql"]
    assert "cross join" in sql
    original = _original_join(sql)
    assert original != sql and "cross join" not in original
    rows = db.execute(sql, {"seed": "", "page": ""}).fetchall()
    assert rows and rows == db.execute(original, {"seed": "", "page": ""}).fetchall()
    plan = " ".join(r[3] for r in db.execute("explain query plan " + sql, {"seed": "", "page": ""}).fetchall())
    assert "idx_cases_decision_date" in plan  # walks cases by date instead of sorting every reference
    assert "SCAN c " not in plan + " "  # never reads every reference


#: The second_degree query before v7, joining a seed's citing cases to every reference live.
ORIGINAL_SECOND_DEGREE = """
with first as (
  select citing_case_id as case_id, treatment, depth from reliance where authority_key = coalesce(nullif(:seed, ''), 'bernstein-9th')
),
links as (
  select x.id, x.citing_case_id, f.case_id as via_case_id
  from citations x join first f on x.cited_case_id = f.case_id
  union
  select x.id, x.citing_case_id, cc.case_id
  from first f join case_citations cc on cc.case_id = f.case_id join citations x on x.cite = cc.cite
)
select l.citing_case_id, k.name as case_name, k.court, k.year,
  l.via_case_id, v.name as via_case_name, f.treatment as via_treatment,
  f.depth as via_depth, count(distinct l.id) as references_count, k.url as source_url
from links l
join first f on f.case_id = l.via_case_id
join cases k on k.id = l.citing_case_id
join cases v on v.id = l.via_case_id
where l.citing_case_id != l.via_case_id
group by l.citing_case_id, l.via_case_id
order by k.decision_date
"""


def _named(cursor) -> list[list[tuple]]:
    """Rows as sorted (column, value) pairs, whatever order the query selects its columns in."""
    names = [d[0] for d in cursor.description]
    return sorted(sorted(zip(names, (str(v) for v in row))) for row in cursor.fetchall())


def test_second_degree_reads_the_summary_and_gives_the_former_rows(site_db: Path) -> None:
    db = sqlite_utils.Database(site_db)
    sql = QUERIES["second_degree"]["sql"]
    seeds = [r[0] for r in db.execute("select key from authorities")]
    assert db.execute(ORIGINAL_SECOND_DEGREE, {"seed": ""}).fetchall()  # the corpus has a second-degree link
    for seed in seeds + [""]:
        assert _named(db.execute(sql, {"seed": seed, "page": ""})) == _named(
            db.execute(ORIGINAL_SECOND_DEGREE, {"seed": seed})), seed
    plan = " ".join(r[3] for r in db.execute("explain query plan " + sql, {"seed": "", "page": ""}))
    plan = plan.replace("SCAN authority_status USE TEMP B-TREE FOR ORDER BY", "SCAN authority_status")
    assert "second_degree_links" in plan and "TEMP B-TREE" not in plan  # walks the seed's rows in order


def test_who_relies_on_seed_reads_its_order_from_an_index(site_db: Path) -> None:
    db = sqlite_utils.Database(site_db)
    plan = " ".join(r[3] for r in db.execute("explain query plan " + QUERIES["who_relies_on_seed"]["sql"], {"seed": "", "page": ""}))
    # The default seed is found by sorting authority_status (a row per seed); the references are not sorted.
    plan = plan.replace("SCAN authority_status USE TEMP B-TREE FOR ORDER BY", "SCAN authority_status")
    assert "idx_reliance_depth_order" in plan and "TEMP B-TREE" not in plan


# ---- the benchmark measures what `citator serve` does ------------------------------------------


def test_serve_and_bench_use_the_same_settings(tmp_path: Path) -> None:
    args = serve_command(tmp_path / "citator.db", immutable=False)
    given = {args[i + 1]: args[i + 2] for i, a in enumerate(args) if a == "--setting"}
    assert given == {k: ("off" if v is False else "on" if v is True else str(v)) for k, v in SERVE_SETTINGS.items()}
    assert datasette_options(tmp_path / "citator.db")["settings"] == SERVE_SETTINGS


def test_bench_fills_canned_query_parameters_but_not_string_literals() -> None:
    sql = "select 'urn:citator:reference:' || id from t where a = :seed and b = :court"
    assert site_latency._fill(sql, {"seed": "bernstein-9th", "court": "ca9"}) == {"seed": "bernstein-9th", "court": "ca9"}


@pytest.mark.slow
def test_extract_with_nothing_to_read_leaves_the_summaries_alone(tmp_path: Path, cli_env: dict[str, str], courtlistener) -> None:
    """A no-change run does not regroup every reference (tens of seconds at a million): a marker
    written by hand survives it, while a run that reads an opinion again rebuilds the rows."""
    assert run_citator(["harvest"], cli_env, tmp_path).returncode == 0
    assert run_citator(["extract"], cli_env, tmp_path).returncode == 0
    db = sqlite_utils.Database(cli_env["CITATOR_DB"])
    db.execute("update authority_status set name = 'MARKER' where authority_key = 'bernstein-1'")
    db.conn.commit()
    db.close()
    assert run_citator(["extract"], cli_env, tmp_path).returncode == 0  # nothing new to read
    db = sqlite_utils.Database(cli_env["CITATOR_DB"])
    assert db.execute("select name from authority_status where authority_key = 'bernstein-1'").fetchone()[0] == "MARKER"
    db.execute("update opinions set text_sha256 = 'INVENTED-changed' where rowid = (select min(rowid) from opinions)")
    db.conn.commit()
    db.close()
    assert run_citator(["extract"], cli_env, tmp_path).returncode == 0  # one opinion read again
    db = sqlite_utils.Database(cli_env["CITATOR_DB"])
    assert db.execute("select name from authority_status where authority_key = 'bernstein-1'").fetchone()[0] != "MARKER"
    _assert_summaries_match_live(db)


def test_full_text_shadow_tables_count_through_an_index(site_db: Path) -> None:
    """The database page of a mutable site counts every table on each view: the FTS5 `_data` tables
    (the whole full-text index, in blobs) are counted through a one-column index, not read whole."""
    db = sqlite_utils.Database(site_db)
    for fts in ("citations_fts", "opinions_fts"):
        plan = " ".join(r[3] for r in db.execute(f"explain query plan select count(*) from [{fts}_data]"))
        assert f"COVERING INDEX {fts}_data_count" in plan, plan
    publish_site(site_db)  # a republish keeps it
    assert "citations_fts_data_count" in {i.name for i in db["citations_fts_data"].indexes}


@pytest.mark.slow
def test_no_index_of_citations_is_a_prefix_of_another(tmp_path: Path) -> None:
    """Every index of the million-row table costs each write an update and each large bulk load a
    rebuild; one whose columns lead another index serves no query the wider one does not. A
    database from before v8 loses the two such indexes it had."""
    def prefixes(db: sqlite_utils.Database) -> list[tuple]:
        indexes = [tuple(i.columns) for i in db["citations"].indexes]
        return [(a, b) for a in indexes for b in indexes if a != b and b[: len(a)] == a]

    fresh = store.open_database(tmp_path / "fresh.db")
    assert prefixes(fresh) == []
    old = sqlite_utils.Database(tmp_path / "v7.db")
    for migration in schema.MIGRATIONS[:7]:
        migration(old)
    old.execute("PRAGMA user_version = 7")
    assert prefixes(old)
    old.close()
    assert prefixes(store.open_database(tmp_path / "v7.db")) == []
