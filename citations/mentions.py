"""Name-only references: "In Bakke, ...", "the Bernstein court", "Lehnert's test", "Bernstein II".

eyecite cannot see a case named without a cite. We look for the names each authority goes by
in this opinion: configured short names and nicknames, the Bluebook short name of its case
name, and the names the opinion itself uses in its short cites and supras. A short name counts
only after the authority has been cited; a full case name ("Lehnert v. Ferris Faculty Ass'n")
and a nickname count anywhere. Mentions of people who share the name ("Ms. McCready", "McCready
brought suit", "Roger Bernstein"), law-review titles and text inside citations are left out.
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache
from typing import Callable, Iterator, Sequence

from citator.citations import clauses
from citator.citations.abbreviations import defined_abbreviations
from citator.citations.cites import Cite, trim_end
from citator.citations.footnotes import ReadingOrder
from citator.citations.names import WORD_RUN, derive_short_names, first_word_anchors, name_body, name_pattern, split_parties
from citator.citations.parties import company_words, names_a_party
from citator.citations.resolve import Target

__all__ = ["find_name_only"]

# --- name-only references --------------------------------------------------------------------------

_HONORIFIC = re.compile(
    r"(?:Mr|Ms|Mrs|Dr|Prof|Professor|Justice|Judge|Chief Justice|Senator|Sen|Rep|Representative|"
    r"Officer|Sergeant|Sgt|Mayor|Governor|Gov|Secretary|Commissioner|Attorney|Dean|President|Miss)\.? $"
)
_PROSE_LEADERS = {
    "in",
    "under",
    "like",
    "unlike",
    "see",
    "also",
    "but",
    "and",
    "the",
    "both",
    "neither",
    "nor",
    "even",
    "after",
    "before",
    "since",
    "following",
    "applying",
    "citing",
    "quoting",
    "accord",
    "cf.",
    "per",
    "from",
    "to",
    "with",
    "without",
    "as",
    "only",
    "moreover",
    "however",
    "thus",
    "because",
    "while",
    "although",
    "though",
    "read",
    "reading",
    "compare",
    "contrary",
    "prior",
    "whereas",
    "unless",
    "if",
    "when",
    "here",
    "there",
    "indeed",
    "similarly",
    "likewise",
    "yet",
    "so",
    "or",
    "nothing",
    "a",
    "an",
    "that",
    "this",
    "post",
    "pre",
    "until",
    "given",
    "beyond",
    "absent",
    "despite",
    "notwithstanding",
    "by",
    "of",
    "at",
    "on",
    "for",
    "between",
    "among",
    "whether",
    "where",
    "then",
    "now",
    "instead",
    "rather",
    "after all",
    "first",
    "second",
    "finally",
    "further",
    "furthermore",
    "nevertheless",
    "accordingly",
    "consequently",
    "hence",
    "again",
    "still",
    "today",
    "earlier",
    "later",
    "what",
    "how",
    "why",
    "all",
    "each",
    "every",
    "either",
    "upon",
    "within",
    "relying",
    "distinguishing",
    "construing",
    "interpreting",
    "discussing",
    "overruling",
    "extending",
    "limiting",
    "adopting",
}
_PERSON_AFTER = re.compile(
    r"^(?:['’]s (?:injury|injuries|loss|losses|damages?|employer|employment|claims?|complaint|"
    r"lawyer|counsel|attorney|family|wife|husband|son|daughter|mother|father|life|death|health|"
    r"treatment|suit|conduct|behavior|position|job|salary|application|admission|GPA|score|"
    r"grades?|race|sex|age|home|house|property|business|company|testimony|affidavit|deposition)\b"
    r"| (?:was|were|had|has|brought|sued|filed|suffered|alleged|claimed|paid|received|sought|"
    r"testified|applied|worked|lived|died|lost|won|appealed|moved|asked|wanted|wrote|said|told|"
    # what only a party or person does, never a decision: "Hossain requested the opportunity to file"
    r"requested|argued|contended|conceded|pleaded|pled|petitioned|confessed|admitted|waived|resigned|"
    # the same in the present tense before what the party says, perhaps after an adverb ("Smith
    # implicitly admits that he"); "Snepp argues for a constructive trust" may be the decision
    r"(?:[a-z]+ly )?(?:argues|contends|concedes|admits|asserts|maintains|insists) that|"
    # what a person must have known or wanted: "that Donnelly must have wanted to plead guilty"
    r"(?:must|may|might|would|could|should) have (?:wanted|known|believed|thought|intended|understood|"
    r"expected|hoped|feared|felt|realized)|"
    # "Taylor and its progeny" is a decision and the cases that follow it
    r"and (?:his|her|their) |and its (?!progeny\b))\b)"
)
_PERSON_BEFORE = re.compile(
    r"(?:harm|injury|injuries|damage|damages|losses|loss|payment|payments) to $|(?:the injury|the harm) $"
    # a party or person by role: "plaintiff IMS Health", "former employee Frank W. Snepp"
    r"|\b(?:plaintiffs?|defendants?|appellants?|appellees?|petitioners?|respondents?|intervenors?|"
    r"debtors?|creditors?|employees?|employers?|officers?|agents?|applicants?|students?|inmates?|"
    r"prisoners?|witness|trustees?|author|members?|director|movants?|claimants?),? $"
)
#: A first name and a middle initial before a surname: "Frank W. Snepp", "Allan P. Bakke".
_GIVEN_NAMES_BEFORE = re.compile(r"\b[A-Z][a-z]+ (?:[A-Z]\. ){1,2}$")


def _name_regex(names: Sequence[str]) -> re.Pattern[str] | None:
    return _names_regex(_short_names(names))


def _short_names(names: Sequence[str]) -> tuple[str, ...]:
    """The names a case is looked for by, longest first: cases with equal tuples are looked for once."""
    return tuple(sorted({n for n in names if n and len(n) >= 3}, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=4096)
def _names_regex(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a case's short names, longest first; compiled once for cases that share
    their names (many cited cases go by "Smith")."""
    if not names:
        return None
    body = "|".join(name_pattern(n) for n in names)
    return re.compile(f"(?:{body})(?!\\w)(?!['’](?!s\\b)\\w)", re.I)


def _names_anchors(names: Sequence[str]) -> frozenset[str] | None:
    """The words every match of `_name_regex(names)` begins with (None: not known)."""
    anchors: set[str] = set()
    for n in {n for n in names if n and len(n) >= 3}:
        first = first_word_anchors(n)
        if first is None:
            return None
        anchors |= first
    return frozenset(anchors)


