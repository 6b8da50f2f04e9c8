"""All writes to the citator database go through here.

Every row has a stable key from its source, and every write is an upsert on that key, so rerunning
any stage never duplicates rows. Records arrive as plain dataclasses from the harvesters and the
citations stage; this module knows the tables, they do not.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from citator.citations.models import Authority, Reference
from citator.db import bulk_indexes, corrections
from citator.db.readonly import ReadOnlyDatabase
from citator.db.schema import migrate
from citator.db.schema import DatabaseRefused, check_identity, mark
from citator.db.scrub import register_secret, scrub  # noqa: F401  (register_secret: re-exported)

if TYPE_CHECKING:  # imported where a database is opened for writing: `citator status` never loads it
    import sqlite_utils


def utcnow() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class CaseRecord:
    """A case as a source describes it; `citations` are normalized reporter cites."""

    id: str
    name: str
    source: str
    source_id: str
    url: str | None = None
    name_short: str | None = None
    court_id: str | None = None
    court: str | None = None
    decision_date: str | None = None
    docket_number: str | None = None
    citations: list[tuple[str, str]] = field(default_factory=list)  # (cite, type)
    depth: int = 1


@dataclass
class OpinionRecord:
    id: str
    case_id: str
    text: str
    text_format: str
    text_field: str
    source: str
    source_id: str
    url: str | None = None
    type: str = "majority"
    author: str | None = None
    ordinal: int = 0


class DatabaseMissing(DatabaseRefused):
    """A command that only reads was pointed at a file that does not exist."""


def open_database(path: str | Path, *, readonly: bool = False, adopt: bool = False) -> sqlite_utils.Database | ReadOnlyDatabase:
    """Open the citator database at `path`.

    Writing (the default): create it if missing, refuse a foreign or newer one (`db.schema.check_identity`;
    `adopt` is the --init option), mark it as citator's when created or adopted, and migrate it.
    `readonly`: open it read-only, never create, mark or migrate; for commands that only look. The
    database is then read through sqlite3 alone (`db.readonly.ReadOnlyDatabase`), which db/'s
    query functions read as they read a sqlite_utils Database.
    """
    path = Path(path)
    if readonly:
        return _open_readonly(path)
    import sqlite_utils

    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    try:
        db.execute("PRAGMA busy_timeout = 10000")
        kind = check_identity(db, adopt=adopt)
        db.execute("PRAGMA foreign_keys = ON")
        if kind != "citator":  # created, adopted with --init, or made before the mark existed
            mark(db)
        migrate(db)
        bulk_indexes.repair(db)  # indexes a killed `citator bulk` load had set aside
    except BaseException:
        db.conn.close()
        raise
    return db


def _open_readonly(path: Path) -> ReadOnlyDatabase:
    if not path.exists():
        raise DatabaseMissing(f"no database at {path}; run `citator refresh` first, or check --db (or $CITATOR_DB)")
    if path.is_dir():
        raise DatabaseMissing(f"{path} is a folder, not a database; check --db (or $CITATOR_DB)")
    uri = path.resolve().as_uri() + "?mode=ro"
    for attempt in range(2):
        conn = sqlite3.connect(uri, uri=True)
        db = ReadOnlyDatabase(conn)
        try:
            db.execute("PRAGMA busy_timeout = 10000")
            check_identity(db, writing=False)
            return db
        except sqlite3.OperationalError as exc:
            conn.close()
            if attempt or "readonly" not in str(exc):
                raise
            # A crash mid-publish left a hot journal, which a read-only connection cannot roll
            # back: let SQLite roll it back (restoring the last published state), then read.
            writer = sqlite3.connect(path)
            try:
                writer.execute("select count(*) from sqlite_master").fetchone()
            finally:
                writer.close()
        except BaseException:
            conn.close()
            raise
    raise AssertionError("unreachable")


def close_interrupted_runs(db: sqlite_utils.Database) -> int:
    """Mark `interrupted` every run still `running`. Only called by a writer holding the run lock
    (`citator.runlock`): no other run can then be alive, so those runs' processes died."""
    cursor = db.execute(
        "update runs set status = 'interrupted', message = coalesce(nullif(message, ''), ?) where status = 'running'",
        ["its process ended before the run finished (killed, or the machine stopped)"],
    )
    if cursor.rowcount:
        db.conn.commit()
    return cursor.rowcount


