"""Named features of one reference, the inputs of the trained treatment model.

Every feature is a general statement about how courts write, named in words a researcher reads
(`signal: see also`, `next sentence words "by contrast"`), because the names double as the
label's evidence: the model's top contributions are printed with them. Feature values are 1.0
(present) unless stated.

Groups:
  kind / signal           the reference's form and its introductory signal (read from the text
                          when the extractor gave none)
  cue                     each lexicon phrase (citations/treatment_lexicon.toml) found in its scope;
                          its weight is learned, the lexicon only says where to look. A negated
                          occurrence or one in someone else's reported words is its own feature.
  parenthetical           the opening verb of the explanatory parenthetical, or a quotation
  speaker                 who states the proposition: a party, the court below, a separate
                          opinion, another authority's parenthetical ("(quoting X)")
  narration/application   "In X, the Court held ..." recounts X; "Under X, we ..." applies it
  contrast                "here", "this case", "by contrast", "unlike" in the next one or two
                          sentences, or a heading above that distinguishes
  place                   footnote, opinion part, citation-only sentence, concessive clause
  court                   binding / not binding / unknown (one weak feature), same litigation
  words                   word unigrams and bigrams of the reference's sentence (its claim when
                          the sentence is only a citation) and of the next sentence, with the
                          reference itself masked as <ref> and numbers as 0
"""

from __future__ import annotations

import re
from typing import Sequence

from citator.citations.courts import is_binding
from citator.citations.goodlaw import acknowledges_withdrawal, is_withdrawn_status
from citator.citations.lexicon import REF_MARK, Cue, Lexicon
from citator.citations.models import Authority, Reference
from citator.citations.windows import Window, sentences_in

Features = dict[str, float]

#: How far after the reference's sentence the next two sentences are looked for (characters).
NEXT_REACH = 900
_WORD = re.compile(r"<ref>|[a-z][a-z'\-]*|\d+")
_STOP = frozenset("a an the of to and in for on at by with as is be it its or that this".split())
_CONTRAST_NEXT = re.compile(
    r"\b(here|in this case|in the present case|in the instant case|the present case|this case|"
    r"by contrast|in contrast|unlike|whereas|different|differs?|distinguish\w*|inapposite|"
    r"not at issue|however|but)\b",
    re.IGNORECASE,
)
_PARTY = re.compile(
    r"\b(?:appellants?|appellees?|plaintiffs?|defendants?|petitioners?|respondents?|the government|"
    r"the state|the parties|counsel|movants?)(?:'s?)?\s+(?:\w+\s+){0,3}?"
    r"(?:argues?|argued|contends?|contended|asserts?|asserted|urges?|urged|claims?|claimed|insists?|"
    r"insisted|relies|relied|maintains?|maintained|suggests?|suggested|points? to|cites?|cited)\b",
    re.IGNORECASE,
)
_COURT_BELOW = re.compile(
    r"\b(?:the|a)\s+(?:district|trial|bankruptcy|lower|magistrate|tax|state)\s+(?:court|judge)\b"
    r"(?:\s+\w+){0,3}?\s+(?:held|found|concluded|ruled|reasoned|relied|noted|determined|applied|"
    r"rejected|stated|explained|cited|granted|denied|dismissed)\b",
    re.IGNORECASE,
)
_NARRATION = re.compile(
    rf"^(?:in|as in)\s+{re.escape(REF_MARK)}[^.;]*?\b(?:held|found|concluded|considered|addressed|"
    r"involved|upheld|struck|rejected|reasoned|ruled|decided|noted|explained|stated|determined|faced)\b",
    re.IGNORECASE,
)
_NARRATIVE_VERB = re.compile(
    r"\b(?:the|that)\s+(?:supreme\s+)?(?:court|panel|plaintiffs?|defendants?)\s+(?:there\s+)?"
    r"(?:held|found|concluded|considered|addressed|upheld|struck|rejected|reasoned|ruled|decided)\b",
    re.IGNORECASE,
)
_APPLICATION = re.compile(
    rf"\b(?:under|applying|following|pursuant to|consistent with|in accordance with|in light of|"
    rf"guided by|in line with)\s+{re.escape(REF_MARK)}",
    re.IGNORECASE,
)
_WE_APPLY = re.compile(
    r"\b(?:we|this court)\s+(?:\w+\s+){0,2}?(?:hold|apply|follow|adopt|agree|conclude|reject|decline|"
    r"disagree|find|see no|are bound|are not bound|must|have)\b",
    re.IGNORECASE,
)
_HEADING = re.compile(r"(?m)^[ \t]*(?:[IVX]+\.|[A-H]\.|\d+\.)?[ \t]*([A-Z][^\n.]{3,80})\n")
_HISTORY_BEFORE = re.compile(
    r"\b(?:aff'd|affirmed|rev'd|reversed|vacated|modified|overruled|abrogated|superseded|withdrawn|"
    r"cert\.\s+denied|cert\.\s+granted|reh'g\s+(?:en\s+banc\s+)?(?:granted|denied)|aff'g|rev'g|vacating)"
    r"(?:\s+(?:in\s+part|on\s+other\s+grounds|as\s+moot))?(?:\s+by)?,?\s*(?:[A-Z][\w.'&\- ]*?,\s*)?$",
    re.IGNORECASE,
)
_QUOTING_OPEN = re.compile(r"\((?:\s*(?:quoting|citing|cited in|alteration in original;?\s*quoting))\b[^()]*$", re.IGNORECASE)


