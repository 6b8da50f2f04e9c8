"""Resolution: which authority each citation points to.

Full cites match an authority through any of its reporter citations (parallel and Westlaw cites
included). Short cites are matched by volume and reporter among the cases cited before them,
then by name, then by where the pin page falls; supra and "Name at page" forms by name, then pin
page; id. by the preceding citation, skipping citations inside parentheticals, footnotes read
out of order and antecedents whose pages cannot hold the id.'s pin. Where a pin cannot decide
between same-name authorities, the reference is marked ambiguous with its candidates.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, Sequence

from citator.citations import clauses
from citator.citations.cites import BRIEF_OR_TRANSCRIPT, Cite, cite_key, seed_cites
from citator.citations.models import Authority
from citator.citations.names import WORD_RUN, derive_short_names, first_word_anchors, name_pattern, normalize_name
from citator.citations.footnotes import Note, ReadingOrder

__all__ = ["Target", "build_targets", "resolve"]


@dataclass
class Target:
    """Something a reference can point to: a seed authority or any other cited case."""

    key: str
    names: list[str]
    first_page: int | None
    last_page: int | None
    volume_keys: set[str]
    authority: Authority | None = None
    cite: str | None = None
    #: first page under each volume key ("438|u.s." -> 265, "98|s.ct." -> 2733): a pin in a
    #: parallel reporter is placed against that reporter's first page
    first_pages: dict[str, int] = field(default_factory=dict)

    def bounds(self, vkey: str | None = None) -> tuple[int | None, int | None]:
        """(first page, last page) in the reporter of `vkey`; the last page is known only for
        the primary reporter (`Authority.last_page`)."""
        if vkey is None or vkey not in self.first_pages:
            return self.first_page, self.last_page
        first = self.first_pages[vkey]
        return first, (self.last_page if first == self.first_page else None)


# --- targets and resolution ------------------------------------------------------------------------


def _authority_names(authority: Authority) -> list[str]:
    """Configured short names and nicknames, plus the Bluebook short name derived from the case
    name. Other party names ("Brown" in "Cohen v. Brown Univ.") are used only once the document
    itself uses them in a citation, because they are often people or institutions in the text."""
    names = list(authority.short_names) + list(derive_short_names(authority.name))[:1]
    return list(dict.fromkeys(n for n in names if n))


def build_targets(authorities: Sequence[Authority]) -> tuple[dict[str, Target], dict[str, str]]:
    targets: dict[str, Target] = {}
    by_cite: dict[str, str] = {}
    for authority in authorities:
        volume_keys = set()
        first_pages: dict[str, int] = {}
        primary_first: int | None = None
        for cite in authority.citations:
            for volume, reporter, page in seed_cites(cite):
                by_cite[cite_key(volume, reporter, page)] = authority.key
                vkey = cite_key(volume, reporter)
                volume_keys.add(vkey)
                first_pages.setdefault(vkey, int(page))
                if primary_first is None:
                    primary_first = int(page)
        targets[authority.key] = Target(
            key=authority.key,
            names=_authority_names(authority),
            first_page=primary_first if primary_first is not None else authority.first_page,
            last_page=authority.last_page,
            volume_keys=volume_keys,
            authority=authority,
            cite=authority.primary_citation,
            first_pages=first_pages,
        )
    return targets, by_cite


def _name_matches(name: str | None, target: Target, case_name: str | None = None) -> bool:
    """Does a short-form name ("Croson", "Vill. of Hoffman Estates") fit a target?"""
    if not name:
        return False
    pool = list(target.names)
    if target.authority is not None:
        pool.append(target.authority.name)
    if case_name:
        pool.append(case_name)
    anchors = first_word_anchors(name)
    if anchors is not None and not any(_may_hold(p, anchors) for p in pool):
        return False
    pattern = _short_name_regex(name)
    return any(pattern.search(p) for p in pool)


@lru_cache(maxsize=16384)
def _word_runs(text: str) -> tuple[frozenset[str], bool]:
    """The runs of word characters in a name, lower case, and whether one is not ASCII."""
    runs = frozenset(m.group().lower() for m in WORD_RUN.finditer(text))
    return runs, any(not r.isascii() for r in runs)


def _may_hold(text: str, anchors: frozenset[str]) -> bool:
    """Whether `text` can hold a match beginning with one of `anchors` (see
    `first_word_anchors`): a set look-up, so a short cite's name is checked against every case
    of its volume without running a regex on each."""
    runs, not_ascii = _word_runs(text)
    return not_ascii or not anchors.isdisjoint(runs)


@lru_cache(maxsize=8192)
def _short_name_regex(name: str) -> re.Pattern[str]:
    """`_name_matches`' regex, compiled once per name: a long opinion asks about thousands of
    names, more than re's own cache (512) keeps, and recompiling them cost more than matching."""
    return re.compile(name_pattern(name), re.I)


def _pin_first(pin: str | None) -> int | None:
    if not pin:
        return None
    m = re.match(r"\*?(\d+)", pin)
    return int(m.group(1)) if m and not pin.startswith("*") else None


#: Without a known last page, a pin this far past a first page is taken to be inside the opinion.
_PLAUSIBLE_LENGTH = 100


def _choose_by_page(cands: list[Target], pin: str | None, vkey: str | None = None) -> tuple[list[Target], bool]:
    """Narrow same-name or same-volume candidates by where the pin page falls.

    A candidate holds the pin when first page <= pin <= last page (`Authority.last_page`), or,
    when the last page is unknown, when the pin lies within a plausible opinion length of the
    first page. One holder decides; several are narrowed to the nearest first page below the
    pin and reported ambiguous; none leaves all candidates, ambiguous.
    """
    page = _pin_first(pin)
    if page is None or len(cands) < 2:
        return cands, len(cands) > 1
    span = {t.key: t.bounds(vkey) for t in cands}
    below = [
        t
        for t in cands
        if span[t.key][0] is not None
        and span[t.key][0] <= page
        and (span[t.key][1] is None or page <= span[t.key][1])
    ]
    if not below:
        return cands, True
    holders = [
        t for t in below if span[t.key][1] is not None or page - (span[t.key][0] or 0) <= _PLAUSIBLE_LENGTH
    ]
    if len(holders) == 1:
        return holders, False
    pool = holders or below
    best = max(pool, key=lambda t: span[t.key][0] or 0)
    if len(pool) == 1:
        return [best], False
    return [best] + [t for t in pool if t is not best], True


class _SeenFull(list):
    """The full citations read so far, each with its target, in reading order; indexed by cite
    and by volume so that resolving each short cite looks only at the cases of its volume rather
    than at every case cited before (which made long opinions quadratic)."""

    def __init__(self) -> None:
        super().__init__()
        self.by_full_key: dict[str, Target] = {}
        self.by_volume: dict[str, list[Target]] = {}
        self.seeds: dict[str, Target] = {}
        self._indexed: dict[str, set[str]] = {}

    def append(self, item: tuple[Cite, Target]) -> None:
        super().append(item)
        full, tgt = item
        if full.full_key is not None:
            self.by_full_key.setdefault(full.full_key, tgt)
        if tgt.authority is not None:
            self.seeds.setdefault(tgt.key, tgt)
        self.index_volumes(tgt)

    def index_volumes(self, tgt: Target) -> None:
        """Index volumes added to a target's `volume_keys` after it was first seen."""
        done = self._indexed.setdefault(tgt.key, set())
        for vkey in sorted(tgt.volume_keys - done):
            done.add(vkey)
            self.by_volume.setdefault(vkey, []).append(tgt)

    def seen(self, tgt: Target) -> bool:
        return tgt.key in self._indexed

    def in_volume(self, vkey: str) -> list[Target]:
        """The cases cited so far under this volume and reporter, in order of first citation."""
        return self.by_volume.get(vkey, [])


