"""The crawl frontier and the daily request budgets: the harvesters' to-do lists, kept in the
database (tables `crawl_frontier` and `request_budget`) so a harvest resumes where it stopped.

The frontier is a to-do list per source with stable keys: queuing an item twice is a no-op, and
the harvesters run each item in one transaction (`db.atomic()`) that also marks it done, so a
harvest killed at any point loses at most the item it was on, which the next run redoes. None of
these functions commits on its own: outside a transaction sqlite-utils commits each write, inside
one they become part of it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils

from citator.db.scrub import scrub
from citator.db.records import utcnow

FRONTIER_RETRIES = 3  # a failed item is retried on later runs until it has failed this often

#: Kinds that improve what is already stored (e.g. CAP's `refetch_html`): they run after every
#: other pending item of their source, whatever their depth, so new work is never kept waiting.
LATE_KINDS = ("refetch_html",)


def frontier_add(
    db: sqlite_utils.Database,
    source: str,
    key: str,
    kind: str,
    *,
    depth: int,
    priority: float = 0.0,
    payload: Any = None,
    run_id: int | None = None,
) -> bool:
    """Queue a work item unless it is already known; returns whether it was new.

    An item already queued at a greater depth is moved up to the shallower one, so the crawl
    reaches each case by its shortest path whatever order the sources ran in.
    """
    current = db.execute("select depth from crawl_frontier where source = ? and key = ?", [source, key]).fetchone()
    if current is not None:
        if current[0] is not None and depth < current[0]:
            db.execute(
                "update crawl_frontier set depth = ?, priority = ?, payload = ?, status = 'pending', cursor = null, "
                "updated_at = ? where source = ? and key = ?",
                [depth, priority, json.dumps(payload), utcnow(), source, key],
            )
        return False
    db["crawl_frontier"].insert(
        {"source": source, "key": key, "kind": kind, "depth": depth, "priority": priority,
         "payload": json.dumps(payload), "cursor": None, "status": "pending", "attempts": 0,
         "last_error": None, "added_run": run_id, "done_run": None, "updated_at": utcnow()},
        pk=("source", "key"),
        ignore=True,
    )
    return True


def frontier_next(
    db: sqlite_utils.Database, source: str, *, kinds: Sequence[str] | None = None, limit: int = 1,
    max_depth: int | None = None,
) -> list[dict[str, Any]]:
    """The next pending items of `source`.

    Shallowest depth first; within a depth, finding cases before fetching texts (so texts are
    fetched in full batches), then lowest priority (most cited first), then key. Items of
    `LATE_KINDS` come after all others.
    """
    where = ["source = ?", "status = 'pending'"]
    args: list[Any] = [source]
    if kinds:
        where.append(f"kind in ({','.join('?' for _ in kinds)})")
        args.extend(kinds)
    if max_depth is not None:
        where.append("depth <= ?")
        args.append(max_depth)
    rows = db.query(
        f"select * from crawl_frontier where {' and '.join(where)} "
        f"order by kind in ({','.join('?' for _ in LATE_KINDS)}), depth, "
        "case kind when 'resolve' then 0 when 'fetch' then 2 else 1 end, priority, key limit ?",
        [*args, *LATE_KINDS, limit],
    )
    items = []
    for row in rows:
        row["payload"] = json.loads(row["payload"]) if row["payload"] else None
        items.append(row)
    return items


def frontier_cursor(db: sqlite_utils.Database, source: str, key: str, cursor: str | None) -> None:
    """Remember where a paginated listing stopped."""
    db.execute("update crawl_frontier set cursor = ?, updated_at = ? where source = ? and key = ?",
               [scrub(cursor), utcnow(), source, key])


def frontier_retry_failed(db: sqlite_utils.Database, source: str) -> int:
    """At the start of a run: queue again the items that failed on earlier runs (a few times at most)."""
    cursor = db.execute(
        "update crawl_frontier set status = 'pending' where source = ? and status = 'failed' and attempts < ?",
        [source, FRONTIER_RETRIES],
    )
    return cursor.rowcount


def frontier_done(db: sqlite_utils.Database, source: str, key: str, run_id: int | None = None) -> None:
    db.execute(
        "update crawl_frontier set status = 'done', cursor = null, last_error = null, done_run = ?, updated_at = ? "
        "where source = ? and key = ?",
        [run_id, utcnow(), source, key],
    )


def frontier_payload(db: sqlite_utils.Database, source: str, key: str, payload: Any) -> None:
    """Replace an item's payload, e.g. to record what its work found so a later run can tell."""
    db.execute("update crawl_frontier set payload = ?, updated_at = ? where source = ? and key = ?",
               [json.dumps(payload), utcnow(), source, key])