class _WordStarts:
    """Where each run of word characters of a text starts, by the run in lower case (runs that
    are not ASCII apart, as candidates for every name). Finding a name then looks only where
    its first word stands, so an opinion that cites thousands of cases is not read once per
    case."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.matches: dict[str, list[tuple[int, int]] | None] = {}  # `all_matches`, by name
        self.at: dict[str, list[int]] = {}
        self.not_ascii: list[int] = []
        for m in WORD_RUN.finditer(text):
            run = m.group()
            if run.isascii():
                self.at.setdefault(run.lower(), []).append(m.start())
            else:
                self.not_ascii.append(m.start())

    def all_matches(self, name: str) -> list[tuple[int, int]] | None:
        """Every (start, end) at which one short name matches (`_names_regex((name,))`), found once
        per text; None when its first words are not known or two of its matches overlap."""
        if name not in self.matches:
            anchors = _names_anchors([name])
            found: list[tuple[int, int]] | None = None
            if anchors is not None:
                regex = _names_regex((name,))
                assert regex is not None
                lists = [self.at.get(a, []) for a in anchors] + [self.not_ascii]
                found = []
                for p in sorted({p for starts in lists for p in starts}):
                    m = regex.match(self.text, p)
                    if m is not None:
                        found.append((m.start(), m.end()))
                if any(found[i][1] > found[i + 1][0] for i in range(len(found) - 1)):
                    found = None
            self.matches[name] = found
        return self.matches[name]

    def finditer(self, regex: re.Pattern[str], anchors: frozenset[str], pos: int) -> Iterator[re.Match[str]]:
        """`regex.finditer(text, pos)` for a regex whose every match begins, after no word
        character, with one of `anchors` (`first_word_anchors`): the same matches, tried only
        at the starts of those words."""
        lists = [self.at.get(a, []) for a in anchors] + [self.not_ascii]
        starts = sorted({p for found in lists for p in found[bisect.bisect_left(found, pos) :]})
        resume = pos
        for p in starts:
            if p < resume:
                continue
            m = regex.match(self.text, p)
            if m is not None:
                yield m
                resume = m.end() if m.end() > m.start() else m.end() + 1


def _full_name_regex(name: str) -> re.Pattern[str] | None:
    """The case name with both parties; the second may be cut short after its first word."""
    first, second = split_parties(name)
    if not second:
        return None
    second = re.sub(r"\s*\([^)]*\)\s*$", "", second)
    words = [w.strip(",") for w in second.split() if w.strip(",")]
    if not words:
        return None
    tail = ""
    for w in reversed(words[1:]):
        tail = f"(?:,?\\s+{name_body(w)}{tail})?"
    first_word = name_pattern(words[0])
    body = name_pattern(first) + r"\s+vs?\.\s+" + first_word + tail + r"(?!\w)"
    return re.compile(body, re.I)


class _Spans:
    """Spans added in order of their start, answering "does [pos, end) overlap any of them?" by
    bisection on the starts and a running maximum of the ends, so that checking every name hit
    of a long opinion stays linear rather than growing with the number of spans."""

    def __init__(self, spans: Sequence[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.max_end: list[int] = []
        for a, b in sorted(spans):
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        if self.starts and a < self.starts[-1]:
            raise ValueError("spans must be added in order of their start")
        self.starts.append(a)
        self.max_end.append(max(b, self.max_end[-1]) if self.max_end else b)

    def overlaps(self, pos: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end)  # spans starting before `end`
        return k > 0 and self.max_end[k - 1] > pos


class _CitesByTarget:
    """The citations of each target (subsequent history left out), sorted by start with a running
    maximum of their place in the list: which same-name authority was cited last before a name
    is then a bisection per authority, not a pass over every citation of the opinion."""

    def __init__(self, cites: Sequence[Cite]) -> None:
        grouped: dict[str | None, list[tuple[int, int]]] = {}
        for i, c in enumerate(cites):
            if c.history_of is None:
                grouped.setdefault(c.target, []).append((c.start, i))
        self.index: dict[str | None, tuple[list[int], list[int]]] = {}
        for key, pairs in grouped.items():
            pairs.sort()
            latest, top = [], -1
            for _, i in pairs:
                top = max(top, i)
                latest.append(top)
            self.index[key] = ([a for a, _ in pairs], latest)

    def before(self, keys: set, pos: int) -> tuple[int | None, set]:
        """(list index of the last citation, in list order, of any of `keys` starting before
        `pos`; the keys cited before `pos`)."""
        last, cited = None, set()
        for key in keys:
            entry = self.index.get(key)
            if entry is None:
                continue
            n = bisect.bisect_left(entry[0], pos)
            if n:
                cited.add(key)
                last = entry[1][n - 1] if last is None else max(last, entry[1][n - 1])
        return last, cited


#: What a court says of a decision, not of a person: "Bakke was decided", "Lehnert had held".
_CASE_AFTER = re.compile(
    r"^ (?:was|were|had|has|is)(?: not)?(?: been)? (?:decided|overruled|abrogated|reversed|vacated|"
    r"affirmed|limited|distinguished|wrongly|correctly|rightly|issued|handed|announced|held|said|"
    # what a decision or rule is for: "Falmouth was not intended to afford", "was meant to"
    r"intended to|meant to|designed to|"
    r"noted|recognized|found|concluded|explained|made|cited|followed|criticized|applied|read|"
    r"instructive|controlling|inapposite|distinguishable|binding|a plurality|the leading|"
    # "Kodak was a summary judgment case", "is a "derivative aftermarket" case"
    r"an? (?:[\w\"“”'-]+ ){0,3}(?:case|decision|opinion))\b"
)


#: Capitalised words after a case's name that keep it a decision: "the Bernstein Court",
#: "Bernstein II", and a title-case heading's doctrine words ("3. The Pickering Scale").
_TITLE_CASE_DECISION_WORDS = frozenset(
    """Court Circuit I II III IV V Test Scale Standard Standards Framework Balancing Analysis
    Factors Rule Doctrine Inquiry Exception Line Decision Opinion Holding Progeny Approach""".split()
)


#: A section heading's line: an enumerator ("A.", "II.", "3.", "a.") then the heading's words.
_HEADING_LINE = re.compile(r"[ \t]*(?:[A-Za-z]|[IVX]{1,5}|\d{1,2})\.[ \t]+\S[^\n]*$")
#: The longest heading line read, in characters: a heading is short, and bounding the look keeps
#: the check constant-time on a text of one huge line.
_HEADING_REACH = 300


def heading_line_end(source: str, offsets: Sequence[int]) -> Callable[[int], bool]:
    """Whether a working position ends a section heading's line in `source` ("A. The Fourth
    Amendment and Weikert" then the next paragraph): the working text joins the heading to the
    paragraph after it, whose first word would read as the rest of a person's name."""

    def ends_heading(work_end: int) -> bool:
        pos = offsets[work_end] if work_end < len(offsets) else len(source)
        line_end = source.find("\n", pos, pos + _HEADING_REACH)  # bounded: one huge line costs no more
        if line_end == -1 or source[pos:line_end].strip():
            return False
        if not re.match(r"\n[ \t\r]*\n", source[line_end : line_end + 40]):
            return False  # a heading stands apart: a numbered paragraph's line runs on ("R.W. International\n Corp.")
        line_start = source.rfind("\n", max(0, pos - _HEADING_REACH), pos) + 1
        if line_start == 0 and pos > _HEADING_REACH:
            return False  # a line longer than any heading
        return _HEADING_LINE.match(source[line_start:pos]) is not None

    return ends_heading