def resolve(
    text: str,
    cites: list[Cite],
    targets: dict[str, Target],
    by_cite: dict[str, str],
    all_cases: bool,
    notes: Sequence[Note] = (),
) -> None:
    """Resolve every citation to its target, reading the text in reading order: each footnote
    where its number stands in the body (`notes`, from `citations.footnotes.note_anchors`)."""
    seen_full = _SeenFull()
    seed_index = _SeedIndex(targets)
    order = ReadingOrder(notes) if notes else None
    last: Cite | None = None  # antecedent for id.: the last citation outside parentheticals
    body_last: Cite | None = None  # the same, in the body (a note's first id. and the body after it)
    skipped_by: str | None = None  # the ID_RULES rule that kept `last` when a later cite came
    last_in_paren: dict[int, Cite] = {}
    current_note: int | None = None
    # full cites in text order, for short cites whose full cite is read later (a footnote moved
    # behind the body)
    # full cites by volume key, each distinct citation once (its last occurrence): for short
    # cites whose full cite is read later, looked up without scanning every citation
    later_full: dict[str, dict[str, Cite]] = {}
    for full in cites:
        if full.kind == "full" and full.history_of is None and full.full_key is not None:
            later_full.setdefault(cite_key(full.volume or "", full.reporter or ""), {})[full.full_key] = full
    # the citations inside each citation's parentheticals ("(quoting Y)"), by the enclosing index
    enclosed: dict[int, list[Cite]] = {}
    for d in cites:
        if d.enclosing is not None:
            enclosed.setdefault(d.enclosing, []).append(d)
    sequence = sorted(cites, key=lambda d: order.key(d.core[0])) if order is not None else cites
    for pos, c in enumerate(sequence):
        if c.parallel_of is not None and cites[c.parallel_of].kind in ("short", "id"):
            root = cites[c.parallel_of]
            c.target, c.ambiguous, c.candidates = root.target, root.ambiguous, root.candidates
            continue  # one citation with its root: not an antecedent of its own
        note = order.note_of(c.core[0]) if order is not None else None
        if note != current_note:
            previous_note, current_note = current_note, note
            if note is not None and previous_note == note - 1 and order.notes[note].continuation:
                # the foot of a page continuing the note of the page before: one chain
                if last is not body_last:
                    skipped_by = "continued_footnote"
            else:
                # a note's first id. follows the body before its number, not the previous note;
                # the body after a note resumes its own chain
                last, skipped_by = body_last, None
        if c.kind == "full":
            key = by_cite.get(c.full_key or "")
            if c.parallel_of is not None:
                root = cites[c.parallel_of]
                if root.target is not None and key is None:
                    key = root.target
                elif key is not None and root.target is not None and root.target.startswith("cite:"):
                    root.target = key
            if key is None and c.parallel_of is None:
                key = _pin_cite_of_earlier(c, seen_full)
                if key is None:
                    key = _misprinted_seed_cite(c, seed_index)
                if key is None:
                    key = _misprinted_page_of_earlier(text, c, seen_full)
                    if key is not None:
                        c.note = f"{_written(c)} read as a pin cite of {targets[key].cite}, cited before under that name (misprinted page)"
                elif c.note is None:
                    c.note = f"{_written(c)} read as a pin cite of {targets[key].cite}, cited before"
                if key is not None and c.pin is None and c.page != _first_in(targets[key], c):
                    _as_pin_cite(text, c)
            if key is None:
                key = _new_target(c, targets)
            elif c.parallel_of is not None and c.volume and c.reporter:
                # the case's parallel volume takes its short cites too ("128 S. Ct. at 2126")
                pkey = cite_key(c.volume, c.reporter)
                targets[key].volume_keys.add(pkey)
                if c.page and c.page.isdigit():
                    targets[key].first_pages.setdefault(pkey, int(c.page))
            else:
                tgt = targets[key]
                if c.name:
                    for n in derive_short_names(c.name)[:1]:
                        if n not in tgt.names and _name_matches(n, tgt):
                            tgt.names.append(n)
            c.target = key
            seen_full.append((c, targets[key]))
        elif c.kind == "short":
            _resolve_short(c, seen_full, targets, text, later_full, cites, by_cite, seed_index)
            if c.target is None and c.page and c.full_key:
                # a database cite written with its star pin ("Riva, 2007 WL 954771, at *5") and
                # never before in full: it is the full citation (of a seed, when it is one)
                c.target = by_cite.get(c.full_key) or _new_target(c, targets)
                seen_full.append((c, targets[c.target]))
        elif c.kind in ("supra", "reference"):
            _resolve_by_name(c, seen_full, targets)
        elif c.kind == "id":
            ante = last
            if c.enclosing is not None and c.enclosing in last_in_paren:
                ante = last_in_paren[c.enclosing]
            elif last is not None and last.index in last_in_paren:
                # "X (quoting Y); see also id.": within one citation sentence, id. is Y
                gap = text[last.tail_end or last.end : c.start]
                string_member = re.fullmatch(r"\)* ?; ?", gap) or (
                    re.fullmatch(r"\)* ?; ?(?:[A-Za-z.,]+ ?){0,3}", gap)
                    and clauses.signal_before(text, c.start) is not None
                )
                if string_member:
                    ante = last_in_paren[last.index]
            if ante is last and skipped_by is not None:
                c.id_rule = skipped_by
            if ante is not None and ante.kind == "other" and ante.authority_type == "statute" and c.pin:
                # "Id. at 27" after a code section: codes are cited by section, not page
                before = ante
                ante = _previous_case(c, ante, cites)
                if ante is not before and text.startswith("§", before.core[0]):
                    c.id_rule = "bare_section_mention"
            read_before = (sequence, pos)  # what a reader has met before the id., in reading order
            ante = _plausible_antecedent(text, c, ante, cites, targets, read_before)
            ante = _case_before_treatise(text, c, ante, cites, targets)
            ante = _named_in_between(text, c, ante, enclosed, targets, cites)
            ante = _sentence_names_other_case(text, c, ante, targets, read_before)
            if ante is not None and ante is last and _unread_citation_between(text, ante, c, cites):
                c.id_rule, ante = "unread_citation", None
            if ante is not None and _star_pin_outside_database(c, ante, targets):
                c.id_rule, ante = "star_page_pin", None
            if ante is not None and _quotes_a_provision(text, c, ante, targets):
                c.id_rule, ante = "quoted_provision", None
            if (
                ante is not None
                and ante.kind == "other"
                and ante.authority_type == "record"
                and BRIEF_OR_TRANSCRIPT.match(text, ante.core[0])
            ):
                c.id_rule = "brief_or_transcript"
            if ante is not None and ante.kind == "other" and ante.authority_type == "register":
                c.id_rule = "paged_law"
            if ante is not None and not _id_points_to_non_case(text, c, ante, targets):
                c.target = ante.target
                c.ambiguous = ante.ambiguous
                c.candidates = ante.candidates
        # update id. antecedents
        if not _can_be_antecedent(text, c):
            if c.kind == "other" and text.startswith("§", c.core[0]) and c.history_of is None:
                skipped_by = "bare_section_mention"
            continue
        if _bracketed(text, c):
            skipped_by = "bracketed_insertion"
            continue
        if c.enclosing is None:
            last, skipped_by = c, None
            if note is None:
                body_last = c
        else:
            last_in_paren[c.enclosing] = c


