"""The same bulk job on a Dask LocalCluster (loopback only), merged by one writer: same rows as locally."""

from __future__ import annotations

from pathlib import Path

import pytest

from citator import bulk
from citator.config import load_config
from citator.db import store
from tests.fakes import bulk_files

import distributed  # noqa: E402  (a test dependency: see pyproject)

pytestmark = pytest.mark.slow


def _refs(db) -> list[tuple]:
    return sorted(db.execute("select id, opinion_id, authority_key, span_start, span_end from citations").fetchall())


def test_dask_local_cluster_matches_local_processes(tmp_path: Path) -> None:
    inputs = [
        bulk_files.write_opinions(tmp_path / "opinions-a.csv.bz2"),
        bulk_files.write_cap_volume(tmp_path / "999.zip"),
        bulk_files.write_opinions(tmp_path / "opinions-b.csv", bulk_files.ROWS[1:2]),
    ]
    seeds = load_config(environ={}).seeds
    local_db = store.open_database(tmp_path / "local.db")
    bulk.run(local_db, seeds, inputs, workers=1)

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", host="127.0.0.1", scheduler_port=0,
                                  dashboard_address=None) as cluster:
        dask_db = store.open_database(tmp_path / "dask.db")
        result = bulk.run(dask_db, seeds, inputs, dask_scheduler=cluster.scheduler_address)
        assert result.status == "ok"
        # rows 503 (no text) and 504 (no seed) of opinions-a are passed over unparsed on the workers too
        assert (result.stats.documents, result.stats.unread_rows) == (5, 2)
        rerun = bulk.run(dask_db, seeds, inputs, dask_scheduler=cluster.scheduler_address, full_graph=True)
        assert rerun.stats.candidates == 6

    assert len(_refs(local_db)) == 3
    assert [r for r in _refs(dask_db) if r[2]] == _refs(local_db)


def test_unreachable_scheduler_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "DASK_CONNECT_TIMEOUT", 1.0)
    db = store.open_database(tmp_path / "x.db")
    inputs = [bulk_files.write_opinions(tmp_path / "opinions.csv")]
    with pytest.raises(bulk.BulkError, match="cannot reach the Dask scheduler"):
        bulk.run(db, load_config(environ={}).seeds, inputs, dask_scheduler="tcp://127.0.0.1:9")


def test_dask_splits_one_dump_across_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One CourtListener dump on a two-worker cluster becomes byte ranges (two per worker thread),
    and the database holds exactly what a local run stores."""
    from citator.harvest import bulk_ranges

    monkeypatch.setattr(bulk_ranges, "MIN_RANGE_BYTES", 64)
    rows = [dict(row, id=row["id"] + 1000 * n, cluster_id=row["cluster_id"] + 1000 * n) for n in range(20) for row in bulk_files.ROWS]
    path = bulk_files.write_opinions(tmp_path / "opinions-2026-09-30.csv", rows)
    seeds = load_config(environ={}).seeds
    local_db = store.open_database(tmp_path / "local.db")
    bulk.run(local_db, seeds, [path], workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
                                  scheduler_port=0, dashboard_address=None) as cluster:
        dask_db = store.open_database(tmp_path / "dask.db")
        result = bulk.run(dask_db, seeds, [path], dask_scheduler=cluster.scheduler_address)
    assert result.status == "ok" and len(result.shards) == 4 and all(s.documents for s in result.shards)
    assert (result.stats.documents, result.stats.unread_rows) == (40, 40)
    assert _refs(dask_db) == _refs(local_db) and len(_refs(local_db)) == 40
