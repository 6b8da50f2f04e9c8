"""Citations as eyecite finds them, read further: names, pins, parentheticals, structure, signals.

eyecite locates reporter cites, short forms, id. and supra; this module turns each into a `Cite`
record with what a citator needs that eyecite leaves open: where the case name begins, the pin
as the corpus writes it, the court parenthetical that ends a full cite, explanatory
parentheticals, parallel cites, subsequent history, the parenthetical a cite sits in, and the
signal that introduces it (string-cite members inherit the opening signal). It also adds what
eyecite skips but an id. may refer to (constitutions, rules, record cites) and the short forms
Hyperscan misses. Offsets are working-text offsets (see `citations.text`).
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from eyecite import get_citations
from eyecite.models import (
    FullCaseCitation,
    FullJournalCitation,
    FullLawCitation,
    IdCitation,
    ReferenceCitation,
    ShortCaseCitation,
    SupraCitation,
)

from citator.citations import clauses, eyecite_speedups, signals
from citator.citations.text import PreparedText
from citator.citations.tokenizer import get_tokenizer
from eyecite.tokenizers import Tokenizer, default_tokenizer

logger = logging.getLogger(__name__)

__all__ = [
    "Cite",
    "read_cites",
    "link_structure",
    "assign_signals",
    "signal_of_unread_short",
    "normalize_cite",
    "cite_key",
    "split_cite",
    "seed_cites",
    "seed_cite_strings",
    "trim_end",
]

_WS = re.compile(r"\s+")
_CITE_PARTS = re.compile(r"^\s*(\d+)\s+(.+?)\s+(\d+)\s*$")


def normalize_cite(cite: str) -> str:
    """Collapse spacing so "176 F. 3d 1132" and "176 F.3d 1132" compare equal."""
    return _WS.sub(" ", cite).replace(". ", ".").replace(" .", ".").strip()


def cite_key(volume: str, reporter: str, page: str | None = None) -> str:
    """A comparison key for a reporter cite: spacing inside the reporter does not count."""
    rep = re.sub(r"\s+", "", reporter).lower()
    return f"{volume}|{rep}|{page}" if page is not None else f"{volume}|{rep}"


def split_cite(cite: str) -> tuple[str, str, str] | None:
    """(volume, reporter, page) of a normalized single cite such as a resolved target's
    "438 U.S. 265". Seed citations as a user writes them go through `seed_cites` instead."""
    m = _CITE_PARTS.match(cite)
    return (m.group(1), m.group(2), m.group(3)) if m else None


@lru_cache(maxsize=4096)
def seed_cites(cite: str) -> tuple[tuple[str, str, str], ...]:
    """Every reporter form of a seed's citation, read by eyecite like the opinion's own cites.

    A seed may be written as one cite ("922 F. Supp. 1426"), a parallel string ("438 U.S. 265,
    98 S. Ct. 2733, 57 L. Ed. 2d 750"), with a nominative reporter ("18 U.S. (5 Wheat.) 184",
    which courts also cite as "5 Wheat. 184"), or as a Westlaw or neutral cite ("2007 WL 954771",
    "2010 ME 12"). Reading it with the same parser as the text means a seed matches exactly the
    citations the text's parser would read for it, with the reporter as eyecite corrects it.
    Returns (volume, reporter, page) triples in the order written; empty when nothing parses.
    """
    forms: list[tuple[str, str, str]] = []
    eyecite_speedups.installed()  # exact, faster court lookup inside eyecite (see that module)
    for citation in get_citations(cite):
        if not isinstance(citation, FullCaseCitation):
            continue
        groups = citation.groups
        volume, page = groups.get("volume"), groups.get("page")
        if not volume or not page or not str(page).isdigit():
            continue
        forms.append((str(volume), citation.corrected_reporter(), str(page)))
        nominative_volume, nominative = groups.get("volume_nominative"), groups.get("reporter_nominative")
        if nominative_volume and nominative:
            forms.append((str(nominative_volume), nominative.strip(), str(page)))
    return tuple(dict.fromkeys(forms))


def seed_cite_strings(cite: str) -> list[str]:
    """`seed_cites` written out ("18 U.S. 184", "5 Wheat. 184"); the cite itself when eyecite
    reads no reporter cite in it (a docket number), so callers that match text loosely keep it."""
    forms = [f"{v} {r} {p}" for v, r, p in seed_cites(cite)]
    return forms or [cite]


# --- internal records -----------------------------------------------------------------------------


@dataclass
class Cite:
    """One citation eyecite found, read further by `clauses` (working-text offsets)."""

    index: int
    kind: str  # full, short, id, supra, reference, other
    core: tuple[int, int]
    start: int
    end: int
    name: str | None = None
    src_start: int = 0
    volume: str | None = None
    reporter: str | None = None
    page: str | None = None
    pin: str | None = None
    paren_spans: list[tuple[int, int]] = field(default_factory=list)
    tail_end: int = 0
    history: str | None = None
    history_of: int | None = None  # index of the cite whose subsequent history this cite is
    parallel_of: int | None = None
    enclosing: int | None = None  # index of the cite in whose parenthetical this one sits
    target: str | None = None  # resolved key: an authority key, or "cite:VOL REP PAGE"
    ambiguous: bool = False
    candidates: tuple[str, ...] = ()
    signal: str = "none"
    #: for kind "other": what it is ("statute", "register", "record", "treatise", "slip", "web"), which decides
    #: whether an id. with a page pin can refer to it
    authority_type: str | None = None
    #: what resolution repaired to reach the target (a misprinted volume, a pin cite written as
    #: a full cite); None when the citation was read as written
    note: str | None = None
    #: for an id.: the rule that chose its antecedent when it is not simply the citation before
    #: it (see `citations.resolve.ID_RULES`); None otherwise
    id_rule: str | None = None

    @property
    def full_key(self) -> str | None:
        if self.volume and self.reporter and self.page:
            return cite_key(self.volume, self.reporter, self.page)
        return None


# --- eyecite pass ---------------------------------------------------------------------------------


_fallback_warned = False


def _warn_tokenizer_fallback(exc: Exception) -> None:
    global _fallback_warned
    if not _fallback_warned:
        _fallback_warned = True
        logger.warning("Hyperscan tokenizer failed (%s: %s); using eyecite's default tokenizer, which is slower",
                       exc.__class__.__name__, exc)


def read_cites(prepared: PreparedText, tokenizer: str | Tokenizer) -> list[Cite]:
    """Every citation in the working text, read into `Cite` records, in text order."""
    text = prepared.text
    eyecite_speedups.installed()  # exact, faster court lookup inside eyecite (see that module)
    chosen = get_tokenizer(tokenizer)
    try:
        found = get_citations(text, tokenizer=chosen)
    except Exception as exc:
        if chosen is default_tokenizer:
            raise
        # a Hyperscan database that cannot be built or loaded here: the default finds the same,
        # several times slower, so say so once
        _warn_tokenizer_fallback(exc)
        found = get_citations(text, tokenizer=default_tokenizer)
    cites: list[Cite] = []
    for citation in found:
        s, e = citation.span()
        if isinstance(citation, FullCaseCitation):
            groups = citation.groups
            if not groups.get("page") or not str(groups.get("page")).isdigit():
                continue
            c = Cite(len(cites), "full", (s, e), s, e)
            c.volume = groups.get("volume")
            c.reporter = citation.corrected_reporter()
            c.page = groups.get("page")
            _read_full(text, c)
            database = bool(re.search(r"WL|LEXIS", c.reporter or ""))
            if database:
                _read_docketed_name(text, c)
            wl_pin = re.compile(r" ?,? ?at (?=\* ?\d)").match(text, c.core[1])
            if wl_pin and database:
                # "Bender, 1997 WL 582901 at *3": a short form of a database cite, unless the
                # court and date follow ("Ahern v. Shinseki, No. 05-cv-117, 2009 WL 1615402, at
                # *22 (D.R.I. June 9, 2009)": the first, full cite, pinned)
                parsed = clauses.parse_pin(text, wl_pin.end())
                if parsed:
                    c.pin, c.end = parsed
                    court_end = clauses.court_parenthetical_end(text, c.end)
                    if court_end is None:
                        c.kind = "short"
                    else:
                        c.end = court_end
                    c.paren_spans, c.tail_end = clauses.read_parentheticals(text, c.end)
        elif isinstance(citation, ShortCaseCitation):
            groups = citation.groups
            c = Cite(len(cites), "short", (s, e), s, e)
            c.volume = groups.get("volume")
            c.reporter = citation.corrected_reporter()
            _read_short(text, c)
        elif isinstance(citation, IdCitation):
            c = Cite(len(cites), "id", (s, e), s, e)
            _read_id(text, c)
        elif isinstance(citation, SupraCitation):
            c = Cite(len(cites), "supra", (s, e), s, e)
            if not _read_supra(text, c):
                continue
        elif isinstance(citation, ReferenceCitation):
            c = Cite(len(cites), "reference", (s, e), s, e)
            if not _read_reference(text, c):
                continue
        else:
            kind = "journal" if isinstance(citation, FullJournalCitation) else "other"
            c = Cite(len(cites), kind, (s, e), s, e)
            c.tail_end = e
            if kind == "other":
                # a bare section ("§ 7 of the Act") is a statute's section as much as "29 U.S.C. § 157"
                bare_section = text.startswith("§", s)
                c.authority_type = "statute" if isinstance(citation, FullLawCitation) or bare_section else None
                if isinstance(citation, FullLawCitation) and _PAGED_LAW.fullmatch(citation.groups.get("reporter") or ""):
                    c.authority_type = "register"
            if kind == "journal":
                c.start = _journal_title_start(text, s)
        cites.append(c)
    cites = _without_pages_that_are_volumes(text, cites)
    cites.extend(_missed_short_cites(text, cites))
    cites.extend(_extra_authorities(text, cites))
    cites.sort(key=lambda c: (c.core[0], c.core[1]))
    cites = _supras_with_volume(text, cites)
    for i, c in enumerate(cites):
        c.index = i
        prev = cites[i - 1] if i else None
        if prev is not None and c.name is not None and c.start < prev.core[1] <= c.core[0]:
            # a name never runs back into the citation before it ("133 T.C. No. 7, 2009 WL
            # 2924091, at *8" is two cites, not a case named "T.C. No. 7")
            c.start, c.name = c.core[0], None
    return cites


def _read_full(text: str, c: Cite) -> None:
    name_start = clauses.case_name_start(text, c.core[0])
    if name_start is not None:
        c.start = name_start
        c.name = _unbroken(text[name_start : c.core[0]].rstrip(" ,"))
    pos = c.core[1]
    m = re.match(r" ?, ?(?=\*?\d)", text[pos : pos + 4])
    if m:
        parsed = clauses.parse_pin(text, pos + m.end())
        if parsed:
            c.pin, pos = parsed
    court_end = clauses.court_parenthetical_end(text, pos)
    c.end = court_end or pos
    spans, tail = clauses.read_parentheticals(text, c.end)
    c.paren_spans = spans
    c.tail_end = tail


#: A docket number written between a case name and its database cite, which is how courts
#: identify an unreported decision: "Thomas v. Hogan, No. 1:08-CV-0417, 2008 WL 4793739", also
#: bracketed inside a quotation ("[No. 1:08-CV-0417,]") or broken at a hyphen ("No. 05- cv-117").
#: A docket number holds a hyphen or colon, which keeps "Local No. 1" a name.
_DOCKET_BEFORE = re.compile(
    r"(?:, ?|\[)Nos?\. ?(?:[\w.:/]*[-–:][\w.:/ -]*?\w)(?:(?:, ?| ?& ?| and )[\w.:/]*[-–:][\w.:/ -]*?\w)*,\]? ?$"
)


#: The blanks a court leaves for a decision's reporter volume and page before its database cite
#: ("United States v. Santana, ___ F.3d ___, 1993 WL 345746"); plain text often loses the
#: underscores and the comma ("Santana, F.3d , 1993 WL 345746", "Santana, F.3d 1993 WL 345746").
_BLANK_REPORTER_BEFORE = re.compile(
    r", ?(?:_{2,} ?)?(?:F\. ?(?:[234]d|Supp\.(?: ?[23]d)?)|U\. ?S\.|S\. ?Ct\.|F\. ?App'x)(?: ?_{2,})? ?,? ?$"
)


def _read_docketed_name(text: str, c: Cite) -> None:
    """The case name before a docket number, or before the blanks left for a reporter cite,
    before a database cite, kept in the cite's span."""
    m = _DOCKET_BEFORE.search(text, max(0, c.core[0] - 80), c.core[0])
    if not m:
        m = _BLANK_REPORTER_BEFORE.search(text, max(0, c.core[0] - 40), c.core[0])
    if not m:
        return
    after_comma = m.start() + 1 if text[m.start()] == "," else m.start()
    name_start = clauses.case_name_start(text, after_comma)
    if name_start is None:
        return
    c.start = name_start
    c.name = text[name_start : m.start()].rstrip(" ,")


