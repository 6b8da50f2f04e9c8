"""Canned queries for the common research questions, and the Atom feed of new references.

Datasette passes a missing parameter as an empty string, so each query reads its parameters through
`coalesce(nullif(:name, ''), default)`: opening a query with an empty form gives useful rows (the
9th Circuit panel opinion, bernstein-9th, is the default seed because it is the most cited and was
withdrawn), and filters left empty mean "all".
"""

from __future__ import annotations

from typing import Any

from citator.db.schema import DEPTH_ORDER

DEFAULT_SEED = "bernstein-9th"

_SEED = f"coalesce(nullif(:seed, ''), '{DEFAULT_SEED}')"

#: Treatments that count against a seed.
NEGATIVE = ("distinguished", "criticized_or_declined")
_NEGATIVE_SQL = ", ".join(f"'{t}'" for t in NEGATIVE)


#: "from cases k cross join citations c": SQLite keeps the written order of a CROSS JOIN, so the
#: queries listing references by decision date walk cases in date order (idx_cases_decision_date) and
#: stop after the page's rows, instead of sorting every reference to the seed (seconds at a million).
#: Same rows, same order. second_degree likewise goes from the seed's citing cases to their
#: citations to the references citing those (it scanned every reference at a million). The unary `+` on their filters keeps the inner loop on the citing_case_id
#: index (about ten references per case) rather than an index over every reference to the seed.


def _q(title: str, description: str, sql: str, params: list[str]) -> dict[str, Any]:
    return {"title": title, "description": description, "sql": sql.strip(), "params": params}


