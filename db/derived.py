"""Reading and writing the derived tables: `case_treatments` (one row per citing case and seed) and
the withdrawn-reliance risk columns of `cases`.

The glue (`citator.derived`) decides what they hold from the reference rows read here; this module
only knows the tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils



def seed_references(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """Every reference to a seed, grouped by citing case and opinion, in text order."""
    return db.query(
        "select * from citations where authority_key is not null order by citing_case_id, opinion_id, span_start"
    )


def replace_case_treatments(db: sqlite_utils.Database, rows: Sequence[Mapping[str, Any]]) -> None:
    """Replace every `case_treatments` row with `rows`, in one transaction."""
    with db.conn:
        db.execute("delete from case_treatments")
        if rows:
            db["case_treatments"].insert_all(rows, pk=("citing_case_id", "authority_key"))


def reliance_edges(db: sqlite_utils.Database) -> Iterator[tuple[str, str, str | None]]:
    """(citing case, cited case, treatment) of every resolved reference between stored cases; a
    reference to a seed counts as one to the seed's case."""
    for row in db.query(
        """select c.citing_case_id, coalesce(a.case_id, c.cited_case_id) as cited, c.treatment
           from citations c left join authorities a on a.key = c.authority_key
           where coalesce(a.case_id, c.cited_case_id) is not null"""
    ):
        yield row["citing_case_id"], row["cited"], row["treatment"]


def withdrawn_reliance(db: sqlite_utils.Database) -> Iterator[tuple[str, str]]:
    """(citing case, withdrawn decision) of every reference that relies on a withdrawn seed, in
    text order; the decision is the seed's case id, or `authority:<key>` for a seed not stored."""
    for row in db.query(
        """select c.citing_case_id, coalesce(a.case_id, 'authority:' || c.authority_key) as withdrawn
           from citations c join authorities a on a.key = c.authority_key
           where c.relies_on_withdrawn = 1 order by c.citing_case_id, c.span_start"""
    ):
        yield row["citing_case_id"], row["withdrawn"]


def write_withdrawn_risk(db: sqlite_utils.Database, paths: Mapping[str, str]) -> None:
    """Flag exactly the cases in `paths` (case id -> the JSON path to the withdrawn decision) as at
    withdrawn risk. Only what changed is written, so a refresh with nothing new leaves `cases`
    untouched."""
    current = {
        row["id"]: row["withdrawn_risk_path"]
        for row in db.query("select id, withdrawn_risk_path from cases where withdrawn_risk = 1 or withdrawn_risk_path is not null")
    }
    with db.conn:
        for case_id in set(current) - set(paths):
            db.execute("update cases set withdrawn_risk = 0, withdrawn_risk_path = null where id = ?", [case_id])
        for case_id, path in paths.items():
            if current.get(case_id) != path:
                db.execute("update cases set withdrawn_risk = 1, withdrawn_risk_path = ? where id = ?", [path, case_id])
