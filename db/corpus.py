"""The stored cases and opinions: writing what the harvesters found (one case however many sources
describe it), the seeds, and what the crawl and the extraction read back (which cases and opinions
are held, their courts, names and citations, and the opinions to read again).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from citator.db.records import CaseRecord, OpinionRecord, SeedFields, check_types, sha256_text, utcnow
from citator.db.scrub import scrub

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils

#: The columns of an opinion that extraction needs, in the order `opinion_to_read` returns them.
OPINION_COLUMNS = ("id", "case_id", "type", "text", "text_format", "text_sha256")


def seed_case_ids(db: sqlite_utils.Database) -> dict[str, str | None]:
    """Seed key -> the id of its stored case (None while citator does not hold it)."""
    return {row["key"]: row["case_id"] for row in db.query("select key, case_id from authorities")}


def case_courts(db: sqlite_utils.Database) -> dict[str, str | None]:
    """Case id -> its court id."""
    return {row["id"]: row["court_id"] for row in db.query("select id, court_id from cases")}


def case_names(db: sqlite_utils.Database) -> dict[str, str]:
    """Case id -> its name."""
    return {row["id"]: row["name"] for row in db.query("select id, name from cases")}


def citations_of_case(db: sqlite_utils.Database, case_id: str) -> list[str]:
    """Every reporter citation stored for one case, in order."""
    return [row["cite"] for row in db.query("select cite from case_citations where case_id = ? order by cite", [case_id])]


def citations_by_case(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """Case id -> its reporter citations, for every case with one (in case id, then cite order)."""
    cites: dict[str, list[str]] = {}
    for row in db.query("select case_id, cite from case_citations order by case_id, cite"):
        cites.setdefault(row["case_id"], []).append(row["cite"])
    return cites


def extracted_opinion_ids(db: sqlite_utils.Database) -> list[str]:
    """The ids of every opinion read before (listed in `extractions`)."""
    return [r[0] for r in db.execute("select opinion_id from extractions order by opinion_id")]


def opinion_to_read(db: sqlite_utils.Database, opinion_id: str) -> dict[str, Any] | None:
    """One opinion's `OPINION_COLUMNS`, or None when it is not stored."""
    row = db.execute(f"select {', '.join(OPINION_COLUMNS)} from opinions where id = ?", [opinion_id]).fetchone()
    return dict(zip(OPINION_COLUMNS, row)) if row else None


def seed_courtlistener_opinion_numbers(db: sqlite_utils.Database) -> set[int]:
    """CourtListener's numbers of the seeds' stored opinions (the targets in its citation map)."""
    rows = db.query(
        "select o.source_id from opinions o join authorities a on a.case_id = o.case_id where o.source = 'courtlistener'"
    )
    ids = set()
    for row in rows:
        number = str(row["source_id"]).rpartition(":")[2]
        if number.isdigit():
            ids.add(int(number))
    return ids


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


def upsert_case(db: sqlite_utils.Database, case: CaseRecord, run_id: int | None = None) -> tuple[str, bool]:
    """Store a case; returns (the case id used, whether it is new).

    A case already known under one of its reporter citations keeps its first id; the new source is
    recorded in case_sources, so provenance from every source survives. Plain SQL rather than
    sqlite-utils' table methods: `citator bulk` calls this for every opinion it stores, and the
    table methods' introspection cost ten times the writes themselves.
    """
    check_types(case, ("name_short", "court_id", "court", "decision_date", "docket_number", "url"),
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
    check_types(opinion, ("author", "url"), required=("id", "case_id", "text", "text_format", "text_field", "source",
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


def store_authorities(db: sqlite_utils.Database, authorities: Sequence[SeedFields]) -> None:
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


def citing_case_count(db: sqlite_utils.Database) -> int:
    """Cases found by crawling (depth >= 1): what `crawl.max_cases` bounds."""
    return db.execute("select count(*) from cases where depth >= 1").fetchone()[0]


def case_opinion_sources(db: sqlite_utils.Database, case_id: str) -> set[str]:
    """The sources whose opinion texts citator already holds for a case."""
    return {row[0] for row in db.execute("select distinct source from opinions where case_id = ?", [case_id])}


def holds_text_from(db: sqlite_utils.Database, case_id: str, source: str, field_prefix: str) -> bool:
    """Whether an opinion of the case holds `source`'s text from a field beginning `field_prefix`
    (`opinions.text_field`), e.g. CAP's JSON text ("casebody.")."""
    return db.execute("select 1 from opinions where case_id = ? and source = ? and text_field like ? || '%' limit 1",
                      [case_id, source, field_prefix]).fetchone() is not None


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
        opinion = opinion_to_read(db, opinion_id)
        if opinion:
            yield opinion


def mark_extracted(db: sqlite_utils.Database, opinion_id: str, text_sha256: str, fingerprint: str,
                   references_found: int, run_id: int | None) -> None:
    db["extractions"].upsert(
        {"opinion_id": opinion_id, "text_sha256": text_sha256, "fingerprint": fingerprint,
         "references_found": references_found, "run_id": run_id, "extracted_at": utcnow()},
        pk="opinion_id",
    )
