"""`citator train treatment CORPUS...`: fit the treatment model and write its data file.

scikit-learn's LogisticRegression (multinomial, L2) is fitted on the named features
(citations/treatment_features.py) of every labelled reference in the given corpora; the weights
are written, rounded, to citations/treatment_model.json with what they were trained on and their
grouped cross-validated figures. Everything is deterministic: documents and features are sorted,
the solver (lbfgs) has no randomness, folds are dealt by a fixed rule and the bootstrap is seeded,
so a fresh run rebuilds the shipped file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from citator.citations.lexicon import default_lexicon
from citator.citations.models import TREATMENTS
from citator.citations.treatment import opinion_features
from citator.citations.treatment_model import FORMAT, TreatmentModel
from citator.evaluate_treatment import LabelledDocument, cross_validate, load_corpora

#: Inverse regularisation strength; chosen by grouped 5-fold CV over treatment + corpus.
C = 0.1
#: A word n-gram becomes a feature only if it occurs in at least this many training documents:
#: a phrase from a single opinion describes that opinion, not how courts write.
MIN_DOCUMENTS = 5
#: "balanced" weighs each label by the inverse of its frequency, so rare labels (distinguished,
#: criticized) are not drowned by relied_on; None trusts the label mix of the training data.
CLASS_WEIGHT: str | None = "balanced"
#: Weights are rounded to this many decimals so the file is stable across machines.
DECIMALS = 3
CV_FOLDS = 5

_FEATURE_CACHE: dict[tuple[str, int], list[dict[str, float]]] = {}


def document_features(doc: LabelledDocument) -> list[dict[str, float]]:
    """The features of a document's gold references (cached per process: CV refits reuse them)."""
    key = (doc.group, len(doc.references))
    if key not in _FEATURE_CACHE:
        _FEATURE_CACHE[key] = opinion_features(
            doc.references, doc.text, doc.authorities, citing_family=doc.citing_family,
            citing_court=doc.citing_court, lexicon=default_lexicon(),
        )
    return _FEATURE_CACHE[key]


def kept_features(docs: Sequence[LabelledDocument]) -> list[str]:
    """Features worth a weight: every lexicon cue, signal and structural feature seen in
    training, and word n-grams seen in at least MIN_DOCUMENTS documents."""
    in_docs: Counter[str] = Counter()
    for doc in docs:
        seen = set()
        for feats in document_features(doc):
            seen.update(feats)
        in_docs.update(seen)
    return sorted(
        name for name, n in in_docs.items() if "words \"" not in name or n >= MIN_DOCUMENTS
    )


def fit_weights(docs: Sequence[LabelledDocument], *, c: float = C) -> dict[str, Any]:
    """Fit the model on documents; the weights part of the model file."""
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    names = kept_features(docs)
    column = {name: j for j, name in enumerate(names)}
    cells_r: list[int] = []
    cells_c: list[int] = []
    cells_v: list[float] = []
    labels: list[str] = []
    for doc in docs:
        for feats, label in zip(document_features(doc), doc.labels):
            for name, value in feats.items():
                j = column.get(name)
                if j is not None:
                    cells_r.append(len(labels))
                    cells_c.append(j)
                    cells_v.append(value)
            labels.append(label)
    x = sparse.csr_matrix((np.array(cells_v), (cells_r, cells_c)), shape=(len(labels), len(names)))
    present = [t for t in TREATMENTS if t in set(labels)]
    clf = LogisticRegression(C=c, max_iter=5000, class_weight=CLASS_WEIGHT)
    clf.fit(x, labels)
    order = [list(clf.classes_).index(t) for t in present]
    coef = clf.coef_[order]
    weights, features = [], []
    for j, name in enumerate(names):
        row = [round(float(coef[i, j]), DECIMALS) for i in range(len(present))]
        if any(row):
            features.append(name)
            weights.append([w + 0.0 for w in row])  # + 0.0 turns -0.0 into 0.0
    intercepts = [round(float(clf.intercept_[i]), DECIMALS) + 0.0 for i in order]
    return {"labels": present, "features": features, "weights": weights, "intercepts": intercepts}


def fit_model(docs: Sequence[LabelledDocument]) -> TreatmentModel:
    return TreatmentModel.from_dict({"format": FORMAT, **fit_weights(docs)})


def train(paths: Sequence[str | Path], *, folds: int = CV_FOLDS) -> dict[str, Any]:
    """The whole model file: weights fitted on every document of the corpora, plus what they were
    trained on and their grouped cross-validated figures."""
    docs = load_corpora(paths)
    cv = cross_validate(docs, folds, fit=fit_model)
    per_corpus: dict[str, dict[str, int]] = {}
    for doc in docs:
        entry = per_corpus.setdefault(doc.corpus, {"documents": 0, "references": 0})
        entry["documents"] += 1
        entry["references"] += len(doc.references)
    weights = fit_weights(docs)
    return {
        "format": FORMAT,
        "about": "Treatment model for citator: multinomial logistic regression (scikit-learn) over named "
        "features; rebuild with `citator train treatment ../shared/treatment ../shared/corpus`.",
        "trained_on": [{"corpus": name, **counts} for name, counts in sorted(per_corpus.items())],
        "training": {"C": C, "class_weight": CLASS_WEIGHT, "min_documents_per_ngram": MIN_DOCUMENTS, "decimals": DECIMALS},
        "cross_validation": {
            "folds": folds,
            "grouped_by": "document",
            "references": cv["scored"],
            "macro_f1": cv["macro_f1"],
            "macro_f1_95": list(cv["macro_f1_95"]),
            "accuracy": cv["accuracy"],
            "per_label_f1": {t: cv["per_label"][t]["f1"] for t in weights["labels"]},
            "brier": cv["brier"],
            "ece": cv["ece"],
            "forbidden_confusions": cv["forbidden_confusions"],
        },
        **weights,
    }


def dumps(model: dict[str, Any]) -> str:
    """JSON with one line per feature, so a diff of two trainings reads feature by feature."""
    head = {k: v for k, v in model.items() if k not in ("features", "weights")}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, sort_keys=True)},")
    lines.append('  "features": [')
    lines.append(",\n".join(f"    {json.dumps(name)}" for name in model["features"]))
    lines.append("  ],")
    lines.append('  "weights": [')
    lines.append(",\n".join(f"    {json.dumps(row)}" for row in model["weights"]))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"
