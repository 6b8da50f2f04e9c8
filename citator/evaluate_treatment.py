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
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

from citator.citations.courts import court_id_from_name
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
    """A crude litigation key for the corpus: the first party's first word ("cohen", "bernstein").

    The corpus has no family field; the decision under review shares its first party with the
    appeal ("Cohen v. Brown Univ." / "Cohen v. Brown University"), which is the same-litigation
    situation the classifier treats specially. Production data carries `Authority.family`.
    """
    if not case_name:
        return None
    first = re.sub(r"^(?:In re|Ex parte|United States ex rel\.)\s+", "", case_name.strip())
    word = re.match(r"[A-Za-z][A-Za-z'\-]+", first)
    return word.group(0).lower() if word else None


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
) -> dict[str, Any]:
    """Confusion matrix, per-label P/R/F1 and macro-F1 of the classifier on a labelled corpus.

    `find` defaults to citator.citations.extract.find_references. Returns a JSON-ready dict with
    `mode`, `scored`, `missed`, `accuracy`, `macro_f1` (over labels present in truth or
    prediction), `per_label`, `confusion` (truth -> predicted -> count), `forbidden_confusions`
    (followed/relied_on <-> criticized_or_declined, which must stay 0) and `errors` (a sample).
    """
    corpus = Path(corpus_dir)
    if find is None and not gold:
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
        citing_family = litigation_family(doc.get("case_name"))
        if gold:
            refs = [_gold_reference(row) for row in labels]
            matched = list(zip(labels, refs))
        else:
            assert find is not None
            refs = _find(find, text, authorities, doc)
            matched = _match(refs, labels)
        classified = {
            id(r): c
            for r, c in zip(
                refs, citations.read_opinion(text, authorities, references=refs, fmt=doc.get("format", "text"),
                                            citing_court=citing_court, citing_family=citing_family)
            )
        }
        for label, ref in matched:
            if ref is None:
                missed += 1
                continue
            pairs.append(
                (label["treatment"], classified[id(ref)].treatment or "cited_neutral", label, classified[id(ref)])
            )
    result = _metrics(pairs, missed, "gold" if gold else "extraction")
    result["per_document"] = {
        slug: _document_summary([p for p in pairs if p[2]["doc"] == slug])
        for slug in sorted({p[2]["doc"] for p in pairs})
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
