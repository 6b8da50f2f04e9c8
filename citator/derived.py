"""Derived tables: case-level treatment and withdrawn-reliance risk, rebuilt from `citations`.

They are recomputed as a whole after every extraction, so they are always consistent with the
reference rows they summarise (the work is small: one pass over the seed references).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils

from citator.citations.goodlaw import propagate_withdrawn
from citator.citations.models import TREATMENT_RANKING, Reference
from citator.db.corrections import MARK, apply_corrections
from citator.citations.provenance import treatment_model_identity
from citator.db import derived as tables
from citator.db import store
from citator.db.ranking import store_ranking

#: citator_meta key holding the identity of the treatment model that labelled the references.
MODEL_META_KEY = "treatment_model"


def _reference(row: dict) -> Reference:
    return Reference(
        start=row["span_start"],
        end=row["span_end"],
        as_written=row["as_written"],
        kind=row["kind"],
        authority_key=row["authority_key"],
        cite=row["cite"],
        pin_cite=row["pin_cite"],
        parenthetical=row["parenthetical"],
        signal=row["signal"] or "none",
        sentence=row["sentence"] or "",
        paragraph=row["context"] or "",
        treatment=row["treatment"],
        confidence=row["confidence"],
        quotation=row["quotation"],
        opinion_part=row["opinion_part"] or "majority",
    )


def rebuild_case_treatments(db: sqlite_utils.Database) -> int:
    """One row per (citing case, seed) from the seed references; returns the row count.

    First hands the database the treatment ranking (the site's SQL and pages read it from there) and
    writes the researchers' corrections onto references a bulk load rewrote, so the roll-up, and
    everything built from it, uses the corrected labels.
    """
    from citator.citations.treatment import aggregate  # here: `citator status` reads model_status only

    store_ranking(db, TREATMENT_RANKING)
    _store_model_identity(db)
    apply_corrections(db)
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in tables.seed_references(db):
        groups[(row["citing_case_id"], row["authority_key"])].append(row)
    rows = []
    for (case_id, key), refs in groups.items():
        summary = aggregate([_reference(r) for r in refs])
        pins = list(dict.fromkeys(r["pin_cite"] for r in refs if r["pin_cite"]))
        parentheticals = list(dict.fromkeys(r["parenthetical"] for r in refs if r["parenthetical"]))
        rows.append(
            {
                "citing_case_id": case_id,
                "authority_key": key,
                "treatment": summary.treatment,
                "depth": summary.depth,
                "references_count": summary.references,
                "confidence": summary.confidence,
                "treatment_counts": json.dumps({k: v for k, v in summary.counts.items() if v}),
                "relies_on_withdrawn": int(summary.treatment != "noted_withdrawn" and any(r["relies_on_withdrawn"] for r in refs)),
                "pin_cites": "; ".join(pins) or None,
                "parentheticals": " | ".join(parentheticals) or None,
                **_corrections_of(refs),
            }
        )
    tables.replace_case_treatments(db, rows)
    return len(rows)


def _store_model_identity(db: sqlite_utils.Database) -> None:
    """Record in citator_meta (`treatment_model`, JSON) which treatment model labelled the references,
    for `citator status` and the site's about page; written only when it changed."""
    value = json.dumps(treatment_model_identity().to_dict(), sort_keys=True)
    if store.get_meta(db, MODEL_META_KEY) != value:
        store.set_meta(db, MODEL_META_KEY, value)


def model_status(db: sqlite_utils.Database) -> dict:
    """The treatment model installed now and the one the stored references were labelled with
    (None before the first extraction), for `citator status`."""
    installed = treatment_model_identity().to_dict()
    stored = store.get_meta(db, MODEL_META_KEY)
    labelled = json.loads(stored) if stored else None
    return {"installed": installed, "labelled_with": labelled,
            "current": labelled is not None and labelled.get("sha256") == installed["sha256"]}


def _corrections_of(refs: list[dict]) -> dict:
    """How many of a case's references to a seed a researcher corrected, and their notes."""
    lines = [json.loads(r["evidence"] or "[]")[:1] for r in refs]
    notes = [line[0][len(MARK):] for line in lines if line and str(line[0]).startswith(MARK)]
    return {"corrected_references": len(notes), "correction_notes": " | ".join(dict.fromkeys(notes)) or None}


def rebuild_withdrawn_risk(db: sqlite_utils.Database) -> int:
    """Mark cases that rely, directly or through other cases, on a withdrawn opinion; returns count.

    Edges come from every resolved reference between stored cases (seed or not), labelled with the
    strongest treatment of that pair; a case is flagged at the source when one of its references
    relies on a withdrawn seed without noting it.
    """
    rank = {label: i for i, label in enumerate(TREATMENT_RANKING)}
    best: dict[tuple[str, str], str | None] = {}
    for citing, cited, treatment in tables.reliance_edges(db):
        pair = (citing, cited)
        current = best.get(pair)
        if pair not in best or rank.get(treatment, 99) < rank.get(current, 99):
            best[pair] = treatment
    # Each flagged case -> the withdrawn decision it relies on (its case id, or the seed's key).
    flagged: dict[str, str] = {}
    for citing, withdrawn in tables.withdrawn_reliance(db):
        flagged.setdefault(citing, withdrawn)
    risky = propagate_withdrawn([(a, b, t) for (a, b), t in best.items()], flagged)
    wanted: dict[str, str] = {case_id: json.dumps([case_id, withdrawn]) for case_id, withdrawn in flagged.items()}
    for case_id, paths in risky.items():
        if case_id not in flagged:
            shortest = min(paths, key=len)
            wanted[case_id] = json.dumps(shortest + [flagged[shortest[-1]]])
    tables.write_withdrawn_risk(db, wanted)
    return len(set(flagged) | set(risky))