def _split_cite(cite: str) -> tuple[str, str, str]:
    volume, _, rest = cite.partition(" ")
    reporter, _, page = rest.rpartition(" ")
    return volume, reporter, page


def find_case_by_citations(db: sqlite_utils.Database, cites: Iterable[str]) -> str | None:
    """The id of a case already stored under any of `cites`, so two sources make one case."""
    cites = list(cites)
    if not cites:
        return None
    placeholders = ",".join("?" for _ in cites)
    row = db.execute(
        f"select case_id from case_citations where cite in ({placeholders}) order by case_id limit 1", cites
    ).fetchone()
    return row[0] if row else None


#: Columns `upsert_case` writes, besides depth and first_seen_run (set only on a new case).
_CASE_COLUMNS = ("id", "name", "name_short", "court_id", "court", "decision_date", "year", "docket_number",
                 "citation", "url", "updated_at")


def _case_columns(db: sqlite_utils.Database, case_id: str) -> dict[str, Any] | None:
    row = db.execute(f"select {', '.join(_CASE_COLUMNS)}, depth from cases where id = ?", [case_id]).fetchone()
    return dict(zip((*_CASE_COLUMNS, "depth"), row)) if row else None


def _check_types(record: object, texts: Sequence[str], required: Sequence[str] = (), whole: Sequence[str] = ()) -> None:
    """A record built from a source's data must hold text where text goes: a source answering a list
    or a number there raises TypeError (a malformed document, recorded as such by the harvesters)
    instead of reaching SQLite as a binding error or a stored list."""
    for name in texts:
        value = getattr(record, name)
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{type(record).__name__}.{name} must be text, not {type(value).__name__}")
    for name in required:
        if not isinstance(getattr(record, name), str):
            raise TypeError(f"{type(record).__name__}.{name} must be text")
    for name in whole:
        value = getattr(record, name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{type(record).__name__}.{name} must be a whole number, not {type(value).__name__}")


def upsert_case(db: sqlite_utils.Database, case: CaseRecord, run_id: int | None = None) -> tuple[str, bool]:
    """Store a case; returns (the case id used, whether it is new).

    A case already known under one of its reporter citations keeps its first id; the new source is
    recorded in case_sources, so provenance from every source survives. Plain SQL rather than
    sqlite-utils' table methods: `citator bulk` calls this for every opinion it stores, and the
    table methods' introspection cost ten times the writes themselves.
    """
    _check_types(case, ("name_short", "court_id", "court", "decision_date", "docket_number", "url"),
                 required=("id", "name", "source", "source_id"), whole=("depth",))
    if not all(isinstance(c, str) and isinstance(t, str) for c, t in case.citations):
        raise TypeError("CaseRecord.citations must be (text, text) pairs")
    current = _case_columns(db, case.id)
    case_id = case.id
    if current is None:
        case_id = find_case_by_citations(db, [c for c, _ in case.citations]) or case.id
        if case_id != case.id:
            current = _case_columns(db, case_id)
    is_new = current is None
    year = None
    if case.decision_date and case.decision_date[:4].isdigit():
        year = int(case.decision_date[:4])
    row: dict[str, Any] = {
        "id": case_id,
        "name": case.name,
        "name_short": case.name_short,
        "court_id": case.court_id,
        "court": case.court,
        "decision_date": case.decision_date,
        "year": year,
        "docket_number": case.docket_number,
        "citation": case.citations[0][0] if case.citations else None,
        "url": scrub(case.url),
        "updated_at": utcnow(),
    }
    if is_new:
        row["depth"] = case.depth
        row["first_seen_run"] = run_id
        db.execute(f"insert into cases ({', '.join(row)}) values ({', '.join('?' for _ in row)})", list(row.values()))
    else:
        # Keep what an earlier source supplied; fill only what is missing, and the shallowest depth.
        update = {k: v for k, v in row.items() if v not in (None, "") and current.get(k) in (None, "")}
        if current.get("depth") is None or case.depth < current["depth"]:
            update["depth"] = case.depth
        if update:
            db.execute(f"update cases set {', '.join(f'{k} = ?' for k in update)} where id = ?", [*update.values(), case_id])
    for cite, cite_type in case.citations:
        volume, reporter, page = _split_cite(cite)
        db.execute(
            "insert into case_citations (cite, case_id, volume, reporter, page, type) values (?, ?, ?, ?, ?, ?) "
            "on conflict (case_id, cite) do update set volume = excluded.volume, reporter = excluded.reporter, "
            "page = excluded.page, type = excluded.type",
            [cite, case_id, volume, reporter, page, cite_type],
        )
    db.execute(
        "insert into case_sources (case_id, source, source_id, url, fetched_at) values (?, ?, ?, ?, ?) "
        "on conflict (case_id, source, source_id) do update set url = excluded.url, fetched_at = excluded.fetched_at",
        [case_id, case.source, case.source_id, scrub(case.url), utcnow()],
    )
    return case_id, is_new


def upsert_opinion(db: sqlite_utils.Database, opinion: OpinionRecord) -> tuple[bool, bool]:
    """Store an opinion; returns (is new, text changed).

    An unchanged text (same SHA-256) is not rewritten: a rerun of `citator bulk` updates the
    opinion's other columns without copying its (often large) text again.
    """
    _check_types(opinion, ("author", "url"), required=("id", "case_id", "text", "text_format", "text_field", "source",
                                                        "source_id", "type"), whole=("ordinal",))
    digest = sha256_text(opinion.text)
    current = db.execute("select text_sha256 from opinions where id = ?", [opinion.id]).fetchone()
    row = {
        "id": opinion.id,
        "case_id": opinion.case_id,
        "type": opinion.type,
        "author": opinion.author,
        "ordinal": opinion.ordinal,
        "text": opinion.text,
        "text_format": opinion.text_format,
        "text_field": opinion.text_field,
        "text_sha256": digest,
        "source": opinion.source,
        "source_id": opinion.source_id,
        "url": scrub(opinion.url),
        "fetched_at": utcnow(),
    }
    if current is None:
        db.execute(f"insert into opinions ({', '.join(row)}) values ({', '.join('?' for _ in row)})", list(row.values()))
    else:
        if current[0] == digest:
            del row["text"]
        opinion_id = row.pop("id")
        db.execute(f"update opinions set {', '.join(f'{k} = ?' for k in row)} where id = ?", [*row.values(), opinion_id])
    return current is None, current is None or current[0] != digest


def store_authorities(db: sqlite_utils.Database, authorities: Sequence[Authority]) -> None:
    """Write the configured seeds, linking each to its harvested case when citator holds it."""
    for authority in authorities:
        db["authorities"].upsert(
            {
                "key": authority.key,
                "name": authority.name,
                "citation": authority.primary_citation,
                "citations": json.dumps(list(authority.citations)),
                "court": authority.court,
                "decided": authority.decided,
                "short_names": json.dumps(list(authority.short_names)),
                "nicknames": json.dumps(list(authority.nicknames)),
                "status": authority.status,
                "history": json.dumps([h.__dict__ for h in authority.history]),
                "family": authority.family,
                "last_page": authority.last_page,
                "case_id": find_case_by_citations(db, authority.citations),
            },
            pk="key",
        )


def reference_id(opinion_id: str, ref: Reference) -> str:
    key = f"{opinion_id}|{ref.start}|{ref.end}|{ref.authority_key or ref.cite or ''}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def citation_row(
    opinion_id: str, citing_case_id: str, ref: Reference, cited_case_id: str | None, first_seen_run: int | None
) -> dict[str, Any]:
    """The `citations` row for one reference: the one mapping from `Reference` to the table,
    used by every writer (extraction here, `citator bulk` in db/bulk_store.py)."""
    return {
        "id": reference_id(opinion_id, ref),
        "opinion_id": opinion_id,
        "citing_case_id": citing_case_id,
        "authority_key": ref.authority_key,
        "cited_case_id": cited_case_id,
        "as_written": ref.as_written,
        "cite": ref.cite,
        "kind": ref.kind,
        "pin_cite": ref.pin_cite,
        "parenthetical": ref.parenthetical,
        "signal": ref.signal,
        "span_start": ref.start,
        "span_end": ref.end,
        "sentence": ref.sentence,
        "context": ref.paragraph,
        "in_footnote": int(ref.in_footnote),
        "opinion_part": ref.opinion_part,
        "ambiguous": int(ref.ambiguous),
        "candidates": json.dumps(list(ref.candidates)),
        "subsequent_history": ref.subsequent_history,
        "quotation": ref.quotation,
        "treatment": ref.treatment,
        "confidence": ref.confidence,
        "evidence": json.dumps(list(ref.evidence)),
        "relies_on_withdrawn": int(bool(ref.extra.get("relies_on_withdrawn"))),
        "first_seen_run": first_seen_run,
        "resolution_note": ref.resolution_note,
    }


