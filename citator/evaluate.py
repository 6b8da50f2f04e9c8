"""Score the citation extractor against a labelled corpus (the /shared/corpus format).

Each document lists its seeds as "438 U.S. 265 | Regents of Univ. of Cal. v. Bakke"; they become
the authorities for that document, so the extractor is judged exactly as a user would run it on
one opinion with those seeds configured. Only the layout a harvest also knows (opinion parts) is
passed in; footnote spans and labels are not.

A found reference matches a labelled one when their spans overlap and they point to the same seed.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from citator.citations import read_opinion
from citator.citations.models import KINDS, Authority
from citator.citations.names import derive_short_names

__all__ = ["score_extraction", "seed_authority", "format_table"]


def _rows(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def seed_authority(seed: str) -> Authority:
    """An Authority from a corpus seed string "CITE | NAME"; the key is the whole string."""
    cite, _, name = (part.strip() for part in seed.partition("|"))
    name = re.sub(r"\s*\((?:[^()]*\d{4}[^()]*|project seed[^()]*)\)\s*$", "", name)
    return Authority(key=seed, name=name, citations=(cite,), short_names=derive_short_names(name)[:1])


def _overlap(a: dict[str, Any], start: int, end: int) -> bool:
    return a["start"] < end and start < a["end"]


def score_extraction(corpus_dir: str | Path, *, tokenizer: str = "auto") -> dict[str, Any]:
    """Recall, precision, pin/kind/signal accuracy and per-kind figures on a labelled corpus."""
    corpus = Path(corpus_dir)
    documents = _rows(corpus / "documents.jsonl")
    labels = _rows(corpus / "references.jsonl")
    negatives = _rows(corpus / "negatives.jsonl")
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in labels:
        by_doc[row["doc"]].append(row)
    neg_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in negatives:
        neg_by_doc[row["doc"]].append(row)

    totals = defaultdict(int)
    per_kind: dict[str, dict[str, int]] = {k: defaultdict(int) for k in KINDS}
    per_doc: dict[str, dict[str, Any]] = {}
    misses: list[dict[str, Any]] = []
    extras: list[dict[str, Any]] = []
    mismatches: list[dict[str, Any]] = []
    started = time.perf_counter()
    for doc in documents:
        slug = doc["slug"]
        with open(corpus / doc["text_file"], encoding="utf-8", newline="") as fh:
            text = fh.read()
        seeds = [seed_authority(s) for s in doc.get("seeds", [])]
        seeds += [seed_authority(s) for s in doc.get("negative_only_seeds", [])]
        parts = [(int(start), part) for start, part in doc.get("opinion_parts", [])]
        fmt = {"txt": "text", "cl-json": "text", "cap-json": "text"}.get(doc.get("format", "txt"), "text")
        found = read_opinion(text, seeds, fmt=fmt, opinion_parts=parts, tokenizer=tokenizer, classify=False)
        gold = by_doc.get(slug, [])
        used: set[int] = set()
        matched = 0
        for g in gold:
            kind = g["kind"]
            per_kind[kind]["labelled"] += 1
            hit = None
            for i, ref in enumerate(found):
                if i in used or ref.authority_key != g["seed"]:
                    continue
                if _overlap(g, ref.start, ref.end):
                    hit = i
                    break
            if hit is None:
                misses.append({"doc": slug, **{k: g[k] for k in ("seed", "start", "kind", "as_written")}})
                continue
            used.add(hit)
            ref = found[hit]
            matched += 1
            per_kind[kind]["found"] += 1
            totals["matched"] += 1
            totals["pin_ok"] += int((ref.pin_cite or None) == (g.get("pin_cite") or None))
            totals["signal_ok"] += int(ref.signal == g.get("signal", "none"))
            totals["kind_ok"] += int(ref.kind == kind)
            totals["parenthetical_ok"] += int((ref.parenthetical or None) == (g.get("parenthetical") or None))
            totals["footnote_ok"] += int(ref.in_footnote == bool(g.get("in_footnote")))
            totals["part_ok"] += int(ref.opinion_part == g.get("opinion_part"))
            totals["span_exact"] += int(ref.start == g["start"] and ref.end == g["end"])
            wrong = {
                field: {"label": want, "found": got}
                for field, want, got in (
                    ("pin_cite", g.get("pin_cite") or None, ref.pin_cite or None),
                    ("signal", g.get("signal", "none"), ref.signal),
                    ("kind", kind, ref.kind),
                    ("parenthetical", g.get("parenthetical") or None, ref.parenthetical or None),
                    ("in_footnote", bool(g.get("in_footnote")), ref.in_footnote),
                    ("opinion_part", g.get("opinion_part"), ref.opinion_part),
                )
                if want != got
            }
            if wrong:
                mismatches.append({"doc": slug, **{k: g[k] for k in ("seed", "start", "kind", "as_written")}, "fields": wrong})
            per_kind[kind]["pin_ok"] += int((ref.pin_cite or None) == (g.get("pin_cite") or None))
            per_kind[kind]["signal_ok"] += int(ref.signal == g.get("signal", "none"))
            per_kind[kind]["kind_ok"] += int(ref.kind == kind)
        seed_refs = [r for r in found if r.authority_key is not None]
        for i, ref in enumerate(found):
            if ref.authority_key is not None and i not in used:
                extras.append(
                    {
                        "doc": slug,
                        "seed": ref.authority_key,
                        "start": ref.start,
                        "kind": ref.kind,
                        "as_written": ref.as_written,
                    }
                )
        negatives_hit = 0
        for n in neg_by_doc.get(slug, []):
            if any(r.authority_key == n["seed"] and _overlap(n, r.start, r.end) for r in found):
                negatives_hit += 1
        totals["labelled"] += len(gold)
        totals["reported"] += len(seed_refs)
        totals["true_positive"] += len(used)
        totals["negatives"] += len(neg_by_doc.get(slug, []))
        totals["negatives_reported"] += negatives_hit
        per_doc[slug] = {
            "labelled": len(gold),
            "reported": len(seed_refs),
            "matched": matched,
            "negatives_reported": negatives_hit,
        }

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    m = totals["matched"]
    kinds_out = {}
    for kind, row in per_kind.items():
        if not row.get("labelled"):
            continue
        kinds_out[kind] = {
            "labelled": row["labelled"],
            "found": row["found"],
            "recall": ratio(row["found"], row["labelled"]),
            "pin_cite_exact": ratio(row["pin_ok"], row["found"]),
            "signal_accuracy": ratio(row["signal_ok"], row["found"]),
            "kind_accuracy": ratio(row["kind_ok"], row["found"]),
        }
    return {
        "references": totals["labelled"],
        "reported": totals["reported"],
        "matched": m,
        "recall": ratio(m, totals["labelled"]),
        "precision": ratio(totals["true_positive"], totals["reported"]),
        "pin_cite_exact": ratio(totals["pin_ok"], m),
        "signal_accuracy": ratio(totals["signal_ok"], m),
        "kind_accuracy": ratio(totals["kind_ok"], m),
        "parenthetical_exact": ratio(totals["parenthetical_ok"], m),
        "in_footnote_accuracy": ratio(totals["footnote_ok"], m),
        "opinion_part_accuracy": ratio(totals["part_ok"], m),
        "span_exact": ratio(totals["span_exact"], m),
        "negatives": totals["negatives"],
        "negatives_reported": totals["negatives_reported"],
        "per_kind": kinds_out,
        "per_document": per_doc,
        "missed": misses,
        "spurious": extras,
        "mismatched": mismatches,
        "seconds": round(time.perf_counter() - started, 2),
    }


def format_table(scores: dict[str, Any]) -> str:
    """A readable summary for the terminal."""
    lines = [
        f"references labelled {scores['references']}, reported {scores['reported']}, matched {scores['matched']}",
        f"recall {scores['recall']:.3f}   precision {scores['precision']:.3f}",
        f"pin cite exact {scores['pin_cite_exact']:.3f}   signal {scores['signal_accuracy']:.3f}   "
        f"kind {scores['kind_accuracy']:.3f}   parenthetical {scores['parenthetical_exact']:.3f}",
        f"in footnote {scores['in_footnote_accuracy']:.3f}   opinion part {scores['opinion_part_accuracy']:.3f}   "
        f"exact span {scores['span_exact']:.3f}",
        f"hard negatives reported {scores['negatives_reported']} of {scores['negatives']}",
        "",
        f"{'kind':<10} {'labelled':>8} {'found':>6} {'recall':>7} {'pin':>6} {'signal':>7} {'kind ok':>7}",
    ]
    for kind, row in scores["per_kind"].items():
        lines.append(
            f"{kind:<10} {row['labelled']:>8} {row['found']:>6} {row['recall']:>7.3f} "
            f"{row['pin_cite_exact']:>6.3f} {row['signal_accuracy']:>7.3f} {row['kind_accuracy']:>7.3f}"
        )
    lines.append(f"\n{scores['seconds']} s")
    return "\n".join(lines)
