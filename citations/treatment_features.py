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
  stance                  how courts distinguish ("is distinguishable", "inapposite", "unlike",
                          "this case does not ...") and criticise ("we disagree", "unpersuasive",
                          "decline to follow", "erroneous", "at odds with") in the reference's own
                          clause, its sentence, the sentence before, or the next two sentences (and
                          whether that sentence names the cited case): one feature per family of
                          wordings and one per stance, so rare wordings share a weight
  opening                 how the next one or two sentences open ("Here, ...", "Unlike ...", "Thus,
                          ..."), and a party's authority answered by distinguishing or criticising
                          wording in its sentence or the next two
  words                   word unigrams and bigrams of the reference's sentence (its claim when
                          the sentence is only a citation) and of the next sentence, with the
                          reference itself masked as <ref> and numbers as 0; valued WORD_VALUE
  named words             word unigrams and bigrams of the sentences further off (within
                          NAMED_STANCE_REACH, past the ones the other features read) that name the
                          case, the name masked as <ref>: what a court says when it comes back to
                          a case it cited ("<ref> involved", "<ref> is"); valued WORD_VALUE
"""

from __future__ import annotations

import re
from typing import Sequence

from citator.citations.courts import is_binding
from citator.citations.goodlaw import acknowledges_withdrawal, is_withdrawn_status
from citator.citations.lexicon import REF_MARK, Cue, Lexicon
from citator.citations.models import Authority, Reference
from citator.citations.names import is_generic_party
from citator.citations.treatment_context import (
    build_context,
    cited_court,
    concessive_position,
    cue_applies,
    infer_signal,
    negating_word,
    parentheticals_after,
    reported_speech_start,
)
from citator.citations.windows import Window, sentences_in

Features = dict[str, float]

#: The value of a word n-gram feature (named features are 1.0). Under the L2 penalty a feature
#: worth 0.2 needs a five times larger weight to move a label as far, so the many sparse n-grams
#: are regularised harder than the few named features and cannot drown them (0.2 was chosen by
#: grouped cross-validation by document; 1.0 let n-grams of a few opinions decide rare labels).
WORD_VALUE = 0.2
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
#: How far back (characters of raw text) the history words before a reference are looked for.
HISTORY_REACH = 400
#: A subsequent-history step: its words and their qualifiers ("aff'd in part on other grounds").
_HISTORY_STEP = (
    r"\b(?:(?:aff'd|affirmed)\s+in\s+part,?\s+(?:and\s+)?(?:rev'd|reversed|vacated)|"
    r"aff'd|affirmed|rev'd|reversed|vacated|modified|overruled|abrogated|superseded|withdrawn|"
    r"cert\.\s+denied|cert\.\s+granted|reh'g\s+(?:en\s+banc\s+)?(?:granted|denied)|aff'g|rev'g|vacating|"
    r"rev\.\s+den(?:ied|\.)?|review\s+denied|(?:appeal|aff'd)\s+after\s+remand)"
    r"(?:,?\s+(?:in\s+part|on\s+other\s+grounds|as\s+moot|without\s+opinion|mem\.|and\s+(?:remanded|reissued)))*"
)
#: The step right before a citation, with "by", "sub nom." and the later case's name.
_HISTORY_BEFORE = re.compile(
    _HISTORY_STEP + r"(?:\s+by)?,?\s*(?:sub\s+nom\.?,?\s+)?(?:(?-i:[A-Z])[\w.'&\- ]*?,\s*)?$", re.IGNORECASE
)
_HISTORY_STEP_AT_END = re.compile(_HISTORY_STEP + "$", re.IGNORECASE)
#: What may stand between history steps: commas, "and", what was vacated, a page marker.
_BETWEEN_STEPS = re.compile(r"(?:[\s,]|\b(?:and|judgment|opinion)\b|-\d+-)*$", re.IGNORECASE)
#: How the sentence after a reference opens: "Here, ...", "Unlike ...", "Thus, ..." say whether the
#: court now sets its own case against the authority or carries the authority's rule on to it.
_OPENER = re.compile(
    r"^\W*(here|in\s+this\s+case|in\s+the\s+(?:present|instant)\s+case|in\s+the\s+case\s+at\s+(?:bar|hand)|unlike|"
    r"but|however|by\s+contrast|in\s+contrast|nonetheless|nevertheless|even\s+so|thus|accordingly|so|therefore|"
    r"similarly|likewise|applying|under|as\s+in|there|that\s+case|moreover)\b",
    re.IGNORECASE,
)
_QUOTING_OPEN = re.compile(r"\((?:\s*(?:quoting|citing|cited in|alteration in original;?\s*quoting))\b[^()]*$", re.IGNORECASE)


#: (stance, family, pattern): general wordings of distinguishing and criticising. Each family was
#: counted over the unlabelled ../shared/bulk opinions (`python -m citator.lexicon_usage ...
#: --stance`); none is a phrase of one opinion.
STANCE_FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("distinguishing", "distinguishable", r"\bdistinguish(?:able|es|ed|ing)?\b"),
    ("distinguishing", "inapposite", r"\b(?:inapposite|inapplicable|not\s+apposite|not\s+(?:directly\s+|quite\s+)?on\s+point|"
     r"not\s+analogous|(?:no|little)\s+(?:relevance|application|bearing)|not\s+(?:relevant|controlling|instructive|"
     r"dispositive|helpful)|misplaced|unavailing|does\s+not\s+(?:apply|control|govern|help|aid|advance))\b"),
    ("distinguishing", "unlike / by contrast", r"\b(?:unlike|by\s+contrast|in\s+contrast|whereas|(?:quite\s+|far\s+|very\s+)?"
     r"different\s+from|differs?\s+(?:from|significantly)|distinct\s+from|at\s+a\s+(?:considerable\s+)?remove)\b"),
    ("distinguishing", "this case is not", r"\b(?:this|the\s+present|the\s+instant|our)\s+case\s+(?:\w+\s+){0,3}?"
     r"(?:is\s+not|does\s+not|did\s+not|doesn't|isn't|differs?|presents\s+no|involves\s+no|lacks)\b|"
     r"\bnot\s+(?:the\s+case|present|at\s+issue|presented)\s+here\b|\bnot\s+(?:a\s+case|the\s+situation)\s+(?:like|in\s+which|where)\b"),
    ("distinguishing", "here, however", r"\b(?:here|in\s+this\s+case|in\s+the\s+present\s+case|in\s+the\s+case\s+at\s+(?:bar|hand)|"
     r"the\s+case\s+before\s+us),?\s+(?:however|by\s+contrast|in\s+contrast|on\s+the\s+other\s+hand)\b|"
     r"\b(?:however|but),?\s+(?:here|in\s+this\s+case|in\s+the\s+present\s+case)\b"),
    ("distinguishing", "that case involved", r"\b(?:that|those|these|each\s+of\s+those)\s+cases?\s+(?:\w+\s+){0,2}?"
     r"(?:involved|concerned|addressed|dealt\s+with|turned\s+on|arose)\b|\binvolved\b[^.;]{0,80}\bhere\b"),
    ("criticising", "disagree", r"\b(?:disagree[sd]?|do\s+not\s+agree|cannot\s+agree|can't\s+agree|part\s+(?:company|ways)|"
     r"respectfully\s+differ)\b"),
    ("criticising", "unpersuasive", r"\b(?:unpersuasive|not\s+persuasive|not\s+persuaded|unconvincing|not\s+convinced|untenable|"
     r"flawed|erroneous(?:ly)?|wrongly\s+decided|mistaken(?:ly)?|incorrect(?:ly)?|misread|misreads|misconstrued?|"
     r"misapplied|erred|in\s+error|nonsensical|unsound|ill-?considered)\b"),
    ("criticising", "decline to follow", r"\b(?:declines?|declined|refuses?|refused|reluctant|unwilling|not\s+inclined)\s+"
     r"to\s+(?:follow|adopt|extend|apply|accept|embrace|endorse|join|read)\b"),
    ("criticising", "we reject", r"\b(?:we|this\s+court|the\s+court)\s+(?:\w+\s+){0,2}?(?:reject(?:s|ed)?|repudiate[sd]?|"
     r"abandon(?:s|ed)?)\b"),
    ("criticising", "at odds with", r"\b(?:at\s+odds\s+with|in\s+tension\s+with|cannot\s+be\s+reconciled|irreconcilable|"
     r"contrary\s+to|conflicts?\s+with|split\s+(?:with|from)|minority\s+(?:view|position|rule))\b"),
    ("criticising", "overruled or doubted", r"\b(?:overrul(?:e|ed|es|ing)|abrogat(?:e|ed|ing)|(?:call(?:s|ed)?|calling)\s+into\s+"
     r"(?:question|doubt)|no\s+longer\s+good\s+law|undermined|questionable|doubtful)\b"),
)
_STANCE = tuple((stance, family, re.compile(pattern, re.IGNORECASE)) for stance, family, pattern in STANCE_FAMILIES)
_MAJORITY = re.compile(r"\bthe\s+(?:majority|court's\s+opinion|majority's|court\s+today)\b", re.IGNORECASE)
#: How close (in characters) to the reference a cue in its own sentence counts as "beside it".
BESIDE = 80


#: Features that say the court sets itself against an authority. Without one of them the model's
#: `criticized_or_declined` is not trusted (a court that criticises says so, with a contrary
#: signal or criticising words at the reference), which keeps it from calling a relied-upon
#: authority criticised on the strength of vocabulary alone.
CRITICISM_EVIDENCE = (
    "signal: but see", "signal: but cf.", "signal: contra",
    "the hand-set rules say criticized_or_declined",
    'separate opinion speaks of "the majority"',
    "criticising wording beside the reference",
    "criticising wording in its own clause",
    "criticising wording in a next sentence naming the case",
)


def shows_criticism(features: Features) -> bool:
    """True when a reference's features include one of CRITICISM_EVIDENCE."""
    return any(name in features for name in CRITICISM_EVIDENCE)


