"""Researcher corrections of treatments (table `corrections`, schema v9).

A correction is keyed by the reference's stable id (`citations.id`, a hash of the opinion, the span
and the authority), so it finds its reference again after every refresh and re-extraction. It is
applied to the `citations` row itself: every view, summary, canned query, feed and page that reads
`citations.treatment` shows the researcher's label, and the row's evidence says it was corrected,
what the model had said, and why.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils

#: The first evidence line of a corrected reference starts with this.
MARK = "corrected by a researcher: "


class UnknownReference(LookupError):
    """No reference with that id in `citations`."""


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def evidence_line(correction: dict[str, Any]) -> str:
    line = f"{MARK}{correction['treatment']} (the model said {correction['model_treatment'] or 'nothing'})"
    return line + (f": {correction['note']}" if correction.get("note") else "")


def corrected(row: dict[str, Any], correction: dict[str, Any]) -> dict[str, Any]:
    """A `citations` row with `correction` applied: the label, full confidence, and the correction
    as the first line of its evidence (the model's cues follow, for comparison)."""
    evidence = [e for e in json.loads(row.get("evidence") or "[]") if not str(e).startswith(MARK)]
    fixed = {**row, "treatment": correction["treatment"], "confidence": 1.0,
             "evidence": json.dumps([evidence_line(correction), *evidence])}
    if correction["treatment"] == "noted_withdrawn":  # the reference notes the withdrawal after all
        fixed["relies_on_withdrawn"] = 0
    return fixed


def for_opinion(db: sqlite_utils.Database, opinion_id: str) -> dict[str, dict[str, Any]]:
    """The corrections of one opinion's references, by reference id."""
    return {row["reference_id"]: row for row in db.query("select * from corrections where opinion_id = ?", [opinion_id])}


def add_correction(db: sqlite_utils.Database, reference_id: str, treatment: str, note: str | None) -> dict[str, Any]:
    """Record (or replace) a researcher's treatment for one reference and apply it at once.

    Raises UnknownReference when `citations` has no row `reference_id`. The label is not checked
    here (db/ does not know the classifier's labels); the command checks it.
    """
    ref = next(db.query("select * from citations where id = ?", [reference_id]), None)
    if ref is None:
        raise UnknownReference(reference_id)
    previous = next(db.query("select model_treatment from corrections where reference_id = ?", [reference_id]), None)
    correction = {
        "reference_id": reference_id,
        "treatment": treatment,
        "note": note,
        # the model's own label: kept from the first correction, as the row now shows the researcher's
        "model_treatment": previous["model_treatment"] if previous else ref["treatment"],
        "opinion_id": ref["opinion_id"],
        "authority_key": ref["authority_key"],
        "span_start": ref["span_start"],
        "span_end": ref["span_end"],
        "as_written": ref["as_written"],
        "corrected_at": _now(),
    }
    with db.conn:
        db["corrections"].upsert(correction, pk="reference_id")
    apply_corrections(db)
    return correction


def apply_corrections(db: sqlite_utils.Database) -> int:
    """Write every correction onto its reference where the row does not show it yet (a row a bulk
    load or another tool rewrote); returns the rows changed. Writes nothing when all show it."""
    stale = list(db.query(
        """select c.id, c.evidence, c.relies_on_withdrawn, r.* from corrections r
           join citations c on c.id = r.reference_id
           where c.treatment is not r.treatment or c.evidence is null or c.evidence not like ?
              or (r.treatment = 'noted_withdrawn' and c.relies_on_withdrawn = 1)""",
        [f'["{MARK}%']))
    with db.conn:
        for row in stale:
            fixed = corrected({"evidence": row["evidence"], "relies_on_withdrawn": row["relies_on_withdrawn"]}, row)
            db.execute("update citations set treatment = ?, confidence = ?, evidence = ?, relies_on_withdrawn = ? "
                       "where id = ?", [fixed["treatment"], fixed["confidence"], fixed["evidence"],
                                        fixed["relies_on_withdrawn"], row["id"]])
    return len(stale)


def training_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every correction as a labelled row: the citing opinion's text and format, the reference's
    offsets into that text, its authority, the citing court and the researcher's label."""
    return list(db.query(
        """select r.reference_id, r.opinion_id, o.text, o.text_format, o.type as opinion_type,
                  k.court_id as citing_court, r.authority_key, r.span_start as start, r.span_end as "end",
                  r.as_written, r.treatment, r.note
           from corrections r join opinions o on o.id = r.opinion_id left join cases k on k.id = o.case_id
           order by r.opinion_id, r.span_start"""))
