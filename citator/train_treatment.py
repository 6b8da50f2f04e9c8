"""`citator train treatment CORPUS...`: fit the treatment model and write its data file.

scikit-learn's LogisticRegression (multinomial, L2) is fitted on the named features
(citations/treatment_features.py) of every labelled reference in the given corpora, with its
regularisation strength and class weights chosen by grouped cross-validation inside those corpora; the weights
are written, rounded, to citations/treatment_model.json with what they were trained on and their
grouped cross-validated figures. Everything is deterministic: documents and features are sorted,
the solver (lbfgs) has no randomness, folds are dealt by a fixed rule and the bootstrap is seeded,
so a fresh run rebuilds the shipped file.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from citator.citations.lexicon import default_lexicon
from citator.citations.models import TREATMENTS, Reference
from citator.citations.treatment import opinion_features
from citator.citations.treatment_features import WORD_VALUE
from citator.citations.treatment_model import FORMAT, TreatmentModel
from citator.evaluate_treatment import LabelledDocument, cross_validate, load_corpora

#: Candidate inverse regularisation strengths and class-weight powers. The pair is chosen by
#: grouped cross-validation *inside* the training documents (INNER_FOLDS folds by document,
#: best macro-F1), so an outer cross-validation never sees its test fold while choosing.
C_GRID = (0.3, 1.0)
#: A label's weight is (n / (labels * n_label)) ** power: 1 is scikit-learn's "balanced" (rare
#: labels weigh as much as common ones in total), 0 trusts the label mix of the training data.
#: Fully balanced weights over-predict the rare labels (many relied_on called criticized); a
#: power between keeps them visible without that.
CLASS_WEIGHT_POWERS = (0.35, 0.6)
INNER_FOLDS = 3
#: A word n-gram becomes a feature only if it occurs in at least this many training documents:
#: a phrase from a single opinion describes that opinion, not how courts write.
MIN_DOCUMENTS = 5
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


def _design(docs: Sequence[LabelledDocument], names: Sequence[str]) -> tuple[Any, list[str]]:
    """The sparse feature matrix (rows: references, columns: `names`) and the labels."""
    import numpy as np
    from scipy import sparse

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
    x = sparse.csr_matrix((np.array(cells_v, dtype=float), (cells_r, cells_c)), shape=(len(labels), len(names)))
    return x, labels


def class_weights(labels: Sequence[str], power: float) -> dict[str, float]:
    """Each label's weight: its "balanced" weight raised to `power` (see CLASS_WEIGHT_POWERS)."""
    counts = Counter(labels)
    return {label: (len(labels) / (len(counts) * n)) ** power for label, n in sorted(counts.items())}


def _classifier(docs: Sequence[LabelledDocument], c: float, power: float) -> tuple[Any, list[str]]:
    from sklearn.linear_model import LogisticRegression

    names = kept_features(docs)
    x, labels = _design(docs, names)
    clf = LogisticRegression(C=c, max_iter=5000, class_weight=class_weights(labels, power))
    clf.fit(x, labels)
    return clf, names


def choose_hyperparameters(docs: Sequence[LabelledDocument], folds: int = INNER_FOLDS) -> dict[str, Any]:
    """(C, class-weight power) with the best macro-F1 under grouped cross-validation by document
    over `docs` alone; ties go to the stronger regularisation and the smaller power (grid order)."""
    from citator.evaluate_treatment import _confusion, _macro_f1, grouped_folds

    if len(docs) < folds * 2:
        return {"C": C_GRID[0], "class_weight_power": CLASS_WEIGHT_POWERS[0], "inner_macro_f1": None}
    split = grouped_folds(docs, folds)
    scores: dict[tuple[float, float], float] = {}
    for c in C_GRID:
        for power in CLASS_WEIGHT_POWERS:
            truth: list[str] = []
            pred: list[str] = []
            for held in split:
                held_set = set(held)
                train_docs = [d for i, d in enumerate(docs) if i not in held_set]
                clf, names = _classifier(train_docs, c, power)
                x, labels = _design([docs[i] for i in held], names)
                truth += labels
                pred += [str(p) for p in clf.predict(x)]
            scores[(c, power)] = _macro_f1(_confusion(truth, pred))
    best = max(scores, key=lambda k: (round(scores[k], 6), -C_GRID.index(k[0]), -CLASS_WEIGHT_POWERS.index(k[1])))
    return {"C": best[0], "class_weight_power": best[1], "inner_macro_f1": round(scores[best], 3)}