#: The rules that choose an id.'s antecedent other than the citation just before it, by the name
#: `Cite.id_rule` records (`citator eval resolution --bulk` counts how often each decides).
ID_RULES = {
    "continued_footnote": "a footnote continued at the foot of the next page (no number of its own) "
    "keeps the note's id. chain",
    "bracketed_insertion": "a citation in square brackets is inserted into quoted matter, not cited "
    "by the court: an id. after the quotation skips it",
    "pin_before_first_page": "an id. pinned to a page before the first page of the preceding case (and "
    "of any case cited just before) cites the record, a brief or an appendix, not a case",
    "named_case_fits_pin": "an id. whose pin cannot lie in the preceding case refers to the case the "
    "prose since then names (\"In Weikert, we reasoned ... Id. at 6\") when the pin fits it",
    "quoted_provision": "an id. without a pin right after a sentence that quotes a rule, section or "
    "statute it names as what speaks (\"Under Rule 44(c), the court must '...' Id.\") cites that provision",
    "bare_section_mention": "a bare section (\"protected by § 7 of the Act\") is a statute's section: "
    "named in a sentence it is no antecedent, and an id. pinned to a page skips it for the case before",
    "brief_or_transcript": "a party's brief (\"Appellant's Br. 15\") or the transcript (\"Trans. at 26\", "
    "\"Transcript, ..., at 106\") is cited like the record: an id. after it cites it, not a case",
    "decimal_section_pin": "an id. followed by a decimal section number (\"Id. 411.08(1)(g)\") cites a "
    "code or regulation, not a case",
    "provision_division_pin": "an id. followed by an article, section, chapter, part, paragraph, clause, "
    "amendment or application note (\"Id. Art. 2(2)\", \"id. ch. 7, pt. A\", \"id. application note 3(f)\") "
    "cites a constitution, code, treaty or the Guidelines, not a case",
    "lettered_section_pin": "an id. followed by a section number with letters in it (\"Id. 4A1.3\", "
    "\"id. 824a-3(g)\") cites a code or the Guidelines, not a case",
    "bare_number_pin": "an id. followed by a bare number and a parenthetical, comma or semicolon that "
    "cannot be a page of the case before (\"id. 361 (defining ...)\", \"id. 1640;\") cites a section or "
    "paragraph whose sign the text lost, not a case",
    "sentence_names_case": "an id. pinned to a page of the decision a sentence opens with (\"In Mitchell, counsel "
    "met the defendant for six minutes ... Id. at 744-47\") refers to that decision when the sentence does not "
    "name the antecedent's case and the pin fits the decision",
    "case_before_treatise": "an id. after a treatise, pinned to a page that is not the treatise's page cited "
    "there but lies in a case cited just before it, refers to that case",
    "subsection_pin": "an id. pinned \"at\" a number with a subsection glued to it (\"id. at 1801(a)(2)\") cites a "
    "code section whose sign the text lost: a reporter page is never written with a subsection",
    "roman_page_pin": "an id. pinned to a page in roman numerals (\"Id. at XX\") cites a book's front matter: "
    "reporters number opinions' pages in arabic numerals",
    "paged_law": "the Federal Register, the Statutes at Large, the Congressional Record and U.S.C.C.A.N. "
    "are cited by page (\"67 Fed. Reg. 51,765\"), and agency rulings (\"SSR 85-15\") by number: an id. after one "
    "cites it, not the case before",
    "unread_citation": "an authority cited between the antecedent and the id. in a form the parser does not read "
    "(a case in an unlisted reporter, \"13 Ben. Rev. Bd. Serv. 643, 645 (1981)\"; a report pinned to a star page, "
    "\"Country Report ..., at *13\") is what the id. refers to, not the citation before it",
    "star_page_pin": "an id. pinned to a star page (\"id. at *17-*20\") cites a Westlaw or LEXIS document: only "
    "database cites are paged with stars, so it is no pin of a reporter cite before it; it cites the database "
    "cite that is its antecedent, or else no case we read (\"Gall, ___ F.3d at ___ [1994 U.S. App. LEXIS at *14]\")",
    "later_quotation_vetoes_named_case": "an id. after \"X (quoting Y)\" and prose naming Y stays with X when the id. "
    "itself quotes a decision later than Y (\"Id. (quoting Knight ..., (2006))\" after Strickland (1984)): no court "
    "quotes a later one",
    "pin_vetoes_named_case": "an id. after \"X (quoting Y)\" and prose naming Y stays with X when its pin "
    "lies in X and cannot lie in Y (\"Iqbal, 129 S. Ct. 1937 (citing Twombly) ... Twombly ... Id. at 1949\")",
}

#: A provision named as the source of a quotation: a numbered rule, a section, a code, an article,
#: or "the statute" / "the regulation" ("Under Rule 44(c), the court must "inquire ..."").
_PROVISION = re.compile(
    r"\b(?:Rule \d|Fed\. R\. (?:Civ|Crim|Evid|App|Bankr)\. P\.|Federal Rules? of [A-Z][a-z]+ (?:[A-Z][a-z]+ )?"
    r"(?:Procedure|Evidence)|U\.S\.C\.|C\.F\.R\.|U\.S\.S\.G\.|[Aa]rticle [IVX]+\b|[Ss]ection \d|"
    r"(?:[Tt]he|[Tt]his|[Tt]hat) (?:statute|regulation|provision|guideline|subsection|clause)\b)|§"
)
#: The provision is what speaks: "Rule 8(b) requires", "§ 1983 provides that".
_SAYS = re.compile(
    r"[^.;\"“]{0,40}?\b(?:provides?|states?|requires?|reads?|says?|directs?|defines?|permits?|allows?|"
    r"prohibits?|mandates?|instructs?|commands?|bars?|forbids?)\b"
)
_QUOTE_OPEN = re.compile(r"(?:^|(?<=[\s(\[]))[\"“]")
#: A sentence's end: its stop, any closing quotation mark or parenthesis, and a note number
#: glued to it ("(1997).9 Lewis's analysis ..."), before the next sentence's capital.
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]*\d{0,3}\s+(?=[A-Z\"“(])")


def _quotes_a_provision(text: str, c: Cite, ante: Cite, targets: dict[str, Target]) -> bool:
    """An id. with no pin right after a sentence that quotes a provision it names ("Under Rule
    44(c), the trial court must "inquire ..." Id.") cites the provision, not the case cited in
    an earlier sentence; a sentence that names that case as well keeps the case."""
    if c.pin or c.enclosing is not None or ante.target is None:
        return False
    gap_start = max(ante.tail_end or ante.end, ante.end, c.start - 1500)  # the sentences just before the id.
    gap = text[gap_start : c.start]
    if not gap or not re.search(r"[\"”]\)?[.,;]?\s*$", gap):
        return False  # the id. must follow a quotation's closing mark
    opens = [m.start() for m in _QUOTE_OPEN.finditer(gap)]
    if not opens:
        return False
    lead = gap[: opens[-1]]
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(lead)]
    if not breaks:
        return False  # the quotation's sentence is the antecedent's own
    sentence = lead[breaks[-1] :]
    if re.match(r"\s*\((?:quoting|citing|alteration|internal)", text[c.end : c.end + 20]):
        return False  # "Id. (quoting 42 U.S.C. ...)": the case quoting the provision
    return any(
        (m.start() <= 25 or _SAYS.match(sentence, m.end()))
        for m in _PROVISION.finditer(sentence)
    ) and not _names_target(gap[breaks[-1] :], targets.get(ante.target))