def stance_hits(text: str) -> list[tuple[str, str, int]]:
    """(stance, family, offset) of every stance wording in a text."""
    return [(stance, family, m.start()) for stance, family, pattern in _STANCE for m in pattern.finditer(text)]


def _names_case(sentence: str, names: Sequence[str]) -> bool:
    low = sentence.lower()
    if re.search(r"\b(?:that|those|these|the)\s+(?:case|cases|decision|decisions|court|opinion)\b", low):
        return True
    return any(n and len(n) >= 4 and re.search(rf"(?<!\w){re.escape(n.lower())}(?!\w)", low) for n in names)


def stance_features(claim: str, clause: str, previous: str, following: Sequence[str], names: Sequence[str]) -> Features:
    """Distinguishing and criticising wordings around a reference (see STANCE_FAMILIES)."""
    f: Features = {}

    def add(stance: str, family: str, where: str) -> None:
        f[f'{stance} wording "{family}" {where}'] = 1.0
        f[f"{stance} wording {where}"] = 1.0

    mark = claim.find(REF_MARK)
    for stance, family, at in stance_hits(claim):
        add(stance, family, "in its sentence")
        if mark >= 0 and abs(at - mark) <= BESIDE:
            add(stance, family, "beside the reference")
    for stance, family, _ in stance_hits(clause):
        add(stance, family, "in its own clause")
    for stance, family, _ in stance_hits(previous):
        add(stance, family, "in the sentence before")
    for i, sentence in enumerate(following[:2]):
        hits = stance_hits(sentence)
        named = bool(hits) and _names_case(sentence, names)
        for stance, family, _ in hits:
            add(stance, family, "in the next two sentences")
            if named:
                add(stance, family, "in a next sentence naming the case")
    return f


