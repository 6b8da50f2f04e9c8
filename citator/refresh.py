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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import sqlite_utils

from citator import log
from citator.config import Config
from citator.db import store
from citator.errors import describe
from citator.harvest.http import HarvestError

if TYPE_CHECKING:
    from citator.harvest.crawl import Progress
from citator.runlock import DatabaseLock, LockHeld, stale_message

__all__ = ["LockHeld", "RefreshFailed", "RefreshResult", "run_refresh", "building_path"]

logger = log.get("refresh")

#: Pages copied per backup step when publishing; each step runs inside the same write transaction.
PUBLISH_PAGES_PER_STEP = 256


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


def _remove_sqlite_file(path: Path) -> None:
    for candidate in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of `source` at `target` (fresh file), safe while others read `source`."""
    _remove_sqlite_file(target)
    src, dst = _connect(source), _connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def integrity_problems(path: Path) -> list[str]:
    conn = _connect(path)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def publish_database(building: Path, published: Path) -> None:
    """Write `building` over `published` in place, in one transaction (see the module docstring)."""
    src, dst = _connect(building), _connect(published)
    try:
        src.backup(dst, pages=PUBLISH_PAGES_PER_STEP, sleep=0.05)
    finally:
        dst.close()
        src.close()


#: Tables whose content a refresh may change, and columns whose change alone is not news.
WATCHED_TABLES = ("authorities", "cases", "case_citations", "case_sources", "opinions", "citations",
                  "extractions", "source_state")
VOLATILE_COLUMNS = {"updated_at", "fetched_at", "extracted_at", "run_id"}


def watch_changes(conn: sqlite3.Connection) -> None:
    """Note in temp table `_citator_dirty` every table whose rows the build really changes.

    Counts of new cases and references miss updates to existing rows (a source filling in a
    docket number, a harvester moving its watermark); dropping those because "nothing is new" would
    lose data. TEMP triggers see every write made through this connection and ignore rewrites that
    only touch timestamps, so a no-change refresh is recognised exactly.
    """
    conn.execute("create temp table if not exists _citator_dirty (tbl text)")
    for table in WATCHED_TABLES:
        columns = [r[1] for r in conn.execute(f"pragma main.table_info([{table}])") if r[1] not in VOLATILE_COLUMNS]
        if not columns:
            continue
        # No OR IGNORE / unique key: an outer statement's conflict policy would override it.
        mark = (f"insert into _citator_dirty select '{table}' "
                f"where not exists (select 1 from _citator_dirty where tbl = '{table}');")
        differ = " or ".join(f"old.[{c}] is not new.[{c}]" for c in columns)
        conn.execute(f"create temp trigger if not exists _dirty_{table}_ins after insert on main.[{table}] begin {mark} end")
        conn.execute(f"create temp trigger if not exists _dirty_{table}_del after delete on main.[{table}] begin {mark} end")
        conn.execute(f"create temp trigger if not exists _dirty_{table}_upd after update on main.[{table}] "
                     f"when {differ} begin {mark} end")


def changed_tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("select tbl from temp._citator_dirty order by tbl")]


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
        _remove_sqlite_file(building)
        # Opening migrates, and rolls back a publish that a crash interrupted (hot journal).
        try:
            db = store.open_database(published, adopt=adopt)  # refuses a foreign or newer database
            store.close_interrupted_runs(db)  # we hold the lock: a run still `running` died
            run_id = store.start_run(db, command)
        except sqlite3.Error as exc:
            message = f"{describe(exc, published)[0]}; nothing was changed"
            logger.error(message, extra={"event": "failed"})
            raise RefreshFailed(message) from exc
        logger.info("refresh #%s started", run_id, extra={"run_id": run_id, "event": "start"})
        try:
            result = _build_and_publish(config, db, published, building, run_id, began, progress, report)
        except (Exception, KeyboardInterrupt) as exc:
            message = _failure_message(exc)
            interrupted = isinstance(exc, KeyboardInterrupt)
            _record_failure(db, building, run_id, message, exc, status="interrupted" if interrupted else "failed")
            _remove_sqlite_file(building)
            if interrupted:
                raise  # the CLI says it in one line and exits 130
            logger.error(message, extra={"run_id": run_id, "event": "failed"})
            raise RefreshFailed(message, run_id) from exc
        finally:
            db.conn.close()
        return result


def _build_and_publish(config: Config, db: sqlite_utils.Database, published: Path, building: Path, run_id: int,
                       began: float, progress: Progress | None = None,
                       report: Callable[[str], None] | None = None) -> RefreshResult:
    # imported here: `citator status` and `config` import this module (for RefreshFailed) and must
    # not pay for the extractor, eyecite and Hyperscan
    from citator import pipeline
    from citator.db.site import build_site_tables, site_tables_present, write_metadata

    copy_database(published, building)
    bdb = store.open_database(building)
    watch_changes(bdb.conn)
    try:
        report = report or logger.info
        harvested = pipeline.harvest(config, bdb, report=report, run_id=run_id, progress=progress)
        extracted = pipeline.extract(config, bdb, report=report, run_id=run_id)
        run = bdb["runs"].get(run_id)
        counts = {
            "documents_fetched": run["documents_fetched"] or 0,
            "new_cases": run["new_cases"] or 0,
            "new_opinions": run["new_opinions"] or 0,
            "opinions_read": extracted.counts.get("opinions", 0),
            "new_references": run["new_references"] or 0,
            "errors": run["errors"] or 0,
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
        failures = store.run_failures(bdb, run_id)
        if failures:
            status = "partial"
        message = "; ".join([summary, *messages])
        if nothing_new:
            # Nothing to publish: record the run in the published database and drop the copy; its
            # request counts and frontier progress are kept (nothing it did is thrown away).
            bdb.conn.close()
            _copy_run_from(building, db, run_id, whole_frontier=True)
            store.finish_run(db, run_id, status, message)
            _remove_sqlite_file(building)
        else:
            store.record_changes(bdb, run_id)
            build_site_tables(bdb)  # views and full-text search, inside the checked build
            store.finish_run(bdb, run_id, status, message)
            store.set_meta(bdb, "last_published_run", str(run_id))
            store.set_meta(bdb, "last_published_at", store.utcnow())
            bdb.conn.close()
            problems = integrity_problems(building)
            if problems:
                raise RefreshFailed(f"the rebuilt database failed its integrity check: {problems[0]}")
            publish_database(building, published)
            _remove_sqlite_file(building)
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


def _copy_run_from(building: Path, db: sqlite_utils.Database, run_id: int, *, whole_frontier: bool = False) -> None:
    """Copy the run's record, request counts and (see store.copy_progress) frontier progress from a
    build copy about to be discarded into the published database."""
    source = sqlite_utils.Database(building)
    try:
        store.copy_run(source, db, run_id)
        store.copy_progress(source, db, whole_frontier=whole_frontier)
    finally:
        source.conn.close()


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


def _record_failure(db: sqlite_utils.Database, building: Path, run_id: int, message: str, exc: BaseException,
                    status: str = "failed") -> None:
    """Write the failed run, with the errors met in the discarded copy, into the published db."""
    try:
        if building.exists():
            try:
                _copy_run_from(building, db, run_id)
            except sqlite3.Error:
                pass  # the copy may be what broke (disk full); the message below still says why
        if not isinstance(exc, HarvestError) or not store.run_errors(db, run_id):
            source = getattr(exc, "source", "") or "refresh"
            store.record_error(db, run_id, source, message, getattr(exc, "url", None))
        store.finish_run(db, run_id, status, message)
    except sqlite3.Error as inner:  # pragma: no cover - the published disk is full too
        logger.error("could not record the failed run: %s", inner)