def _bracketed(text: str, c: Cite) -> bool:
    """A citation set in square brackets ("[23 P.R.R. 385 (1916)]"): a court's insertion into the
    passage it quotes, completing the quoted court's own citation."""
    before = text[max(0, c.core[0] - 12) : c.core[0]].rstrip()
    if not before.endswith("[") or re.search(r"(?:_|\bat)\s*\[$", before):
        return False  # "___ F.3d at ___ [2010 WL 2776909]": the court completing its own cite
    end = max(c.end, c.tail_end or 0)
    return _CLOSING_BRACKET.match(text, end) is not None


#: The end of a bracketed insertion after the citation: "]", or the rest of the cited section and
#: the code's year and then "]" ("[12 U.S.C. § 1789(a)(2) (1988)]").
_CLOSING_BRACKET = re.compile(r"(?:\([A-Za-z0-9]{1,4}\))*\s{0,2}(?:\(\d{4}(?: ed\.)?(?: & Supp\. [\w ]{1,10})?\)\s{0,2})?\]")


_SIGNAL_WORDS = {"see", "also", "cf", "cf.", "accord", "e.g.", "e.g.,", "compare", "and", "with", "but", "generally", "contra"}


def _in_prose(text: str, start: int) -> bool:
    """Is a statute or rule named inside a sentence ("which is identical to Fed. R. Crim. P. 30")
    rather than cited ("... conduct." U.S.S.G. 3E1.1)? Courts cite after a sentence end, a
    quotation, a semicolon, an opening parenthesis or a signal; a plain lower-case word before it
    (other than a signal) makes it a mention in the running prose."""
    m = re.search(r"(\S+)\s*$", text[max(0, start - 40) : start])
    if not m:
        return False
    word = m.group(1)
    if not re.fullmatch(r"[a-z][a-z'’]*", word):
        return False
    return word not in _SIGNAL_WORDS


def _can_be_antecedent(text: str, c: Cite) -> bool:
    """Whether a citation becomes what a following id. refers to. Subsequent history ("cert.
    denied, 484 U.S. 917") is part of the citation it follows, and a code section mentioned in a
    sentence is not cited by it."""
    if c.history_of is not None:
        return False
    if c.kind == "other" and c.authority_type == "statute" and _in_prose(text, c.start):
        return False
    return True


_CASE_KINDS = ("full", "short", "supra", "reference")


def _previous_case(c: Cite, ante: Cite, cites: list[Cite]) -> Cite:
    """The nearest case citation before a statute antecedent, for an id. pinned to a page."""
    for i in range(ante.index - 1, -1, -1):  # back from the antecedent, without copying the list
        prev = cites[i]
        if prev.start < c.start - 3000:
            break
        if prev.kind == "other" and prev.authority_type != "statute":
            break  # the record or a book, which are cited by page too
        if prev.enclosing is None and prev.history_of is None and prev.target and prev.kind in _CASE_KINDS:
            return prev
    return ante


#: What follows "Id." when it is a statute, guideline or the record: a section, a paragraph, a
#: comment or a code subsection ("Id. § 2", "Id. ¶ 48", "Id. comment. (n.3)", "Id. 2014(d)(11)(A)").
_NON_CASE_PIN = re.compile(r"[,.]? ?(?:at )?(?:§|¶|[Cc]omment\b|cmt\.|art\.|cl\.|\d+\([a-z0-9]{1,4}\))")
#: A decimal section number ("Id. 411.08(1)(g)", "id. 411.10(10-12)"): regulations and codes
#: number sections so; no reporter page has a decimal point.
_DECIMAL_SECTION = re.compile(r"[,.]? ?\d{1,4}(?:\.\d{1,4})+(?:\([a-z0-9-]{1,6}\))*(?![\w.]*\s+U\.S)")


#: A division of a constitution, code, treaty or the Guidelines Manual named after "Id." ("Id.
#: Art. 2(2)", "id. arts. 2, 3(a)", "id. ch. 7, pt. A", "id. application note 3(f)", "Id.
#: Section 5 (emphasis added)"): abbreviated, or lower case, in any number; a capitalised full word
#: ("Section", "Rule", "Title") only when its number ends the citation, since "Id. Section 1983
#: provides ..." is a new sentence.
_PROVISION_DIVISION = re.compile(
    r"[,.]? ?(?:at )?(?:"
    r"(?:[Aa]rts?|[Ss]ecs?|[Cc]hs?|[Pp]ts?|[Pp]aras?|[Cc]ls?|[Aa]mends?|[Tt]it|[Ss]ched)\.? ?(?=[\dIVXLC])"
    r"|(?:[Aa]pp\.|[Aa]pplication|[Aa]pp) [Nn]otes? ?(?=\d)"
    r"|(?:article|section|chapter|part|paragraph|clause|amendment|title|schedule|rule)s? (?=[\dIVXLC])"
    r"|(?:Article|Section|Chapter|Part|Paragraph|Clause|Amendment|Title|Schedule|Rule) [\dIVXLC](?:[\w()-]|\.(?=\w))*"
    r"(?![\w()-])(?=[;,]|\.(?!\w)|\s*\(|\s*$)"
    r")"
)
#: A section number with letters in it ("Id. 4A1.3", "id. 824a-3(g)", "id. 1396a(a)(10)"): codes
#: and the Guidelines number sections so; a reporter page is digits alone.
#: The letter sits between digits ("4A1.3") or before a hyphen, a subsection or a point
#: ("824a-3", "1396a(a)"), so a note's number glued to its first word ("19On this point") is no section.
_LETTERED_SECTION = re.compile(
    r"[,.]? ?\d{1,5}(?:[A-Z](?=[\d(]|-\d)|[a-z](?=[-(.]\S))\d*(?:[.-]\d+[A-Za-z]?)*(?:\([A-Za-z0-9-]{1,6}\))*(?=[\s.;,)]|$)"
)


#: A bare number right after "Id." and before a parenthetical, a comma or a semicolon ("id. 361
#: (defining ...)", "id. 1640;"): a section or paragraph whose "§" or "¶" the text lost, since courts
#: pin a case's page with "at".
_BARE_NUMBER = re.compile(r"[,.]? ?(\d{1,5})(?= ?\(|[,;])")
#: A subsection glued to the number read as an id.'s page ("at 1801(a)(2)", "at 1852(b), (c)"): how
#: codes number subsections; a reporter's page is never written so.
_SUBSECTION = re.compile(r"\([a-z0-9]{1,4}\)")
#: A page in roman numerals ("Id. at XX", "id. at ix"): a book's front matter; reporters number
#: the pages of opinions in arabic numerals.
_ROMAN_PAGE = re.compile(r"[,.]? ?at (?:[IVXLC]{1,6}|[ivxlc]{1,6})\b(?![\w'’])")
#: The "at" before an id.'s pin.
_AT = re.compile(r"[,.]? ?at ")


