"""Summary tables of the references, rebuilt whole from `citations` (schema v6, issue 8).

`reliance`, `references_by_court_year` and `authority_status` were views grouping every reference,
and the cited_for query grouped every reference to a seed by pin page.
Datasette runs a table page's query, its row count and each facet over the whole view, so at a
million references every page view regrouped a million rows several times (seconds). They are now
tables with the same names, columns and rows, written here with the SQL the views used (and
`pin_cite_counts` with cited_for's counts for every seed at once, and, since v7, `second_degree_links`
with the second_degree query's rows for every seed):

* after every extract and bulk run (citator/pipeline.py, citator/bulk.py), next to case_treatments;
* at publish, when the data they summarise changed since they were built (a database written by
  another tool, or one migrated from schema v5), detected by `source_signature`.

A rebuild replaces every row in one transaction, so it is idempotent and readers never see a half
rebuilt table.
"""

from __future__ import annotations

import sqlite_utils

from citator.db.schema import AUTHORITY_STATUS, PIN_CITE_COUNTS, REFERENCES_BY_COURT_YEAR, RELIANCE, SECOND_DEGREE_LINKS, Table
from citator.db import pins
from citator.db.ranking import STRONGEST_TREATMENT_SQL

#: citator_meta key holding the `source_signature` the summaries were last built from.
SIGNATURE_KEY = "site_summaries_signature"

#: Estimated depth when case_treatments has no row: a bare name is a mention; one reference a
#: citation; a parenthetical, quotation or a few references a discussion; five or more an examination.
_ESTIMATED_DEPTH = """case
      when count(*) >= 5 then 'examined'
      when count(*) >= 2 or max(c.parenthetical is not null and c.parenthetical != '')
           or max(c.quotation is not null and c.quotation != '') then 'discussed'
      when max(c.kind) = 'name_only' and min(c.kind) = 'name_only' then 'mentioned'
      else 'cited' end"""

#: The former view's SQL. The unary `+` in the per-group subqueries keeps SQLite on the
#: citing_case_id index (about ten references per case): without ANALYZE statistics, which citator
#: never gathers, it picked an authority_key index and read every reference to the seed for each of
#: the ~400,000 groups at a million references (hours instead of ~20 s).
RELIANCE_SQL = f"""
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
  coalesce(ct.treatment, {STRONGEST_TREATMENT_SQL}) as treatment,
  coalesce(ct.depth, {_ESTIMATED_DEPTH}) as depth,
  count(*) as references_count,
  (select group_concat(pin, ', ') from (
     select distinct x.pin_cite as pin from citations x
     where x.citing_case_id = c.citing_case_id and +x.authority_key = c.authority_key
       and x.pin_cite is not null and x.pin_cite != '' order by x.pin_cite)) as pin_cites,
  (select group_concat(par, ' | ') from (
     select distinct x.parenthetical as par from citations x
     where x.citing_case_id = c.citing_case_id and +x.authority_key = c.authority_key
       and x.parenthetical is not null and x.parenthetical != '')) as parentheticals,
  max(c.relies_on_withdrawn) as relies_on_withdrawn,
  min(fr.started_at) as first_seen,
  k.url as source_url,
  coalesce(ct.corrected_references, 0) as corrected_references,
  ct.correction_notes as correction_notes
from citations c
join cases k on k.id = c.citing_case_id
left join authorities a on a.key = c.authority_key
left join case_treatments ct
  on ct.citing_case_id = c.citing_case_id and ct.authority_key = c.authority_key
left join runs fr on fr.id = c.first_seen_run
left join treatment_ranks tr on tr.treatment = c.treatment
where c.authority_key is not null
group by c.citing_case_id, c.authority_key
"""

REFERENCES_BY_COURT_YEAR_SQL = """
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
"""

AUTHORITY_STATUS_SQL = """
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
"""

def _distinct_in_first_order(column: str) -> str:
    """Per seed and pin page, the distinct non-empty values of `column` in the order first found
    (rowid order), joined with ' | ': one pass over the references instead of one per page."""
    return f"""
  select authority_key, pin_page, group_concat({column}, ' | ') as {column}s from (
    select authority_key, pin_page, {column}, min(rid) as first_found from refs
    where coalesce({column}, '') != '' group by authority_key, pin_page, {column}
    order by authority_key, pin_page, first_found)
  group by authority_key, pin_page"""


#: A reference counts once for every page its pin covers (db/pins.py: "1139-41" is 1139, 1140 and
#: 1141), through the SQL function citator_pin_pages that `rebuild_summaries` registers.
PIN_CITE_COUNTS_SQL = f"""
with refs as (
  select c.rowid as rid, c.authority_key, p.value as pin_page,
    c.citing_case_id, c.parenthetical, c.quotation
  from citations c, json_each(citator_pin_pages(c.pin_cite)) p where c.authority_key is not null
),
pages as (
  select authority_key, pin_page, count(*) as references_count, count(distinct citing_case_id) as citing_cases
  from refs group by authority_key, pin_page
),
pars as ({_distinct_in_first_order("parenthetical")}),
quotes as ({_distinct_in_first_order("quotation")})
select p.authority_key, p.pin_page, p.references_count, p.citing_cases, pars.parentheticals, quotes.quotations
from pages p
left join pars on pars.authority_key = p.authority_key and pars.pin_page = p.pin_page
left join quotes on quotes.authority_key = p.authority_key and quotes.pin_page = p.pin_page
"""