#: What a litigant owns and a decision does not: "Abreu's direct appeal", "Abreu's 2255 motion",
#: "Smith's habeas petition", "Abreu's conviction".
_LITIGANT_OWNS = re.compile(
    r"['’]s (?:(?:direct|pro se|habeas|first|second|\d{4}) )?(?:appeal|motion|petition|brief)\b"
    r"|['’]s (?:conviction|sentence|counsel)\b"
)
#: What courts say of a party who bears a burden, never of a decision: "Abreu has said nothing
#: to suggest", "he has offered nothing", "has pointed to nothing".
_SAYS_NOTHING = re.compile(
    r" (?:has|have) (?:said|offered|shown|pointed to|identified|alleged|argued|presented|proffered|cited) nothing\b"
)
#: A verb whose object is deprived of something: "deprive Donnelly of the right", "robbed Vieira of".
_DEPRIVED_OF = re.compile(r"\b(?:depriv(?:e|es|ed|ing)|robb?(?:ed|ing|s)?|stripp?(?:ed|ing|s)?) $")


#: A sentence's last word with the number of a note glued after its full stop, as typed
#: releases print note calls ("from American Title.9 Falmouth does not require"): the word
#: after it opens the next sentence, not the rest of one proper name.
_NOTE_NUMBER_AFTER_STOP = re.compile(r"[a-z][.!?][\"”’)]?\d{1,3}$")


def _looks_like_person(
    text: str, start: int, end: int, names_in_match: str, ends_heading: Callable[[int], bool] | None = None
) -> bool:
    before = text[max(0, start - 40) : start]
    if _HONORIFIC.search(before):
        return True
    if re.match(r"['’]s (?:favou?r|behalf|name|interest)\b", text[end : end + 20]):
        return True  # "works in Cameron's favor", "on Snepp's behalf": a party's, not a decision's
    if _LITIGANT_OWNS.match(text, end) or _SAYS_NOTHING.match(text, end):
        return True  # "in Abreu's direct appeal", "Abreu has said nothing to suggest": the litigant
    if _DEPRIVED_OF.search(before) and text.startswith(" of ", end):
        return True  # "did not deprive Donnelly of the right": a person deprived of something
    if re.search(r"(?:\b(?:[Ii]n|[Uu]nder|of)|\b(?:pre|post)-?) ?$", before):
        return False  # "in Carroll", "the logic of McCready", "pre-Grove City": the case
    if _PERSON_BEFORE.search(before) or _GIVEN_NAMES_BEFORE.search(before):
        return True
    after = text[end : end + 40]
    if _DECISION_AFTER.match(after):
        return False  # "Snepp has no res judicata effect", "Snepp held that"
    if _PERSON_AFTER.match(after) and not _CASE_AFTER.match(after):
        return True
    # part of a longer proper name: "Thomas Reed Powell", "Roger Bernstein", "Bakke Foundation"
    prev = clauses._token_before(text, start)
    if prev is not None and text[prev[0] + len(prev[1]) : start] == " ":
        token = prev[1]
        possessive = re.search(r"['’]s?$", token)
        if (
            token[:1].isupper()
            and not possessive
            and not token.lower().rstrip(",").endswith("ly")
            and token.lower().rstrip(",") not in _PROSE_LEADERS
            and not re.search(r"[.,;:)\]\"”’]$", token)
            and not _NOTE_NUMBER_AFTER_STOP.search(token)
        ):
            return True
    nxt = re.match(r" ([A-Z][a-z]+)", after)
    if nxt and nxt.group(1) not in _TITLE_CASE_DECISION_WORDS and not (ends_heading and ends_heading(end)):
        if not re.match(r" (?:v\.|vs\.)", after):
            return True
    return False