def _id_points_to_non_case(text: str, c: Cite, ante: Cite, targets: dict[str, Target]) -> bool:
    if c.pin:
        if text[c.core[1] - 1 : c.core[1]].isdigit() and _SUBSECTION.match(text, c.core[1]):
            # "id. at 1801(a)(2)": a code section whose "§" the text lost, read as the page 1801
            c.id_rule = "subsection_pin"
            return True
        at = _AT.match(text, c.core[1])
        if at is None or not (_LETTERED_SECTION.match(text, at.end()) or _DECIMAL_SECTION.match(text, at.end())):
            return False
        # "id. at 3B1.2, comment": a section read as the page 3
        c.id_rule = "lettered_section_pin"
        return not (ante.pin and "¶" in ante.pin)
    if not _NON_CASE_PIN.match(text, c.end):
        bare = _BARE_NUMBER.match(text, c.end)
        if _DECIMAL_SECTION.match(text, c.end):
            c.id_rule = "decimal_section_pin"
        elif _PROVISION_DIVISION.match(text, c.end):
            c.id_rule = "provision_division_pin"
        elif _LETTERED_SECTION.match(text, c.end):
            c.id_rule = "lettered_section_pin"
        elif bare and not _page_in_case(int(bare.group(1)), targets.get(ante.target or "")):
            c.id_rule = "bare_number_pin"
        elif _ROMAN_PAGE.match(text, c.end):
            c.id_rule = "roman_page_pin"
        else:
            return False
    # a case cited by paragraph (a neutral cite, "2010 ME 12, ¶ 15") takes "Id. ¶ 16"
    return not (ante.pin and "¶" in ante.pin)


def _named_in_between(
    text: str,
    c: Cite,
    ante: Cite | None,
    enclosed: dict[int, list[Cite]],
    targets: dict[str, Target],
    cites: list[Cite],
) -> Cite | None:
    """An id. after "X (quoting Y)" and then prose about Y refers to Y: when the prose between
    the antecedent and the id. names a case cited inside the antecedent's parentheticals, and
    not the antecedent's own case, the id. follows the prose. Unless Y cannot be what the id.
    cites: its pin cannot lie in Y, or the id. quotes a decision later than Y."""
    if ante is None or ante.target is None or c.enclosing is not None:
        return ante
    gap_start = max(ante.tail_end or ante.end, ante.end)
    if c.start - gap_start > 1500 or c.start <= gap_start:
        return ante
    gap = text[gap_start : c.start]
    inner = [d for d in enclosed.get(ante.index, ()) if d.target and d.target != ante.target]
    if not inner:
        return ante
    if _names_target(gap, targets.get(ante.target)):
        return ante
    named = {d.target: d for d in inner if _names_target(gap, targets.get(d.target))}
    if len(named) == 1:
        chosen = next(iter(named.values()))
        if c.pin and _pin_fits(c.pin, targets.get(ante.target)) and not _pin_fits(c.pin, targets.get(chosen.target)):
            c.id_rule = "pin_vetoes_named_case"
            return ante
        if _quotes_later_decision(text, c, chosen, enclosed, cites):
            c.id_rule = "later_quotation_vetoes_named_case"
            return ante
        return chosen
    return ante


#: The year closing a court parenthetical: "(1st Cir. 2006)", "(1984)".
_PARENTHETICAL_YEAR = re.compile(r"\((?:[^()]*\s)?(\d{4})\)")


def _year(text: str, cite: Cite) -> int | None:
    """The year a full citation gives for its decision: from the court parenthetical its reading
    already took into its span (`clauses.court_parenthetical_end`), if it has one."""
    m = _PARENTHETICAL_YEAR.search(text, cite.core[1], cite.end)
    return int(m.group(1)) if m else None


def _quotes_later_decision(
    text: str, c: Cite, candidate: Cite, enclosed: dict[int, list[Cite]], cites: list[Cite]
) -> bool:
    """Whether the id. quotes or cites, in its own parenthetical, a decision dated after the
    candidate's: a court cannot quote a later decision ("Id. (quoting Knight v. Spencer, 447 F.3d
    6, 15 (1st Cir. 2006))" is no id. of Strickland (1984))."""
    quoted = [_year(text, d) for d in enclosed.get(c.index, ()) if d.kind == "full"]
    latest = max((y for y in quoted if y is not None), default=None)
    if latest is None:
        return False
    for d in cites:  # the candidate's own full citation gives its year
        if d.index >= c.index:
            break
        if d.kind == "full" and d.target == candidate.target and d.history_of is None:
            year = _year(text, d)
            return year is not None and year < latest
    return False


#: Words after a case name that make it the label of a doctrine rather than the decision itself.
_DOCTRINE = r"(?:['’]s)?\s+(?:rule|test|standard|framework|doctrine|line|analysis|factors?|inquiry|exception)\b"


def _names_target(gap: str, target: Target | None) -> bool:
    if target is None:
        return False
    for name in target.names:
        # as capitalised in the case name ("Gamma" names the case, "gamma" in prose does not), and
        # not as the label of a doctrine ("the Apprendi rule" speaks of the line of cases)
        if len(name) >= 4 and _name_in_prose(name, gap):
            return True
    return False


_WORD_BEFORE_NAME = re.compile(r"[\w'’]")
_NAME_ENDS_AS_DECISION = re.compile(rf"(?!\w)(?!{_DOCTRINE})")


def _name_in_prose(name: str, gap: str) -> bool:
    """Whether `gap` holds `name` as a whole word, not as a doctrine's label: what the regex
    `(?<![\w'’])NAME(?!\w)(?!DOCTRINE)` would find, checked at each occurrence of the name
    with two regexes compiled once. Compiling that regex for every name an opinion cites cost
    about a millisecond a name, a quarter of the extraction of a long text."""
    at = gap.find(name)
    while at >= 0:
        if not (at and _WORD_BEFORE_NAME.match(gap, at - 1)) and _NAME_ENDS_AS_DECISION.match(gap, at + len(name)):
            return True
        at = gap.find(name, at + 1)
    return False


def _pin_fits(pin: str | None, target: Target | None) -> bool:
    page = _pin_first(pin)
    if page is None or target is None or target.first_page is None:
        return True
    if target.last_page is not None:
        return target.first_page <= page <= target.last_page
    return target.first_page <= page <= target.first_page + 400


def _plausible_antecedent(
    text: str,
    c: Cite,
    ante: Cite | None,
    cites: list[Cite],
    targets: dict[str, Target],
    read_before: tuple[Sequence[Cite], int],
) -> Cite | None:
    """An id. whose pin cannot lie in the preceding authority (a quoted passage's own cites
    intervene, "Id. at 13" after "394 U.S. 618") refers to an earlier one where it fits."""
    if ante is None or ante.target is None or _pin_fits(c.pin, targets.get(ante.target)):
        return ante
    for i in range(ante.index - 1, -1, -1):  # back from the antecedent, without copying the list
        prev = cites[i]
        if prev.start < c.start - 4000:
            break
        if (
            prev.enclosing is not None
            or prev.target is None
            or prev.kind not in ("full", "short", "supra", "reference")
        ):
            continue
        if _pin_fits(c.pin, targets.get(prev.target)):
            return prev
    named = _named_case_fitting_pin(text, c, targets, read_before)
    if named is not None:
        c.id_rule = "named_case_fits_pin"
        return named
    if _pin_before_first_page(c.pin, targets.get(ante.target)):
        c.id_rule = "pin_before_first_page"
        return None
    return ante


