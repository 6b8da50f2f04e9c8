"""The database as a file: consistent copies, the integrity check, publishing a build in place, and
noting which tables a build really changed.

A scheduled refresh (`citator.refresh`) builds in a copy of the published database and publishes
it only when checked; these are the file-level steps it takes, kept here because they are SQLite's
business, not the glue's.

Publishing copies the checked build back *into* the published file with SQLite's backup API, as one
write transaction. Renaming a new file over the old one would be atomic too, but a running Datasette
keeps its connections open on the old inode and would serve the old data until restarted. Writing
in place keeps the inode: SQLite's file change counter tells every open connection to drop its
cache, so the next request sees the new data and no request ever sees half of it. A crash
mid-publish leaves a rollback journal that the next opener rolls back to the previous state.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

#: Pages copied per backup step when publishing; each step runs inside the same write transaction.
PUBLISH_PAGES_PER_STEP = 256

#: Tables whose content a refresh may change, and columns whose change alone is not news.
WATCHED_TABLES = ("authorities", "cases", "case_citations", "case_sources", "opinions", "citations",
                  "extractions", "source_state")
VOLATILE_COLUMNS = {"updated_at", "fetched_at", "extracted_at", "run_id"}


def remove_sqlite_file(path: Path) -> None:
    """Delete a database file and the journal files SQLite may have left beside it."""
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
    remove_sqlite_file(target)
    src, dst = _connect(source), _connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def integrity_problems(path: Path) -> list[str]:
    """What SQLite's integrity check finds wrong in the file at `path` (empty when it is sound)."""
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
    """The tables `watch_changes` saw really change through `conn`, by name."""
    return [r[0] for r in conn.execute("select tbl from temp._citator_dirty order by tbl")]


def open_readonly_as_is(path: Path) -> sqlite_utils.Database:
    """The database file at `path`, read-only and as it is: not checked to be citator's, never
    migrated (for reading what an older or foreign file holds, e.g. its corrections to train on)."""
    import sqlite_utils  # imported here: the refresh's file steps do not need it

    return sqlite_utils.Database(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True))
