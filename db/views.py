"""SQL views answering the questions researchers ask most, each declared with its descriptions.

Views are rebuilt by `citator publish` (drop and create), so changing a definition here needs no
migration, and the metadata for each view is generated from the same declaration as its SQL.

Case-level treatment and depth come from `case_treatments` when the treatment stage has filled it;
until then they are estimated from the references themselves (see `_STRONGEST_TREATMENT` and
`_ESTIMATED_DEPTH`), so the site is useful on a database that has references but no case labels.
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


#: Treatments ranked so that the one a researcher most needs to see wins when a case's references
#: disagree: criticism and distinguishing first, then a noted withdrawal, then reliance.
TREATMENT_RANK = (
    "criticized_or_declined",
    "distinguished",
    "noted_withdrawn",
    "followed",
    "relied_on",
    "cited_neutral",
)

_RANK_CASE = "case c.treatment " + " ".join(
    f"when '{t}' then {i}" for i, t in enumerate(TREATMENT_RANK)
) + " else 99 end"
_RANK_BACK = "case min(" + _RANK_CASE + ") " + " ".join(
    f"when {i} then '{t}'" for i, t in enumerate(TREATMENT_RANK)
) + " else null end"

#: Estimated depth when case_treatments has no row: a bare name is a mention; one reference a
#: citation; a parenthetical, quotation or a few references a discussion; five or more an examination.
_ESTIMATED_DEPTH = """case
      when count(*) >= 5 then 'examined'
      when count(*) >= 2 or max(c.parenthetical is not null and c.parenthetical != '')
           or max(c.quotation is not null and c.quotation != '') then 'discussed'
      when max(c.kind) = 'name_only' and min(c.kind) = 'name_only' then 'mentioned'
      else 'cited' end"""

RELIANCE = View(
    "reliance",
    "One row per citing case and seed authority: who cites the seed, in which court and year, how "
    "(treatment) and how deeply, with every pin cite, parenthetical and a link to the case at its source.",
    f"""
select
  c.citing_case_id as citing_case_id,
  k.name as case_name,
  k.court_id as court_id,
  k.court as court,
  k.year as year,
  k.decision_date as decision_date,
  k.citation as citation,
  c.authority_key as authority_key,
  a.status as authority_status,
  coalesce(ct.treatment, {_RANK_BACK}) as treatment,
  coalesce(ct.depth, {_ESTIMATED_DEPTH}) as depth,
  count(*) as references_count,
  (select group_concat(pin, ', ') from (
     select distinct x.pin_cite as pin from citations x
     where x.citing_case_id = c.citing_case_id and x.authority_key = c.authority_key
       and x.pin_cite is not null and x.pin_cite != '' order by x.pin_cite)) as pin_cites,
  (select group_concat(par, ' | ') from (
     select distinct x.parenthetical as par from citations x
     where x.citing_case_id = c.citing_case_id and x.authority_key = c.authority_key
       and x.parenthetical is not null and x.parenthetical != '')) as parentheticals,
  max(c.relies_on_withdrawn) as relies_on_withdrawn,
  min(fr.started_at) as first_seen,
  k.url as source_url
from citations c
join cases k on k.id = c.citing_case_id
left join authorities a on a.key = c.authority_key
left join case_treatments ct
  on ct.citing_case_id = c.citing_case_id and ct.authority_key = c.authority_key
left join runs fr on fr.id = c.first_seen_run
where c.authority_key is not null
group by c.citing_case_id, c.authority_key
""",
    {
        "citing_case_id": "The citing case (links to its case page).",
        "case_name": "Name of the citing case.",
        "court_id": "Court of the citing case (CourtListener id, e.g. ca6).",
        "court": "Court name.",
        "year": "Year the citing case was decided.",
        "decision_date": "Date the citing case was decided.",
        "citation": "Reporter citation of the citing case.",
        "authority_key": "The seed authority cited.",
        "authority_status": "Good-law status of the seed: good, withdrawn, reversed, vacated or superseded.",
        "treatment": "How the case treats the seed overall: from case_treatments when labelled, otherwise the "
        "most significant treatment among its references (criticism and distinguishing outrank reliance).",
        "depth": "mentioned, cited, discussed or examined: from case_treatments when labelled, otherwise estimated "
        "from the number of references, parentheticals and quotations.",
        "references_count": "Number of references the case makes to the seed.",
        "pin_cites": "Distinct pin pages cited, comma-separated.",
        "parentheticals": "Distinct explanatory parentheticals, joined with ' | '.",
        "relies_on_withdrawn": "1 when a reference relies on a withdrawn seed without noting the withdrawal.",
        "first_seen": "When citator first found a reference of this case to the seed (start of that run, UTC).",
        "source_url": "The case at its source (CourtListener or the Caselaw Access Project).",
    },
    facets=("authority_key", "treatment", "depth", "court_id"),
    sort_desc="decision_date",
)

CITING_REFERENCES = View(
    "citing_references",
    "One row per reference to a seed, with the citing case, its court and year, and the words around "
    "the reference. Searchable: the search box looks in contexts, sentences, parentheticals and quotations.",
    """