def replace_references(
    db: sqlite_utils.Database,
    opinion_id: str,
    citing_case_id: str,
    references: Sequence[Reference],
    *,
    cited_case_ids: dict[str, str | None],
    run_id: int | None = None,
) -> int:
    """Replace the references of one opinion; returns how many were not there before.

    Rows keep `first_seen_run` across reruns so "new since" queries and feeds stay truthful. A
    researcher's correction (table `corrections`) is applied to its reference as it is written, and
    with `run_id` each reference whose treatment changed is recorded in `changes`
    (`treatment_changed`, e.g. after a new treatment model re-labelled it).
    """
    previous = {
        row["id"]: (row["first_seen_run"], row["treatment"])
        for row in db.query("select id, first_seen_run, treatment from citations where opinion_id = ?", [opinion_id])
    }
    fixes = corrections.for_opinion(db, opinion_id)
    rows = []
    for ref in references:
        rid = reference_id(opinion_id, ref)
        cited = cited_case_ids.get(ref.authority_key) if ref.authority_key else ref.extra.get("cited_case_id")
        row = citation_row(opinion_id, citing_case_id, ref, cited, (previous.get(rid) or (None,))[0] or run_id)
        rows.append(corrections.corrected(row, fixes[rid]) if rid in fixes else row)
    relabelled = [
        (r["id"], f"{previous[r['id']][1]} -> {r['treatment']}")
        for r in rows
        if r["id"] in previous and previous[r["id"]][1] != r["treatment"]
    ]
    with db.conn:
        db.execute("delete from citations where opinion_id = ?", [opinion_id])
        if rows:
            db["citations"].insert_all(rows, pk="id")
        if run_id is not None and relabelled:
            db.conn.executemany(
                "insert into changes (run_id, kind, row_id, at, detail) values (?, 'treatment_changed', ?, ?, ?)",
                [(run_id, rid, utcnow(), detail) for rid, detail in relabelled],
            )
    return sum(1 for r in rows if r["id"] not in previous)


