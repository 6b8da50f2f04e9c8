"""Issue 17.1, 17.5: every command meets every expected fault with one line on stderr, the
documented exit code, and never a traceback.

The matrix runs the real CLI in-process (click's runner: the same `cli.main` the console script
calls), so a hundred invocations take seconds; `serve` runs as a real process because on success it
becomes Datasette.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from citator.cli import cli
from citator.db import schema, store
from citator.errors import MEANINGS, ExitCode
from citator.runlock import DatabaseLock
from tests.fakes.cli import foreign_db, run_citator, runner  # noqa: F401 - fixture
from tests.fakes.paths import REPO

README = REPO / "README.md"


# -- the faults ----------------------------------------------------------------------------------

def citator_db(path: Path) -> Path:
    store.open_database(path).conn.close()
    return path


def not_sqlite(path: Path) -> Path:
    path.write_bytes(b"these are somebody's notes, not a database\n" * 200)
    return path


def damaged_db(path: Path) -> Path:
    """A citator database whose pages after the first were overwritten (a disk fault)."""
    citator_db(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\x07" * (len(data) - page)
    path.write_bytes(bytes(data))
    return path


def newer_db(path: Path) -> Path:
    db = store.open_database(path)
    db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 3}")
    db.conn.close()
    return path


FAULTS = {
    "missing": lambda p: p,
    "not_sqlite": not_sqlite,
    "damaged": damaged_db,
    "foreign": foreign_db,
    "newer": newer_db,
    "parent_is_a_file": lambda p: p,  # handled in _db_path
}

#: Commands that open the database, with arguments that get them as far as opening it.
DB_COMMANDS = {
    "status": ["status"],
    "harvest": ["harvest", "--source", "cap"],
    "extract": ["extract"],
    "publish": ["publish"],
    "refresh": ["refresh"],
    "bulk": ["bulk", "INPUT"],
}

#: The expected exit code and a phrase of the one line, per fault (None: not a fault for that command).
EXPECTED = {
    "missing": (ExitCode.FAILED, "no database at"),
    "not_sqlite": (ExitCode.FAILED, "is not a SQLite database"),
    "damaged": (ExitCode.FAILED, ""),  # "is damaged" or "is not a SQLite database", by where the damage is
    "foreign": (ExitCode.FAILED, "citator did not make"),
    "newer": (ExitCode.FAILED, "newer than this citator knows"),
    "parent_is_a_file": (ExitCode.FAILED, ""),
}

#: Commands that create a missing database (harvest, refresh and bulk start one from nothing).
CREATES = {"harvest", "refresh", "bulk"}


def invoke(runner: CliRunner, args: list[str]):
    return runner.invoke(cli, args, catch_exceptions=True)


def assert_one_clear_line(result, code: int, phrase: str = "") -> str:
    """The run ended through the boundary: the documented code, one error line, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, (result.exit_code, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "no message at all"
    last = lines[-1]
    assert "Traceback" not in result.stderr and "unexpected" not in last, result.stderr
    assert len(last) < 600
    assert phrase in last, (phrase, last)
    return last


def _db_path(tmp_path: Path, fault: str) -> Path:
    if fault == "parent_is_a_file":
        (tmp_path / "afile").write_text("x", encoding="utf-8")
        return tmp_path / "afile" / "citator.db"
    return FAULTS[fault](tmp_path / "citator.db")


@pytest.mark.parametrize("command, fault", [
    (command, fault) for command in DB_COMMANDS for fault in FAULTS
    if not (fault == "missing" and command in CREATES)  # they start a new database: not a fault
])
def test_every_database_command_meets_every_database_fault_in_one_line(
        runner: CliRunner, tmp_path: Path, command: str, fault: str) -> None:
    database = _db_path(tmp_path, fault)
    before = database.read_bytes() if database.is_file() else None
    bulk_input = tmp_path / "empty.csv"
    bulk_input.write_text("", encoding="utf-8")
    args = [str(bulk_input) if a == "INPUT" else a for a in DB_COMMANDS[command]]
    result = invoke(runner, [*args, "--db", str(database), "--quiet"])
    code, phrase = EXPECTED[fault]
    line = assert_one_clear_line(result, code, phrase)
    if fault in ("foreign", "not_sqlite", "damaged", "newer"):
        assert database.read_bytes() == before, "the file was changed"
        assert str(database) in line
    if fault == "foreign" and command != "status":
        assert "--init" in line  # what to do, when the file really is meant to be citator's


def test_the_lock_held_by_another_run_is_exit_4_for_every_writer(runner: CliRunner, tmp_path: Path) -> None:
    database = citator_db(tmp_path / "citator.db")
    (tmp_path / "in.csv").write_text("", encoding="utf-8")
    with DatabaseLock(database, command="refresh"):
        for args in (["harvest", "--source", "cap"], ["extract"], ["refresh"], ["bulk", str(tmp_path / "in.csv")]):
            result = invoke(runner, [*args, "--db", str(database), "--quiet"])
            assert_one_clear_line(result, ExitCode.LOCKED, "already working on")
        shown = invoke(runner, ["status", "--db", str(database)])
        assert shown.exit_code == 0 and "now running: refresh" in shown.stdout


@pytest.mark.parametrize("text, phrase", [
    ("depht = 2\n", "depht in"),
    ("[crawl]\ndepht = 2\n", "did you mean 'crawl.depth'"),
    ("sources = []\n", "sources in"),
    ('[http]\nread_timeout = "fast"\n', "http.read_timeout in"),
    ("[crawl]\ndepth = 0\n", "must be between 1 and 10"),
    ("[crawl\n", "is not valid TOML"),
])
@pytest.mark.parametrize("command", ["status", "config", "harvest", "extract", "publish", "refresh"])
def test_every_command_reports_a_bad_configuration_in_one_line(
        runner: CliRunner, tmp_path: Path, command: str, text: str, phrase: str) -> None:
    citator_db(tmp_path / "citator.db")
    (tmp_path / "citator.toml").write_text(text, encoding="utf-8")
    line = assert_one_clear_line(invoke(runner, [command, "--quiet"]), ExitCode.FAILED, phrase)
    assert "citator.toml" in line  # names the file


def test_non_utf8_configuration_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "citator.toml").write_bytes(b"[crawl]\ndepth = 2 # caf\xe9\n")
    assert_one_clear_line(invoke(runner, ["config"]), ExitCode.FAILED, "is not UTF-8 text")


