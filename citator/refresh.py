"""A scheduled refresh that never loses data: lock, build in a copy, check, publish atomically.

Why this shape:

* The published database is what Datasette (and anyone downloading it) reads, so a refresh never
  works in it. It copies it with SQLite's backup API to `<db>.building`, harvests and extracts
  there, runs `PRAGMA integrity_check`, and only then publishes.
* Publishing copies the checked build back *into* the published file with the backup API, as one
  write transaction. Renaming a new file over the old one (`os.replace`) would be atomic too, but a
  running Datasette keeps its connections open on the old inode and would serve the old data until
  restarted. Writing in place keeps the inode: SQLite's file change counter tells every open
  connection, Datasette's included, to drop its cache, so the next request sees the new data and no
  request ever sees half of it. A crash mid-publish leaves a rollback journal that the next opener
  (any citator command) rolls back to the previous state.
* A failed run leaves the published tables untouched; only its `runs` row (and `run_errors`) are
  written there, so `citator status` and the site can say what went wrong.
* When a refresh finds nothing new, the build copy is dropped and only the run is recorded.
"""

from __future__ import annotations

import logging
import sqlite3
import time
import traceback
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import sqlite_utils

from citator import log
from citator.config import Config
from citator.db import records, runs, store
from citator.db.files import (changed_tables, copy_database, integrity_problems, publish_database,
                                remove_sqlite_file, watch_changes)
from citator.errors import describe
from citator.harvest.http import HarvestError

if TYPE_CHECKING:
    from citator.harvest.crawl import Progress
from citator.runlock import DatabaseLock, LockHeld, stale_message

__all__ = ["LockHeld", "RefreshFailed", "RefreshResult", "run_refresh", "building_path"]

logger = log.get("refresh")


class RefreshFailed(Exception):
    """The refresh stopped; the published database is as it was. The message is for the user."""

    def __init__(self, message: str, run_id: int | None = None) -> None:
        super().__init__(message)
        self.run_id = run_id


@dataclass
class RefreshResult:
    run_id: int
    status: str  # ok or partial
    nothing_new: bool
    counts: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    seconds: float = 0.0


def building_path(database: Path) -> Path:
    return database.with_name(database.name + ".building")


def run_refresh(config: Config, *, command: str = "refresh", progress: Progress | None = None,
                report: Callable[[str], None] | None = None, adopt: bool = False) -> RefreshResult:
    """Harvest, extract and publish `config.database` safely; see the module docstring.

    Raises LockHeld when another run holds the lock, RefreshFailed when the run stopped (the
    published database is then unchanged apart from the run's record).
    """
    published = config.database
    began = time.monotonic()
    with DatabaseLock(published, command=command) as lock:
        if lock.stale_note:
            logger.warning(stale_message(lock.stale_note), extra={"stale_lock": lock.stale_note})
        building = building_path(published)
        if building.exists():
            logger.info("removing %s left by an interrupted run", building.name)
        remove_sqlite_file(building)
        with ExitStack() as held:
            # Opening migrates, and rolls back a publish that a crash interrupted (hot journal).
            try:
                db = store.open_database(published, adopt=adopt)  # refuses a foreign or newer database
                held.callback(db.conn.close)
                runs.close_interrupted_runs(db)  # we hold the lock: a run still `running` died
                run = held.enter_context(runs.recorded_run(db, command, failure=_failure_status, logger=logger))
            except sqlite3.Error as exc:
                message = f"{describe(exc, published)[0]}; nothing was changed"
                logger.error(message, extra={"event": "failed"})
                raise RefreshFailed(message) from exc
            logger.info("refresh #%s started", run.id, extra={"run_id": run.id, "event": "start"})
            try:
                return _build_and_publish(config, db, published, building, run, began, progress, report)
            except (Exception, KeyboardInterrupt) as exc:
                message = _failure_message(exc)
                _record_failure(db, building, run.id, message, exc)
                remove_sqlite_file(building)
                if isinstance(exc, KeyboardInterrupt):
                    raise  # the CLI says it in one line and exits 130
                logger.error(message, extra={"run_id": run.id, "event": "failed"})
                raise RefreshFailed(message, run.id) from exc


