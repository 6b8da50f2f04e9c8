"""Canned queries for the common research questions, and the Atom feed of new references.

Datasette passes a missing parameter as an empty string, so each query reads its parameters through
`coalesce(nullif(:name, ''), default)`: opening a query with an empty form gives useful rows (the
default seed is the one most cases cite), and filters left empty mean "all". The columns come in the
order a researcher reads them: the case, its court and year, the treatment, depth and pin, the
sentence; ids last (the case name links to the case page through them).

The queries that list rows answer one page at a time (`PAGE_SIZE` rows, `page` = 1, 2, ...):
Datasette 0.65 renders every row a canned query returns, up to `max_returned_rows`, so a seed with
thousands of citing cases gave a page of nearly a megabyte, and cut the list at 1,000 rows without
saying so. Each paged query names, in `EVERY_ROW`, the table or view that holds all of its rows,
which Datasette paginates and streams whole as CSV; the site links to it from every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from citator.db.schema import DEPTH_ORDER

#: The seed a form left empty falls back to when the database cites no seed at all.
DEFAULT_SEED = "bernstein-9th"

#: The seed a form left empty means: the one cited by the most cases (summary table authority_status).
MOST_CITED_SEED_SQL = (
    "(select authority_key from authority_status order by citing_cases desc, references_count desc, authority_key limit 1)"
)
_SEED = f"coalesce(nullif(:seed, ''), {MOST_CITED_SEED_SQL}, '{DEFAULT_SEED}')"
#: For the query about withdrawn seeds: the withdrawn seed most cases cite.
MOST_CITED_WITHDRAWN_SQL = (
    "(select authority_key from authority_status where status = 'withdrawn' "
    "order by citing_cases desc, references_count desc, authority_key limit 1)"
)
_WITHDRAWN_SEED = f"coalesce(nullif(:seed, ''), {MOST_CITED_WITHDRAWN_SQL}, '{DEFAULT_SEED}')"

#: The day a `since` form value names (db/dates.py, registered as an SQL function by the site's
#: plugin); empty means the last 30 days, and text naming no day matches no run (the page says why).
SINCE_SQL = "case when trim(coalesce(:since, '')) = '' then date('now', '-30 days') else citator_date(:since) end"

#: Treatments that count against a seed.
NEGATIVE = ("distinguished", "criticized_or_declined")
_NEGATIVE_SQL = ", ".join(f"'{t}'" for t in NEGATIVE)


#: "from cases k cross join citations c": SQLite keeps the written order of a CROSS JOIN, so the
#: queries listing references by decision date walk cases in date order (idx_cases_decision_date) and
#: stop after the page's rows, instead of sorting every reference to the seed (seconds at a million).
#: Same rows, same order. The unary `+` on their filters keeps the inner loop on the citing_case_id
#: index (about ten references per case) rather than an index over every reference to the seed.
#: (second_degree went the same way until v7; it now reads the second_degree_links summary.)


#: Rows on one page of a query that lists rows; `page` picks the page. Each paged query orders its
#: rows completely (rowids break the last ties, in the order the index walked already gives them), so
#: that consecutive pages neither repeat nor skip a row.
PAGE_SIZE = 100
#: The page asked for, from 1: empty, zero, negative or not a number all mean the first.
PAGE = "max(cast(coalesce(nullif(:page, ''), '1') as integer), 1)"
_LIMIT = f"limit {PAGE_SIZE} offset ({PAGE} - 1) * {PAGE_SIZE}"


def _q(title: str, description: str, sql: str, params: list[str]) -> dict[str, Any]:
    return {"title": title, "description": description, "sql": sql.strip(), "params": params}


def _paged(title: str, description: str, sql: str, params: list[str], every_row: str) -> dict[str, Any]:
    """A query listing rows one page at a time: `sql` gets the LIMIT/OFFSET, `page` its parameter,
    and the description says how to turn the page and where every row is (`every_row`, in words)."""
    description += (f" {PAGE_SIZE} rows a page: page = 2, 3, ... for the next ones (empty = the first). "
                    f"Every row at once: {every_row}, which pages through them all and downloads them whole as CSV.")
    return _q(title, description, f"{sql.strip()}\n{_LIMIT}", [*params, "page"])


def _unnoted(ref: str) -> str:
    """withdrawn_unnoted's test of one reference (`ref`: its table's name or alias): flagged as
    relying on the withdrawn seed, or neither noting the withdrawal itself nor from a case that notes
    it elsewhere. Shared with the citations filter that lists every such reference (EVERY_ROW)."""
    return f"""({ref}.relies_on_withdrawn = 1 or (
    coalesce({ref}.treatment, '') != 'noted_withdrawn'
    and coalesce({ref}.subsequent_history, '') not like '%withdr%'
    and coalesce({ref}.sentence, '') not like '%withdr%'
    and not exists (
      select 1 from citations n where n.citing_case_id = {ref}.citing_case_id and n.authority_key = {ref}.authority_key
      and (n.treatment = 'noted_withdrawn' or coalesce(n.subsequent_history, '') like '%withdr%'))))"""


QUERIES: dict[str, dict[str, Any]] = {
    "who_relies_on_seed": _paged(
        "Who relies on a seed?",
        "Cases that cite the seed without distinguishing or criticizing it, the deepest engagement first "
        "(examined, discussed, cited, mentioned), with their pin cites and parentheticals.",
        f"""
