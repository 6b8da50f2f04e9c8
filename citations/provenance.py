"""Which treatment model labels the references: its identity, training data and scored figures.

The identity is a SHA-256 over the bytes of the data files in this package that shape labels: the
cue lexicon (`treatment_lexicon.toml`) and, when present, the trained model
(`treatment_model.json`). It is part of the extraction fingerprint, so a new model or an edited
lexicon re-labels every stored reference at the next refresh. The model file's own
account of itself (`trained_on`, `cross_validation`) is what `citator status` and the site's about
page report: a figure is shown only when the file carries it, never computed here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

#: The package's data files that decide labels, in the order they are hashed.
LABEL_FILES = ("treatment_lexicon.toml", "treatment_model.json")
MODEL_FILE = "treatment_model.json"
UNTRAINED = "rule-based (untrained)"


@dataclass(frozen=True)
class ModelIdentity:
    """The treatment model as a researcher needs to know it."""

    sha256: str
    files: tuple[str, ...]
    trained: bool
    trained_on: tuple[dict[str, Any], ...] = ()
    cross_validation: dict[str, Any] = field(default_factory=dict)

    @property
    def short(self) -> str:
        return self.sha256[:12]

    def describe(self) -> str:
        """One line: "trained model 1a2b3c4d5e6f on ... (cross-validated macro-F1 0.81)" or the
        rule-based classifier's."""
        if not self.trained:
            return f"{UNTRAINED}, lexicon {self.short}"
        text = f"trained model {self.short}"
        data = self.training_data()
        if data:
            text += f", trained on {data}"
        figures = self.figures()
        if figures:
            text += f"; cross-validated {figures}"
        return text

    def training_data(self) -> str:
        parts = []
        for item in self.trained_on:
            if not isinstance(item, dict):
                continue
            bits = [str(item.get("corpus", "?"))]
            counts = [f"{item[k]} {k}" for k in ("documents", "references") if item.get(k) is not None]
            parts.append(bits[0] + (f" ({', '.join(counts)})" if counts else ""))
        return "; ".join(parts)

    def figures(self) -> str:
        """The cross-validated figures, the headline first (macro-F1), then the rest by name."""
        shown = []
        first = ("macro_f1", "accuracy")
        ordered = sorted(self.cross_validation.items(), key=lambda kv: (kv[0] not in first, first.index(kv[0])
                                                                         if kv[0] in first else 0, kv[0]))
        for key, value in ordered:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                shown.append(f"{key} {value:.3f}" if isinstance(value, float) else f"{key} {value}")
        return ", ".join(shown)

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "short": self.short, "files": list(self.files), "trained": self.trained,
                "trained_on": list(self.trained_on), "cross_validation": dict(self.cross_validation),
                "description": self.describe()}


def treatment_model_identity() -> ModelIdentity:
    """Hash the label-shaping data files as shipped (see LABEL_FILES) and read the model's account
    of its training. A model file that is not a JSON object still counts in the hash and is shown as
    trained with no figures; reading it for labels is the classifier's business."""
    package = resources.files("citator.citations")
    digest = hashlib.sha256()
    present: list[str] = []
    model: dict[str, Any] | None = None
    for name in LABEL_FILES:
        entry = package.joinpath(name)
        if not entry.is_file():
            continue
        data = entry.read_bytes()
        digest.update(name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
        present.append(name)
        if name == MODEL_FILE:
            try:
                loaded = json.loads(data)
            except ValueError:
                loaded = None
            model = loaded if isinstance(loaded, dict) else {}
    if model is None:
        return ModelIdentity(digest.hexdigest(), tuple(present), trained=False)
    trained_on = model.get("trained_on")
    cv = model.get("cross_validation")
    return ModelIdentity(
        digest.hexdigest(), tuple(present), trained=True,
        trained_on=tuple(trained_on) if isinstance(trained_on, list) else (),
        cross_validation=dict(cv) if isinstance(cv, dict) else {},
    )