# ---- runs -------------------------------------------------------------------------------------


def start_run(db: sqlite_utils.Database, command: str) -> int:
    table = db["runs"]
    table.insert(
        {"command": command, "started_at": utcnow(), "status": "running", "documents_fetched": 0,
         "new_cases": 0, "new_opinions": 0, "new_references": 0, "errors": 0},
        pk="id",
    )
    return table.last_pk


def record_error(db: sqlite_utils.Database, run_id: int | None, source: str, message: str, url: str | None = None) -> None:
    if run_id is None:
        return
    db["run_errors"].insert(
        {"run_id": run_id, "source": source, "url": scrub(url), "message": scrub(message), "at": utcnow()}, pk="id"
    )
    db.execute("update runs set errors = errors + 1 where id = ?", [run_id])


def add_counts(db: sqlite_utils.Database, run_id: int | None, **counts: int) -> None:
    if run_id is None or not counts:
        return
    sets = ", ".join(f"{name} = coalesce({name}, 0) + ?" for name in counts)
    db.execute(f"update runs set {sets} where id = ?", [*counts.values(), run_id])


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, message: str = "") -> None:
    db["runs"].update(run_id, {"ended_at": utcnow(), "status": status, "message": scrub(message)})


def recent_runs(db: sqlite_utils.Database, limit: int = 5) -> list[dict[str, Any]]:
    return list(db.query("select * from runs order by id desc limit ?", [limit]))


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    return {name: db[name].count for name in ("authorities", "cases", "opinions", "citations", "runs")}


# ---- harvest: what the crawl asks of the stored cases; CAP cites_to ---------------------------
#
# The crawl frontier and the request budgets are in db/frontier.py.