#: A short cite's one-word name written without its comma ("See Swain 542 F.2d at 369-70;",
#: "Compare Goldman 563 F.2d at 504-05"): the word stands right after a signal, a sentence's end
#: or a string's semicolon.
_UNCOMMAED_NAME = re.compile(
    r"(?:[.;:] |\b(?:See|see|also|Compare|compare|Cf\.|cf\.|e\.g\.,|Accord|accord) )"
    r"(?P<name>[A-Z][a-z][A-Za-z'’-]*) $"
)


def _uncommaed_name_start(text: str, core_start: int) -> int | None:
    """Where a short cite's one-word name begins when the comma after it was left out, or None."""
    m = _UNCOMMAED_NAME.search(text, max(0, core_start - 40), core_start)
    if m is None or m.group("name").lower() in clauses._LEADERS:
        return None
    return m.start("name")


def _unbroken(name: str) -> str:
    """A name as its words are spelled: a hyphenated word that the line's end split ("Colon-" then
    "Osorio") is one word again, so the name matches the case ("Colon-Osorio, 10 F.2d at 45")."""
    return re.sub(r"(?<=[a-z])- (?=[A-Z][a-z])", "-", name)


#: A court-and-year or a bare year parenthetical right after a short cite, which some opinions
#: repeat ("Chevron, 467 U.S. at 844 (1984) (citing ...)"): the cite's date, not an explanation.
_SHORT_DATE = re.compile(
    r" ?\((?:[A-Z0-9][\w.'&]*\.? ){0,5}(?:[A-Z][a-z]{2,4}\.? \d{1,2}, )?(?:1[6-9]|20)\d\d\)"
)


