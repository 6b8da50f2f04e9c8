"""The Datasette site: metadata written next to the database, and the command that serves it.

Metadata is generated from the schema declaration (db/schema.py), the views (db/web/views.py) and the
canned queries (db/web/queries.py), so every table, view and column shown in Datasette carries its
description. `publish_site` rebuilds what the site reads (views, full-text indexes, metadata);
`serve_command` starts Datasette with citator's templates, static files and plugin.
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path
from typing import Any

import sqlite_utils

from citator.db.web.home import INTERNAL_TABLES
from citator.db.web.queries import QUERIES
from citator.db.schema import TABLES, migrate
from citator.db.web.search import FTS_COLUMNS, build_search
from citator.db.web.summaries import refresh_summaries
from citator.db.web.views import VIEWS, create_views

#: Where the site's templates, static files and one-off plugin live (installed as package data).
SITE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = SITE_DIR / "templates"
PLUGINS_DIR = SITE_DIR / "plugins"
STATIC_DIR = SITE_DIR / "static"
#: Address of the about page served by the plugin.
ABOUT_PATH = "/-/citator/about"
#: Longest a query may run on the public site, in milliseconds.
SQL_TIME_LIMIT_MS = 3000

TITLE = "citator: who cites Bernstein, for what, and how"
DESCRIPTION = (
    "An open citator for First Amendment research. Court opinions that cite the Bernstein v. United "
    "States encryption-code decisions (and any other configured seed authority), every reference "
    "they make with its pin cite, signal, parenthetical, context and treatment."
)


def metadata_path(database: Path) -> Path:
    """Where `citator publish` writes the Datasette metadata for `database`."""
    return database.with_name(database.stem + "-metadata.json")


DESCRIPTION_HTML = (
    "An open citator for First Amendment research: court opinions that cite the <em>Bernstein v. United "
    "States</em> encryption-code decisions, every reference they make with pin cite, signal, parenthetical, "
    "context and treatment. Start with the <a href=\"/-/citator/about\">about page</a>, the "
    "<a href=\"/-/citator/network\">citation network</a> or the <a href=\"/-/citator/charts\">charts</a>."
)


#: The database page starts with the research tables; the internal ones are hidden from its lists.
DATABASE_DESCRIPTION_HTML = (
    "Start with <a href=\"{db}/reliance\">reliance</a> (one row per citing case and seed), "
    "<a href=\"{db}/citing_references\">citing references in context</a> or the questions below. "
    "The tables that keep citator running are hidden from these lists and named on the "
    "<a href=\"./\">home page</a> under internals."
)


LICENSE = "Data: CC0 1.0; court opinions are in the public domain"
LICENSE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
HARVESTED = ("CourtListener (Free Law Project) and the Caselaw Access Project (Harvard Law School Library)",
             "https://www.courtlistener.com/")
DERIVED = ("citator's extraction from the harvested opinions", "https://www.courtlistener.com/")
OWN = ("citator itself (its configuration and run log)", None)

#: A human title and the provenance of each table and view (a table added later without an entry
#: gets its name as title and the derived-data source, rather than breaking publish).
TABLE_INFO: dict[str, tuple[str, tuple[str, str | None]]] = {
    "citator_meta": ("About this database", OWN),
    "cases": ("Cases", HARVESTED),
    "authorities": ("Seed authorities", OWN),
    "case_citations": ("Reporter citations of cases", HARVESTED),
    "case_sources": ("Sources of cases", HARVESTED),
    "opinions": ("Opinions (full text)", HARVESTED),
    "citations": ("References to the seeds", DERIVED),
    "runs": ("Runs", OWN),
    "run_errors": ("Run errors", OWN),
    "case_treatments": ("Case-level treatment", DERIVED),
    "reliance": ("Reliance: citing cases by seed", DERIVED),
    "citing_references": ("Citing references in context", DERIVED),
    "references_by_court_year": ("References by court and year", DERIVED),
    "authority_status": ("Seeds and their good-law status", DERIVED),
    "pin_cite_counts": ("Pin pages cited, by seed", DERIVED),
    "second_degree_links": ("Second-degree reliance, by seed", DERIVED),
}


def _describe(entry: dict[str, Any], name: str) -> dict[str, Any]:
    """Add the title, licence and source every table and view carries."""
    title, (source, source_url) = TABLE_INFO.get(name, (name.replace("_", " ").capitalize(), DERIVED))
    entry.update(title=title, license=LICENSE, license_url=LICENSE_URL, source=source)
    if source_url:
        entry["source_url"] = source_url
    return entry


#: Words for facet links, where a column name alone would puzzle a reader.
FACET_LABELS = {"authority_key": "seed", "court_id": "court"}
#: Summary tables that carry, faceted on every page view, the counts a large table no longer facets.
SUMMARY_LINKS = (("reliance", "one row per citing case and seed"),
                 ("references_by_court_year", "faceted by seed, court and year"),
                 ("authority_status", "references, citing and negative cases per seed"))


def facet_links_html(name: str, description: str, columns: tuple[str, ...]) -> str:
    """A table's description followed by one-click facet links and the summary tables to go to.

    Links are relative to the table page (`citations?_facet=...`), so they work under any base_url."""
    links = " &middot; ".join(
        f'<a href="{escape(name)}?_facet={escape(c)}">{escape(FACET_LABELS.get(c, c))}</a>' for c in columns
    )
    others = [f'<a href="{escape(table)}">{escape(table)}</a> ({escape(words)})' for table, words in SUMMARY_LINKS if table != name]
    return (f"<p>{escape(description)}</p><p>Count these rows by {links}: each is counted on request, over every row. "
            f"Summaries: {'; '.join(others)}.</p>")


def build_metadata(database: Path) -> dict[str, Any]:
    """Datasette 0.65 metadata: descriptions, facets, search settings and canned queries."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        entry: dict[str, Any] = {
            "description": table.description,
            "columns": {c.name: c.description for c in table.columns},
        }
        if table.label_column:
            entry["label_column"] = table.label_column
        if table.sort_desc:
            entry["sort_desc"] = table.sort_desc
        if table.facets:
            entry["facets"] = list(table.facets)
        if table.page_size:
            entry["size"] = table.page_size
        tables[table.name] = _describe(entry, table.name)
    tables["opinions"]["hidden"] = False
    for name in INTERNAL_TABLES:
        if name in tables:
            tables[name]["hidden"] = True  # listed on the home page under "internals"
    for table_name, columns in FTS_COLUMNS.items():
        tables[table_name]["description"] += " Searchable: " + ", ".join(columns) + "."
    for table in TABLES:
        if table.facet_links:
            tables[table.name]["description_html"] = facet_links_html(table.name, tables[table.name]["description"], table.facet_links)
    for view in VIEWS:
        entry = {"description": view.description, "columns": dict(view.columns)}
        if view.facets:
            entry["facets"] = list(view.facets)
        if view.sort_desc:
            entry["sort_desc"] = view.sort_desc
        if view.page_size:
            entry["size"] = view.page_size
        if view.facet_links:
            entry["description_html"] = facet_links_html(view.name, view.description, view.facet_links)
        if view.fts_table:
            entry["fts_table"] = view.fts_table
            entry["fts_pk"] = view.fts_pk
        tables[view.name] = _describe(entry, view.name)
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "description_html": DESCRIPTION_HTML,
        "about": "About this citator: coverage, method, limits",
        "about_url": ABOUT_PATH,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": "CourtListener (Free Law Project) and the Caselaw Access Project (Harvard Law School Library)",
        "source_url": "https://www.courtlistener.com/",
        "databases": {
            database.stem: {
                "title": TITLE,
                "description": DESCRIPTION,
                "description_html": DATABASE_DESCRIPTION_HTML.format(db=escape(database.stem)),
                "license": LICENSE,
                "license_url": LICENSE_URL,
                "source": "CourtListener and the Caselaw Access Project",
                "source_url": "https://www.courtlistener.com/",
                "about": "About this citator",
                "about_url": ABOUT_PATH,
                "tables": tables,
                "queries": {name: dict(query) for name, query in QUERIES.items()},
            }
        },
    }


