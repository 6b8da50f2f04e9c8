"""Score the treatment classifier against a labelled corpus (the layout of shared/corpus).

Two modes, because classification quality and extraction quality are different questions:
- extraction mode (default): run the real extractor, match each labelled reference to a found one
  (same seed, overlapping span), classify the *found* reference with its own fields; labels the
  extractor did not find are counted as `missed`, not as classification errors.
- gold mode: classify the labelled spans themselves (a Reference built from each label's fields),
  which measures the classifier alone while the extractor is still minimal.
"""

from __future__ import annotations

import inspect
import json
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from citator.citations.courts import court_from_citation, court_id_from_name
from citator.citations.litigation import litigation_key
from citator.citations.models import TREATMENTS, Authority, Reference
from citator import citations

FindFn = Callable[..., list[Reference]]
CONFUSIONS_TO_AVOID = (("followed", "criticized_or_declined"), ("relied_on", "criticized_or_declined"))


def _rows(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def authority_from_seed(seed: str) -> Authority:
    """Build an Authority from a corpus seed string "438 U.S. 265 | Regents of Univ. of Cal. v. Bakke".

    Short names are each party's leading words, skipping generic leading words ("Regents of",
    "Village of", "In re") so "Bakke", "Gratz", "Croson" and "Hoffman Estates" come out.
    """
    cite, _, name = (part.strip() for part in seed.partition("|"))
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    shorts: list[str] = []
    for party in re.split(r"\s+v\.\s+", bare):
        party = re.sub(r"^(?:In re|Ex parte)\s+", "", party)
        party = re.sub(r"^(?:Regents|Board|Trustees)\s+of\s+[^,]*?(?=\s+v\.|$)", "", party)
        party = re.sub(r"^(?:Village|Vill\.|City|Town|County)\s+of\s+", "", party)
        party = party.split(",")[0]
        words: list[str] = []
        for w in party.split():
            if re.fullmatch(r"(?:[A-Z]\.)+|Co\.|Inc\.|Corp\.", w):
                continue
            if not w[:1].isupper():
                break  # "Blue Shield of Virginia" -> "Blue Shield"
            words.append(w)
        if words:
            shorts.append(" ".join(words))
    return Authority(
        key=cite, name=name, citations=(cite,), short_names=tuple(dict.fromkeys(shorts)), family=litigation_family(name)
    )


def litigation_family(case_name: str | None) -> str | None:
    """The litigation key of a corpus case name: both parties (citations.litigation), so
    "Cohen v. Brown Univ." and "Cohen v. Brown University" are one litigation and "United States
    v. Alvarez" and "United States v. Stevens" are two. The corpus has no family field;
    production data carries `Authority.family`."""
    return litigation_key(case_name)


def case_name_from_url(url: str | None) -> str | None:
    """The case name a CourtListener opinion URL spells ("/opinion/175462/fusi-v-obrien/" ->
    "fusi v obrien"): enough for litigation_key when a document records no case name, as the
    citing case's name is always known when refresh or bulk reads an opinion."""
    slug = (url or "").rstrip("/").rpartition("/")[2]
    if not slug or slug.isdigit():
        return None
    return slug.replace("-", " ")


def _part_at(parts: Sequence[Sequence[Any]], offset: int) -> str:
    current = "majority"
    for start, part in parts:
        if start <= offset:
            current = part
    return current


def _in_spans(spans: Sequence[Sequence[int]], offset: int) -> bool:
    return any(a <= offset < b for a, b in spans)


def _gold_reference(label: dict[str, Any]) -> Reference:
    return Reference(
        start=label["start"],
        end=label["end"],
        as_written=label["as_written"],
        kind=label["kind"],
        authority_key=label["seed"].split("|")[0].strip(),
        pin_cite=label.get("pin_cite"),
        parenthetical=label.get("parenthetical"),
        signal=label.get("signal") or "none",
        in_footnote=bool(label.get("in_footnote")),
        opinion_part=label.get("opinion_part") or "majority",
    )


def _find(find: FindFn, text: str, authorities: list[Authority], doc: dict[str, Any]) -> list[Reference]:
    params = inspect.signature(find).parameters
    kwargs: dict[str, Any] = {}
    if doc.get("format") in ("html", "xml") and "fmt" in params:
        kwargs["fmt"] = doc["format"]
    if "opinion_parts" in params:
        kwargs["opinion_parts"] = [tuple(p) for p in doc.get("opinion_parts", [])]
    found = find(text, authorities, **kwargs)
    if "opinion_parts" not in params:
        parts = doc.get("opinion_parts", [])
        found = [replace(r, opinion_part=_part_at(parts, r.start)) for r in found]
    spans = doc.get("footnote_spans", [])
    if spans and not any(r.in_footnote for r in found):  # the extractor does not place footnotes yet
        found = [replace(r, in_footnote=_in_spans(spans, r.start)) for r in found]
    return found


def _match(found: list[Reference], labels: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Reference | None]]:
    """Pair each label with the found reference to the same seed whose span overlaps it most."""
    pairs = []
    used: set[int] = set()
    for label in labels:
        key = label["seed"].split("|")[0].strip()
        best, best_overlap = None, 0
        for i, ref in enumerate(found):
            if i in used or ref.authority_key != key:
                continue
            overlap = min(ref.end, label["end"]) - max(ref.start, label["start"])
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        if best is not None:
            used.add(best)
        pairs.append((label, found[best] if best is not None else None))
    return pairs


