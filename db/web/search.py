"""Full-text search over opinion text and the words around references, rebuilt at publish.

The indexes are FTS5 tables with external content (`opinions_fts`, `citations_fts`), which Datasette
detects and offers as a search box on the table pages. They carry no triggers: harvesting and
extraction write many rows, and an index rebuilt once per publish costs far less than one updated
on every write. `citator refresh` always publishes, so the index is never older than the data served.
"""

from __future__ import annotations

import sqlite_utils

#: table -> columns indexed for full-text search.
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "opinions": ("text",),
    "citations": ("context", "sentence", "parenthetical", "quotation", "as_written"),
}


def build_search(db: sqlite_utils.Database) -> list[str]:
    """Create any missing index and rebuild all of them; returns the FTS table names."""
    names = []
    for table, columns in FTS_COLUMNS.items():
        fts = f"{table}_fts"
        current = [c.name for c in db[fts].columns] if db[fts].exists() else None
        if current != list(columns):
            db[table].enable_fts(list(columns), fts_version="FTS5", tokenize="porter", create_triggers=False, replace=True)
        db[table].rebuild_fts()
        count_index(db, fts)
        names.append(fts)
    return names


def count_index(db: sqlite_utils.Database, fts: str) -> None:
    """An index on the id of the FTS5 table's `_data` shadow table, so that counting its rows reads
    the index. Datasette counts every table on each view of a database served mutable, and SQLite
    counts a table without an index by reading every page of it in one uninterruptible step: the
    `_data` table holds the whole full-text index in blobs, 58-91 ms for citations_fts_data at a
    million references (bench/site_latency.py), against well under a millisecond through this index.
    FTS5 writes the table with ordinary SQL, so the index stays current; it goes with the FTS table
    when that is dropped and rebuilt."""
    db.execute(f"create index if not exists [{fts}_data_count] on [{fts}_data] (id)")