def _read_back(read_before: tuple[Sequence[Cite], int], limit: int = 300) -> Iterator[Cite]:
    """The citations read before the id., nearest first, in reading order: a footnote's cites
    are met where its number stands, not where the page layout put its text. A bounded walk."""
    sequence, pos = read_before
    for i in range(pos - 1, max(-1, pos - 1 - limit), -1):
        yield sequence[i]


def _named_case_fitting_pin(
    text: str, c: Cite, targets: dict[str, Target], read_before: tuple[Sequence[Cite], int]
) -> Cite | None:
    """The latest case read before the id. whose name the sentences just before the id. use
    as a decision's name and whose pages the id.'s pin fits; None when none or several do."""
    if _pin_first(c.pin) is None:
        return None
    gap = text[max(0, c.start - 600) : c.start]
    found: dict[str, Cite] = {}
    for prev in _read_back(read_before):
        if prev.target is None or prev.kind not in _CASE_KINDS or prev.history_of is not None:
            continue
        tgt = targets.get(prev.target)
        if tgt is not None and _pin_fits(c.pin, tgt) and _names_target(gap, tgt):
            found.setdefault(prev.target, prev)
    return next(iter(found.values())) if len(found) == 1 else None


def _sentence_names_other_case(
    text: str, c: Cite, ante: Cite | None, targets: dict[str, Target], read_before: tuple[Sequence[Cite], int]
) -> Cite | None:
    """A pinned id. closing a sentence that opens with another decision's name ("In Mitchell, the
    defense counsel met the defendant for six minutes ... Id. at 744-47") refers to that decision:
    when the name fits exactly one case cited earlier, the sentence does not name the antecedent's
    case, and the pin fits the named case. Without that opening, or without a pin, the id. keeps its
    antecedent (names elsewhere in a sentence are too often doctrines or cases merely mentioned)."""
    if ante is None or ante.target is None or c.enclosing is not None or c.index <= 0:
        return ante
    gap_start = max(ante.tail_end or ante.end, ante.end)
    if c.start <= gap_start:
        return ante
    gap = text[gap_start : c.start]
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(gap)]
    sentence = gap[breaks[-1] :] if breaks else gap
    opening = _DECISION_OPENING.match(sentence)
    if c.pin is None or opening is None or _names_target(sentence, targets.get(ante.target)):
        return ante
    sentence = opening.group("name") or opening.group("owner")
    found: dict[str, Cite] = {}
    for prev in _read_back(read_before):
        if prev.target is None or prev.target == ante.target or prev.kind not in _CASE_KINDS:
            continue
        if prev.history_of is not None or prev.enclosing is not None or prev.target in found:
            continue
        tgt = targets.get(prev.target)
        if tgt is not None and _names_target(sentence, tgt):
            found[prev.target] = prev
    if len(found) != 1:
        return ante
    named = next(iter(found.values()))
    if not _pin_fits(c.pin, targets.get(named.target)):
        return ante
    c.id_rule = "sentence_names_case"
    return named


#: A sentence whose subject is a decision: "In Mitchell, ...", "In the Mitchell case, ...", or its
#: reasoning: "Lewis's analysis overrules ...", "Mitchell's holding is narrow".
_DECISION_OPENING = re.compile(
    r"\s*(?:In (?:the )?(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})(?: case| court)?,"
    r"|(?P<owner>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2})['’]s? (?:analysis|holding|reasoning|rationale|logic)\b)"
)


def _page_in_case(page: int, target: Target | None) -> bool:
    """Whether a page can be in the case: from its first page to its last (or a plausible length)."""
    if target is None or target.first_page is None:
        return False
    for first in (target.first_page, *target.first_pages.values()):
        last = target.last_page if first == target.first_page and target.last_page else first + _PLAUSIBLE_LENGTH
        if first <= page <= last:
            return True
    return False


def _case_before_treatise(
    text: str, c: Cite, ante: Cite | None, cites: list[Cite], targets: dict[str, Target]
) -> Cite | None:
    """An id. after a treatise, pinned to a page that is not the treatise's own page cited there but
    lies in a case cited just before, refers to that case ("X, 512 A.2d 1126, 1129 ... See id.; W.
    Keeton et al., Prosser and Keeton on the Law of Torts 41, at 269 (5th ed. 1984). Id. at 1129.")."""
    if ante is None or ante.kind != "other" or ante.authority_type != "treatise" or _pin_first(c.pin) is None:
        return ante
    written = re.search(r"\b(?:at|p\.) (\d+)", text[ante.core[0] : max(ante.tail_end, ante.end)])
    page = _pin_first(c.pin)
    if page is None or (written and int(written.group(1)) == page):
        return ante
    for i in range(ante.index - 1, max(-1, ante.index - 12), -1):  # a bounded walk back
        prev = cites[i]
        if prev.start < ante.start - 1500:
            break
        if prev.history_of is not None or prev.target is None or prev.kind not in (*_CASE_KINDS, "id"):
            continue
        if _page_in_case(page, targets.get(prev.target)):
            c.id_rule = "case_before_treatise"
            return prev
    return ante


#: A citation in a form the parser does not read, standing in the prose on its own: a case in an
#: unlisted reporter with its year ("Williams v. Geosource, Inc., 13 Ben. Rev. Bd. Serv. 643, 645
#: (1981)"), or a document pinned to a star page ("2006 Country Report on Human Rights Practices in
#: Colombia, at *13").
_UNREAD_CITATION = re.compile(
    r"\bv\.\s[^;()]{1,80}?,\s\d{1,4}\s[A-Z][A-Za-z.&\s]{1,30}?\s\d{1,5}(?:,\s[\d-]+)?\s\([^)]{0,30}?\d{4}\)"
    r"|[A-Za-z)\]],\s+at\s\*\d+\b"
)


def _unread_citation_between(text: str, ante: Cite, c: Cite, cites: list[Cite]) -> bool:
    """Whether the court cites, between the id.'s antecedent and the id., an authority the parser
    did not read as a citation (`_UNREAD_CITATION`): the id. refers to that authority, which is no
    case we know, not to the citation before it. A citation inside a parenthetical ("(quoting
    ...)") is the antecedent's own and does not count, nor does a citation the parser read
    (subsequent history, "cert. denied sub nom. Y v. Z, 400 U.S. 1 (1970)")."""
    start = max(ante.end, ante.tail_end or 0, c.start - 1500)
    gap = text[start : c.start]
    read = []  # the cores of the citations read in the gap
    for i in range(c.index - 1, -1, -1):  # back from the id., without copying the list
        if cites[i].end < start:
            break
        read.append(cites[i].core)
    for m in _UNREAD_CITATION.finditer(gap):
        before = gap[: m.start()]
        m_start, m_end = start + m.start(), start + m.end()
        if before.count("(") <= before.count(")") and not any(m_start <= a < m_end for a, _b in read):
            return True
    return False


def _star_pin_outside_database(c: Cite, ante: Cite, targets: dict[str, Target]) -> bool:
    """Whether the id. is pinned to a star page ("id. at *17") while its antecedent, a case, is no
    Westlaw or LEXIS cite (an id. before it counts as the case it cites). Star paging exists only
    in those databases, so such a pin cannot lie in a reporter cite: the id. cites a database
    document the parser did not read."""
    if not (c.pin or "").lstrip().startswith("*") or ante.target is None:
        return False
    if _DATABASE_REPORTER.search(ante.reporter or ""):
        return False
    target = targets.get(ante.target)
    keys = target.volume_keys if target is not None else set()
    return not any(_DATABASE_REPORTER.search(k) for k in (*keys, ante.target))