#: How far (characters) before and after a reference's own neighbourhood a sentence that names
#: the same case and distinguishes it still speaks of it: courts often cite a case,
#: recount it over a few sentences, then say why it does not govern ("X is readily
#: distinguishable", "That holding does not apply here").
NAMED_STANCE_REACH = 3000


def naming_patterns(authority: Authority | None) -> list[re.Pattern[str]]:
    """How a sentence names an authority on its own: its short names and nicknames (a generic party
    such as "United States" does not count) and its volume and reporter ("834 F.2d"; not a
    database cite's year and "WL")."""
    if authority is None:
        return []
    names = [n for n in (*authority.short_names, *authority.nicknames) if len(n) >= 4 and not is_generic_party(n)]
    cites = [m.group(1) for c in authority.citations  # a year and "WL" name no one case
             if not re.search(r"\b(?:WL|LEXIS)\b", c) and (m := re.match(r"(\d+\s+\D.*?)\s+\d+\s*$", c))]
    return [re.compile(rf"(?<!\w){re.escape(n)}(?!\w)") for n in names] + [
        re.compile(r"(?<!\d)" + r"\s*".join(re.escape(part) for part in c.split()) + r"(?!\w)") for c in cites
    ]


def naming_sentences(text: str, window: Window | None, patterns: Sequence[re.Pattern[str]]) -> list[tuple[str, str]]:
    """("later" or "earlier", sentence) for each sentence within NAMED_STANCE_REACH that names the
    case (naming_patterns), past the reference's own sentence, the next two and the one before
    (the features that read those already see them)."""
    if not text or window is None or not patterns:
        return []
    after = sentences_in(text, Window(window.end, min(len(text), window.end + NAMED_STANCE_REACH), ""))[2:]
    before = sentences_in(text, Window(max(0, window.start - NAMED_STANCE_REACH), window.start, ""))[:-1]
    return [(where, sentence.text) for where, sentences in (("later", after), ("earlier", before))
            for sentence in sentences if any(p.search(sentence.text) for p in patterns)]


