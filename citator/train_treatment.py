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
from typing import Any, Mapping, Sequence

from citator.citations.lexicon import default_lexicon
from citator.citations.models import TREATMENTS, Reference
from citator.citations.treatment import opinion_features
from citator.citations.treatment_features import WORD_VALUE
from citator.citations.treatment_model import FORMAT, TreatmentModel
from citator.citations.treatment_sentences import (
    OTHER, SENTENCE_LABELS, SentenceModel, masked_sentences, sentence_features, sentence_grams,
)
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


Stacked = Mapping[str, list[dict[str, float]]]


def _features(doc: LabelledDocument, stacked: Stacked | None) -> list[dict[str, float]]:
    """A document's features, with its cross-fitted sentence-model features when given."""
    base = document_features(doc)
    extra = (stacked or {}).get(doc.group)
    return [{**b, **e} for b, e in zip(base, extra)] if extra is not None else base


def kept_features(docs: Sequence[LabelledDocument], stacked: Stacked | None = None) -> list[str]:
    """Features worth a weight: every lexicon cue, signal and structural feature seen in
    training, and word n-grams seen in at least MIN_DOCUMENTS documents."""
    in_docs: Counter[str] = Counter()
    for doc in docs:
        seen = set()
        for feats in _features(doc, stacked):
            seen.update(feats)
        in_docs.update(seen)
    return sorted(
        name for name, n in in_docs.items() if "words \"" not in name or n >= MIN_DOCUMENTS
    )


def _design(docs: Sequence[LabelledDocument], names: Sequence[str], stacked: Stacked | None = None) -> tuple[Any, list[str]]:
    """The sparse feature matrix (rows: references, columns: `names`) and the labels."""
    import numpy as np
    from scipy import sparse

    column = {name: j for j, name in enumerate(names)}
    cells_r: list[int] = []
    cells_c: list[int] = []
    cells_v: list[float] = []
    labels: list[str] = []
    for doc in docs:
        for feats, label in zip(_features(doc, stacked), doc.labels):
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


def _classifier(docs: Sequence[LabelledDocument], c: float, power: float,
                stacked: Stacked | None = None) -> tuple[Any, list[str]]:
    from sklearn.linear_model import LogisticRegression

    names = kept_features(docs, stacked)
    x, labels = _design(docs, names, stacked)
    clf = LogisticRegression(C=c, max_iter=5000, class_weight=class_weights(labels, power))
    clf.fit(x, labels)
    return clf, names


def choose_hyperparameters(docs: Sequence[LabelledDocument], folds: int = INNER_FOLDS,
                           stacked: Stacked | None = None) -> dict[str, Any]:
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
                clf, names = _classifier(train_docs, c, power, stacked)
                x, labels = _design([docs[i] for i in held], names, stacked)
                truth += labels
                pred += [str(p) for p in clf.predict(x)]
            scores[(c, power)] = _macro_f1(_confusion(truth, pred))
    best = max(scores, key=lambda k: (round(scores[k], 6), -C_GRID.index(k[0]), -CLASS_WEIGHT_POWERS.index(k[1])))
    return {"C": best[0], "class_weight_power": best[1], "inner_macro_f1": round(scores[best], 3)}


def fit_weights(docs: Sequence[LabelledDocument]) -> dict[str, Any]:
    """Choose the hyperparameters on the documents (choose_hyperparameters), fit the model on all
    of them; the weights part of the model file, plus `hyperparameters`."""
    stacked = cross_fitted_sentence_features(docs) if SENTENCE_MODEL else None
    chosen = choose_hyperparameters(docs, stacked=stacked)
    clf, names = _classifier(docs, chosen["C"], chosen["class_weight_power"], stacked)
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
    out = {"labels": present, "features": features, "weights": weights, "intercepts": intercepts,
           "hyperparameters": chosen}
    if SENTENCE_MODEL:
        out["sentence_model"] = fit_sentence_model(docs)
    return out


#: Whether the evidence-sentence model (citations.treatment_sentences) is trained and stacked.
SENTENCE_MODEL = True
#: The sentence model's regularisation strength (fixed: it is not tuned, to keep training cheap).
SENTENCE_C = 1.0

_SENTENCE_CACHE: dict[tuple[str, int], list[list[list[str]]]] = {}


def _sentence_grams(doc: LabelledDocument) -> list[list[list[str]]]:
    """For each reference of a document, the n-grams of each sentence of its neighbourhood (cached)."""
    from citator.citations.treatment import authorities_in_opinion

    key = (doc.group, len(doc.references))
    if key not in _SENTENCE_CACHE:
        resolved = authorities_in_opinion(doc.references, doc.text, doc.authorities)
        _SENTENCE_CACHE[key] = [
            [sentence_grams(masked) for _, masked in masked_sentences(doc.text, ref, authority)]
            for ref, authority in zip(doc.references, resolved)
        ]
    return _SENTENCE_CACHE[key]