def _read_short(text: str, c: Cite) -> None:
    blank = _BLANK_OFFICIAL_SHORT.search(text, max(0, c.core[0] - 30), c.core[0])
    anchor = blank.start() if blank else c.core[0]
    name_start = clauses.case_name_start(text, anchor)
    if name_start is None:
        name_start = _uncommaed_name_start(text, anchor)
    if name_start is not None:
        c.start = name_start
        c.name = _unbroken(text[name_start:anchor].rstrip(" ,"))
    elif blank:
        c.start = blank.start()
    m = re.compile(r"(?:[^()]{0,40}?)\bat ").match(text, c.core[0])
    pos = c.core[1]
    if m:
        parsed = clauses.parse_pin(text, m.end())
        if parsed:
            c.pin, pos = parsed
            c.page = None
    c.end = max(pos, c.core[1]) if c.pin else c.core[1]
    c.end = trim_end(text, c.start, c.end)
    dated = _SHORT_DATE.match(text, c.end)
    if dated:
        c.end = dated.end()  # the court and year a short cite may repeat: "Clayton, 451 U.S. at 689 (1981)"
    spans, tail = clauses.read_parentheticals(text, c.end)
    c.paren_spans, c.tail_end = spans, tail


def trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,;":
        end -= 1
    return end


def _read_id(text: str, c: Cite) -> None:
    m = re.compile(r"(?i)(?:id\.|ibid\.?)").match(text, c.core[0])
    pos = m.end() if m else c.core[1]
    at = re.compile(r" ?,? ?at (?=\*?\d)").match(text, pos)
    c.end = pos
    if at:
        parsed = clauses.parse_pin(text, at.end())
        if parsed:
            c.pin, c.end = parsed
    spans, tail = clauses.read_parentheticals(text, c.end)
    c.paren_spans, c.tail_end = spans, tail


_SUPRA_BEFORE = re.compile(
    r"(?P<name>(?:[A-Z][\w.'’&-]*|of|v\.|the|and|&|de|ex|rel\.)(?: (?:[A-Z][\w.'’&-]*|of|v\.|the|and|&|de|ex|rel\.)){0,8}),"
    r"(?: (?P<volume>\d{1,4})(?: (?P<reporter>[A-Z][\w. ']{0,20}?))?,?)? $"
)


def _read_supra(text: str, c: Cite) -> bool:
    idx = text.find("supra", c.core[0], c.core[1] + 1)
    if idx < 0:
        idx = text.rfind("supra", max(0, c.core[0] - 10), c.core[1] + 6)
    if idx < 0:
        return False
    m = _SUPRA_BEFORE.search(text, max(0, idx - 120), idx)
    if not m:
        return False
    name = m.group("name")
    # trim prose leaders inside the captured run ("In Bakke, supra")
    words = name.split(" ")
    while words and words[0].lower().rstrip(",") in (
        "in",
        "see",
        "also",
        "but",
        "cf.",
        "accord",
        "and",
        "under",
        "the",
        "compare",
    ):
        words.pop(0)
    if not words:
        return False
    name = " ".join(words)
    c.name = name
    c.start = m.end("name") - len(name)
    c.volume = m.group("volume")
    if m.group("reporter"):
        c.reporter = m.group("reporter").strip()
    pos = idx + len("supra")
    c.end = pos
    at = re.compile(r"(?: note \d+)?,? at (?=\*?\d)|, (?=\d)").match(text, pos)
    if at and at.end() > pos:
        parsed = clauses.parse_pin(text, at.end())
        if parsed:
            c.pin, c.end = parsed
    spans, tail = clauses.read_parentheticals(text, c.end)
    c.paren_spans, c.tail_end = spans, tail
    return True


def _read_reference(text: str, c: Cite) -> bool:
    m = re.compile(r"(?P<name>.+?) at (?=\*?\d)").match(text, c.core[0], c.core[1] + 1)
    if not m:
        return False
    c.name = m.group("name").strip()
    parsed = clauses.parse_pin(text, m.end())
    if not parsed:
        return False
    c.pin, c.end = parsed
    spans, tail = clauses.read_parentheticals(text, c.end)
    c.paren_spans, c.tail_end = spans, tail
    return True


def _journal_title_start(text: str, core_start: int) -> int:
    """A law-review cite's title runs back to the previous sentence or clause end."""
    floor = max(0, core_start - 300)
    head = text[floor:core_start]
    cut = max(head.rfind(". "), head.rfind("; "), head.rfind("("))
    return floor + cut + 1 if cut >= 0 else floor


_EXTRA_AUTHORITY = re.compile(
    r"\d{1,3} U\. ?S\. ?C\.(?: ?A\.)? (?:§+ ?)?\d+[\w()-]*|\d{1,3} C\. ?F\. ?R\. (?:§+ ?|pt\. )?\d+[\w().-]*|"
    r"U\. ?S\. ?Const\.[^;.)]{0,40}|Fed\. ?R\. ?(?:Civ|Crim|App|Evid|Bankr)\. ?P\. ?\d+[\w()]*"
    r"|Restatement \([A-Z][a-z]+\) of [A-Z][\w ]{2,40}§ ?\d+"
)


