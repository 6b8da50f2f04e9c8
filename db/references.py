"""The `citations` table: one row per reference found in an opinion, with a stable id, written a
whole opinion at a time (the bulk writer, db/bulk_store.py, builds its rows here too).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, Sequence

from citator.db import corrections
from citator.db.records import ReferenceFields, utcnow
from citator.db.schema import CITATIONS

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils


def reference_id(opinion_id: str, ref: ReferenceFields) -> str:
    key = f"{opinion_id}|{ref.start}|{ref.end}|{ref.authority_key or ref.cite or ''}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


#: The `citations` columns in the order `reference_values` fills them: the schema's order
#: (db/schema.py), checked below so the two cannot drift apart unnoticed.
COLUMNS = ("id", "opinion_id", "citing_case_id", "authority_key", "cited_case_id", "as_written", "cite", "kind",
           "pin_cite", "parenthetical", "signal", "span_start", "span_end", "sentence", "context", "in_footnote",
           "opinion_part", "ambiguous", "candidates", "subsequent_history", "quotation", "treatment", "confidence",
           "evidence", "relies_on_withdrawn", "first_seen_run", "resolution_note")
if COLUMNS != tuple(c.name for c in CITATIONS.columns):
    raise ImportError("db/references.py COLUMNS no longer follow the citations table of db/schema.py")


def reference_values(rid: str, opinion_id: str, citing_case_id: str, ref: ReferenceFields, cited_case_id: str | None,
                     first_seen_run: int | None) -> tuple:
    """The one mapping from a found reference to its `citations` row, as values in `COLUMNS` order;
    `rid` is its `reference_id`. Used by every writer (extraction here, `citator bulk` in
    db/bulk_store.py, whose hot loop is why this builds a tuple without an intermediate dict)."""
    candidates, evidence = ref.candidates, ref.evidence
    return (
        rid, opinion_id, citing_case_id, ref.authority_key, cited_case_id, ref.as_written, ref.cite, ref.kind,
        ref.pin_cite, ref.parenthetical, ref.signal, ref.start, ref.end, ref.sentence, ref.paragraph,
        1 if ref.in_footnote else 0, ref.opinion_part, 1 if ref.ambiguous else 0,
        json.dumps(list(candidates)) if candidates else "[]",
        ref.subsequent_history, ref.quotation, ref.treatment, ref.confidence,
        json.dumps(list(evidence)) if evidence else "[]",
        1 if ref.extra.get("relies_on_withdrawn") else 0, first_seen_run, ref.resolution_note,
    )


def citation_row(
    opinion_id: str, citing_case_id: str, ref: ReferenceFields, cited_case_id: str | None, first_seen_run: int | None
) -> dict[str, Any]:
    """The `citations` row for one reference, by column name (`reference_values`)."""
    rid = reference_id(opinion_id, ref)
    return dict(zip(COLUMNS, reference_values(rid, opinion_id, citing_case_id, ref, cited_case_id, first_seen_run)))


def replace_references(
    db: sqlite_utils.Database,
    opinion_id: str,
    citing_case_id: str,
    references: Sequence[ReferenceFields],
    *,
    cited_case_ids: dict[str, str | None],
    run_id: int | None = None,
) -> int:
    """Replace the references of one opinion; returns how many were not there before.

    Rows keep `first_seen_run` across reruns so "new since" queries and feeds stay truthful. A
    researcher's correction (table `corrections`) is applied to its reference as it is written, and
    with `run_id` each reference whose treatment changed is recorded in `changes`
    (`treatment_changed`, e.g. after a new treatment model re-labelled it).
    """
    previous = {
        row["id"]: (row["first_seen_run"], row["treatment"])
        for row in db.query("select id, first_seen_run, treatment from citations where opinion_id = ?", [opinion_id])
    }
    fixes = corrections.for_opinion(db, opinion_id)
    rows = []
    for ref in references:
        rid = reference_id(opinion_id, ref)
        cited = cited_case_ids.get(ref.authority_key) if ref.authority_key else ref.extra.get("cited_case_id")
        row = citation_row(opinion_id, citing_case_id, ref, cited, (previous.get(rid) or (None,))[0] or run_id)
        rows.append(corrections.corrected(row, fixes[rid]) if rid in fixes else row)
    relabelled = [
        (r["id"], f"{previous[r['id']][1]} -> {r['treatment']}")
        for r in rows
        if r["id"] in previous and previous[r["id"]][1] != r["treatment"]
    ]
    with db.conn:
        db.execute("delete from citations where opinion_id = ?", [opinion_id])
        if rows:
            db["citations"].insert_all(rows, pk="id")
        if run_id is not None and relabelled:
            db.conn.executemany(
                "insert into changes (run_id, kind, row_id, at, detail) values (?, 'treatment_changed', ?, ?, ?)",
                [(run_id, rid, utcnow(), detail) for rid, detail in relabelled],
            )
    return sum(1 for r in rows if r["id"] not in previous)
