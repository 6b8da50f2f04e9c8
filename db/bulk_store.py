"""Batched writes for `citator bulk`: one writer, executemany for references, batches grouped in
transactions by the bulk session (db/bulk_session.py).

`references.replace_references` writes one opinion at a time through sqlite-utils, which is right for
an API harvest and too slow for a full-graph scan of a bulk dump (millions of rows). Here a batch
of opinions is written at once, each batch atomic (a savepoint): cases and opinions still go
through `corpus.upsert_case` and `corpus.upsert_opinion`, so bulk rows dedupe against API rows
exactly as the harvesters' do; references keep the same stable ids and `first_seen_run` as
`references.replace_references`, and an opinion's rows that its new references no longer include are
deleted.

Where the time went (bench/bulk_scan.py `writer_rate`), and what is done about it:

* rows that are new are inserted with one executemany; an opinion stored before has its rows read
  back and only those that differ go through the upsert, so a rerun writes nothing and each row
  keeps its rowid (a delete-then-insert rewrote every row and every index);
* None values, index maintenance, commits and foreign-key checks: see db/bulk_session.py;
* the per-opinion case and opinion upserts are plain SQL (store.py);
* no cyclic garbage collection while a batch is written (`_gc_paused`).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import sqlite_utils

from citator.db import bulk_indexes, corpus, records as db_records
from citator.db.bulk_session import active_session, bulk_session
from citator.db.records import ReferenceFields
from citator.db.references import COLUMNS, reference_id, reference_values

__all__ = ["BatchCounts", "BatchItem", "bulk_session", "upsert_reference_rows", "write_batch"]

_COLUMNS = list(COLUMNS)
_UPDATED = [c for c in _COLUMNS if c not in ("id", "first_seen_run")]
_FIRST_SEEN = _COLUMNS.index("first_seen_run")
#: Insert a new row; update a stored one only when a value differs. `first_seen_run` is kept (set
#: when missing), as `references.replace_references` keeps it.
_UPSERT = (
    f"insert into citations ({', '.join(_COLUMNS)}) values ({', '.join('?' for _ in _COLUMNS)}) "
    f"on conflict (id) do update set {', '.join(f'{c} = excluded.{c}' for c in _UPDATED)}, "
    "first_seen_run = coalesce(citations.first_seen_run, excluded.first_seen_run) "
    f"where citations.first_seen_run is null "
    f"or ({', '.join(f'citations.{c}' for c in _UPDATED)}) is not ({', '.join(f'excluded.{c}' for c in _UPDATED)})"
)


def upsert_reference_rows(db: sqlite_utils.Database, rows: Sequence[tuple]) -> int:
    """Insert or update citation rows with one executemany; returns the rows changed. The caller
    holds the transaction."""
    before = db.conn.total_changes
    db.conn.executemany(_UPSERT, rows)
    return db.conn.total_changes - before


@dataclass
class BatchCounts:
    new_cases: int = 0
    new_opinions: int = 0
    new_references: int = 0
    reference_rows: int = 0


@dataclass
class BatchItem:
    """One scanned opinion to store: its case and opinion records and the references found."""

    case: db_records.CaseRecord
    opinion: db_records.OpinionRecord
    references: list[ReferenceFields] = field(default_factory=list)


def write_batch(
    db: sqlite_utils.Database,
    items: Iterable[BatchItem],
    *,
    cited_case_ids: dict[str, str | None],
    run_id: int | None,
) -> BatchCounts:
    """Store a batch of scanned opinions and their references, in one transaction.

    Each opinion's references replace its previous ones: rows it still has are updated only if a
    value changed (keeping `first_seen_run`), new ones inserted, the others deleted.
    """
    counts = BatchCounts()
    items = list(items)
    if not items:
        return counts
    session = active_session(db)
    if session is not None:
        session.before_batch()
    conn = db.conn
    with _gc_paused(), db.atomic():  # a savepoint inside the session's group transaction; sqlite-utils' writes nest too
        placed: list[tuple[str, str, list[ReferenceFields]]] = []
        stored_before: list[str] = []  # opinions that may have rows from earlier runs
        for item in items:
            case_id, case_new = corpus.upsert_case(db, item.case, run_id)
            counts.new_cases += case_new
            opinion = item.opinion
            if opinion.case_id != case_id:
                opinion = db_records.OpinionRecord(**{**opinion.__dict__, "case_id": case_id})
            opinion_new, _ = corpus.upsert_opinion(db, opinion)
            counts.new_opinions += opinion_new
            placed.append((opinion.id, case_id, item.references))
            if not opinion_new:
                stored_before.append(opinion.id)
        if stored_before and session is not None and session.indexes_dropped:
            bulk_indexes.ensure(db)
        previous = _stored_rows(db, stored_before)
        rows = _rows(placed, cited_case_ids, run_id)
        counts.reference_rows = len(rows)
        counts.new_references = sum(1 for r in rows if r[0] not in previous) if previous else len(rows)
        changed = upsert_reference_rows(db, [r for r in rows if not _unchanged(previous.get(r[0]), r)] if previous else rows)
        stale = list(previous.keys() - {r[0] for r in rows}) if previous else []
        for start in range(0, len(stale), 500):
            chunk = stale[start : start + 500]
            changed += conn.execute(f"delete from citations where id in ({','.join('?' for _ in chunk)})", chunk).rowcount
    if session is not None:
        session.after_batch(changed)
    return counts


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is written. A batch allocates tens of thousands
    of row tuples, which set off collections that walk every object the process holds (the scan's
    included); the batch makes no reference cycles, and collection resumes right after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _stored_rows(db: sqlite_utils.Database, opinion_ids: Sequence[str]) -> dict[str, tuple]:
    """The stored rows of these opinions by id, in `_COLUMNS` order."""
    stored: dict[str, tuple] = {}
    for start in range(0, len(opinion_ids), 500):
        chunk = opinion_ids[start : start + 500]
        query = f"select {', '.join(_COLUMNS)} from citations where opinion_id in ({','.join('?' for _ in chunk)})"
        stored.update((row[0], row) for row in db.conn.execute(query, chunk))
    return stored


def _unchanged(stored: tuple | None, row: tuple) -> bool:
    """Whether `row` is already stored as it is (its `first_seen_run` kept and set). Reading an
    opinion's rows back and comparing them here costs a fraction of sending them through the
    upsert, which a rerun would do for every row; when this says changed, the upsert decides."""
    if stored is None or stored[_FIRST_SEEN] is None:
        return False
    return stored[:_FIRST_SEEN] == row[:_FIRST_SEEN] and stored[_FIRST_SEEN + 1:] == row[_FIRST_SEEN + 1:]


def _rows(placed: Sequence[tuple[str, str, list[ReferenceFields]]], cited_case_ids: dict[str, str | None],
          run_id: int | None) -> list[tuple]:
    """The batch's citation rows in `_COLUMNS` order, the first of any repeated id only."""
    rows: list[tuple] = []
    seen: set[str] = set()
    append, cited_of = rows.append, cited_case_ids.get
    for opinion_id, case_id, references in placed:
        for ref in references:
            rid = reference_id(opinion_id, ref)
            if rid in seen:
                continue
            seen.add(rid)
            cited = cited_of(ref.authority_key) if ref.authority_key else None
            append(reference_values(rid, opinion_id, case_id, ref, cited, run_id))
    return rows