#: What may follow a company's name when the name stands for the decision it is a party to:
#: what a court says a decision does or is ("Kodak involved", "Kodak was a summary judgment
#: case", "Chevron requires") and the doctrine words courts make of a case's name ("the Kodak
#: analysis", "Chevron deference", "the Kodak majority"). After a company's name any other
#: lower-case word is the company's own ("Kodak copiers", "Kodak parts", "Kodak began").
_DECISION_NEXT_WORDS = frozenset(
    """and or nor but to in as on for from into under without with at by of than that which who
    itself the we it there this is was were are be been being has had have did does do would could
    should may might must will can shall not also thus therefore however then alone too only even
    still so here now again later instead remains stands
    held holds hold says said states teaches taught involves involve concerns addresses makes made
    requires applies controls permits governs dictates compels supports suggests establishes
    recognizes forecloses reflects indicates explains instructs emphasizes notes observes rejects
    leaves left turns rests focuses deals dealt arose arises found finds adopts approves reaffirms
    overrules reads read speaks spoke goes went came comes points uses saw sees took takes gives
    gave puts put sets set draws drew relies cites quotes lists contains describes mentions
    discusses decides construes interprets limits extends expands narrows squarely clearly
    court majority plurality dissent concurrence panel decision decisions opinion opinions holding
    holdings rule rules test tests standard standards framework analysis approach doctrine inquiry
    line progeny rationale reasoning context type case cases claim claims issue issues hearing
    error errors material presumption principle principles factor factors defense deference step
    steps exception remedy argument arguments motion objection violation violations scenario mold
    theory regime jurisprudence logic language formulation problem question situation facts
    setting trilogy balancing scale prong prongs litigation scrutiny review challenge instruction
    progeny bar bars require apply control permit hold govern compel support suggest establish
    preclude foreclose make say teach involve concern address dictate mandate allow prohibit forbid
    """.split()
)
#: What a decision's name owns ("Kodak's holding"); a company's name owns anything else
#: ("Kodak's market share", "Kodak's servicing competitors").
_DECISION_POSSESSIONS = frozenset(
    """holding holdings rule test framework rationale reasoning analysis standard teaching progeny
    logic language facts approach scope reach dicta dictum import conclusion discussion majority
    dissent concurrence author premise emphasis focus treatment application formulation inquiry
    inquiries applicability requirement requirements first second third step steps prong prongs
    scope force effect validity vitality viability relevance teachings command mandate instruction
    principle principles standards criteria factors test tests""".split()
)
#: A word before a name that makes it a decision whatever it owns ("in Chevron's second step",
#: "under Teradyne's rule"); "the" is not one ("the Haskell subcontract").
_DECISION_LEADER = re.compile(
    r"\b(?:[Ii]n|[Uu]nder|[Ff]ollowing|[Aa]pplying|[Cc]iting|[Dd]istinguishing|[Rr]elying on|[Cc]onstruing|"
    r"[Ee]xtending|[Ll]imiting|[Ss]ee|[Ss]ee also|[Cc]f\.|[Uu]nlike|[Ll]ike) $"
)
#: Where only a company stands, never a decision: what is done to or for a party ("judgment for
#: Kodak", "an action against Kodak", "copiers serviced by Kodak", "cause Kodak to lose ground",
#: "parts from Kodak") and what a company does ("Kodak lacked market power", "Kodak sold").
_COMPANY_BEFORE = re.compile(
    r"(?:\b(?:against|for)"
    r"|\b(?:serviced|sold|made|manufactured|sued|owned|employed|operated|marketed|produced|offered|"
    r"charged|distributed|supplied|bought|purchased|hired|paid|built|designed|issued) by"
    r"|\b(?:[a-z]+ )?(?:parts|products?|goods|services|evidence|sales?|equipment|supplies|payments?) from"
    r") $"
)
_COMPANY_OBJECT = re.compile(
    r"\b(?:cause[sd]?|prevent(?:s|ed)?|force[sd]?|allow(?:s|ed)?|enable[sd]?|induce[sd]?|compel(?:s|led)?|"
    r"require[sd]?|permit(?:s|ted)?) $"
)
_COMPANY_VERBS = re.compile(
    r" (?:lacked|lacks|sold|sells|refused|refuses|charged|charges|raised|began|stopped|ceased|"
    r"conditioned|confined|bought|purchased|manufactured|manufactures|marketed|markets|employed|"
    r"employs|hired|fired|paid|pays|owed|owes|competed|competes|announced|implemented|entered|"
    r"controlled|controls|dominated|dominates|owned|owns)\b"
)
#: The word after a word ending in "s" that makes it a plural noun ("Kodak copiers are", "Kodak
#: parts would"), not a verb taking an object ("Teradyne assumes a showing", "precludes application").
_AFTER_PLURAL = frozenset("are were would could will can may might must and or that which who to in of for from with at on".split())


def _names_the_company(text: str, start: int, end: int) -> bool:
    """Whether a company's name that is also a cited case's short name ("Kodak" for Eastman Kodak
    Co. v. Image Technical Servs.) stands for the company there: used as an adjective before a
    word that is no doctrine word ("Kodak copiers", "Kodak-copier owners"), or owning what a
    company owns ("Kodak's market share"). Courts retelling a case's facts name its corporate
    party this way; they name the decision "In Kodak", "the Kodak analysis", "Kodak held"."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 60]
    if _COMPANY_BEFORE.search(before) and not re.match(r"['’]s", after):
        return True
    if _COMPANY_OBJECT.search(before) and re.match(r" (?:to|from) [a-z]", after):
        return True
    if _COMPANY_VERBS.match(after):
        return True
    if re.match(r", (?:(?:might|may|could|would|will|can) )?(?:contend|argue|claim|assert|maintain|insist)s?\b", after):
        return True  # "URI, like Kodak, might contend": the company beside the party arguing
    owned = re.match(r"['’]s (?:[\"“])?([A-Za-z][A-Za-z-]*)", after)
    if owned:
        if _DECISION_LEADER.search(before):
            return False
        return owned.group(1).lower() not in _DECISION_POSSESSIONS
    nxt = re.match(r"(?: |-)([a-z]+)\b(?: ([a-z]+)\b)?", after)
    if not nxt:
        return False
    word, then = nxt.group(1), nxt.group(2)
    if word in _DECISION_NEXT_WORDS or word.endswith(("ed", "ly")):
        return False
    # a word ending in "s" is a plural noun only when no object follows it
    return not (word.endswith("s") and then is not None and then not in _AFTER_PLURAL)


def _company_names(cites: Sequence[Cite], targets: dict[str, Target]) -> dict[str, list[frozenset[str]]]:
    """For each cited case, the words of its parties that are companies ("Eastman Kodak Co."),
    read from its case name as configured or as first cited."""
    out: dict[str, list[frozenset[str]]] = {}
    names: dict[str, str] = {}
    for key, tgt in targets.items():
        if tgt.authority is not None and tgt.authority.name:
            names[key] = tgt.authority.name
    for c in cites:
        if c.kind == "full" and c.name and c.target and c.target not in names:
            names[c.target] = c.name
    for key, name in names.items():
        first, second = split_parties(name)
        companies = [w for w in (company_words(first), company_words(second or "")) if w]
        if companies:
            out[key] = companies
    return out


#: A court named after its place ("the Supreme Court of Puerto Rico", "Court of Appeals of Maryland").
_COURT_OF = re.compile(r"\bCourts?(?: of Appeals?)? of (?:the )?$")
#: The rest of a citation's name after its first party: " v. Repub. Party of Ill., ".
_V_BEFORE_CITE = re.compile(r"\s+vs?\.\s[^;()]{0,120}")
#: A sentence's end: a full stop (or ! ?) after a word of three lower-case letters or a closing
#: mark ("v.", "Vill.", "Inc." end no sentence), then the next sentence's capital.
_SENTENCE_END = re.compile(r"(?:(?<=[a-z]{3})|(?<=[)\]\"”’]))[.!?][\"”’)]*\s+(?=[\"“(]?[A-Z])")
#: How far back the sentence before a first citation is looked for.
_SENTENCE_BACK = 600


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` starts, within `_SENTENCE_BACK` characters; `pos` when
    not found."""
    floor = max(0, pos - _SENTENCE_BACK)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, floor, min(len(text), pos + 2)) if m.end() <= pos]
    return ends[-1] if ends else pos


def _previous_sentence_start(text: str, pos: int) -> tuple[int, int]:
    """Where the sentence before the one holding `pos` starts, and where that one starts, within
    `_SENTENCE_BACK` characters; (`pos`, `pos`) when not found."""
    floor = max(0, pos - _SENTENCE_BACK)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, floor, min(len(text), pos + 2)) if m.end() <= pos]
    if len(ends) < 2:
        return pos, pos
    return ends[-2], ends[-1]