#: Law reporters cited by page, not by section: the Federal Register, the Statutes at Large, the
#: Congressional Record, U.S.C.C.A.N. ("67 Fed. Reg. 51,765, 51,766"; "Id. at 51,765" cites it).
#: They, and agency rulings ("SSR 85-15"), are the "register" kind of authority.
_PAGED_LAW = re.compile(r"Fed\. ?Reg\.|Stat\.|Cong\. ?Rec\.|U\. ?S\. ?C\. ?C\. ?A\. ?N\.")


#: A party's brief and the transcript as opinions also cite them: "Appellant's Br. 15",
#: "Trans. at 26", "Transcript, Non-Jury Trial Proceedings - Day 1, at 106", "Tr. Vol. III at 66".
BRIEF_OR_TRANSCRIPT = re.compile(
    r"\b(?!(?:See|Cf|But|Accord|Compare|Also)\b)(?:[A-Z][\w'’.]* ){1,3}Br\. (?:at )?\d+|\bTrans\. (?:at )?\d+"
    r"|\bTranscript, [^.;()]{0,60}?,? at \d+"
    # a volume of the transcript or the appendix: "Tr. Vol. III at 66", "Trans., Vol. IV, at 153"
    r"|\b(?:Tr|Trans|Transcript|App|R|Rec|Record)\.?,? [Vv]ol\.? ?[IVXLC\d]+,? (?:at )?(?:p\. )?\d+"
)
_RECORD_CITE = re.compile(
    r"\bJ\. ?A\. ?\d+|\bApp\. (?:to Pet\. for Cert\. )?\d+a?\b|\bBrief (?:for|of) [^;()]{3,150}? \d+(?:[-–]\d+)?"
    r"|\bTr\. of Oral Arg\. \d+|\b(?:[A-Z][\w-]* ){0,3}(?:Agreement|Compl\.|Complaint|Tr\.|Transcript|Aff\.|"
    r"Affidavit|Decl\.|Declaration|Dep\.|Deposition|Ex\.|Exhibit|Dkt\.|Docket|Record|Mem\.) (?:No\. )?(?:at )?"
    r"(?:p\.? ?|pp\. ?|¶ ?)?\d+|" + BRIEF_OR_TRANSCRIPT.pattern
)
#: The rest of a record cite's pages after the first: "Br. 14-15", "J.A. 12, 15-16".
_RECORD_PAGES = re.compile(r"(?:[-–]\d+)?(?:, ?\d+(?:[-–]\d+)?(?= ?[(;.,]|$))*")
#: A web page cited by its address, usually with "(last visited Aug. 5, 2010)": an id. after it
#: cites the page, not the case before it.
_WEB_CITE = re.compile(r"\b(?:https?://|www\.)[^\s()<>\"”]+[^\s()<>\"”.,;:]")
_BARE_ID = re.compile(r"(?<![\w.])(?:Id|id|Ibid|ibid)\.")

#: State and federal codes written by chapter or section, the Sentencing Guidelines, and the
#: Constitution's articles: cited by section, never by page.
_CODE_CITE = re.compile(
    r"\b(?:[A-Z][A-Za-z]*\.? ){1,4}(?:ch\.|c\.) ?\d+[A-Z]?,? (?:§+ ?)?\d+[\w().-]*"
    r"|\bU\. ?S\. ?S\. ?G\.,? (?:\([^()]{1,40}\) )?(?:§+ ?)?\d[\w.()]*"
    r"|\b\d{1,3} [A-Z][\w.]*(?: [A-Z][\w.]*){0,3} ?(?:Ann\.|A\.)? ?§+ ?\d[\w().:-]*"
    # an annotated code whose "§" the typed text lost: "26 M.R.S.A. 488", "14 M.R.S.A. 8101-8118"
    r"|\b\d{1,3} (?:[A-Z][\w.]* ){0,3}?[A-Z][A-Za-z.]*(?:S\.A\.|Ann\.) \d[\w().-]*"
)
#: A slip opinion cited by docket number and slip-opinion page: not a reporter case.
_SLIP_CITE = re.compile(
    r"\bNos?\. [\w-]+(?: \d+)?(?:, [\w-]+)*,\s+slip op\. at \d+(?:[-–]\d+)?"
    r"|\b(?:Maj\.|Majority|Dissent|Dissenting|Diss\.|Concurring|Conc\.|[Ss]lip|[Pp]lurality) [Oo]p\.?,? (?:at )?\d+"
    # a separate opinion's reference to the majority's pages, and back: "ante at 11", "post, at 4"
    r"|\b(?:ante|post),? at \d+"
)
#: A Social Security Ruling ("SSR 85-15", "Social Security Ruling (SSR) 83-14"): cited by its number
#: like a regulation, and an id. after it cites it.
_RULING_CITE = re.compile(r"\bS\.? ?S\.? ?R\.? \d{2}-\d{1,3}p?\b|\bSocial Security Ruling (?:\(SSR\) )?\d{2}-\d{1,3}p?\b")
#: Treatises and books: "3 Nimmer § 10.09[B]", "H. Meyers, The Nationality of Ships 147 (1967)",
#: "5 C. Wright & A. Miller, Federal Practice and Procedure § 1357".
_TREATISE_CITE = re.compile(
    r"\b\d{1,2}\s+(?:[A-Z]\. )?[A-Z][A-Za-z'-]+(?: (?:&|and) (?:[A-Z]\. )?[A-Z][A-Za-z'-]+)?,?\s+"
    r"(?:[A-Z][\w']*(?: (?:of|and|on|the|[A-Z][\w']*))*,?\s+)?(?:§+\s*\d+(?:\.\d+)?|\d+\.\d+)(?:\[\w+\])*(?:\(\w+\))*"
    r"|\b[A-Z]\. (?:[A-Z]\. )?[A-Z][a-z]+(?: (?:&|and) [A-Z]\. [A-Z][a-z]+)?, (?:The )?[A-Z][\w']*(?: (?:of|and|on|the|in|[A-Z][\w']*)){0,10} \d+(?:[-–]\d+)? \(\d{4}\)"
)
#: The standard treatises by title, after a volume number or an author ("7A Moore's Federal Practice
#: C.16 at 700.13", "4 Charles Alan Wright & Arthur R. Miller, Federal Practice and Procedure 1074, at
#: 462 (2d ed. 1987)", "9 Collier on Bankruptcy 8001.06"): cited by section, whose "§" these texts
#: often lose, and page; the title alone ("the Federal Rules of Criminal Procedure") is no citation.
_TREATISE_TITLES = (
    r"(?:Federal Practice and Procedure|Moore's Federal Practice|Moore's Manual|Weinstein's Federal Evidence|"
    r"Weinstein's Evidence|McCormick on Evidence|Wigmore on Evidence|Williston on Contracts|Corbin on Contracts|"
    r"Prosser and Keeton on (?:the Law of )?Torts|Nimmer on Copyright|McCarthy on Trademarks|Collier on Bankruptcy|"
    r"Couch on Insurance|Appleman on Insurance|Antitrust Law|Search and Seizure|Criminal Procedure|"
    r"Substantive Criminal Law|Federal Courts)"
    r"(?:[:,]? (?:Civil|Criminal)(?: \d?d)?)?(?: \(\d?d ed\. [^)]{0,20}\))?"
)
_TREATISE_SECTION = (
    r"(?:,? (?:§+ ?)?(?:[A-Z]\.)?\d[\w.:\[\]()-]*(?: ?[-–] ?[\w.]+)?(?:,? (?:at|p\.) [\w.-]+(?: n\.\d+)?)?)"
)
#: after a volume ("7A Moore's ...", "4 Charles Alan Wright & Arthur R. Miller, Federal ..."), the
#: section may be left out; after an author alone ("Phillip E. Areeda, Antitrust Law 340") it is
#: needed, so a list of titles in prose ("the Rules of Evidence, Criminal Procedure, and ...") is none
_TREATISE_TITLE = re.compile(
    r"\b(?:\d{1,3}[A-Z]?|[IVX]{1,4}) (?:[A-Z][\w.'’&-]*,? (?:[\w.'’&-]+,? ){0,12}?)?"
    + _TREATISE_TITLES + _TREATISE_SECTION + "?"
    + r"|, " + _TREATISE_TITLES + _TREATISE_SECTION
)