select case_name, court, year, treatment, depth, pin_cites, parentheticals, references_count,
  relies_on_withdrawn, source_url, citing_case_id
from reliance
where authority_key = {_SEED}
  and coalesce(treatment, '') not in ({_NEGATIVE_SQL})
order by {DEPTH_ORDER},
  references_count desc, decision_date, rowid
""",
        ["seed"],
        "the reliance table filtered to the seed and to other treatments",
    ),
    "negative_treatment": _paged(
        "Negative treatment of a seed",
        "References that distinguish, criticize or decline to follow the seed, with the sentence around "
        "each and the cues that decided the label, oldest case first.",
        f"""
select k.name as case_name, k.court, k.year, c.treatment, c.pin_cite, c.sentence, c.parenthetical, c.signal,
  c.confidence, c.evidence, c.as_written, k.url as source_url, c.citing_case_id
from cases k cross join citations c on c.citing_case_id = k.id
where +c.authority_key = {_SEED} and +c.treatment in ({_NEGATIVE_SQL})
order by k.decision_date, k.rowid, c.span_start, c.rowid
""",
        ["seed"],
        "the citing_references view filtered to the seed and these two treatments",
    ),
    "withdrawn_unnoted": _paged(
        "Citations of a withdrawn opinion that do not note the withdrawal",
        "References to a withdrawn seed from cases that nowhere note the withdrawal (no noted-withdrawn "
        "label, no subsequent history or sentence mentioning it), and any reference flagged as relying on "
        "the withdrawn opinion, oldest case first. Pick a withdrawn seed, such as the 9th Circuit panel "
        "opinion withdrawn on rehearing en banc.",
        f"""
select k.name as case_name, k.court, k.year, c.treatment, c.pin_cite, c.sentence, c.signal,
  c.subsequent_history, c.as_written, k.url as source_url, c.citing_case_id
from cases k
cross join citations c on c.citing_case_id = k.id
join authorities a on a.key = c.authority_key
where +c.authority_key = {_WITHDRAWN_SEED} and a.status = 'withdrawn'
  and {_unnoted("c")}
order by k.decision_date, k.rowid, c.span_start, c.rowid
""",
        ["seed"],
        "the citations table filtered by the same test",
    ),
    "cited_for": _q(
        "What is a seed cited for?",
        "Which pages of the seed courts cite, and for what: for each page, how many references and cases "
        "cite it, with their parentheticals and quotations. A range such as 1139-41 counts for each page "
        "it covers; references without a pin page are counted under '(no pin)'.",
        f"""
select pin_page, references_count, citing_cases,
  substr(replace(hex(zeroblob(min(references_count, 60))), '00', '#'), 1, min(references_count, 60)) as histogram,
  parentheticals, quotations
from pin_cite_counts
where authority_key = {_SEED}
order by pin_page = '(no pin)', cast(pin_page as integer), pin_page
""",
        ["seed"],
    ),
    "second_degree": _paged(
        "Second-degree reliance",
        "Cases that cite a case which itself cites the seed: how the seed's reasoning travels one step "
        "further, oldest case first, with the case in between and how it treats the seed.",
        f"""
select case_name, court, year, via_case_name, via_treatment, via_depth, references_count, source_url,
  citing_case_id, via_case_id
from second_degree_links
where authority_key = {_SEED}
order by decision_date, citing_case_id, via_case_id
""",
        ["seed"],
        "the second_degree_links table filtered to the seed",
    ),
    "new_since": _paged(
        "New citing references since a date",
        "References first found by a refresh that started on or after the date (empty: the last 30 days), "
        "newest refresh first; within a refresh, seed by seed, in the order it found them. Leave the seed "
        "empty for every seed.",
        # Runs newest first (runs.id), then each seed, then that run's references to it through the
        # (first_seen_run, authority_key) index in rowid order: every loop hands rows over in the
        # page's order, so SQLite stops after the page instead of sorting every reference since the
        # date (1.4 s for a seed's 200,000 references at a million, bench/site_latency.py). a.rowid
        # breaks no tie (keys are unique) but tells SQLite so: a text primary key may hold NULLs.
        f"""