#: How far after a full case name its own citation may stand (past a block quotation).
_NAME_TO_CITE = 1200


def _names_the_next_bare_cite(end: int, key: str, cites: list[Cite], starts: list[int]) -> bool:
    """Whether a full case name in prose ("In United States v. Jackson, we explained that, [block
    quotation] 544 F.3d 351, 360 (1st Cir. 2008)") is the name of the next citation, a reporter cite
    written without a name, that cites another decision than `key`: courts name a decision and
    cite it after the quotation, so the name is that decision's (an earlier one of the same name,
    in the same litigation), not the case `key`."""
    i = bisect.bisect_left(starts, end)
    if i == len(cites) or starts[i] - end > _NAME_TO_CITE:
        return False
    nxt = cites[i]
    return nxt.name is None and nxt.kind == "full" and nxt.target is not None and nxt.target != key


def _followed_by_journal(text: str, end: int, journals: list[Cite], starts: list[int] | None = None) -> bool:
    """Whether a journal cite follows within 250 characters in the same sentence. `starts` (the
    journals' core starts, in order) lets each name look only at the journals in that reach."""
    if starts is None:
        starts = [j.core[0] for j in journals]
    k = bisect.bisect_left(starts, end)
    while k < len(journals) and starts[k] <= end + 250:
        between = text[end : starts[k]]
        if not re.search(r"[.;] \d{0,3}[A-Z]", between):  # "fees. 5See Stefan, ...": the next note
            return True
        k += 1
    return False


#: Phrases in which a capitalised name can only be a decision: "In McCready, ...", "under
#: Kuhlmeier", "the Hudson Court", "Kuhlmeier's holding".
_CASE_CONTEXT = (
    r"(?:\b(?:[Ii]n|[Uu]nder|[Ff]ollowing|[Aa]pplying|[Cc]iting|[Dd]istinguishing) {name}(?=,| (?:the|this|we|a|there|it) )"
    r"|\bthe {name} (?:Court|court|decision|opinion|rule|test|framework|rationale|standard|factors|analysis|line)\b"
    r"|{name}['’]s (?:holding|rule|test|framework|rationale|reasoning|analysis|standard|teaching|progeny)\b"
    # "In light of Haskell, ...", and a case described in apposition: "Haskell, a case on all fours"
    # (not the full name's second party: "Mitchell v. Mason, a case in which")
    r"|\b[Ii]n light of {name},|(?<!v\. )\b{name}, (?:a|the) (?:[\w-]+ ){{0,3}}(?:case|decision)\b)"
)


def _confirm_other_party_names(text: str, targets: dict[str, Target], first_ref: dict[str, int]) -> None:
    """Adopt a cited authority's other party name ("McCready" for "Blue Shield of Virginia v.
    McCready") when the opinion uses it where only a decision fits, and no other cited case
    goes by that name."""
    taken = {n.lower() for t in targets.values() for n in t.names}
    for key, tgt in targets.items():
        if tgt.authority is None or key not in first_ref:
            continue
        for name in derive_short_names(tgt.authority.name)[1:]:
            if name.lower() in taken or len(name) < 4:
                continue
            body = name_body(name)
            if re.search(_CASE_CONTEXT.format(name=body), text[first_ref[key] :], re.I):
                tgt.names.append(name)
                taken.add(name.lower())


#: A name read as a decision: after "In" / "under" / "applying" ..., or followed by what a court
#: says of a decision ("Snepp held that", "the Snepp court", "Snepp's holding").
_DECISION_BEFORE = re.compile(
    r"(?:\b(?:[Ii]n|[Uu]nder|[Ff]ollowing|[Aa]pplying|[Cc]iting|[Dd]istinguishing|[Rr]elying on|"
    r"[Cc]onstruing|[Ee]xtending|[Ll]imiting|[Ss]ee|[Ss]ee also|[Cc]f\.) |\bthe |\bhereinafter,? [\"“]?)$"
)
_DECISION_AFTER = re.compile(
    r"^(?:['’]s (?:holding|rule|test|framework|rationale|reasoning|analysis|standard|teaching|progeny)\b"
    r"| (?:[Cc]ourt|decision|opinion|majority|plurality|panel|I|II|III|IV|V)\b"
    r"| (?:held|holds|ruled|reasoned|teaches|instructs|makes clear|made clear) that\b"
    r"| (?:has|had|have) no (?:res judicata|preclusive|precedential|binding) effect\b)"
)


def _as_decision(text: str, start: int, end: int) -> bool:
    return bool(
        re.search(r" (?:I|II|III|IV|V)$", text[start:end])  # "Libby III": a decision's label
        or _DECISION_BEFORE.search(text[max(0, start - 30) : start])
        or _DECISION_AFTER.match(text, end)
        or _CASE_AFTER.match(text[end : end + 60])
    )


_MAX_LABELS = 50

#: A label an opinion defines for the citation before it: '(hereinafter "Libby II")', and the bare
#: labels courts give decisions of one litigation: "(Acevedo-Feliciano IV)", '("Kodak")'.
_HEREINAFTER = re.compile(r"\(hereinafter,? [\"“](?P<label>[A-Z][^\"”]{1,40}?)[\"”]\)|" + clauses.LABEL.pattern)
#: A case name right before a bare label, when the decision is cited by docket number or not at
#: all: "Acevedo-Feliciano v. Ruiz-Hernández (Acevedo-Feliciano I), No. 01-1445 (D.P.R. 2002)".
_NAME_BEFORE_LABEL = re.compile(r"\bv\.\s+[A-Z][^()\n;]{0,60}\s$")


def _another_label_follows(text: str, end: int, key: str, targets: dict[str, Target]) -> bool:
    """Whether a case name (or its first party's) is followed by a bare label ("(Acevedo-Feliciano
    I)") that is not one of the names of `key`: the court names another decision of the same
    parties."""
    party = re.compile(r"\s+vs?\.\s+[^()\n;]{1,80}?(?= \()").match(text, end)
    if party is not None:
        end = party.end()  # a first party's name, then the second's: "Acevedo-Feliciano v. Ruiz-Hernández (..."
    m = _HEREINAFTER.match(text, end + 1) if text[end : end + 1] == " " else None
    if m is None or m.group("label") is not None:
        return False
    label = _label(m).lower()
    return not any(label == n.lower() for n in targets[key].names)


def _label(m: re.Match[str]) -> str:
    return (m.group("label") or m.group("quoted") or m.group("numbered")).strip()


