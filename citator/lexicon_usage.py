"""How often each lexicon phrase fires: in the training opinions, and in real opinions nobody
labelled (the `../shared/bulk` records that are not in `../shared/treatment`).

A phrase that fires in a single training opinion and nowhere in the unlabelled opinions describes
that opinion, not how courts write; such phrases are pruned from the lexicon (issue 13 item 8).

    python -m citator.lexicon_usage ../shared/treatment ../shared/corpus --bulk ../shared/bulk

prints one line per phrase (training documents, unlabelled documents) and the pruning candidates;
with `--stance`, the same counts for the distinguishing and criticising wordings of
citations/treatment_features.py (STANCE_FAMILIES), which are features but not lexicon phrases.
Training counts are exact (the model's cue features of the gold references); unlabelled counts
search the whole opinion text with `{ref}` standing for any citation-like text, so they can only
over-count, which errs on the side of keeping a phrase.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from citator.citations.lexicon import REF_MARK, Cue, Lexicon, default_lexicon

#: What `{ref}` stands for in unlabelled text: a case name, a reporter citation, or "id.".
_ANY_REFERENCE = (
    r"(?:[A-Z][\w.'&\-]*(?:\s+[A-Z][\w.'&\-]*){0,3}(?:\s+v\.\s+[A-Z][\w.'&\-]*(?:\s+[A-Z][\w.'&\-]*){0,3})?"
    r"(?:,\s*\d+\s+[A-Z][\w. ]{0,15}?\s*\d+)?|\d+\s+[A-Z][\w. ]{0,15}?\s*\d+|[Ii]d\.)"
)
_TAG = re.compile(r"<[^>]+>")


def unanchored(cue: Cue) -> re.Pattern[str]:
    """The cue's pattern with the reference marker replaced by any citation-like text."""
    return re.compile(cue.pattern.pattern.replace(re.escape(REF_MARK), _ANY_REFERENCE), cue.pattern.flags)


def bulk_texts(bulk_dir: Path, exclude_ids: set[int]) -> Iterator[str]:
    """Opinion texts of the bulk records whose CourtListener id is not in `exclude_ids`."""
    with gzip.open(bulk_dir / "ca1-opinions.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            match = re.search(r"/opinions/(\d+)/", record.get("resource_uri") or "")
            if match and int(match.group(1)) in exclude_ids:
                continue
            text = record.get("plain_text") or _TAG.sub(" ", record.get("html_with_citations") or record.get("html") or "")
            if text.strip():
                yield text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')


def labelled_ids(corpus_dirs: Iterable[Path]) -> set[int]:
    ids: set[int] = set()
    for corpus in corpus_dirs:
        with open(corpus / "documents.jsonl", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    doc_id = json.loads(line).get("courtlistener_opinion_id")
                    if doc_id:
                        ids.add(int(doc_id))
    return ids


def training_counts(corpus_dirs: Sequence[Path], lexicon: Lexicon) -> dict[str, int]:
    """Phrase -> number of training documents in which its cue feature fires."""
    from citator.train_treatment import document_features
    from citator.evaluate_treatment import load_corpora

    docs_with: dict[str, set[str]] = defaultdict(set)
    for doc in load_corpora(corpus_dirs):
        for feats in document_features(doc):
            for name in feats:
                if name.startswith('cue "'):
                    docs_with[name[5:].split('" (', 1)[0]].add(doc.group)
    out = {}
    for cue in lexicon.cues:
        phrase = re.sub(r"\s+", " ", cue.phrase.replace("{ref}", "<ref>"))
        out[cue.phrase] = len(docs_with.get(phrase, ()))
    return out


def unlabelled_counts(texts: Iterable[str], lexicon: Lexicon) -> tuple[dict[str, int], int]:
    """Phrase -> number of unlabelled opinions whose text it matches; and how many opinions."""
    patterns = [(cue.phrase, unanchored(cue)) for cue in lexicon.cues]
    counts = {phrase: 0 for phrase, _ in patterns}
    n = 0
    for text in texts:
        n += 1
        for phrase, pattern in patterns:
            if pattern.search(text):
                counts[phrase] += 1
    return counts, n


def stance_training_counts(corpus_dirs: Sequence[Path]) -> dict[str, int]:
    """Stance family -> number of training documents in which it fires around a labelled reference."""
    from citator.citations.treatment_features import STANCE_FAMILIES
    from citator.evaluate_treatment import load_corpora
    from citator.train_treatment import document_features

    docs_with: dict[str, set[str]] = defaultdict(set)
    for doc in load_corpora(corpus_dirs):
        for feats in document_features(doc):
            for name in feats:
                for stance, family, _ in STANCE_FAMILIES:
                    if name.startswith(f'{stance} wording "{family}"'):
                        docs_with[family].add(doc.group)
    return {family: len(docs_with.get(family, ())) for _, family, _ in STANCE_FAMILIES}


def stance_unlabelled_counts(texts: Iterable[str]) -> tuple[dict[str, int], dict[str, int], int]:
    """Stance family -> (opinions it occurs in, occurrences in all) over unlabelled texts; and
    how many opinions were read."""
    from citator.citations.treatment_features import STANCE_FAMILIES, stance_hits

    opinions = {family: 0 for _, family, _ in STANCE_FAMILIES}
    occurrences = dict(opinions)
    n = 0
    for text in texts:
        n += 1
        found = [family for _, family, _ in stance_hits(text)]
        for family in set(found):
            opinions[family] += 1
        for family in found:
            occurrences[family] += 1
    return opinions, occurrences, n


def prune_candidates(training: dict[str, int], unlabelled: dict[str, int]) -> list[str]:
    """Phrases that fire in at most one training opinion and in no unlabelled opinion."""
    return sorted(p for p, n in training.items() if n <= 1 and unlabelled.get(p, 0) == 0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--bulk", type=Path, required=True)
    parser.add_argument("--stance", action="store_true", help="count the stance wordings instead of the lexicon")
    args = parser.parse_args(argv)
    if args.stance:
        from citator.citations.treatment_features import STANCE_FAMILIES

        training = stance_training_counts(args.corpora)
        opinions, occurrences, n = stance_unlabelled_counts(bulk_texts(args.bulk, labelled_ids(args.corpora)))
        print(f"{'training docs':>13} {'unlabelled':>10} {'occurrences':>11}  wording family  ({n} unlabelled opinions)")
        for stance, family, _ in STANCE_FAMILIES:
            print(f"{training[family]:>13} {opinions[family]:>10} {occurrences[family]:>11}  [{stance}] {family}")
        return 0
    lexicon = default_lexicon()
    training = training_counts(args.corpora, lexicon)
    unlabelled, n = unlabelled_counts(bulk_texts(args.bulk, labelled_ids(args.corpora)), lexicon)
    print(f"{'training docs':>13} {'unlabelled':>10}  phrase  ({n} unlabelled opinions)")
    for cue in lexicon.cues:
        print(f"{training[cue.phrase]:>13} {unlabelled[cue.phrase]:>10}  [{cue.label}] {cue.phrase}")
    candidates = prune_candidates(training, unlabelled)
    print(f"\n{len(candidates)} of {len(lexicon.cues)} phrases fire in <= 1 training opinion and no unlabelled one:")
    for phrase in candidates:
        print(f"  {phrase}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
