"""The database schema as it is now, declared once with a description for every table and column.

The same declaration creates new databases and writes the Datasette metadata, so a column cannot
exist without the sentence that tells a researcher what it holds. Older databases reach this schema
through the numbered steps in db/migrations.py; `schema_version` in `citator_meta` (and SQLite's
`user_version`) records the last one applied. tests/db/test_schema_migrations.py checks that the steps
and this declaration agree. To change the schema: change the tables here and append a step there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils

from citator.db.migrations import MIGRATIONS


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "text", "integer", "real"
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    pk: str | tuple[str, ...] | None  # None: a rowid table
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, other table, other column)
    indexes: tuple[tuple[str, ...], ...] = ()
    # Indexes on expressions, as (name, what the index lists, in SQL); see DEPTH_ORDER.
    expression_indexes: tuple[tuple[str, str], ...] = ()
    not_null: tuple[str, ...] = ()
    label_column: str | None = None
    sort_desc: str | None = None
    facets: tuple[str, ...] = ()
    # Columns offered as one-click facet links instead of default facets: on a table too large to
    # count every facet on every page view, each is counted only when asked for.
    facet_links: tuple[str, ...] = ()
    # Rows per table page when not Datasette's default (100): for tables whose every row carries
    # paragraphs of text, whose page would otherwise take longest to render.
    page_size: int | None = None


C = Column


# ---- the database itself ---------------------------------------------------------------------

META = Table(
    "citator_meta",
    "Facts about this database itself: the schema version and when it was last built.",
    (
        C("key", "text", "Name of the fact, e.g. schema_version."),
        C("value", "text", "Its value, as text."),
    ),
    pk="key",
)

# ---- seeds and the corpus: cases, their citations and sources, opinions ----------------------

AUTHORITIES = Table(
    "authorities",
    "The seed authorities: the decisions whose citing references citator hunts for "
    "(by default every reported opinion of Bernstein v. United States), with their good-law status.",
    (
        C("key", "text", "Short stable name of the authority, e.g. bernstein-9th."),
        C("name", "text", "Case name as usually cited."),
        C("citation", "text", "Primary reporter citation, e.g. 176 F.3d 1132."),
        C("citations", "text", "Every reporter citation of the decision (JSON list), parallels included."),
        C("court", "text", "Court id (CourtListener/eyecite style, e.g. ca9, cand)."),
        C("decided", "text", "Decision date, YYYY-MM-DD."),
        C("short_names", "text", "Names courts use after a full cite (JSON list), e.g. [\"Bernstein\"]."),
        C("nicknames", "text", "Labels tied to this decision only (JSON list), e.g. [\"Bernstein I\"]."),
        C("status", "text", "Good-law status: good, withdrawn, reversed, vacated or superseded."),
        C("history", "text", "Subsequent history (JSON list of {relation, citation, date, note})."),
        C("family", "text", "The litigation this decision belongs to, e.g. bernstein."),
        C("last_page", "integer", "Last page of the decision in its reporter, when known; used to place pin cites."),
        C("case_id", "text", "The harvested case for this authority, when citator holds its text."),
    ),
    pk="key",
    foreign_keys=(("case_id", "cases", "id"),),
    label_column="name",
)

CASES = Table(
    "cases",
    "One row per decided case (an opinion cluster): the seeds and every case found citing them.",
    (
        C("id", "text", "Stable id from the first source that supplied the case, e.g. cl:cluster:123 or cap:case:456."),
        C("name", "text", "Case name as reported."),
        C("name_short", "text", "Short case name, e.g. Junger."),
        C("court_id", "text", "Court id (CourtListener style, e.g. ca6)."),
        C("court", "text", "Court name."),
        C("decision_date", "text", "Date decided, YYYY-MM-DD (may be partial when the source is)."),
        C("year", "integer", "Year decided."),
        C("docket_number", "text", "Docket number as reported."),
        C("citation", "text", "Preferred reporter citation of this case, e.g. 209 F.3d 481."),
        C("url", "text", "Where to read the case at its source."),
        C("depth", "integer", "Crawl depth at which the case was found: 0 for a seed, 1 for a case citing a seed, and so on."),
        C("first_seen_run", "integer", "The run that first stored this case."),
        C("updated_at", "text", "When the case row was last written (UTC, ISO 8601)."),
        C("withdrawn_risk", "integer", "1 when the case relies, directly or through cases it relies on, on a withdrawn opinion without noting the withdrawal."),
        C("withdrawn_risk_path", "text", "The shortest chain of reliance behind withdrawn_risk (JSON list of case ids, this case first)."),
    ),
    pk="id",
    indexes=(("court_id",), ("year",), ("decision_date",)),
    label_column="name",
    sort_desc="decision_date",
    facets=("court_id", "year"),
)

CASE_CITATIONS = Table(
    "case_citations",
    "Every reporter citation of every case, normalized; references are resolved to cases through it, "
    "and the same case reached through two sources is recognised by a shared citation.",
    (
        C("cite", "text", "Normalized citation, e.g. 176 F.3d 1132."),
        C("case_id", "text", "The case it names."),
        C("volume", "text", "Reporter volume."),
        C("reporter", "text", "Reporter abbreviation, e.g. F.3d."),
        C("page", "text", "First page."),
        C("type", "text", "Kind of citation: official, parallel, vendor (WL/LEXIS), neutral."),
    ),
    pk=("case_id", "cite"),
    foreign_keys=(("case_id", "cases", "id"),),
    indexes=(("cite",),),
)

CASE_SOURCES = Table(
    "case_sources",
    "Provenance: each source that supplied a case, with its own id and address there.",
    (
        C("case_id", "text", "The case."),
        C("source", "text", "courtlistener, cap or local."),
        C("source_id", "text", "The id the source uses, e.g. cluster 123."),
        C("url", "text", "Address of the record at the source."),
        C("fetched_at", "text", "When citator last fetched it (UTC, ISO 8601)."),
    ),
    pk=("case_id", "source", "source_id"),
    foreign_keys=(("case_id", "cases", "id"),),
)

OPINIONS = Table(
    "opinions",
    "One row per opinion of a case (majority, concurrence, dissent, per curiam) with its full text "
    "and the provenance of that text.",
    (
        C("id", "text", "Stable id from the source, e.g. cl:opinion:789 or cap:case:456:0."),
        C("case_id", "text", "The case this opinion belongs to."),
        C("type", "text", "majority, concurrence, dissent, per_curiam, combined (the source could not split it) or other."),
        C("author", "text", "Author as the source gives it."),
        C("ordinal", "integer", "Position of the opinion within the case, from 0."),
        C("text", "text", "Full text as supplied (HTML, XML or plain text; see text_format)."),
        C("text_format", "text", "html, xml or text: how to read the text column."),
        C("text_field", "text", "Which source field the text came from, e.g. html_with_citations, casebody, plain_text."),
        C("text_sha256", "text", "SHA-256 of the text; extraction reruns only when it changes."),
        C("source", "text", "courtlistener, cap or local."),
        C("source_id", "text", "The id the source uses for this opinion."),
        C("url", "text", "Address the text was fetched from."),
        C("fetched_at", "text", "When the text was fetched (UTC, ISO 8601)."),
    ),
    pk="id",
    foreign_keys=(("case_id", "cases", "id"),),
    indexes=(("case_id",),),
    label_column="id",
)


# ---- references and their treatment ----------------------------------------------------------

CITATIONS = Table(
    "citations",
    "One row per reference found in an opinion to a seed authority: where it is, how it is written, "
    "its pin cite, signal, parenthetical, context and treatment.",
    (
        C("id", "text", "Stable id: a hash of the opinion, the span and the authority."),
        C("opinion_id", "text", "The citing opinion."),
        C("citing_case_id", "text", "The citing case."),
        C("authority_key", "text", "The seed authority referred to (null for other cases)."),
        C("cited_case_id", "text", "The cited case, when citator holds it."),
        C("as_written", "text", "The reference exactly as it appears in the opinion."),
        C("cite", "text", "Normalized citation of the cited decision, e.g. 176 F.3d 1132."),
        C("kind", "text", "full, short, id, supra, name_only or parallel."),
        C("pin_cite", "text", "Pin page(s), normalized, e.g. 1141 or 1137 n. 7."),
        C("parenthetical", "text", "Explanatory parenthetical(s) after the reference, joined with ' | '."),
        C("signal", "text", "Introductory signal: see, see also, cf., but see, accord, quoting, citing, none, ..."),
        C("span_start", "integer", "Start offset of the reference in the opinion text (characters, from 0)."),
        C("span_end", "integer", "End offset (exclusive) of the reference in the opinion text."),
        C("sentence", "text", "The sentence that holds the reference."),
        C("context", "text", "The paragraph around the reference."),
        C("in_footnote", "integer", "1 when the reference sits in a footnote."),
        C("opinion_part", "text", "Part of the citing case: majority, concurrence, dissent, syllabus."),
        C("ambiguous", "integer", "1 when the reference could point to more than one authority (see candidates)."),
        C("candidates", "text", "Authorities still possible for an ambiguous reference (JSON list)."),
        C("subsequent_history", "text", "Subsequent history written after the cite, e.g. reh'g en banc granted, opinion withdrawn."),
        C("quotation", "text", "Language quoted from the cited opinion, when found there."),
        C("treatment", "text", "How the citing court uses the authority here: followed, relied_on, cited_neutral, distinguished, criticized_or_declined, noted_withdrawn."),
        C("confidence", "real", "Confidence of the treatment label, 0 to 1."),
        C("evidence", "text", "The cues that decided the treatment (JSON list), so a reader can check it."),
        C("relies_on_withdrawn", "integer", "1 when the reference relies on a withdrawn opinion without noting the withdrawal."),
        C("first_seen_run", "integer", "The run that first found this reference."),
        C("resolution_note", "text", "What citator repaired to resolve this reference, e.g. 'volume 564 as printed; "
          "546 U.S. 320 by its name and first page' or a pin cite written as a full cite; empty when read as written."),
    ),
    pk="id",
    foreign_keys=(
        ("opinion_id", "opinions", "id"),
        ("citing_case_id", "cases", "id"),
        ("authority_key", "authorities", "key"),
        ("cited_case_id", "cases", "id"),
    ),
    # The writer's lookups, then the site's: facet counts (kind, signal) and the commonest filter
    # (authority_key) through narrow covering indexes instead of scans of the wide table; a seed's
    # references in key order, a treatment's and a run's newest first (walked and cut at a page).
    # No index whose columns lead another one: it would serve no query the wider one does not, and
    # cost every write (and a bulk load's rebuild) an index update.
    indexes=(
        ("opinion_id",), ("citing_case_id",), ("authority_key", "treatment"), ("cited_case_id",),
        ("kind",), ("signal",), ("authority_key", "kind"), ("authority_key", "signal"),
        ("authority_key", "id"), ("treatment", "first_seen_run"), ("first_seen_run", "authority_key"),
    ),
    # No default facets: four facets counted over a million rows on every page view cost ~300 ms.
    # Counts by seed, treatment, court and year are in the reliance and references_by_court_year
    # summary tables; these are one-click facets here.
    facet_links=("authority_key", "treatment", "kind", "signal"),
    # Each row carries its sentence and paragraph: 100 of them made a ~350 KB page that took 110-200 ms
    # to render at a million references (the query takes 1-15 ms); 50 halve it. `?_size=` still works.
    page_size=50,
)

CASE_TREATMENTS = Table(
    "case_treatments",
    "One row per citing case and seed authority: the strongest treatment across the case's references "
    "to the seed, and how deeply the case engages it.",
    (
        C("citing_case_id", "text", "The citing case."),
        C("authority_key", "text", "The seed authority."),
        C("treatment", "text", "Strongest treatment among the references (ranked as in treatment_ranks: noted_withdrawn, criticized_or_declined, distinguished, followed, relied_on, cited_neutral); a researcher's correction counts instead of the model's label."),
        C("depth", "text", "Depth of treatment: mentioned, cited, discussed or examined."),
        C("references_count", "integer", "Number of references of the case to the seed."),
        C("confidence", "real", "Confidence of the treatment label, 0 to 1."),
        C("treatment_counts", "text", "References per treatment label (JSON object)."),
        C("relies_on_withdrawn", "integer", "1 when the case relies on the (withdrawn) seed without noting the withdrawal."),
        C("pin_cites", "text", "Distinct pin cites used, in text order, joined with '; '."),
        C("parentheticals", "text", "Parentheticals attached to the references, joined with ' | '."),
        C("corrected_references", "integer", "References of the case to the seed whose treatment a researcher corrected (see corrections); 0 when none."),
        C("correction_notes", "text", "The researchers' notes on those corrections, joined with ' | '."),
    ),
    pk=("citing_case_id", "authority_key"),
    foreign_keys=(("citing_case_id", "cases", "id"), ("authority_key", "authorities", "key")),
    indexes=(("authority_key", "treatment"), ("treatment",), ("depth",)),
    # No default facets: each counts ~430,000 rows at 1M references on every page view (about 50 ms
    # each, two thirds of the page); counted on request instead (through the narrow indexes above),
    # and per seed in authority_status.
    facet_links=("authority_key", "treatment", "depth"),
)

CORRECTIONS = Table(
    "corrections",
    "Treatments corrected by a researcher (`citator correct REF_ID LABEL --note ...`). A correction "
    "overrides the model's label everywhere on the site, survives every refresh and re-extraction, and "
    "is a training row for `citator train`.",
    (
        C("reference_id", "text", "The corrected reference: the stable id of its row in citations."),
        C("treatment", "text", "The treatment the researcher gives it: followed, relied_on, cited_neutral, "
          "distinguished, criticized_or_declined or noted_withdrawn."),
        C("note", "text", "Why, in the researcher's words."),
        C("model_treatment", "text", "What the model said when the correction was made."),
        C("opinion_id", "text", "The citing opinion."),
        C("authority_key", "text", "The seed authority referred to."),
        C("span_start", "integer", "Where the reference starts in the opinion's text (character offset)."),
        C("span_end", "integer", "Where it ends (exclusive)."),
        C("as_written", "text", "The reference as the opinion writes it."),
        C("corrected_at", "text", "When (UTC, ISO 8601)."),
    ),
    pk="reference_id",
    indexes=(("opinion_id",),),
    sort_desc="corrected_at",
    facets=("treatment",),
)

TREATMENT_RANKS = Table(
    "treatment_ranks",
    "The ranking of treatments used to roll a case's references up into one case-level treatment "
    "(case_treatments, reliance, the network view): the lowest rank wins. Written by citator from the "
    "classifier's definition at every extraction and publish.",
    (
        C("treatment", "text", "A treatment label."),
        C("rank", "integer", "Its rank, 0 for the strongest."),
    ),
    pk="treatment",
)


# ---- runs: what each command did, met and changed --------------------------------------------

RUNS = Table(
    "runs",
    "One row per run of a citator command: when, what it did, and whether it succeeded.",
    (
        C("id", "integer", "Run number."),
        C("command", "text", "The command: harvest, extract, refresh or bulk."),
        C("started_at", "text", "Start (UTC, ISO 8601)."),
        C("ended_at", "text", "End (UTC, ISO 8601); empty while running or when killed."),
        C("status", "text", "running, ok, partial (finished with errors), failed, or interrupted (stopped by a signal). "
          "A run left `running` by a killed process is shown as interrupted by `citator status`."),
        C("documents_fetched", "integer", "Documents downloaded from the sources."),
        C("new_cases", "integer", "Cases stored for the first time."),
        C("new_opinions", "integer", "Opinions stored for the first time."),
        C("new_references", "integer", "References found for the first time."),
        C("errors", "integer", "Number of errors recorded (see run_errors)."),
        C("message", "text", "Summary in words."),
    ),
    pk="id",
    sort_desc="id",
)

RUN_ERRORS = Table(
    "run_errors",
    "Each error a run met, with the source and address involved; the run went on where it could.",
    (
        C("id", "integer", "Error number."),
        C("run_id", "integer", "The run."),
        C("source", "text", "courtlistener, cap, local, extract ..."),
        C("url", "text", "The address or file involved, if any."),
        C("message", "text", "What went wrong."),
        C("at", "text", "When (UTC, ISO 8601)."),
    ),
    pk="id",
    foreign_keys=(("run_id", "runs", "id"),),
    indexes=(("run_id",),),
)

CHANGES = Table(
    "changes",
    "What each run added or changed: one row per case or reference seen for the first time, and per "
    "reference whose treatment changed, newest first; the feed of what is new since the previous run.",
    (
        C("id", "integer", "Change number."),
        C("run_id", "integer", "The run that added the row."),
        C("kind", "text", "new_case (a row of cases), new_reference (a row of citations) or treatment_changed (a "
          "reference the run labelled differently, e.g. after a new treatment model)."),
        C("row_id", "text", "The id of the new row in cases or citations."),
        C("at", "text", "When the run finished (UTC, ISO 8601)."),
        C("detail", "text", "For treatment_changed: the old and the new label, e.g. 'relied_on -> distinguished'."),
    ),
    pk="id",
    indexes=(("run_id",), ("kind", "row_id")),
    sort_desc="id",
    facets=("kind",),
)

EXTRACTIONS = Table(
    "extractions",
    "Which opinions have been read by the citation extractor, and with what: a refresh re-reads an "
    "opinion only when its text or the extraction fingerprint (seeds, cue lexicon, code) changed.",
    (
        C("opinion_id", "text", "The opinion."),
        C("text_sha256", "text", "SHA-256 of the opinion text that was read."),
        C("fingerprint", "text", "Fingerprint of the seeds, treatment lexicon and extractor code used."),
        C("references_found", "integer", "References to the seeds found in it."),
        C("run_id", "integer", "The run that read it."),
        C("extracted_at", "text", "When (UTC, ISO 8601)."),
    ),
    pk="opinion_id",
    foreign_keys=(("opinion_id", "opinions", "id"),),
)


# ---- harvest bookkeeping: the crawl, request budgets, CAP's own citation lists ---------------

CRAWL_FRONTIER = Table(
    "crawl_frontier",
    "The harvesters' to-do list, kept in the database so a crawl larger than a day's request budget, "
    "or one killed midway, continues on the next run where it stopped.",
    (
        C("source", "text", "courtlistener, cap or local."),
        C("key", "text", "Stable key of the work item within its source, e.g. citers:cluster:123 or scan:f3d/176."),
        C("kind", "text", "What the item does: resolve (find a seed), citers (list cases citing a case), "
                          "scan (read one CAP volume's case list), fetch (download case or opinion texts), "
                          "refetch_html (read once the HTML file of a CAP case stored from its JSON text)."),
        C("depth", "integer", "Crawl depth of the cases this item finds or fetches (0 = seeds)."),
        C("priority", "real", "Order within a depth: lower first (the most cited cases come first)."),
        C("payload", "text", "What the item needs to run (JSON), e.g. opinion ids or a volume path."),
        C("cursor", "text", "Where a paginated listing stopped (the next page's address), so it resumes there."),
        C("status", "text", "pending, done or failed."),
        C("attempts", "integer", "How many runs tried the item and failed."),
        C("last_error", "text", "The last error the item met."),
        C("added_run", "integer", "The run that queued the item."),
        C("done_run", "integer", "The run that finished it."),
        C("updated_at", "text", "When the item last changed (UTC, ISO 8601)."),
    ),
    pk=("source", "key"),
    indexes=(("source", "status", "depth", "priority"),),
    facets=("source", "kind", "status"),
)

REQUEST_BUDGET = Table(
    "request_budget",
    "Network requests each source made per day (UTC), counted against its configured daily budget; "
    "answers served from the on-disk cache are free.",
    (
        C("source", "text", "courtlistener or cap."),
        C("day", "text", "UTC date, YYYY-MM-DD."),
        C("requests", "integer", "Requests sent that day."),
    ),
    pk=("source", "day"),
)

CAP_CITES_TO = Table(
    "cap_cites_to",
    "The Caselaw Access Project's own list of what each CAP case cites (its cites_to field), kept as "
    "data: one row per cited citation per opinion. citator's own references are in citations.",
    (
        C("cap_case_id", "integer", "CAP's id of the citing case."),
        C("case_id", "text", "The citing case in citator."),
        C("opinion_index", "integer", "Which opinion of the case cites: 0 = the first in casebody, -1 = head matter."),
        C("opinion_id", "text", "The citing opinion in citator (null for head matter)."),
        C("cite", "text", "The citation as CAP found it, e.g. 176 F.3d 1132."),
        C("reporter", "text", "Reporter, normalized by CAP."),
        C("category", "text", "CAP's category, e.g. reporters:federal or laws:leg_statute."),
        C("cited_cap_case_ids", "text", "CAP ids the citation resolved to (JSON list; empty when unresolved)."),
        C("case_paths", "text", "Static paths of the cited cases at static.case.law (JSON list)."),
        C("weight", "integer", "How many times the opinion cites it (CAP counts short forms, id. and supra)."),
        C("pin_cites", "text", "Pin cites CAP found (JSON list of {page, parenthetical})."),
        C("year", "integer", "Year from the citation's parenthetical, when CAP found one."),
    ),
    pk=("cap_case_id", "opinion_index", "cite"),
    foreign_keys=(("case_id", "cases", "id"),),
    indexes=(("case_id",), ("cite",)),
)

SOURCE_STATE = Table(
    "source_state",
    "Reserved for per-source bookkeeping kept between runs (watermarks, cursors), as key/value pairs; "
    "no source keeps any yet (the crawl frontier and request budgets have their own tables).",
    (
        C("source", "text", "The source, e.g. courtlistener or cap."),
        C("key", "text", "Name of the value, e.g. last_date_filed."),
        C("value", "text", "The value, as text (JSON for structured values)."),
        C("updated_at", "text", "When it was last written (UTC, ISO 8601)."),
    ),
    pk=("source", "key"),
)


# ---- site summaries, rebuilt by db/web/summaries.py after every extraction -----------------------

#: The order in which the who_relies_on_seed query lists a seed's citing cases, deepest engagement
#: first. The query and reliance's index share this text: SQLite uses an index on an expression only
#: when the query repeats it exactly.
DEPTH_ORDER = "case depth when 'examined' then 0 when 'discussed' then 1 when 'cited' then 2 else 3 end"

RELIANCE = Table(
    "reliance",
    "One row per citing case and seed authority: who cites the seed, in which court and year, how "
    "(treatment) and how deeply, with every pin cite, parenthetical and a link to the case at its source. "
    "A summary of citations, rebuilt after every extraction.",
    (
        C("citing_case_id", "text", "The citing case (links to its case page)."),
        C("case_name", "text", "Name of the citing case."),
        C("court_id", "text", "Court of the citing case (CourtListener id, e.g. ca6)."),
        C("court", "text", "Court name."),
        C("year", "integer", "Year the citing case was decided."),
        C("decision_date", "text", "Date the citing case was decided."),
        C("citation", "text", "Reporter citation of the citing case."),
        C("authority_key", "text", "The seed authority cited."),
        C("authority_status", "text", "Good-law status of the seed: good, withdrawn, reversed, vacated or superseded."),
        C("treatment", "text", "How the case treats the seed overall: from case_treatments when labelled, otherwise the "
          "strongest treatment among its references, ranked as in treatment_ranks."),
        C("depth", "text", "mentioned, cited, discussed or examined: from case_treatments when labelled, otherwise estimated "
          "from the number of references, parentheticals and quotations."),
        C("references_count", "integer", "Number of references the case makes to the seed."),
        C("pin_cites", "text", "Distinct pin pages cited, comma-separated."),
        C("parentheticals", "text", "Distinct explanatory parentheticals, joined with ' | '."),
        C("relies_on_withdrawn", "integer", "1 when a reference relies on a withdrawn seed without noting the withdrawal."),
        C("first_seen", "text", "When citator first found a reference of this case to the seed (start of that run, UTC)."),
        C("source_url", "text", "The case at its source (CourtListener or the Caselaw Access Project)."),
        C("corrected_references", "integer", "References whose treatment a researcher corrected (see corrections)."),
        C("correction_notes", "text", "The researchers' notes on those corrections, joined with ' | '."),
    ),
    pk=("citing_case_id", "authority_key"),
    indexes=(("authority_key", "treatment"), ("treatment",), ("depth",), ("court_id",), ("year",), ("decision_date",)),
    sort_desc="decision_date",
    # who_relies_on_seed reads a seed's cases in this order: it walks the index and stops at the page's end.
    expression_indexes=(("idx_reliance_depth_order",
                         f"authority_key, ({DEPTH_ORDER}), references_count desc, decision_date"),),
    # ~430,000 rows at a million references: each facet counts them all on every page view (~50 ms),
    # two default facets made two thirds of the page's time, so all are one click away; citing and
    # negative cases per seed are in authority_status, and seed, court and year are faceted on every
    # page of references_by_court_year (a few thousand rows).
    facet_links=("authority_key", "treatment", "depth", "court_id", "year"),
)

REFERENCES_BY_COURT_YEAR = Table(
    "references_by_court_year",
    "Counts of references to each seed and of the cases making them, by court and year: the table "
    "behind the charts. A summary of citations, rebuilt after every extraction.",
    (
        C("authority_key", "text", "The seed authority."),
        C("court_id", "text", "Court of the citing cases."),
        C("court", "text", "Court name."),
        C("year", "integer", "Year the citing cases were decided."),
        C("references_count", "integer", "References to the seed from that court in that year."),
        C("citing_cases", "integer", "Distinct cases from that court in that year citing the seed."),
    ),
    pk=None,
    indexes=(("authority_key", "court_id", "year"),),
    sort_desc="year",
    facets=("authority_key", "court_id", "year"),
)

AUTHORITY_STATUS = Table(
    "authority_status",
    "Each seed authority with its good-law status, subsequent history and how often, and how "
    "negatively, it is cited. A summary of citations, rebuilt after every extraction.",
    (
        C("authority_key", "text", "Short stable name of the seed, e.g. bernstein-9th."),
        C("name", "text", "Case name as usually cited."),
        C("citation", "text", "Primary reporter citation."),
        C("court", "text", "Court id."),
        C("decided", "text", "Decision date."),
        C("status", "text", "Good-law status: good, withdrawn, reversed, vacated or superseded."),
        C("history", "text", "Subsequent history (JSON list of {relation, citation, date, note})."),
        C("case_id", "text", "The harvested case for this seed, when citator holds its text."),
        C("references_count", "integer", "References to the seed found so far."),
        C("citing_cases", "integer", "Distinct cases citing the seed."),
        C("negative_cases", "integer", "Cases with at least one reference that distinguishes or criticizes the seed."),
        C("relies_on_withdrawn_references", "integer", "References relying on the seed although it was withdrawn, without noting it."),
        C("last_cited_year", "integer", "Most recent year a case cited the seed."),
    ),
    pk="authority_key",
    facets=("status",),
)

PIN_CITE_COUNTS = Table(
    "pin_cite_counts",
    "What each seed is cited for: one row per seed and pin page, with how many references and cases "
    "cite that page and their parentheticals and quotations (the cited_for query reads it). A summary "
    "of citations, rebuilt after every extraction.",
    (
        C("authority_key", "text", "The seed authority."),
        C("pin_page", "text", "The pin page as written and normalized, e.g. 1141; '(no pin)' for references without one."),
        C("references_count", "integer", "References to the seed at that page."),
        C("citing_cases", "integer", "Distinct cases citing the seed at that page."),
        C("parentheticals", "text", "Distinct parentheticals of those references, in the order first found, joined with ' | '."),
        C("quotations", "text", "Distinct quotations from the seed in those references, in the order first found, joined with ' | '."),
    ),
    pk=("authority_key", "pin_page"),
    facets=("authority_key",),
)

SECOND_DEGREE_LINKS = Table(
    "second_degree_links",
    "Second-degree reliance: one row per seed, citing case and the case it cites (the via case) which "
    "itself cites the seed, with how the via case treats the seed and how many references make the link. "
    "The second_degree query reads it. A summary of citations, rebuilt after every extraction.",
    (
        C("authority_key", "text", "The seed authority."),
        C("citing_case_id", "text", "The case citing the via case."),
        C("case_name", "text", "Name of the citing case."),
        C("court", "text", "Court of the citing case."),
        C("year", "integer", "Year the citing case was decided."),
        C("decision_date", "text", "Date the citing case was decided."),
        C("via_case_id", "text", "The case cited, which itself cites the seed."),
        C("via_case_name", "text", "Name of the via case."),
        C("via_treatment", "text", "How the via case treats the seed (as in reliance)."),
        C("via_depth", "text", "How deeply the via case engages the seed: mentioned, cited, discussed or examined."),
        C("references_count", "integer", "References of the citing case to the via case (by case id or reporter citation)."),
        C("source_url", "text", "The citing case at its source."),
    ),
    pk=("authority_key", "citing_case_id", "via_case_id"),
    # The second_degree query's order: a seed's rows by decision date, walked and cut at the page.
    indexes=(("authority_key", "decision_date", "citing_case_id", "via_case_id"),),
    sort_desc="decision_date",
    facet_links=("authority_key", "via_treatment", "via_depth"),
)

#: Every summary table db/web/summaries.py rebuilds.
SUMMARY_TABLES: tuple[Table, ...] = (RELIANCE, REFERENCES_BY_COURT_YEAR, AUTHORITY_STATUS, PIN_CITE_COUNTS, SECOND_DEGREE_LINKS)

#: Every table of the current schema.
TABLES: tuple[Table, ...] = (
    META,
    CASES,
    AUTHORITIES,
    CASE_CITATIONS,
    CASE_SOURCES,
    OPINIONS,
    CITATIONS,
    CASE_TREATMENTS,
    RUNS,
    RUN_ERRORS,
    EXTRACTIONS,
    CHANGES,
    SOURCE_STATE,
    CRAWL_FRONTIER,
    REQUEST_BUDGET,
    CAP_CITES_TO,
    *SUMMARY_TABLES,
    CORRECTIONS,
    TREATMENT_RANKS,
)


def table(name: str) -> Table:
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(name)


# ---- creating and upgrading ---------------------------------------------------------------------

#: The version of the current schema: the number of migration steps.
SCHEMA_VERSION = len(MIGRATIONS)

_TYPES = {"text": str, "integer": int, "real": float}


def create_table(db: sqlite_utils.Database, table: Table) -> None:
    """Create `table` if missing, with its foreign keys and indexes."""
    if not db[table.name].exists():
        db[table.name].create(
            {c.name: _TYPES[c.type] for c in table.columns},
            pk=table.pk,
            foreign_keys=list(table.foreign_keys),
            not_null=set(table.not_null) or None,
        )
    existing = {c.name for c in db[table.name].columns}
    for column in table.columns:
        if column.name not in existing:  # a table of that name the file already held (--init)
            db[table.name].add_column(column.name, _TYPES[column.type])
    for index in table.indexes:
        db[table.name].create_index(list(index), if_not_exists=True)
    for name, listed in table.expression_indexes:
        db.execute(f"create index if not exists {name} on {table.name} ({listed})")


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _record_version(db: sqlite_utils.Database, version: int) -> None:
    db.execute(f"PRAGMA user_version = {version}")
    db["citator_meta"].upsert({"key": "schema_version", "value": str(version)}, pk="key")


def migrate(db: sqlite_utils.Database) -> int:
    """Bring `db` to the current schema; returns the version. Safe to call on every open.

    A database at version 0 (new, or adopted with --init) gets the current tables at once; an older
    citator database takes the migration steps it has not had, one transaction each. Python's
    sqlite3 opens no transaction before DDL, so each CREATE would otherwise commit (and sync) on its
    own; in one, a step that fails leaves nothing half done.
    """
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise NewerDatabase(
            f"{_name(db)} has schema version {current}, newer than this citator knows ({SCHEMA_VERSION}); "
            "upgrade citator (pip install -U citator) to use it"
        )
    if current == 0:
        with db.conn:
            db.execute("BEGIN")
            for t in TABLES:
                create_table(db, t)
            _record_version(db, SCHEMA_VERSION)
        return SCHEMA_VERSION
    for version in range(current, SCHEMA_VERSION):
        with db.conn:
            db.execute("BEGIN")
            MIGRATIONS[version](db)
            _record_version(db, version + 1)
    return SCHEMA_VERSION


# ---- database identity ------------------------------------------------------------------------
#
# A citator database carries SQLite's `application_id` (APPLICATION_ID) in its header besides its
# schema version in `user_version`, so a typo in --db can never turn somebody else's database into
# a citator one. The mark is set by `mark` when citator creates a database or adopts one
# (store.open_database), outside the numbered migrations: it is a fact about the file, not a step
# of the schema. Databases made before the mark existed are recognised by their schema.

#: `PRAGMA application_id` of citator databases: the bytes "CTTR".
APPLICATION_ID = 0x43545452

#: Tables every citator schema since v1 has; an unmarked database holding them all, whose
#: citator_meta does not contradict its user_version, is a citator database made before the mark.
CORE_TABLES = ("citator_meta", "authorities", "cases", "opinions", "citations", "runs", "run_errors")


class DatabaseRefused(Exception):
    """The file is not a database this citator may use as asked; the message says why and what to do."""


class ForeignDatabase(DatabaseRefused):
    """A non-empty SQLite database that citator did not make."""


class NewerDatabase(DatabaseRefused):
    """A citator database with a newer schema than this citator knows."""


def _name(db: sqlite_utils.Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return (row[2] if row and row[2] else "the database")


def application_id(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA application_id").fetchone()[0]


def identify(db: sqlite_utils.Database) -> str:
    """What the open database is: `empty`, `citator` (marked), `legacy` (a citator database made
    before the mark, recognised by its schema), `newer` (citator, newer schema) or `foreign`."""
    app_id = application_id(db)
    version = schema_version(db)
    if app_id == APPLICATION_ID:
        return "newer" if version > SCHEMA_VERSION else "citator"
    objects = db.execute("select count(*) from sqlite_master where name not like 'sqlite_%'").fetchone()[0]
    if app_id == 0 and objects == 0 and version == 0:
        return "empty"
    if app_id != 0 or version < 1:
        return "foreign"
    tables = {r[0] for r in db.execute("select name from sqlite_master where type = 'table'")}
    if not set(CORE_TABLES) <= tables:
        return "foreign"
    row = db.execute("select value from citator_meta where key = 'schema_version'").fetchone()
    if row and str(row[0]) != str(version):
        return "foreign"  # citator's own tables record the same version as the header
    return "newer" if version > SCHEMA_VERSION else "legacy"


def describe_foreign(db: sqlite_utils.Database) -> str:
    """What a foreign database holds, for the refusal message."""
    names = [r[0] for r in db.execute(
        "select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' order by name limit 6")]
    shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
    app_id = application_id(db)
    owner = f" (application_id {app_id:#x}, another program's)" if app_id else ""
    return f"{_name(db)} is a SQLite database citator did not make{owner}" + (f"; it holds {shown}" if shown else "")


def check_identity(db: sqlite_utils.Database, *, adopt: bool = False, writing: bool = True) -> str:
    """Refuse what this open must not touch; returns `identify(db)`.

    A foreign database is refused unless `adopt` (the --init option) asks to make it a citator
    database; a newer schema is always refused.
    """
    kind = identify(db)
    if kind == "newer":
        raise NewerDatabase(
            f"{_name(db)} has schema version {schema_version(db)}, newer than this citator knows ({SCHEMA_VERSION}); "
            "upgrade citator (pip install -U citator) to use it")
    if kind == "foreign" and not (adopt and writing):
        what = describe_foreign(db)
        if writing:
            raise ForeignDatabase(f"{what}; not adding citator's tables to it. Check --db (or $CITATOR_DB), "
                                  "or pass --init to make this file a citator database")
        raise ForeignDatabase(f"{what}; check --db (or $CITATOR_DB)")
    return kind


def mark(db: sqlite_utils.Database) -> None:
    """Write citator's application_id into the file header (created or adopted databases)."""
    if application_id(db) != APPLICATION_ID:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