def _evidence_rows(doc: LabelledDocument) -> list[tuple[list[str], str]]:
    """(n-grams, label) sentence examples of a document: for each reference whose evidence lies in
    its neighbourhood, the sentence(s) holding it are examples of its label (OTHER unless one of
    SENTENCE_LABELS), every other sentence of the neighbourhood an example of OTHER. References
    without evidence (../shared/corpus, corrections) or whose evidence is not found give none."""
    from citator.citations.treatment import authorities_in_opinion

    rows: list[tuple[list[str], str]] = []
    if not any(doc.evidence):
        return rows
    resolved = authorities_in_opinion(doc.references, doc.text, doc.authorities)
    for ref, authority, label, evidence, grams in zip(doc.references, resolved, doc.labels, doc.evidence,
                                                      _sentence_grams(doc)):
        if not evidence:
            continue
        wanted = re.sub(r"\s+", " ", evidence).strip().lower()
        sentences = [w.text.lower() for w, _ in masked_sentences(doc.text, ref, authority)]
        holds = [bool(wanted) and (wanted in s or (len(s) >= 40 and s in wanted)) for s in sentences]
        if not any(holds):
            continue
        positive = label if label in SENTENCE_LABELS else OTHER
        rows += [(g, positive if hit else OTHER) for g, hit in zip(grams, holds)]
    return rows


def fit_sentence_model(docs: Sequence[LabelledDocument]) -> dict[str, Any] | None:
    """The evidence-sentence model trained on the documents' evidence (see _evidence_rows), as the
    `sentence_model` part of the model file; n-grams kept from MIN_DOCUMENTS documents; None
    when the documents hold no evidence of SENTENCE_LABELS."""
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    per_doc = [_evidence_rows(doc) for doc in docs]
    labels_seen = {label for rows in per_doc for _, label in rows}
    if not labels_seen & set(SENTENCE_LABELS) or OTHER not in labels_seen:
        return None
    in_docs: Counter[str] = Counter()
    for rows in per_doc:
        in_docs.update({g for grams, _ in rows for g in grams})
    names = sorted(g for g, n in in_docs.items() if n >= MIN_DOCUMENTS)
    column = {g: j for j, g in enumerate(names)}
    r, c, y = [], [], []
    for rows in per_doc:
        for grams, label in rows:
            for g in grams:
                if g in column:
                    r.append(len(y))
                    c.append(column[g])
            y.append(label)
    x = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(y), len(names)))
    clf = LogisticRegression(C=SENTENCE_C, max_iter=5000, class_weight="balanced")
    clf.fit(x, y)
    classes = list(clf.classes_)
    coef, intercept = clf.coef_, clf.intercept_
    if len(classes) == 2:  # scikit-learn keeps one row (the second class against the first): a
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])  # softmax over (0, z) is that sigmoid
        intercept = np.array([0.0, intercept[0]])
    present = [t for t in (*SENTENCE_LABELS, OTHER) if t in set(classes)]
    order = [classes.index(t) for t in present]
    coef = coef[order]
    features, weights = [], []
    for j, name in enumerate(names):
        row = [round(float(coef[i, j]), DECIMALS) + 0.0 for i in range(len(present))]
        if any(row):
            features.append(name)
            weights.append(row)
    intercepts = [round(float(intercept[i]), DECIMALS) + 0.0 for i in order]
    return {"labels": present, "features": features, "weights": weights, "intercepts": intercepts,
            "C": SENTENCE_C, "class_weight": "balanced", "min_documents_per_ngram": MIN_DOCUMENTS}


def _stacked_for(doc: LabelledDocument, model: SentenceModel | None) -> list[dict[str, float]]:
    if model is None:
        return [{} for _ in doc.references]
    out = []
    for grams in _sentence_grams(doc):
        best: dict[str, float] = {}
        for g in grams:
            probs = model.probabilities(g)
            for label in SENTENCE_LABELS:
                if label in probs and probs[label] > best.get(label, -1.0):
                    best[label] = probs[label]
        out.append(sentence_features({label: (p, "") for label, p in best.items()}))
    return out


def cross_fitted_sentence_features(docs: Sequence[LabelledDocument], folds: int = INNER_FOLDS) -> dict[str, list[dict[str, float]]]:
    """Each training document's sentence-model features from a sentence model trained on the other
    documents (grouped folds), so the main model learns how far to trust the sentence model on
    documents it did not see, as at run time."""
    from citator.evaluate_treatment import grouped_folds

    out: dict[str, list[dict[str, float]]] = {}
    if len(docs) < folds * 2:
        return {doc.group: [{} for _ in doc.references] for doc in docs}
    for held in grouped_folds(docs, folds):
        held_set = set(held)
        data = fit_sentence_model([d for i, d in enumerate(docs) if i not in held_set])
        model = SentenceModel.from_dict(data) if data is not None else None
        for i in held:
            out[docs[i].group] = _stacked_for(docs[i], model)
    return out


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
