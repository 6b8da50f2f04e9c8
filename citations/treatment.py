"""Classify how a citing opinion treats a cited authority, one reference at a time, explainably.

Labels (the corpus README is the spec):
  followed                the seed's holding is applied as controlling law / the rule of decision
  relied_on               cited approvingly as support (see, accord, quoted with approval), not as
                          the governing rule; includes support from a separate opinion
  cited_neutral           background, facts, procedural history, a party's argument, what a court
                          below did with it, string-cite filler, subsequent history of another case
  distinguished           the seed differs from the case or does not control it
  criticized_or_declined  disagreement, but see, declining to follow, correcting the decision below
  noted_withdrawn         the reference says the seed was withdrawn/vacated/overruled/superseded

Why rules and not a trained model: the labelled corpus is small and skewed, and researchers need to
see *why* a reference got its label, so every vote is a named cue from a data file
(treatment_lexicon.toml) and lands in `Reference.evidence`. Votes are summed per label; a
disagreement, distinction, withdrawal or neutral cue beats support when it outweighs the support
cues; support is then split into followed / relied_on by the cues and by the court hierarchy
(only a binding court's holding can be "followed"). References with no cue of their own that sit in
a chain (id., short cites, a name repeated in the same passage) take the treatment of the passage.

Structural rules beside the lexicon (each leaves a line in the evidence):
  - a passage is a paragraph (plus a block quotation introduced by its last sentence, ending ":");
    chains never cross a paragraph break or a sentence that turns with "However, ..."/"But ...";
  - a citation inside a concessive clause ("Although '...', X, we hold ...") backs a premise the
    court grants: relied_on, and the main clause's cues are not its treatment;
  - a footnote reference with no signal or cue of support is an aside: cited_neutral;
  - an authority the opinion itself says no longer stands is not followed elsewhere in it;
  - the decision under review (same litigation) cited for a finding the court does not fault is
    relied_on; for a finding under challenge, cited_neutral; corrected, criticized_or_declined
    (lexicon blocks with `litigation = "same"`).

Case-level roll-up (`aggregate`) is here too, because it is defined in terms of these labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

from citator.citations.courts import court_from_citation, is_binding
from citator.citations.goodlaw import acknowledges_withdrawal, is_withdrawn_status
from citator.citations.lexicon import REF_MARK, Lexicon, default_lexicon
from citator.citations.models import TREATMENT_RANKING, TREATMENTS, Authority, Reference
from citator.citations.windows import Window, paragraph_window, sentence_window, sentences_in
from citator.citations.treatment_context import (
    build_context,
    cited_court,
    concessive_position,
    Context,
    CONTRAST_OPENING,
    cue_applies,
    cue_snippet,
    infer_signal,
    negating_word,
    normalise_text,
    parentheticals_after,
    reference_as_written,
    reported_speech_start,
    WHITESPACE,
)

SUPPORT = ("followed", "relied_on")
#: Prior given to the court-hierarchy split of support; small, so any explicit cue outweighs it.
BINDING_PRIOR = 0.8
UNKNOWN_COURT_PRIOR = 0.2
SAME_LITIGATION_NEUTRAL = 1.0
QUOTATION_SUPPORT = 0.4
#: Footnotes and separate opinions rarely *apply* a holding as the rule of decision.
FOOTNOTE_PRIOR = 1.0
SEPARATE_OPINION_PRIOR = 0.5
#: Weak vote from the claim's grammatical mood (see _vote_mood).
RULE_WEIGHT = 0.3
#: A noted_withdrawn vote this strong (an anchored clause cue, or the authority's own status)
#: is clear enough to make the authority history throughout the opinion.
WITHDRAWN_CLEAR = 4.0
#: Chain inheritance: how far back (characters) a cue-less reference looks for its passage's label.
CHAIN_REACH = 900

# --------------------------------------------------------------------------------------------
# Cue matching with negation and concession
# --------------------------------------------------------------------------------------------


def _conceded(lexicon: Lexicon, scope_text: str, match: re.Match[str]) -> str | None:
    before = scope_text[: match.start()].split(";")[-1].lower()
    for word in lexicon.concession_words:
        if re.search(rf"(?:^|[,(\-\u2014]\s*|\s)({re.escape(word)})\b", before):
            tail = scope_text[match.end() :]
            if "," in tail or ";" in tail:  # a main clause follows the concession
                return word
    return None


@dataclass
class _Votes:
    scores: dict[str, float] = field(default_factory=lambda: {t: 0.0 for t in TREATMENTS})
    evidence: list[str] = field(default_factory=list)
    own_cues: int = 0

    def add(self, label: str, weight: float, note: str, own: bool = True) -> None:
        self.scores[label] += weight
        self.evidence.append(f"{note} -> {label} (+{weight:g})")
        if own:
            self.own_cues += 1


#: A reference inside a concessive clause that precedes the main clause: "Although '...', X, a
#: union must ...", "Thus, although ..., X, we hold ...". The court grants the point X supports
#: and then says something of its own; X backs the premise, it is not the holding.
CONCESSION_SUPPORT = 2.0
def _conceded_scopes(reference: Reference, context: Context) -> dict[str, int]:
    """Scopes (sentence, clause, claim) in which the reference stands in a concessive clause,
    mapped to the reference's offset there, plus "_word" (the concession word); empty if none.

    Only a citation supports the conceded proposition; a case *named* in the concessive clause is
    its topic ("Though X outlined the factors, it did not say ..."), a description of X.
    """
    if reference.kind == "name_only":
        return {}
    found: dict[str, Any] = {}
    word = ""
    for scope_name in ("sentence", "clause", "claim"):
        hit = concessive_position(context.scope(scope_name))
        if hit:
            word = word or hit[0]
            found[scope_name] = hit[1]
    if not found:
        return {}
    found["_word"] = word
    return found


def _vote_cues(
    lexicon: Lexicon,
    context: Context,
    votes: _Votes,
    same_litigation: bool = False,
    main_clause_after: dict[str, int] | None = None,
) -> None:
    """Vote every lexicon cue found in its scope. `main_clause_after` maps a scope name to the
    offset of the reference when it stands in a concessive clause: support cues after it belong to
    the main clause, the court's own statement, and are not the reference's treatment."""
    seen: set[tuple[str, str]] = set()
    reporting: dict[str, tuple[int, str] | None] = {}
    voted: set[tuple[str, str]] = set()
    for cue in lexicon.cues:
        if not cue_applies(cue, same_litigation):
            continue
        scope_name_raw = cue.scope
        scope_text = context.scope(cue.scope)
        match = cue.pattern.search(scope_text) if scope_text and (not cue.anchored or REF_MARK in scope_text) else None
        if match is None and cue.anchored and context.citation_only and cue.scope in ("clause", "sentence"):
            # a bare cite supports the proposition before it, where its case is named
            scope_name_raw, scope_text = "claim", context.claim
            match = cue.pattern.search(scope_text) if REF_MARK in scope_text else None
        if not match:
            continue
        snippet = cue_snippet(scope_text, match)
        if (cue.group, cue.scope) in voted:
            continue
        cut = (main_clause_after or {}).get(scope_name_raw)
        if cut is not None and cue.label in SUPPORT and match.start() > cut:
            votes.evidence.append(f"in the main clause after a conceded reference, ignored: '{snippet}'")
            continue
        if not cue.reports and cue.label not in ("cited_neutral", "noted_withdrawn"):
            if scope_text not in reporting:
                reporting[scope_text] = reported_speech_start(lexicon, scope_text, same_litigation)
            rep = reporting[scope_text]
            if rep is not None and rep[0] < match.start():
                votes.evidence.append(f"reported speech ('{rep[1]}'), ignored: '{snippet}'")
                continue
        key = (cue.label, snippet.lower())
        if key in seen:
            continue
        seen.add(key)
        scope_name = {
            "claim": "claim sentence" if context.citation_only else "sentence",
            "next": "next sentence",
            "after": "following sentence",
        }.get(scope_name_raw, scope_name_raw)
        neg = negating_word(lexicon, scope_text, match, cue)
        if neg:
            if cue.negated_label:
                votes.add(cue.negated_label, cue.weight, f"negated: '{neg} ... {snippet}' in {scope_name}")
            else:
                votes.evidence.append(f"negated, ignored: '{neg} ... {snippet}' in {scope_name}")
            continue
        # A neutral remark conceded about a case ("Although X did not address Y, ...") is still
        # what the sentence says of X itself; only a bare cite of the claim supports the main clause.
        if cue.concessive and (cue.label != "cited_neutral" or context.citation_only):
            word = _conceded(lexicon, scope_text, match)
            if word:
                votes.evidence.append(f"conceded ('{word}'), ignored: '{snippet}' in {scope_name}")
                continue
        votes.add(cue.label, cue.weight, f"cue '{snippet}' in {scope_name}")
        voted.add((cue.group, cue.scope))


_RULE_MODAL = re.compile(
    r"\b(?:may|must|cannot|can|shall|should|requires?|is required|are required|need not)\b", re.IGNORECASE
)
_NARRATIVE_PAST = re.compile(r"\b(?:held|found|considered|concluded|reasoned|was|were|had|did)\b", re.IGNORECASE)


def _vote_mood(context: Context, votes: _Votes) -> None:
    """Grammatical mood of the claim: a rule stated with a modal and no past-tense narration ("a
    union may charge ...") is law the court uses. A weak vote, so any explicit cue outweighs it.
    (The converse, past-tense narration as a neutral cue, was measured and hurt: opinions state
    the holdings they apply in the past tense too.)"""
    claim = context.claim.replace(REF_MARK, " ")
    modal = _RULE_MODAL.search(claim)
    if modal and not _NARRATIVE_PAST.search(claim):
        votes.add("followed", RULE_WEIGHT, f"rule stated with a modal ('{modal.group(0)}')", own=False)


def _vote_parenthetical(lexicon: Lexicon, reference: Reference, votes: _Votes, text: str = "") -> None:
    parenthetical = reference.parenthetical
    if not parenthetical and text and reference.end <= len(text):
        parenthetical = parentheticals_after(text, reference.end)
        if parenthetical:
            votes.evidence.append(f"parenthetical read from the text: '({parenthetical[:60]})'")
    if not parenthetical:
        return
    for part in parenthetical.split(" | "):
        part = normalise_text(part)
        low = part.lower().strip("\"'( ")
        hit = None
        for verb in sorted(lexicon.parenthetical_verbs, key=len, reverse=True):
            if low.startswith(verb) or re.search(rf"(?:^|,\s*)[a-z.,\s]*{re.escape(verb)}$", low):
                hit = verb
                break
        if hit:
            label, weight = lexicon.parenthetical_verbs[hit]
            votes.add(label, weight, f"parenthetical verb '{hit}'")
        elif part.startswith(('"', "\u201c")):
            votes.add("relied_on", QUOTATION_SUPPORT, "parenthetical quotes the seed")


def _confidence(scores: dict[str, float], label: str) -> float:
    top = scores[label]
    others = sorted((v for k, v in scores.items() if k != label), reverse=True)
    second = others[0] if others else 0.0
    return round(max(0.05, min(0.99, 0.5 + 0.5 * (top - second) / (top + second + 1.0))), 3)


def classify_rules(
    reference: Reference,
    text: str,
    authority: Authority | None = None,
    *,
    citing_family: str | None = None,
    citing_court: str | None = None,
    lexicon: Lexicon | None = None,
) -> Reference:
    """The hand-weighted rule classifier (the baseline the trained model is scored against):
    a copy of `reference` with `treatment`, `confidence` and `evidence` filled.

    `text` is the opinion the offsets point into. `authority` (the cited seed) enables the court
    hierarchy and good-law checks; `citing_family` marks same-litigation citations;
    `citing_court` (a CourtListener court id such as "ca1") lets binding authority be told from
    persuasive authority. Keeps `opinion_part`: a dissent's approval stays the dissent's.
    """
    lexicon = lexicon or default_lexicon()
    names = (authority.short_names + authority.nicknames) if authority is not None else ()
    context = build_context(reference, text, names)
    votes = _Votes()
    if context.citation_only:
        claim = context.claim.replace(REF_MARK, "<ref>")
        short = claim if len(claim) <= 90 else claim[:87] + "..."
        votes.evidence.append(f"citation-only sentence: claim read from the sentence before: '{short}'")

    signal = (reference.signal or "none").lower()
    inferred = ""
    if signal == "none":
        signal = infer_signal(context.sentence) or "none"
        inferred = " (read from the text)" if signal != "none" else ""
    if signal in lexicon.signals:
        label, weight = lexicon.signals[signal]
        votes.add(label, weight, f"signal: {signal}{inferred}", own=signal not in ("see",))
    same_litigation = bool(citing_family and authority is not None and authority.family == citing_family)
    _vote_parenthetical(lexicon, reference, votes, text)
    conceded = _conceded_scopes(reference, context)
    if conceded:
        word = conceded.pop("_word")
        votes.add("relied_on", CONCESSION_SUPPORT, f"in a concessive clause ('{word} ...'): a premise the court grants")
    _vote_cues(lexicon, context, votes, same_litigation, conceded)
    if not conceded:  # a conceded reference's sentence states its rule in the main clause
        _vote_mood(context, votes)
    if reference.quotation:
        votes.add("relied_on", QUOTATION_SUPPORT, "quotes the seed", own=False)

    acknowledged: bool | None = None
    if authority is not None and is_withdrawn_status(authority.status):
        acknowledged = acknowledges_withdrawal(reference, text, authority)
        if acknowledged:
            votes.add("noted_withdrawn", 4.0, f"authority {authority.status}; the passage acknowledges it")
        else:
            votes.evidence.append(f"authority {authority.status} but not acknowledged here: relies_on_withdrawn")

    if same_litigation:
        votes.add(
            "cited_neutral", SAME_LITIGATION_NEUTRAL, f"same litigation ({citing_family}): earlier ruling", own=False
        )

    label = _decide(votes, reference, authority, citing_court, same_litigation, signal in ("quoting", "citing"))
    if reference.opinion_part in ("dissent", "concurrence") and label in SUPPORT:
        votes.evidence.append(
            f"in {reference.opinion_part}: the approval is the {reference.opinion_part}'s, not the court's"
        )
    extra = dict(reference.extra or {})
    extra["own_cues"] = votes.own_cues
    if context.claim_start is not None:
        extra["claim_start"] = context.claim_start
    extra["scores"] = {k: round(v, 3) for k, v in votes.scores.items() if v}
    if acknowledged is not None:
        extra["relies_on_withdrawn"] = not acknowledged  # see citations.goodlaw.relies_on_withdrawn
    return replace(
        reference,
        sentence=reference.sentence or reference_as_written(context.sentence, reference.as_written),
        paragraph=reference.paragraph or reference_as_written(context.paragraph, reference.as_written),
        treatment=label,
        confidence=_confidence(votes.scores, label) if votes.own_cues else 0.4,
        evidence=tuple(votes.evidence),
        extra=extra,
    )


def _decide(
    votes: _Votes,
    reference: Reference,
    authority: Authority | None,
    citing_court: str | None,
    same_litigation: bool,
    nested: bool = False,
) -> str:
    """Pick the label: the strongest non-support vote if it beats support, else split support.

    `nested`: the reference sits inside another citation's "(quoting ...)"/"(citing ...)"
    parenthetical, so the court relies on the other authority; the court hierarchy alone cannot
    make it `followed` there.
    """
    scores = votes.scores
    support = scores["followed"] + scores["relied_on"]
    contrary = max((t for t in TREATMENTS if t not in SUPPORT), key=lambda t: scores[t])
    if scores[contrary] > support:
        return contrary
    if reference.in_footnote and support == 0 and reference.opinion_part not in ("dissent", "concurrence"):
        votes.evidence.append("in a footnote with no signal or cue of support: an aside -> cited_neutral")
        return "cited_neutral"
    if reference.in_footnote:
        votes.add("relied_on", FOOTNOTE_PRIOR, "in a footnote: an aside, not the rule of decision", own=False)
    if reference.opinion_part in ("dissent", "concurrence"):
        votes.add(
            "relied_on",
            SEPARATE_OPINION_PRIOR,
            f"in a {reference.opinion_part}: not the court's rule of decision",
            own=False,
        )
    court = cited_court(authority, reference)
    binding = is_binding(court, citing_court)
    if same_litigation and court is not None and court == citing_court:
        binding = True  # law of the case: the same court's earlier ruling in the same litigation
    if binding is True and nested:
        votes.evidence.append(
            f"court: {court} binds, but the reference is cited through another authority's parenthetical"
        )
    elif binding is True:
        votes.add("followed", BINDING_PRIOR, f"court: {court} binds {citing_court or 'the citing court'}", own=False)
    elif binding is False:
        votes.add(
            "relied_on", BINDING_PRIOR, f"court: {court} does not bind {citing_court or 'the citing court'}", own=False
        )
    else:
        votes.add("followed", UNKNOWN_COURT_PRIOR, "court unknown: default to followed", own=False)
    return "followed" if scores["followed"] >= scores["relied_on"] else "relied_on"


def classify_all_rules(
    references: Sequence[Reference],
    text: str,
    authorities: Iterable[Authority] = (),
    *,
    citing_family: str | None = None,
    citing_court: str | None = None,
    lexicon: Lexicon | None = None,
) -> list[Reference]:
    """The rule baseline over one opinion, letting chain members share their passage's label.

    A reference with no cue of its own (a bare "Id. at 5." or a repeated name) takes the label of
    the closest earlier reference to the same authority in the same paragraph (within CHAIN_REACH
    characters) that did have cues. The court of an authority with no `court` is read from the
    opinion's own full citation of it ("(1st Cir. 1999)").
    """
    resolved = authorities_in_opinion(references, text, authorities)
    results: list[Reference] = []
    ordered = sorted(range(len(references)), key=lambda i: references[i].start)
    out: dict[int, Reference] = {}
    for i in ordered:
        ref = references[i]
        authority = resolved[i]
        done = classify_rules(
            ref, text, authority, citing_family=citing_family, citing_court=citing_court, lexicon=lexicon
        )
        if not done.extra.get("own_cues"):
            prev = _chain_head(done, [out[j] for j in ordered if j in out], text)
            if prev is not None:
                extra = dict(done.extra)
                extra["chain_head"] = prev.extra.get("chain_head", prev.start)
                done = replace(
                    done,
                    extra=extra,
                    treatment=prev.treatment,
                    confidence=round(0.8 * (prev.confidence or 0.5), 3),
                    evidence=done.evidence
                    + (f"chain: shares the treatment of '{WHITESPACE.sub(' ', prev.as_written)}' at {prev.start}",),
                )
        out[i] = done
    _superseded_is_history(out)
    results = [out[i] for i in range(len(references))]
    return results


def authorities_in_opinion(
    references: Sequence[Reference], text: str, authorities: Iterable[Authority]
) -> list[Authority | None]:
    """The authority each reference cites, with its court read from the opinion's own full
    citation of it ("(1st Cir. 1999)") when the authority has none."""
    by_key = {a.key: a for a in authorities}
    courts: dict[str, str] = {}
    for ref in references:
        if ref.kind == "full" and ref.authority_key and ref.authority_key not in courts:
            found = court_from_citation(_with_court_parenthetical(ref, text))
            if found:
                courts[ref.authority_key] = found
    out: list[Authority | None] = []
    for ref in references:
        authority = by_key.get(ref.authority_key or "")
        if authority is not None and authority.court is None and ref.authority_key in courts:
            authority = replace(authority, court=courts[ref.authority_key])
        out.append(authority)
    return out


def _superseded_is_history(out: dict[int, Reference]) -> None:
    """An authority the opinion itself says was reversed, overruled or superseded is not applied as
    controlling law anywhere in that opinion: its other references that only the court hierarchy
    made `followed` recount the old rule, so they become cited_neutral (in place)."""
    withdrawn = {
        r.authority_key
        for r in out.values()
        if r.treatment == "noted_withdrawn"
        and r.authority_key
        and r.extra.get("scores", {}).get("noted_withdrawn", 0.0) >= WITHDRAWN_CLEAR
    }
    for i, ref in out.items():
        if ref.authority_key not in withdrawn or ref.treatment != "followed":
            continue
        scores = ref.extra.get("scores", {})
        if scores.get("followed", 0.0) > BINDING_PRIOR + RULE_WEIGHT:
            continue  # an explicit cue says the court applies it here: leave it
        out[i] = replace(
            ref,
            treatment="cited_neutral",
            evidence=ref.evidence + ("the opinion notes elsewhere that this authority no longer stands: history",),
        )


def _with_court_parenthetical(ref: Reference, text: str) -> str:
    """The citation plus the court/date parenthetical that follows it, if the span stops short."""
    written = ref.as_written
    if text and ref.end <= len(text) and not written.rstrip().endswith(")"):
        tail = text[ref.end : ref.end + 120]
        close = tail.find(")")
        if close != -1 and re.match(r"[\s,\d\-\u2013*]*\(", tail):
            written += tail[: close + 1]
    return written


def _contrast_between(text: str, start: int, end: int) -> bool:
    """True when a sentence opening with a contrast word ("However, ...") lies between two offsets:
    the passage turns there, so the label before the turn does not carry over."""
    if not text or end <= start:
        return False
    return any(CONTRAST_OPENING.match(normalise_text(s.text)) for s in sentences_in(text, Window(start, end, "")) if s.start > start)


def _same_passage(text: str, prev: Reference, para_start: int) -> bool:
    """True when `prev` is in the paragraph starting at `para_start`, or in the paragraph right
    before it and that paragraph ends with a colon: a block quotation (set off as its own indented
    paragraph) belongs to the sentence that introduces it ("This court explained ... in X:")."""
    prev_para = paragraph_window(text, prev.start, prev.end)
    if prev_para.start == para_start:
        return True
    return prev_para.end <= para_start and not text[prev_para.end : para_start].strip() and (
        text[prev_para.start : prev_para.end].rstrip().endswith(":")
    )


def _chain_head(ref: Reference, earlier: list[Reference], text: str) -> Reference | None:
    """The reference whose passage label a cue-less reference shares, or None.

    Only the nearest earlier reference to the same authority counts, and only when it sits in the
    same paragraph and opinion part. A link that had no cue of its own passes on its own head's
    label, but never across a paragraph break: a passage ends with its paragraph, so a label read
    from one passage cannot run on through the rest of the opinion.
    """
    para_start = paragraph_window(text, ref.start, ref.end).start if text else None
    for prev in reversed(earlier):
        if prev.authority_key != ref.authority_key:
            continue
        if ref.start - prev.end > CHAIN_REACH or prev.opinion_part != ref.opinion_part:
            return None
        if para_start is not None and not _same_passage(text, prev, para_start):
            return None
        if _contrast_between(text, prev.end, ref.start):
            return None
        if prev.extra.get("own_cues"):
            return prev
        if prev.extra.get("chain_head") is None:
            return None  # the nearest link has no cue either: the chain has no passage label
        return prev  # every link was checked to be in the same passage when it was chained
    return None


# --------------------------------------------------------------------------------------------
# The trained model (the default classifier), with the exact withdrawal rules layered over it
# --------------------------------------------------------------------------------------------

#: What may stand between a citation and its subsequent history: pin pages, "n.4", page markers
#: ("-7-"), and its court/date and explanatory parentheticals; never a full stop, so the
#: disposition that ends an opinion ("(1993). Vacated and remanded.") is not taken for history.
_CITATION_TAIL = r"(?:[\s,\d\-\u2013*]|\bnn?\.|\([^()]*(?:\([^()]*\)[^()]*)*\))*"
#: A history step that leaves the decision standing, with the later court's cite:
#: "aff'd mem., 915 F.2d 1557 (1st Cir. 1990)", "cert. denied, 498 U.S. 1081 (1991)".
_STANDING_STEP = (
    r"(?:aff'd|affirmed|cert\.?\s+denied|cert\.?\s+granted|cert\.?\s+dismissed|"
    r"reh'g(?:\s+en\s+banc)?\s+denied|modified|amended|appeal\s+dismissed)"
    r"(?:\s+mem\.)?(?:\s+(?:sub\s+nom\.|on\s+other\s+grounds))?,?\s+[^;()]{0,160}?\([^()]*\d{4}\)"
)
#: The step that ends it, in whole or in part: "vacated", "rev'd", "aff'd in part and rev'd in
#: part", "judgment and opinion vacated", "reh'g en banc granted, opinion withdrawn".
_ENDING_STEP = (
    r"(?:(?:aff'd|affirmed)\s+in\s+part(?:\s+and|,)\s+)?"
    r"(?:(?:and\s+)?(?:reh'g|rehearing)\s+(?:en\s+banc\s+)?granted,?\s*(?:and\s+)?)?"
    r"(?:(?:judgment|opinion)(?:\s+and\s+(?:judgment|opinion))?\s+)?"
    r"(?:vacated|withdrawn|rev'd|reversed|overruled|abrogated|superseded|op(?:inion)?\.?\s+withdrawn)\b"
)
#: A reference's own subsequent history noting that it no longer stands: right after the cite,
#: any steps that left it standing, then one that did not ("X, 734 F. Supp. 561 (D. Mass.),
#: aff'd mem., 915 F.2d 1557 (1st Cir. 1990), vacated, 112 S. Ct. 748").
_OWN_HISTORY = re.compile(
    "^" + _CITATION_TAIL + "(?:" + _STANDING_STEP + _CITATION_TAIL + ")*" + _ENDING_STEP, re.IGNORECASE
)
_WITHDRAWAL_WORD = re.compile(
    r"\b(?:vacated|vacating|withdrawn|withdrew|rev'd|reversed|overrul\w*|abrogat\w*|supersed\w*|"
    r"no longer good law|no longer precedential)\b",
    re.IGNORECASE,
)


def notes_own_withdrawal(reference: Reference, text: str) -> bool:
    """True when the subsequent history written right after the reference says it was vacated,
    reversed, withdrawn, overruled, abrogated or superseded ("X, 1 F.3d 1 (1st Cir. 1999),
    vacated, 2 F.3d 2"); "aff'd" and "cert. denied" do not count."""
    if reference.subsequent_history and _WITHDRAWAL_WORD.search(reference.subsequent_history):
        return True
    if not text or reference.end > len(text):
        return False
    tail = text[reference.end : reference.end + 400].replace("\u2019", "'")
    return bool(_OWN_HISTORY.match(tail))


def _withdrawal_in_own_clause(context: Context) -> bool:
    """A withdrawal word in the part of the sentence that belongs to this reference: its clause,
    cut at the neighbouring citations' semicolons, or its parenthetical."""
    return bool(_WITHDRAWAL_WORD.search(context.clause) or _WITHDRAWAL_WORD.search(context.parenthetical))


def opinion_features(
    references: Sequence[Reference],
    text: str,
    authorities: Iterable[Authority] = (),
    *,
    citing_family: str | None = None,
    citing_court: str | None = None,
    lexicon: Lexicon | None = None,
) -> list[dict[str, float]]:
    """The model's named features for every reference of one opinion (training reads these too,
    so what the model learns from and what it labels are computed by one function)."""
    return _features_and_rule_verdicts(
        references, text, authorities, citing_family=citing_family, citing_court=citing_court, lexicon=lexicon
    )[0]


def _features_and_rule_verdicts(
    references: Sequence[Reference],
    text: str,
    authorities: Iterable[Authority] = (),
    *,
    citing_family: str | None = None,
    citing_court: str | None = None,
    lexicon: Lexicon | None = None,
) -> tuple[list[dict[str, float]], list[Reference]]:
    """opinion_features, plus the hand-set rules' labelled references (their reasons explain the
    "the hand-set rules say ..." feature in the evidence)."""
    from citator.citations.treatment_features import reference_features

    lexicon = lexicon or default_lexicon()
    authorities = list(authorities)
    # The hand-set rules' verdict is one feature among the others: it sums the lexicon's cues
    # with negation, concession and reported speech handled, and its weight is learned too.
    ruled = classify_all_rules(
        references, text, authorities, citing_family=citing_family, citing_court=citing_court, lexicon=lexicon
    )
    out = []
    for ref, authority, by_rules in zip(references, authorities_in_opinion(references, text, authorities), ruled):
        same = bool(citing_family and authority is not None and authority.family == citing_family)
        features = reference_features(
            ref, text, authority, citing_court=citing_court, same_litigation=same, lexicon=lexicon
        )
        features[f"the hand-set rules say {by_rules.treatment}"] = 1.0
        out.append(features)
    return out, ruled


def _explain_rules_feature(evidence: list[str], by_rules: Reference) -> list[str]:
    """Spell out the rules' own reasons where their verdict is one of the listed features:
    `the hand-set rules say followed (court: scotus binds ca1 +0.8) -> followed +1.16`."""
    reasons = [re.sub(r"\s*->\s*\S+\s*\(([+-][\d.]+)\)$", r" \1", e) for e in by_rules.evidence if "->" in e][:2]
    if not reasons:
        return evidence
    head = f"the hand-set rules say {by_rules.treatment}"
    return [
        e.replace(head, f"{head} ({'; '.join(reasons)})", 1) if head in e else e
        for e in evidence
    ]


def classify_all(
    references: Sequence[Reference],
    text: str,
    authorities: Iterable[Authority] = (),
    *,
    citing_family: str | None = None,
    citing_court: str | None = None,
    lexicon: Lexicon | None = None,
    model: Any = None,
) -> list[Reference]:
    """Label every reference of one opinion with the trained model: the public entry point.

    `text` is the opinion the offsets point into; `authorities` the cited authorities (their
    court enables the court-relationship feature, their good-law status the withdrawal check);
    `citing_family` marks the same litigation (Authority.family equal to it); `citing_court` is
    a CourtListener court id ("ca1"). `model` defaults to the shipped
    citations/treatment_model.json (citations.treatment_model.ModelError if it is missing or
    incompatible). Each result carries `treatment`, a calibrated `confidence` (the model's
    probability) and `evidence`: the features that pulled hardest towards the label, any lexicon
    cue that has no trained weight yet (reported, never counted), and the rules applied on top of
    the model: withdrawal and history, and that `criticized_or_declined` needs a contrary signal or
    criticising words at the reference (treatment_features.CRITICISM_EVIDENCE).
    """
    from citator.citations.treatment_features import is_history_citation, shows_criticism
    from citator.citations.treatment_model import load_model

    model = model if model is not None else load_model()
    authorities = list(authorities)
    resolved = authorities_in_opinion(references, text, authorities)
    all_features, ruled = _features_and_rule_verdicts(
        references, text, authorities, citing_family=citing_family, citing_court=citing_court, lexicon=lexicon
    )
    out: list[Reference] = []
    for ref, authority, features, by_rules in zip(references, resolved, all_features, ruled):
        untrained = tuple(sorted(n for n in features if n.startswith("cue ") and n not in model.weights))
        prediction = model.predict(features, untrained)
        label, confidence = prediction.label, prediction.confidence
        evidence = _explain_rules_feature(list(prediction.evidence()), by_rules)
        acknowledged: bool | None = None
        if authority is not None and is_withdrawn_status(authority.status):
            acknowledged = acknowledges_withdrawal(ref, text, authority)
        context = build_context(ref, text)
        if label == "criticized_or_declined" and not shows_criticism(features):
            runner_up = max((lab for lab in prediction.probabilities if lab != label),
                            key=lambda lab: prediction.probabilities[lab])
            evidence.insert(0, f"rule: no contrary signal or criticising words at the reference -> {runner_up} "
                               "(model: criticized_or_declined)")
            label, confidence = runner_up, prediction.probabilities[runner_up]
        if notes_own_withdrawal(ref, text):
            label, confidence = "noted_withdrawn", max(confidence, 0.95)
            evidence.insert(0, "rule: its own subsequent history says it was vacated/withdrawn/overruled -> noted_withdrawn")
        elif acknowledged:
            label, confidence = "noted_withdrawn", max(confidence, 0.95)
            evidence.insert(0, f"rule: authority {authority.status}; the passage notes it -> noted_withdrawn")
        elif is_history_citation(text, ref):
            if label != "cited_neutral":
                evidence.insert(0, f"rule: subsequent history of another citation -> cited_neutral (model: {label})")
                label, confidence = "cited_neutral", prediction.probabilities.get("cited_neutral", confidence)
        elif label == "noted_withdrawn" and not _withdrawal_in_own_clause(context):
            runner_up = max(
                (lab for lab in prediction.probabilities if lab != "noted_withdrawn"),
                key=lambda lab: prediction.probabilities[lab],
            )
            evidence.insert(0, f"rule: no withdrawal word in its own clause -> {runner_up} (model: noted_withdrawn)")
            label, confidence = runner_up, prediction.probabilities[runner_up]
        if label == "noted_withdrawn":
            acknowledged = True if acknowledged is not None else None
        if label != prediction.label:
            # the model's own reasons argued for another label: say so rather than mislabel them
            evidence = [e if e.startswith("rule:") else f"model ({prediction.label}): {e}" for e in evidence]
        if acknowledged is False:
            evidence.append(f"authority {authority.status} but not acknowledged here: relies_on_withdrawn")
        extra = dict(ref.extra or {})
        extra["scores"] = {k: round(v, 3) for k, v in prediction.probabilities.items()}
        if acknowledged is not None:
            extra["relies_on_withdrawn"] = not acknowledged
        out.append(
            replace(
                ref,
                sentence=ref.sentence or reference_as_written(context.sentence, ref.as_written),
                paragraph=ref.paragraph or reference_as_written(context.paragraph, ref.as_written),
                treatment=label,
                confidence=round(confidence, 3),
                evidence=tuple(evidence),
                extra=extra,
            )
        )
    return _noted_once_noted_everywhere(out)


def _noted_once_noted_everywhere(references: list[Reference]) -> list[Reference]:
    """An opinion that notes an authority's withdrawal anywhere does not rely on it unawares:
    its other references to that same authority lose the relies_on_withdrawn flag (their labels
    stay; noted_withdrawn never spreads to other references or to other authorities)."""
    noted = {r.authority_key for r in references if r.treatment == "noted_withdrawn" and r.authority_key}
    out = []
    for ref in references:
        if ref.authority_key in noted and (ref.extra or {}).get("relies_on_withdrawn"):
            evidence = tuple(e for e in ref.evidence if "relies_on_withdrawn" not in e) + (
                "authority withdrawn; this opinion notes it elsewhere -> not relies_on_withdrawn",
            )
            ref = replace(ref, evidence=evidence, extra={**ref.extra, "relies_on_withdrawn": False})
        out.append(ref)
    return out


def classify(
    reference: Reference,
    text: str,
    authority: Authority | None = None,
    *,
    citing_family: str | None = None,
    citing_court: str | None = None,
    lexicon: Lexicon | None = None,
    model: Any = None,
) -> Reference:
    """One reference, labelled by the trained model (see classify_all)."""
    if authority is None:
        return classify_all([reference], text, (), citing_family=citing_family, citing_court=citing_court,
                            lexicon=lexicon, model=model)[0]
    keyed = replace(reference, authority_key=authority.key)
    done = classify_all([keyed], text, (authority,), citing_family=citing_family, citing_court=citing_court,
                        lexicon=lexicon, model=model)[0]
    return replace(done, authority_key=reference.authority_key)


# --------------------------------------------------------------------------------------------
# Case-level roll-up
# --------------------------------------------------------------------------------------------

#: Ranking for the case-level treatment, strongest first (defined once, in citations.models).
RANKING = TREATMENT_RANKING

#: Depth of treatment (after the four levels of commercial citators). A reference "engages" the
#: seed when its label is not cited_neutral or it has an explanatory parenthetical / quotation.
#:   examined   >= 6 references, or >= 3 engaging references and >= 1,500 characters of passages
#:   discussed  >= 3 references, or >= 1 engaging reference with >= 400 characters of passages
#:   cited      fewer than that, with at least one citation (not a bare name) or engaging reference
#:   mentioned  otherwise: only bare name mentions that do not engage the seed
DEPTH_LEVELS = ("mentioned", "cited", "discussed", "examined")
EXAMINED_REFS = 6
EXAMINED_ENGAGING = 3
EXAMINED_CHARS = 1500
DISCUSSED_REFS = 3
DISCUSSED_CHARS = 400


@dataclass(frozen=True)
class CaseTreatment:
    """How one citing case treats one seed, rolled up from its references."""

    treatment: str | None
    depth: str
    references: int
    counts: dict[str, int]
    engaged_chars: int
    confidence: float | None
    evidence: tuple[str, ...] = ()
    relies_on_withdrawn: bool = False


def _engages(ref: Reference) -> bool:
    return (ref.treatment not in (None, "cited_neutral")) or bool(ref.parenthetical) or bool(ref.quotation)


def aggregate(references: Sequence[Reference], text: str | None = None) -> CaseTreatment:
    """Roll the classified references of one (citing case, seed) pair into one CaseTreatment.

    Treatment: the highest-ranked label among the references (RANKING), its confidence the best
    confidence among references carrying it. Depth: see DEPTH_LEVELS; "characters of passages" is
    the total length of the distinct sentences holding the references (from `text` when given,
    else from `Reference.sentence`).
    """
    counts = {t: 0 for t in TREATMENTS}
    for ref in references:
        if ref.treatment in counts:
            counts[ref.treatment] += 1
    label = next((t for t in RANKING if counts[t]), None)
    confidence = max((r.confidence or 0.0 for r in references if r.treatment == label), default=None)
    spans: set[tuple[int, int]] = set()
    chars = 0
    for ref in references:
        if text:
            win = sentence_window(text, ref.start, ref.end)
            key = (win.start, win.end)
            length = len(win.text)
        else:
            key = (ref.start, ref.end)
            length = len(normalise_text(ref.sentence or ref.as_written))
        if key not in spans:
            spans.add(key)
            chars += length
    engaging = sum(1 for r in references if _engages(r))
    n = len(references)
    if n >= EXAMINED_REFS or (engaging >= EXAMINED_ENGAGING and chars >= EXAMINED_CHARS):
        depth = "examined"
    elif n >= DISCUSSED_REFS or (engaging >= 1 and chars >= DISCUSSED_CHARS):
        depth = "discussed"
    elif n and (engaging or any(r.kind != "name_only" for r in references)):
        depth = "cited"
    else:
        depth = "mentioned"
    evidence = tuple(f"{t}: {counts[t]}" for t in RANKING if counts[t]) + (
        f"{n} references, {engaging} engaging, {chars} characters of passages",
    )
    # a case that notes the withdrawal anywhere is not relying on the withdrawn opinion unawares
    withdrawn = not counts["noted_withdrawn"] and any(
        r.extra.get("relies_on_withdrawn") for r in references if r.extra
    )
    return CaseTreatment(
        label, depth, n, {k: v for k, v in counts.items() if v}, chars, confidence, evidence, withdrawn
    )
