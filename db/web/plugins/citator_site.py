"""citator's one-off Datasette plugin: the home page, case page, network view, charts, about page,
the canned queries' forms, the feed, cell rendering, and the site's limits and security headers.

Loaded with `datasette --plugins-dir` (citator serve passes it), so it is active only on citator's
site. It stays thin: queries live in citator.db.web.pages and citator.db.web.home, escaping in
citator.db.web.render, limits and policies in citator.db.web.site_security, markup in the templates
(autoescaped by Datasette's Jinja environment).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from citator.db import dates

from citator.db.web import home, pages, paging, render, site_security
from citator.db.web.queries import ALL_SEEDS_WHEN_EMPTY, DATE_PARAMETERS, QUERIES, WITHDRAWN_SEED_QUERIES
from citator.db.schema import SUMMARY_TABLES
from citator.db.web.views import VIEWS

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STATIC_TYPES = {".js": "application/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
PREFIX = "/-/citator"
FEED_QUERY = "new_references_feed"
#: Columns holding a case id, rendered as links to the case page in views, summary tables and canned
#: queries (the other tables link through their foreign keys), and the name columns that link with them.
CASE_COLUMNS = {"citing_case_id", "via_case_id"}
NAME_LINKS = {"case_name": "citing_case_id", "via_case_name": "via_case_id"}
VIEW_NAMES = {v.name for v in VIEWS} | {t.name for t in SUMMARY_TABLES}
#: Columns of long text, clipped with an expander; the sentence gets its reference marked.
LONG_TEXT = {"sentence", "context", "parenthetical", "parentheticals", "quotation", "quotations", "message",
             "subsequent_history", "atom_content", "last_error", "description", "history", "evidence"}
#: Columns holding JSON, shown as words.
JSON_COLUMNS = {"evidence", "history", "candidates", "cues", "counts", "withdrawn_risk_path"}
#: On table pages, the columns a researcher reads first, in this order; the rest follow as stored.
COLUMNS_FIRST = {
    "reliance": ("case_name", "court", "year", "treatment", "depth", "pin_cites", "parentheticals", "authority_key",
                 "relies_on_withdrawn", "references_count"),
    "citing_references": ("case_name", "court_id", "year", "treatment", "pin_cite", "sentence", "authority_key",
                          "kind", "signal", "parenthetical"),
    "citations": ("citing_case_id", "authority_key", "treatment", "pin_cite", "sentence", "as_written", "kind", "signal"),
    "second_degree_links": ("case_name", "court", "year", "via_case_name", "via_treatment", "via_depth", "authority_key"),
    "case_treatments": ("citing_case_id", "authority_key", "treatment", "depth"),
    "authority_status": ("authority_key", "name", "citation", "status", "citing_cases", "negative_cases",
                         "references_count", "history"),
}


def _database(datasette: Any):
    """The citator database: the first one served."""
    return datasette.get_database()


def _row_url(datasette: Any, database: str):
    """A template helper: the Datasette row page of `pk` in `table` (pks are tilde-encoded)."""
    return lambda table, pk: datasette.urls.row(database, table, tilde_encode(str(pk)))


def _quote(value: str) -> str:
    return quote(value, safe="")


def _case_href(datasette: Any, case_id: str) -> str:
    return datasette.urls.path(f"{PREFIX}/case?id=") + _quote(case_id)


async def _safe(db: Any, fn: Any, fallback: Any) -> Any:
    """Run a page's query; a database without citator's tables gives `fallback` (the notice explains)."""
    try:
        return await db.execute_fn(fn)
    except sqlite3.Error:
        return fallback


async def _render(datasette: Any, request: Any, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render one of citator's templates with the instance metadata (for the licence/source footer)."""
    context = {"metadata": datasette.metadata(), "prefix": PREFIX, **context}
    return Response.html(await datasette.render_template(template, context, request=request), status=status)