def _label_hits(
    text: str, cites: list[Cite], targets: dict[str, Target], seeds_only: bool
) -> list[tuple[int, int, str | None, bool]]:
    """Uses of the labels the opinion defines for decisions, each for the citation it follows:
    "Libby II" then names that decision, not the Libby decision cited last. A label defined for
    a citation that is no case here (a slip opinion, a decision cited by docket number, or, when
    only seeds are looked for, another case) names nothing we report, so its uses are kept from
    other cases of the same name (key None). A bare label ("(Acevedo-Feliciano V)") is not itself
    a reference: it only defines the name."""
    ends = [max(c.end, c.core[1]) for c in cites]
    starts = [c.start for c in cites]
    hits: list[tuple[int, int, str | None, bool]] = []
    # each label is one scan of the text after it: an opinion defines a handful, so a text made
    # of thousands of definitions is read for its first _MAX_LABELS only (linear, not quadratic)
    name_words = {w for t in targets.values() for n in t.names for w in n.lower().split()}
    # a bare label carries a cited case's name ("(Acevedo-Feliciano IV)"); acronyms ('("ERISA")')
    # and statutes ("(Title VII)") are no labels and do not count towards the _MAX_LABELS read
    candidates = (
        m for m in _HEREINAFTER.finditer(text)
        if m.group("label") is not None or _label(m).split()[0].lower() in name_words
    )
    for m in itertools.islice(candidates, _MAX_LABELS):
        label_text = _label(m)
        bare = m.group("label") is None
        k = bisect.bisect_right(ends, m.start()) - 1
        while k >= 0 and cites[k].enclosing is not None:
            k -= 1
        gap = text[ends[k] : m.start()] if k >= 0 else "x"
        # what may stand between a citation and its label: the rest of a pin, its parentheticals
        owner: Cite | None = None
        if re.fullmatch(r"[-–\d, ]{0,12}(?: ?\([^()]*(?:\([^()]*\)[^()]*)*\))* ?", gap):
            owner = cites[k]
        elif bare:
            j = bisect.bisect_left(starts, m.end())
            inside = bisect.bisect_right(starts, m.start()) - 1
            if inside >= 0 and cites[inside].start < m.start() < ends[inside]:
                owner = cites[inside]  # the label inside the cite's name: "X v. Y (X IV), 447 F.3d"
            elif j < len(cites) and re.fullmatch(r",\s*", text[m.end() : cites[j].start]) and cites[j].kind == "full":
                owner = cites[j]
            elif not _NAME_BEFORE_LABEL.search(text, max(0, m.start() - 80), m.start()):
                continue  # not a decision's label
        else:
            continue  # not the citation's own parenthetical ("the review process (hereinafter "ACRP")")
        key = owner.target if owner is not None and owner.kind in ("full", "short", "supra", "reference") else None
        first_word = label_text.split()[0].lower()
        if key is not None:
            # a decision's label carries its name ("Libby II", "Sandstrom error"), unlike a
            # treatise's or a party's ("Wright & Miller", "CI")
            tgt = targets.get(key)
            if tgt is None or not any(first_word in n.lower().split() for n in tgt.names):
                continue
            if seeds_only and tgt.authority is None:
                key = None  # another case's label: kept from the seeds of the same name
        elif not any(first_word in n.lower().split() for t in targets.values() for n in t.names):
            continue  # no case goes by that name: nothing to keep it from
        label = re.compile(name_pattern(label_text) + r"(?![\w.])", re.I)
        numeral = label_text.split()[-1] if m.group("numbered") else None
        if bare:
            # the definition itself names nothing: its words, inside the parentheses
            inner = m.start("quoted") if m.group("quoted") else m.start("numbered")
            hits.append((inner, inner + len(label_text), None, False))
        # a label of no case here is kept from other cases wherever it stands (a label defined in
        # a note is used in the body before the note's text)
        for use in label.finditer(text, 0 if key is None and bare else m.end() if bare else m.start("label")):
            if numeral is not None and not text[use.start() : use.end()].endswith(numeral):
                continue  # "Acevedo-Feliciano v." is no use of "Acevedo-Feliciano V"
            hits.append((use.start(), use.end(), key, False))  # people share labels too: checked as names
    return hits


class _SameNames:
    """Cited cases that go by the same short names (a brief citing a dozen cases called "Smith"):
    the names are looked for once, from the earliest first reference of any of them, and a match
    names the cases referred to before it, exactly as looking for each case's names from its own
    first reference would find. Which of them a name means, and which were cited before it, are
    bisections over the group's citations rather than a look at every case of the group."""

    def __init__(self, members: Sequence[tuple[int, str]], first_ref: dict[str, int], cites: Sequence[Cite]) -> None:
        ordered = sorted(members, key=lambda m: (first_ref[m[1]], m[0]))
        self.firsts = [first_ref[key] for _, key in ordered]
        self.keys = [key for _, key in ordered]
        # the case first in `targets` order among the first n referred to
        self.first_in_order: list[tuple[int, str]] = []
        for member in ordered:
            best = self.first_in_order[-1] if self.first_in_order else member
            self.first_in_order.append(min(best, member))
        keys = set(self.keys)
        pairs = sorted((c.start, i) for i, c in enumerate(cites) if c.history_of is None and c.target in keys)
        self.cite_starts = [a for a, _ in pairs]
        self.latest: list[int] = []
        for _, i in pairs:
            self.latest.append(max(i, self.latest[-1]) if self.latest else i)
        earliest: dict[str, int] = {}
        for a, i in pairs:
            earliest.setdefault(cites[i].target, a)
        by_first_cite = sorted((a, key) for key, a in earliest.items())
        self.first_cites = [a for a, _ in by_first_cite]
        self.first_cited = [key for _, key in by_first_cite]
        # the bisections stand for "cases named before the match" only when no case is cited before
        # its first reference (citations listed out of text order): otherwise every name is weighed
        # case by case
        self.exact = all(a >= first_ref[key] for key, a in earliest.items())
        self._candidates: dict[int, tuple[str, ...]] = {}

    def active(self, pos: int) -> int:
        """How many of the cases are referred to at or before `pos` (their names count from there)."""
        return bisect.bisect_right(self.firsts, pos)

    def active_keys(self, pos: int) -> set[str]:
        return set(self.keys[: self.active(pos)])

    def before(self, pos: int) -> tuple[int | None, int]:
        """`_CitesByTarget.before` for the cases active at `pos`: (list index of the last of their
        citations starting before `pos`, how many of them are cited before `pos`)."""
        n = bisect.bisect_left(self.cite_starts, pos)
        return (self.latest[n - 1] if n else None), bisect.bisect_left(self.first_cites, pos)

    def candidates(self, count: int) -> tuple[str, ...]:
        """The first `count` cases cited, sorted (kept: consecutive names share them)."""
        found = self._candidates.get(count)
        if found is None:
            found = self._candidates[count] = tuple(sorted(self.first_cited[:count]))
        return found