def write_metadata(database: Path) -> Path:
    path = metadata_path(database)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(build_metadata(database), indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def publish_site(database: Path) -> Path:
    """Rebuild everything the site reads from `database`: views, full-text indexes, metadata.

    Ends with a WAL checkpoint so that a database served immutable (which ignores a -wal file)
    holds every row written before publishing.
    """
    db = sqlite_utils.Database(database)
    try:
        migrate(db)  # the views read case_treatments, added by migration 2
        build_site_tables(db)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return write_metadata(database)


def build_site_tables(db: sqlite_utils.Database) -> None:
    """The views, summary tables and full-text indexes the site reads (a refresh builds them in its
    checked copy). Summaries are rebuilt only when stale: extraction already keeps them current."""
    create_views(db)
    refresh_summaries(db)
    build_search(db)
    gather_statistics(db)


#: Rows ANALYZE samples per index: enough for SQLite to tell a five-value column (a seed) from a
#: near-unique one (a case id), at milliseconds instead of a full read of a million-row table.
ANALYSIS_LIMIT = 1000


def gather_statistics(db: sqlite_utils.Database) -> None:
    """Planner statistics (sqlite_stat1) for the site's queries. Without them SQLite guesses index
    selectivity and, at a million references, filters a seed's 200,000 references and sorts them
    where walking the primary key would stop after a page (bench/site_latency.py)."""
    db.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
    db.execute("ANALYZE")


def site_tables_present(db: sqlite_utils.Database) -> bool:
    """Whether the site's views exist (a database that was never published has none)."""
    return all(view.name in db.view_names() for view in VIEWS)


#: The Datasette settings `citator serve` passes, in one place so tests and bench/site_latency.py
#: serve exactly as the command does. Suggested facets count every column of a table on every page
#: view: too slow at a million references (bench/site_latency.py); the configured facets stay.
SERVE_SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": SQL_TIME_LIMIT_MS,
    "truncate_cells_html": 2000,
    "suggest_facets": False,
}


