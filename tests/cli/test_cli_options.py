"""The shared options (--db, --config, --quiet, --log-format) work on every command, `cite`, `eval`
and `train` included, after the command's name as well as before it."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from citator.cli import cli

SHARED = ("--db", "--config", "--quiet", "--log-format")

#: A configuration whose only seed is Junger, so a brief's Bernstein cite is not reported under it.
JUNGER_ONLY = """\
[[seeds]]
key = "junger"
name = "Junger v. Daley"
citations = ["209 F.3d 481"]
court = "ca6"
decided = "2000-04-04"
"""

BRIEF = ("See Junger v. Daley, 209 F.3d 481, 485 (6th Cir. 2000). "
         "See Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 (9th Cir. 1999).\n")


def leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out += leaf_commands(command, (*prefix, name))
        else:
            out.append(((*prefix, name), command))
    return out


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    for name in ("CITATOR_DB", "CITATOR_CONFIG", "CITATOR_LOG_FORMAT", "CITATOR_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "junger.toml").write_text(JUNGER_ONLY, encoding="utf-8")
    (tmp_path / "brief.txt").write_text(BRIEF, encoding="utf-8")
    return CliRunner()


def test_every_command_takes_every_shared_option() -> None:
    commands = leaf_commands(cli)
    assert {path for path, _ in commands} >= {("cite",), ("eval", "extraction"), ("eval", "treatment"),
                                              ("eval", "resolution"), ("eval", "footnotes"), ("train", "treatment"),
                                              ("status",), ("refresh",), ("correct",)}
    for path, command in commands:
        options = {opt for p in command.params for opt in getattr(p, "opts", [])}
        assert set(SHARED) <= options, f"citator {' '.join(path)} lacks {set(SHARED) - options}"


@pytest.mark.parametrize("where", ["after", "before"])
def test_cite_reads_the_seeds_of_the_config_it_is_given(runner: CliRunner, where: str) -> None:
    args = ["cite", "brief.txt", "--output", "jsonl"]
    args = [*args, "--config", "junger.toml"] if where == "after" else ["--config", "junger.toml", *args]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["authority_key"] for line in result.stdout.splitlines()] == ["junger"]


def test_cite_quiet_prints_the_references_and_no_summary(runner: CliRunner) -> None:
    loud = runner.invoke(cli, ["cite", "brief.txt", "--output", "jsonl"])
    assert loud.exit_code == 0 and "1 warning" in loud.stderr
    quiet = runner.invoke(cli, ["cite", "brief.txt", "--output", "jsonl", "--quiet"])
    assert quiet.exit_code == 0, quiet.stderr
    assert quiet.stdout == loud.stdout and quiet.stderr == ""


def test_cite_with_a_bad_config_fails_in_the_log_format_asked_for(runner: CliRunner) -> None:
    (Path.cwd() / "bad.toml").write_text("[crawl]\ndepht = 2\n", encoding="utf-8")
    result = runner.invoke(cli, ["cite", "brief.txt", "--config", "bad.toml", "--log-format", "json"])
    assert result.exit_code == 1
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert "depht" in line["message"] and line["level"] == "error"


@pytest.mark.parametrize("command", [["eval", "extraction"], ["eval", "resolution"], ["eval", "footnotes"]])
def test_eval_errors_follow_log_format_given_after_the_command(runner: CliRunner, command: list[str]) -> None:
    Path("empty").mkdir()
    result = runner.invoke(cli, [*command, "empty", "--log-format", "json"])
    assert result.exit_code in (1, 2)
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert "empty" in record["message"] and record["exit_code"] == result.exit_code
