"""The bulk writer's fast path keeps the database whole: indexes set aside during a large load come
back however the load ends (normally, by an exception, by SIGKILL), reruns change nothing, and
every batch either lands whole or not at all."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from citator.citations.models import Reference
from citator.config import load_config
from citator.db import bulk_indexes, bulk_store, corpus, records, references, runs, store

SEEDS = load_config(environ={}).seeds


def _items(opinions: int, per_opinion: int, *, shift: int = 0) -> list[bulk_store.BatchItem]:
    items = []
    for n in range(opinions):
        case = records.CaseRecord(id=f"t:case:{n}", name=f"INVENTED v. INVENTED {n}", source="t", source_id=str(n),
                                citations=[(f"{900 + n} F.3d 1", "official")])
        opinion = records.OpinionRecord(id=f"t:opinion:{n}", case_id=case.id, text="INVENTED " * 30, text_format="text",
                                      text_field="plain_text", source="t", source_id=str(n))
        refs = [Reference(start=i * 20 + shift, end=i * 20 + shift + 13, as_written="176 F.3d 1132", kind="full",
                          authority_key="bernstein-9th" if (i + shift // 20) % 2 else None, cite="176 F.3d 1132", signal="see",
                          treatment="followed" if i % 3 else None, confidence=0.5 if i % 3 else None)
                for i in range(per_opinion)]
        items.append(bulk_store.BatchItem(case, opinion, refs))
    return items


def _db(path: Path):
    db = store.open_database(path)
    corpus.store_authorities(db, SEEDS)
    return db


def _write(db, items, run_id: int, batch: int = 5) -> list[bulk_store.BatchCounts]:
    with bulk_store.bulk_session(db):
        return [bulk_store.write_batch(db, items[i : i + batch], cited_case_ids={}, run_id=run_id)
                for i in range(0, len(items), batch)]


def _indexes(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("select name, sql from sqlite_master where type = 'index' and tbl_name = 'citations' order by name").fetchall()


def _healthy(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("select count(*) from citator_meta where key = ?", [bulk_indexes.MARKER]).fetchone()[0] == 0


def test_a_load_into_an_empty_table_sets_the_indexes_aside_and_rebuilds_them(tmp_path: Path) -> None:
    db = _db(tmp_path / "a.db")
    expected = _indexes(tmp_path / "a.db")
    assert len(expected) >= 11  # the primary key's, opinion_id, and the site's
    run = runs.start_run(db, "bulk")
    seen_during: list[list[tuple]] = []
    with bulk_store.bulk_session(db):
        for start in range(0, 20, 5):
            bulk_store.write_batch(db, _items(20, 4)[start : start + 5], cited_case_ids={}, run_id=run)
            seen_during.append(db.execute("select name from sqlite_master where type = 'index' and tbl_name = 'citations'").fetchall())
    assert all(len(names) == 1 for names in seen_during)  # only the primary key's while loading
    assert _indexes(tmp_path / "a.db") == expected
    assert db.execute("select count(*) from citations").fetchone()[0] == 80
    _healthy(tmp_path / "a.db")
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert (type(None), sqlite3.PrepareProtocol) not in sqlite3.adapters


def test_rerun_changes_nothing_and_keeps_the_indexes(tmp_path: Path) -> None:
    db = _db(tmp_path / "r.db")
    first_run = runs.start_run(db, "bulk")
    items = _items(20, 4)
    first = _write(db, items, first_run)
    assert sum(c.new_references for c in first) == 80
    before = db.execute("select rowid, * from citations order by id").fetchall()
    expected = _indexes(tmp_path / "r.db")

    second_run = runs.start_run(db, "bulk")
    with bulk_store.bulk_session(db) as session:
        counts = [bulk_store.write_batch(db, items[i : i + 5], cited_case_ids={}, run_id=second_run) for i in range(0, 20, 5)]
        assert session.changed == 0 and not session.indexes_dropped
    assert sum(c.new_references for c in counts) == 0 and sum(c.reference_rows for c in counts) == 80
    assert db.execute("select rowid, * from citations order by id").fetchall() == before  # same ids, rowids, first_seen_run
    assert {r[0] for r in db.execute("select first_seen_run from citations")} == {first_run}
    assert _indexes(tmp_path / "r.db") == expected
    _healthy(tmp_path / "r.db")


@pytest.mark.slow
def test_changed_references_replace_the_old_ones_as_replace_references_does(tmp_path: Path) -> None:
    bulk = _db(tmp_path / "b.db")
    single = _db(tmp_path / "s.db")
    old, new = _items(6, 4), _items(6, 4, shift=20)  # the new ones share some spans with the old ones
    for run, items in ((1, old), (2, new)):
        assert runs.start_run(bulk, "bulk") == runs.start_run(single, "extract") == run
        _write(bulk, items, run, batch=4)
        for item in items:
            corpus.upsert_case(single, item.case, run)
            corpus.upsert_opinion(single, item.opinion)
            references.replace_references(single, item.opinion.id, item.case.id, item.references, cited_case_ids={}, run_id=run)
    rows = bulk.execute("select * from citations order by id").fetchall()
    assert rows == single.execute("select * from citations order by id").fetchall()
    first_seen = [r[0] for r in bulk.execute("select first_seen_run from citations")]
    assert sorted(first_seen) == [1] * 18 + [2] * 6  # kept where the reference was there before, new where not
    assert bulk.execute("select count(*) from citations where span_start = 0").fetchone()[0] == 0  # gone
    _healthy(tmp_path / "b.db")


def test_an_exception_mid_load_keeps_the_finished_batches_and_the_indexes(tmp_path: Path, monkeypatch) -> None:
    db = _db(tmp_path / "x.db")
    expected = _indexes(tmp_path / "x.db")
    run = runs.start_run(db, "bulk")
    items = _items(15, 4)
    calls = 0
    real = bulk_store.upsert_reference_rows

    def failing(db_, rows):
        nonlocal calls
        calls += 1
        changed = real(db_, rows)  # this batch's rows are written, then the batch fails
        if calls == 3:
            raise KeyboardInterrupt
        return changed

    monkeypatch.setattr(bulk_store, "upsert_reference_rows", failing)
    with pytest.raises(KeyboardInterrupt):
        _write(db, items, run)
    assert _indexes(tmp_path / "x.db") == expected
    assert db.execute("select count(distinct opinion_id), count(*) from citations").fetchone() == (10, 40)
    assert db.execute("select count(*) from opinions").fetchone()[0] == 10  # the failed batch left nothing
    _healthy(tmp_path / "x.db")
    monkeypatch.setattr(bulk_store, "upsert_reference_rows", real)
    _write(db, items, runs.start_run(db, "bulk"))  # the rerun completes it
    assert db.execute("select count(*) from citations").fetchone()[0] == 60
    _healthy(tmp_path / "x.db")


_KILLED_LOAD = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from test_bulk_indexes import _db, _items
    from citator.db import bulk_store, corpus, records, references, runs, store
    db = _db({path!r})
    run = runs.start_run(db, "bulk")
    items = _items(10, 4)
    with bulk_store.bulk_session(db) as session:
        bulk_store.write_batch(db, items[:5], cited_case_ids={{}}, run_id=run)
        session.commit()
        bulk_store.write_batch(db, items[5:], cited_case_ids={{}}, run_id=run)  # never committed
        os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.slow
def test_a_killed_load_is_repaired_on_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    store.open_database(tmp_path / "fresh.db")
    expected = _indexes(tmp_path / "fresh.db")
    script = _KILLED_LOAD.format(tests=str(Path(__file__).parent), path=str(path))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr
    assert len(_indexes(path)) == 1  # killed with the indexes set aside

    db = store.open_database(path)
    assert _indexes(path) == expected
    assert db.execute("select count(*) from citations").fetchone()[0] == 20  # the committed batch only
    _healthy(path)


def test_a_live_load_is_left_alone_by_other_openers(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    db = _db(path)
    bulk_indexes.drop(db)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        db.execute("update citator_meta set value = json_set(value, '$.pid', ?) where key = ?", [sleeper.pid, bulk_indexes.MARKER])
        store.open_database(path)
        assert len(_indexes(path)) == 1
    finally:
        sleeper.kill()
        sleeper.wait()
    store.open_database(path)
    assert len(_indexes(path)) >= 11
    _healthy(path)