def fit_weights(docs: Sequence[LabelledDocument]) -> dict[str, Any]:
    """Choose the hyperparameters on the documents (choose_hyperparameters), fit the model on all
    of them; the weights part of the model file, plus `hyperparameters`."""
    chosen = choose_hyperparameters(docs)
    clf, names = _classifier(docs, chosen["C"], chosen["class_weight_power"])
    present = [t for t in TREATMENTS if t in set(clf.classes_)]
    order = [list(clf.classes_).index(t) for t in present]
    coef = clf.coef_[order]
    weights, features = [], []
    for j, name in enumerate(names):
        row = [round(float(coef[i, j]), DECIMALS) for i in range(len(present))]
        if any(row):
            features.append(name)
            weights.append([w + 0.0 for w in row])  # + 0.0 turns -0.0 into 0.0
    intercepts = [round(float(clf.intercept_[i]), DECIMALS) + 0.0 for i in order]
    return {"labels": present, "features": features, "weights": weights, "intercepts": intercepts,
            "hyperparameters": chosen}


def fit_model(docs: Sequence[LabelledDocument]) -> TreatmentModel:
    weights = fit_weights(docs)
    return TreatmentModel.from_dict({"format": FORMAT, **weights, "training": weights.pop("hyperparameters")})


def correction_documents(db: Any) -> list[LabelledDocument]:
    """Researcher corrections of a citator database (`citator correct`) as labelled documents, one
    per citing opinion, in the corpus "corrections". Markup opinions are read as the text a reader
    sees (the way `citations.read_opinion` classifies them), with the offsets moved onto it."""
    from citator.citations.text import prepare_text
    from citator.corrections import training_rows
    from citator.evaluate_treatment import authority_from_seed

    by_opinion: dict[str, list[dict[str, Any]]] = {}
    for row in training_rows(db):
        by_opinion.setdefault(str(row["doc"]), []).append(row)
    out = []
    for opinion_id, rows in sorted(by_opinion.items()):
        text, fmt = rows[0]["text"] or "", rows[0]["format"] or "text"
        prepared = prepare_text(text, fmt) if fmt in ("html", "xml") else None
        refs, labels, authorities = [], [], {}
        for row in sorted(rows, key=lambda r: (r["start"], r["end"])):
            start, end = row["start"], row["end"]
            if prepared is not None:
                start = prepared.working_pos(start)
                end = max(start, prepared.working_pos(end))
            working = prepared.text if prepared is not None else text
            authority = authority_from_seed(row["seed"])
            authorities.setdefault(authority.key, authority)
            as_written = working[start:end]
            kind = "id" if re.match(r"(?i)\s*id\.", as_written) else "full"
            refs.append(Reference(start=start, end=end, as_written=as_written, kind=kind,
                                  authority_key=authority.key, opinion_part=row["opinion_part"] or "majority"))
            labels.append(row["treatment"])
        out.append(LabelledDocument(
            corpus="corrections", slug=opinion_id, text=prepared.text if prepared is not None else text, fmt="text",
            authorities=list(authorities.values()), references=refs, labels=labels,
            citing_court=rows[0]["court"], citing_family=None,
        ))
    return out


def train(paths: Sequence[str | Path], *, folds: int = CV_FOLDS, extra: Sequence[LabelledDocument] = ()) -> dict[str, Any]:
    """The whole model file: weights fitted on every document of the corpora (and `extra`
    documents, e.g. correction_documents), plus what they were trained on and their grouped
    cross-validated figures."""
    docs = load_corpora(paths) + list(extra)
    cv = cross_validate(docs, folds, fit=fit_model)
    per_corpus: dict[str, dict[str, int]] = {}
    for doc in docs:
        entry = per_corpus.setdefault(doc.corpus, {"documents": 0, "references": 0})
        entry["documents"] += 1
        entry["references"] += len(doc.references)
    weights = fit_weights(docs)
    chosen = weights.pop("hyperparameters")
    return {
        "format": FORMAT,
        "about": "Treatment model for citator: multinomial logistic regression (scikit-learn) over named "
        "features; rebuild with `citator train treatment ../shared/treatment ../shared/corpus`.",
        "trained_on": [{"corpus": name, **counts} for name, counts in sorted(per_corpus.items())],
        "training": {
            **chosen, "chosen_by": f"grouped {INNER_FOLDS}-fold CV by document over the training documents",
            "C_grid": list(C_GRID), "class_weight_power_grid": list(CLASS_WEIGHT_POWERS),
            "min_documents_per_ngram": MIN_DOCUMENTS, "word_feature_value": WORD_VALUE, "decimals": DECIMALS,
        },
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