def citing_case_count(db: sqlite_utils.Database) -> int:
    """Cases found by crawling (depth >= 1): what `crawl.max_cases` bounds."""
    return db.execute("select count(*) from cases where depth >= 1").fetchone()[0]


def case_opinion_sources(db: sqlite_utils.Database, case_id: str) -> set[str]:
    """The sources whose opinion texts citator already holds for a case."""
    return {row[0] for row in db.execute("select distinct source from opinions where case_id = ?", [case_id])}


def case_ids_at_depth(db: sqlite_utils.Database, depth: int) -> list[str]:
    return [row[0] for row in db.execute("select id from cases where depth = ? order by id", [depth])]


def case_cites(db: sqlite_utils.Database, case_ids: Sequence[str]) -> dict[str, str]:
    """Normalized citation -> case id, for the given cases."""
    if not case_ids:
        return {}
    out: dict[str, str] = {}
    for i in range(0, len(case_ids), 500):
        chunk = list(case_ids[i : i + 500])
        rows = db.execute(
            f"select cite, case_id from case_citations where case_id in ({','.join('?' for _ in chunk)})", chunk
        )
        out.update({cite: case_id for cite, case_id in rows})
    return out


def source_case_known(db: sqlite_utils.Database, source: str, source_id: str) -> bool:
    """Whether a source's case (by the source's own id) is stored already."""
    return db.execute("select 1 from case_sources where source = ? and source_id = ?", [source, source_id]).fetchone() is not None


def source_ids(db: sqlite_utils.Database, case_id: str, source: str) -> list[str]:
    """The ids a source uses for a stored case (from case_sources)."""
    return [row[0] for row in db.execute(
        "select source_id from case_sources where case_id = ? and source = ? order by source_id", [case_id, source]
    )]


def store_cap_cites_to(db: sqlite_utils.Database, cap_case_id: int, case_id: str, rows: Sequence[dict[str, Any]]) -> None:
    """Replace CAP's cites_to rows of one CAP case."""
    with db.atomic():
        db.execute("delete from cap_cites_to where cap_case_id = ?", [cap_case_id])
        if rows:
            db["cap_cites_to"].insert_all(
                [{**row, "cap_case_id": cap_case_id, "case_id": case_id} for row in rows],
                pk=("cap_case_id", "opinion_index", "cite"),
                replace=True,
            )

