"""The cheap commands start fast: they load neither the extractor (eyecite and Hyperscan cost about a
second to import), nor Datasette, nor the HTTP stack (requests), nor sqlite_utils and the numpy it
pulls in when installed; `status` reads the database through sqlite3 alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from citator.db import runs as db_runs, store

pytestmark = pytest.mark.slow

PROBE = """
import sys
from click.testing import CliRunner
from citator.cli import cli

result = CliRunner().invoke(cli, sys.argv[1:])
heavy = sorted({m.split('.')[0] for m in sys.modules
                if m.split('.')[0] in ('eyecite', 'hyperscan', 'reporters_db', 'datasette', 'requests', 'urllib3',
                                       'sqlite_utils', 'numpy', 'sklearn')})
print(__import__('json').dumps({'exit': result.exit_code, 'heavy': heavy, 'output': result.output}))
"""


def _probe(tmp_path: Path, db: Path, args: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, "--db", str(db), *args],
                          capture_output=True, text=True, cwd=tmp_path, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["config"], ["serve", "--help"], ["status"], ["bulk", "--help"], ["--help"]])
def test_cheap_commands_import_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    outcome = _probe(tmp_path, tmp_path / "none.db", args)
    assert outcome["heavy"] == []
    assert outcome["exit"] == (1 if args == ["status"] else 0)  # status: no database here, one line, exit 1


def test_status_of_a_real_database_reads_it_without_sqlite_utils(tmp_path: Path) -> None:
    database = tmp_path / "citator.db"
    db = store.open_database(database)
    run = db_runs.start_run(db, "refresh")
    db_runs.record_error(db, run, "cap", "CAP sent a malformed answer", "http://127.0.0.1:9/x")
    db_runs.finish_run(db, run, "partial", "1 error")
    db.conn.commit()
    db.conn.close()
    outcome = _probe(tmp_path, database, ["status"])
    assert outcome["heavy"] == []
    assert outcome["exit"] == 0
    assert "runs         1" in outcome["output"]
    assert "error: [cap] CAP sent a malformed answer <http://127.0.0.1:9/x>" in outcome["output"]
    assert "treatment model:" in outcome["output"]


def test_the_bulk_writer_loads_no_extractor_until_it_extracts() -> None:
    """`citator bulk --dask-scheduler` runs the writer only: its workers extract. The writer's
    process must not pay for eyecite, reporters_db or the HTTP stack; a scanner that extracts still
    gets them."""
    probe = (
        "import sys, json\n"
        "import citator.bulk as bulk\n"
        "heavy = lambda: sorted(m for m in ('eyecite', 'reporters_db', 'requests') if m in sys.modules)\n"
        "before = heavy()\n"
        "bulk.Scanner(bulk.ScanOptions((), use_prefilter=False))\n"
        "print(json.dumps([before, heavy()]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    before, after = json.loads(done.stdout.strip().splitlines()[-1])
    assert before == []
    assert after == ["eyecite", "reporters_db"]