def done_without(db: sqlite_utils.Database, source: str, kind: str, field: str) -> list[dict[str, Any]]:
    """The done items of `source` and `kind` whose payload has no `field` (e.g. items finished by
    an older citator that did not record it), with their payloads read."""
    rows = db.query(
        "select key, depth, payload from crawl_frontier where source = ? and kind = ? and status = 'done' "
        "and json_extract(payload, '$.' || ?) is null order by key", [source, kind, field])
    return [{**row, "payload": json.loads(row["payload"]) if row["payload"] else {}} for row in rows]


def frontier_failed(db: sqlite_utils.Database, source: str, key: str, error: str) -> None:
    db.execute(
        "update crawl_frontier set status = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ? "
        "where source = ? and key = ?",
        [scrub(error), utcnow(), source, key],
    )


def frontier_reopen(db: sqlite_utils.Database, source: str, kinds: Sequence[str], older_than_days: float) -> int:
    """Queue again the listings finished more than `older_than_days` ago, to find new citing cases."""
    placeholders = ",".join("?" for _ in kinds)
    cursor = db.execute(
        f"update crawl_frontier set status = 'pending', cursor = null, updated_at = ? "
        f"where source = ? and status = 'done' and kind in ({placeholders}) "
        f"and julianday(updated_at) < julianday('now') - ?",
        [utcnow(), source, *kinds, older_than_days],
    )
    return cursor.rowcount


def frontier_summary(db: sqlite_utils.Database, max_depth: int | None = None) -> list[dict[str, Any]]:
    """Per source: items pending, failed (to retry), given up, done; and requests made today.

    Items deeper than `max_depth` (queued for a deeper snowball than configured) are not counted.
    """
    if not db["crawl_frontier"].exists():
        return []
    depth_filter = f"where depth <= {int(max_depth)} " if max_depth is not None else ""
    rows = db.query(
        "select source, "
        "sum(status = 'pending') as pending, "
        f"sum(status = 'failed' and attempts < {FRONTIER_RETRIES}) as retry, "
        f"sum(status = 'failed' and attempts >= {FRONTIER_RETRIES}) as given_up, "
        "sum(status = 'done') as done "
        f"from crawl_frontier {depth_filter}group by source order by source"
    )
    today = utcnow()[:10]
    summary = []
    for row in rows:
        used = db.execute("select requests from request_budget where source = ? and day = ?", [row["source"], today]).fetchone()
        row["requests_today"] = used[0] if used else 0
        summary.append(row)
    return summary


def budget_used(db: sqlite_utils.Database, source: str, day: str | None = None) -> int:
    row = db.execute("select requests from request_budget where source = ? and day = ?", [source, day or utcnow()[:10]]).fetchone()
    return row[0] if row else 0


def budget_take(db: sqlite_utils.Database, source: str, requests: int = 1, day: str | None = None) -> int:
    """Count `requests` against today's budget of `source`; returns the count after them."""
    day = day or utcnow()[:10]
    db.execute(
        "insert into request_budget (source, day, requests) values (?, ?, ?) "
        "on conflict(source, day) do update set requests = requests + excluded.requests",
        [source, day, requests],
    )
    return budget_used(db, source, day)


def pending_count(db: sqlite_utils.Database, source: str, max_depth: int) -> int:
    """Items of `source` still to do, down to `max_depth` (what the progress bar counts)."""
    return db.execute(
        "select count(*) from crawl_frontier where source = ? and depth <= ? and status = 'pending'",
        [source, max_depth],
    ).fetchone()[0]


def unfinished_count(db: sqlite_utils.Database, source: str, kind: str) -> int:
    """Items of `source` and `kind` not done yet (pending or failed), at any depth."""
    return db.execute(
        "select count(*) from crawl_frontier where source = ? and kind = ? and status != 'done'", [source, kind]
    ).fetchone()[0]