def words(text: str) -> list[str]:
    """Lower-cased words of a context text with the reference as <ref> and numbers as 0."""
    low = text.replace(REF_MARK, " <ref> ").lower().replace("\u2019", "'")
    return ["0" if w.isdigit() else w for w in _WORD.findall(low)]


def ngrams(tokens: Sequence[str]) -> list[str]:
    """Unigrams (without stop words) and bigrams of a token list, deduplicated, in order."""
    grams = [t for t in tokens if t not in _STOP and t != "0"]
    grams += [f"{a} {b}" for a, b in zip(tokens, tokens[1:]) if not (a == "0" and b == "0")]
    return list(dict.fromkeys(grams))


def next_sentences(text: str, window: Window | None, count: int = 2) -> list[str]:
    """The `count` sentences that follow a sentence window (crossing a paragraph break)."""
    if not text or window is None:
        return []
    span = Window(window.end, min(len(text), window.end + NEXT_REACH), "")
    found = [s.text for s in sentences_in(text, span) if s.text and s.text.strip()]
    return [re.sub(r"\s+", " ", s).strip() for s in found[:count]]


def heading_above(text: str, start: int, reach: int = 3000) -> str:
    """The nearest heading line above a reference: a short line with no closing period."""
    lo = max(0, start - reach)
    last = ""
    for match in _HEADING.finditer(text, lo, start):
        line = match.group(1).strip()
        if len(line.split()) <= 12 and not line.endswith((",", ";")):
            last = line
    return last


def nested_in_parenthetical(text: str, reference: Reference) -> bool:
    """True when the reference sits inside another citation's "(quoting ...)"/"(citing ...)"."""
    before = text[max(0, reference.start - 300) : reference.start] if text else ""
    return bool(_QUOTING_OPEN.search(before))


def is_history_citation(text: str, reference: Reference) -> bool:
    """True when the reference is the later decision in another case's subsequent history
    ("X, 400 F.2d 5, vacated, 500 U.S. 1"): it is that case's history, not a cite in its own right."""
    if not text or reference.kind != "full":
        return False
    before = re.sub(r"\s+", " ", text[max(0, reference.start - 80) : reference.start]).replace("\u2019", "'")
    return bool(_HISTORY_BEFORE.search(before)) and bool(re.search(r"\d", before))


def _cue_name(cue: Cue, scope: str, how: str = "") -> str:
    phrase = re.sub(r"\s+", " ", cue.phrase.replace("{ref}", "<ref>"))
    return f'cue "{phrase}" ({cue.label} cue) in {scope}{how}'


def cue_features(lexicon: Lexicon, context: "ContextLike", same_litigation: bool) -> Features:
    """One feature per lexicon phrase found in its scope; negated and reported-speech
    occurrences are separate features (their weights are learned too)."""
    from citator.citations.treatment import _applies, _negated, _reporting_start

    out: Features = {}
    reporting: dict[str, tuple[int, str] | None] = {}
    for cue in lexicon.cues:
        if not _applies(cue, same_litigation):
            continue
        scope = cue.scope
        scope_text = context.scope(scope)
        if not scope_text or (cue.anchored and REF_MARK not in scope_text):
            if cue.anchored and context.citation_only and scope in ("clause", "sentence"):
                scope, scope_text = "claim", context.claim
                if REF_MARK not in scope_text:
                    continue
            else:
                continue
        match = cue.pattern.search(scope_text)
        if not match:
            continue
        how = ""
        if _negated(lexicon, scope_text, match, cue):
            how = ", negated"
        elif not cue.reports:
            if scope_text not in reporting:
                reporting[scope_text] = _reporting_start(lexicon, scope_text, same_litigation)
            rep = reporting[scope_text]
            if rep is not None and rep[0] < match.start():
                how = ", in reported speech"
        out[_cue_name(cue, scope, how)] = 1.0
    return out


