"""Every citator command runs with fewer, larger garbage collections, and leaves the process as it was."""

from __future__ import annotations

import gc

from click.testing import CliRunner

from citator import collector
from citator.cli import cli


def test_commands_collect_less_often_with_what_was_loaded_frozen() -> None:
    before = gc.get_threshold()
    seen = {}

    with collector.collector_for_commands():
        seen["threshold"] = gc.get_threshold()
        seen["frozen"] = gc.get_freeze_count()
        assert gc.isenabled()  # cycles are still collected
    assert seen["threshold"] == (collector.YOUNG_THRESHOLD, collector.MIDDLE_THRESHOLD, collector.OLD_THRESHOLD)
    assert seen["threshold"][0] > before[0]
    assert seen["frozen"] > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_command_run_in_process_restores_the_collector() -> None:
    before = gc.get_threshold()
    seen = {}

    @cli.command("probe-collector", hidden=True)
    def probe() -> None:
        seen["threshold"] = gc.get_threshold()

    try:
        result = CliRunner().invoke(cli, ["probe-collector"])
    finally:
        cli.commands.pop("probe-collector", None)
    assert result.exit_code == 0, result.output
    assert seen["threshold"][0] == collector.YOUNG_THRESHOLD
    assert gc.get_threshold() == before
