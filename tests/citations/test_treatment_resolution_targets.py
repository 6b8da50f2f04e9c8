"""id. and short-cite resolution on ../shared/treatment, the issue's resolution set: the id. target
(0.97) holds over all its opinions, and short cites do at least as well as plain eyecite. Both
halves have now been read while writing the id. rules, so this guards what was reached; it is no
unseen figure (README, "Resolution and footnotes on real opinions")."""

from __future__ import annotations

import pytest

from citator.evaluate_resolution import score_resolution
from tests.fakes.paths import require_shared

pytestmark = pytest.mark.slow


def test_resolution_set_meets_the_id_target_and_short_cites_match_plain_eyecite() -> None:
    scores = score_resolution(require_shared("treatment"))
    ids = scores["scopes"]["all"]["id"]
    assert ids["references"] == 264
    assert ids["citator"] >= 0.97
    shorts = scores["scopes"]["all"]["short"]
    assert shorts["citator_right"] >= shorts["eyecite_right"]
    fulls = scores["scopes"]["all"]["full"]
    assert fulls["citator_right"] >= fulls["eyecite_right"]