def score_treatment(
    corpus_dir: str | Path,
    find: FindFn | None = None,
    *,
    gold: bool = False,
    rules: bool = False,
) -> dict[str, Any]:
    """Confusion matrix, per-label P/R/F1 and macro-F1 of the classifier on a labelled corpus.

    `find` defaults to citator.citations.extract.find_references. Returns a JSON-ready dict with
    `mode`, `scored`, `missed`, `accuracy`, `macro_f1` (over labels present in truth or
    prediction), `per_label`, `confusion` (truth -> predicted -> count), `forbidden_confusions`
    (followed/relied_on <-> criticized_or_declined, which must stay 0) and `errors` (a sample).
    `rules` scores the hand-set rule baseline instead of the shipped model.
    """
    from citator.citations.treatment import classify_all_rules

    baseline = classify_all_rules if rules else None
    corpus = Path(corpus_dir)
    if gold:
        return _score_gold(load_corpus(corpus), rules=rules)
    if find is None:
        from citator.citations.extract import find_references as find
    docs = {d["slug"]: d for d in _rows(corpus / "documents.jsonl")}
    labels_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(corpus / "references.jsonl"):
        labels_by_doc[row["doc"]].append(row)
    pairs: list[tuple[str, str, dict[str, Any], Reference]] = []
    missed = 0
    for slug, labels in labels_by_doc.items():
        doc = docs[slug]
        with open(corpus / doc["text_file"], encoding="utf-8", newline="") as fh:
            text = fh.read()
        authorities = [authority_from_seed(s) for s in doc.get("seeds", [])]
        citing_court = court_id_from_name(doc.get("court"))
        citing_family = litigation_family(doc.get("case_name") or case_name_from_url(doc.get("absolute_url")))
        assert find is not None
        refs = _find(find, text, authorities, doc)
        matched = _match(refs, labels)
        classified = {
            id(r): c
            for r, c in zip(
                refs, citations.read_opinion(text, authorities, references=refs, fmt=doc.get("format", "text"),
                                            citing_court=citing_court, citing_family=citing_family,
                                            classifier=baseline)
            )
        }
        for label, ref in matched:
            if ref is None:
                missed += 1
                continue
            pairs.append(
                (label["treatment"], classified[id(ref)].treatment or "cited_neutral", label, classified[id(ref)])
            )
    result = _metrics(pairs, missed, "extraction")
    result["per_document"] = {
        slug: _document_summary([p for p in pairs if p[2]["doc"] == slug])
        for slug in sorted({p[2]["doc"] for p in pairs})
    }
    return result


