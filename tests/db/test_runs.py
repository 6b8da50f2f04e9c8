"""Every writing command records itself through one `recorded_run` (db/runs.py): the run is always
ended, with what the command said or with the failure that stopped it, so `citator status` never
shows a finished command as still running."""

from __future__ import annotations

from pathlib import Path

import pytest

from citator.db import runs, store


def _run(db, run_id: int) -> dict:
    return db["runs"].get(run_id)


def test_a_run_that_returns_ends_with_its_status_and_message(tmp_path: Path) -> None:
    db = store.open_database(tmp_path / "c.db")
    with runs.recorded_run(db, "bulk") as run:
        assert _run(db, run.id)["status"] == "running"
        run.status, run.message = "partial", "INVENTED: 2 files scanned"
    row = _run(db, run.id)
    assert (row["command"], row["status"], row["message"]) == ("bulk", "partial", "INVENTED: 2 files scanned")
    assert row["ended_at"]


def test_a_run_that_raises_is_ended_as_failed_and_the_error_goes_on(tmp_path: Path) -> None:
    db = store.open_database(tmp_path / "c.db")
    with pytest.raises(ValueError, match="INVENTED"):
        with runs.recorded_run(db, "extract") as run:
            raise ValueError("INVENTED bad document")
    row = _run(db, run.id)
    assert (row["status"], row["message"]) == ("failed", "ValueError: INVENTED bad document")


def test_a_step_inside_another_run_leaves_ending_it_to_that_run(tmp_path: Path) -> None:
    db = store.open_database(tmp_path / "c.db")
    with runs.recorded_run(db, "refresh") as outer:
        with runs.recorded_run(db, "harvest", run_id=outer.id) as step:
            step.status = "partial"
        assert step.id == outer.id and _run(db, outer.id)["status"] == "running"
        with pytest.raises(RuntimeError):
            with runs.recorded_run(db, "extract", run_id=outer.id):
                raise RuntimeError("INVENTED")
        assert _run(db, outer.id)["status"] == "running"
    assert _run(db, outer.id)["status"] == "ok" and db["runs"].count == 1


def test_a_run_ended_inside_is_not_ended_twice_unless_something_fails_after(tmp_path: Path) -> None:
    db = store.open_database(tmp_path / "c.db")
    with runs.recorded_run(db, "refresh") as run:
        run.finish(db, "ok", "INVENTED: nothing new")
    assert (_run(db, run.id)["status"], _run(db, run.id)["message"]) == ("ok", "INVENTED: nothing new")
    with pytest.raises(OSError):
        with runs.recorded_run(db, "refresh", failure=lambda exc: ("failed", f"could not finish: {exc}")) as late:
            late.finish(db, "ok", "INVENTED: published")
            raise OSError("INVENTED disk full")
    assert (_run(db, late.id)["status"], _run(db, late.id)["message"]) == ("failed", "could not finish: INVENTED disk full")
