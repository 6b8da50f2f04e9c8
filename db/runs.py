"""Runs: one row in `runs` per command that writes (harvest, extract, refresh, bulk), its counts and
its errors (`run_errors`, scrubbed of secrets), and the feed of what each run brought (`changes`).

`recorded_run` is how a command records itself: the row is opened when work starts and always
closed, with the failure when the work raised, so `citator status` and the site can say what
happened to every run.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from citator.db.records import utcnow
from citator.db.scrub import scrub

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils


def close_interrupted_runs(db: sqlite_utils.Database) -> int:
    """Mark `interrupted` every run still `running`. Only called by a writer holding the run lock
    (`citator.runlock`): no other run can then be alive, so those runs' processes died."""
    cursor = db.execute(
        "update runs set status = 'interrupted', message = coalesce(nullif(message, ''), ?) where status = 'running'",
        ["its process ended before the run finished (killed, or the machine stopped)"],
    )
    if cursor.rowcount:
        db.conn.commit()
    return cursor.rowcount


def start_run(db: sqlite_utils.Database, command: str) -> int:
    table = db["runs"]
    table.insert(
        {"command": command, "started_at": utcnow(), "status": "running", "documents_fetched": 0,
         "new_cases": 0, "new_opinions": 0, "new_references": 0, "errors": 0},
        pk="id",
    )
    return table.last_pk


def record_error(db: sqlite_utils.Database, run_id: int | None, source: str, message: str, url: str | None = None) -> None:
    if run_id is None:
        return
    db["run_errors"].insert(
        {"run_id": run_id, "source": source, "url": scrub(url), "message": scrub(message), "at": utcnow()}, pk="id"
    )
    db.execute("update runs set errors = errors + 1 where id = ?", [run_id])


def add_counts(db: sqlite_utils.Database, run_id: int | None, **counts: int) -> None:
    if run_id is None or not counts:
        return
    sets = ", ".join(f"{name} = coalesce({name}, 0) + ?" for name in counts)
    db.execute(f"update runs set {sets} where id = ?", [*counts.values(), run_id])


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, message: str = "") -> None:
    db["runs"].update(run_id, {"ended_at": utcnow(), "status": status, "message": scrub(message)})


def recent_runs(db: sqlite_utils.Database, limit: int = 5) -> list[dict[str, Any]]:
    return list(db.query("select * from runs order by id desc limit ?", [limit]))


def run_errors(db: sqlite_utils.Database, run_id: int) -> list[dict[str, Any]]:
    return list(db.query("select source, url, message, at from run_errors where run_id = ? order by id", [run_id]))


def run_failures(db: sqlite_utils.Database, run_id: int) -> list[dict[str, Any]]:
    """Per source that failed in `run_id`: how many errors and the first one (already scrubbed)."""
    rows = db.execute(
        "select source, count(*), (select message from run_errors f where f.run_id = e.run_id and f.source = e.source "
        "order by f.id limit 1) from run_errors e where run_id = ? group by source order by min(id)", [run_id]
    ).fetchall()
    return [{"source": source, "errors": count, "first_error": first} for source, count, first in rows]


def record_changes(db: sqlite_utils.Database, run_id: int) -> dict[str, int]:
    """Write to `changes` the cases and references first seen in `run_id`; returns counts by kind.

    Derived from `first_seen_run`, which the writers above keep across reruns, so the feed is
    right however a run got there (fresh crawl, re-extraction after a lexicon change, a retry).
    """
    at = utcnow()
    counts = {}
    with db.conn:
        # treatment_changed rows are written as references are re-labelled, and stay
        db.execute("delete from changes where run_id = ? and kind in ('new_case', 'new_reference')", [run_id])
        for kind, table in (("new_case", "cases"), ("new_reference", "citations")):
            cursor = db.execute(
                f"insert into changes (run_id, kind, row_id, at) "
                f"select ?, ?, id, ? from {table} where first_seen_run = ? order by id",
                [run_id, kind, at, run_id],
            )
            counts[kind] = cursor.rowcount
    counts["treatment_changed"] = db.execute(
        "select count(*) from changes where run_id = ? and kind = 'treatment_changed'", [run_id]).fetchone()[0]
    return counts


