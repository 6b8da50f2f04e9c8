"""citator's one-off Datasette plugin: the case page, network view, charts and about page.

Loaded with `datasette --plugins-dir` (citator serve passes it), so it is active only on citator's
site. It stays thin: queries live in citator.db.pages, escaping in citator.db.render, markup in the
templates (autoescaped by Datasette's Jinja environment).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from citator.db import pages, paging
from citator.db.schema import ALL_SUMMARY_TABLES
from citator.db.views import VIEWS

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STATIC_TYPES = {".js": "application/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
PREFIX = "/-/citator"
#: Columns of views, summary tables and canned queries holding a case id, rendered as links to the
#: case page (the other tables link through their foreign keys).
CASE_COLUMNS = {"citing_case_id", "via_case_id"}
VIEW_NAMES = {v.name for v in VIEWS} | {t.name for t in ALL_SUMMARY_TABLES}


def _database(datasette: Any):
    """The citator database: the first one served that holds an `authorities` table."""
    return datasette.get_database()


def _row_url(datasette: Any, database: str):
    """A template helper: the Datasette row page of `pk` in `table` (pks are tilde-encoded)."""
    return lambda table, pk: datasette.urls.row(database, table, tilde_encode(str(pk)))


async def _render(datasette: Any, request: Any, template: str, context: dict[str, Any]) -> Response:
    """Render one of citator's templates with the instance metadata (for the licence/source footer)."""
    context = {"metadata": datasette.metadata(), "prefix": PREFIX, **context}
    return Response.html(await datasette.render_template(template, context, request=request))


async def _case(datasette: Any, request: Any) -> Response:
    case_id = request.args.get("id", "")
    db = _database(datasette)
    data = await db.execute_fn(lambda conn: pages.case_page(conn, case_id))
    if data is None:
        raise NotFound(f"No case with id {case_id!r}")
    context = {**data, "database": db.name, "row_url": _row_url(datasette, db.name)}
    return await _render(datasette, request, "citator_case.html", context)


async def _network_json(datasette: Any, request: Any) -> Response:
    seed = request.args.get("seed") or "bernstein-9th"
    data = await _database(datasette).execute_fn(lambda conn: pages.network(conn, seed))
    if data is None:
        return Response.json({"error": f"unknown seed {seed!r}"}, status=404)
    for node in data["nodes"]:
        node["href"] = (
            datasette.urls.path(f"{PREFIX}/case?id=") + _quote(node["case_id"])
            if node["case_id"]
            else datasette.urls.row(_database(datasette).name, "authorities", tilde_encode(node["authority_key"]))
        )
    return Response.json(data)


def _quote(value: str) -> str:
    return quote(value, safe="")


async def _network(datasette: Any, request: Any) -> Response:
    seed = request.args.get("seed") or "bernstein-9th"
    db = _database(datasette)
    seeds = await db.execute_fn(pages.seeds)
    data_url = datasette.urls.path(f"{PREFIX}/network.json?seed=") + _quote(seed)
    context = {"seed": seed, "seeds": seeds, "database": db.name, "data_url": data_url}
    return await _render(datasette, request, "citator_network.html", context)


async def _charts(datasette: Any, request: Any) -> Response:
    seed = request.args.get("seed") or None
    db = _database(datasette)
    counts = await db.execute_fn(lambda conn: pages.chart_counts(conn, seed))
    seeds = await db.execute_fn(pages.seeds)
    context = {**counts, "seed": seed, "seeds": seeds, "database": db.name}
    return await _render(datasette, request, "citator_charts.html", context)


async def _about(datasette: Any, request: Any) -> Response:
    db = _database(datasette)
    seeds = await db.execute_fn(pages.seeds)
    treatment = await db.execute_fn(pages.treatment_model)
    return await _render(datasette, request, "citator_about.html", {"seeds": seeds, "database": db.name, **treatment})


async def _static(request: Any) -> Response:
    name = request.url_vars["name"]
    path = STATIC_DIR / name
    if path.suffix not in STATIC_TYPES or not path.is_file():
        raise NotFound("No such file")
    return Response(path.read_text(encoding="utf-8"), content_type=STATIC_TYPES[path.suffix],
                    headers={"cache-control": "max-age=300"})


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (rf"^{PREFIX}/case$", _case),
        (rf"^{PREFIX}/network$", _network),
        (rf"^{PREFIX}/network\.json$", _network_json),
        (rf"^{PREFIX}/charts$", _charts),
        (rf"^{PREFIX}/about$", _about),
        (rf"^{PREFIX}/static/(?P<name>[a-z0-9_-]+\.(js|css))$", _static),
    ]


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


@hookimpl
def extra_template_vars(template: str, request: Any) -> dict[str, Any]:
    """On a paged canned query's page, `citator_paging(rows_shown)`: its page links (db/paging.py),
    shown by templates/query.html under the query's description."""
    if template != "query.html" or request is None:
        return {}
    name = tilde_decode(request.url_vars.get("table") or "")
    args = {key: request.args.get(key) for key in request.args}
    if paging.paging(name, args) is None:
        return {}
    return {"citator_paging": lambda rows_shown: paging.paging(name, args, rows_shown)}


@hookimpl
def render_cell(value: Any, column: str, table: str | None, datasette: Any) -> Markup | None:
    """Case ids in views and canned queries link to the case page (tables link through foreign keys)."""
    if column in CASE_COLUMNS and isinstance(value, str) and value and (table is None or table in VIEW_NAMES):
        href = datasette.urls.path(f"{PREFIX}/case?id=") + _quote(value)
        return Markup('<a href="{}">{}</a>').format(href, value)
    return None