_SHORT_FORM = re.compile(
    r"(?<![\w.])(?P<volume>\d{1,4}) (?P<reporter>(?:[A-Z][A-Za-z0-9'’]*\.? ?){1,5}?),? at (?=\*?\d)"
)


_VOLUME_AFTER = re.compile(r"(?P<volume>\d{1,4}) (?P<reporter>(?:[A-Z][A-Za-z'’]*\.? ?){1,4}(?:\d[a-z]{1,2})?),? at (?=\*?\d)")


_SIGNAL_IN_NAME = re.compile(r"(?:^|(?<=[.;]))\s+(?:See,? e\.g\.,|See also|See|Cf\.|But see|But cf\.|Accord|Compare)\s+(?=[A-Z])")


#: "supra," and the comma before it, right before a short cite: "Berrios Lopez, supra, 951 F.2d at 431".
_SUPRA_THEN_VOLUME = re.compile(r",\s*supra,\s*$")


def _supra_before_short(text: str, c: Cite) -> Cite | None:
    """The supra that a short cite right after "Name, supra," belongs to, read whole.

    eyecite reads "Berrios Lopez, supra, 951 F.2d at 431" (a name of two words) as a short cite
    alone, with no supra citation before it, where it reads "Abreu, supra, 952 F.2d at 1466" as
    both; either way the court wrote one supra reference to the named case, pinned by the short
    cite. Returns that supra (name to pin), or None when no "Name, supra," stands right before `c`.
    """
    m = _SUPRA_THEN_VOLUME.search(text, max(0, c.start - 20), c.start)
    if m is None:
        return None
    idx = text.rfind("supra", m.start(), c.start)
    supra = Cite(c.index, "supra", (idx, idx + len("supra")), idx, idx + len("supra"))
    if not _read_supra(text, supra):
        return None
    supra.volume, supra.reporter, supra.pin, supra.end = c.volume, c.reporter, c.pin, c.end
    supra.paren_spans, supra.tail_end = c.paren_spans, c.tail_end
    supra.core = (supra.core[0], c.core[1])
    supra.src_start = c.src_start
    return supra


def _supras_with_volume(text: str, cites: list[Cite]) -> list[Cite]:
    """Merge a supra with the volume, reporter and pin written right after it.

    Courts often repeat the volume of a case they name as supra ("Abreu, supra, 952 F.2d at
    1466"); that is one reference to the named case, pinned, not a supra and a separate short
    cite. Only a short cite that follows the supra's "supra," directly (a comma and spaces) is
    taken, and only when the supra has no pin of its own.
    """
    kept: list[Cite] = []
    for c in cites:
        prev = kept[-1] if kept else None
        if c.kind == "short" and c.pin and not (prev is not None and prev.kind == "supra" and prev.end > c.start - 12):
            unread = _supra_before_short(text, c)
            if unread is not None:
                kept.append(unread)
                continue
        if (
            c.kind == "short"
            and prev is not None
            and prev.kind == "supra"
            and prev.pin is None
            and c.pin
            and c.start >= prev.end
            and re.fullmatch(r"\s*,\s*", text[prev.end : c.start])
        ):
            prev.volume, prev.reporter, prev.pin, prev.end = c.volume, c.reporter, c.pin, c.end
            prev.paren_spans, prev.tail_end = c.paren_spans, c.tail_end
            prev.core = (prev.core[0], c.core[1])
            leader = _SIGNAL_IN_NAME.search(text, prev.start, prev.core[0])
            if leader:
                # the name ran back over the sentence before ("... of the Commissioner. Cf.
                # Bowser, supra, 968 F.2d at 109"): it starts after the signal
                prev.start = leader.end()
                prev.name = _unbroken(text[prev.start : prev.core[0]].rstrip(" ,"))
            continue
        kept.append(c)
    return kept


def _without_pages_that_are_volumes(text: str, cites: list[Cite]) -> list[Cite]:
    """Replace a "full cite" whose page is the volume of the short cite that follows it.

    Slip opinions number their lines in the margin, and a line number before a case name reads
    like a volume and a reporter ("15 Williams, 535 F.3d at 79" became "15 Will. 535"). A page
    followed by a reporter that the opinion cites in full and "at" is that reporter's volume: the
    citation is the short cite.
    """
    reporters = {re.sub(r"\s+", "", c.reporter or "").lower(): c.reporter for c in cites if c.kind == "full"}
    kept = []
    for c in cites:
        if c.kind == "full" and c.page:
            page_start = c.core[1] - len(c.page)
            m = _VOLUME_AFTER.match(text, page_start) if text[page_start : c.core[1]] == c.page else None
            key = re.sub(r"\s+", "", m.group("reporter")).lower() if m else ""
            if m and key in reporters and key != re.sub(r"\s+", "", c.reporter or "").lower():
                short = Cite(0, "short", (page_start, m.end()), page_start, m.end())
                short.volume, short.reporter = m.group("volume"), reporters[key]
                _read_short(text, short)
                if short.pin:
                    kept.append(short)
                    continue
        kept.append(c)
    return kept


