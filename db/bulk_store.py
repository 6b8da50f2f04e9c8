"""Batched writes for `citator bulk`: one writer, one transaction per batch, executemany for references.

`store.replace_references` writes one opinion at a time through sqlite-utils, which is right for
an API harvest and too slow for a full-graph scan of a bulk dump (millions of rows). Here a batch
of opinions is written in one transaction: cases and opinions still go through `store.upsert_case`
and `store.upsert_opinion`, so bulk rows dedupe against API rows exactly as the harvesters' do;
references are replaced with one DELETE and one INSERT executemany per batch, keeping the same
stable ids and `first_seen_run` as `store.replace_references`.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import sqlite_utils

from citator.citations.models import Reference
from citator.db import store
from citator.db.schema import CITATIONS

_COLUMNS = [c.name for c in CITATIONS.columns]
_INSERT = f"insert or replace into citations ({', '.join(_COLUMNS)}) values ({', '.join('?' for _ in _COLUMNS)})"


def _json_list(values: tuple | list) -> str:
    return json.dumps(list(values)) if values else "[]"


def reference_row(opinion_id: str, citing_case_id: str, ref: Reference, cited_case_id: str | None, first_seen_run: int | None) -> tuple:
    """The `citations` row for one reference, as a tuple in `_COLUMNS` order (`store.citation_row`)."""
    values = store.citation_row(opinion_id, citing_case_id, ref, cited_case_id, first_seen_run)
    return tuple(values.get(c) for c in _COLUMNS)


#: The citations columns in schema order as of schema v2; while they match, rows are built directly.
_KNOWN = ("id", "opinion_id", "citing_case_id", "authority_key", "cited_case_id", "as_written", "cite", "kind",
          "pin_cite", "parenthetical", "signal", "span_start", "span_end", "sentence", "context", "in_footnote",
          "opinion_part", "ambiguous", "candidates", "subsequent_history", "quotation", "treatment", "confidence",
          "evidence", "relies_on_withdrawn", "first_seen_run")


def _fast_row(rid: str, opinion_id: str, citing_case_id: str, ref: Reference, cited_case_id: str | None, first_seen_run: int | None) -> tuple:
    """`reference_row` without the intermediate dict (the writer's hot loop)."""
    return (
        rid, opinion_id, citing_case_id, ref.authority_key, cited_case_id, ref.as_written, ref.cite, ref.kind,
        ref.pin_cite, ref.parenthetical, ref.signal, ref.start, ref.end, ref.sentence, ref.paragraph,
        int(ref.in_footnote), ref.opinion_part, int(ref.ambiguous), _json_list(ref.candidates),
        ref.subsequent_history, ref.quotation, ref.treatment, ref.confidence, _json_list(ref.evidence),
        int(bool(ref.extra.get("relies_on_withdrawn"))), first_seen_run,
    )


_FAST = tuple(_COLUMNS) == _KNOWN




def insert_reference_rows(db: sqlite_utils.Database, rows: Sequence[tuple]) -> None:
    """Insert (or replace) citation rows with one executemany; the caller holds the transaction."""
    db.conn.executemany(_INSERT, rows)


@contextmanager
def bulk_session(db: sqlite_utils.Database) -> Iterator[None]:
    """Connection settings for one bulk writer: a 128 MB page cache, and foreign keys checked by
    construction rather than per row.

    `write_batch` stores a batch's cases and opinions before their references, in one transaction,
    and authorities are stored before the first batch, so every reference row points at rows that
    exist; the per-row checks (four lookups a row) cost a third of the insert rate. They are back
    on when the session ends, and the tests run `PRAGMA foreign_key_check` after bulk runs.
    """
    enforced = db.execute("PRAGMA foreign_keys").fetchone()[0]
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("PRAGMA cache_size = -131072")
    try:
        yield
    finally:
        db.execute(f"PRAGMA foreign_keys = {'ON' if enforced else 'OFF'}")
        db.execute(f"PRAGMA cache_size = {int(cache)}")


@dataclass
class BatchCounts:
    new_cases: int = 0
    new_opinions: int = 0
    new_references: int = 0
    reference_rows: int = 0


@dataclass
class BatchItem:
    """One scanned opinion to store: its case and opinion records and the references found."""

    case: store.CaseRecord
    opinion: store.OpinionRecord
    references: list[Reference] = field(default_factory=list)


def write_batch(
    db: sqlite_utils.Database,
    items: Iterable[BatchItem],
    *,
    cited_case_ids: dict[str, str | None],
    run_id: int | None,
) -> BatchCounts:
    """Store a batch of scanned opinions and replace their references, in one transaction."""
    counts = BatchCounts()
    items = list(items)
    if not items:
        return counts
    conn = db.conn
    with db.atomic():  # sqlite-utils' own writes nest inside as savepoints
        placed: list[tuple[str, str, list[Reference]]] = []
        for item in items:
            case_id, case_new = store.upsert_case(db, item.case, run_id)
            counts.new_cases += case_new
            opinion = item.opinion
            if opinion.case_id != case_id:
                opinion = store.OpinionRecord(**{**opinion.__dict__, "case_id": case_id})
            opinion_new, _ = store.upsert_opinion(db, opinion)
            counts.new_opinions += opinion_new
            placed.append((opinion.id, case_id, item.references))
        opinion_ids = [p[0] for p in placed]
        previous: dict[str, int | None] = {}
        for start in range(0, len(opinion_ids), 500):
            chunk = opinion_ids[start : start + 500]
            marks = ",".join("?" for _ in chunk)
            previous.update(conn.execute(f"select id, first_seen_run from citations where opinion_id in ({marks})", chunk).fetchall())
            conn.execute(f"delete from citations where opinion_id in ({marks})", chunk)
        rows = []
        seen: set[str] = set()
        for opinion_id, case_id, references in placed:
            for ref in references:
                cited = cited_case_ids.get(ref.authority_key) if ref.authority_key else None
                rid = store.reference_id(opinion_id, ref)
                if rid in seen:
                    continue
                seen.add(rid)
                counts.new_references += rid not in previous
                first = previous.get(rid) or run_id
                if _FAST:
                    rows.append(_fast_row(rid, opinion_id, case_id, ref, cited, first))
                else:
                    rows.append(reference_row(opinion_id, case_id, ref, cited, first))
        insert_reference_rows(db, rows)
        counts.reference_rows = len(rows)
    return counts