def _score_gold(docs: Sequence[LabelledDocument], *, rules: bool) -> dict[str, Any]:
    """The labelled spans themselves classified, read the way cross-validation reads a corpus
    (`load_corpus`: a row eyecite resolved wrongly is a reference to what it really cites, the
    citing case's name comes from its URL when the corpus gives none), so one corpus scores the
    same here as in a train/test split."""
    labelled = label_documents(docs, rules=rules)
    result = summarize(docs, labelled, "gold")
    result["missed"] = 0
    result["per_document"] = {
        doc.slug: _document_summary([
            (t, out.treatment or "cited_neutral", {"doc": doc.slug, "start": ref.start, "as_written": ref.as_written}, out)
            for t, ref, out in zip(doc.labels, doc.references, refs)
        ])
        for doc, refs in sorted(zip(docs, labelled), key=lambda pair: pair[0].slug)
    }
    return result


def _document_summary(pairs: list[tuple[str, str, dict[str, Any], Reference]]) -> dict[str, Any]:
    """Accuracy and macro-F1 of one document's references.

    A rule tuned to one opinion's wording shows up here as a gain on one document and losses or
    nothing elsewhere; a general rule should move most documents the same way.
    """
    sub = _metrics(pairs, 0, "document")
    return {
        "scored": sub["scored"],
        "correct": sum(1 for t, p, _, _ in pairs if t == p),
        "accuracy": sub["accuracy"],
        "macro_f1": sub["macro_f1"],
        "forbidden_confusions": sub["forbidden_confusions"],
    }


def _metrics(pairs: list[tuple[str, str, dict[str, Any], Reference]], missed: int, mode: str) -> dict[str, Any]:
    confusion: dict[str, dict[str, int]] = {t: {p: 0 for p in TREATMENTS} for t in TREATMENTS}
    for truth, pred, _, _ in pairs:
        confusion[truth][pred] += 1
    present = [t for t in TREATMENTS if any(confusion[t].values()) or any(confusion[x][t] for x in TREATMENTS)]
    per_label: dict[str, dict[str, float | int]] = {}
    for t in TREATMENTS:
        tp = confusion[t][t]
        fp = sum(confusion[x][t] for x in TREATMENTS if x != t)
        fn = sum(confusion[t][p] for p in TREATMENTS if p != t)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[t] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": tp + fn,
            "predicted": tp + fp,
        }
    macro = sum(per_label[t]["f1"] for t in present) / len(present) if present else 0.0
    forbidden = sum(confusion[a][b] + confusion[b][a] for a, b in CONFUSIONS_TO_AVOID)
    errors = [
        {
            "doc": lab["doc"],
            "start": lab["start"],
            "as_written": lab["as_written"],
            "truth": t,
            "predicted": p,
            "evidence": list(r.evidence),
        }
        for t, p, lab, r in pairs
        if t != p
    ]
    scored = len(pairs)
    return {
        "mode": mode,
        "scored": scored,
        "missed": missed,
        "accuracy": round(sum(1 for t, p, _, _ in pairs if t == p) / scored, 3) if scored else 0.0,
        "macro_f1": round(macro, 3),
        "labels_present": present,
        "per_label": per_label,
        "confusion": confusion,
        "forbidden_confusions": forbidden,
        "errors": errors,
    }


# --------------------------------------------------------------------------------------------
# Several corpora, gold spans, grouped cross-validation (the figures the README reports)
# --------------------------------------------------------------------------------------------

CORPUS_FILES = ("documents.jsonl", "references.jsonl")
BOOTSTRAP_ROUNDS = 1000
CALIBRATION_BINS = 10


class CorpusError(ValueError):
    """A folder is not a labelled corpus; the message names the missing file."""