def _missed_short_cites(text: str, cites: list[Cite]) -> list[Cite]:
    """Short cites a tokenizer skipped ("438 U. S., at 311" under Hyperscan), kept only when
    the same reporter is cited in full in this opinion, so a tokenizer choice costs no recall."""
    reporters = {re.sub(r"\s+", "", c.reporter or "").lower(): c.reporter for c in cites if c.kind == "full"}
    taken = bytearray(len(text) + 1)  # one flag per character read as part of a citation
    for c in cites:
        end = max(c.end, c.core[1])
        taken[c.start : end] = b"\x01" * max(0, end - c.start)
    extra = []
    for m in _SHORT_FORM.finditer(text):
        key = re.sub(r"\s+", "", m.group("reporter")).lower()
        if key not in reporters or taken[m.start()]:
            continue
        c = Cite(0, "short", (m.start(), m.end()), m.start(), m.end())
        c.volume, c.reporter = m.group("volume"), reporters[key]
        _read_short(text, c)
        if c.pin:
            extra.append(c)
            taken[c.start : c.end] = b"\x01" * max(0, c.end - c.start)
    return extra


def _extra_authorities(text: str, cites: list[Cite]) -> list[Cite]:
    """What eyecite skips but an id. may refer to: the Constitution, court rules, briefs and
    record cites (so an id. after them is not given to a case), and id. forms it misses
    ("Id.;")."""
    # one flag per character, so that checking a match against every citation costs nothing
    taken = bytearray(len(text) + 1)

    def take(a: int, b: int) -> None:
        taken[a:b] = b"\x01" * max(0, b - a)

    for c in cites:
        take(min(c.start, c.core[0]), max(c.tail_end, c.end, c.core[1]))
    extra = []
    for pattern, kind, what in (
        (_EXTRA_AUTHORITY, "other", "statute"),
        (_CODE_CITE, "other", "statute"),
        (_SLIP_CITE, "other", "slip"),
        (_RULING_CITE, "other", "register"),
        (_TREATISE_CITE, "other", "treatise"),
        (_TREATISE_TITLE, "other", "treatise"),
        (_RECORD_CITE, "other", "record"),
        (_WEB_CITE, "other", "web"),
        (_BARE_ID, "id", None),
    ):
        for m in pattern.finditer(text):
            if taken[m.start()]:
                continue
            c = Cite(0, kind, (m.start(), m.end()), m.start(), m.end())
            if kind == "id":
                _read_id(text, c)
            elif what == "web":
                c.authority_type = what
                c.paren_spans, c.tail_end = clauses.read_parentheticals(text, m.end())
                c.tail_end = max(c.tail_end, m.end())
            elif what == "record":
                # a brief or record cite carries its own parentheticals ("Appellant's Br. 14-15
                # (citing Chevron, 467 U.S. at 842)"): a case cited inside them is not the
                # citation an id. after them refers to
                c.authority_type = what
                pages = _RECORD_PAGES.match(text, m.end())
                c.paren_spans, c.tail_end = clauses.read_parentheticals(text, pages.end())
                c.tail_end = max(c.tail_end, pages.end())
            else:
                c.tail_end = m.end()
                c.authority_type = what
            take(c.start, max(c.end, c.tail_end))
            extra.append(c)
    return extra


# --- structure: parallels, history, parentheticals ---------------------------------------------------


#: The blank a slip-era opinion leaves for a pin page of the official reporter not yet paginated,
#: between a short cite or id. and its parallel: " at ___, " (plain text often loses the underscores).
_BLANK_PIN = re.compile(r" ?,? ?at ?_* ?, ?")

#: A short cite's official-reporter cite with a blank pin (and perhaps a blank volume), standing
#: between the case name and the parallel short cite the parser reads ("Irwin, 498 U.S. at ___, 111
#: S. Ct. at 458", "Williams, ___ U.S. at ___, 112 S. Ct. at 1117").
_BLANK_OFFICIAL_SHORT = re.compile(r"(?:\d{1,4} |_* ?)U\. ?S\. at ?_* ?, ?$")

#: What stands between a full cite and its parallel: a comma, or a comma, the blank a slip-era
#: opinion leaves for a pin page not yet known, and a comma ("Irwin v. Veterans Admin., 498 U.S. 89,
#: ___, 111 S. Ct. 453, 457-58 (1990)"; plain text often loses the underscores).
_PARALLEL_GAP = re.compile(r" ?, ?(?:_* ?, ?)?")


def link_structure(text: str, cites: list[Cite]) -> None:
    full_at = {c.core[0]: c for c in cites if c.kind == "full"}  # full cites by where they start
    for i, c in enumerate(cites):
        prev = cites[i - 1] if i else None
        if (
            c.kind in ("short", "full")
            and c.name is None
            and prev is not None
            and prev.kind in ("short", "id")
        ):
            # parallel short forms: "459 U.S. at 537, 103 S.Ct. at 908", "id. at 545, 103 S.Ct. at 912",
            # and an id. whose official pin is left blank: "id. at ___, 111 S. Ct. at 457-58"
            gap = text[prev.end : c.start]
            if re.fullmatch(r" ?, ?", gap) or (prev.pin is None and _BLANK_PIN.fullmatch(gap)):
                c.parallel_of = prev.parallel_of if prev.parallel_of is not None else prev.index
            continue
        if c.kind != "full":
            continue
        # parallel: "438 U.S. 265, 98 S. Ct. 2733, 57 L. Ed. 2d 750 (1978)"
        if (
            prev is not None
            and prev.kind == "full"
            and c.name is None
            and _PARALLEL_GAP.fullmatch(text[prev.core[1] if prev.pin is None else prev.end : c.core[0]] or "x")
        ):
            root = prev.parallel_of if prev.parallel_of is not None else prev.index
            c.parallel_of = root
        # subsequent history: ", reh'g en banc granted, opinion withdrawn, 192 F.3d 1308 (...)"
        nxt = cites[i + 1] if i + 1 < len(cites) else None
        hist = None
        if nxt is not None and nxt.kind == "full":
            hist = clauses.subsequent_history(text, c.end)
            if not (hist and hist[1] == nxt.core[0]):
                hist = None
        if hist is None and c.tail_end > c.end and c.history_of is None:
            # history after the explanatory parentheticals, where the Bluebook puts it: "X, 900
            # F.2d 388 (1st Cir.) (quoting Y, 470 U.S. 564), cert. denied, 111 S. Ct. 233 (1990)"
            hist = clauses.subsequent_history(text, c.tail_end)
            nxt = full_at.get(hist[1]) if hist else None
            if nxt is None or nxt.index <= i:
                hist = None
        if hist is not None and nxt is not None:
            phrase = hist[0]
            cite_text = text[nxt.core[0] : nxt.end]
            c.history = f"{phrase}, {cite_text}"
            nxt.history_of = c.index
            # the history belongs to the citation; explanatory parentheticals follow it
            c.tail_end = max(c.tail_end, nxt.tail_end)
    # a parallel cite's court parenthetical ends the root's span
    for c in cites:
        if c.parallel_of is not None:
            root = cites[c.parallel_of]
            root.end = max(root.end, c.end)
            root.paren_spans = c.paren_spans
            root.tail_end = max(root.tail_end, c.tail_end)
            if root.pin is None and c.pin is not None:
                root.pin = c.pin  # the official reporter's pin left blank: "498 U.S. 89, ___, 111 S. Ct. 453, 457-58"
    # enclosing parentheticals: "(quoting Abood, 431 U.S. at 225-26)"
    # (each parenthetical looks only at the citations that begin inside it, found by bisection)
    by_core = sorted((d.core[0], j) for j, d in enumerate(cites))
    core_starts = [k for k, _ in by_core]
    for c in cites:
        for a, b in c.paren_spans:
            lo = bisect.bisect_right(core_starts, a)
            hi = bisect.bisect_left(core_starts, b, lo)
            for _, j in by_core[lo:hi]:
                d = cites[j]
                if d.index != c.index and d.enclosing is None:
                    d.enclosing = c.index


