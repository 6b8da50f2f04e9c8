"""The shipped treatment model: learned weights over named features, read without scikit-learn.

`citations/treatment_model.json` holds a multinomial logistic regression trained by
`citator train treatment` (citator/train_treatment.py). Labelling a reference is a dot product
over the features it has plus a softmax, so start-up stays cheap and nothing but the standard
library is needed at run time. The file also records what it was trained on (`trained_on`) and
its cross-validated figures (`cross_validation`), which `citator status` and the about page show.

Decision offsets (`decision_offsets`, optional): a log-odds amount per label added to the scores
before the label is chosen, fitted by training to the out-of-fold scores of the training
documents for macro-F1. A logistic model's most probable label under-calls the rare labels
(distinguished, criticized_or_declined), which macro-F1 weighs as much as relied_on; the offsets
move only the choice. The probabilities, and the confidence reported with a label, stay the
model's own softmax, which is what calibration is measured on.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Collection, Mapping

FORMAT = "citator-treatment-model/1"
MODEL_FILE = "treatment_model.json"
REBUILD = "citator train treatment ../shared/treatment ../shared/corpus"
#: How many contributions a label's evidence lists.
EVIDENCE_TOP = 4


class ModelError(RuntimeError):
    """The model file is missing or not one this version of citator reads; the message says
    which file and the command that rebuilds it."""


@dataclass(frozen=True)
class Prediction:
    label: str
    probabilities: dict[str, float]
    #: (feature, label, contribution) for the chosen label, largest first
    contributions: tuple[tuple[str, float], ...]
    untrained: tuple[str, ...] = ()
    #: score + decision offset per label: what the label is chosen by (see best_except)
    decision_scores: Mapping[str, float] | None = None
    #: label -> its decision offset, for the labels that have one
    offsets: Mapping[str, float] | None = None

    @property
    def confidence(self) -> float:
        return self.probabilities[self.label]

    def best_except(self, excluded: Collection[str]) -> str:
        """The label chosen when `excluded` labels are ruled out: highest decision score."""
        scores = self.decision_scores or self.probabilities
        order = list(scores)
        return max((lab for lab in order if lab not in excluded), key=lambda lab: (scores[lab], -order.index(lab)))

    def offset_note(self, label: str | None = None, excluded: Collection[str] = ()) -> str | None:
        """In words, when a decision offset chose `label` (default: the model's label) over the
        most probable label not `excluded` by a rule: "decision threshold for distinguished (rare
        label) +0.60 against relied_on: ..."; None when the most probable label was chosen."""
        label = label or self.label
        allowed = [lab for lab in self.probabilities if lab not in excluded or lab == label]
        top = max(allowed, key=lambda lab: (self.probabilities[lab], -allowed.index(lab)))
        if label == top or not self.offsets:
            return None
        own, other = self.offsets.get(label, 0.0), self.offsets.get(top, 0.0)
        p, q = self.probabilities[label], self.probabilities[top]
        return (f"decision threshold for {label} ({'rare label' if own > other else 'label'}) {own - other:+.2f} "
                f"against {top}: chosen though less probable ({p:.2f} against {q:.2f})")

    def evidence(self, top: int = EVIDENCE_TOP) -> tuple[str, ...]:
        """The features that pushed hardest towards the label, in words a researcher reads (first,
        when a decision offset decided the label, that offset)."""
        note = self.offset_note()
        lines = [note] if note else []
        lines += [f"{name} -> {self.label} {weight:+.2f}" for name, weight in self.contributions[:top] if weight > 0]
        lines += [f"{name}: untrained (run `{REBUILD}` to give it a weight)" for name in self.untrained]
        return tuple(lines)


@dataclass(frozen=True)
class TreatmentModel:
    labels: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]  # feature -> one weight per label
    intercepts: tuple[float, ...]
    data: Mapping[str, Any]  # the whole file, for trained_on / cross_validation
    #: log-odds added to each label's score before choosing (zero: the most probable label)
    offsets: tuple[float, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "treatment model") -> "TreatmentModel":
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, Mapping) else type(data).__name__
            raise ModelError(f"{source}: not a {FORMAT} file (format {found!r}); rebuild it with `{REBUILD}`")
        try:
            labels = tuple(data["labels"])
            features = data["features"]
            rows = data["weights"]
            intercepts = tuple(float(x) for x in data["intercepts"])
            if len(features) != len(rows) or len(intercepts) != len(labels):
                raise ValueError("features, weights and intercepts differ in length")
            weights = {}
            for name, row in zip(features, rows):
                if len(row) != len(labels):
                    raise ValueError(f"feature {name!r} has {len(row)} weights for {len(labels)} labels")
                weights[name] = tuple(float(x) for x in row)
            given = data.get("decision_offsets") or {}
            if not isinstance(given, Mapping) or set(given) - set(labels):
                raise ValueError("decision_offsets must map labels of the model to numbers")
            offsets = tuple(float(given.get(label, 0.0)) for label in labels)
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{source}: incompatible model file ({exc}); rebuild it with `{REBUILD}`") from None
        return cls(labels, weights, intercepts, data, offsets)

    def scores(self, features: Mapping[str, float]) -> list[float]:
        """Each label's score (log-odds up to a constant): intercept + sum of weight * value."""
        scores = list(self.intercepts)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for i, w in enumerate(row):
                    scores[i] += w * value
        return scores

    def predict(self, features: Mapping[str, float], untrained: tuple[str, ...] = ()) -> Prediction:
        """Softmax over labels of the scores; the label is the highest score plus decision offset."""
        scores = self.scores(features)
        known = [(name, value) for name, value in features.items() if name in self.weights]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        probs = {label: e / total for label, e in zip(self.labels, exps)}
        offsets = self.offsets or (0.0,) * len(self.labels)
        decision = [s + o for s, o in zip(scores, offsets)]
        best = max(range(len(self.labels)), key=lambda i: (decision[i], -i))
        # A feature's pull towards the label is its weight there minus its mean weight elsewhere.
        pulls = []
        for name, value in known:
            row = self.weights[name]
            others = [w for i, w in enumerate(row) if i != best]
            pull = (row[best] - sum(others) / len(others)) * value if others else row[best] * value
            pulls.append((name, round(pull, 3)))
        pulls.sort(key=lambda p: (-p[1], p[0]))
        return Prediction(
            self.labels[best], probs, tuple(pulls), untrained,
            decision_scores=dict(zip(self.labels, decision)),
            offsets={lab: o for lab, o in zip(self.labels, offsets) if o},
        )


def model_path() -> Path:
    return Path(str(resources.files("citator.citations").joinpath(MODEL_FILE)))


def load_model(path: str | Path | None = None) -> TreatmentModel:
    """Read a model file (the shipped one by default); ModelError if missing or incompatible."""
    if path is None:
        return _default_model()
    return _read(Path(path))


@lru_cache(maxsize=1)
def _default_model() -> TreatmentModel:
    return _read(model_path())


def _read(path: Path) -> TreatmentModel:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"treatment model {path.name} is missing; rebuild it with `{REBUILD}`") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"treatment model {path.name} cannot be read ({exc}); rebuild it with `{REBUILD}`") from None
    return TreatmentModel.from_dict(data, path.name)
