"""What one reference's surroundings say, read the same way by the rule baseline
(`citations.treatment`) and by the trained model's features (`citations.treatment_features`).

`build_context` normalises the windows a cue is looked for in (sentence, clause, the claim a bare
cite supports, paragraph, the next sentences), with REF_MARK standing for the reference itself;
beside it the signal governing a reference, the parentheticals after it, whether it sits in a
concessive clause, whether a lexicon cue is negated or reported speech, and the cited court.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from citator.citations import signals
from citator.citations.courts import court_from_citation
from citator.citations.lexicon import REF_MARK, Cue, Lexicon
from citator.citations.models import Authority, Reference
from citator.citations.windows import Window, paragraph_window, sentence_window, sentences_in

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ad": ""})
#: Runs of white space (collapsed to one space in every context text).
WHITESPACE = re.compile(r"\s+")
#: A sentence that turns against what came before: ends a passage, and marks a contrast in the next sentence.
CONTRAST_OPENING = re.compile(r"(?:However|But|Nevertheless|Nonetheless|Yet|Still)\b")
_PARENS = re.compile(r"\([^()]*\)")
_CONTENT_WORD = re.compile(r"\b[a-z][a-z'\-]{3,}\b")
_CITATION_WORDS = frozenset(
    "supra infra quoting citing opinion dissenting concurring internal quotation marks omitted "
    "plurality separate emphasis added alteration original citation citations also judgment "
    "ibid cert denied granted rehearing banc withdrawn vacated".split()
)


# --------------------------------------------------------------------------------------------
# Context: the windows a cue can be looked for in
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """Normalised texts around one reference; REF_MARK stands for the reference itself."""

    sentence: str
    clause: str
    claim: str
    paragraph: str
    parenthetical: str
    citation_only: bool
    next: str = ""
    after: str = ""
    sentence_window: Window | None = None
    paragraph_window: Window | None = None
    claim_start: int | None = None  # offset in the opinion where the claim sentence begins

    def scope(self, name: str) -> str:
        return getattr(self, name)


_LINE_HYPHEN = re.compile(r"([A-Za-z])-[ \t]*\r?\n[\s\f]*(\w)")
#: Slip-opinion page markers such as "-31-" standing between words.
_PAGE_MARK = re.compile(r"(?<![\w-])-\d{1,3}-(?![\w-])")


def normalise_text(text: str) -> str:
    """Straight quotes, page markers dropped, words re-joined across line-end hyphens (a letter
    before the hyphen, so "-31-" page markers are not glued to the next word), whitespace collapsed."""
    text = _PAGE_MARK.sub(" ", text.translate(_QUOTES))
    return WHITESPACE.sub(" ", _LINE_HYPHEN.sub(r"\1\2", text)).strip()


def is_citation_only(sentence: str) -> bool:
    """True when a sentence is only citations ("Id. at 5.", "See Bakke, 438 U.S., at 305 (...)")."""
    stripped = sentence.replace(REF_MARK, " ")
    previous = None
    while previous != stripped:  # drop parentheticals, innermost first
        previous, stripped = stripped, _PARENS.sub(" ", stripped)
    words = [w for w in _CONTENT_WORD.findall(stripped) if w not in _CITATION_WORDS]
    return len(words) < 3


_SIGNAL_AT_END = re.compile(rf"(?:(?:^|[\s(;,.])({signals.INTRODUCTORY})|\(\s*({'|'.join(signals.PARENTHETICAL)}))\s*$",
                            re.IGNORECASE)
_SIGNAL_AT_START = re.compile(rf"\s*({signals.INTRODUCTORY})\s", re.IGNORECASE)


#: A case name (and comma) ending a text: "Abood v. Detroit Bd. of Educ., " or "Hudson, ".
_CASE_NAME_AT_END = re.compile(r"\s[A-Z][\w.'&\-]*(?:\s+(?:[\w.'&\-]+|v\.))*?,\s*$")


def infer_signal(sentence: str) -> str | None:
    """The introductory signal governing the reference, read from its sentence (REF_MARK inside).

    Used when the extractor gave none: the signal right before the reference ("Cf. <ref>",
    "(quoting <ref>"), else the one opening the citation string the reference sits in
    ("See A, 1 U.S. 1; <ref>"), as the Bluebook carries a signal over a string citation.
    """
    if REF_MARK not in sentence:
        return None
    before = sentence.split(REF_MARK, 1)[0]
    match = _SIGNAL_AT_END.search(before.rsplit(";", 1)[-1])
    if not match:  # a span without its case name: "(citing Abood v. Detroit Bd., <ref>"
        match = _SIGNAL_AT_END.search(_CASE_NAME_AT_END.sub("", before.rsplit(";", 1)[-1]))
    if match:  # "quoting"/"citing" only as the opening of a parenthetical, not "while citing X"
        return signals.canonical_signal(match.group(1) or match.group(2))
    if ";" in before and is_citation_only(before):
        opening = _SIGNAL_AT_START.match(before)
        if opening:
            return signals.canonical_signal(opening.group(1))
    return None


def _marked(text: str, win: Window, start: int, end: int) -> str:
    if win.start <= start and end <= win.end:
        return normalise_text(text[win.start : start] + REF_MARK + text[end : win.end])
    return normalise_text(text[win.start : win.end])


def build_context(reference: Reference, text: str, names: Sequence[str] = ()) -> Context:
    """Compute sentence, clause, claim and paragraph for a reference from the opinion text.

    Falls back on the reference's own `sentence`/`paragraph` only when no text is given; the
    extractor's fields are not relied upon because their windows differ between extractors.
    `names` (the authority's short names) are marked as the reference in a claim sentence read
    for a citation-only reference, so "Read broadly, McCready extends ... . See McCready, 457
    U.S. at 479." lets the cite see the cue anchored on the name.
    """
    parenthetical = normalise_text(reference.parenthetical or "")
    if not text or reference.end > len(text) or reference.start >= reference.end:
        sentence = normalise_text(reference.sentence or reference.as_written)
        if reference.as_written and reference.as_written in sentence:
            sentence = sentence.replace(normalise_text(reference.as_written), REF_MARK, 1)
        clause = _clause(sentence)
        return Context(
            sentence,
            clause,
            sentence,
            normalise_text(reference.paragraph or sentence),
            parenthetical,
            is_citation_only(sentence),
        )
    start, end = reference.start, reference.end
    sent_w = sentence_window(text, start, end)
    para_w = paragraph_window(text, start, end)
    sentence = _marked(text, sent_w, start, end)
    paragraph = _marked(text, para_w, start, end)
    citation_only = is_citation_only(sentence)
    claim, claim_start = sentence, sent_w.start
    if citation_only:
        previous = [s for s in sentences_in(text, Window(para_w.start, sent_w.start, "")) if s.text]
        for cand in reversed(previous[-3:]):
            cand_text = normalise_text(cand.text)
            if not is_citation_only(cand_text):
                claim, claim_start = _mark_names(cand_text, names), cand.start
                break
    following = [s for s in sentences_in(text, Window(sent_w.end, para_w.end, "")) if s.text]
    after = normalise_text(following[0].text) if following else ""
    nxt = after if CONTRAST_OPENING.match(after) else ""
    return Context(
        sentence,
        _clause(sentence),
        claim,
        paragraph,
        parenthetical,
        citation_only,
        nxt,
        after,
        sent_w,
        para_w,
        claim_start,
    )


def _mark_names(sentence: str, names: Sequence[str]) -> str:
    for name in sorted({n for n in names if n and len(n) >= 4}, key=len, reverse=True):
        sentence = re.sub(rf"(?<![\w\u27e6]){re.escape(name)}(?!\w)", REF_MARK, sentence)
    return sentence


def reference_as_written(marked: str, as_written: str) -> str:
    """A context text with the reference put back as written (for filling empty fields)."""
    return marked.replace(REF_MARK, normalise_text(as_written))


def _clause(sentence: str) -> str:
    for part in sentence.split(";"):
        if REF_MARK in part:
            return part.strip()
    return sentence


def negating_word(lexicon: Lexicon, scope_text: str, match: re.Match[str], cue: Cue) -> str | None:
    """The negating word before (or inside the gap of) a match, if any."""
    before = re.split(r"[;,.:]", scope_text[: match.start()])[-1]
    words = re.findall(r"[a-z']+", before.lower())[-lexicon.negation_window :]
    phrase_words = set(re.findall(r"[a-z']+", cue.phrase.lower()))
    inside = [w for w in re.findall(r"[a-z']+", match.group(0).lower()) if w not in phrase_words]
    for word in words + inside:
        if word in lexicon.negation_words or (word.endswith("n't") and "n't" in lexicon.negation_words):
            return word
    return None


def cue_snippet(text: str, match: re.Match[str]) -> str:
    return WHITESPACE.sub(" ", match.group(0).replace(REF_MARK, "<ref>")).strip()


def cue_applies(cue: Cue, same_litigation: bool) -> bool:
    """Whether a cue is in force for this reference (its `litigation` condition)."""
    if cue.litigation == "same":
        return same_litigation
    if cue.litigation == "other":
        return not same_litigation
    return True


def reported_speech_start(lexicon: Lexicon, scope_text: str, same_litigation: bool = False) -> tuple[int, str] | None:
    """Where, in a scope, someone other than the court starts speaking ("plaintiff argues")."""
    first: tuple[int, str] | None = None
    for cue in lexicon.cues:
        if not cue.reports or not cue_applies(cue, same_litigation):
            continue
        match = cue.pattern.search(scope_text)
        if match and (first is None or match.start() < first[0]):
            first = (match.start(), cue_snippet(scope_text, match))
    return first


_CONCESSIVE_OPENING = re.compile(
    r"(?:^|[,;:(]\s*|^(?:thus|so|and|but|indeed|still|yet),?\s+)(even though|even if|although|though|while)\b",
    re.IGNORECASE,
)


def concessive_position(scope_text: str) -> tuple[str, int] | None:
    """(concession word, offset of the reference) when the reference (REF_MARK) sits in a
    concessive clause that a main clause follows, else None."""
    at = scope_text.find(REF_MARK)
    if at < 0:
        return None
    before = scope_text[:at].split(";")[-1]
    opening = None
    for opening in _CONCESSIVE_OPENING.finditer(before):
        pass
    if opening is None:
        return None
    if re.match(r"\s+\w+ing\b", before[opening.end() :]):
        return None  # "while citing X, ...": a participle phrase, not a conceded proposition
    tail = scope_text[at + len(REF_MARK) :].split(";")[0]
    if not re.search(r",\s+\S+\s+\S+", tail):  # no main clause after the reference
        return None
    return opening.group(1).lower(), at


_PIN_OR_DATE = re.compile(r"[\s,\d\-\u2013\u2014*&;n.]*(?:\([^()]*\d{4}\))?")
_PAREN_AFTER = re.compile(r"\s*\(((?:[^()]|\([^()]*\))*)\)")


def parentheticals_after(text: str, end: int, limit: int = 3) -> str | None:
    """The explanatory parenthetical(s) right after a reference span, " | "-joined, or None.

    Used when the extractor gave none: a span may stop before its pin and court/date parenthetical
    ("431 U.S. 209" in "431 U.S. 209, 222 (1977) (plurality opinion)"), so pin pages and a dated
    parenthetical are skipped first. A dated parenthetical is never returned (it is not a
    weight note or an explanation).
    """
    if not text or end >= len(text):
        return None
    pos = _PIN_OR_DATE.match(text, end).end()
    parts: list[str] = []
    while len(parts) < limit:
        match = _PAREN_AFTER.match(text, pos)
        if not match:
            break
        inner = WHITESPACE.sub(" ", match.group(1)).strip()
        if not re.fullmatch(r"[^()]*\d{4}", inner):
            parts.append(inner)
        pos = match.end()
    return " | ".join(parts) or None


def cited_court(authority: Authority | None, reference: Reference) -> str | None:
    if authority is not None:
        if authority.court:
            return authority.court
        if "court" in (reference.extra or {}):
            return reference.extra["court"]
        guess = court_from_citation(authority.name) or court_from_citation(
            " ".join(f"{c} ," for c in authority.citations)
        )
        if guess:
            return guess
    if reference.kind == "full":
        return court_from_citation(reference.as_written)
    return reference.extra.get("court") if reference.extra else None