def _build_and_publish(config: Config, db: sqlite_utils.Database, published: Path, building: Path, run: runs.Run,
                       began: float, progress: Progress | None = None,
                       report: Callable[[str], None] | None = None) -> RefreshResult:
    # imported here: `citator status` and `config` import this module (for RefreshFailed) and must
    # not pay for the extractor, eyecite and Hyperscan
    from citator import pipeline
    from citator.db.web.site import build_site_tables, site_tables_present, write_metadata

    copy_database(published, building)
    bdb = store.open_database(building)
    run_id = run.id
    watch_changes(bdb.conn)
    try:
        report = report or logger.info
        harvested = pipeline.harvest(config, bdb, report=report, run_id=run_id, progress=progress)
        extracted = pipeline.extract(config, bdb, report=report, run_id=run_id)
        counted = runs.run_counts(bdb, run_id)
        counts = {
            "documents_fetched": counted["documents_fetched"],
            "new_cases": counted["new_cases"],
            "new_opinions": counted["new_opinions"],
            "opinions_read": extracted.counts.get("opinions", 0),
            "new_references": counted["new_references"],
            "errors": counted["errors"],
        }
        status = "partial" if "partial" in (harvested.status, extracted.status) else "ok"
        messages = harvested.messages + extracted.messages
        changed = changed_tables(bdb.conn)
        nothing_new = not changed
        if nothing_new:
            summary = "nothing new"
        elif not any(counts[k] for k in ("new_cases", "new_opinions", "opinions_read", "new_references")):
            summary = "no new cases or references; updated " + ", ".join(changed)
        else:
            summary = (f"{counts['new_cases']} new cases, {counts['new_opinions']} new opinions, "
                       f"{counts['opinions_read']} opinions read, {counts['new_references']} new references")
        failures = runs.run_failures(bdb, run_id)
        if failures:
            status = "partial"
        message = "; ".join([summary, *messages])
        if nothing_new:
            # Nothing to publish: record the run in the published database and drop the copy; its
            # request counts and frontier progress are kept (nothing it did is thrown away).
            bdb.conn.close()
            runs.copy_run_from_file(building, db, run_id, whole_frontier=True)
            run.finish(db, status, message)
            remove_sqlite_file(building)
        else:
            runs.record_changes(bdb, run_id)
            build_site_tables(bdb)  # views and full-text search, inside the checked build
            runs.finish_run(bdb, run_id, status, message)  # the build carries the finished run
            store.set_meta(bdb, "last_published_run", str(run_id))
            store.set_meta(bdb, "last_published_at", records.utcnow())
            bdb.conn.close()
            problems = integrity_problems(building)
            if problems:
                raise RefreshFailed(f"the rebuilt database failed its integrity check: {problems[0]}")
            publish_database(building, published)
            run.finished_elsewhere()
            remove_sqlite_file(building)
        if nothing_new and not site_tables_present(db):
            pipeline.publish(config, published, report=logger.info)
        else:
            write_metadata(published)
    finally:
        try:
            bdb.conn.close()
        except sqlite3.Error:
            pass
    seconds = round(time.monotonic() - began, 3)
    # A partial run is a warning, with its reasons, so that `--quiet` (cron) still reports it.
    level = logging.WARNING if status == "partial" else logging.INFO
    line = message if status == "partial" else summary
    if failures:
        line += "; " + failure_summary(failures)
    logger.log(level, "refresh %s in %.2f s: %s", status, seconds, line,
               extra={"run_id": run_id, "event": "finished", "status": status, "nothing_new": nothing_new,
                      "counts": counts, "seconds": seconds, "failures": failures})
    return RefreshResult(run_id, status, nothing_new, counts, messages, seconds)


def failure_summary(failures: list[dict]) -> str:
    """"failed: cap (2 errors, first: ...); courtlistener (...)": each failing source and its first
    error, for the last line of a partial run (messages are scrubbed when stored)."""
    parts = []
    for failure in failures:
        count = failure["errors"]
        first = " ".join(str(failure["first_error"] or "").split())
        if len(first) > 300:
            first = first[:297] + "..."
        parts.append(f"{failure['source']} ({count} error{'s' if count != 1 else ''}, first: {first})")
    return "failed: " + "; ".join(parts) + "; details: citator status"


def _where(exc: BaseException) -> str:
    """`file.py:line` of the innermost frame, so a report of an unexpected fault can be acted on."""
    frames = traceback.extract_tb(exc.__traceback__)
    return f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""


def _failure_message(exc: BaseException) -> str:
    if isinstance(exc, (HarvestError, RefreshFailed)):
        return str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted by a signal; the published database is unchanged"
    if isinstance(exc, sqlite3.Error):
        text = str(exc)
        if "full" in text or "disk" in text or "I/O" in text:
            return f"could not write the new database ({text}); free disk space and run again"
        return f"database error: {text}"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return (f"unexpected {exc.__class__.__name__}: {exc}{_where(exc)} "
            "(a source may have answered with data citator cannot read; nothing was published)")


def _failure_status(exc: BaseException) -> tuple[str, str]:
    """How a refresh that raised ends its run: interrupted by a signal, or failed, and why."""
    return ("interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"), _failure_message(exc)


def _record_failure(db: sqlite_utils.Database, building: Path, run_id: int, message: str, exc: BaseException) -> None:
    """Write the errors met in the discarded copy, and the failure, into the published db (the
    run itself is ended by `recorded_run`)."""
    try:
        if building.exists():
            try:
                runs.copy_run_from_file(building, db, run_id)
            except sqlite3.Error:
                pass  # the copy may be what broke (disk full); the message below still says why
        if not isinstance(exc, HarvestError) or not runs.run_errors(db, run_id):
            source = getattr(exc, "source", "") or "refresh"
            runs.record_error(db, run_id, source, message, getattr(exc, "url", None))
    except sqlite3.Error as inner:  # pragma: no cover - the published disk is full too
        logger.error("could not record the failed run: %s", inner)
