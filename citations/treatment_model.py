"""The shipped treatment model: learned weights over named features, read without scikit-learn.

`citations/treatment_model.json` holds a multinomial logistic regression trained by
`citator train treatment` (citator/train_treatment.py). Labelling a reference is a dot product
over the features it has plus a softmax, so start-up stays cheap and nothing but the standard
library is needed at run time. The file also records what it was trained on (`trained_on`) and
its cross-validated figures (`cross_validation`), which `citator status` and the about page show.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

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

    @property
    def confidence(self) -> float:
        return self.probabilities[self.label]

    def evidence(self, top: int = EVIDENCE_TOP) -> tuple[str, ...]:
        """The features that pushed hardest towards the label, in words a researcher reads."""
        lines = [f"{name} -> {self.label} {weight:+.2f}" for name, weight in self.contributions[:top] if weight > 0]
        lines += [f"{name}: untrained (run `{REBUILD}` to give it a weight)" for name in self.untrained]
        return tuple(lines)


@dataclass(frozen=True)
class TreatmentModel:
    labels: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]  # feature -> one weight per label
    intercepts: tuple[float, ...]
    data: Mapping[str, Any]  # the whole file, for trained_on / cross_validation

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
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{source}: incompatible model file ({exc}); rebuild it with `{REBUILD}`") from None
        return cls(labels, weights, intercepts, data)

    def predict(self, features: Mapping[str, float], untrained: tuple[str, ...] = ()) -> Prediction:
        """Softmax over labels of intercept + sum of weight * value for the known features."""
        scores = list(self.intercepts)
        known = [(name, value) for name, value in features.items() if name in self.weights]
        for name, value in known:
            for i, w in enumerate(self.weights[name]):
                scores[i] += w * value
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        probs = {label: e / total for label, e in zip(self.labels, exps)}
        best = max(range(len(self.labels)), key=lambda i: (scores[i], -i))
        # A feature's pull towards the label is its weight there minus its mean weight elsewhere.
        pulls = []
        for name, value in known:
            row = self.weights[name]
            others = [w for i, w in enumerate(row) if i != best]
            pull = (row[best] - sum(others) / len(others)) * value if others else row[best] * value
            pulls.append((name, round(pull, 3)))
        pulls.sort(key=lambda p: (-p[1], p[0]))
        return Prediction(self.labels[best], probs, tuple(pulls), untrained)


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