@dataclass
class LabelledDocument:
    """One opinion of a labelled corpus with its gold references, ready to classify."""

    corpus: str
    slug: str
    text: str
    fmt: str
    authorities: list[Authority]
    references: list[Reference]
    labels: list[str]
    citing_court: str | None
    citing_family: str | None

    @property
    def group(self) -> str:
        return f"{self.corpus}/{self.slug}"


def check_corpus(path: str | Path) -> Path:
    """The corpus folder, or CorpusError naming the first missing file."""
    corpus = Path(path)
    for name in CORPUS_FILES:
        if not (corpus / name).is_file():
            raise CorpusError(f"{corpus}: not a labelled corpus: {corpus / name} is missing")
    return corpus


def authority_from_description(description: str) -> Authority:
    """An Authority from a free-text `actually_refers_to` ("United States v. Bucci, 525 F.3d 116
    (1st Cir. 2008)"): its name before the first cite, its court from the parenthetical."""
    name = re.split(r",\s*(?=\d)", description, maxsplit=1)[0].strip()
    return Authority(
        key=f"actual:{description}",
        name=name,
        citations=(),
        court=court_from_citation(description),
        family=litigation_family(name),
    )


def load_corpus(path: str | Path) -> list[LabelledDocument]:
    """Every labelled document of a corpus, with gold references. A row whose `resolution_ok` is
    false is a reference to `actually_refers_to`, so its authority is that one."""
    corpus = check_corpus(path)
    docs = {d["slug"]: d for d in _rows(corpus / "documents.jsonl")}
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(corpus / "references.jsonl"):
        by_doc[row["doc"]].append(row)
    out = []
    for slug in sorted(by_doc):
        doc = docs.get(slug)
        if doc is None:
            raise CorpusError(f"{corpus}: references.jsonl names document {slug!r}, which documents.jsonl lacks")
        text_path = corpus / doc["text_file"]
        if not text_path.is_file():
            raise CorpusError(f"{corpus}: not a labelled corpus: {text_path} is missing")
        with open(text_path, encoding="utf-8", newline="") as fh:
            text = fh.read()
        authorities = {a.key: a for a in (authority_from_seed(s) for s in doc.get("seeds", []))}
        refs, labels = [], []
        for row in sorted(by_doc[slug], key=lambda r: (r["start"], r["end"])):
            ref = _gold_reference(row)
            if row.get("resolution_ok") is False and row.get("actually_refers_to"):
                actual = authority_from_description(row["actually_refers_to"])
                authorities.setdefault(actual.key, actual)
                ref = replace(ref, authority_key=actual.key)
            elif ref.authority_key not in authorities:
                authorities[ref.authority_key] = authority_from_seed(row["seed"])
            refs.append(ref)
            labels.append(row["treatment"])
        out.append(
            LabelledDocument(
                corpus=corpus.name or str(corpus),
                slug=slug,
                text=text,
                fmt="html" if doc.get("format") in ("html",) else "text",
                authorities=list(authorities.values()),
                references=refs,
                labels=labels,
                citing_court=court_id_from_name(doc.get("court")),
                citing_family=litigation_family(doc.get("case_name") or case_name_from_url(doc.get("absolute_url"))),
            )
        )
    return out


def load_corpora(paths: Sequence[str | Path]) -> list[LabelledDocument]:
    docs: list[LabelledDocument] = []
    for path in paths:
        docs.extend(load_corpus(path))
    return docs


def label_documents(docs: Sequence[LabelledDocument], *, model: Any = None, rules: bool = False) -> list[list[Reference]]:
    """Label the gold references through the production path (`citations.read_opinion`, which
    prepares markup the way refresh and bulk do) with a given model, or with the rule baseline."""
    from citator.citations.treatment import classify_all_rules

    return [
        citations.read_opinion(doc.text, doc.authorities, references=list(doc.references), fmt=doc.fmt,
                               citing_family=doc.citing_family, citing_court=doc.citing_court, model=model,
                               classifier=classify_all_rules if rules else None)
        for doc in docs
    ]


