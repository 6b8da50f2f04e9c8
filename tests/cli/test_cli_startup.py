"""The cheap commands never load the extractor: eyecite and Hyperscan cost about a second to import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROBE = """
import sys
from click.testing import CliRunner
from citator.cli import cli

result = CliRunner().invoke(cli, sys.argv[1:])
heavy = sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in ('eyecite', 'hyperscan', 'reporters_db', 'datasette')})
print(__import__('json').dumps({'exit': result.exit_code, 'heavy': heavy}))
"""


@pytest.mark.parametrize("args", [["config"], ["serve", "--help"], ["status"], ["bulk", "--help"]])
def test_cheap_commands_do_not_import_the_extractor(tmp_path: Path, args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, "--db", str(tmp_path / "none.db"), *args],
                          capture_output=True, text=True, cwd=tmp_path, check=True)
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["heavy"] == []
    assert outcome["exit"] == (1 if args == ["status"] else 0)  # status: no database here, one line, exit 1
