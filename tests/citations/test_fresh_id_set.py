"""id. and short-cite resolution on the set labelled by us on twelve real opinions
(tests/citations/fresh_sets/ids): every id. and short case cite plain eyecite finds in each opinion,
read and labelled before citator's answers were looked at. Its texts are read from ../shared/bulk
in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from citator.evaluate_resolution import score_resolution
from tests.citations.fresh_sets.id_set import materialise_ids
from tests.fakes.paths import require_shared

pytestmark = pytest.mark.slow


def test_fresh_id_set_meets_the_resolution_targets(tmp_path: Path) -> None:
    folder = materialise_ids(require_shared("bulk") / "ca1-opinions.jsonl.gz", tmp_path / "ids")
    scores = score_resolution(folder)
    assert scores["split"] == "none: scored as a whole"
    ids = scores["scopes"]["all"]["id"]
    assert ids["references"] == 292
    assert ids["citator"] >= 0.97
    assert ids["citator_right"] > ids["eyecite_right"]
    # both what an id. can refer to are held, not only the commoner
    assert scores["scopes"]["case"]["id"]["citator"] >= 0.97
    assert scores["scopes"]["non-case"]["id"]["citator"] >= 0.97
    shorts = scores["scopes"]["all"]["short"]
    assert shorts["references"] == 210
    assert shorts["citator_right"] >= shorts["eyecite_right"]
    assert shorts["citator"] >= 0.97
