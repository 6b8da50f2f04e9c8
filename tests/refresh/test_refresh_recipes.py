"""Issue 7: the scheduling recipes in recipes/ work as written.

Each recipe's command is run the way its scheduler would run it (cron: `sh -c` in cron's minimal
environment; systemd: ExecStart with the unit's Environment and WorkingDirectory; GitHub Actions:
the step's script under bash) against the fake CourtListener.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from citator.cli import cli
from tests.fakes.cli import TOKEN
from tests.fakes.workspace import CONFIG, Workspace, workspace  # noqa: F401
from tests.fakes.paths import REPO

RECIPES = REPO / "recipes"
VENV_BIN = Path(sys.executable).parent
CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")


def _cases(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select count(*) from cases").fetchone()[0]
    finally:
        conn.close()


def _env_file(ws: Workspace) -> str:
    return (f"COURTLISTENER_TOKEN={TOKEN}\nCITATOR_COURTLISTENER_URL={ws.server.base_url}\n"
            "CITATOR_CAP_URL=http://127.0.0.1:9/\n")


def assert_valid_invocation(argv: list[str]) -> None:
    """Parse `citator ARGV` with the real CLI without running it; raises click errors if invalid."""
    ctx = cli.make_context("citator", list(argv))
    rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
    name, command, args = cli.resolve_command(ctx, rest)
    assert command is not None, argv
    command.make_context(name, args, parent=ctx)


@pytest.mark.slow
def test_crontab_line_runs_as_cron_would(workspace: Workspace, tmp_path: Path) -> None:
    lines = [l for l in (RECIPES / "crontab").read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert len(lines) == 1
    fields = lines[0].split(None, 5)
    assert all(CRON_FIELD.match(f) for f in fields[:5]), fields[:5]
    command = fields[5]
    assert "%" not in command  # cron would turn it into a newline
    home = tmp_path / "home"
    (home / "citator" / ".venv" / "bin").mkdir(parents=True)
    (home / "citator" / ".venv" / "bin" / "citator").symlink_to(VENV_BIN / "citator")
    (home / "citator" / "citator.toml").write_text(CONFIG)
    (home / "citator" / "citator.env").write_text(_env_file(workspace))
    cron_env = {"HOME": str(home), "LOGNAME": "citator", "PATH": "/usr/bin:/bin", "SHELL": "/bin/sh"}
    result = subprocess.run(["/bin/sh", "-c", command], env=cron_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""  # cron mails nothing on success
    assert _cases(home / "citator" / "citator.db") == 5
    assert TOKEN not in (home / "citator" / "citator.db").read_bytes().decode("latin-1")
    # The same line run again while the first still holds the lock would exit 4; here it is simply idle.
    again = subprocess.run(["/bin/sh", "-c", command], env=cron_env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and again.stderr == ""


def _unit(path: Path) -> dict[str, list[str]]:
    """Key -> values of a systemd unit file (keys may repeat), comments and sections dropped."""
    values: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line[0] in "#;[":
            continue
        key, _, value = line.partition("=")
        values.setdefault(key.strip(), []).append(value.strip())
    return values


@pytest.mark.slow
def test_systemd_units_verify_and_execstart_runs(workspace: Workspace, tmp_path: Path) -> None:
    units = tmp_path / "units"
    shutil.copytree(RECIPES / "systemd", units)
    analyze = shutil.which("systemd-analyze")
    if analyze:
        check = subprocess.run([analyze, "verify", str(units / "citator-refresh.service"), str(units / "citator-refresh.timer")],
                               capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stderr
        assert "Failed" not in check.stderr and "Unknown" not in check.stderr, check.stderr
    timer = _unit(units / "citator-refresh.timer")
    assert timer["OnCalendar"] and timer["WantedBy"] == ["timers.target"]
    service = _unit(units / "citator-refresh.service")
    assert service["Type"] == ["oneshot"]
    state, etc = tmp_path / "state", tmp_path / "etc"
    (state / "citator").mkdir(parents=True)  # what StateDirectory= creates
    (etc / "citator").mkdir(parents=True)
    (etc / "citator" / "citator.env").write_text(_env_file(workspace))
    (state / "citator" / "citator.toml").write_text(CONFIG)

    def expand(value: str) -> str:
        return value.replace("%S", str(state)).replace("%E", str(etc))

    env = {"PATH": f"{VENV_BIN}:/usr/bin:/bin", "LANG": "C.UTF-8"}
    for assignment in service.get("Environment", []):
        key, _, value = expand(assignment).partition("=")
        env[key] = value
    for env_file in service.get("EnvironmentFile", []):
        path = Path(expand(env_file).lstrip("-"))
        for line in path.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, value = line.partition("=")
                env[key] = value
    argv = shlex.split(expand(service["ExecStart"][0]))
    assert argv[:2] == ["/usr/bin/env", "citator"]
    assert_valid_invocation(argv[2:])
    result = subprocess.run(argv, env=env, cwd=expand(service["WorkingDirectory"][0]), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # --quiet: the journal gets lines only when something goes wrong
    assert _cases(state / "citator" / "citator.db") == 5


def _workflow() -> dict:
    return yaml.safe_load((RECIPES / "github-actions" / "refresh.yml").read_text())


def test_github_workflow_parses_and_its_citator_commands_are_valid() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    crons = [s["cron"] for s in triggers["schedule"]]
    assert crons and all(len(c.split()) == 5 and all(CRON_FIELD.match(f) for f in c.split()) for c in crons)
    steps = workflow["jobs"]["refresh"]["steps"]
    commands = []
    for step in steps:
        for line in step.get("run", "").splitlines():
            line = line.strip()
            if line.startswith("citator "):
                words = shlex.split(re.split(r"\|\||&&|;|\|", line)[0])
                commands.append(words[1:])
    assert ["refresh"] in commands and any(c[0] == "status" for c in commands)
    for argv in commands:
        assert_valid_invocation(argv)
    with pytest.raises(click.UsageError):
        assert_valid_invocation(["refresh", "--no-such-option"])  # the check can fail


@pytest.mark.slow
def test_github_workflow_refresh_step_runs(workspace: Workspace) -> None:
    workflow = _workflow()
    job = workflow["jobs"]["refresh"]
    step = next(s for s in job["steps"] if s.get("name") == "Refresh")
    env = {**workspace.env, "PATH": f"{VENV_BIN}:/usr/bin:/bin"}
    env.update({k: v for k, v in job["env"].items() if "${{" not in str(v)})
    (workspace.path / "data").mkdir()
    result = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], env=env, cwd=workspace.path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert _cases(workspace.path / "data" / "citator.db") == 5
    assert "refresh" in result.stdout  # `citator status` lists the run


def test_refresh_help_shows_the_recipe_crontab_line() -> None:
    line = next(l for l in (RECIPES / "crontab").read_text().splitlines() if l.strip() and not l.startswith("#"))
    from click.testing import CliRunner
    result = CliRunner().invoke(cli, ["refresh", "--help"])
    assert result.exit_code == 0
    assert line in result.output
    assert "4 locked" in " ".join(result.output.split())
