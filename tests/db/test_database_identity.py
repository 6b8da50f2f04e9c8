"""Issue 17.2: citator marks its databases, never touches one that is not its own unless told to,
reads without writing, and upgrades its own older (unmarked, v8) databases silently."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from citator.cli import cli
from citator.db import schema, store
from tests.fakes.cli import run_citator
from tests.fakes.cli import foreign_db, runner  # noqa: F401 - fixture


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def v8_database(path: Path) -> Path:
    """A database as citator made it at schema v8, before databases were marked."""
    db = sqlite_utils.Database(path)
    for version in range(8):
        with db.conn:
            db.execute("BEGIN")
            schema.MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
            db["citator_meta"].upsert({"key": "schema_version", "value": str(version + 1)}, pk="key")
    db["cases"].insert({"id": "cl:cluster:1", "name": "Kept v. Case"}, pk="id")
    db.conn.commit()
    db.conn.close()
    return path


def test_a_new_database_is_marked(tmp_path: Path) -> None:
    db = store.open_database(tmp_path / "new.db")
    assert schema.application_id(db) == schema.APPLICATION_ID
    assert schema.identify(db) == "citator"


@pytest.mark.parametrize("args", [
    ["status"], ["status", "--json"], ["config"], ["harvest", "--source", "cap"], ["extract"], ["publish"],
    ["refresh"], ["bulk", "IN"],
])
def test_a_foreign_sqlite_file_is_byte_identical_after_every_command(runner: CliRunner, tmp_path: Path,
                                                                     args: list[str]) -> None:
    other = foreign_db(tmp_path / "other.db")
    before = digest(other)
    (tmp_path / "in.csv").write_text("", encoding="utf-8")
    args = [str(tmp_path / "in.csv") if a == "IN" else a for a in args]
    result = runner.invoke(cli, [*args, "--db", str(other)])
    assert result.exit_code in (0, 1), result.output
    if args[0] != "config":
        assert result.exit_code == 1 and "citator did not make" in result.stderr
    assert digest(other) == before
    assert not Path(f"{other}.building").exists()
    assert not (tmp_path / "citator-metadata.json").exists()


@pytest.mark.slow
def test_serve_leaves_a_foreign_file_byte_identical(tmp_path: Path) -> None:
    other = foreign_db(tmp_path / "other.db")
    before = digest(other)
    result = run_citator(["serve", "--db", str(other), "--port", "0"], {}, tmp_path, timeout=60)
    assert result.returncode == 1 and "citator did not make" in result.stderr
    assert digest(other) == before


@pytest.mark.slow
def test_init_adopts_a_foreign_file_on_purpose(runner: CliRunner, tmp_path: Path) -> None:
    other = foreign_db(tmp_path / "other.db")
    result = runner.invoke(cli, ["extract", "--init", "--db", str(other)])
    assert result.exit_code == 0, result.stderr
    db = sqlite_utils.Database(other)
    assert schema.application_id(db) == schema.APPLICATION_ID
    assert db["invoices"].count == 1  # what it held is kept
    assert "runs" in db.table_names()


@pytest.mark.slow
def test_a_v8_database_is_recognised_read_as_it_is_and_upgraded_by_a_writer(runner: CliRunner, tmp_path: Path) -> None:
    old = v8_database(tmp_path / "citator.db")
    before = digest(old)
    shown = runner.invoke(cli, ["status", "--db", str(old)])
    assert shown.exit_code == 0, shown.stderr
    assert digest(old) == before  # status neither marks nor migrates
    result = runner.invoke(cli, ["extract", "--db", str(old)])  # no --init needed: it is citator's
    assert result.exit_code == 0, result.stderr
    db = sqlite_utils.Database(old)
    assert schema.application_id(db) == schema.APPLICATION_ID
    assert schema.schema_version(db) == schema.SCHEMA_VERSION
    assert db["cases"].get("cl:cluster:1")["name"] == "Kept v. Case"


def test_an_unmarked_file_that_only_looks_like_citator_is_foreign(tmp_path: Path) -> None:
    fake = tmp_path / "fake.db"
    conn = sqlite3.connect(fake)
    conn.execute("create table runs (id integer)")
    conn.execute("PRAGMA user_version = 3")  # a version, but not citator's tables
    conn.commit()
    conn.close()
    with pytest.raises(schema.ForeignDatabase):
        store.open_database(fake)
    with pytest.raises(schema.ForeignDatabase):
        store.open_database(fake, readonly=True)


@pytest.mark.slow
def test_an_unmarked_citator_schema_is_foreign_only_when_its_recorded_version_disagrees(tmp_path: Path) -> None:
    path = v8_database(tmp_path / "citator.db")
    conn = sqlite3.connect(path)
    conn.execute("delete from citator_meta")  # a v8 database built step by step (as tests do) records none
    conn.commit()
    conn.close()
    assert schema.schema_version(store.open_database(path)) == schema.SCHEMA_VERSION
    other = v8_database(tmp_path / "other.db")
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA user_version = 5")  # header and citator_meta disagree: not a file citator wrote
    conn.commit()
    conn.close()
    with pytest.raises(schema.ForeignDatabase):
        store.open_database(other)


def test_a_newer_schema_is_refused_by_readers_and_writers(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    db = store.open_database(path)
    db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    db.conn.close()
    for readonly in (False, True):
        with pytest.raises(schema.NewerDatabase, match="upgrade citator"):
            store.open_database(path, readonly=readonly)