def grouped_folds(docs: Sequence[LabelledDocument], k: int) -> list[list[int]]:
    """K groups of document indices, balanced by reference count, the same on every run:
    documents sorted by (corpus, slug) are dealt to the currently smallest fold."""
    if k < 2 or k > len(docs):
        raise ValueError(f"--cv needs 2 <= K <= {len(docs)} documents, got {k}")
    order = sorted(range(len(docs)), key=lambda i: (-len(docs[i].references), docs[i].group))
    folds: list[list[int]] = [[] for _ in range(k)]
    sizes = [0] * k
    for i in order:
        j = min(range(k), key=lambda f: (sizes[f], f))
        folds[j].append(i)
        sizes[j] += len(docs[i].references)
    return folds


def _confusion(truth: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, int]]:
    confusion = {t: {p: 0 for p in TREATMENTS} for t in TREATMENTS}
    for t, p in zip(truth, pred):
        confusion[t][p] += 1
    return confusion


def _macro_f1(confusion: dict[str, dict[str, int]]) -> float:
    f1s = []
    for t in TREATMENTS:
        tp = confusion[t][t]
        fp = sum(confusion[x][t] for x in TREATMENTS) - tp
        fn = sum(confusion[t].values()) - tp
        if tp + fp + fn == 0:
            continue
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s) if f1s else 0.0


def bootstrap_interval(per_doc: Sequence[tuple[Sequence[str], Sequence[str]]], rounds: int = BOOTSTRAP_ROUNDS) -> tuple[float, float]:
    """95% interval of macro-F1 from resampling documents (not references) with replacement;
    a fixed seed makes it the same on every run."""
    import numpy as np

    rng = np.random.default_rng(13)
    index = {t: i for i, t in enumerate(TREATMENTS)}
    mats = np.zeros((len(per_doc), len(TREATMENTS), len(TREATMENTS)))
    for d, (truth, pred) in enumerate(per_doc):
        for t, p in zip(truth, pred):
            mats[d, index[t], index[p]] += 1
    scores = []
    for _ in range(rounds):
        m = mats[rng.integers(0, len(per_doc), len(per_doc))].sum(axis=0)
        tp = np.diag(m)
        fp = m.sum(axis=0) - tp
        fn = m.sum(axis=1) - tp
        present = (tp + fp + fn) > 0
        f1 = np.where(present, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)
        scores.append(f1[present].mean() if present.any() else 0.0)
    low, high = np.percentile(scores, [2.5, 97.5])
    return round(float(low), 3), round(float(high), 3)


def calibration(truth: Sequence[str], probabilities: Sequence[dict[str, float]], bins: int = CALIBRATION_BINS) -> dict[str, float]:
    """Brier score (mean over references of the squared error summed over labels) and expected
    calibration error (top-label confidence against accuracy, in equal-width bins)."""
    n = len(truth)
    if not n:
        return {"brier": 0.0, "ece": 0.0}
    brier = 0.0
    buckets: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for t, probs in zip(truth, probabilities):
        brier += sum((probs.get(lab, 0.0) - (1.0 if lab == t else 0.0)) ** 2 for lab in TREATMENTS)
        label = max(probs, key=lambda lab: probs[lab])
        conf = probs[label]
        buckets[min(bins - 1, int(conf * bins))].append((conf, label == t))
    ece = sum(abs(sum(c for c, _ in b) / len(b) - sum(ok for _, ok in b) / len(b)) * len(b) / n for b in buckets if b)
    return {"brier": round(brier / n, 4), "ece": round(ece, 4)}