select r.started_at as first_seen, k.name as case_name, k.court, k.year, c.authority_key, c.treatment,
  c.pin_cite, c.sentence, c.as_written, k.url as source_url, c.citing_case_id
from runs r
cross join authorities a
cross join citations c on c.first_seen_run = r.id and c.authority_key = a.key
cross join cases k on k.id = c.citing_case_id
where r.started_at >= {SINCE_SQL}
  and (:seed = '' or a.key = :seed)
order by r.id desc, a.key, a.rowid, c.rowid
""",
        ["since", "seed"],
        "the citations table filtered to the runs since the date (and to the seed)",
    ),
    "new_references_feed": _q(
        "New references to the seeds (citator)",
        "Atom feed of newly found references (add .atom to this page's address): the 200 newest, newest "
        "refresh first. Filters, all optional: seed, treatment (e.g. distinguished), court (court id, e.g. ca9).",
        # Walks runs newest first and each run's references seed by seed, as new_since does, and stops
        # at the 200th: it sorted every reference to the seeds (3 s unfiltered at a million). Only
        # http(s) addresses become links: a source's URL is data from outside.
        """
select 'urn:citator:reference:' || c.id as atom_id,
  k.name || ' cites ' || coalesce(a.name, c.authority_key) || ' ' || coalesce(a.citation, '')
    || coalesce(' at ' || nullif(c.pin_cite, ''), '') as atom_title,
  coalesce(r.started_at, k.updated_at) as atom_updated,
  k.court || ', ' || coalesce(k.decision_date, '') || '. Treatment: ' || coalesce(c.treatment, 'not yet labelled')
    || '. ' || coalesce(c.sentence, c.context, '') as atom_content,
  case when k.url like 'https://%' or k.url like 'http://%' then k.url end as atom_link,
  c.citing_case_id, c.authority_key, c.treatment, k.court_id
from runs r
cross join authorities a
cross join citations c on c.first_seen_run = r.id and c.authority_key = a.key
cross join cases k on k.id = c.citing_case_id
where (:seed = '' or a.key = :seed)
  and (:treatment = '' or c.treatment = :treatment)
  and (:court = '' or k.court_id = :court)
order by r.id desc, a.key, a.rowid, c.rowid
limit 200
""",
        ["seed", "treatment", "court"],
    ),
}

#: Queries whose seed left empty means every seed (the others: the most-cited seed).
ALL_SEEDS_WHEN_EMPTY = {"new_since", "new_references_feed"}
#: Queries whose seed left empty means the most-cited withdrawn seed.
WITHDRAWN_SEED_QUERIES = {"withdrawn_unnoted"}
#: Parameters read as days by db/dates.py.
DATE_PARAMETERS = {"since"}


@dataclass(frozen=True)
class EveryRow:
    """Where every row of a paged query is: a table or view of the site, filtered as Datasette's table
    page filters (`column=value`, `column__in=`, `_where=`), which paginates any number of rows and
    streams them whole as CSV. A filter value may name the query's parameters, as {seed} (the value)
    or {seed_sql} (an SQL string literal, for `_where`); a filter left empty is dropped. `defaults`
    fill parameters left empty, as the query's own coalesce does."""

    table: str
    filters: tuple[tuple[str, str], ...]
    defaults: dict[str, str] = field(default_factory=dict)


_BY_SEED = {"seed": DEFAULT_SEED}
#: The paged queries (those built with `_paged`) and where each one's rows are all listed.
EVERY_ROW: dict[str, EveryRow] = {
    "who_relies_on_seed": EveryRow(
        "reliance", (("authority_key", "{seed}"), ("_where", f"coalesce(treatment, '') not in ({_NEGATIVE_SQL})")), _BY_SEED),
    "negative_treatment": EveryRow(
        "citing_references", (("authority_key", "{seed}"), ("treatment__in", ",".join(NEGATIVE))), _BY_SEED),
    "withdrawn_unnoted": EveryRow(
        "citations", (("authority_key", "{seed}"),
                      ("_where", "authority_key in (select key from authorities where status = 'withdrawn') and "
                                 + _unnoted("citations"))), _BY_SEED),
    "second_degree": EveryRow("second_degree_links", (("authority_key", "{seed}"),), _BY_SEED),
    "new_since": EveryRow(
        "citations", (("authority_key", "{seed}"), ("authority_key__notnull", "1"),
                      ("_where", "first_seen_run in (select id from runs where started_at >= "
                                 "coalesce(citator_date({since_sql}), date('now', '-30 days')))"))),
}