#: The second_degree query as it was before v7, for every seed at once, read from `reliance` (so it
#: is rebuilt after it): a link is a reference of one case to another (the via case) that cites the
#: seed, found by the cited case id or by a reporter citation of the via case.
SECOND_DEGREE_LINKS_SQL = """
with first as (
  select citing_case_id as case_id, authority_key, treatment, depth from reliance
),
links as (
  select x.id, x.citing_case_id, f.case_id as via_case_id, f.authority_key
  from citations x join first f on x.cited_case_id = f.case_id
  union
  select x.id, x.citing_case_id, cc.case_id, f.authority_key
  from first f cross join case_citations cc on cc.case_id = f.case_id cross join citations x on x.cite = cc.cite
)
select l.authority_key, l.citing_case_id, k.name as case_name, k.court, k.year, k.decision_date,
  l.via_case_id, v.name as via_case_name, f.treatment as via_treatment, f.depth as via_depth,
  count(distinct l.id) as references_count, k.url as source_url
from links l
join first f on f.case_id = l.via_case_id and f.authority_key = l.authority_key
join cases k on k.id = l.citing_case_id
join cases v on v.id = l.via_case_id
where l.citing_case_id != l.via_case_id
group by l.authority_key, l.citing_case_id, l.via_case_id
"""

#: Each summary table with the query that fills it (its columns in the table's order), in the order
#: they are rebuilt: second_degree_links reads reliance.
SUMMARIES: tuple[tuple[Table, str], ...] = (
    (RELIANCE, RELIANCE_SQL),
    (REFERENCES_BY_COURT_YEAR, REFERENCES_BY_COURT_YEAR_SQL),
    (AUTHORITY_STATUS, AUTHORITY_STATUS_SQL),
    (PIN_CITE_COUNTS, PIN_CITE_COUNTS_SQL),
    (SECOND_DEGREE_LINKS, SECOND_DEGREE_LINKS_SQL),
)


def source_signature(db: sqlite_utils.Database) -> str:
    """A cheap fingerprint of what the summaries read (counts and high-water marks of citations,
    cases and case_citations, a checksum of case_treatments' labels, every seed's fields): narrow
    index scans and one pass over case_treatments, not a regroup of the references. (case_citations
    joined it in v7, with second_degree_links: a database built before v7 thus looks stale once and
    gets that table filled at its next publish.)

    Added or deleted references change it. A reference rewritten in place, or deleted and
    re-inserted at the same rowids with the same count, is not seen here; citator's own writers
    (extract, bulk) rebuild the summaries themselves, so only another tool doing that would need
    to call `rebuild_summaries`."""
    row = db.execute(
        """select
             (select count(*) from citations), (select max(rowid) from citations),
             (select count(*) from cases), (select max(rowid) from cases), (select max(updated_at) from cases),
             (select count(*) from case_citations), (select max(rowid) from case_citations),
             (select count(*) from case_treatments), (select total(references_count) from case_treatments),
             (select total(length(coalesce(treatment, '')) * 31 + length(coalesce(depth, '')) + coalesce(confidence, 0)
                + 1000 * coalesce(relies_on_withdrawn, 0) + 7 * coalesce(corrected_references, 0)
                + length(coalesce(correction_notes, ''))) from case_treatments),
             (select group_concat(treatment || ':' || rank, ',') from (select * from treatment_ranks order by rank)),
             (select group_concat(key || '|' || coalesce(name, '') || '|' || coalesce(citation, '') || '|' ||
                coalesce(court, '') || '|' || coalesce(decided, '') || '|' || coalesce(status, '') || '|' ||
                coalesce(history, '') || '|' || coalesce(case_id, ''), ';') from (select * from authorities order by key))"""
    ).fetchone()
    return "\x1f".join("" if v is None else str(v) for v in row)


def rebuild_summaries(db: sqlite_utils.Database) -> dict[str, int]:
    """Replace every summary table's rows from `citations`; returns rows per table."""
    counts: dict[str, int] = {}
    pins.register(db.conn)
    with db.conn:
        for table, sql in SUMMARIES:
            columns = ", ".join(f"[{c.name}]" for c in table.columns)
            db.execute(f"delete from [{table.name}]")
            db.execute(f"insert into [{table.name}] ({columns}) {sql.strip()}")
            counts[table.name] = db.execute(f"select count(*) from [{table.name}]").fetchone()[0]
        db["citator_meta"].upsert({"key": SIGNATURE_KEY, "value": source_signature(db)}, pk="key")
    return counts


def summaries_stale(db: sqlite_utils.Database) -> bool:
    """Whether the data the summaries read changed since they were last built."""
    row = db.execute("select value from citator_meta where key = ?", [SIGNATURE_KEY]).fetchone()
    return row is None or row[0] != source_signature(db)


def refresh_summaries(db: sqlite_utils.Database) -> bool:
    """Rebuild the summaries when stale (publish calls this); returns whether it rebuilt."""
    if not summaries_stale(db):
        return False
    rebuild_summaries(db)
    return True