def named_stance_features(named: Sequence[tuple[str, str]]) -> Features:
    """Distinguishing wording in a sentence that names the same case (naming_sentences), further
    before or after the reference than its own and neighbouring sentences. (The same for
    criticising wording fired mostly at followed references in training, so it is not a feature.)"""
    f: Features = {}
    for where, sentence in named:
        if any(stance == "distinguishing" for stance, _, _ in stance_hits(sentence)):
            f[f"distinguishing wording {where}, in a sentence naming the case"] = 1.0
    return f


def named_sentence_words(named: Sequence[tuple[str, str]], patterns: Sequence[re.Pattern[str]]) -> Features:
    """Word n-grams of the sentences further off that name the case (naming_sentences), the name
    masked as <ref> like the reference in the sentence n-grams: what a court says when it comes back
    to a case ("<ref> is readily distinguishable", "<ref> involved"), whatever words it uses."""
    f: Features = {}
    for where, sentence in named:
        masked = sentence
        for pattern in patterns:
            masked = pattern.sub(REF_MARK, masked)
        for gram in ngrams(words(masked)):
            f[f'{where} sentence naming the case, words "{gram}"'] = WORD_VALUE
    return f


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


def previous_sentence(text: str, window: Window | None, start: int | None = None) -> str:
    """The sentence before a reference's sentence (or before its claim sentence), in its paragraph reach."""
    if not text or (window is None and start is None):
        return ""
    end = start if start is not None else window.start  # type: ignore[union-attr]
    span = Window(max(0, end - NEXT_REACH), end, "")
    found = [s.text for s in sentences_in(text, span) if s.text and s.text.strip()]
    return re.sub(r"\s+", " ", found[-1]).strip() if found else ""


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
    # the last 80 characters as a reader sees them: PDF text can put a page of blanks in between
    raw = text[max(0, reference.start - HISTORY_REACH) : reference.start]
    before = re.sub(r"\s+", " ", raw).replace("\u2019", "'")[-80:]
    history = _HISTORY_BEFORE.search(before)
    if not history:
        return False
    # the history follows a citation: its page or the close of its parenthetical, then only earlier
    # steps ("(9th Cir.), reh'g en banc granted, opinion withdrawn,"), commas, "and", what was
    # vacated, or a page marker ("1005, cert. denied", "), -7- rev'd", "judgment and opinion vacated")
    lead = _BETWEEN_STEPS.sub("", before[: history.start()])
    while (step := _HISTORY_STEP_AT_END.search(lead)) is not None:
        lead = _BETWEEN_STEPS.sub("", lead[: step.start()])
    return lead[-1:].isdigit() or lead.endswith(")")


