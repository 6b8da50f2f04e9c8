"""Which sentence near a reference says how the court treats it: a small model of evidence sentences.

Courts often say why a case does not govern several sentences after citing it ("X involved ...;
the statute here ...; X is thus inapposite"), or criticise it before citing it. The main model's
word n-grams read only the reference's sentence and the next, so a second, sentence-level model
scores every sentence of the reference's neighbourhood (SENTENCE_BEFORE characters before its
sentence, SENTENCE_AFTER after, never across a heading) for how much it reads as the sentence that
distinguishes or criticises; the highest score per label becomes a feature of the main model.

It is trained (citator/train_treatment.py) on the `evidence` of ../shared/treatment: the sentence
holding a reference's evidence is an example of its label (distinguished or criticized_or_declined;
every other label counts as "other"), every other sentence of its neighbourhood an example of
"other". Sentences are read as word n-grams (treatment_features.ngrams) with the reference and
the case's own names masked as <ref>, so "<ref> is readily distinguishable" generalises across
cases while "Smith is distinguishable" near a reference to another case does not count.
Like the main model it is a linear model read without scikit-learn at run time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from citator.citations.lexicon import REF_MARK
from citator.citations.models import Authority, Reference
from citator.citations.windows import Window, sentence_window, sentences_in

#: The labels the sentence model tells apart from "other": the two a court often states away from
#: the citation (the lead's count: half the distinguished evidence lies outside the reference's
#: sentence and the next).
SENTENCE_LABELS: tuple[str, ...] = ("distinguished", "criticized_or_declined")
OTHER = "other"
#: How far before the reference's sentence and after it sentences are scored (characters).
SENTENCE_BEFORE = 600
SENTENCE_AFTER = 3000
FAR_ONLY = False
#: A sentence reads as a label "strongly" at or above this probability (a feature of its own).
STRONG = 0.5
_HEADING_LINE = re.compile(r"(?m)^[ \t]*(?:[IVX]+\.|[A-H]\.|\d+\.)[ \t]*(?:[A-Z][^\n.]{3,80})?\n")

_VERB = {"distinguished": "distinguishing", "criticized_or_declined": "criticising"}


def feature_name(label: str) -> str:
    """The main model's feature for a label's best-scoring nearby sentence."""
    return f"a nearby sentence reads as {_VERB[label]} (sentence model)"


def strong_feature_name(label: str) -> str:
    return f"a nearby sentence reads strongly as {_VERB[label]} (sentence model, p >= {STRONG})"


def neighbourhood(text: str, reference: Reference) -> list[Window]:
    """The sentences scored for a reference: its own and those within SENTENCE_BEFORE /
    SENTENCE_AFTER characters, cut at the nearest heading on either side (a new part of the
    opinion speaks of something else)."""
    if not text or reference.end > len(text):
        return []
    own = sentence_window(text, reference.start, min(len(text), max(reference.end, reference.start + 1)))
    lo, hi = max(0, own.start - SENTENCE_BEFORE), min(len(text), own.end + SENTENCE_AFTER)
    for match in _HEADING_LINE.finditer(text, own.end, hi):
        hi = match.start()
        break
    for match in _HEADING_LINE.finditer(text, lo, own.start):
        lo = match.end()
    sentences = sentences_in(text, Window(lo, hi, ""))
    if not FAR_ONLY:
        return sentences
    # the reference's own sentence and the next are read by the main model's word n-grams
    at = next((i for i, w in enumerate(sentences) if w.start <= reference.start < w.end), None)
    return sentences if at is None else sentences[:at] + sentences[at + 2 :]


def masked_sentences(text: str, reference: Reference, authority: Authority | None) -> list[tuple[Window, str]]:
    """(sentence, its text with the reference and the case's names as REF_MARK) for each sentence of
    the reference's neighbourhood."""
    from citator.citations.treatment_features import naming_patterns

    patterns = naming_patterns(authority)
    out = []
    for sentence in neighbourhood(text, reference):
        raw = text[sentence.start : sentence.end]
        if sentence.start <= reference.start and reference.end <= sentence.end:
            raw = raw[: reference.start - sentence.start] + REF_MARK + raw[reference.end - sentence.start :]
        masked = re.sub(r"\s+", " ", raw).strip()
        for pattern in patterns:
            masked = pattern.sub(REF_MARK, masked)
        if masked:
            out.append((sentence, masked))
    return out


def sentence_grams(masked: str) -> list[str]:
    from citator.citations.treatment_features import ngrams, words

    return ngrams(words(masked))


@dataclass(frozen=True)
class SentenceModel:
    """A multinomial logistic regression over a sentence's word n-grams (labels: SENTENCE_LABELS
    that were seen in training, and OTHER)."""

    labels: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]
    intercepts: tuple[float, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SentenceModel":
        labels = tuple(data["labels"])
        rows = data["weights"]
        if len(data["features"]) != len(rows) or len(data["intercepts"]) != len(labels):
            raise ValueError("sentence model: features, weights and intercepts differ in length")
        weights = {name: tuple(float(x) for x in row) for name, row in zip(data["features"], rows)}
        if any(len(row) != len(labels) for row in weights.values()):
            raise ValueError("sentence model: a feature has the wrong number of weights")
        return cls(labels, weights, tuple(float(x) for x in data["intercepts"]))

    def probabilities(self, grams: Sequence[str]) -> dict[str, float]:
        scores = list(self.intercepts)
        for gram in grams:
            row = self.weights.get(gram)
            if row is not None:
                for i, w in enumerate(row):
                    scores[i] += w
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps)}


def best_sentences(model: SentenceModel, scored: Sequence[tuple[Window, str]]) -> dict[str, tuple[float, str]]:
    """For each of the model's SENTENCE_LABELS: the highest probability over the sentences and
    that sentence's text (the first of equals)."""
    best: dict[str, tuple[float, str]] = {}
    for sentence, masked in scored:
        probs = model.probabilities(sentence_grams(masked))
        for label in SENTENCE_LABELS:
            p = probs.get(label)
            if p is not None and (label not in best or p > best[label][0]):
                best[label] = (p, sentence.text)
    return best


def sentence_features(best: Mapping[str, tuple[float, str]]) -> dict[str, float]:
    """The main model's features from best_sentences: each label's best probability (0-1), and
    whether it reaches STRONG."""
    f: dict[str, float] = {}
    for label, (p, _) in sorted(best.items()):
        f[feature_name(label)] = round(p, 3)
        if p >= STRONG:
            f[strong_feature_name(label)] = 1.0
    return f


def quote(sentence: str, limit: int = 140) -> str:
    """A sentence as evidence quotes it, cut at `limit` characters."""
    flat = re.sub(r"\s+", " ", sentence).strip()
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."
