"""A read-only view of a citator database through the standard library's sqlite3 alone.

Commands that only look (`citator status`) run a few SELECTs and counts. Importing sqlite_utils
(and numpy, which sqlite_utils imports whenever it is installed) costs more than the rest of such
a command, so a read-only open (`store.open_database(..., readonly=True)`) returns this view: the
part of `sqlite_utils.Database` the readers in db/ call (`execute`, `query`, `conn`, `close`,
`db[table].count` and `db[table].exists()`), and nothing that writes.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Iterator, Sequence


class ReadOnlyDatabase:
    """An open read-only connection, read the way db/'s query functions read a sqlite_utils Database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters if parameters is not None else ())

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Each row as a dict of column name to value, as `sqlite_utils.Database.query` gives it."""
        cursor = self.execute(sql, params)
        keys = [column[0] for column in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row))

    def __getitem__(self, name: str) -> "ReadOnlyTable":
        return ReadOnlyTable(self, name)

    def close(self) -> None:
        self.conn.close()


class ReadOnlyTable:
    """`db[name]`: whether the table exists and how many rows it holds."""

    def __init__(self, db: ReadOnlyDatabase, name: str) -> None:
        self.db = db
        self.name = name

    def exists(self) -> bool:
        return self.db.execute("select 1 from sqlite_master where type = 'table' and name = ?",
                               [self.name]).fetchone() is not None

    @property
    def count(self) -> int:
        quoted = self.name.replace('"', '""')
        return self.db.execute(f'select count(*) from "{quoted}"').fetchone()[0]