@pytest.mark.parametrize("args, code, phrase", [
    (["status", "--runs", "-3"], ExitCode.USAGE, "--runs"),
    (["harvest", "--depth", "0"], ExitCode.USAGE, "--depth"),
    (["status", "--no-such-option"], ExitCode.USAGE, "--no-such-option"),
    (["no-such-command"], ExitCode.USAGE, "no-such-command"),
    (["harvest", "--from", "no/such/folder"], ExitCode.USAGE, "no/such/folder"),
    (["eval", "treatment", "."], ExitCode.USAGE, "documents.jsonl"),
    (["eval", "extraction", "."], ExitCode.USAGE, "documents.jsonl"),
    (["cite", "no-such-brief.txt"], ExitCode.FAILED, "no-such-brief.txt"),
    (["config", "--config", "missing.toml"], ExitCode.FAILED, "missing.toml"),
    (["status", "--db", "."], ExitCode.USAGE, "is a directory"),
])
def test_bad_arguments_and_paths_are_one_line(runner: CliRunner, args: list[str], code: int, phrase: str) -> None:
    line = assert_one_clear_line(invoke(runner, args), code, phrase)
    if code == ExitCode.USAGE:
        assert "--help" in line  # what to do


def test_status_and_config_never_write(runner: CliRunner, tmp_path: Path) -> None:
    """A read-only command on a citator database of an older schema reads it as it is: no migration."""
    database = citator_db(tmp_path / "citator.db")
    before = database.read_bytes()
    assert invoke(runner, ["status", "--db", str(database)]).exit_code == 0
    assert invoke(runner, ["config", "--db", str(database)]).exit_code == 0
    assert database.read_bytes() == before


@pytest.mark.slow
def test_serve_maps_bind_errors_to_one_line_and_exit_1(tmp_path: Path) -> None:
    database = citator_db(tmp_path / "citator.db")
    env = {"CITATOR_DB": str(database)}
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        result = run_citator(["serve", "--port", str(port)], env, tmp_path, timeout=60)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert f"127.0.0.1:{port}" in result.stderr and "in use" in result.stderr
    finally:
        taken.close()
    result = run_citator(["serve", "--port", "99999"], env, tmp_path, timeout=60)
    assert result.returncode == 1 and "0 to 65535" in result.stderr.strip().splitlines()[-1]
    assert "Usage: python -m datasette" not in result.stderr
    result = run_citator(["serve", "--db", str(foreign_db(tmp_path / "other.db"))], {}, tmp_path, timeout=60)
    assert result.returncode == 1 and "citator did not make" in result.stderr and "Traceback" not in result.stderr


def test_exit_codes_are_documented_once_and_the_readme_matches() -> None:
    text = README.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\d+)` \| (.+?) \|$", text, flags=re.M))
    assert {int(k) for k in rows} == {int(c) for c in ExitCode}
    for code, meaning in MEANINGS.items():
        assert rows[str(int(code))] == meaning
    # no second, differing list of exit codes elsewhere in the README
    assert len(re.findall(r"`3` partial", text)) == 0
