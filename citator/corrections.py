"""Researcher corrections, the glue side: check the label, store the correction, and bring the
tables the site reads up to date at once; and hand corrections to training as labelled rows."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from citator.citations.models import TREATMENTS
from citator.db import corrections
from citator.db.web.summaries import rebuild_summaries
from citator.derived import rebuild_case_treatments, rebuild_withdrawn_risk

UnknownReference = corrections.UnknownReference


def correct(db: sqlite_utils.Database, reference_id: str, treatment: str, note: str | None = None) -> dict[str, Any]:
    """Give reference `reference_id` the treatment `treatment` (one of TREATMENTS), overriding the
    model from now on; returns the stored correction. The case-level treatments, withdrawn-reliance
    risk and the site's summary tables are rebuilt, so the site shows it without a refresh.

    Raises ValueError for an unknown label and UnknownReference for an unknown reference id.
    """
    if treatment not in TREATMENTS:
        raise ValueError(f"unknown treatment {treatment!r}; use one of: {', '.join(TREATMENTS)}")
    stored = corrections.add_correction(db, reference_id, treatment, note)
    rebuild_case_treatments(db)
    rebuild_withdrawn_risk(db)
    rebuild_summaries(db)
    return stored


def training_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every researcher correction as a labelled training row, in the vocabulary of the labelled
    corpora (`../shared/corpus` references.jsonl) plus the text it points into:

    `doc` (the citing opinion's id), `text` and `format` (the opinion as stored: offsets point into
    it, markup included), `start`, `end`, `as_written`, `seed` (the authority key), `treatment` (the
    researcher's label), `note`, `court` (the citing court's id) and `opinion_part`.
    """
    rows = []
    for row in corrections.training_rows(db):
        part = row["opinion_type"] if row["opinion_type"] in ("concurrence", "dissent") else "majority"
        rows.append({
            "doc": row["opinion_id"], "text": row["text"], "format": row["text_format"],
            "start": row["start"], "end": row["end"], "as_written": row["as_written"],
            "seed": row["authority_key"], "treatment": row["treatment"], "note": row["note"],
            "court": row["citing_court"], "opinion_part": part, "reference_id": row["reference_id"],
        })
    return rows