select
  c.rowid as ref_rowid,
  c.id as reference_id,
  c.citing_case_id as citing_case_id,
  k.name as case_name,
  k.court_id as court_id,
  k.year as year,
  c.authority_key as authority_key,
  c.as_written as as_written,
  c.kind as kind,
  c.pin_cite as pin_cite,
  c.signal as signal,
  c.parenthetical as parenthetical,
  c.quotation as quotation,
  c.treatment as treatment,
  c.confidence as confidence,
  c.opinion_part as opinion_part,
  c.in_footnote as in_footnote,
  c.relies_on_withdrawn as relies_on_withdrawn,
  c.sentence as sentence,
  c.context as context,
  c.opinion_id as opinion_id,
  k.url as source_url
from citations c
join cases k on k.id = c.citing_case_id
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
        "opinion_part": "Part of the citing case: majority, concurrence, dissent, syllabus.",
        "in_footnote": "1 when the reference sits in a footnote.",
        "relies_on_withdrawn": "1 when the reference relies on a withdrawn seed without noting the withdrawal.",
        "sentence": "The sentence holding the reference.",
        "context": "The paragraph around the reference.",
        "opinion_id": "The citing opinion (majority, concurrence, dissent).",
        "source_url": "The citing case at its source.",
    },
    facets=("authority_key", "treatment", "kind", "signal", "court_id"),
    sort_desc="year",
    fts_table="citations_fts",
    fts_pk="ref_rowid",
)

REFERENCES_BY_COURT_YEAR = View(
    "references_by_court_year",
    "Counts of references to each seed and of the cases making them, by court and year: the table "
    "behind the charts.",
    """
select
  c.authority_key as authority_key,
  k.court_id as court_id,
  k.court as court,
  k.year as year,
  count(*) as references_count,
  count(distinct c.citing_case_id) as citing_cases
from citations c
join cases k on k.id = c.citing_case_id
where c.authority_key is not null
group by c.authority_key, k.court_id, k.year
""",
    {
        "authority_key": "The seed authority.",
        "court_id": "Court of the citing cases.",
        "court": "Court name.",
        "year": "Year the citing cases were decided.",
        "references_count": "References to the seed from that court in that year.",
        "citing_cases": "Distinct cases from that court in that year citing the seed.",
    },
    facets=("authority_key", "court_id", "year"),
    sort_desc="year",
)

AUTHORITY_STATUS = View(
    "authority_status",
    "Each seed authority with its good-law status, subsequent history and how often, and how "
    "negatively, it is cited.",
    """
select
  a.key as authority_key,
  a.name as name,
  a.citation as citation,
  a.court as court,
  a.decided as decided,
  a.status as status,
  a.history as history,
  a.case_id as case_id,
  (select count(*) from citations c where c.authority_key = a.key) as references_count,
  (select count(distinct c.citing_case_id) from citations c where c.authority_key = a.key) as citing_cases,
  (select count(distinct c.citing_case_id) from citations c where c.authority_key = a.key
     and c.treatment in ('distinguished', 'criticized_or_declined')) as negative_cases,
  (select count(*) from citations c where c.authority_key = a.key and c.relies_on_withdrawn = 1)
     as relies_on_withdrawn_references,
  (select max(k.year) from citations c join cases k on k.id = c.citing_case_id
     where c.authority_key = a.key) as last_cited_year
from authorities a
""",
    {
        "authority_key": "Short stable name of the seed, e.g. bernstein-9th.",
        "name": "Case name as usually cited.",
        "citation": "Primary reporter citation.",
        "court": "Court id.",
        "decided": "Decision date.",
        "status": "Good-law status: good, withdrawn, reversed, vacated or superseded.",
        "history": "Subsequent history (JSON list of {relation, citation, date, note}).",
        "case_id": "The harvested case for this seed, when citator holds its text.",
        "references_count": "References to the seed found so far.",
        "citing_cases": "Distinct cases citing the seed.",
        "negative_cases": "Cases with at least one reference that distinguishes or criticizes the seed.",
        "relies_on_withdrawn_references": "References relying on the seed although it was withdrawn, without noting it.",
        "last_cited_year": "Most recent year a case cited the seed.",
    },
    facets=("status",),
)

VIEWS: tuple[View, ...] = (RELIANCE, CITING_REFERENCES, REFERENCES_BY_COURT_YEAR, AUTHORITY_STATUS)


#: Indexes the views and site queries need beyond those the schema declares: references are matched
#: to cited cases by normalized citation in second-degree reliance and the network view.
SITE_INDEXES = (("idx_site_citations_cite", "citations", ("cite",)),)


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
