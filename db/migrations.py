"""The numbered steps that bring an older citator database to the current schema.

Each step is written out as literal table shapes, columns and indexes, never by reference to the
current declarations in db/schema.py: a step describes what the schema became at that version, and
must keep doing exactly that however the current tables change later. So: append a step, never edit
one. `MIGRATIONS[n]` takes a database from version n to n + 1; a new database is created from the
current declarations directly (`schema.migrate`), and tests/db/test_schema_migrations.py checks that
the steps, applied from an empty file, arrive at exactly that schema.

Every step is idempotent (create if missing, add a column if missing, index if missing), because
databases made before the steps were frozen may already hold some of what a step adds.
What each version added, and why, is told in CHANGES.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils

_TYPES = {"text": str, "integer": int, "real": float}


def _columns(spec: str) -> dict[str, type]:
    """'id text, year integer' -> {'id': str, 'year': int}, in order."""
    pairs = (item.split() for item in spec.split(","))
    return {name: _TYPES[kind] for name, kind in pairs}


def _create(db: sqlite_utils.Database, name: str, columns: str, *, pk: str | tuple[str, ...] | None,
            foreign_keys: tuple[tuple[str, str, str], ...] = (), indexes: tuple[tuple[str, ...], ...] = ()) -> None:
    """Create table `name` as the step knew it, when missing; add any of its columns it lacks."""
    shape = _columns(columns)
    table = db[name]
    if not table.exists():
        table.create(shape, pk=pk, foreign_keys=list(foreign_keys))
    else:
        _add(db, name, columns)
    for index in indexes:
        table.create_index(list(index), if_not_exists=True)


def _add(db: sqlite_utils.Database, name: str, columns: str) -> None:
    existing = {c.name for c in db[name].columns}
    for column, kind in _columns(columns).items():
        if column not in existing:
            db[name].add_column(column, kind)


def _index(db: sqlite_utils.Database, name: str, *indexes: tuple[str, ...]) -> None:
    for index in indexes:
        db[name].create_index(list(index), if_not_exists=True)


def _v1_skeleton(db: sqlite_utils.Database) -> None:
    _create(db, "citator_meta", "key text, value text", pk="key")
    _create(db, "cases", "id text, name text, name_short text, court_id text, court text, decision_date text, "
            "year integer, docket_number text, citation text, url text, depth integer, first_seen_run integer, "
            "updated_at text", pk="id", indexes=(("court_id",), ("year",), ("decision_date",)))
    _create(db, "authorities", "key text, name text, citation text, citations text, court text, decided text, "
            "short_names text, nicknames text, status text, history text, family text, last_page integer, "
            "case_id text", pk="key", foreign_keys=(("case_id", "cases", "id"),))
    _create(db, "case_citations", "cite text, case_id text, volume text, reporter text, page text, type text",
            pk=("case_id", "cite"), foreign_keys=(("case_id", "cases", "id"),), indexes=(("cite",),))
    _create(db, "case_sources", "case_id text, source text, source_id text, url text, fetched_at text",
            pk=("case_id", "source", "source_id"), foreign_keys=(("case_id", "cases", "id"),))
    _create(db, "opinions", "id text, case_id text, type text, author text, ordinal integer, text text, "
            "text_format text, text_field text, text_sha256 text, source text, source_id text, url text, "
            "fetched_at text", pk="id", foreign_keys=(("case_id", "cases", "id"),), indexes=(("case_id",),))
    _create(db, "citations", "id text, opinion_id text, citing_case_id text, authority_key text, cited_case_id text, "
            "as_written text, cite text, kind text, pin_cite text, parenthetical text, signal text, "
            "span_start integer, span_end integer, sentence text, context text, in_footnote integer, "
            "opinion_part text, ambiguous integer, candidates text, subsequent_history text, quotation text, "
            "treatment text, confidence real, evidence text, relies_on_withdrawn integer, first_seen_run integer",
            pk="id",
            foreign_keys=(("opinion_id", "opinions", "id"), ("citing_case_id", "cases", "id"),
                          ("authority_key", "authorities", "key"), ("cited_case_id", "cases", "id")),
            indexes=(("opinion_id",), ("citing_case_id",), ("authority_key", "treatment"), ("cited_case_id",),
                     ("first_seen_run",)))
    _create(db, "runs", "id integer, command text, started_at text, ended_at text, status text, "
            "documents_fetched integer, new_cases integer, new_opinions integer, new_references integer, "
            "errors integer, message text", pk="id")
    _create(db, "run_errors", "id integer, run_id integer, source text, url text, message text, at text",
            pk="id", foreign_keys=(("run_id", "runs", "id"),), indexes=(("run_id",),))


def _v2_treatments(db: sqlite_utils.Database) -> None:
    _add(db, "cases", "withdrawn_risk integer, withdrawn_risk_path text")
    _create(db, "case_treatments", "citing_case_id text, authority_key text, treatment text, depth text, "
            "references_count integer, confidence real, treatment_counts text, relies_on_withdrawn integer, "
            "pin_cites text, parentheticals text", pk=("citing_case_id", "authority_key"),
            foreign_keys=(("citing_case_id", "cases", "id"), ("authority_key", "authorities", "key")),
            indexes=(("authority_key", "treatment"),))


def _v3_refresh(db: sqlite_utils.Database) -> None:
    _create(db, "extractions", "opinion_id text, text_sha256 text, fingerprint text, references_found integer, "
            "run_id integer, extracted_at text", pk="opinion_id", foreign_keys=(("opinion_id", "opinions", "id"),))
    _create(db, "changes", "id integer, run_id integer, kind text, row_id text, at text", pk="id",
            indexes=(("run_id",), ("kind", "row_id")))
    _create(db, "source_state", "source text, key text, value text, updated_at text", pk=("source", "key"))


def _v4_harvest(db: sqlite_utils.Database) -> None:
    _create(db, "crawl_frontier", "source text, key text, kind text, depth integer, priority real, payload text, "
            "cursor text, status text, attempts integer, last_error text, added_run integer, done_run integer, "
            "updated_at text", pk=("source", "key"), indexes=(("source", "status", "depth", "priority"),))
    _create(db, "request_budget", "source text, day text, requests integer", pk=("source", "day"))
    _create(db, "cap_cites_to", "cap_case_id integer, case_id text, opinion_index integer, opinion_id text, cite text, "
            "reporter text, category text, cited_cap_case_ids text, case_paths text, weight integer, pin_cites text, "
            "year integer", pk=("cap_case_id", "opinion_index", "cite"), foreign_keys=(("case_id", "cases", "id"),),
            indexes=(("case_id",), ("cite",)))


def _v5_facet_indexes(db: sqlite_utils.Database) -> None:
    _index(db, "citations", ("kind",), ("signal",), ("authority_key", "kind"), ("authority_key", "signal"))


def _v6_site_summaries(db: sqlite_utils.Database) -> None:
    for name in ("reliance", "references_by_court_year", "authority_status", "pin_cite_counts"):
        if name in db.view_names():  # these were views before v6
            db.execute(f"drop view [{name}]")
    _create(db, "reliance", "citing_case_id text, case_name text, court_id text, court text, year integer, "
            "decision_date text, citation text, authority_key text, authority_status text, treatment text, depth text, "
            "references_count integer, pin_cites text, parentheticals text, relies_on_withdrawn integer, "
            "first_seen text, source_url text", pk=("citing_case_id", "authority_key"),
            indexes=(("authority_key", "treatment"), ("treatment",), ("depth",), ("court_id",), ("year",),
                     ("decision_date",)))
    _create(db, "references_by_court_year", "authority_key text, court_id text, court text, year integer, "
            "references_count integer, citing_cases integer", pk=None, indexes=(("authority_key", "court_id", "year"),))
    _create(db, "authority_status", "authority_key text, name text, citation text, court text, decided text, "
            "status text, history text, case_id text, references_count integer, citing_cases integer, "
            "negative_cases integer, relies_on_withdrawn_references integer, last_cited_year integer",
            pk="authority_key")
    _create(db, "pin_cite_counts", "authority_key text, pin_page text, references_count integer, citing_cases integer, "
            "parentheticals text, quotations text", pk=("authority_key", "pin_page"))
    db.execute("create index if not exists idx_reliance_depth_order on reliance (authority_key, (case depth when "
               "'examined' then 0 when 'discussed' then 1 when 'cited' then 2 else 3 end), references_count desc, "
               "decision_date)")
    _index(db, "case_treatments", ("treatment",), ("depth",))
    _index(db, "citations", ("authority_key", "id"), ("treatment", "first_seen_run"))


def _v7_second_degree(db: sqlite_utils.Database) -> None:
    _index(db, "citations", ("first_seen_run", "authority_key"))
    _create(db, "second_degree_links", "authority_key text, citing_case_id text, case_name text, court text, "
            "year integer, decision_date text, via_case_id text, via_case_name text, via_treatment text, "
            "via_depth text, references_count integer, source_url text",
            pk=("authority_key", "citing_case_id", "via_case_id"),
            indexes=(("authority_key", "decision_date", "citing_case_id", "via_case_id"),))


def _v8_redundant_indexes(db: sqlite_utils.Database) -> None:
    for name in ("idx_citations_first_seen_run", "idx_citations_treatment"):
        db.execute(f"drop index if exists [{name}]")


def _v9_corrections(db: sqlite_utils.Database) -> None:
    _create(db, "corrections", "reference_id text, treatment text, note text, model_treatment text, opinion_id text, "
            "authority_key text, span_start integer, span_end integer, as_written text, corrected_at text",
            pk="reference_id", indexes=(("opinion_id",),))
    _create(db, "treatment_ranks", "treatment text, rank integer", pk="treatment")
    _add(db, "case_treatments", "corrected_references integer, correction_notes text")
    _add(db, "reliance", "corrected_references integer, correction_notes text")
    _add(db, "changes", "detail text")
    _add(db, "citations", "resolution_note text")


#: `MIGRATIONS[n]` takes a database at version n to version n + 1. Append, never edit.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_skeleton,
    _v2_treatments,
    _v3_refresh,
    _v4_harvest,
    _v5_facet_indexes,
    _v6_site_summaries,
    _v7_second_degree,
    _v8_redundant_indexes,
    _v9_corrections,
]