QUERIES: dict[str, dict[str, Any]] = {
    "who_relies_on_seed": _q(
        "Who relies on a seed?",
        f"Cases citing the seed without distinguishing or criticizing it, deepest engagement first. "
        f"seed: an authority key (empty = {DEFAULT_SEED}); see the authority_status table for the keys.",
        f"""
select citing_case_id, case_name, court, year, treatment, depth, references_count, pin_cites,
  parentheticals, relies_on_withdrawn, source_url
from reliance
where authority_key = {_SEED}
  and coalesce(treatment, '') not in ({_NEGATIVE_SQL})
order by {DEPTH_ORDER},
  references_count desc, decision_date
""",
        ["seed"],
    ),
    "negative_treatment": _q(
        "Negative treatment of a seed",
        f"References that distinguish or criticize (or decline to follow) the seed, with the words around them. "
        f"seed: an authority key (empty = {DEFAULT_SEED}).",
        f"""
select c.citing_case_id, k.name as case_name, k.court, k.year, c.treatment, c.confidence, c.signal,
  c.pin_cite, c.parenthetical, c.sentence, c.evidence, k.url as source_url
from cases k cross join citations c on c.citing_case_id = k.id
where +c.authority_key = {_SEED} and +c.treatment in ({_NEGATIVE_SQL})
order by k.decision_date, c.span_start
""",
        ["seed"],
    ),
    "withdrawn_unnoted": _q(
        "Citations of a withdrawn opinion that do not note the withdrawal",
        f"References to a withdrawn seed from cases that nowhere note the withdrawal (no noted_withdrawn "
        f"label, no subsequent history or sentence mentioning it), plus any reference flagged relies_on_withdrawn. seed: a withdrawn authority key "
        f"(empty = {DEFAULT_SEED}, the 9th Circuit panel opinion withdrawn on rehearing en banc).",
        f"""
select c.citing_case_id, k.name as case_name, k.court, k.year, c.as_written, c.pin_cite, c.signal,
  c.treatment, c.subsequent_history, c.sentence, k.url as source_url
from cases k
cross join citations c on c.citing_case_id = k.id
join authorities a on a.key = c.authority_key
where +c.authority_key = {_SEED} and a.status = 'withdrawn'
  and (c.relies_on_withdrawn = 1 or (
    coalesce(c.treatment, '') != 'noted_withdrawn'
    and coalesce(c.subsequent_history, '') not like '%withdr%'
    and coalesce(c.sentence, '') not like '%withdr%'
    and not exists (
      select 1 from citations n where n.citing_case_id = c.citing_case_id and n.authority_key = c.authority_key
      and (n.treatment = 'noted_withdrawn' or coalesce(n.subsequent_history, '') like '%withdr%'))))
order by k.decision_date, c.span_start
""",
        ["seed"],
    ),
    "cited_for": _q(
        "What is a seed cited for?",
        f"A histogram of pin pages: for each page of the seed, how many references and cases cite it, "
        f"with their parentheticals and quotations. References without a pin page are counted under "
        f"'(no pin)'. Counted after every extraction (the pin_cite_counts table). "
        f"seed: an authority key (empty = {DEFAULT_SEED}).",
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
    "second_degree": _q(
        "Second-degree reliance",
        f"Cases that cite a case which itself cites the seed: how the seed's reasoning travels one step "
        f"further. seed: an authority key (empty = {DEFAULT_SEED}).",
        f"""
with first as (
  select citing_case_id as case_id, treatment, depth from reliance where authority_key = {_SEED}
),
links as (
  select x.id, x.citing_case_id, f.case_id as via_case_id
  from citations x join first f on x.cited_case_id = f.case_id
  union
  select x.id, x.citing_case_id, cc.case_id
  from first f cross join case_citations cc on cc.case_id = f.case_id cross join citations x on x.cite = cc.cite
)
select l.citing_case_id, k.name as case_name, k.court, k.year,
  l.via_case_id, v.name as via_case_name, f.treatment as via_treatment,
  f.depth as via_depth, count(distinct l.id) as references_count, k.url as source_url
from links l
join first f on f.case_id = l.via_case_id
join cases k on k.id = l.citing_case_id
join cases v on v.id = l.via_case_id
where l.citing_case_id != l.via_case_id
group by l.citing_case_id, l.via_case_id
order by k.decision_date
""",
        ["seed"],
    ),
    "new_since": _q(
        "New citing references since a date",
        "References first found by a run that started on or after the date. since: YYYY-MM-DD "
        "(empty = the last 30 days); seed: an authority key (empty = every seed).",
        """
select r.started_at as first_seen, c.citing_case_id, k.name as case_name, k.court, k.year,
  c.authority_key, c.as_written, c.pin_cite, c.treatment, c.sentence, k.url as source_url
from citations c
join cases k on k.id = c.citing_case_id
join runs r on r.id = c.first_seen_run
where c.authority_key is not null
  and r.started_at >= coalesce(nullif(:since, ''), date('now', '-30 days'))
  and (:seed = '' or c.authority_key = :seed)
order by r.started_at desc, k.decision_date desc
""",
        ["since", "seed"],
    ),
    "new_references_feed": _q(
        "citator: new references to the seeds",
        "Atom feed of newly found references (add .atom to this page's address). Filters, all optional: "
        "seed (authority key), treatment (e.g. distinguished), court (court id, e.g. ca9).",
        """
select 'urn:citator:reference:' || c.id as atom_id,
  k.name || ' cites ' || coalesce(a.name, c.authority_key) || ' ' || coalesce(a.citation, '')
    || coalesce(' at ' || nullif(c.pin_cite, ''), '') as atom_title,
  coalesce(r.started_at, k.updated_at) as atom_updated,
  k.court || ', ' || coalesce(k.decision_date, '') || '. Treatment: ' || coalesce(c.treatment, 'not yet labelled')
    || '. ' || coalesce(c.sentence, c.context, '') as atom_content,
  k.url as atom_link,
  c.citing_case_id, c.authority_key, c.treatment, k.court_id
from citations c
join cases k on k.id = c.citing_case_id
left join authorities a on a.key = c.authority_key
left join runs r on r.id = c.first_seen_run
where c.authority_key is not null
  and (:seed = '' or c.authority_key = :seed)
  and (:treatment = '' or c.treatment = :treatment)
  and (:court = '' or k.court_id = :court)
order by atom_updated desc, c.id
limit 200
""",
        ["seed", "treatment", "court"],
    ),
}
