"""The extractor meets the project's targets on the shared labelled corpus (8 real opinions).

This is the end-to-end check a maintainer reads first: recall and precision of seed
references, exact pin cites and signals, and no hard negative reported.
"""

from __future__ import annotations

import pytest

from citator.evaluate import score_extraction, seed_authority
from tests.factories import CORPUS

pytestmark = pytest.mark.usefixtures("shared_corpus")  # fails, saying why, when ../shared is missing


@pytest.fixture(scope="module")
def scores():
    return score_extraction(CORPUS)


@pytest.mark.slow
def test_recall_and_precision_targets(scores):
    assert scores["references"] == 306
    assert scores["recall"] >= 0.98, scores["missed"]
    assert scores["precision"] >= 0.98, scores["spurious"]


def test_pin_cite_and_signal_targets(scores):
    assert scores["pin_cite_exact"] >= 0.95
    assert scores["signal_accuracy"] >= 0.95


def test_every_kind_is_found(scores):
    for kind, row in scores["per_kind"].items():
        assert row["recall"] >= 0.95, (kind, row)


def test_hard_negatives_are_not_reported(scores):
    assert scores["negatives"] > 0
    assert scores["negatives_reported"] <= 1


def test_eval_is_fast_enough(scores):
    assert scores["seconds"] < 60


def test_seed_strings_become_authorities():
    seed = seed_authority("676 F.2d 793 | In re Sealed Case (D.C. Cir. 1982)")
    assert seed.key == "676 F.2d 793 | In re Sealed Case (D.C. Cir. 1982)"
    assert seed.name == "In re Sealed Case"
    assert seed.citations == ("676 F.2d 793",)
    bakke = seed_authority("438 U.S. 265 | Regents of Univ. of Cal. v. Bakke")
    assert bakke.short_names == ("Bakke",)