async def _home(datasette: Any, request: Any) -> Response:
    """The home page, from citator's index.html without Datasette's index view, which counts and
    checks every table of every database on each visit (over a hundred queries and permission
    checks, each a hop to an SQL thread): the slowest ordinary page while the machine is busy
    (bench/site_hostile.py). The template needs only what `extra_template_vars` adds."""
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    databases = [{"name": name} for name in datasette.databases if name != "_internal"]
    return await _render(datasette, request, "index.html", {"databases": databases})


async def _case(datasette: Any, request: Any) -> Response:
    case_id = request.args.get("id", "")
    db = _database(datasette)
    data = await _safe(db, lambda conn: pages.case_page(conn, case_id), None)
    if data is None:
        raise NotFound(f"No case with id {case_id!r}")
    context = {**data, "database": db.name, "row_url": _row_url(datasette, db.name),
               "source_href": render.safe_href(data["case"].get("url"))}
    return await _render(datasette, request, "citator_case.html", context)


async def _default_seed(db: Any) -> str | None:
    return await _safe(db, home.most_cited_seed, None)


async def _network_json(datasette: Any, request: Any) -> Response:
    db = _database(datasette)
    seed = request.args.get("seed") or await _default_seed(db) or ""
    data = await _safe(db, lambda conn: pages.network(conn, seed), None)
    if data is None:
        message = f"No seed named {seed!r}." if seed else home.NOTHING_HARVESTED
        return Response.json({"error": message}, status=404)
    for node in data["nodes"]:
        node["href"] = (
            _case_href(datasette, node["case_id"]) if node.get("case_id")
            else datasette.urls.row(db.name, "authorities", tilde_encode(node["authority_key"]))
            if node.get("authority_key") else None
        )
    return Response.json(data)


async def _network(datasette: Any, request: Any) -> Response:
    db = _database(datasette)
    seeds = await _safe(db, home.seed_choices, [])
    seed = request.args.get("seed") or await _default_seed(db) or (seeds[0]["key"] if seeds else "")
    known = any(s["key"] == seed for s in seeds)
    data_url = datasette.urls.path(f"{PREFIX}/network.json?seed=") + _quote(seed)
    context = {"seed": seed, "seeds": seeds, "known_seed": known, "database": db.name, "data_url": data_url}
    return await _render(datasette, request, "citator_network.html", context, status=200 if known or not seeds else 404)


async def _charts(datasette: Any, request: Any) -> Response:
    seed = request.args.get("seed") or None
    db = _database(datasette)
    counts = await _safe(db, lambda conn: pages.chart_counts(conn, seed), {"by_year": [], "by_court": []})
    seeds = await _safe(db, home.seed_choices, [])
    context = {**counts, "seed": seed, "seeds": seeds, "database": db.name}
    return await _render(datasette, request, "citator_charts.html", context)


async def _about(datasette: Any, request: Any) -> Response:
    db = _database(datasette)
    seeds = await _safe(db, home.seed_choices, [])
    treatment = await _safe(db, pages.treatment_model, {})
    return await _render(datasette, request, "citator_about.html", {"seeds": seeds, "database": db.name, **treatment})


async def _static(request: Any) -> Response:
    name = request.url_vars["name"]
    path = STATIC_DIR / name
    if path.suffix not in STATIC_TYPES or not path.is_file():
        raise NotFound("No such file")
    return Response(path.read_text(encoding="utf-8"), content_type=STATIC_TYPES[path.suffix],
                    headers={"cache-control": "max-age=300"})


# ---- the Atom feed ------------------------------------------------------------------------------

ATOM_NS = "http://www.w3.org/2005/Atom"


