"""What the database knows about the authorities a brief cites, read without changing anything.

`citator cite --db` checks a brief against a database that a scheduled refresh may be writing or
a Datasette server may be showing, possibly one the user may not write at all (a downloaded
snapshot). So it opens the file read-only through SQLite's `file:...?mode=ro` URI, never migrates
it, and reads only the columns every schema since v5 has.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence


__all__ = ["DatabaseUnavailable", "open_read_only", "BriefLookup"]

#: Treatments that count as negative for an authority.
NEGATIVE = ("distinguished", "criticized_or_declined")
_NEEDED = {"authorities", "cases", "case_citations", "citations", "opinions"}


class DatabaseUnavailable(Exception):
    """The database cannot be read (missing, not SQLite, not citator's); the message says which."""


def open_read_only(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to the citator database at `path` (never created, never migrated)."""
    file = Path(path)
    if not file.is_file():
        raise DatabaseUnavailable(f"database {file} does not exist (run `citator refresh` to build one)")
    uri = file.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        conn.row_factory = sqlite3.Row
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(f"cannot read {file} as a SQLite database: {exc}") from None
    import sqlite_utils

    from citator.db.schema import identify

    kind = identify(sqlite_utils.Database(conn))
    if kind == "newer":
        conn.close()
        raise DatabaseUnavailable(f"{file} was written by a newer citator; upgrade citator to read it")
    if kind == "foreign":
        conn.close()
        raise DatabaseUnavailable(f"{file} is not a citator database; name the database `citator refresh` writes")
    missing = _NEEDED - tables
    if missing:
        conn.close()
        raise DatabaseUnavailable(
            f"{file} is not a citator database (no {', '.join(sorted(missing))} table); "
            "name the database `citator refresh` writes"
        )
    return conn


@dataclass
class _Case:
    id: str
    name: str | None
    cite: str | None


class BriefLookup:
    """Queries for one brief check, on a read-only connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._names: dict[str, _Case] = {}

    def _case(self, case_id: str) -> _Case:
        if case_id not in self._names:
            row = self.conn.execute("select id, name, citation from cases where id = ?", [case_id]).fetchone()
            self._names[case_id] = _Case(case_id, row["name"] if row else None, row["citation"] if row else None)
        return self._names[case_id]

    def _describe_case(self, case_id: str) -> str:
        if case_id.startswith("authority:"):
            row = self.conn.execute(
                "select name, citation from authorities where key = ?", [case_id[len("authority:"):]]
            ).fetchone()
            return f"{row['name']}, {row['citation']}" if row else case_id
        case = self._case(case_id)
        return ", ".join(p for p in (case.name, case.cite) if p) or case_id

    def case_for_cite(self, cite: str) -> str | None:
        row = self.conn.execute("select case_id from case_citations where cite = ? limit 1", [cite]).fetchone()
        return row["case_id"] if row else None

    def authorities(self) -> list[dict[str, Any]]:
        """Every authority row: key, name, cites, status, history (list of dicts), case_id."""
        result = []
        for row in self.conn.execute("select * from authorities"):
            cites = json.loads(row["citations"] or "[]") or ([row["citation"]] if row["citation"] else [])
            result.append({
                "key": row["key"], "name": row["name"], "cites": cites, "status": row["status"] or "good",
                "history": json.loads(row["history"] or "[]"), "case_id": row["case_id"],
            })
        return result

    def citing_facts(self, cites: Sequence[str], case_id: str | None, seed_key: str | None) -> dict[str, Any]:
        """What citing opinions say about one authority: the subsequent history they wrote after
        its cite and their `noted_withdrawn` labels (as (history, treatment, citing case) triples,
        oldest citing case first), how many citing cases treat it negatively, and, when the
        database flags the case at withdrawn risk, the chain of authorities it relies on."""
        where, args = [], []
        if seed_key:
            where.append("c.authority_key = ?")
            args.append(seed_key)
        if case_id:
            where.append("c.cited_case_id = ?")
            args.append(case_id)
        for cite in cites:
            where.append("c.cite = ?")
            args.append(cite)
        facts: dict[str, Any] = {"name": self._case(case_id).name if case_id else None, "history": [],
                                 "negative_cases": 0, "relies_on_withdrawn": [], "case_id": case_id}
        if where:
            clause = " or ".join(where)
            for row in self.conn.execute(
                f"""select c.citing_case_id, c.treatment, c.subsequent_history from citations c
                    left join cases k on k.id = c.citing_case_id
                    where ({clause}) and (c.treatment = 'noted_withdrawn' or c.subsequent_history is not null)
                    order by k.decision_date, c.citing_case_id, c.span_start""",
                args,
            ):
                facts["history"].append(
                    (row["subsequent_history"], row["treatment"], self._describe_case(row["citing_case_id"]))
                )
            facts["negative_cases"] = self.conn.execute(
                f"""select count(distinct c.citing_case_id) from citations c
                    where ({clause}) and c.treatment in ({', '.join('?' * len(NEGATIVE))})""",
                [*args, *NEGATIVE],
            ).fetchone()[0]
        if case_id:
            row = self.conn.execute(
                "select withdrawn_risk, withdrawn_risk_path from cases where id = ?", [case_id]
            ).fetchone()
            if row and row["withdrawn_risk"] and row["withdrawn_risk_path"]:
                path = json.loads(row["withdrawn_risk_path"])
                facts["relies_on_withdrawn"] = [self._describe_case(c) for c in path[1:]]
        return facts

    def opinion_texts(self, case_id: str) -> list[str]:
        """The texts of the case's opinions (majority first), as stored."""
        rows = self.conn.execute(
            "select text from opinions where case_id = ? and text is not null order by ordinal, id", [case_id]
        ).fetchall()
        return [r["text"] for r in rows if r["text"]]