# --- signals ----------------------------------------------------------------------------------------


#: The first word of a string member's case name: a capital, or a surname's lower-case particle
#: before one ("See de Casenave v. United States, No. 92-2102, slip op. at 6 (1st Cir. 1993); ...").
_MEMBER_NAME_START = r"(?:(?:de|del|della|di|da|do|dos|du|van|von|la|le) )?[A-Z]"


#: The last member of a string citation before the next one, in a form the parser does not read:
#: a signal, then a case dated in parentheses (a slip opinion with blanks for its volume and page,
#: "see also United States v. Rosales, ___ F.3d ___ (1st Cir. 1994) [No. 92-1732, slip op. at 15]"),
#: and the semicolon that goes on to the next member (or the bracket holding its docket number).
_UNREAD_MEMBER = re.compile(
    r"(?:^|; )(?P<signal>(?:[Ss]ee(?:,? also|,? e\.g\.,?)?|[Cc]f\.|[Aa]ccord|[Bb]ut see))\s+"
    + _MEMBER_NAME_START + r"[^;]{0,200}?\((?:[^()]*\s)?\d{4}\)(?:[^;()\[]{0,80}; ?| ?\[)$"
)


#: The last member before the next one, not read as a citation and followed by its explanatory
#: parentheticals: a rule ("See Fed. R. Evid. 702 (permitting expert testimony that ...); B") or a
#: decision in a reporter the parser does not know ("See Carpenter Steel Co., 21 LLRM 1232, 1234
#: (1948) ("Where we find ...") (stating NLRB policy); B"). The signal opens a sentence or follows a
#: semicolon (a footnote call may stand after the sentence's stop), and nothing but the member and
#: its parentheticals stands between it and the semicolon.
_UNREAD_MEMBER_WITH_PARENTHETICAL = re.compile(
    r"(?:^|; |[.:]\d{0,2} )(?P<signal>(?:[Ss]ee(?:,? also|,? e\.g\.,?)?|[Cc]f\.|[Aa]ccord|[Bb]ut see))\s+"
    + _MEMBER_NAME_START + r"[^;()]{0,120}?(?: ?\((?>[^()]++|\([^()]*+\))*+\))++ ?; ?$"
)


def _signal_of_unread_member(gap: str) -> str | None:
    """The signal a string member inherits across a member the parser did not read as a citation."""
    m = _UNREAD_MEMBER.search(gap) or _UNREAD_MEMBER_WITH_PARENTHETICAL.search(gap[-600:])
    return signals.canonical_signal(m.group("signal")) if m else None


#: A member cited as a slip opinion with blanks for its volume and page and the slip page in
#: brackets ("See DeLuca, ___ F.3d at ___ [slip op. at 5]; De Jesus, ..."; plain text often loses
#: the underscores), its pin perhaps a note ("See Fiore, ___ F.2d at ___ n.2 [slip op. at 5 n.2]"):
#: the text from its signal to the bracket, where the parser reads "slip op. at 5".
_BLANK_SLIP_MEMBER = re.compile(
    r"(?:^|[;.:] )(?P<signal>(?:[Ss]ee(?:,? also|,? e\.g\.,?)?|[Cc]f\.|[Aa]ccord|[Bb]ut see))\s+"
    + _MEMBER_NAME_START + r"[^;\[\]()]{0,160}?, (?:_{2,} ?)?[A-Z][\w.']{0,8}(?: ?\d?[a-z]{1,2}\.?)? at (?:_{2,} ?)?"
    r"(?:nn?\. ?\d{1,3} )?\[$"
)

#: A member cited as a slip opinion by its name and docket number, with no reporter at all ("See
#: United States v. Georgacarakos, No. 92-1890, slip op. at 18 (March 30, 1993); United States v.
#: McGill, ..."): the text from its signal to the docket number, where the parser reads the slip.
_DOCKETED_SLIP_MEMBER = re.compile(
    r"(?:^|[;.:] )(?P<signal>(?:[Ss]ee(?:,? also|,? e\.g\.,?)?|[Cc]f\.|[Aa]ccord|[Bb]ut see))\s+"
    + _MEMBER_NAME_START + r"[^;\[\]()]{0,160}?, $"
)

#: A member cited as a slip opinion with blanks for its volume and page and its docket number or
#: slip page after them ("See, e.g., United States v. Gonzalez-Torres, ___ F.2d ___, [No. 91-2140,
#: slip op. at 2-6]", "See United States v. Agudelo, ___ F.2d ___ (1st Cir. 1993), No. 90-1465,
#: slip op. at 4-5", "See Agudelo, ___ F.2d at ___, slip op. at 4-5"; plain text loses the
#: underscores): the text from its signal to where the parser reads the docket or slip page.
_BLANK_VOLUME_MEMBER = re.compile(
    r"(?:^|[;.:] )(?P<signal>(?:[Ss]ee(?:,? also|,? e\.g\.,?)?|[Cc]f\.|[Aa]ccord|[Bb]ut see))\s+"
    + _MEMBER_NAME_START + r"[^;\[\]()]{0,160}?, (?:_{2,} ?)?(?:F\. ?(?:[234]d|Supp\.(?: ?[23]d)?)|U\. ?S\.|S\. ?Ct\.|F\. ?App'x)"
    r"(?: at)?(?: ?_{2,})? ?,? ?(?:\([^()]{0,40}\d{4}\),? ?)?\[?$"
)