def _by_name(words: _WordStarts, looked_for: Sequence[tuple[int, str]],
             targets: dict[str, Target]) -> dict[str, list[tuple[int, str]]]:
    """The cases to look for (place in `targets`, key), by each short name they go by.

    Looking for a case's names from its first reference finds, when no two matches of its names
    overlap anywhere in the text, exactly the matches of each name from there on. So each name is
    looked for once in the whole text (`_WordStarts.all_matches`) and its matches shared by the
    cases that go by it; a case whose names do overlap somewhere stays out (looked for on its own)."""
    by_name: dict[str, list[tuple[int, str]]] = {}
    for index, key in looked_for:
        names = _short_names(targets[key].names)
        found = [words.all_matches(n) for n in names]
        if any(f is None for f in found) or not _apart(found):  # type: ignore[arg-type]
            continue
        for n in names:
            by_name.setdefault(n, []).append((index, key))
    return by_name


def _apart(found: list[list[tuple[int, int]]]) -> bool:
    """Whether no match in one list overlaps a match in another (each list is sorted and its own
    matches do not overlap), checked from the shorter list of each pair by bisection."""
    for i, first in enumerate(found):
        for second in found[i + 1 :]:
            small, large = (first, second) if len(first) <= len(second) else (second, first)
            for a, b in small:
                k = bisect.bisect_left(large, (b,))  # matches of `large` starting before b
                if k and large[k - 1][1] > a:
                    return False
    return True


#: Above this many cited cases to look for, names are looked for through `_WordStarts`.
_INDEX_FROM = 8


