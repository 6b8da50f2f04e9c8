"""The batched writer stores the same rows as references.replace_references, and dedupes like the harvesters."""

from __future__ import annotations

import pytest

from pathlib import Path

from citator.citations.models import Reference
from citator.config import load_config
from citator.db import bulk_store, corpus, records, references, runs, store
from citator.db.schema import CITATIONS

SEEDS = load_config(environ={}).seeds


def _ref(start: int, **extra) -> Reference:
    return Reference(start=start, end=start + 13, as_written="176 F.3d 1132", kind="full", authority_key="bernstein-9th",
                     cite="176 F.3d 1132", candidates=("bernstein-9th",), evidence=("INVENTED cue",), **extra)


def test_the_row_builder_fills_the_citations_columns_in_schema_order() -> None:
    ref = _ref(7, pin_cite="1141", treatment="followed", confidence=0.5, extra={"relies_on_withdrawn": True})
    row = references.citation_row("o", "c", ref, "k", 3)
    assert tuple(row) == tuple(c.name for c in CITATIONS.columns)
    assert (row["pin_cite"], row["treatment"], row["relies_on_withdrawn"], row["first_seen_run"]) == ("1141", "followed", 1, 3)
    assert row["id"] == references.reference_id("o", ref) and row["evidence"] == '["INVENTED cue"]'


@pytest.mark.slow
def test_write_batch_matches_replace_references_and_dedupes(tmp_path: Path) -> None:
    case = records.CaseRecord(id="cap:case:1", name="INVENTED v. INVENTED", source="cap", source_id="case:1",
                            citations=[("999 F.3d 10", "official")])
    opinion = records.OpinionRecord(id="cap:case:1:0", case_id="cap:case:1", text="INVENTED " * 10, text_format="text",
                                  text_field="casebody", source="cap", source_id="case:1:0")
    refs = [_ref(0), _ref(40)]

    one = store.open_database(tmp_path / "one.db")
    corpus.store_authorities(one, SEEDS)
    run = runs.start_run(one, "bulk")
    counts = bulk_store.write_batch(one, [bulk_store.BatchItem(case, opinion, refs)], cited_case_ids={}, run_id=run)
    assert (counts.new_cases, counts.new_opinions, counts.new_references) == (1, 1, 2)

    two = store.open_database(tmp_path / "two.db")
    corpus.store_authorities(two, SEEDS)
    corpus.upsert_case(two, case, run)
    corpus.upsert_opinion(two, opinion)
    references.replace_references(two, opinion.id, case.id, refs, cited_case_ids={}, run_id=run)
    assert list(one.query("select * from citations order by id")) == list(two.query("select * from citations order by id"))

    # The same case from CourtListener, known by the same reporter citation, keeps its first id.
    other = records.CaseRecord(id="cl:cluster:5", name="INVENTED", source="courtlistener", source_id="cluster:5",
                             citations=[("999 F.3d 10", "reporter")])
    other_opinion = records.OpinionRecord(id="cl:opinion:6", case_id="cl:cluster:5", text="INVENTED", text_format="text",
                                        text_field="plain_text", source="courtlistener", source_id="opinion:6")
    again = bulk_store.write_batch(one, [bulk_store.BatchItem(other, other_opinion, [_ref(0)])], cited_case_ids={}, run_id=run + 1)
    assert again.new_cases == 0
    assert one.execute("select case_id from opinions where id = 'cl:opinion:6'").fetchone()[0] == "cap:case:1"
    assert one.execute("select count(*) from case_sources").fetchone()[0] == 2


def test_bulk_session_restores_foreign_keys(tmp_path: Path) -> None:
    db = store.open_database(tmp_path / "s.db")
    with bulk_store.bulk_session(db):
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 0
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_garbage_collection_resumes_after_a_batch(tmp_path: Path) -> None:
    import gc

    db = store.open_database(tmp_path / "g.db")
    corpus.store_authorities(db, SEEDS)
    case = records.CaseRecord(id="t:case:1", name="INVENTED", source="t", source_id="1")
    opinion = records.OpinionRecord(id="t:opinion:1", case_id=case.id, text="INVENTED", text_format="text",
                                  text_field="plain_text", source="t", source_id="1")
    with bulk_store.bulk_session(db):
        bulk_store.write_batch(db, [bulk_store.BatchItem(case, opinion, [_ref(0)])], cited_case_ids={}, run_id=None)
    assert gc.isenabled()