#: The reporters of the databases that page their documents with stars.
_DATABASE_REPORTER = re.compile(r"\b(?:WL|LEXIS)\b", re.IGNORECASE)


def _pin_before_first_page(pin: str | None, target: Target | None) -> bool:
    """A pin page below the case's first page in every reporter it is cited in: the page
    cannot be in that case ("Id. at 20" after "947 F.2d 520")."""
    page = _pin_first(pin)
    if page is None or target is None or target.first_page is None:
        return False
    return page < min([target.first_page, *target.first_pages.values()])


def _new_target(c: Cite, targets: dict[str, Target]) -> str:
    """The target of a full cite to no configured authority: the cited case itself."""
    key = f"cite:{c.volume} {c.reporter} {c.page}"
    if key not in targets:
        targets[key] = Target(
            key=key,
            names=list(derive_short_names(c.name)) if c.name else [],
            first_page=int(c.page) if c.page and c.page.isdigit() else None,
            last_page=None,
            volume_keys={cite_key(c.volume or "", c.reporter or "")},
            cite=f"{c.volume} {c.reporter} {c.page}",
        )
        if c.page and c.page.isdigit():
            targets[key].first_pages[cite_key(c.volume or "", c.reporter or "")] = int(c.page)
    return key


def _pin_cite_of_earlier(c: Cite, seen_full: _SeenFull) -> str | None:
    """A "full" cite that is really a pin cite of a case cited before: written with that case's
    name, its volume and reporter, and a page inside it ("DiCosala, 450 A.2d 516" after
    "DiCosala v. Kay, 450 A.2d 508"; "Ayotte, 550 F.3d 88-96" with "at" missing)."""
    if not c.name or not c.page or not c.page.isdigit():
        return None
    page = int(c.page)
    vkey = cite_key(c.volume or "", c.reporter or "")
    for tgt in reversed(seen_full.in_volume(vkey)):
        first, last = tgt.bounds(vkey)
        if first is None or first >= page:
            continue
        inside = page <= last if last is not None else page - first <= 60
        if inside and _name_matches(_short_name(c.name), tgt):
            return tgt.key
    return None


#: A court and date parenthetical right after a full cite's page or pin: "(11th Cir. 1989)".
_DATE_PAREN = re.compile(r"(?:\s*,\s*\*?\d[\d\s,–-]*)?\s*\([^()]{0,40}\b(?:1[789]|20)\d\d\)")


def _misprinted_page_of_earlier(text: str, c: Cite, seen_full: _SeenFull) -> str | None:
    """A "full" cite written with only the short name of a case cited before in the same volume,
    no court and date, and a page that cannot be that case's first page ("Hairston, 888 F.2d 1153
    (holding ...)" after "United States v. Hairston, 888 F.2d 1349, 1352-53 (11th Cir. 1989)"):
    a short cite of that case with "at" left out and its page misprinted. Courts give a new
    case's full cite a court and date; a bare name and volume repeat the case already cited."""
    if not c.name or " v. " in c.name or not c.page or not c.page.isdigit():
        return None
    if _DATE_PAREN.match(text, c.core[1]):
        return None
    vkey = cite_key(c.volume or "", c.reporter or "")
    named = [t for t in seen_full.in_volume(vkey) if _name_matches(_short_name(c.name), t)]
    keys = {t.key for t in named}
    return named[0].key if len(keys) == 1 else None


def _as_pin_cite(text: str, c: Cite) -> None:
    """Report a full cite that is a pin cite of a known case as what it is: a short cite whose
    page is the pin, a page range included ("550 F.3d 88-96" with "at" missing)."""
    c.kind, c.pin = "short", c.page
    page_start = c.core[1] - len(c.page or "")
    if text[page_start : c.core[1]] == c.page and re.match(r"[-–]\d", text[c.core[1] : c.core[1] + 2]):
        parsed = clauses.parse_pin(text, page_start)
        if parsed:
            c.pin = parsed[0]
            end = clauses.court_parenthetical_end(text, parsed[1]) or parsed[1]
            c.end = max(c.end, end)
            c.paren_spans, c.tail_end = clauses.read_parentheticals(text, c.end)


class _SeedIndex:
    """The seeds by reporter (spacing and case aside), each with its volume and first page there:
    what a malformed or misprinted full cite is checked against before it becomes a new case."""

    def __init__(self, targets: dict[str, Target]) -> None:
        #: "vol|reporter" -> the seeds in that volume, with their first page there
        self.by_volume: dict[str, list[tuple[int, Target]]] = {}
        #: "reporter|first page" -> the seeds that begin on that page of some volume
        self.by_first_page: dict[str, list[tuple[str, Target]]] = {}
        #: the seed targets in the order of `targets` (cases cited in the text are added after them)
        self.seeds: list[Target] = [t for t in targets.values() if t.authority is not None]
        for tgt in self.seeds:
            for vkey, first in tgt.first_pages.items():
                volume, _, reporter = vkey.partition("|")
                self.by_volume.setdefault(vkey, []).append((first, tgt))
                self.by_first_page.setdefault(f"{reporter}|{first}", []).append((volume, tgt))

    def in_volume(self, vkey: str) -> list[Target]:
        return [tgt for _, tgt in self.by_volume.get(vkey, ())]


def _written(c: Cite) -> str:
    return f"'{c.volume} {c.reporter} {c.page}'"


def _first_in(tgt: Target, c: Cite) -> str | None:
    first = tgt.bounds(cite_key(c.volume or "", c.reporter or ""))[0]
    return str(first) if first is not None else None


def _misprinted_seed_cite(c: Cite, seeds: _SeedIndex) -> str | None:
    """A full cite that matches no citation exactly but can only be a seed, with
    `c.note` saying what was repaired:

    - its page falls strictly inside a seed's known pages in the same volume and reporter (two
      cases' pages never overlap, so it is a pin cite of the seed written as a full cite:
      "550 F.3d 88-96" with "at" missing), or inside a plausible length when the name agrees;
    - it carries the seed's name and the seed's first page in the same reporter under another
      volume (a misprinted volume: "Ayotte v. Planned Parenthood, 564 U.S. 320" for 546 U.S. 320).
    """
    if not c.page or not c.page.isdigit() or not c.volume or not c.reporter:
        return None
    page = int(c.page)
    vkey = cite_key(c.volume, c.reporter)
    for first, tgt in seeds.by_volume.get(vkey, ()):
        if first >= page:
            continue
        last = tgt.last_page if first == tgt.first_page else None
        named = bool(c.name) and _name_matches(_short_name(c.name or ""), tgt)
        if (last is not None and page <= last) or (last is None and named and page - first <= _PLAUSIBLE_LENGTH):
            c.note = f"{_written(c)} lies inside {tgt.cite}: read as a pin cite of it, not as another case"
            return tgt.key
    if c.name:
        reporter = vkey.partition("|")[2]
        for volume, tgt in seeds.by_first_page.get(f"{reporter}|{page}", ()):
            if volume != c.volume and _name_matches(_short_name(c.name), tgt):
                c.note = f"volume {c.volume} as printed; {tgt.cite} by its name and first page"
                return tgt.key
    return None


def _short_name(name: str) -> str:
    short = derive_short_names(name)
    return short[0] if short else name