class ContextLike:  # documentation only: citations.treatment.Context has these members
    sentence: str
    claim: str
    citation_only: bool

    def scope(self, name: str) -> str: ...


def reference_features(
    reference: Reference,
    text: str,
    authority: Authority | None,
    *,
    citing_court: str | None,
    same_litigation: bool,
    lexicon: Lexicon,
) -> Features:
    """Every named feature of one reference (see the module docstring)."""
    from citator.citations.treatment import (
        _authority_court,
        build_context,
        concessive_position,
        infer_signal,
        parentheticals_after,
    )

    names = (authority.short_names + authority.nicknames) if authority is not None else ()
    context = build_context(reference, text, names)
    f: Features = {f"kind: {reference.kind}": 1.0}

    signal = (reference.signal or "none").lower()
    if signal == "none":
        signal = infer_signal(context.sentence) or "none"
    f[f"signal: {signal}"] = 1.0

    f.update(cue_features(lexicon, context, same_litigation))

    parenthetical = reference.parenthetical
    if not parenthetical and text and reference.end <= len(text):
        parenthetical = parentheticals_after(text, reference.end)
    for part in (parenthetical or "").split(" | "):
        low = part.strip().lower().lstrip("\"'( ")
        if not low:
            continue
        if part.strip().startswith(('"', "\u201c")):
            f["parenthetical quotes the authority"] = 1.0
            continue
        verb = re.match(r"[a-z]+", low)
        if verb and verb.group(0).endswith("ing"):
            f[f'parenthetical opens "{verb.group(0)}"'] = 1.0
        elif re.search(r"\b(?:dissent|concurr)\w*", low):
            f["parenthetical: a separate opinion"] = 1.0

    claim = context.claim
    before_ref = claim.split(REF_MARK, 1)[0] if REF_MARK in claim else claim
    nested = signal in ("quoting", "citing") or nested_in_parenthetical(text, reference)
    if nested:
        f["speaker: another authority's parenthetical (quoting/citing)"] = 1.0
    if _PARTY.search(before_ref) or _PARTY.search(context.sentence.split(REF_MARK, 1)[0]):
        f["speaker: a party's argument"] = 1.0
    if _COURT_BELOW.search(claim):
        f["speaker: the court below"] = 1.0
    if reference.opinion_part in ("dissent", "concurrence"):
        f[f"speaker: a separate opinion ({reference.opinion_part})"] = 1.0
    elif reference.opinion_part == "syllabus":
        f["speaker: the reporter's syllabus"] = 1.0

    if _NARRATION.search(claim) or _NARRATIVE_VERB.search(claim):
        f['narration: "In <ref>, the court held ..."'] = 1.0
    if _APPLICATION.search(claim):
        f['application: "Under <ref>, ..."'] = 1.0
    if _WE_APPLY.search(claim):
        f['the court speaks: "we hold / we apply ..."'] = 1.0

    following = next_sentences(text, context.sentence_window)
    for i, sentence in enumerate(following):
        where = "next sentence" if i == 0 else "sentence after next"
        for hit in sorted({m.group(1).lower() for m in _CONTRAST_NEXT.finditer(sentence)}):
            f[f'{where} says "{hit}"'] = 1.0
    if text:
        heading = heading_above(text, reference.start).lower()
        if re.search(r"distinguish|inapposite|unlike|differ", heading):
            f["heading above distinguishes"] = 1.0

    if reference.in_footnote:
        f["in a footnote"] = 1.0
    if context.citation_only:
        f["citation-only sentence (claim read from the sentence before)"] = 1.0
    if reference.kind != "name_only":
        hit = concessive_position(context.sentence) or concessive_position(context.claim)
        if hit:
            f["in a concessive clause (although/while ...)"] = 1.0
    if reference.quotation:
        f["quotes the authority"] = 1.0
    if is_history_citation(text, reference):
        f["subsequent history of another citation"] = 1.0

    court = _authority_court(authority, reference)
    binding = is_binding(court, citing_court)
    f[{True: "court: binding on the citing court", False: "court: not binding on the citing court"}.get(
        binding, "court: relationship unknown")] = 1.0
    if same_litigation:
        f["same litigation (earlier decision in this case)"] = 1.0
    if authority is not None and is_withdrawn_status(authority.status):
        if acknowledges_withdrawal(reference, text, authority):
            f["authority withdrawn; the passage notes it"] = 1.0
        else:
            f["authority withdrawn; not noted here"] = 1.0

    for gram in ngrams(words(claim)):
        f[f'sentence words "{gram}"'] = 1.0
    if following:
        for gram in ngrams(words(following[0])):
            f[f'next sentence words "{gram}"'] = 1.0
    return f