def find_name_only(
    text: str,
    cites: list[Cite],
    targets: dict[str, Target],
    seeds_only: bool,
    parties: frozenset[str] = frozenset(),
    order: ReadingOrder | None = None,
    ends_heading: Callable[[int], bool] | None = None,
) -> list[tuple[int, int, str, str, bool, tuple[str, ...]]]:
    """(start, end, target key, kind, ambiguous, candidates) for names outside citations.

    `parties` are the words of the citing case's own party names (`citations.parties`): a short
    name made of them is that party, unless the sentence reads it as a decision. `order` reads
    footnotes at their anchors: a case first cited in a note is named by the body after the
    note's number. `ends_heading` tells a name that ends a section heading's line
    (`heading_line_end`)."""
    covered = _Spans([(c.start, max(c.end, c.core[1])) for c in cites if c.kind != "journal"])
    journals = sorted((c for c in cites if c.kind == "journal"), key=lambda j: j.core[0])
    journal_starts = [j.core[0] for j in journals]
    first_ref: dict[str, int] = {}
    first_read: dict[str, tuple[int, int, int, int]] = {}  # reading-order key of the first cite
    first_read_at: dict[str, int] = {}  # where that cite stands, -1 when in a note
    first_in_note: dict[str, int] = {}  # where the first cite stands, in a note or not
    for c in cites:
        if not c.target:
            continue
        if order is None:
            first_ref.setdefault(c.target, c.start)
            continue
        key = order.key(c.start)
        if c.target not in first_read or key < first_read[c.target]:
            first_read[c.target] = key
            note = order.note_of(c.start)
            # names are looked for from the body after the note's number
            first_ref[c.target] = c.start if note is None else min(c.start, order.notes[note].anchor)
            first_read_at[c.target] = c.start if note is None else -1
            first_in_note[c.target] = c.start
    lead_in: dict[str, tuple[int, int]] = {}  # key -> (the first citation's sentence start, the citation)
    for key, pos in list(first_ref.items()):
        # the sentence before a case's first citation may already name it ("... the statement at
        # issue in Jackson was admissible. United States v. Jackson, 608 F.3d 100"): names are
        # looked for from there, but not in the citation's own sentence before the citation
        if key in first_read and pos != first_read_at[key]:
            # first cited in a note: the sentence that calls the note may already name the case
            # ("the Franks hearing1 conducted ..." with note 1 citing Franks v. Delaware)
            own = _sentence_start(text, pos)
            if own < pos and order is not None and order.note_of(own) is None:
                first_ref[key] = own
                first_read[key] = order.key(own)
                # in the note, the citation's own name cut short stays the citation's
                lead_in[key] = (first_in_note[key], first_in_note[key])
            continue
        back, own = _previous_sentence_start(text, pos)
        if back < pos and (order is None or (order.note_of(pos) is None and order.note_of(back) is None)):
            lead_in[key] = (own, pos)
            first_ref[key] = back
            if key in first_read:
                first_read[key] = order.key(back)
    _confirm_other_party_names(text, targets, first_ref)
    companies = _company_names(cites, targets)
    abbreviations = defined_abbreviations(text)
    bare_cites = sorted(
        (c for c in cites if c.kind in ("full", "short") and c.history_of is None and c.parallel_of is None),
        key=lambda c: c.core[0],
    )
    bare_starts = [c.core[0] for c in bare_cites]
    found: list[tuple[int, int, str, str, bool, tuple[str, ...]]] = []
    taken = _Spans()
    refs_by_target = _CitesByTarget(cites)
    # full names (both parties) count even before a cite: "including Lehnert v. Ferris Faculty Ass'n, ..."
    # start, end, key, is_full_name, the group of same-named cases it stands for, and its place in
    # the order the hits would have if every case were looked for in turn (`targets` order)
    name_hits: list[tuple[int, int, str | None, bool, _SameNames | None, tuple[int, int, int]]] = []
    # with many cases to look for, each is looked for where its first word stands
    scanned = sum(1 for key in first_ref if key in targets and not (seeds_only and targets[key].authority is None))
    words = _WordStarts(text) if scanned > _INDEX_FROM else None
    looked_for: list[tuple[int, str]] = []  # (place in `targets`, key) of the cases looked for by name
    seq = itertools.count()
    for index, (key, tgt) in enumerate(targets.items()):
        if tgt.authority is None and seeds_only:
            continue
        if tgt.authority is not None:
            full_re = _full_name_regex(tgt.authority.name)
            if full_re is not None:
                for m in full_re.finditer(text):
                    name_hits.append((m.start(), m.end(), key, True, None, (index, 0, next(seq))))
            for nick in tgt.authority.nicknames:
                for m in re.finditer(name_pattern(nick) + r"(?!\w)", text, re.I):
                    name_hits.append((m.start(), m.end(), key, True, None, (index, 0, next(seq))))
        if key in first_ref and _short_names(tgt.names):
            looked_for.append((index, key))
    by_name = _by_name(words, looked_for, targets) if words is not None else {}
    if order is not None:
        # notes read at their anchors put text out of order: the group's bisections over text
        # positions would not hold, so same-named cases are weighed case by case
        by_name = {name: members for name, members in by_name.items() if len(members) == 1}
    shared = {key for members in by_name.values() for _, key in members}
    for index, key in looked_for:
        if key in shared:
            continue  # found through its names below
        # few cases to look for, or names that overlap where they occur: each case on its own
        short_re = _name_regex(targets[key].names)
        anchors = _names_anchors(targets[key].names) if words is not None else None
        if words is not None and anchors is not None:
            matches = words.finditer(short_re, anchors, first_ref[key])
        else:
            matches = short_re.finditer(text, first_ref[key])
        read_from = first_read.get(key)
        for m in matches:
            if read_from is not None and order.key(m.start()) < read_from:
                continue  # read before the first citation (a note read earlier)
            name_hits.append((m.start(), m.end(), key, False, None, (index, 1, next(seq))))
    for name, members in by_name.items():
        spans = words.matches[name] or [] if words is not None else []
        if len(members) == 1:
            index, key = members[0]
            read_from = first_read.get(key)
            for a, b in spans[bisect.bisect_left(spans, (first_ref[key],)) :]:
                if read_from is not None and order.key(a) < read_from:
                    continue  # read before the first citation (a note read earlier)
                name_hits.append((a, b, key, False, None, (index, 1, next(seq))))
            continue
        group = _SameNames(members, first_ref, cites)
        for a, b in spans[bisect.bisect_left(spans, (group.firsts[0],)) :]:
            n = group.active(a)
            index, key = group.first_in_order[n - 1]
            name_hits.append((a, b, key, False, group, (index, 1, next(seq))))
    name_hits.extend((a, b, k, full, None, (len(targets), 0, next(seq)))
                     for a, b, k, full in _label_hits(text, cites, targets, seeds_only))
    # longest first so "Perry Educ. Ass'n" wins over "Perry"
    name_hits.sort(key=lambda h: (h[0], -(h[1] - h[0]), h[5]))
    # the authorities each exact span could name: keys, and groups of same-named cases
    keys_at: dict[tuple[int, int], list[str | _SameNames | None]] = {}
    for s, e, k, _, group, _ in name_hits:
        keys_at.setdefault((s, e), []).append(group if group is not None else k)
    for start, end, key, is_full, _, _ in name_hits:
        if not text[start : start + 1].isupper():
            continue
        end = trim_end(text, start, end)
        if covered.overlaps(start, end) or taken.overlaps(start, end):
            continue
        if key is None:  # the label of something that is no case here (a slip opinion)
            taken.add(start, end)
            continue
        if _followed_by_journal(text, end, journals, journal_starts) or re.search(
            r"(?:Note|Comment|Recent Case)s?, $", text[max(0, start - 16) : start]
        ):
            continue
        if is_full and _another_label_follows(text, end, key, targets):
            taken.add(start, end)
            continue  # "Acevedo-Feliciano v. Ruiz-Hernández (Acevedo-Feliciano I)": another decision
        if is_full and _names_the_next_bare_cite(end, key, bare_cites, bare_starts):
            continue  # "In United States v. Jackson, we explained ... 544 F.3d 351": another decision
        if not is_full and key in lead_in and (
            lead_in[key][0] <= start < lead_in[key][1]
            or (start < lead_in[key][1] and _V_BEFORE_CITE.fullmatch(text, end, lead_in[key][1]))
        ):
            # the first citation's own name, cut short ("Rutan v. Repub. Party of Ill., 497 U.S."):
            # its words belong to that citation, so no other case of the same name may claim them
            taken.add(start, end)
            continue
        if not is_full and _another_label_follows(text, end, key, targets):
            continue  # "See Acevedo-Feliciano v. Ruiz-Hernández (Acevedo-Feliciano I), No. 01-1445"
        if not is_full and _COURT_OF.search(text, max(0, start - 24), start):
            continue  # "the Supreme Court of Puerto Rico": a court's name, not a decision's
        if not is_full and text[start:end] in abbreviations:
            continue  # "the Federal Energy Regulatory Commission (FERC)": the body, not "FERC v. Mississippi"
        if not is_full and _looks_like_person(text, start, end, text[start:end], ends_heading):
            continue
        if not is_full and names_a_party(text[start:end], parties) and not _as_decision(text, start, end):
            continue  # the citing case's own party ("plaintiff IMS Health", "Snepp was employed")
        if not is_full and key in companies and _names_the_company(text, start, end):
            words = {w.strip(".,").replace("’", "'").lower() for w in text[start:end].split()}
            if any(words <= party for party in companies[key]):
                continue  # the cited case's corporate party: "Kodak copiers", "Kodak's market share"
        # which authority: several seeds may share a name ("Bernstein"): the one referred to last
        parts = keys_at.get((start, end), [])
        if None in parts:  # the same words are the label of something that is no case here
            taken.add(start, end)
            continue
        group = parts[0] if len(parts) == 1 and isinstance(parts[0], _SameNames) and parts[0].exact else None
        if group is not None and group.active(start) > 1:
            last, count = group.before(start)
            chosen = cites[last].target if last is not None else key
            amb = count > 1
            found.append((start, end, chosen, "name_only", amb, group.candidates(count) if amb else ()))
            taken.add(start, end)
            continue
        sharing: set[str | None] = set()
        for part in parts:
            if isinstance(part, _SameNames):
                sharing |= part.active_keys(start)
            else:
                sharing.add(part)
        if len(sharing) > 1:
            # the authority referred to last (a cite in subsequent history does not count);
            # ambiguous only when the opinion has cited more than one of them
            last, cited = refs_by_target.before(sharing, start)
            chosen = cites[last].target if last is not None else key
            amb = len(cited) > 1
            found.append((start, end, chosen, "name_only", amb, tuple(sorted(cited)) if amb else ()))
        else:
            found.append((start, end, key, "name_only", False, ()))
        taken.add(start, end)
    # "McCready at 472" that eyecite left: a name followed by a pin
    out = []
    for start, end, key, kind, amb, cands in found:
        m = re.compile(r" at (?=\*?\d)").match(text, end)
        if m is None:
            # "Allen, 967 at 699": a short cite whose reporter the court left out, when the
            # volume is the named case's
            m = re.compile(r", (\d{1,4}) at (?=\*?\d)").match(text, end)
            tgt = targets.get(key)
            if m is not None and not (tgt is not None and any(v.split("|")[0] == m.group(1) for v in tgt.volume_keys)):
                m = None
        if m:
            parsed = clauses.parse_pin(text, m.end())
            if parsed:
                out.append((start, parsed[1], key, "short:" + parsed[0], amb, cands))
                continue
        out.append((start, end, key, kind, amb, cands))
    return out