def _resolve_short(
    c: Cite,
    seen_full: _SeenFull,
    targets: dict[str, Target],
    text: str = "",
    later_full: dict[str, dict[str, Cite]] | None = None,
    cites: Sequence[Cite] = (),
    by_cite: dict[str, str] | None = None,
    seeds: _SeedIndex | None = None,
) -> None:
    if c.page:  # database short forms keep their document number, which alone identifies the case
        known = seen_full.by_full_key.get(c.full_key) if c.full_key is not None else None
        if known is not None:
            c.target = known.key
            return
        if re.search(r"WL|LEXIS", c.reporter or ""):
            return
    vkey = cite_key(c.volume or "", c.reporter or "")
    cands: list[Target] = list(seen_full.in_volume(vkey))
    page = _pin_first(c.pin)
    if not cands:
        # the seeds of this volume not cited yet (only seeds carry an authority; scanning them
        # rather than every case cited so far keeps a text of many cases linear)
        pool = seeds.seeds if seeds is not None else [t for t in targets.values() if t.authority is not None]
        cands = [t for t in pool if vkey in t.volume_keys]
        if page is not None:
            cands = [t for t in cands if t.bounds(vkey)[0] is None or t.bounds(vkey)[0] <= page]
    # a name that disagrees with every case of the volume cited so far ("See Tashjian, 479 U.S. at
    # 220-21" when only Munro, 479 U.S. 189, has been read) vetoes them when a seed of that volume,
    # or a case cited in full further on, carries the name
    # (the latest case first: it is the one a short cite usually follows, so `all` stops sooner)
    vetoed = bool(cands) and bool(c.name) and all(t.names and not _name_matches(c.name, t) for t in reversed(cands))
    if vetoed:
        alternatives = [
            t
            for t in (seeds.in_volume(vkey) if seeds is not None else ())
            if _name_matches(c.name, t)
            and (page is None or (t.bounds(vkey)[0] or 0) <= page)
        ]
        if alternatives:
            cands = alternatives
            vetoed = False
    if (not cands or vetoed) and not c.page:
        # cited in full only further on in reading order (in a footnote read after the body)
        later: list[Target] = []
        for full in (later_full or {}).get(vkey, {}).values():
            if full.target is not None:
                continue  # already read (resolution reads in reading order): cited in full before
            if vetoed and not (full.name and _name_matches(c.name, Target("", [], None, None, set()), full.name)):
                continue
            first = int(full.page) if full.page and full.page.isdigit() else None
            if page is not None and first is not None and not (first <= page <= first + _PLAUSIBLE_LENGTH):
                continue
            root = cites[full.parallel_of] if full.parallel_of is not None and cites else full
            key = root.target or (by_cite or {}).get(root.full_key or "") or _new_target(root, targets)
            targets[key].volume_keys.add(vkey)
            if first is not None:
                targets[key].first_pages.setdefault(vkey, first)
            if seen_full.seen(targets[key]):
                seen_full.index_volumes(targets[key])
            if targets[key] not in later:
                later.append(targets[key])
        if later:
            cands = later if vetoed else cands + [t for t in later if t not in cands]
    if len(cands) > 1 and c.name:
        named = [t for t in cands if _name_matches(c.name, t)]
        if named:
            cands = named
        elif any(t.names for t in cands):
            # the name disagrees with every candidate that has one: keep the nameless ones
            cands = [t for t in cands if not t.names] or cands
    elif len(cands) > 1 and text:
        # no name on the cite: the case the sentence names ("Abudu makes clear ... 485 U.S. at 108")
        lead = text[max(0, c.start - 250) : c.start]
        sentences = re.split(r"[.;]\s+(?=[A-Z\d])", lead)
        lead = sentences[-1] if sentences[-1].strip() or len(sentences) < 2 else sentences[-2]
        named = [t for t in cands if _names_target(lead, t)]
        if len(named) == 1:
            cands = named
    if len(cands) > 1:
        cands, ambiguous = _choose_by_page(cands, c.pin, vkey)
        c.ambiguous = ambiguous
        c.candidates = tuple(t.key for t in cands) if ambiguous else ()
    if not cands and c.name:
        # a wrong volume in the opinion ("Associated General Contractors, 519 U.S. at 537"):
        # trust the name when it fits exactly one authority cited before
        named = list(
            {t.key: t for t in seen_full.seeds.values() if _name_matches(c.name, t)}.values()
        )
        if len(named) == 1:
            cands = named
            c.note = f"volume {c.volume} {c.reporter} as printed; resolved by the name {c.name} to {named[0].cite}"
        else:
            cands = _misprinted_short_cite(c, seen_full)
    if cands:
        c.target = cands[0].key
        if c.name and c.name not in cands[0].names and not c.ambiguous:
            cands[0].names.append(c.name)


def _misprinted_short_cite(c: Cite, seen_full: _SeenFull) -> list[Target]:
    """A short cite whose volume and reporter match no case cited before, with the name of
    exactly one case cited before that shares its volume or its reporter and whose pages can hold
    the pin, misprints the other ("Dighton, 506 F.2d at 515" after "Dighton ..., 506 N.E.2d 509";
    "Coon, 876 F.2d at 76" after "867 F.2d 73"): that case, with `c.note` saying so. Several cases
    of that name, or none sharing either part, leave it unresolved."""
    reporter = cite_key("", c.reporter or "").partition("|")[2]
    named: dict[str, Target] = {}
    for _full, tgt in itertools.islice(reversed(seen_full), 300):  # a bounded walk back: no scan of all
        if tgt.key not in named and _name_matches(c.name, tgt):
            named[tgt.key] = tgt
    if len(named) != 1:
        return []
    tgt = next(iter(named.values()))
    shares = any(
        vkey.partition("|")[0] == c.volume or vkey.partition("|")[2] == reporter for vkey in tgt.volume_keys
    )
    page = _pin_first(c.pin)
    if not shares or (page is not None and tgt.first_page is not None and not (
        tgt.first_page <= page <= tgt.first_page + _PLAUSIBLE_LENGTH
    )):
        return []
    c.note = f"{c.volume} {c.reporter} as printed; resolved by the name {c.name} to {tgt.cite}"
    return [tgt]


def _resolve_by_name(c: Cite, seen_full: _SeenFull, targets: dict[str, Target]) -> None:
    cands: list[Target] = []
    if c.volume and c.reporter:
        cands = list(seen_full.in_volume(cite_key(c.volume, c.reporter)))
    if not cands:
        for full, tgt in reversed(seen_full):  # most recently cited first
            if tgt not in cands and _name_matches(c.name, tgt, full.name):
                cands.append(tgt)
    if not cands:
        return
    if len(cands) > 1:
        # "Bowen, supra" after Bowen v. Gillard and Gorrie v. Bowen: a case goes by its first
        # short name ("Gorrie"), so the case named Bowen first is meant, not the Secretary's suit
        first = [t for t in cands if t.names and normalize_name(t.names[0]) == normalize_name(c.name or "")]
        cands = first or cands
    if c.volume and not c.reporter:
        # "Fullilove, 448 supra": the volume rules out same-name cases in other volumes
        by_vol = [t for t in cands if any(k.startswith(f"{c.volume}|") for k in t.volume_keys)]
        cands = by_vol or cands
    if len(cands) > 1:
        vkey = cite_key(c.volume, c.reporter) if c.volume and c.reporter else None
        cands, ambiguous = _choose_by_page(cands, c.pin, vkey)
        c.ambiguous = ambiguous
        c.candidates = tuple(t.key for t in cands) if ambiguous else ()
    c.target = cands[0].key
