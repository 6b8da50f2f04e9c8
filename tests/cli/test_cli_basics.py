"""What a new user meets first: installation, help, configuration and clear errors."""

from __future__ import annotations

import pytest

import json
import subprocess
import sys
from pathlib import Path

from tests.fakes.cli import TOKEN, run_citator



def test_installed_package_imports_from_outside_the_checkout(tmp_path: Path) -> None:
    code = (
        "import importlib.util, json, citator, citator.harvest, citator.citations, citator.db;"
        "print(json.dumps({'db_toplevel': importlib.util.find_spec('db') is not None,"
        " 'harvest_toplevel': importlib.util.find_spec('harvest') is not None,"
        " 'stage': citator.db.__name__}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    found = json.loads(out.stdout)
    assert found == {"db_toplevel": False, "harvest_toplevel": False, "stage": "citator.db"}


@pytest.mark.slow
def test_every_command_has_help_with_an_example(tmp_path: Path) -> None:
    for command in ["harvest", "extract", "publish", "refresh", "serve", "status", "config"]:
        result = run_citator([command, "--help"], {}, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Example" in result.stdout, command
        assert "--db" in result.stdout


@pytest.mark.slow
def test_config_shows_overrides_but_never_the_token(tmp_path: Path) -> None:
    (tmp_path / "citator.toml").write_text('[crawl]\ndepth = 2\n', encoding="utf-8")
    env = {"CITATOR_DB": str(tmp_path / "x.db"), "CITATOR_CAP_URL": "http://mirror.invalid/cap/", "COURTLISTENER_TOKEN": TOKEN}
    result = run_citator(["config", "--json"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["database"] == str(tmp_path / "x.db")
    assert data["crawl"]["depth"] == 2
    assert data["sources"]["cap"]["base_url"] == "http://mirror.invalid/cap/"
    assert data["sources"]["courtlistener"]["token"] == "set"
    assert TOKEN not in result.stdout + result.stderr
    assert [s["key"] for s in data["seeds"]][:4] == ["bernstein-1", "bernstein-2", "bernstein-3", "bernstein-9th"]
    # --db wins over the environment
    result = run_citator(["config", "--json", "--db", "other.db"], env, tmp_path)
    assert json.loads(result.stdout)["database"] == "other.db"


@pytest.mark.slow
def test_bad_configuration_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "citator.toml").write_text("[crawl\n", encoding="utf-8")
    result = run_citator(["status"], {}, tmp_path)
    assert result.returncode == 1
    assert "citator.toml is not valid TOML" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_unreachable_source_is_named_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "citator.toml").write_text("[http]\nmax_retries = 1\nbackoff_seconds = 0.01\n", encoding="utf-8")
    env = {"CITATOR_DB": str(tmp_path / "c.db"), "CITATOR_COURTLISTENER_URL": "http://127.0.0.1:9/api/rest/v4/",
           "COURTLISTENER_TOKEN": TOKEN}
    result = run_citator(["refresh"], env, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "cannot reach CourtListener" in last and "127.0.0.1:9" in last
    assert TOKEN not in result.stderr


@pytest.mark.slow
def test_missing_token_is_explained_once(tmp_path: Path, cli_env: dict[str, str]) -> None:
    env = {k: v for k, v in cli_env.items() if k != "COURTLISTENER_TOKEN"}
    result = run_citator(["harvest"], env, tmp_path)
    assert result.stderr.count("Set COURTLISTENER_TOKEN") == 1
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_status_reports_counts_and_runs(tmp_path: Path, cli_env: dict[str, str]) -> None:
    assert run_citator(["refresh"], cli_env, tmp_path).returncode == 0
    result = run_citator(["status", "--json"], cli_env, tmp_path)
    data = json.loads(result.stdout)
    assert data["counts"]["cases"] == 5
    assert [r["command"] for r in data["runs"]] == ["refresh"]  # one run per refresh (issue 7)