def _setting_word(value: Any) -> str:
    """A setting's value as `datasette serve --setting` reads it."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def datasette_options(database: Path) -> dict[str, Any]:
    """Keyword arguments for `datasette.app.Datasette` matching `serve_command` (used by tests and tools)."""
    return {
        "metadata": build_metadata(database),
        "template_dir": str(TEMPLATES_DIR),
        "plugins_dir": str(PLUGINS_DIR),
        "settings": dict(SERVE_SETTINGS),
    }


def serve_command(database: Path, host: str = "127.0.0.1", port: int = 8001, *, immutable: bool = True,
                  allow_sql: bool = True) -> list[str]:
    """The Datasette command line for serving `database` with citator's metadata, site and settings.

    A published database is served immutable (-i): read-only, cached, counted once at start.
    `allow_sql=False` (`citator serve --no-sql`) turns off SQL written by visitors (`?sql=`, `?_where=`);
    tables, canned queries, feeds and citator's pages still work.
    """
    # -P: the working directory is not put on the import path, so a folder named `citator` there
    # (README's main job runs from the clone's root) cannot hide the installed package.
    args = [sys.executable, "-P", "-m", "datasette", "serve"]
    args += ["-i", str(database)] if immutable else [str(database)]
    args += ["--host", host, "--port", str(port)]
    settings = {**SERVE_SETTINGS, **({} if allow_sql else {"default_allow_sql": False})}
    for name, value in settings.items():
        args += ["--setting", name, _setting_word(value)]
    args += ["--template-dir", str(TEMPLATES_DIR), "--plugins-dir", str(PLUGINS_DIR)]
    meta = metadata_path(database)
    if meta.exists():
        args += ["--metadata", str(meta)]
    return args
