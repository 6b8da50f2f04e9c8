"""The links around a page of a paged canned query: previous and next page, and every row.

Datasette 0.65 neither paginates canned queries nor streams their CSV past `max_returned_rows`, so
the queries that list rows answer `PAGE_SIZE` rows per `page` (db/web/queries.py) and the site says, on
each page, where the neighbouring pages are and which table holds every row (`EVERY_ROW`), where
Datasette pages through them all and downloads them whole as CSV. Links are relative to the query's
own page, so they work under any `base_url`.
"""

from __future__ import annotations

import re
from typing import Any, Mapping
from urllib.parse import urlencode

from citator.db.web.queries import EVERY_ROW, PAGE_SIZE, QUERIES


def page_number(value: str | None) -> int:
    """The page a `page` parameter asks for, read as the query's SQL reads it (an integer prefix,
    at least 1; anything else is the first page)."""
    match = re.match(r"\s*([+-]?\d+)", value or "")
    return max(int(match.group(1)), 1) if match else 1


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def every_row_url(name: str, args: Mapping[str, str], defaults: Mapping[str, str] | None = None) -> str:
    """Address, relative to the query's page, of the table page listing every row of query `name`
    for the parameters in `args`; `defaults` (e.g. the most-cited seed, found by the site) fill
    parameters left empty before the query's own defaults do."""
    spec = EVERY_ROW[name]
    fallback = {**spec.defaults, **(defaults or {})}
    values = {p: args.get(p) or fallback.get(p, "") for p in QUERIES[name]["params"]}
    fields = {**values, **{f"{p}_sql": _sql_literal(v) for p, v in values.items()}}
    filters = [(column, template.format(**fields)) for column, template in spec.filters]
    query = urlencode([(column, value) for column, value in filters if value])
    return f"{spec.table}?{query}" if query else spec.table


def paging(name: str, args: Mapping[str, str], rows_shown: int | None = None,
           defaults: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """What the page of query `name` shows about its pages, or None for a query that is not paged:
    the rows' range, the previous and next pages' addresses (next only when this page is full, when
    `rows_shown` is given) and the address of every row."""
    if name not in EVERY_ROW:
        return None
    page = page_number(args.get("page"))
    kept = [(k, v) for k, v in args.items() if k != "page"]
    first = (page - 1) * PAGE_SIZE + 1
    full = rows_shown is None or rows_shown >= PAGE_SIZE
    return {
        "page": page,
        "page_size": PAGE_SIZE,
        "first_row": first,
        "last_row": first - 1 + (PAGE_SIZE if rows_shown is None else rows_shown),
        "previous_url": "?" + urlencode([*kept, ("page", str(page - 1))]) if page > 1 else None,
        "next_url": "?" + urlencode([*kept, ("page", str(page + 1))]) if full else None,
        "every_row_url": every_row_url(name, args, defaults),
        "every_row_table": EVERY_ROW[name].table,
        "every_row_needs_sql": any(column == "_where" for column, _ in EVERY_ROW[name].filters),
    }