def _probabilities(ref: Reference) -> dict[str, float]:
    """The label probabilities a classified reference carries; for the rule baseline (which has
    only a confidence) the rest of the mass is spread evenly over the other labels."""
    scores = (ref.extra or {}).get("scores") or {}
    label = ref.treatment or "cited_neutral"
    if scores and abs(sum(scores.values()) - 1.0) < 0.05 and set(scores) <= set(TREATMENTS):
        probs = {t: float(scores.get(t, 0.0)) for t in TREATMENTS}
        probs[label] = max(probs[label], float(ref.confidence or 0.0))
        return probs
    conf = float(ref.confidence if ref.confidence is not None else 0.5)
    rest = (1.0 - conf) / (len(TREATMENTS) - 1)
    return {t: (conf if t == label else rest) for t in TREATMENTS}


def summarize(
    docs: Sequence[LabelledDocument], labelled: Sequence[Sequence[Reference]], mode: str
) -> dict[str, Any]:
    """Every figure the eval prints for a set of (document, its labelled references) pairs."""
    truth = [t for doc in docs for t in doc.labels]
    refs = [r for doc_refs in labelled for r in doc_refs]
    pairs = [
        (t, p, {"doc": doc.group, "start": ref.start, "as_written": ref.as_written}, out)
        for doc, doc_refs in zip(docs, labelled)
        for t, ref, out in zip(doc.labels, doc.references, doc_refs)
        for p in [out.treatment or "cited_neutral"]
    ]
    result = _metrics(pairs, 0, mode)
    result["macro_f1_95"] = bootstrap_interval(
        [(doc.labels, [r.treatment or "cited_neutral" for r in doc_refs]) for doc, doc_refs in zip(docs, labelled)]
    )
    result.update(calibration(truth, [_probabilities(r) for r in refs]))
    result["documents"] = len(docs)
    result["corpora"] = sorted({d.corpus for d in docs})
    return result


def cross_validate(
    docs: Sequence[LabelledDocument], k: int, *, rules: bool = False, fit: Callable[..., Any] | None = None,
    extra: Sequence[LabelledDocument] = (),
) -> dict[str, Any]:
    """Grouped K-fold cross-validation by document: train on K-1 folds, label the held-back fold
    through the production path, pool the held-back labels. With `rules` the hand-set rule
    baseline labels every fold (it learns nothing, so this is its score on the same documents).

    `extra` documents join every training fold and are never scored: more training data judged
    only on the documents the figures have always been taken on, so the figures stay comparable.
    An extra document that is one of the held-back opinions (the same text: more references
    labelled in it) stays out of that fold's training, as its opinion does."""
    folds = grouped_folds(docs, k)
    labelled: list[list[Reference] | None] = [None] * len(docs)
    left_out = 0
    for held in folds:
        held_set = set(held)
        model = None
        if not rules:
            assert fit is not None
            held_texts = {docs[i].text for i in held}
            fold_extra = [d for d in extra if d.text not in held_texts]
            left_out += len(extra) - len(fold_extra)
            model = fit([docs[i] for i in range(len(docs)) if i not in held_set] + fold_extra)
        for i, refs in zip(held, label_documents([docs[i] for i in held], model=model, rules=rules)):
            labelled[i] = refs
    mode = f"{'rules' if rules else 'model'}, grouped {k}-fold CV by document"
    if extra and not rules:
        mode += f", every fold also trained on {', '.join(sorted({d.corpus for d in extra}))}"
    result = summarize(docs, [r or [] for r in labelled], mode)
    result["folds"] = k
    if extra and not rules:
        result["extra_training"] = {"corpora": sorted({d.corpus for d in extra}), "documents": len(extra),
                                    "references": sum(len(d.references) for d in extra),
                                    "left_out_with_their_held_back_opinion": left_out}
    return result


def train_test(train: Sequence[LabelledDocument], test: Sequence[LabelledDocument], *, rules: bool = False,
               fit: Callable[..., Any] | None = None) -> dict[str, Any]:
    """Train on one set of documents, score on another (e.g. treatment -> corpus)."""
    model = None if rules else (fit or (lambda d: None))(list(train))
    result = summarize(test, label_documents(test, model=model, rules=rules), f"{'rules' if rules else 'model'}, trained on {', '.join(sorted({d.corpus for d in train}))}")
    return result
