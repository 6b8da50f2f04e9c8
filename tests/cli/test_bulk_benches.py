"""The benchmarks still run on tiny inputs (no timings are asserted: figures belong in bench/ output)."""

from __future__ import annotations

import pytest

import asyncio
from pathlib import Path


from bench import bulk_scan, dump_plan, site_latency  # noqa: E402
from tests.fakes.paths import REPO


def test_canned_queries_are_read_from_the_metadata() -> None:
    metadata = {"databases": {"citator": {"tables": {"cases": {}}, "queries": {
        "INVENTED_by_authority": {"sql": "select * from citations where authority_key = :authority_key and year >= :year_from"},
        "INVENTED_plain": "select 1",
    }}}}
    urls = site_latency.pages(metadata, "citator")
    assert "/citator/cases" in urls
    assert "/citator/INVENTED_by_authority?authority_key=bernstein-9th&year_from=2005" in urls
    assert "/citator/INVENTED_plain" in urls


@pytest.mark.slow
def test_site_latency_on_a_small_database(tmp_path: Path) -> None:
    path = tmp_path / "citator.db"
    site_latency.build_database(path, references=500, cases=50)
    site_latency.site.publish_site(path)  # views and search, as the benchmark's main() does
    results = asyncio.run(site_latency.measure(path, repeats=1, immutable=True, settings={"suggest_facets": False}))
    assert results and all(r["status"] == 200 for r in results), [r for r in results if r["status"] != 200]


@pytest.mark.slow
def test_bulk_scan_benchmark_reports_every_figure(tmp_path: Path) -> None:
    """The bulk benchmark end to end on a tiny corpus of real opinions (../shared/bulk), both formats."""
    import json
    import subprocess
    import sys

    from tests.fakes.paths import require_shared

    require_shared("bulk")
    bench = REPO / "bench" / "bulk_scan.py"
    done = subprocess.run([sys.executable, str(bench), "--size-mb", "1.2", "--base-records", "12", "--plant-every", "5",
                           "--dask-repeats", "1", "--eyecite-sample-mb", "0.05", "--startup-repeats", "1"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["identical"] is True
    assert {"ratio", "mb_per_s_per_core", "opinions_per_s", "peak_rss_mb", "sqlite_rows_per_s"} <= set(figures)
    assert figures["opinions_per_s"] > 0  # every opinion counts, read or passed over unread
    assert set(figures["by_format"]) == {"cl_csv_bz2", "cap_zip"}
    assert all(f["ratio"] > 0 and f["mb_per_s_per_core"] > 0 for f in figures["by_format"].values())
    # The ratio without process start leaves out only what the in-process naive path never pays.
    assert all(f["ratio_without_process_start"] >= f["ratio"] for f in figures["by_format"].values())
    # One CourtListener dump: decoding alone against the scan, on 2 processes and a 2-worker LocalCluster,
    # every mode storing the same seed references; plain eyecite as users write it; start-up figures.
    dump = figures["courtlistener_dump"]
    assert {"decode_only_mb_per_s", "scan_mb_per_s", "two_processes_speedup", "dask_speedup", "dask_worker_peak_rss_mb",
            "split_share_of_whole", "split_share_of_decode_cpu"} <= set(dump)
    assert len(figures["identical_by_mode"]) == 6 and all(figures["identical_by_mode"].values())
    assert figures["ratio_plain_eyecite"] > 0 and figures["plant_every"] == 5 and set(figures["format_mix_mb"]) == {"cl_csv_bz2", "cap_zip"}
    assert {"status", "config", "serve --help"} <= set(figures["startup_seconds"])
    assert set(figures["startup_cpu_seconds"]) == {"status", "config", "serve --help"}
    assert "not judged on a 1 MB dump" in done.stdout  # the scale-out targets need a dump where decoding dominates
    # The plan on paper for the whole dump is computed from exactly these figures.
    table = dump_plan.plan(figures, opinions=10e6, worker_mb_per_s=50, source_mb_per_s=1000)
    header = next(line for line in table.splitlines() if line.startswith("| Dask workers"))
    assert header == "| Dask workers | 1 | 8 | 64 | 256 |"
    assert "SQLite write" in table and "per-worker shards merged" in table and "estimate" in table


def test_writer_rate_times_a_first_load_and_a_rerun(tmp_path: Path) -> None:
    import sqlite3

    first, rerun, rows = bulk_scan.writer_rate(tmp_path, opinions=12, per_opinion=3)
    assert rows == 36 and first > 0 and rerun > 0
    with sqlite3.connect(tmp_path / "writer.db") as conn:
        assert conn.execute("select count(*), count(distinct first_seen_run) from citations").fetchone() == (36, 1)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("select count(*) from sqlite_master where type = 'index' and tbl_name = 'citations'").fetchone()[0] >= 11


def test_shard_merge_gives_every_row_of_every_shard(tmp_path: Path) -> None:
    import sqlite3

    figures = bulk_scan.shard_merge_rate(tmp_path, shards=2, opinions=6, per_opinion=3)
    assert figures["rows"] == 36 and figures["merge_rows_per_s"] > 0 and figures["per_shard_rows_per_s"] > 0
    with sqlite3.connect(tmp_path / "merged.db") as conn:
        assert conn.execute("select count(*), count(distinct opinion_id) from citations").fetchone() == (36, 12)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
