"""A seed's parallel citations that a source stored for its case (`case_citations`) are matched
too: an opinion that cites the seed only by its Westlaw cite is read as citing it (issue 14.1).

The citing opinion is invented; the Westlaw number is invented too.
"""

from __future__ import annotations

import pytest

from pathlib import Path

from citator import pipeline
from citator.config import Config
from citator.db import corpus, records, store

pytestmark = pytest.mark.slow

SEED = {"key": "bernstein-nd-cal", "name": "Bernstein v. U.S. Dep't of State", "citations": ["922 F. Supp. 1426"]}


def test_a_seed_cited_only_by_a_parallel_cite_of_its_stored_case_is_found(tmp_path: Path) -> None:
    path = tmp_path / "citator.db"
    config = Config(data={"database": str(path), "seeds": [SEED]}, environ={})
    db = store.open_database(path)
    corpus.upsert_case(db, records.CaseRecord(
        id="local:bernstein", name="Bernstein v. U.S. Dep't of State", source="local", source_id="b",
        court_id="cand", citations=[("922 F. Supp. 1426", "official"), ("1996 WL 999001", "westlaw")], depth=0))
    text = "INVENTED. Encryption code is speech. See Bernstein, 1996 WL 999001, at *3 (N.D. Cal. 1996)."
    corpus.upsert_case(db, records.CaseRecord(id="local:citing", name="Doe v. Roe", source="local", source_id="c",
                                           court_id="ca9", citations=[("9003 F.3d 1", "official")], depth=1))
    corpus.upsert_opinion(db, records.OpinionRecord(id="local:citing:0", case_id="local:citing", text=text,
                                                 text_format="text", text_field="test", source="local",
                                                 source_id="local:citing:0"))
    pipeline.extract(config, db)
    rows = list(db.query("select authority_key, pin_cite from citations where opinion_id = 'local:citing:0'"))
    assert rows == [{"authority_key": "bernstein-nd-cal", "pin_cite": "*3"}]
