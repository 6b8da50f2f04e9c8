"""Opening the citator database (creating, identifying and migrating it), its counts and its meta
table. What is written lives by subject beside this module:

- `db.records`: the records harvesters hand over (`CaseRecord`, `OpinionRecord`);
- `db.corpus`: cases, opinions and seeds (`upsert_case`, `upsert_opinion`, `store_authorities`, ...);
- `db.references`: the `citations` rows (`replace_references`, `citation_row`);
- `db.runs`: runs, their errors and changes (`recorded_run`, `start_run`, `record_error`, ...);
- `db.frontier`: the crawl frontier and request budgets.

Every row has a stable key from its source, and every write is an upsert on that key, so rerunning
any stage never duplicates rows.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from citator.db import bulk_indexes
from citator.db.readonly import ReadOnlyDatabase
from citator.db.schema import migrate
from citator.db.schema import DatabaseRefused, check_identity, mark

if TYPE_CHECKING:  # imported where a database is opened for writing: `citator status` never loads it
    import sqlite_utils


class DatabaseMissing(DatabaseRefused):
    """A command that only reads was pointed at a file that does not exist."""


def open_database(path: str | Path, *, readonly: bool = False, adopt: bool = False) -> sqlite_utils.Database | ReadOnlyDatabase:
    """Open the citator database at `path`.

    Writing (the default): create it if missing, refuse a foreign or newer one (`db.schema.check_identity`;
    `adopt` is the --init option), mark it as citator's when created or adopted, and migrate it.
    `readonly`: open it read-only, never create, mark or migrate; for commands that only look. The
    database is then read through sqlite3 alone (`db.readonly.ReadOnlyDatabase`), which db/'s
    query functions read as they read a sqlite_utils Database.
    """
    path = Path(path)
    if readonly:
        return _open_readonly(path)
    import sqlite_utils

    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    try:
        db.execute("PRAGMA busy_timeout = 10000")
        kind = check_identity(db, adopt=adopt)
        db.execute("PRAGMA foreign_keys = ON")
        if kind != "citator":  # created, adopted with --init, or made before the mark existed
            mark(db)
        migrate(db)
        bulk_indexes.repair(db)  # indexes a killed `citator bulk` load had set aside
    except BaseException:
        db.conn.close()
        raise
    return db


def _open_readonly(path: Path) -> ReadOnlyDatabase:
    if not path.exists():
        raise DatabaseMissing(f"no database at {path}; run `citator refresh` first, or check --db (or $CITATOR_DB)")
    if path.is_dir():
        raise DatabaseMissing(f"{path} is a folder, not a database; check --db (or $CITATOR_DB)")
    uri = path.resolve().as_uri() + "?mode=ro"
    for attempt in range(2):
        conn = sqlite3.connect(uri, uri=True)
        db = ReadOnlyDatabase(conn)
        try:
            db.execute("PRAGMA busy_timeout = 10000")
            check_identity(db, writing=False)
            return db
        except sqlite3.OperationalError as exc:
            conn.close()
            if attempt or "readonly" not in str(exc):
                raise
            # A crash mid-publish left a hot journal, which a read-only connection cannot roll
            # back: let SQLite roll it back (restoring the last published state), then read.
            writer = sqlite3.connect(path)
            try:
                writer.execute("select count(*) from sqlite_master").fetchone()
            finally:
                writer.close()
        except BaseException:
            conn.close()
            raise
    raise AssertionError("unreachable")


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    return {name: db[name].count for name in ("authorities", "cases", "opinions", "citations", "runs")}


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("select value from citator_meta where key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db["citator_meta"].upsert({"key": key, "value": value}, pk="key")