def empty_feed(feed_url: str, title: str, updated: str) -> bytes:
    """A valid Atom feed with no entries (datasette-atom takes the newest entry's date as the feed's
    and fails on none)."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    for tag, text in (("id", feed_url), ("title", title), ("updated", updated)):
        ET.SubElement(feed, f"{{{ATOM_NS}}}{tag}").text = text
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", href=feed_url, rel="self")
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    ET.SubElement(author, f"{{{ATOM_NS}}}name").text = "citator"
    ET.SubElement(feed, f"{{{ATOM_NS}}}generator").text = "citator"
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


async def _feed(datasette: Any, request: Any) -> Response:
    """The new-references feed: datasette-atom renders it when it has entries; an empty filter
    result, or a database with nothing in it, is an empty feed rather than an error."""
    database = request.url_vars["database"]
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise NotFound(f"No database {database!r}")
    if not await datasette.permission_allowed(request.actor, "view-query", (database, FEED_QUERY), default=True):
        return Response.text("Forbidden", status=403)
    query = QUERIES[FEED_QUERY]
    params = {name: request.args.get(name, "") for name in query["params"]}
    rows: list[Any] = []
    columns: list[str] = []
    try:
        results = await db.execute(query["sql"], params)
        rows, columns = list(results.rows), list(results.columns)
    except sqlite3.Error:
        rows = []
    if rows:
        from datasette_atom import render_atom

        entries = []
        for row in rows:
            entry = dict(zip(columns, row))
            # Only an http(s) source address is a link; otherwise the entry links to its case page here.
            entry["atom_link"] = render.safe_href(entry.get("atom_link")) or datasette.absolute_url(
                request, _case_href(datasette, entry["citing_case_id"]))
            entries.append(entry)
        return render_atom(datasette, request, query["sql"], columns, entries, database, None, FEED_QUERY, None, {})
    newest = await _safe(db, lambda conn: conn.execute("select max(started_at) from runs").fetchone()[0], None)
    updated = newest or datetime.now(timezone.utc).isoformat(timespec="seconds")
    return Response(empty_feed(request.url, query["title"], updated), status=200,
                    content_type="application/xml; charset=utf-8")


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/$", _home),
        (rf"^{PREFIX}/case$", _case),
        (rf"^{PREFIX}/network$", _network),
        (rf"^{PREFIX}/network\.json$", _network_json),
        (rf"^{PREFIX}/charts$", _charts),
        (rf"^{PREFIX}/about$", _about),
        (rf"^{PREFIX}/static/(?P<name>[a-z0-9_-]+\.(js|css))$", _static),
        (rf"^/(?P<database>[^/]+)/{FEED_QUERY}\.atom$", _feed),
    ]


# ---- limits and headers -------------------------------------------------------------------------


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Bounded values and results on every served connection, and `citator_date(text)` for the forms."""
    site_security.limit_connection(conn)
    dates.register(conn)


@hookimpl
def asgi_wrapper(datasette: Any):
    def wrap(app: Any) -> Any:
        return site_security.SecurityHeaders(site_security.HeavyQueryGate(app))
    return wrap


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [
        {"href": datasette.urls.path(f"{PREFIX}/network"), "label": "Citation network"},
        {"href": datasette.urls.path(f"{PREFIX}/charts"), "label": "Charts"},
        {"href": datasette.urls.path(f"{PREFIX}/about"), "label": "About citator"},
    ]


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path(f"{PREFIX}/static/site.css")]


# ---- template variables -------------------------------------------------------------------------


def _column_order(table: str | None):
    """A template helper: the order to show `names` in (indexes), researcher's columns first."""
    first = COLUMNS_FIRST.get(table or "", ())

    def order(names: list[str]) -> list[int]:
        chosen = [names.index(n) for n in first if n in names]
        return chosen + [i for i in range(len(names)) if i not in chosen]

    return order


