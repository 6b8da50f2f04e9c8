"""Score short-cite and id. resolution, and footnote detection, on references read in real text.

`../shared/treatment/references.jsonl` records, for references that plain eyecite found and
resolved in real opinions, whether eyecite's antecedent was right (`resolution_ok`) and, when it
was not, what the reference does refer to (`actually_refers_to`: a case, or a statute, the record,
a guideline). That makes it a resolution test set: for each labelled reference we ask which case
citator resolves the same citation to, reading the opinion as `citator cite --all` does (every
case, no seeds), and compare with the truth:

- the truth names a reporter cite: right when citator's target is that case (any of its parallel
  cites in the opinion counts, since "493 U.S. 1, 110 S. Ct. 4" is one case);
- the truth names no reporter cite (a statute, the record, a slip opinion): right when citator
  gives the reference no case at all.

Plain eyecite's figure is the labelled one: `resolution_ok` counts its right answers.

The same rows label `in_footnote` (judged by reading), which scores footnote detection.

Documents are split in two halves by a hash of their slug (`half_of`), so that rules can be
written while reading the failures of the "dev" half only and the "held-out" half stays unseen.

A *whole* resolution set labels every id. (or short cite) of its opinions by reading, each row
saying what it refers to whatever plain eyecite answered (`refers_to`: "514 F.3d 280 | Name" for a
case, a word such as "statute" or "transcript" for anything else; `refers_to_kind`: "case" or
"non-case"). Such a set is scored as a whole against its own labels (`is_whole_set`): no halves,
since the rules were not written from its failures (whether its opinions are unseen depends on
where they were drawn from; see tests/citations/fresh_sets/ids).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from eyecite import get_citations
from eyecite.models import FullCaseCitation

from citator.citations.cites import Cite, cite_key, split_cite
from citator.citations.extract import resolve_cites
from citator.citations.footnotes import note_anchors
from citator.citations.resolve import ID_RULES
from citator.citations.text import prepare_text

__all__ = [
    "half_of",
    "is_whole_set",
    "gold_keys",
    "score_resolution",
    "score_footnotes",
    "format_resolution",
    "format_footnotes",
    "id_rule_usage",
    "format_id_rule_usage",
    "note_placement",
    "format_note_placement",
]

KINDS = ("full", "short", "id")
HALVES = ("dev", "held-out")


def half_of(slug: str) -> str:
    """Which half a document belongs to: "dev" (rules may be written from its failures) or
    "held-out" (never looked at while writing rules). Stable: the low bit of SHA-256(slug)."""
    return HALVES[hashlib.sha256(slug.encode("utf-8")).digest()[-1] & 1]


def is_whole_set(rows: Iterable[dict[str, Any]]) -> bool:
    """Whether labelled references come from a resolution set labelled in full (each row names
    what it refers to in `refers_to_kind`), to be scored as a whole rather than by halves."""
    rows = list(rows)
    return bool(rows) and all(row.get("refers_to_kind") in ("case", "non-case") for row in rows)


def _rows(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


_VOLUME_ONLY = re.compile(r"\b(\d{1,4}) ((?:[A-Z][A-Za-z.]*\.? ?){1,4}(?:2d|3d|4th)?)(?=\s*\(|\s*$|,)")


def gold_keys(description: str | None) -> tuple[set[str], set[str]]:
    """Cite keys ("vol|rep|page") and volume keys ("vol|rep", for a cite written without a page)
    of the case a label names; both empty when it names no reported case."""
    if not description:
        return set(), set()
    full: set[str] = set()
    for citation in get_citations(description):
        if isinstance(citation, FullCaseCitation):
            g = citation.groups
            page = g.get("page")
            if g.get("volume") and page and str(page).isdigit():
                full.add(cite_key(g["volume"], citation.corrected_reporter(), page))
    volumes: set[str] = set()
    if not full:
        m = _VOLUME_ONLY.search(description)
        if m and re.search(r"\b(?:F|U\. ?S|S\. ?Ct|Supp|[A-Z]\.[23]d)\b", m.group(2)):
            volumes.add(cite_key(m.group(1), m.group(2).strip()))
    return full, volumes


def _equivalents(cites: list[Cite]) -> dict[str, set[str]]:
    """For each resolved target, the cite keys it is written under in this opinion (its
    parallel cites included)."""
    groups: dict[int, set[str]] = defaultdict(set)
    for c in cites:
        if c.kind == "full" and c.full_key:
            groups[c.parallel_of if c.parallel_of is not None else c.index].add(c.full_key)
    out: dict[str, set[str]] = defaultdict(set)
    for c in cites:
        if c.target and c.kind == "full":
            root = c.parallel_of if c.parallel_of is not None else c.index
            out[c.target] |= groups[root]
        if c.target:
            parts = split_cite(c.target[5:]) if c.target.startswith("cite:") else None
            if parts:
                out[c.target].add(cite_key(*parts))
    return out


def _cite_at(cites: list[Cite], offsets: list[int], start: int, end: int) -> Cite | None:
    """The citation whose core (mapped back to the source) overlaps the labelled span."""
    best = None
    for c in cites:
        if c.kind not in ("full", "short", "id", "supra", "reference"):
            continue
        a = offsets[c.core[0]] if c.core[0] < len(offsets) else c.src_start
        b = offsets[c.core[1] - 1] + 1 if 0 < c.core[1] <= len(offsets) else a + 1
        if a < end and start < b:
            if best is None or abs(a - start) < abs(offsets[best.core[0]] - start):
                best = c
    return best


def _judge(
    row: dict[str, Any], target: str | None, equivalents: dict[str, set[str]], names: list[str] = ()
) -> bool:
    if row.get("refers_to_kind") in ("case", "non-case"):
        return _judge_labelled(row, target, equivalents, names)
    truth = row["seed"].partition("|")[0].strip() if row["resolution_ok"] else None
    if truth is not None:
        full, volumes = gold_keys(truth + " (x)")
        if not full:  # a database or odd cite eyecite itself wrote: compare as written
            parts = truth.split(" ")
            full = {cite_key(parts[0], " ".join(parts[1:-1]), parts[-1])} if len(parts) >= 3 else set()
    else:
        full, volumes = gold_keys(row.get("actually_refers_to"))
    if not full and not volumes:
        return target is None
    if target is None:
        return False
    ours = equivalents.get(target, set())
    if full & ours:
        return True
    if any(k.rsplit("|", 1)[0] in volumes for k in ours):
        return True
    return _same_case_misprinted(row, full, ours, names)


def _judge_labelled(
    row: dict[str, Any], target: str | None, equivalents: dict[str, set[str]], names: list[str]
) -> bool:
    """Judge against a whole set's own label (`refers_to`), not plain eyecite's answer."""
    if row["refers_to_kind"] == "non-case":
        return target is None
    full, volumes = gold_keys(row["refers_to"].partition("|")[0].strip() + " (x)")
    if target is None or not (full or volumes):
        return False
    ours = equivalents.get(target, set())
    if full & ours or any(k.rsplit("|", 1)[0] in volumes for k in ours):
        return True
    as_labelled = {**row, "resolution_ok": False, "actually_refers_to": row["refers_to"]}
    return _same_case_misprinted(as_labelled, full, ours, names)


def _same_case_misprinted(row: dict[str, Any], full: set[str], ours: set[str], names: list[str]) -> bool:
    """The opinion cites the labelled case under a misprinted first page ("INS v. Abudu, 485 U.S.
    92" for 485 U.S. 94) and citator followed the opinion: the same volume and reporter, and the
    target's case name in the label's description."""
    described = row["seed"] if row["resolution_ok"] else (row.get("actually_refers_to") or "")
    volumes = {k.rsplit("|", 1)[0] for k in full}
    if not any(k.rsplit("|", 1)[0] in volumes for k in ours):
        return False
    return any(len(n) >= 4 and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", described) for n in names)


def _documents(corpus: Path) -> dict[str, dict[str, Any]]:
    return {d["slug"]: d for d in _rows(corpus / "documents.jsonl")}


def _by_doc(corpus: Path) -> dict[str, list[dict[str, Any]]]:
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(corpus / "references.jsonl"):
        by_doc[row["doc"]].append(row)
    return by_doc


def _text(corpus: Path, doc: dict[str, Any]) -> str:
    with open(corpus / doc["text_file"], encoding="utf-8", newline="") as fh:
        return fh.read()


def _tally() -> dict[str, int]:
    return {"n": 0, "ours": 0, "eyecite": 0}


def score_resolution(corpus_dir: str | Path, *, docs: Iterable[str] | None = None) -> dict[str, Any]:
    """Resolution accuracy per kind and per half, citator next to plain eyecite.

    `docs` limits the run to some document slugs (for tests)."""
    corpus = Path(corpus_dir)
    documents = _documents(corpus)
    by_doc = _by_doc(corpus)
    wanted = set(docs) if docs is not None else None
    whole = is_whole_set(row for rows in by_doc.values() for row in rows)
    scopes = ("all", "case", "non-case") if whole else ("all", *HALVES)
    table: dict[str, dict[str, dict[str, int]]] = {scope: {k: _tally() for k in KINDS} for scope in scopes}
    misses: list[dict[str, Any]] = []
    for slug, rows in sorted(by_doc.items()):
        if wanted is not None and slug not in wanted:
            continue
        doc = documents.get(slug)
        if doc is None:
            continue
        text = _text(corpus, doc)
        prepared = prepare_text(text, "text")
        cites, _targets = resolve_cites(prepared, (), all_cases=True)
        equivalents = _equivalents(cites)
        half = "whole set" if whole else half_of(slug)
        for row in rows:
            kind = row["kind"]
            if kind not in KINDS:
                continue
            cite = _cite_at(cites, prepared.offsets, row["start"], row["end"])
            target = cite.target if cite is not None else None
            names = _targets[target].names if target in _targets else []
            right = _judge(row, target, equivalents, names)
            for scope in ("all", row["refers_to_kind"]) if whole else ("all", half):
                t = table[scope][kind]
                t["n"] += 1
                t["ours"] += right
                t["eyecite"] += bool(row["resolution_ok"])
            if not right:
                misses.append(
                    {
                        "doc": slug,
                        "half": half,
                        "id": row["id"],
                        "kind": kind,
                        "as_written": row["as_written"],
                        "start": row["start"],
                        "truth": row.get("refers_to")
                        or (row["seed"] if row["resolution_ok"] else row.get("actually_refers_to")),
                        "ours": target,
                        "rule": cite.id_rule if cite is not None and kind == "id" else None,
                    }
                )
    split = "none: scored as a whole" if whole else "by document half"
    result: dict[str, Any] = {"split": split, "scopes": {}, "misses": misses}
    for scope, kinds in table.items():
        result["scopes"][scope] = {
            kind: {
                "references": t["n"],
                "citator_right": t["ours"],
                "eyecite_right": t["eyecite"],
                "citator": round(t["ours"] / t["n"], 3) if t["n"] else None,
                "eyecite": round(t["eyecite"] / t["n"], 3) if t["n"] else None,
            }
            for kind, t in kinds.items()
        }
    return result


def format_resolution(scores: dict[str, Any]) -> str:
    if scores.get("split", "").startswith("none"):
        head = [
            "resolution accuracy (citator vs plain eyecite), by kind; a set labelled in full, scored as a whole",
            "(no dev / held-out halves); 'case' and 'non-case' split the rows by what they refer to",
        ]
        column = "scope"
    else:
        head = ["resolution accuracy (citator vs plain eyecite), by kind and document half"]
        column = "half"
    lines = [*head, ""]
    lines.append(f"{column:<9} {'kind':<6} {'refs':>5}  {'citator':>15}  {'plain eyecite':>15}")
    for scope, kinds in scores["scopes"].items():
        for kind, f in kinds.items():
            if not f["references"]:
                continue
            ours = f"{f['citator_right']}/{f['references']} {f['citator']:.3f}"
            theirs = f"{f['eyecite_right']}/{f['references']} {f['eyecite']:.3f}"
            lines.append(f"{scope:<9} {kind:<6} {f['references']:>5}  {ours:>15}  {theirs:>15}")
    return "\n".join(lines)


def score_footnotes(corpus_dir: str | Path, *, docs: Iterable[str] | None = None) -> dict[str, Any]:
    """How often citator's footnote flag agrees with the labelled `in_footnote`."""
    corpus = Path(corpus_dir)
    documents = _documents(corpus)
    by_doc = _by_doc(corpus)
    wanted = set(docs) if docs is not None else None
    counts: dict[str, dict[str, int]] = {s: defaultdict(int) for s in ("all", *HALVES)}
    wrong: list[dict[str, Any]] = []
    for slug, rows in sorted(by_doc.items()):
        if (wanted is not None and slug not in wanted) or slug not in documents:
            continue
        prepared = prepare_text(_text(corpus, documents[slug]), "text")
        half = half_of(slug)
        for row in rows:
            if row.get("in_footnote") is None:  # a set that does not label footnotes
                continue
            ours = prepared.in_footnote(row["start"])
            truth = bool(row["in_footnote"])
            for scope in ("all", half):
                c = counts[scope]
                c["n"] += 1
                c["right"] += ours == truth
                c["tp"] += ours and truth
                c["fp"] += ours and not truth
                c["fn"] += truth and not ours
            if ours != truth:
                wrong.append({"doc": slug, "half": half, "id": row["id"], "start": row["start"], "labelled": truth})
    result: dict[str, Any] = {"scopes": {}, "wrong": wrong}
    for scope, c in counts.items():
        n = c["n"]
        result["scopes"][scope] = {
            "references": n,
            "accuracy": round(c["right"] / n, 3) if n else None,
            "footnote_recall": round(c["tp"] / (c["tp"] + c["fn"]), 3) if c["tp"] + c["fn"] else None,
            "footnote_precision": round(c["tp"] / (c["tp"] + c["fp"]), 3) if c["tp"] + c["fp"] else None,
        }
    return result


def format_footnotes(scores: dict[str, Any]) -> str:
    lines = ["footnote detection (labelled in_footnote vs citator's flag)", ""]
    lines.append(f"{'half':<9} {'refs':>5} {'accuracy':>9} {'fn recall':>10} {'fn precision':>13}")
    for scope, f in scores["scopes"].items():
        if not f["references"]:
            continue
        lines.append(
            f"{scope:<9} {f['references']:>5} {f['accuracy']:>9.3f} {f['footnote_recall'] or 0:>10.3f}"
            f" {f['footnote_precision'] or 0:>13.3f}"
        )
    return "\n".join(lines)


def _bulk_texts(bulk_dir: Path, exclude: set[str]) -> Iterable[tuple[str, str, str]]:
    """(url, text, format) of each opinion record in the `*.jsonl.gz` / `*.jsonl` dumps of
    `bulk_dir` whose `resource_uri` is not in `exclude`: the plain text when the record has
    one, else its HTML."""
    import gzip

    for dump in sorted(bulk_dir.glob("*.jsonl*")):
        opener = gzip.open if dump.suffix == ".gz" else open
        with opener(dump, "rt", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                record = json.loads(line)
                if record.get("resource_uri") in exclude:
                    continue
                if record.get("plain_text"):
                    yield record.get("absolute_url", ""), record["plain_text"], "text"
                    continue
                html_text = record.get("html_with_citations") or record.get("html") or record.get("html_lawbox")
                if html_text:
                    yield record.get("absolute_url", ""), html_text, "html"


def id_rule_usage(corpus_dir: str | Path, bulk_dir: str | Path) -> dict[str, Any]:
    """How often each id. antecedent rule (`citations.resolve.ID_RULES`) decides an id. in the
    bulk opinions that are not in the labelled corpus (the rules' training documents): the
    check that a rule states how courts write in general, not how one labelled opinion does."""
    corpus = Path(corpus_dir)
    exclude = {
        (d.get("source") or {}).get("resource_uri") for d in _documents(corpus).values()
    } - {None}
    counts = {name: 0 for name in ID_RULES}
    documents_with = {name: 0 for name in ID_RULES}
    documents = ids = by_name = by_name_documents = 0
    for _url, text, fmt in _bulk_texts(Path(bulk_dir), exclude):
        documents += 1
        cites, _targets = resolve_cites(prepare_text(text, fmt), (), all_cases=True)
        seen: set[str] = set()
        named = [c for c in cites if c.kind == "short" and c.note and "as printed; resolved by the name" in c.note]
        by_name += len(named)
        by_name_documents += bool(named)
        for c in cites:
            if c.kind != "id":
                continue
            ids += 1
            if c.id_rule in counts:
                counts[c.id_rule] += 1
                seen.add(c.id_rule)
        for name in seen:
            documents_with[name] += 1
    return {
        "documents": documents,
        "id_citations": ids,
        "short_resolved_by_name": {"fires": by_name, "documents": by_name_documents},
        "rules": {
            name: {"fires": counts[name], "documents": documents_with[name], "rule": ID_RULES[name]}
            for name in ID_RULES
        },
    }


def format_id_rule_usage(usage: dict[str, Any]) -> str:
    lines = [
        f"id. rules on {usage['documents']} bulk opinions not in the labelled corpus "
        f"({usage['id_citations']} id. citations)",
        "",
        f"{'rule':<22} {'fires':>6} {'opinions':>9}  what it says",
    ]
    for name, f in usage["rules"].items():
        lines.append(f"{name:<22} {f['fires']:>6} {f['documents']:>9}  {f['rule']}")
    named = usage["short_resolved_by_name"]
    lines.append(
        f"{'short cite by name':<22} {named['fires']:>6} {named['documents']:>9}  a short cite whose volume or reporter "
        "is misprinted, resolved by the name of the one case cited before that fits it"
    )
    return "\n".join(lines)


def note_placement(corpus_dir: str | Path, bulk_dir: str | Path) -> dict[str, Any]:
    """Where `citations.footnotes` reads the footnotes of the bulk opinions not in the labelled
    corpus, by input format: at their number in the body, with the note they continue, or
    (their number not found) where they stand."""
    exclude = {(d.get("source") or {}).get("resource_uri") for d in _documents(Path(corpus_dir)).values()} - {None}
    out: dict[str, dict[str, int]] = {}
    for _url, text, fmt in _bulk_texts(Path(bulk_dir), exclude):
        notes = note_anchors(prepare_text(text, fmt))
        tally = out.setdefault(fmt, {"opinions": 0, "notes": 0, "at_number": 0, "continuation": 0, "where_it_stands": 0})
        tally["opinions"] += bool(notes)
        for note in notes:
            tally["notes"] += 1
            place = "continuation" if note.continuation else ("at_number" if note.marked else "where_it_stands")
            tally[place] += 1
    return out


def format_note_placement(placement: dict[str, Any]) -> str:
    lines = ["footnotes of bulk opinions not in the labelled corpus, by where they are read", ""]
    lines.append(f"{'format':<7} {'opinions':>8} {'notes':>6} {'at number':>10} {'continued':>10} {'in place':>9}")
    for fmt, t in placement.items():
        lines.append(
            f"{fmt:<7} {t['opinions']:>8} {t['notes']:>6} {t['at_number']:>10} {t['continuation']:>10} {t['where_it_stands']:>9}"
        )
    return "\n".join(lines)
