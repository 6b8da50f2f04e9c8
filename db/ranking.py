"""The treatment ranking as the database holds it (table `treatment_ranks`).

Which treatment wins when a case's references disagree is a fact of the citations stage; db/ does
not import that stage, so the glue hands the ranking over (`store_ranking`) at every extraction and
publish, and the site's SQL and pages read it from the table. One definition, and a researcher can
see it.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # annotations only: `citator status` reads without loading sqlite_utils
    import sqlite_utils


def store_ranking(db: sqlite_utils.Database, ranking: Sequence[str]) -> None:
    """Replace the stored ranking by `ranking` (strongest first); a no-op when it is unchanged, so a
    refresh with nothing new leaves the file untouched."""
    wanted = [(label, rank) for rank, label in enumerate(ranking)]
    current = db.execute("select treatment, rank from treatment_ranks order by rank").fetchall()
    if [tuple(row) for row in current] == wanted:
        return
    with db.conn:
        db.execute("delete from treatment_ranks")
        db.conn.executemany("insert into treatment_ranks (treatment, rank) values (?, ?)", wanted)


def stored_ranking(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The stored ranking, strongest first; empty in a database no citator extraction or publish
    has written yet (the site then ranks nothing)."""
    try:
        return tuple(row[0] for row in conn.execute("select treatment from treatment_ranks order by rank"))
    except sqlite3.OperationalError:  # a database older than schema v9, served as it is
        return ()


#: SQL for the strongest treatment among a group's references (`c` the citations alias), to be used
#: with `left join treatment_ranks tr on tr.treatment = c.treatment`: the lowest rank's label.
STRONGEST_TREATMENT_SQL = "substr(min(printf('%03d', tr.rank) || tr.treatment), 4)"


def strongest(treatments: Sequence[str | None], ranking: Sequence[str]) -> str | None:
    """The highest-ranked of `treatments` (None when none is ranked)."""
    ranked = [t for t in treatments if t in ranking]
    return min(ranked, key=list(ranking).index) if ranked else None