#: A statute cited by its act's name and sections before its code cite: "See Labor Management
#: Relations Act ("LMRA") §§ 9(a), 301(a), 29 U.S.C. §§ 159(a), 185(a); Vaca v. Sipes, ...": the
#: signal stands before the act's name (plain text often loses the section signs).
_ACT_BEFORE_CODE = re.compile(
    r"(?:^|(?<=[\s(;:,.]))(?P<signal>(?:[Ss]ee(?:,? also|,? e\.g\.,?)?|[Cc]f\.|[Aa]ccord|[Bb]ut see))\s+"
    r"(?:the\s+)?(?:[A-Z][\w'’.&-]*\s+(?:of\s+|and\s+)?){1,8}Act\b(?:\s+of\s+\d{4})?(?:\s+\([^()]{1,20}\))?"
    r"(?:,?\s+(?:§§?\s?)?\d[\w.()-]*)*,\s?$"
)

#: What may stand between two members of a string citation besides "; ": the bracket closing a
#: slip-opinion member ("[slip op. at 5]; "), a footnote call glued to the semicolon ("...
#: (10th Cir. 2010);6 Noviello, ...") and a page number line of paginated text ("; -8- 8 United States
#: v. Marino"); what the previous member left unread before its semicolon, the end of a slip page
#: range ("slip op. at 4-5; "), a note after a slip page ("[slip op. at 5 n.2]; ") or a court-and-date parenthetical ("No. 90-1465, slip op. at 4-5 (1st
#: Cir. Mar. 18, 1993); ") with the explanatory parentheticals after it ("No. 92-2102, slip op. at
#: 6 (1st Cir. April 20, 1993) (where plaintiffs' initial lawsuit was dismissed ...); "); or the
#: "with" of "Compare A, with B".
_STRING_GAP = re.compile(
    r"(?:[-–]\d{1,4})?(?: nn?\. ?\d{1,3})?(?: ?\([^()]{0,40}\d{4}\)(?: ?\((?>[^()]++|\([^()]*+\))*+\))*)?\]? ?; ?"
    r"(?:\d{1,2} )?(?:-\d{1,4}- (?:\d{1,4} )?)?|,? ?(?:and )?with ?|, and "
)


#: What a statute member leaves unread before the string's next member: the rest of its section
#: ("See id. § 2401(b); Skwira ...", where the section sign alone is read) or further subsections
#: ("See 16 U.S.C. § 2621(a), (c)(1); FERC, ..."), then the semicolon.
_STATUTE_REST = re.compile(
    # each piece is a section number or subsection with its separator, taken whole (atomic, so a
    # long list of numbers that ends in prose fails at once instead of trying every split)
    r"(?>(?:, ?| )?(?:§§? ?)?(?:\d[\w.-]*+|\([\w.]{1,4}\)))++ ?; ?"
)


def _signal_across_statute(prev: Cite, gap: str, c: Cite) -> str | None:
    """The signal a member inherits across a statute member: the statute's own, which is the id.'s
    when the statute is the section an "id." names ("See id. § 2401(b)")."""
    if prev.kind == "id" and c.kind == "other" and c.authority_type == "statute" and not gap.strip():
        return prev.signal if prev.signal != "none" else None
    if prev.kind == "other" and prev.authority_type == "statute" and _STATUTE_REST.fullmatch(gap):
        return prev.signal if prev.signal != "none" else None
    return None


def assign_signals(text: str, cites: list[Cite]) -> None:
    for i, c in enumerate(cites):
        if c.history_of is not None:
            c.signal = "none"
            continue
        if c.parallel_of is not None:
            c.signal = cites[c.parallel_of].signal
            continue
        floor = 0
        if c.enclosing is not None:
            for a, b in cites[c.enclosing].paren_spans:
                if a < c.start < b:
                    floor = a + 1
        sig = clauses.signal_before(text, c.start, floor)
        if sig is None and c.kind == "other" and text[c.start - 1 : c.start] == "[":
            m = _BLANK_SLIP_MEMBER.search(text, max(floor, c.start - 1 - 220), c.start)
            sig = signals.canonical_signal(m.group("signal")) if m else None
        if sig is None and c.kind == "other" and c.authority_type == "statute":
            m = _ACT_BEFORE_CODE.search(text, max(floor, c.start - 200), c.start)
            sig = signals.canonical_signal(m.group("signal")) if m else None
        if sig is None and c.kind == "other" and c.authority_type == "slip":
            m = _BLANK_VOLUME_MEMBER.search(text, max(floor, c.start - 220), c.start)
            if m is None and text.startswith("No.", c.start):
                m = _DOCKETED_SLIP_MEMBER.search(text, max(floor, c.start - 220), c.start)
            sig = signals.canonical_signal(m.group("signal")) if m else None
        if sig is None:
            gap_end = c.start
            prev = None
            for j in range(i - 1, -1, -1):
                p = cites[j]
                if p.parallel_of is not None or p.history_of is not None:
                    continue
                if p.enclosing != c.enclosing:
                    continue  # a citation inside the parenthetical of the string's previous member
                if (p.tail_end or p.end) <= gap_end:
                    prev = p
                    break
            if prev is not None:
                gap = text[prev.tail_end or prev.end : gap_end]
                # a string citation ("; B") or the second half of "Compare A, with B"
                if _STRING_GAP.fullmatch(gap) and prev.enclosing == c.enclosing:
                    sig = prev.signal
                elif prev.enclosing == c.enclosing:
                    sig = _signal_of_unread_member(gap) or _signal_across_statute(prev, gap, c)
        c.signal = sig or "none"


def signal_of_unread_short(text: str, cites: list[Cite], start: int) -> str:
    """The signal of a short cite that the parser did not read and the name reader did ("See
    McCready at 472", "See, e.g., Agudelo, supra; Hodge-Balwing, 952 at 611"): a court writes such
    a cite where it writes any other, so it takes the signal written before it or, as a string
    member, the signal of the member before it."""
    sig = clauses.signal_before(text, start)
    if sig is not None:
        return sig
    # the member before it: the last citation read before it (`cites` is sorted by where each core
    # starts: a bisection and a short walk back, so an opinion full of such cites stays linear)
    i = bisect.bisect_left(cites, start, key=lambda p: p.core[0])
    prev = None
    for p in reversed(cites[max(0, i - 8) : i]):
        if p.parallel_of is None and p.history_of is None and (p.tail_end or p.end) <= start:
            prev = p
            break
    if prev is not None and prev.enclosing is None and _STRING_GAP.fullmatch(text, prev.tail_end or prev.end, start):
        return prev.signal
    return "none"
