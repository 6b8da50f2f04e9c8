"""Secondary indexes of `citations` set aside during a large `citator bulk` load, and always put back.

Every row written to `citations` updates each of its indexes (the primary key, the
writer's own `opinion_id` lookup, and the site's filters and facets) one random B-tree insertion at
a time. When a load is large relative to the table, dropping the secondary indexes and building them
again once at the end (a sort per index) costs several times less than that. The primary key stays
(uniqueness, and the upsert's conflict target). The `opinion_id` index is dropped too, and the
writer builds it again (`ensure`) as soon as it meets an opinion stored before the load, the only
kind that can have earlier rows to look up; a first load never needs it.

Safety: the list of dropped indexes, with their SQL, is written to `citator_meta` in the same
transaction that drops them, with the pid and host of the process doing it. The bulk session puts
them back when it ends, however it ends (`restore` in a `finally`), and deletes the note in the
same transaction. When the process dies before that (SIGKILL, power loss), the database stays
usable (only slower) and the next `store.open_database` puts the indexes back, unless the note's
process is still alive on this host (a load in progress).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils

from citator.db.processes import pid_alive

#: The bulk command's logger by name (the glue's `citator.log` configures it): db/ imports no glue.
logger = logging.getLogger("citator.bulk")

#: `citator_meta` key of the note listing the indexes a bulk load dropped.
MARKER = "bulk_dropped_indexes"

#: Table whose secondary indexes a bulk load may drop.
TABLE = "citations"

#: The index the writer looks an opinion's earlier rows up with (see `ensure`).
LOOKUP = ("opinion_id",)

#: Bulk sessions open in this process (see `owner_alive`).
active_sessions = 0


def droppable(db: sqlite_utils.Database, table: str = TABLE) -> list[tuple[str, str, list[str]]]:
    """(name, SQL, columns) of the indexes of `table` a load may drop: declared (not the primary
    key's automatic index) and not unique (a dropped unique index would stop enforcing its constraint)."""
    out = []
    for _, name, unique, origin, _ in db.execute(f"PRAGMA index_list([{table}])").fetchall():
        if unique or origin != "c":
            continue
        columns = [r[2] for r in db.execute(f"PRAGMA index_info([{name}])").fetchall()]
        sql = db.execute("select sql from sqlite_master where type = 'index' and name = ?", [name]).fetchone()[0]
        out.append((name, sql, columns))
    return sorted(out)


def _note(db: sqlite_utils.Database) -> dict | None:
    row = db.execute("select value from citator_meta where key = ?", [MARKER]).fetchone()
    return json.loads(row[0]) if row else None


def _existing(db: sqlite_utils.Database) -> set[str]:
    return {r[0] for r in db.execute("select name from sqlite_master where type = 'index'").fetchall()}


def drop(db: sqlite_utils.Database) -> list[str]:
    """Drop the droppable indexes of `citations` and note them, in one transaction; returns their names."""
    indexes = droppable(db)
    if not indexes:
        return []
    with db.atomic():
        noted = {name: (name, sql, columns) for name, sql, columns in (_note(db) or {}).get("indexes", [])}
        noted.update({name: (name, sql, columns) for name, sql, columns in indexes})
        note = {"pid": os.getpid(), "host": socket.gethostname(), "indexes": sorted(noted.values())}
        db.execute("insert or replace into citator_meta (key, value) values (?, ?)", [MARKER, json.dumps(note)])
        for name, _, _ in indexes:
            db.execute(f"drop index [{name}]")
    return [name for name, _, _ in indexes]


def ensure(db: sqlite_utils.Database, columns: tuple[str, ...] = LOOKUP) -> list[str]:
    """Build again the dropped indexes on exactly `columns`; returns their names. Runs in the
    caller's transaction; the note keeps listing them, and `restore` skips what exists."""
    note = _note(db)
    if note is None:
        return []
    existing = _existing(db)
    built = []
    for name, sql, cols in note["indexes"]:
        if tuple(cols) == tuple(columns) and name not in existing:
            db.execute(sql)
            built.append(name)
    return built


def restore(db: sqlite_utils.Database) -> list[str]:
    """Create the noted indexes that are missing and delete the note, in one transaction; returns
    the names created. An interruption rolls it all back, note included, so it can run again."""
    note = _note(db)
    if note is None:
        return []
    existing = _existing(db)
    created = []
    with db.atomic():
        for name, sql, _ in note["indexes"]:
            if name not in existing:
                db.execute(sql)
                created.append(name)
        db.execute("delete from citator_meta where key = ?", [MARKER])
    return created


def owner_alive(note: dict) -> bool:
    """Whether the process that dropped the indexes may still be loading (then leave them be)."""
    if note.get("host") != socket.gethostname():
        return False  # SQLite databases are not written from two hosts at once; a note from elsewhere is stale
    pid = note.get("pid")
    if pid == os.getpid():
        return active_sessions > 0  # our own load restores them in its `finally`
    return isinstance(pid, int) and pid_alive(pid)


def repair(db: sqlite_utils.Database) -> list[str]:
    """On open: put back the indexes of a bulk load that died before restoring them. A database
    that cannot be written now (read-only, or busy beyond the timeout) keeps its note for the next
    open rather than failing this one."""
    if not db["citator_meta"].exists():
        return []
    note = _note(db)
    if note is None or owner_alive(note):
        return []
    try:
        created = restore(db)
    except sqlite3.OperationalError as exc:
        logger.warning("indexes of an interrupted bulk load not rebuilt yet: %s", exc)
        return []
    if created:
        logger.info("rebuilt %d index(es) an interrupted bulk load had set aside", len(created), extra={"indexes": created})
    return created