def _cue_name(cue: Cue, scope: str, how: str = "") -> str:
    phrase = re.sub(r"\s+", " ", cue.phrase.replace("{ref}", "<ref>"))
    return f'cue "{phrase}" ({cue.label} cue) in {scope}{how}'


def cue_features(lexicon: Lexicon, context: "ContextLike", same_litigation: bool) -> Features:
    """One feature per lexicon phrase found in its scope; negated and reported-speech
    occurrences are separate features (their weights are learned too)."""
    out: Features = {}
    reporting: dict[str, tuple[int, str] | None] = {}
    for cue in lexicon.cues:
        if not cue_applies(cue, same_litigation):
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
        if negating_word(lexicon, scope_text, match, cue):
            how = ", negated"
        elif not cue.reports:
            if scope_text not in reporting:
                reporting[scope_text] = reported_speech_start(lexicon, scope_text, same_litigation)
            rep = reporting[scope_text]
            if rep is not None and rep[0] < match.start():
                how = ", in reported speech"
        out[_cue_name(cue, scope, how)] = 1.0
    return out


class ContextLike:  # documentation only: citations.treatment_context.Context has these members
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
    previous = previous_sentence(text, context.sentence_window, context.claim_start)
    f.update(stance_features(claim, context.clause, previous, following, names))
    patterns = naming_patterns(authority)
    named = naming_sentences(text, context.sentence_window, patterns)
    f.update(named_stance_features(named))
    f.update(named_sentence_words(named, patterns))
    if reference.opinion_part in ("dissent", "concurrence") and _MAJORITY.search(claim + " " + " ".join(following[:1])):
        f['separate opinion speaks of "the majority"'] = 1.0
    for i, sentence in enumerate(following):
        where = "next sentence" if i == 0 else "sentence after next"
        for hit in sorted({m.group(1).lower() for m in _CONTRAST_NEXT.finditer(sentence)}):
            f[f'{where} says "{hit}"'] = 1.0
    for i, sentence in enumerate(following):
        opener = _OPENER.match(sentence)
        if opener:
            where = "next sentence" if i == 0 else "sentence after next"
            opening = " ".join(opener.group(1).lower().split())
            f[f'{where} opens "{opening}"'] = 1.0
    if "speaker: a party's argument" in f or _PARTY.search(previous):
        for stance in ("distinguishing", "criticising"):
            if any(f"{stance} wording {where}" in f for where in ("in its sentence", "in the next two sentences")):
                f[f"a party's authority, answered by {stance} wording"] = 1.0
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

    court = cited_court(authority, reference)
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
        f[f'sentence words "{gram}"'] = WORD_VALUE
    if following:
        for gram in ngrams(words(following[0])):
            f[f'next sentence words "{gram}"'] = WORD_VALUE
    return f
