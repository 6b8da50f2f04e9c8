"""Decision offsets: a fitted log-odds amount per label, added before the label is chosen so the
rare labels (distinguished, criticized_or_declined) are not always out-voted by relied_on; the
confidence stays the model's probability, and the evidence says when an offset decided.

The passage below is INVENTED for these tests (imitating opinion style).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from citator.citations.models import TREATMENTS
from citator.citations.treatment import DecisionRule, classify_all
from citator.citations.treatment_model import FORMAT, ModelError, TreatmentModel, load_model
from citator.train_treatment import OFFSET_ANCHOR, decide, fit_offsets

from tests.factories import SCOTUS_SEED, ref_at

TEXT = "The ordinance in Alpha v. Beta, 500 U.S. 1 (1990), reached leaflets. The rule here is different."


def _model(offsets: dict[str, float] | None = None) -> TreatmentModel:
    """No features, only intercepts: relied_on a little more probable than distinguished."""
    intercepts = {"followed": -3.0, "relied_on": 0.3, "cited_neutral": -3.0, "distinguished": 0.0,
                  "criticized_or_declined": -3.0, "noted_withdrawn": -3.0}
    data = {"format": FORMAT, "labels": list(TREATMENTS), "features": [], "weights": [],
            "intercepts": [intercepts[t] for t in TREATMENTS]}
    if offsets is not None:
        data["decision_offsets"] = offsets
    return TreatmentModel.from_dict(data)


def _label(model: TreatmentModel):
    (out,) = classify_all([ref_at(TEXT, "Alpha v. Beta, 500 U.S. 1", kind="full")], TEXT, [SCOTUS_SEED], model=model)
    return out


def test_a_fitted_offset_decides_a_borderline_reference_and_says_so() -> None:
    plain = _label(_model())
    assert plain.treatment == "relied_on"
    assert not any("decision threshold" in line for line in plain.evidence)

    shifted = _label(_model({"distinguished": 0.6}))
    assert shifted.treatment == "distinguished"
    assert shifted.evidence[0].startswith("decision threshold for distinguished (rare label) +0.60 against relied_on")
    # the confidence is the model's probability of the label, unchanged by the offset
    assert shifted.confidence == pytest.approx(plain.extra["scores"]["distinguished"], abs=0.001)
    assert shifted.extra["scores"] == plain.extra["scores"]
    assert shifted.confidence < shifted.extra["scores"]["relied_on"]


def test_an_offset_too_small_to_matter_leaves_the_label_and_the_evidence_alone() -> None:
    out = _label(_model({"distinguished": 0.2}))
    assert out.treatment == "relied_on"
    assert not any("decision threshold" in line for line in out.evidence)


def test_a_rule_still_rules_out_a_label_an_offset_favours() -> None:
    """criticized_or_declined needs criticising words at the reference, however large its offset."""
    out = _label(_model({"criticized_or_declined": 5.0}))
    assert out.treatment != "criticized_or_declined"
    assert out.evidence[0].startswith("rule: no contrary signal or criticising words")


def test_offsets_for_labels_the_model_lacks_are_refused(tmp_path: Path) -> None:
    data = {"format": FORMAT, "labels": ["relied_on", "cited_neutral"], "features": [], "weights": [],
            "intercepts": [0.0, 0.0], "decision_offsets": {"distinguished": 0.4}}
    bad = tmp_path / "model.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="citator train treatment"):
        load_model(bad)


def _borderline_scores(n: int = 200) -> tuple[np.ndarray, list[str]]:
    """Out-of-fold scores where every distinguished reference scores just under relied_on."""
    rng = np.random.default_rng(0)
    scores = np.full((n, len(TREATMENTS)), -5.0)
    truth = []
    for i in range(n):
        rare = i % 5 == 0
        scores[i, TREATMENTS.index("relied_on")] = 1.0
        scores[i, TREATMENTS.index("distinguished")] = (0.7 if rare else 0.1) + rng.uniform(-0.05, 0.05)
        truth.append("distinguished" if rare else "relied_on")
    return scores, truth


def test_fit_offsets_raises_a_rare_label_the_argmax_never_chooses_and_is_deterministic() -> None:
    scores, truth = _borderline_scores()
    rules = [DecisionRule()] * len(truth)
    assert set(decide(scores, [0.0] * len(TREATMENTS), rules)) == {"relied_on"}
    offsets, fitted = fit_offsets(scores, truth, rules)
    assert offsets[OFFSET_ANCHOR] == 0.0
    assert 0.4 <= offsets["distinguished"] < 0.9
    assert decide(scores, [offsets[t] for t in TREATMENTS], rules) == truth and fitted == 1.0
    assert fit_offsets(scores, truth, rules) == (offsets, fitted)


def test_fit_offsets_leaves_every_offset_at_zero_when_none_helps() -> None:
    scores, truth = _borderline_scores()
    truth = ["relied_on"] * len(truth)
    offsets, _ = fit_offsets(scores, truth, [DecisionRule()] * len(truth))
    assert set(offsets.values()) == {0.0}


def test_decide_applies_the_rules_on_top_of_the_scores() -> None:
    scores, _ = _borderline_scores(5)
    rules = [DecisionRule(forced="noted_withdrawn"), DecisionRule(excluded={"relied_on": "test"})] + [DecisionRule()] * 3
    assert decide(scores, [0.0] * len(TREATMENTS), rules)[:3] == ["noted_withdrawn", "distinguished", "relied_on"]
