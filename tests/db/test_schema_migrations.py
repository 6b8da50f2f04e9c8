"""A database upgraded step by step from schema v1 ends with exactly the schema a new one gets.

New databases are created from the current declaration (db/schema.py); older ones take the frozen
steps of db/migrations.py. If someone changes a table and forgets the step (or writes a step that
does something else), researchers with an upgraded database would see another schema than new
users: a column missing, an index missing (a slow page), or columns in another order.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import sqlite_utils

from citator.db import schema, store


def shape(path: Path) -> dict[str, object]:
    """Every table's columns in order (name, type, not null, default, key position), foreign keys
    and indexes (name, unique, what they list), and every view; ignores how the SQL was spelled."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")]
        out: dict[str, object] = {}
        for name in tables:
            columns = [tuple(r[1:]) for r in conn.execute(f"PRAGMA table_xinfo([{name}])")]
            foreign = sorted(tuple(r[2:5]) for r in conn.execute(f"PRAGMA foreign_key_list([{name}])"))
            indexes = {}
            for _, index, unique, origin, partial in conn.execute(f"PRAGMA index_list([{name}])"):
                sql = conn.execute("select sql from sqlite_master where name = ?", [index]).fetchone()[0]
                listed = re.sub(r"\s+", " ", sql.split("(", 1)[1]).lower() if sql else None
                keys = [tuple(r[1:]) for r in conn.execute(f"PRAGMA index_xinfo([{index}])")]
                indexes[index] = (unique, origin, partial, keys, listed)
            out[name] = {"columns": columns, "foreign_keys": foreign, "indexes": indexes}
        out["views"] = sorted(r[0] for r in conn.execute("select name from sqlite_master where type = 'view'"))
        return out
    finally:
        conn.close()


def stepwise(path: Path, upto: int) -> Path:
    """A database taken through the first `upto` migration steps, one transaction each."""
    db = sqlite_utils.Database(path)
    for version in range(upto):
        with db.conn:
            db.execute("BEGIN")
            schema.MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
    db.close()
    return path


def test_every_step_from_v1_arrives_at_the_schema_of_a_new_database(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    store.open_database(fresh).close()
    upgraded = stepwise(tmp_path / "upgraded.db", len(schema.MIGRATIONS))
    assert shape(upgraded) == shape(fresh)


def test_a_v1_database_opened_by_citator_matches_a_new_one_and_keeps_its_rows(tmp_path: Path) -> None:
    """The upgrade as users meet it: `store.open_database` on a v1 file runs the remaining steps."""
    old = stepwise(tmp_path / "v1.db", 1)
    db = sqlite_utils.Database(old)
    db["cases"].insert({"id": "cl:cluster:1", "name": "Kept v. Case"})
    db.close()
    upgraded = store.open_database(old)
    assert schema.schema_version(upgraded) == schema.SCHEMA_VERSION
    assert upgraded["cases"].get("cl:cluster:1")["name"] == "Kept v. Case"
    upgraded.close()
    fresh = tmp_path / "fresh.db"
    store.open_database(fresh).close()
    assert shape(old) == shape(fresh)


def test_the_current_declaration_describes_exactly_the_tables_and_columns_a_new_database_has(tmp_path: Path) -> None:
    """Every table and column a user sees is declared (and so described on the site), in order."""
    db = store.open_database(tmp_path / "fresh.db")
    declared = {t.name: [c.name for c in t.columns] for t in schema.TABLES}
    actual = {name: [c.name for c in db[name].columns] for name in db.table_names() if not name.startswith("sqlite_")}
    assert actual == declared
    assert schema.SCHEMA_VERSION == len(schema.MIGRATIONS)
