"""What the site says about the database as a whole: the home page, the seed picker, and the notice
an empty or failed database shows on every page.

Functions take a plain sqlite3 connection (Datasette hands one over through `execute_fn`) and
return plain data. They never fail on a database that lacks citator's tables (a new file, or a
first refresh that failed before publishing): that is exactly when the notice has to explain.
"""

from __future__ import annotations

import sqlite3
from typing import Any

#: Tables that keep the machinery running, hidden from Datasette's listings (still reachable by URL
#: and SQL) and listed on the home page under "internals".
INTERNAL_TABLES = (
    "citator_meta", "runs", "run_errors", "extractions", "changes", "source_state", "crawl_frontier",
    "request_budget", "cap_cites_to", "case_sources", "case_citations",
)

NOTHING_HARVESTED = "Nothing harvested yet: run `citator refresh`; `citator status` shows what failed."


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}


def last_run(conn: sqlite3.Connection) -> dict[str, Any] | None:
    if "runs" not in _tables(conn):
        return None
    found = _rows(conn, "select id, command, started_at, ended_at, status, new_cases, new_references, errors, message "
                        "from runs order by id desc limit 1")
    return found[0] if found else None


def notice(conn: sqlite3.Connection) -> str | None:
    """What an empty or failed database must tell every visitor, or None when all is well."""
    try:
        tables = _tables(conn)
        if not {"authorities", "citations", "cases"} <= tables:
            return NOTHING_HARVESTED
        run = last_run(conn)
        has_references = conn.execute("select exists(select 1 from citations where authority_key is not null)").fetchone()[0]
        failed = run is not None and run["status"] in ("failed", "interrupted")
        when = f"#{run['id']} ({run['command']}, {run['started_at']})" if run else ""
        if not has_references:
            if failed:
                return f"Nothing harvested yet: the last run {when} {run['status']}. Run `citator refresh`; `citator status` shows what failed."
            return NOTHING_HARVESTED
        if failed:
            return (f"The last run {when} {run['status']}: these pages show what the last successful refresh "
                    "published. `citator status` shows what failed.")
        return None
    except sqlite3.Error:
        return NOTHING_HARVESTED


def seed_choices(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The configured seeds with their counts, most cited first, for pickers and the home page."""
    tables = _tables(conn)
    if "authorities" not in tables:
        return []
    if "authority_status" in tables:
        return _rows(conn, """
            select a.key, a.name, a.citation, a.status, a.decided, a.case_id,
              coalesce(s.citing_cases, 0) as citing_cases, coalesce(s.references_count, 0) as references_count,
              coalesce(s.negative_cases, 0) as negative_cases
            from authorities a left join authority_status s on s.authority_key = a.key
            order by citing_cases desc, references_count desc, a.key""")
    return _rows(conn, "select key, name, citation, status, decided, case_id, 0 as citing_cases, "
                       "0 as references_count, 0 as negative_cases from authorities order by key")


def most_cited_seed(conn: sqlite3.Connection, withdrawn: bool = False) -> str | None:
    """The seed a form left empty stands for, as the canned queries' SQL reads it: the one most
    cases cite (among the withdrawn seeds, for the query about them)."""
    seeds = [s for s in seed_choices(conn) if s["status"] == "withdrawn" or not withdrawn]
    return seeds[0]["key"] if seeds and seeds[0]["citing_cases"] else None


def home(conn: sqlite3.Connection) -> dict[str, Any]:
    """The home page: seeds, what the last refresh found, and which internal tables exist."""
    tables = _tables(conn)
    run = last_run(conn)
    new_in_last_run = 0
    recent: list[dict[str, Any]] = []
    if run and {"citations", "cases"} <= tables:
        new_in_last_run = conn.execute(
            "select count(*) from citations where first_seen_run = ? and authority_key is not null", [run["id"]]).fetchone()[0]
        recent = _rows(conn, """
            select c.citing_case_id, k.name as case_name, k.court, k.year, c.authority_key, c.treatment
            from citations c join cases k on k.id = c.citing_case_id
            where c.authority_key is not null
            order by c.first_seen_run desc, c.rowid desc limit 5""")
    return {
        "seeds": seed_choices(conn),
        "last_run": run,
        "new_in_last_run": new_in_last_run,
        "recent": recent,
        "internals": [t for t in INTERNAL_TABLES if t in tables],
    }