async def _query_form(datasette: Any, db: Any, name: str, args: dict[str, str]) -> dict[str, Any]:
    """What the canned query's page shows above its rows: a seed picker, date fields, and a message
    for a seed or date it cannot read (instead of an empty table)."""
    seeds = await _safe(db, home.seed_choices, [])
    withdrawn = name in WITHDRAWN_SEED_QUERIES
    default_seed = await _safe(db, lambda conn: home.most_cited_seed(conn, withdrawn), None)
    problems = []
    seed = (args.get("seed") or "").strip()
    if "seed" in QUERIES[name]["params"] and seed and not any(s["key"] == seed for s in seeds):
        known = ", ".join(s["key"] for s in seeds) or "none yet"
        problems.append(f"No seed is named {seed!r}. Pick one from the list (the seeds configured: {known}).")
    for param in DATE_PARAMETERS & set(QUERIES[name]["params"]):
        value = (args.get(param) or "").strip()
        if value and dates.parse_day(value) is None:
            problems.append(f"Could not read the date {value!r}: write {dates.ACCEPTED}.")
    return {
        "seeds": seeds,
        "default_seed": default_seed,
        "all_seeds_when_empty": name in ALL_SEEDS_WHEN_EMPTY,
        "default_label": "the most cited withdrawn seed" if withdrawn else "the most cited",
        "date_params": sorted(DATE_PARAMETERS & set(QUERIES[name]["params"])),
        "date_help": dates.ACCEPTED,
        "problems": problems,
    }


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None, request: Any, datasette: Any):
    async def inner() -> dict[str, Any]:
        try:
            db = _database(datasette)
        except KeyError:
            return {}
        extra: dict[str, Any] = {"citator_notice": await _safe(db, home.notice, home.NOTHING_HARVESTED),
                                 "citator_prefix": PREFIX}
        if template == "index.html":
            extra["citator_home"] = await _safe(db, home.home, None)
            extra["citator_database"] = db.name
            extra["citator_queries"] = {n: q["title"] for n, q in QUERIES.items()}
        elif template == "table.html":
            extra["citator_column_order"] = _column_order(table)
        elif template == "query.html" and request is not None:
            name = tilde_decode(request.url_vars.get("table") or "")
            if name in QUERIES:
                args = {key: request.args.get(key) for key in request.args}
                form = await _query_form(datasette, db, name, args)
                extra["citator_form"] = form
                # `_where=` links need visitor SQL, which `citator serve --no-sql` turns off.
                extra["citator_sql_allowed"] = await datasette.permission_allowed(
                    request.actor, "execute-sql", db.name, default=True)
                defaults = {"seed": form["default_seed"]} if form["default_seed"] and name not in ALL_SEEDS_WHEN_EMPTY else {}
                if paging.paging(name, args) is not None:
                    extra["citator_paging"] = (
                        lambda rows_shown: paging.paging(name, args, rows_shown, defaults))
        return extra

    return inner


# ---- cells --------------------------------------------------------------------------------------


def _row_value(row: Any, column: str) -> Any:
    try:
        return row[column] if column in row.keys() else None
    except (AttributeError, IndexError, KeyError, TypeError):
        return None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, datasette: Any) -> Markup | None:
    """Case names and ids link to the case page; JSON reads as words; long text is clipped with an
    expander, a sentence with its reference marked."""
    if not isinstance(value, str) or not value:
        return None
    in_site_table = table is None or table in VIEW_NAMES
    if column in CASE_COLUMNS and in_site_table:
        return Markup('<a href="{}">{}</a>').format(_case_href(datasette, value), value)
    if column in NAME_LINKS and in_site_table:
        case_id = _row_value(row, NAME_LINKS[column])
        if isinstance(case_id, str) and case_id:
            return Markup('<a class="case-link" href="{}">{}</a>').format(_case_href(datasette, case_id), value)
    text = render.json_as_text(value) if column in JSON_COLUMNS else None
    if text is not None:
        value = text
    if column in LONG_TEXT or text is not None:
        if column == "sentence":
            return _sentence(value, _row_value(row, "as_written"))
        if len(value) > 180:
            head = escape(value[:160].rsplit(" ", 1)[0]) + Markup("&hellip;")
            return render.clipped(escape(value), len(value), Markup(head))
        return escape(value) if text is not None else None
    return None


def _sentence(value: str, as_written: Any) -> Markup:
    """A sentence with its reference marked; a long one clipped to the words around the reference."""
    span = render.locate(value, as_written) if isinstance(as_written, str) and as_written else None
    full = render.mark_spans(value, [span] if span else [])
    if len(value) <= 180:
        return full
    lo, hi = (max(0, span[0] - 70), min(len(value), span[1] + 70)) if span else (0, 160)
    head = render.mark_spans(value[lo:hi], [(span[0] - lo, span[1] - lo)] if span else [])
    summary = Markup("&hellip;" if lo else "") + head + Markup("&hellip;" if hi < len(value) else "")
    return render.clipped(full, len(value), summary)
