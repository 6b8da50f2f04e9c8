"""The bulk writer's session: connection settings, grouped commits, and indexes set aside for a
large load, all restored however the load ends.

Where the time went, measured with bench/bulk_scan.py `writer_rate`:

* binding None: Python's sqlite3 sends every None through its adapter lookup (a registry miss and
  two failed attribute lookups per value), which cost more than the insert itself; the session
  registers an identity adapter for None, so the lookup hits at once, and removes it at the end;
* commits: each commit of a rollback journal writes the pages its transaction touched twice and
  syncs twice, and inserts at random places of the primary-key index touch most of its pages
  every time; batches are committed in groups (COMMIT_EVERY);
* index maintenance: a load large relative to the table sets the secondary indexes of
  `citations` aside and builds them once at the end (db/bulk_indexes.py);
* foreign-key checks: four lookups a row, off for the session (rows are right by construction).

Durability stays SQLite's default (rollback journal, `synchronous = FULL`): `citator bulk` writes
the database in place, not a copy as `citator refresh` does, so every commit must survive a power
loss without corrupting it. `synchronous = OFF` would risk that for a few per cent (the grouped
commits are few), and WAL would change the file's journal mode for every reader, the immutable
site included.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import sqlite_utils

from citator.db import bulk_indexes

#: sqlite3's adapter registry key for None, and a C-level callable returning None for None: the
#: cheapest identity.
_NONE_ADAPTER_KEY = (type(None), sqlite3.PrepareProtocol)
_keep_none = {}.get

#: Batches are committed together, once this many seconds have passed since the group began: a
#: commit per batch (200 opinions) was about a quarter of the writer's time in `writer_rate`. A
#: crash loses at most this much work, which the rerun (`citator bulk` is idempotent and scans its
#: inputs again) redoes anyway; readers see the load advance at each commit.
COMMIT_EVERY = 5.0

#: A load drops the secondary indexes once the rows it changed reach this share of the rows
#: `citations` held when it started (at once into an empty table). Maintaining an index row by row
#: cost several times what rebuilding it costs per table row in `writer_rate`, more once the index
#: outgrows the cache.
DROP_INDEXES_AT = 0.25


@dataclass
class BulkSession:
    """What one bulk writer knows about its load: the table's size when it began, how many
    `citations` rows it has changed, whether it has set the secondary indexes aside, and the
    transaction its batches are grouped in."""

    db: sqlite_utils.Database
    rows_at_start: int
    changed: int = 0
    indexes_dropped: bool = False
    group_started: float = 0.0

    def before_batch(self) -> None:
        """Open the group transaction if none is; drop the secondary indexes once the load is
        large relative to the table (in that transaction, so a crash undoes both together)."""
        if not self.db.conn.in_transaction:
            self.db.execute("BEGIN")
            self.group_started = time.monotonic()
        if not self.indexes_dropped and self.changed >= DROP_INDEXES_AT * self.rows_at_start:
            bulk_indexes.drop(self.db)
            self.indexes_dropped = True

    def after_batch(self, changed: int) -> None:
        """Count the batch's changed rows; commit the group once it is COMMIT_EVERY seconds old."""
        self.changed += changed
        if time.monotonic() - self.group_started >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        if self.db.conn.in_transaction:
            self.db.execute("COMMIT")


#: The open session of each connection (`write_batch` finds it here, so callers need not pass it).
_SESSIONS: dict[int, BulkSession] = {}


@contextmanager
def bulk_session(db: sqlite_utils.Database) -> Iterator[BulkSession]:
    """Connection settings for one bulk writer, and the indexes put back when it ends.

    A 128 MB page cache; None bound without the adapter lookup (module docstring); foreign keys
    checked by construction rather than per row: `write_batch` stores a batch's cases and opinions
    before their references, in one transaction, and authorities are stored before the first
    batch, so every reference row points at rows that exist; the per-row checks (four lookups a row)
    cost a third of the insert rate. All are restored when the session ends, and the tests run
    `PRAGMA foreign_key_check` after bulk runs. Batches are committed in groups (COMMIT_EVERY); the
    last group is committed when the session ends, however it ends, since every batch in it is
    complete. Indexes dropped during the load are rebuilt here however the session ends; if the
    process dies first, `store.open_database` (or the next session) rebuilds them.
    """
    enforced = db.execute("PRAGMA foreign_keys").fetchone()[0]
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    adapter = sqlite3.adapters.get(_NONE_ADAPTER_KEY)
    bulk_indexes.repair(db)  # a load that died before restoring its indexes
    rows = db.execute("select count(*) from citations").fetchone()[0]
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("PRAGMA cache_size = -131072")
    sqlite3.register_adapter(type(None), _keep_none)
    session = BulkSession(db, rows)
    _SESSIONS[id(db.conn)] = session
    bulk_indexes.active_sessions += 1
    try:
        yield session
    finally:
        try:
            _finish(session)
        finally:
            bulk_indexes.active_sessions -= 1
            _SESSIONS.pop(id(db.conn), None)
            if adapter is None:
                sqlite3.adapters.pop(_NONE_ADAPTER_KEY, None)
            else:
                sqlite3.adapters[_NONE_ADAPTER_KEY] = adapter
            db.execute(f"PRAGMA foreign_keys = {'ON' if enforced else 'OFF'}")
            db.execute(f"PRAGMA cache_size = {int(cache)}")


def _finish(session: BulkSession) -> None:
    """Rebuild the dropped indexes and commit the last group: every batch in it is complete (a
    failed one was rolled back to its savepoint). One commit for both when all goes well; if the
    commit fails, the indexes are rebuilt on their own, and if that fails too the note stays for
    the next open."""
    db = session.db
    try:
        if session.indexes_dropped:
            bulk_indexes.restore(db)
    finally:
        try:
            session.commit()
        except BaseException:
            if db.conn.in_transaction:
                db.conn.rollback()
            raise
        finally:
            if session.indexes_dropped:
                bulk_indexes.restore(db)  # nothing left to do unless the group's rebuild was undone




def active_session(db: sqlite_utils.Database) -> BulkSession | None:
    """The session open on `db`'s connection, if any (`write_batch` asks, so callers need not pass it)."""
    return _SESSIONS.get(id(db.conn))