# ---- scheduled refresh: meta, source state, incremental extraction, changes --------------------


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("select value from citator_meta where key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db["citator_meta"].upsert({"key": key, "value": value}, pk="key")


def opinions_to_extract(db: sqlite_utils.Database, fingerprint: str) -> Iterator[dict[str, Any]]:
    """Opinions whose text, or the extraction fingerprint, changed since they were last read.

    The ids are listed first and each text read on demand: the caller writes `extractions` while
    iterating, and a re-read of every opinion (new fingerprint) must not hold all texts in memory.
    """
    ids = [
        row[0]
        for row in db.execute(
            """select o.id from opinions o left join extractions e on e.opinion_id = o.id
               where e.opinion_id is null or e.text_sha256 is not o.text_sha256 or e.fingerprint != ?
               order by o.id""",
            [fingerprint],
        ).fetchall()
    ]
    for opinion_id in ids:
        row = db.execute(
            "select id, case_id, type, text, text_format, text_sha256 from opinions where id = ?", [opinion_id]
        ).fetchone()
        if row:
            yield dict(zip(("id", "case_id", "type", "text", "text_format", "text_sha256"), row))


def mark_extracted(db: sqlite_utils.Database, opinion_id: str, text_sha256: str, fingerprint: str,
                   references_found: int, run_id: int | None) -> None:
    db["extractions"].upsert(
        {"opinion_id": opinion_id, "text_sha256": text_sha256, "fingerprint": fingerprint,
         "references_found": references_found, "run_id": run_id, "extracted_at": utcnow()},
        pk="opinion_id",
    )


def record_changes(db: sqlite_utils.Database, run_id: int) -> dict[str, int]:
    """Write to `changes` the cases and references first seen in `run_id`; returns counts by kind.

    Derived from `first_seen_run`, which the writers above keep across reruns, so the feed is
    right however a run got there (fresh crawl, re-extraction after a lexicon change, a retry).
    """
    at = utcnow()
    counts = {}
    with db.conn:
        # treatment_changed rows are written as references are re-labelled, and stay
        db.execute("delete from changes where run_id = ? and kind in ('new_case', 'new_reference')", [run_id])
        for kind, table in (("new_case", "cases"), ("new_reference", "citations")):
            cursor = db.execute(
                f"insert into changes (run_id, kind, row_id, at) "
                f"select ?, ?, id, ? from {table} where first_seen_run = ? order by id",
                [run_id, kind, at, run_id],
            )
            counts[kind] = cursor.rowcount
    counts["treatment_changed"] = db.execute(
        "select count(*) from changes where run_id = ? and kind = 'treatment_changed'", [run_id]).fetchone()[0]
    return counts


def run_errors(db: sqlite_utils.Database, run_id: int) -> list[dict[str, Any]]:
    return list(db.query("select source, url, message, at from run_errors where run_id = ? order by id", [run_id]))


def run_failures(db: sqlite_utils.Database, run_id: int) -> list[dict[str, Any]]:
    """Per source that failed in `run_id`: how many errors and the first one (already scrubbed)."""
    rows = db.execute(
        "select source, count(*), (select message from run_errors f where f.run_id = e.run_id and f.source = e.source "
        "order by f.id limit 1) from run_errors e where run_id = ? group by source order by min(id)", [run_id]
    ).fetchall()
    return [{"source": source, "errors": count, "first_error": first} for source, count, first in rows]


def copy_progress(source: sqlite_utils.Database, target: sqlite_utils.Database, *, whole_frontier: bool) -> None:
    """Carry a discarded build's request counts and frontier progress into `target` (the published
    database), so the daily budget holds whatever a run's outcome and finished work is not redone.

    Request counts are always copied (each day's count only grows). `whole_frontier` (a run that
    found nothing new: no work of it is thrown away) copies the frontier as the build left it;
    otherwise (a failed run, whose stored results are thrown away) only the items that failed keep
    their failure (attempt count and error), so a document that always fails is given up in time,
    while items done in the discarded build stay to do.
    """
    with target.conn:
        for row in source.execute("select source, day, requests from request_budget").fetchall():
            target.execute(
                "insert into request_budget (source, day, requests) values (?, ?, ?) on conflict(source, day) "
                "do update set requests = max(requests, excluded.requests)", list(row))
        if whole_frontier:
            columns = [r[1] for r in source.execute("pragma table_info(crawl_frontier)")]
            names = ", ".join(f"[{c}]" for c in columns)
            rows = source.execute(f"select {names} from crawl_frontier").fetchall()
            target.execute("delete from crawl_frontier")
            target.conn.executemany(
                f"insert into crawl_frontier ({names}) values ({', '.join('?' for _ in columns)})", rows)
        else:
            for row in source.execute(
                "select attempts, last_error, updated_at, source, key from crawl_frontier where status = 'failed'"
            ).fetchall():
                target.execute(
                    "update crawl_frontier set status = 'failed', attempts = max(attempts, ?), last_error = ?, "
                    "updated_at = ? where source = ? and key = ? and status != 'done'", list(row))


def copy_run(source: sqlite_utils.Database, target: sqlite_utils.Database, run_id: int) -> None:
    """Copy a run's counts and errors from a build copy that will be discarded into `target`,
    so a failed refresh still says what it fetched and what went wrong."""
    row = source.execute(
        "select documents_fetched, new_cases, new_opinions, new_references from runs where id = ?", [run_id]
    ).fetchone()
    if row:
        target["runs"].update(run_id, dict(zip(("documents_fetched", "new_cases", "new_opinions", "new_references"), row)))
    known = {(e["source"], e["url"], e["message"]) for e in run_errors(target, run_id)}
    for error in run_errors(source, run_id):
        if (error["source"], error["url"], error["message"]) not in known:
            target["run_errors"].insert({"run_id": run_id, **error, "message": scrub(error["message"]),
                                         "url": scrub(error["url"])}, pk="id")
    target.execute("update runs set errors = (select count(*) from run_errors where run_id = ?) where id = ?", [run_id, run_id])
