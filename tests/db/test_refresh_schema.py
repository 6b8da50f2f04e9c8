"""Issue 7: schema v2 (extractions, changes, source_state) migrates a v1 database in place."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from citator.db import schema, store


@pytest.mark.slow
def test_v1_database_gains_the_refresh_tables_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    schema.MIGRATIONS[0](db)
    assert not {"extractions", "changes", "source_state"} & set(db.table_names())
    db.execute("PRAGMA user_version = 1")
    db["citator_meta"].insert({"key": "schema_version", "value": "1"}, pk="key")
    db["cases"].insert({"id": "cl:cluster:1", "name": "Kept v. Case"}, pk="id")
    db.conn.commit()
    db.conn.close()

    db = store.open_database(path)
    assert schema.schema_version(db) == schema.SCHEMA_VERSION >= 2
    assert {"extractions", "changes", "source_state"} <= set(db.table_names())
    assert db["cases"].get("cl:cluster:1")["name"] == "Kept v. Case"
    assert store.get_meta(db, "schema_version") == str(schema.SCHEMA_VERSION)
    # Every new column is described, so the Datasette site documents it.
    for table in (schema.EXTRACTIONS, schema.CHANGES, schema.SOURCE_STATE):
        assert table.description and all(c.description for c in table.columns)


def test_a_migration_step_that_fails_leaves_no_half_made_schema(tmp_path: Path) -> None:
    """Each migration step is one transaction: a step that fails part-way (here on a view the user
    made under the name of a table citator creates last) leaves the database as it was, and the next
    open, once the clash is gone, migrates it whole. Creating tables in autocommit left the first
    tables behind with the version still 0."""
    path = tmp_path / "clash.db"
    db = sqlite_utils.Database(path)
    last = schema.TABLES[-1].name
    db.execute(f"create view [{last}] as select 1 as x")
    db.conn.close()

    with pytest.raises(Exception):
        store.open_database(path)
    db = sqlite_utils.Database(path)
    assert db.table_names() == []
    assert schema.schema_version(db) == 0

    db.execute(f"drop view [{last}]")
    db.conn.close()
    db = store.open_database(path)
    assert schema.schema_version(db) == schema.SCHEMA_VERSION
    assert {t.name for t in schema.TABLES} <= set(db.table_names())
