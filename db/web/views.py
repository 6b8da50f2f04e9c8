"""SQL views answering the questions researchers ask most, each declared with its descriptions.

Views are rebuilt by `citator publish` (drop and create), so changing a definition here needs no
migration, and the metadata for each view is generated from the same declaration as its SQL.

Only views that stay cheap at a million references live here. The aggregating questions (reliance,
counts by court and year, each seed's status) are pre-computed summary tables since schema v6, built
by db/web/summaries.py, because a view grouping every reference is recomputed on every page view.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class View:
    name: str
    description: str
    sql: str
    columns: dict[str, str]
    facets: tuple[str, ...] = ()
    sort_desc: str | None = None
    fts_table: str | None = None
    fts_pk: str | None = None
    facet_links: tuple[str, ...] = ()  # one-click facets, counted only on request (see schema.Table)
    page_size: int | None = None  # rows per page when not Datasette's default (see schema.Table)


CITING_REFERENCES = View(
    "citing_references",
    "One row per reference to a seed, with the citing case, its court and year, and the words around "
    "the reference, newest found first. Searchable: the search box looks in contexts, sentences, parentheticals and quotations.",
    """
select
  c.rowid as ref_rowid,
  c.id as reference_id,
  c.citing_case_id as citing_case_id,
  (select k.name from cases k where k.id = c.citing_case_id) as case_name,
  (select k.court_id from cases k where k.id = c.citing_case_id) as court_id,
  (select k.year from cases k where k.id = c.citing_case_id) as year,
  c.authority_key as authority_key,
  c.as_written as as_written,
  c.kind as kind,
  c.pin_cite as pin_cite,
  c.signal as signal,
  c.parenthetical as parenthetical,
  c.quotation as quotation,
  c.treatment as treatment,
  c.confidence as confidence,
  exists(select 1 from corrections r where r.reference_id = c.id) as corrected,
  (select r.note from corrections r where r.reference_id = c.id) as correction_note,
  c.opinion_part as opinion_part,
  c.in_footnote as in_footnote,
  c.relies_on_withdrawn as relies_on_withdrawn,
  c.sentence as sentence,
  c.context as context,
  c.opinion_id as opinion_id,
  (select k.url from cases k where k.id = c.citing_case_id) as source_url
from citations c
where c.authority_key is not null
""",
    {
        "ref_rowid": "Internal row number of the reference (lets full-text search find rows of this view).",
        "reference_id": "Stable id of the reference (row of the citations table).",
        "citing_case_id": "The citing case.",
        "case_name": "Name of the citing case.",
        "court_id": "Court of the citing case.",
        "year": "Year the citing case was decided.",
        "authority_key": "The seed authority referred to.",
        "as_written": "The reference exactly as the opinion writes it.",
        "kind": "full, short, id, supra, name_only or parallel.",
        "pin_cite": "Pin page(s).",
        "signal": "Introductory signal (see, cf., but see, ...).",
        "parenthetical": "Explanatory parenthetical after the reference.",
        "quotation": "Language quoted from the seed, when found there.",
        "treatment": "Treatment of this reference (followed, relied_on, cited_neutral, distinguished, "
        "criticized_or_declined, noted_withdrawn); empty until the treatment stage has run.",
        "confidence": "Confidence of the treatment label, 0 to 1.",
        "corrected": "1 when a researcher corrected the treatment (see corrections): it overrides the model's label.",
        "correction_note": "The researcher's note on the correction.",
        "opinion_part": "Part of the citing case: majority, concurrence, dissent, syllabus.",
        "in_footnote": "1 when the reference sits in a footnote.",
        "relies_on_withdrawn": "1 when the reference relies on a withdrawn seed without noting the withdrawal.",
        "sentence": "The sentence holding the reference.",
        "context": "The paragraph around the reference.",
        "opinion_id": "The citing opinion (majority, concurrence, dissent).",
        "source_url": "The citing case at its source.",
    },
    # A million rows: no default facets (each would count every reference on every page view) and
    # newest found first (rowid order, no sort); court and year are looked up per row shown, so a
    # page and its row count never join the whole cases table.
    facet_links=("authority_key", "treatment", "kind", "signal", "court_id", "year"),
    sort_desc="ref_rowid",
    page_size=50,  # each row carries its sentence and paragraph, as in citations
    fts_table="citations_fts",
    fts_pk="ref_rowid",
)

VIEWS: tuple[View, ...] = (CITING_REFERENCES,)


#: Indexes the views and site queries need beyond those the schema declares: references are matched
#: to cited cases by normalized citation in second-degree reliance and the network view; the charts
#: count each case's references to seeds from the index alone (not from the wide citation rows).
SITE_INDEXES = (("idx_site_citations_cite", "citations", ("cite",)),
                ("idx_site_citations_case_authority", "citations", ("citing_case_id", "authority_key")))


def create_views(db: sqlite_utils.Database) -> list[str]:
    """(Re)create every view and the indexes they rely on; returns the view names. Idempotent, run
    at every publish."""
    with db.conn:
        for name, table, columns in SITE_INDEXES:
            db.execute(f"create index if not exists [{name}] on [{table}] ({', '.join(columns)})")
        for view in VIEWS:
            db.execute(f"drop view if exists [{view.name}]")
            db.execute(f"create view [{view.name}] as {view.sql.strip()}")
    return [v.name for v in VIEWS]
