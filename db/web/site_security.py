"""What keeps the public site safe from hostile visitors: bounded SQL and a Content-Security-Policy.

Datasette answers anyone's SQL (`?sql=`, `?_where=`) within a time limit, but SQLite checks that limit
only between virtual-machine steps: one call of `zeroblob(2e8)` or `hex(randomblob(4e8))` is a single
step that allocates hundreds of megabytes and runs for seconds. So every connection the site serves
gets (`limit_connection`):

* a value limit (SQLITE_LIMIT_LENGTH): no string, blob or row over `MAX_VALUE_BYTES`, which also
  bounds how long one function call can run;
* a result limit: a query whose rows add up to more than `MAX_RESULT_BYTES` stops with an error
  (counted by the connection's row factory, row by row as SQLite hands them over).

And at most `HEAVY_SLOTS` requests running visitor-written SQL at once (`HeavyQueryGate`), so a few
clients looping expensive queries leave Datasette's other SQL threads to the ordinary pages; each of
those runs at most `VISITOR_SQL_TIME_LIMIT_MS` (Datasette's `_timelimit`, which can only lower the
site's limit). Visitor SQL also gets at most `VISITOR_SQL_SHARE` of the server's time: after a query
that ran t seconds the slot stays closed for t * (1 - share) / share more. The reason is the
interpreter lock. Datasette enforces its time limit with a Python callback every thousand SQLite
steps, so a long query takes the lock about twelve thousand times a second; the event loop, which
needs the lock back after every wait, keeps losing that race, and while the query runs every page
in flight can stall (measured: the loop used no CPU at all for 0.6 s of a 1 s visitor query). So
the stalls last no longer than one visitor query, and happen at most `VISITOR_SQL_SHARE` of the time.

Content-Security-Policy (`csp_for`): citator's own pages (`/-/citator/...`) are rendered from
citator's templates with no inline script at all, so they get `CITATOR_POLICY`. Datasette's own
pages carry two inline scripts of Datasette's (allowed by their hashes, computed from the installed
templates), inline styles (a `<style>` per table page and `style=` attributes), and datasette-vega's
chart builder compiles expressions with `Function(`, hence `DATASETTE_POLICY`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import sqlite3
import weakref
from pathlib import Path
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs, parse_qsl, urlencode

#: Largest string, blob or row a query may build or read (the longest stored opinion is far smaller).
MAX_VALUE_BYTES = 8 * 1024 * 1024
#: Most bytes one query may return, summed over its rows.
MAX_RESULT_BYTES = 64 * 1024 * 1024
#: Requests with visitor-written SQL served at once; further ones wait up to `HEAVY_WAIT_SECONDS`.
HEAVY_SLOTS = 1
HEAVY_WAIT_SECONDS = 2.0
#: Longest visitor-written SQL may run, in milliseconds (tables and canned queries keep the site's
#: `sql_time_limit_ms`): Datasette's time limit is a Python progress handler called every thousand
#: SQLite steps, so a long visitor query also slows every other page it shares the interpreter with.
VISITOR_SQL_TIME_LIMIT_MS = 1000
#: Most of the server's wall-clock time that visitor-written SQL may take (see the module docstring).
VISITOR_SQL_SHARE = 0.5
#: Query-string parameters that carry SQL written by the visitor.
SQL_PARAMETERS = ("sql", "_where")


class ResultTooLarge(sqlite3.OperationalError):
    """A query's rows added up to more than MAX_RESULT_BYTES."""


def _value_size(value: Any) -> int:
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return len(value)
    return 8


def limit_connection(conn: sqlite3.Connection, max_value: int = MAX_VALUE_BYTES,
                     max_result: int = MAX_RESULT_BYTES) -> None:
    """Bound what any query on `conn` can build and return (see the module docstring)."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max_value)
    returned: weakref.WeakKeyDictionary[sqlite3.Cursor, int] = weakref.WeakKeyDictionary()

    def counting_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row:
        total = returned.get(cursor, 0) + sum(_value_size(v) for v in row)
        if total > max_result:
            raise ResultTooLarge(
                f"the result is larger than {max_result // (1024 * 1024)} MB: ask for fewer rows or columns")
        returned[cursor] = total
        return sqlite3.Row(cursor, row)

    conn.row_factory = counting_row


def writes_sql(query_string: bytes) -> bool:
    """Whether a request's query string carries visitor-written SQL."""
    if not query_string:
        return False
    args = parse_qs(query_string.decode("latin-1"))
    return any(args.get(name, [""])[0].strip() for name in SQL_PARAMETERS)