def copy_progress(source: sqlite_utils.Database, target: sqlite_utils.Database, *, whole_frontier: bool) -> None:
    """Carry a discarded build's request counts and frontier progress into `target` (the published
    database), so the daily budget holds whatever a run's outcome and finished work is not redone.

    Request counts are always copied (each day's count only grows). `whole_frontier` (a run that
    found nothing new: no work of it is thrown away) copies the frontier as the build left it;
    otherwise (a failed run, whose stored results are thrown away) only the items that failed keep
    their failure (attempt count and error), so a document that always fails is given up in time,
    while items done in the discarded build stay to do.
    """
    with target.conn:
        for row in source.execute("select source, day, requests from request_budget").fetchall():
            target.execute(
                "insert into request_budget (source, day, requests) values (?, ?, ?) on conflict(source, day) "
                "do update set requests = max(requests, excluded.requests)", list(row))
        if whole_frontier:
            columns = [r[1] for r in source.execute("pragma table_info(crawl_frontier)")]
            names = ", ".join(f"[{c}]" for c in columns)
            rows = source.execute(f"select {names} from crawl_frontier").fetchall()
            target.execute("delete from crawl_frontier")
            target.conn.executemany(
                f"insert into crawl_frontier ({names}) values ({', '.join('?' for _ in columns)})", rows)
        else:
            for row in source.execute(
                "select attempts, last_error, updated_at, source, key from crawl_frontier where status = 'failed'"
            ).fetchall():
                target.execute(
                    "update crawl_frontier set status = 'failed', attempts = max(attempts, ?), last_error = ?, "
                    "updated_at = ? where source = ? and key = ? and status != 'done'", list(row))


def copy_run(source: sqlite_utils.Database, target: sqlite_utils.Database, run_id: int) -> None:
    """Copy a run's counts and errors from a build copy that will be discarded into `target`,
    so a failed refresh still says what it fetched and what went wrong."""
    row = source.execute(
        "select documents_fetched, new_cases, new_opinions, new_references from runs where id = ?", [run_id]
    ).fetchone()
    if row:
        target["runs"].update(run_id, dict(zip(("documents_fetched", "new_cases", "new_opinions", "new_references"), row)))
    known = {(e["source"], e["url"], e["message"]) for e in run_errors(target, run_id)}
    for error in run_errors(source, run_id):
        if (error["source"], error["url"], error["message"]) not in known:
            target["run_errors"].insert({"run_id": run_id, **error, "message": scrub(error["message"]),
                                         "url": scrub(error["url"])}, pk="id")
    target.execute("update runs set errors = (select count(*) from run_errors where run_id = ?) where id = ?", [run_id, run_id])


def run_counts(db: sqlite_utils.Database, run_id: int) -> dict[str, int]:
    """What run `run_id` has counted so far (documents fetched, new cases, opinions and references,
    errors), zero for a count not yet set."""
    row = db["runs"].get(run_id)
    return {name: row[name] or 0 for name in ("documents_fetched", "new_cases", "new_opinions", "new_references", "errors")}


def copy_run_from_file(building: Path, target: sqlite_utils.Database, run_id: int, *, whole_frontier: bool = False) -> None:
    """Copy the run's record, request counts and (see `copy_progress`) frontier progress from a
    build copy about to be discarded into `target`, the published database."""
    import sqlite_utils  # only a refresh copies a run; `citator status` never loads it

    source = sqlite_utils.Database(building)
    try:
        copy_run(source, target, run_id)
        copy_progress(source, target, whole_frontier=whole_frontier)
    finally:
        source.conn.close()


@dataclass
class Run:
    """A run being recorded (see `recorded_run`): its id, and the status and message it ends with
    when its work returns. `finish` ends it early, in another database if need be (a refresh ends
    its run in the build it publishes)."""

    id: int
    own: bool = True
    status: str = "ok"
    message: str = ""
    finished: bool = False

    def finish(self, db: sqlite_utils.Database, status: str, message: str = "") -> None:
        finish_run(db, self.id, status, message)
        self.finished = True

    def finished_elsewhere(self) -> None:
        """The run was ended in a copy that has since replaced its database (a refresh's checked
        build, published in place): nothing is left to write."""
        self.finished = True


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """A failed run's status and message: `failed` and the exception in one line."""
    return "failed", f"{exc.__class__.__name__}: {exc}"


@contextmanager
def recorded_run(db: sqlite_utils.Database, command: str, *, run_id: int | None = None,
                 failure: Callable[[BaseException], tuple[str, str]] = describe_failure,
                 logger: logging.Logger | None = None) -> Iterator[Run]:
    """Record the work inside the block as one run of `command` in `db`.

    The run ends with the block: with its `status` and `message` when the block returns (unless it
    was ended inside, `Run.finish`), with `failure(exc)` (status, message) when it raised. With `run_id` the
    block works inside a run someone else recorded (a refresh's harvest and extract steps) and
    leaves ending it to them. With `logger`, a run that cannot be ended after a failure (the disk
    is full too) is logged there rather than hiding the failure.
    """
    run = Run(start_run(db, command) if run_id is None else run_id, own=run_id is None)
    try:
        yield run
    except BaseException as exc:
        if run.own:  # even one ended already: what failed after it is what the run did last
            status, message = failure(exc)
            try:
                run.finish(db, status, message)
            except Exception as inner:
                if logger is None:
                    raise
                logger.error("could not record the failed run: %s", inner)
        raise
    if run.own and not run.finished:
        run.finish(db, run.status, run.message)