def with_time_limit(query_string: bytes, limit_ms: int) -> bytes:
    """The query string with Datasette's `_timelimit` at most `limit_ms` (a visitor may ask for less)."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    asked = [v for k, v in pairs if k == "_timelimit"]
    limit = min([limit_ms, *(int(v) for v in asked if v.isdigit() and int(v) > 0)])
    kept = [(k, v) for k, v in pairs if k != "_timelimit"] + [("_timelimit", str(limit))]
    return urlencode(kept, encoding="latin-1").encode("latin-1")  # the same bytes as the visitor sent


ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]


class HeavyQueryGate:
    """ASGI middleware: at most `slots` requests with visitor-written SQL at a time, and a rest after
    each in proportion to how long it ran (`share`); the others wait a moment, then get a 503 saying
    to try again, rather than taking every SQL thread and the interpreter."""

    def __init__(self, app: ASGIApp, slots: int = HEAVY_SLOTS, wait: float = HEAVY_WAIT_SECONDS,
                 time_limit: int = VISITOR_SQL_TIME_LIMIT_MS, share: float = VISITOR_SQL_SHARE) -> None:
        if not 0 < share <= 1:
            raise ValueError(f"share must be in (0, 1], not {share}")
        self.app = app
        self.time_limit = time_limit
        self.rest_per_second = (1 - share) / share
        self.slots = slots
        self.wait = wait
        self._semaphore: asyncio.Semaphore | None = None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or not writes_sql(scope.get("query_string", b"")):
            await self.app(scope, receive, send)
            return
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        try:
            await asyncio.wait_for(self._semaphore.acquire(), self.wait)
        except asyncio.TimeoutError:
            await _busy(send)
            return
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            await self.app({**scope, "query_string": with_time_limit(scope.get("query_string", b""), self.time_limit)},
                           receive, send)
        finally:
            rest = (loop.time() - started) * self.rest_per_second
            if rest > 0:
                loop.call_later(rest, self._semaphore.release)
            else:
                self._semaphore.release()


async def _busy(send: Any) -> None:
    body = (b"This site runs visitors' SQL queries one at a time, with a pause after a long one; "
            b"another visitor's query is running or has just run. Try again in a few seconds.\n")
    await send({"type": "http.response.start", "status": 503,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"5")]})
    await send({"type": "http.response.body", "body": body})


# ---- Content-Security-Policy --------------------------------------------------------------------

#: Directives every page shares: nothing from another origin, no plugins, no framing, forms and
#: base URL to this site only.
_COMMON = ("default-src 'none'", "connect-src 'self'", "img-src 'self' data:", "font-src 'self'",
           "form-action 'self'", "base-uri 'self'", "frame-ancestors 'none'", "object-src 'none'")

#: citator's own pages: their scripts and styles are files served from this site, nothing inline.
CITATOR_POLICY = "; ".join(("script-src 'self'", "style-src 'self'", *_COMMON))

#: Datasette templates whose inline <script> bodies are allowed by hash (the installed version's text).
_DATASETTE_INLINE = ("_codemirror_foot.html",)
#: Inline scripts Datasette renders from values: table.html's facet switch, in both states.
_RENDERED_INLINE = ("DATASETTE_ALLOW_FACET = true;", "DATASETTE_ALLOW_FACET = false;")


def _script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def datasette_script_hashes() -> list[str]:
    """Hashes of the inline scripts Datasette's own templates render (read from the installed package,
    so they follow its version)."""
    import datasette

    templates = Path(datasette.__file__).resolve().parent / "templates"
    bodies = list(_RENDERED_INLINE)
    for name in _DATASETTE_INLINE:
        bodies += re.findall(r"<script>(.*?)</script>", (templates / name).read_text(encoding="utf-8"), re.S)
    return [_script_hash(b) for b in bodies]


def datasette_policy() -> str:
    """Datasette's pages: same-origin scripts and the hashed inline ones; `'unsafe-eval'` for
    datasette-vega's chart builder; inline styles (per-table `<style>` blocks and attributes)."""
    scripts = " ".join(["script-src 'self'", *datasette_script_hashes(), "'unsafe-eval'"])
    return "; ".join((scripts, "style-src 'self' 'unsafe-inline'", *_COMMON))


CITATOR_PREFIX = "/-/citator/"


def csp_for(path: str, datasette_page_policy: str) -> str:
    """The policy for a page at `path` (see the module docstring)."""
    return CITATOR_POLICY if path.startswith(CITATOR_PREFIX) else datasette_page_policy


class SecurityHeaders:
    """ASGI middleware adding the Content-Security-Policy and a few standard headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.datasette_page_policy = datasette_policy()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        root = scope.get("root_path", "") or ""
        path = scope.get("path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        policy = csp_for(path, self.datasette_page_policy).encode()

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"content-security-policy", b"x-content-type-options")]
                headers += [(b"content-security-policy", policy), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
