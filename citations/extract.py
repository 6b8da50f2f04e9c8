"""Find references to authorities in one opinion's text.

The pipeline, for one opinion at a time:

1. `citations.text.prepare_text` turns the input (plain text, HTML or CAP XML) into a working
   text with an offset map back to the input, and reads footnotes and star pages.
2. eyecite finds full, short, id., supra and reference citations in the working text.
3. `citations.clauses` reads what eyecite leaves open: case-name starts, pins, court
   parentheticals, explanatory parentheticals, subsequent history and signals.
4. Resolution maps full cites to authorities through all their reporter cites and carries
   short, id., supra and name references to their antecedent, telling same-name and same-volume
   authorities apart by name and by pin page.
5. Name-only references ("In Bakke, ...", "the Bernstein court", "Bernstein II") are found by
   regex over the names the document itself uses for each cited authority.

Offsets in every `Reference` point into the string that was given, so `text[start:end] ==
as_written` holds for HTML input too.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from citator.citations import clauses
from citator.citations.models import Authority, Reference
from citator.citations.names import derive_short_names, name_body, name_pattern, split_parties
from citator.citations.text import PreparedText, prepare_text
from citator.citations.tokenizer import get_tokenizer
from eyecite import get_citations
from eyecite.models import (
    FullCaseCitation,
    FullJournalCitation,
    IdCitation,
    ReferenceCitation,
    ShortCaseCitation,
    SupraCitation,
)

logging.getLogger("eyecite").setLevel(logging.ERROR)

__all__ = ["find_references", "normalize_cite", "cite_key", "strip_markup"]

_WS = re.compile(r"\s+")
_CITE_PARTS = re.compile(r"^\s*(\d+)\s+(.+?)\s+(\d+)\s*$")


def normalize_cite(cite: str) -> str:
    """Collapse spacing so "176 F. 3d 1132" and "176 F.3d 1132" compare equal."""
    return _WS.sub(" ", cite).replace(". ", ".").replace(" .", ".").strip()


def cite_key(volume: str, reporter: str, page: str | None = None) -> str:
    """A comparison key for a reporter cite: spacing inside the reporter does not count."""
    rep = re.sub(r"\s+", "", reporter).lower()
    return f"{volume}|{rep}|{page}" if page is not None else f"{volume}|{rep}"


def _split_cite(cite: str) -> tuple[str, str, str] | None:
    m = _CITE_PARTS.match(cite)
    return (m.group(1), m.group(2), m.group(3)) if m else None


def strip_markup(text: str) -> tuple[str, list[int]]:
    """Drop tags and decode entities, keeping for every character its offset in `text`.

    Kept for callers of the walking skeleton; `prepare_text` is the full version.
    """
    prepared = prepare_text(text, "html")
    return prepared.text, prepared.offsets


# --- internal records -----------------------------------------------------------------------------


@dataclass
class _Cite:
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

    @property
    def full_key(self) -> str | None:
        if self.volume and self.reporter and self.page:
            return cite_key(self.volume, self.reporter, self.page)
        return None


@dataclass
class _Target:
    """Something a reference can point to: a seed authority or any other cited case."""

    key: str
    names: list[str]
    first_page: int | None
    last_page: int | None
    volume_keys: set[str]
    authority: Authority | None = None
    cite: str | None = None


# --- eyecite pass ---------------------------------------------------------------------------------


def _read_cites(prepared: PreparedText, tokenizer: str) -> list[_Cite]:
    text = prepared.text
    found = get_citations(text, tokenizer=get_tokenizer(tokenizer))
    cites: list[_Cite] = []
    for citation in found:
        s, e = citation.span()
        if isinstance(citation, FullCaseCitation):
            groups = citation.groups
            if not groups.get("page") or not str(groups.get("page")).isdigit():
                continue
            c = _Cite(len(cites), "full", (s, e), s, e)
            c.volume = groups.get("volume")
            c.reporter = citation.corrected_reporter()
            c.page = groups.get("page")
            _read_full(text, c)
            wl_pin = re.compile(r" ?,? ?at (?=\*\d)").match(text, c.core[1])
            if wl_pin and re.search(r"WL|LEXIS", c.reporter or ""):
                # "Bender, 1997 WL 582901 at *3": a short form of a database cite
                parsed = clauses.parse_pin(text, wl_pin.end())
                if parsed:
                    c.kind = "short"
                    c.pin, c.end = parsed
                    c.paren_spans, c.tail_end = clauses.read_parentheticals(text, c.end)
        elif isinstance(citation, ShortCaseCitation):
            groups = citation.groups
            c = _Cite(len(cites), "short", (s, e), s, e)
            c.volume = groups.get("volume")
            c.reporter = citation.corrected_reporter()
            _read_short(text, c)
        elif isinstance(citation, IdCitation):
            c = _Cite(len(cites), "id", (s, e), s, e)
            _read_id(text, c)
        elif isinstance(citation, SupraCitation):
            c = _Cite(len(cites), "supra", (s, e), s, e)
            if not _read_supra(text, c):
                continue
        elif isinstance(citation, ReferenceCitation):
            c = _Cite(len(cites), "reference", (s, e), s, e)
            if not _read_reference(text, c):
                continue
        else:
            kind = "journal" if isinstance(citation, FullJournalCitation) else "other"
            c = _Cite(len(cites), kind, (s, e), s, e)
            c.tail_end = e
            if kind == "journal":
                c.start = _journal_title_start(text, s)
        cites.append(c)
    cites.extend(_missed_short_cites(text, cites))
    cites.extend(_extra_authorities(text, cites))
    cites.sort(key=lambda c: (c.core[0], c.core[1]))
    for i, c in enumerate(cites):
        c.index = i
    return cites


_PIN_AFTER_AT = re.compile(r" ?,? ?at ")


def _read_full(text: str, c: _Cite) -> None:
    name_start = clauses.case_name_start(text, c.core[0])
    if name_start is not None:
        c.start = name_start
        c.name = text[name_start : c.core[0]].rstrip(" ,")
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


def _read_short(text: str, c: _Cite) -> None:
    name_start = clauses.case_name_start(text, c.core[0])
    if name_start is not None:
        c.start = name_start
        c.name = text[name_start : c.core[0]].rstrip(" ,")
    m = re.compile(r"(?:[^()]{0,40}?)\bat ").match(text, c.core[0])
    pos = c.core[1]
    if m:
        parsed = clauses.parse_pin(text, m.end())
        if parsed:
            c.pin, pos = parsed
            c.page = None
    c.end = max(pos, c.core[1]) if c.pin else c.core[1]
    c.end = _trim_end(text, c.start, c.end)
    spans, tail = clauses.read_parentheticals(text, c.end)
    c.paren_spans, c.tail_end = spans, tail


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,;":
        end -= 1
    return end


def _read_id(text: str, c: _Cite) -> None:
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


def _read_supra(text: str, c: _Cite) -> bool:
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


def _read_reference(text: str, c: _Cite) -> bool:
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


_RECORD_CITE = re.compile(
    r"\bJ\. ?A\. ?\d+|\bApp\. (?:to Pet\. for Cert\. )?\d+a?\b|\bBrief (?:for|of) [^;()]{3,150}? \d+(?:[-–]\d+)?"
    r"|\bTr\. of Oral Arg\. \d+|\b(?:[A-Z][\w-]* ){0,3}(?:Agreement|Compl\.|Complaint|Tr\.|Transcript|Aff\.|"
    r"Affidavit|Decl\.|Declaration|Dep\.|Deposition|Ex\.|Exhibit|Dkt\.|Docket|Record|Mem\.) (?:No\. )?(?:at )?"
    r"(?:p\.? ?|pp\. ?|¶ ?)?\d+"
)
_BARE_ID = re.compile(r"(?<![\w.])(?:Id|id|Ibid|ibid)\.")


_SHORT_FORM = re.compile(
    r"(?<![\w.])(?P<volume>\d{1,4}) (?P<reporter>(?:[A-Z][A-Za-z0-9'’]*\.? ?){1,5}?),? at (?=\*?\d)"
)


def _missed_short_cites(text: str, cites: list[_Cite]) -> list[_Cite]:
    """Short cites a tokenizer skipped ("438 U. S., at 311" under Hyperscan), kept only when
    the same reporter is cited in full in this opinion, so a tokenizer choice costs no recall."""
    reporters = {re.sub(r"\s+", "", c.reporter or "").lower(): c.reporter for c in cites if c.kind == "full"}
    taken = [(c.start, max(c.end, c.core[1])) for c in cites]
    extra = []
    for m in _SHORT_FORM.finditer(text):
        key = re.sub(r"\s+", "", m.group("reporter")).lower()
        if key not in reporters or any(a <= m.start() < b for a, b in taken):
            continue
        c = _Cite(0, "short", (m.start(), m.end()), m.start(), m.end())
        c.volume, c.reporter = m.group("volume"), reporters[key]
        _read_short(text, c)
        if c.pin:
            extra.append(c)
            taken.append((c.start, c.end))
    return extra


def _extra_authorities(text: str, cites: list[_Cite]) -> list[_Cite]:
    """What eyecite skips but an id. may refer to: the Constitution, court rules, briefs and
    record cites (so an id. after them is not given to a case), and id. forms it misses
    ("Id.;")."""
    taken = [(min(c.start, c.core[0]), max(c.tail_end, c.end, c.core[1])) for c in cites]
    extra = []
    for pattern, kind in ((_EXTRA_AUTHORITY, "other"), (_RECORD_CITE, "other"), (_BARE_ID, "id")):
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            c = _Cite(0, kind, (m.start(), m.end()), m.start(), m.end())
            if kind == "id":
                _read_id(text, c)
            else:
                c.tail_end = m.end()
            taken.append((c.start, max(c.end, c.tail_end)))
            extra.append(c)
    return extra


# --- structure: parallels, history, parentheticals ---------------------------------------------------


def _link_structure(text: str, cites: list[_Cite]) -> None:
    for i, c in enumerate(cites):
        prev = cites[i - 1] if i else None
        if c.kind in ("short", "full") and c.name is None and prev is not None and prev.kind in ("short", "id"):
            # parallel short forms: "459 U.S. at 537, 103 S.Ct. at 908", "id. at 545, 103 S.Ct. at 912"
            if re.fullmatch(r" ?, ?", text[prev.end : c.start]):
                c.parallel_of = prev.parallel_of if prev.parallel_of is not None else prev.index
            continue
        if c.kind != "full":
            continue
        # parallel: "438 U.S. 265, 98 S. Ct. 2733, 57 L. Ed. 2d 750 (1978)"
        if (
            prev is not None
            and prev.kind == "full"
            and c.name is None
            and re.fullmatch(
                r" ?, ?", text[prev.core[1] if prev.pin is None else prev.end : c.core[0]] or "x"
            )
        ):
            root = prev.parallel_of if prev.parallel_of is not None else prev.index
            c.parallel_of = root
        # subsequent history: ", reh'g en banc granted, opinion withdrawn, 192 F.3d 1308 (...)"
        nxt = cites[i + 1] if i + 1 < len(cites) else None
        if nxt is not None and nxt.kind == "full":
            hist = clauses.subsequent_history(text, c.end)
            if hist and hist[1] == nxt.core[0]:
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
    # enclosing parentheticals: "(quoting Abood, 431 U.S. at 225-26)"
    for c in cites:
        for a, b in c.paren_spans:
            for d in cites:
                if d.index != c.index and a < d.core[0] < b and d.enclosing is None:
                    d.enclosing = c.index


# --- targets and resolution ------------------------------------------------------------------------


def _authority_names(authority: Authority) -> list[str]:
    """Configured short names and nicknames, plus the Bluebook short name derived from the case
    name. Other party names ("Brown" in "Cohen v. Brown Univ.") are used only once the document
    itself uses them in a citation, because they are often people or institutions in the text."""
    names = list(authority.short_names) + list(derive_short_names(authority.name))[:1]
    return list(dict.fromkeys(n for n in names if n))


def _build_targets(authorities: Sequence[Authority]) -> tuple[dict[str, _Target], dict[str, str]]:
    targets: dict[str, _Target] = {}
    by_cite: dict[str, str] = {}
    for authority in authorities:
        volume_keys = set()
        for cite in authority.citations:
            parts = _split_cite(cite)
            if not parts:
                continue
            by_cite[cite_key(*parts)] = authority.key
            volume_keys.add(cite_key(parts[0], parts[1]))
        targets[authority.key] = _Target(
            key=authority.key,
            names=_authority_names(authority),
            first_page=authority.first_page,
            last_page=authority.last_page,
            volume_keys=volume_keys,
            authority=authority,
            cite=authority.primary_citation,
        )
    return targets, by_cite


def _name_matches(name: str | None, target: _Target, case_name: str | None = None) -> bool:
    """Does a short-form name ("Croson", "Vill. of Hoffman Estates") fit a target?"""
    if not name:
        return False
    pattern = re.compile(name_pattern(name), re.I)
    pool = list(target.names)
    if target.authority is not None:
        pool.append(target.authority.name)
    if case_name:
        pool.append(case_name)
    return any(pattern.search(p) for p in pool)


def _pin_first(pin: str | None) -> int | None:
    if not pin:
        return None
    m = re.match(r"\*?(\d+)", pin)
    return int(m.group(1)) if m and not pin.startswith("*") else None


#: Without a known last page, a pin this far past a first page is taken to be inside the opinion.
_PLAUSIBLE_LENGTH = 100


def _choose_by_page(cands: list[_Target], pin: str | None) -> tuple[list[_Target], bool]:
    """Narrow same-name or same-volume candidates by where the pin page falls.

    A candidate holds the pin when first page <= pin <= last page (`Authority.last_page`), or,
    when the last page is unknown, when the pin lies within a plausible opinion length of the
    first page. One holder decides; several are narrowed to the nearest first page below the
    pin and reported ambiguous; none leaves all candidates, ambiguous.
    """
    page = _pin_first(pin)
    if page is None or len(cands) < 2:
        return cands, len(cands) > 1
    below = [
        t
        for t in cands
        if t.first_page is not None and t.first_page <= page and (t.last_page is None or page <= t.last_page)
    ]
    if not below:
        return cands, True
    holders = [t for t in below if t.last_page is not None or page - (t.first_page or 0) <= _PLAUSIBLE_LENGTH]
    if len(holders) == 1:
        return holders, False
    pool = holders or below
    best = max(pool, key=lambda t: t.first_page or 0)
    if len(pool) == 1:
        return [best], False
    return [best] + [t for t in pool if t is not best], True


def _zone(zones: Sequence[tuple[int, int, int, int]], pos: int) -> int | None:
    for i, (a, b, _, _) in enumerate(zones):
        if a <= pos < b:
            return i
    return None


def _resolve(
    text: str,
    cites: list[_Cite],
    targets: dict[str, _Target],
    by_cite: dict[str, str],
    all_cases: bool,
    zones: Sequence[tuple[int, int, int, int]] = (),
) -> None:
    seen_full: list[tuple[_Cite, _Target]] = []
    last: _Cite | None = None  # antecedent for id.: the last citation outside parentheticals
    last_in_paren: dict[int, _Cite] = {}
    current_zone: int | None = None
    body_cites: list[_Cite] = []
    for c in cites:
        if c.parallel_of is not None and cites[c.parallel_of].kind in ("short", "id"):
            root = cites[c.parallel_of]
            c.target, c.ambiguous, c.candidates = root.target, root.ambiguous, root.candidates
            continue  # one citation with its root: not an antecedent of its own
        zone = _zone(zones, c.core[0]) if zones else None
        if zone != current_zone:
            current_zone = zone
            if zone is not None:
                # a footnote moved behind the body: its first id. follows the body text that
                # precedes the footnote, not the previous footnote
                fn_start = zones[zone][2]
                before = [
                    b
                    for b in body_cites
                    if b.enclosing is None and b.start < zones[0][0] and b.src_start < fn_start
                ]
                last = before[-1] if before else None
        if zone is None:
            body_cites.append(c)
        if c.kind == "full":
            key = by_cite.get(c.full_key or "")
            if c.parallel_of is not None:
                root = cites[c.parallel_of]
                if root.target is not None and key is None:
                    key = root.target
                elif key is not None and root.target is not None and root.target.startswith("cite:"):
                    root.target = key
            if key is None:
                key = f"cite:{c.volume} {c.reporter} {c.page}"
                if key not in targets:
                    names = list(derive_short_names(c.name)) if c.name else []
                    targets[key] = _Target(
                        key=key,
                        names=names,
                        first_page=int(c.page) if c.page and c.page.isdigit() else None,
                        last_page=None,
                        volume_keys={cite_key(c.volume or "", c.reporter or "")},
                        cite=f"{c.volume} {c.reporter} {c.page}",
                    )
            else:
                tgt = targets[key]
                if c.name:
                    for n in derive_short_names(c.name)[:1]:
                        if n not in tgt.names and _name_matches(n, tgt):
                            tgt.names.append(n)
            c.target = key
            seen_full.append((c, targets[key]))
        elif c.kind == "short":
            _resolve_short(c, seen_full, targets)
        elif c.kind in ("supra", "reference"):
            _resolve_by_name(c, seen_full, targets)
        elif c.kind == "id":
            ante = last
            if c.enclosing is not None and c.enclosing in last_in_paren:
                ante = last_in_paren[c.enclosing]
            elif last is not None and last.index in last_in_paren:
                # "X (quoting Y); see also id.": within one citation sentence, id. is Y
                gap = text[last.tail_end or last.end : c.start]
                if (
                    re.fullmatch(r"\)* ?; ?(?:[A-Za-z.,]+ ?){0,3}", gap)
                    and clauses.signal_before(text, c.start) is not None
                    or re.fullmatch(r"\)* ?; ?", gap)
                ):
                    ante = last_in_paren[last.index]
            ante = _plausible_antecedent(c, ante, cites, targets)
            if ante is not None:
                c.target = ante.target
                c.ambiguous = ante.ambiguous
                c.candidates = ante.candidates
        # update id. antecedents
        if c.enclosing is None:
            last = c
        else:
            last_in_paren[c.enclosing] = c


def _pin_fits(pin: str | None, target: _Target | None) -> bool:
    page = _pin_first(pin)
    if page is None or target is None or target.first_page is None:
        return True
    if target.last_page is not None:
        return target.first_page <= page <= target.last_page
    return target.first_page <= page <= target.first_page + 400


def _plausible_antecedent(
    c: _Cite, ante: _Cite | None, cites: list[_Cite], targets: dict[str, _Target]
) -> _Cite | None:
    """An id. whose pin cannot lie in the preceding authority (a quoted passage's own cites
    intervene, "Id. at 13" after "394 U.S. 618") refers to an earlier one where it fits."""
    if ante is None or ante.target is None or _pin_fits(c.pin, targets.get(ante.target)):
        return ante
    for prev in reversed(cites[: ante.index]):
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
    return ante


def _resolve_short(c: _Cite, seen_full: list[tuple[_Cite, _Target]], targets: dict[str, _Target]) -> None:
    if c.page:  # database short forms keep their document number
        for full, tgt in seen_full:
            if full.full_key == c.full_key:
                c.target = tgt.key
                return
    vkey = cite_key(c.volume or "", c.reporter or "")
    cands: list[_Target] = []
    for _full, tgt in seen_full:
        if vkey in tgt.volume_keys and tgt not in cands:
            cands.append(tgt)
    if not cands:
        cands = [t for t in targets.values() if t.authority is not None and vkey in t.volume_keys]
        page = _pin_first(c.pin)
        if page is not None:
            cands = [t for t in cands if t.first_page is None or t.first_page <= page]
    if len(cands) > 1 and c.name:
        named = [t for t in cands if _name_matches(c.name, t)]
        if named:
            cands = named
    if len(cands) > 1:
        cands, ambiguous = _choose_by_page(cands, c.pin)
        c.ambiguous = ambiguous
        c.candidates = tuple(t.key for t in cands) if ambiguous else ()
    if not cands and c.name:
        # a wrong volume in the opinion ("Associated General Contractors, 519 U.S. at 537"):
        # trust the name when it fits exactly one authority cited before
        named = list(
            {t.key: t for _, t in seen_full if t.authority is not None and _name_matches(c.name, t)}.values()
        )
        if len(named) == 1:
            cands = named
    if cands:
        c.target = cands[0].key
        if c.name and c.name not in cands[0].names and not c.ambiguous:
            cands[0].names.append(c.name)


def _resolve_by_name(c: _Cite, seen_full: list[tuple[_Cite, _Target]], targets: dict[str, _Target]) -> None:
    cands: list[_Target] = []
    if c.volume and c.reporter:
        vkey = cite_key(c.volume, c.reporter)
        cands = [t for _, t in seen_full if vkey in t.volume_keys]
    if not cands:
        for full, tgt in seen_full:
            if tgt not in cands and _name_matches(c.name, tgt, full.name):
                cands.append(tgt)
    if not cands:
        return
    if c.volume and not c.reporter:
        # "Fullilove, 448 supra": the volume rules out same-name cases in other volumes
        by_vol = [t for t in cands if any(k.startswith(f"{c.volume}|") for k in t.volume_keys)]
        cands = by_vol or cands
    if len(cands) > 1:
        cands, ambiguous = _choose_by_page(cands, c.pin)
        c.ambiguous = ambiguous
        c.candidates = tuple(t.key for t in cands) if ambiguous else ()
    c.target = cands[0].key


# --- signals ----------------------------------------------------------------------------------------


def _assign_signals(text: str, cites: list[_Cite]) -> None:
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
        if sig is None:
            gap_end = c.start
            prev = None
            for j in range(i - 1, -1, -1):
                p = cites[j]
                if p.parallel_of is not None or p.history_of is not None:
                    continue
                if (p.tail_end or p.end) <= gap_end:
                    prev = p
                    break
            if prev is not None:
                gap = text[prev.tail_end or prev.end : gap_end]
                # a string citation ("; B") or the second half of "Compare A, with B"
                if re.fullmatch(r" ?; ?|,? ?(?:and )?with ?", gap) and prev.enclosing == c.enclosing:
                    sig = prev.signal
        c.signal = sig or "none"


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
    r"and (?:his|her|their|its) )\b)"
)
_PERSON_BEFORE = re.compile(
    r"(?:harm|injury|injuries|damage|damages|losses|loss|payment|payments) to $|(?:the injury|the harm) $"
)


def _name_regex(names: Sequence[str]) -> re.Pattern[str] | None:
    names = sorted({n for n in names if n and len(n) >= 3}, key=len, reverse=True)
    if not names:
        return None
    body = "|".join(name_pattern(n) for n in names)
    return re.compile(f"(?:{body})(?!\\w)(?!['’](?!s\\b)\\w)", re.I)


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


def _covered(pos: int, end: int, spans: list[tuple[int, int]]) -> bool:
    for a, b in spans:
        if a < end and pos < b:
            return True
    return False


#: What a court says of a decision, not of a person: "Bakke was decided", "Lehnert had held".
_CASE_AFTER = re.compile(
    r"^ (?:was|were|had|has|is)(?: not)?(?: been)? (?:decided|overruled|abrogated|reversed|vacated|"
    r"affirmed|limited|distinguished|wrongly|correctly|rightly|issued|handed|announced|held|said|"
    r"noted|recognized|found|concluded|explained|made|cited|followed|criticized|applied|read|"
    r"instructive|controlling|inapposite|distinguishable|binding|a plurality|the leading|"
    r"an? (?:case|decision|opinion))\b"
)


def _looks_like_person(text: str, start: int, end: int, names_in_match: str) -> bool:
    before = text[max(0, start - 40) : start]
    if _HONORIFIC.search(before):
        return True
    if re.search(r"(?:\b(?:[Ii]n|[Uu]nder|of)|\b(?:pre|post)-?) ?$", before):
        return False  # "in Carroll", "the logic of McCready", "pre-Grove City": the case
    if _PERSON_BEFORE.search(before):
        return True
    after = text[end : end + 40]
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
        ):
            return True
    nxt = re.match(r" ([A-Z][a-z]+)", after)
    if nxt and nxt.group(1) not in ("Court", "Circuit", "I", "II", "III", "IV", "V"):
        if not re.match(r" (?:v\.|vs\.)", after):
            return True
    return False


def _followed_by_journal(text: str, end: int, journals: list[_Cite]) -> bool:
    for j in journals:
        if end <= j.core[0] <= end + 250:
            between = text[end : j.core[0]]
            if not re.search(r"[.;] [A-Z]", between):
                return True
    return False


def _find_name_only(
    text: str,
    cites: list[_Cite],
    targets: dict[str, _Target],
    seeds_only: bool,
) -> list[tuple[int, int, str, str, bool, tuple[str, ...]]]:
    """(start, end, target key, kind, ambiguous, candidates) for names outside citations."""
    covered = [(c.start, max(c.end, c.core[1])) for c in cites if c.kind != "journal"]
    journals = [c for c in cites if c.kind == "journal"]
    first_ref: dict[str, int] = {}
    for c in cites:
        if c.target and c.target not in first_ref:
            first_ref[c.target] = c.start
    found: list[tuple[int, int, str, str, bool, tuple[str, ...]]] = []
    taken: list[tuple[int, int]] = []
    # full names (both parties) count even before a cite: "including Lehnert v. Ferris Faculty Ass'n, ..."
    name_hits: list[tuple[int, int, str, bool]] = []  # start, end, key, is_full_name
    for key, tgt in targets.items():
        if tgt.authority is None and seeds_only:
            continue
        if tgt.authority is not None:
            full_re = _full_name_regex(tgt.authority.name)
            if full_re is not None:
                for m in full_re.finditer(text):
                    name_hits.append((m.start(), m.end(), key, True))
            for nick in tgt.authority.nicknames:
                for m in re.finditer(name_pattern(nick) + r"(?!\w)", text, re.I):
                    name_hits.append((m.start(), m.end(), key, True))
        if key not in first_ref:
            continue
        short_re = _name_regex(tgt.names)
        if short_re is None:
            continue
        for m in short_re.finditer(text, first_ref[key]):
            name_hits.append((m.start(), m.end(), key, False))
    # longest first so "Perry Educ. Ass'n" wins over "Perry"
    name_hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    for start, end, key, is_full in name_hits:
        if not text[start : start + 1].isupper():
            continue
        end = _trim_end(text, start, end)
        if _covered(start, end, covered) or _covered(start, end, taken):
            continue
        if _followed_by_journal(text, end, journals) or re.search(
            r"(?:Note|Comment|Recent Case)s?, $", text[max(0, start - 16) : start]
        ):
            continue
        if not is_full and _looks_like_person(text, start, end, text[start:end]):
            continue
        # which authority: several seeds may share a name ("Bernstein"): the one referred to last
        sharing = {k for s, e, k, f in name_hits if s == start and e == end}
        if len(sharing) > 1:
            # the authority referred to last (a cite in subsequent history does not count);
            # ambiguous only when the opinion has cited more than one of them
            prior = [c for c in cites if c.target in sharing and c.start < start and c.history_of is None]
            chosen = prior[-1].target if prior else key
            cited = {c.target for c in prior}
            amb = len(cited) > 1
            found.append((start, end, chosen, "name_only", amb, tuple(sorted(cited)) if amb else ()))
        else:
            found.append((start, end, key, "name_only", False, ()))
        taken.append((start, end))
    # "McCready at 472" that eyecite left: a name followed by a pin
    out = []
    for start, end, key, kind, amb, cands in found:
        m = re.compile(r" at (?=\*?\d)").match(text, end)
        if m:
            parsed = clauses.parse_pin(text, m.end())
            if parsed:
                out.append((start, parsed[1], key, "short:" + parsed[0], amb, cands))
                continue
        out.append((start, end, key, kind, amb, cands))
    return out


# --- sentences --------------------------------------------------------------------------------------

#: A sentence ends at . ! ? (maybe a closing quote and a footnote number glued on) before a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*(?: (?=[A-Z“\"(])|\d{1,3} (?=[A-Z“\"]))")


def _sentence(text: str, start: int, end: int, bounds: tuple[int, int] | None = None) -> str:
    lo, hi = bounds or (0, len(text))
    left = max(lo, start - 600)
    chunk_start = left
    for m in _SENTENCE_END.finditer(text, left, start):
        word = re.search(r"(\S+)$", text[max(0, m.start() - 12) : m.start()])
        token = word.group(1) if word else ""
        if _is_abbreviation(token):
            continue
        chunk_start = m.end()
    stop = min(hi, end + 600)
    chunk_end = stop
    for m in _SENTENCE_END.finditer(text, end, stop):
        word = re.search(r"(\S+)$", text[max(0, m.start() - 12) : m.start()])
        if _is_abbreviation(word.group(1) if word else ""):
            continue
        chunk_end = m.start()
        break
    return text[chunk_start:chunk_end].strip()


def _is_abbreviation(token: str) -> bool:
    bare = token.rstrip('"”’)').rstrip(".").lower()
    if len(bare) <= 2 or "." in bare:
        return True
    return bare in {
        "id",
        "ibid",
        "supp",
        "cir",
        "app",
        "co",
        "inc",
        "corp",
        "univ",
        "cal",
        "dep't",
        "stat",
        "ass'n",
        "ass’n",
        "educ",
        "dist",
        "sch",
        "pub",
        "vill",
        "seq",
        "cong",
        "sess",
        "rev",
        "ann",
        "jr",
        "sr",
        "nos",
        "cert",
        "reh'g",
        "pp",
        "cf",
        "e.g",
        "i.e",
        "etc",
        "assn",
    }


# --- public API -------------------------------------------------------------------------------------


def _part_at(parts: Sequence[tuple[int, str]], pos: int, default: str) -> str:
    current = default
    for start, part in sorted(parts):
        if start <= pos:
            current = part
        else:
            break
    return current


def find_references(
    text: str,
    authorities: Sequence[Authority],
    *,
    fmt: str = "text",
    opinion_part: str = "majority",
    opinion_parts: Sequence[tuple[int, str]] | None = None,
    all_cases: bool = False,
    cited_texts: Mapping[str, str] | None = None,
    tokenizer: str = "auto",
) -> list[Reference]:
    """Every reference in `text` to one of `authorities` (or, with `all_cases`, to any case).

    `fmt` is "text", "html", "xml" or "auto". `opinion_parts` lists (offset into `text`, part)
    for opinions with several parts (majority, concurrence, dissent, syllabus); otherwise every
    reference gets `opinion_part`. `cited_texts` maps an authority key to that authority's own
    text; when given, quotations of it are recorded on the references. References come back in
    text order, with offsets into `text`.
    """
    prepared = prepare_text(text, fmt)
    work = prepared.text
    if not work.strip():
        return []
    cites = _read_cites(prepared, tokenizer)
    for c in cites:
        c.src_start = prepared.offsets[c.start]
    _link_structure(work, cites)
    targets, by_cite = _build_targets(authorities)
    _resolve(work, cites, targets, by_cite, all_cases, prepared.footnote_zones)
    _assign_signals(work, cites)
    parts = list(opinion_parts or prepared.opinion_parts or [])

    seed_keys = {a.key for a in authorities}
    records: list[tuple[int, int, str, str, _Cite | None, bool, tuple[str, ...]]] = []
    for c in cites:
        if c.kind not in ("full", "short", "id", "supra", "reference") or c.target is None:
            continue
        if c.parallel_of is not None:
            continue
        if not all_cases and c.target not in seed_keys:
            continue
        kind = {"reference": "short"}.get(c.kind, c.kind)
        if kind == "full" and any(p.parallel_of == c.index for p in cites):
            kind = "parallel"
        records.append((c.start, c.end, c.target, kind, c, c.ambiguous, c.candidates))
    for start, end, key, kind, amb, cands in _find_name_only(work, cites, targets, not all_cases):
        if not all_cases and key not in seed_keys:
            continue
        records.append((start, end, key, kind, None, amb, cands))
    records.sort(key=lambda r: (r[0], r[1]))

    from citator.citations.quotes import find_quotation

    records = _split_at_footnotes(prepared, records)
    references: list[Reference] = []
    last_end = -1
    for start, end, key, kind, cite, amb, cands in records:
        if start < last_end:
            continue
        last_end = end
        src_start, src_end = prepared.source_span(start, end)
        target = targets.get(key)
        pin = None
        if kind.startswith("short:"):
            kind, pin = "short", kind.split(":", 1)[1]
        ref = Reference(
            start=src_start,
            end=src_end,
            as_written=text[src_start:src_end],
            kind=kind,
            authority_key=key if key in seed_keys else None,
            cite=(target.cite if target else None),
            pin_cite=cite.pin if cite is not None else pin,
            parenthetical=_parenthetical(prepared, cite.paren_spans, src_start) if cite is not None else None,
            signal=cite.signal if cite is not None else "none",
            sentence=_sentence(work, start, end, prepared.zone_bounds(start)),
            paragraph=_paragraph(prepared, start),
            in_footnote=prepared.in_footnote(src_start),
            opinion_part=_part_at(parts, src_start, opinion_part),
            ambiguous=amb,
            candidates=tuple(cands),
            subsequent_history=cite.history if cite is not None else None,
        )
        if cite is not None and cite.kind == "full" and cite.name is None and kind == "full":
            ref.extra["standalone_cite"] = True
        page = prepared.page_at(src_start)
        if page:
            ref.extra["page"] = page
        if cited_texts and key in cited_texts:
            quote = find_quotation(work, start, end, cited_texts[key])
            if quote is not None:
                ref.quotation, ref.quotation_page = quote
        references.append(ref)
    references.sort(key=lambda r: (r.start, r.end))  # footnotes were read after the body
    return references


def _parenthetical(prepared: PreparedText, spans: list[tuple[int, int]], src_pos: int) -> str | None:
    """Parenthetical text as written in the source (page headers included, as the corpus keeps
    them), without footnote bodies that the page layout interleaves into it."""
    if not spans:
        return None
    own = [f for f in prepared.footnotes if f[0] <= src_pos < f[1]]
    parts = []
    for a, b in spans:
        sa, sb = prepared.source_span(a + 1, b - 1)
        raw = prepared.source[sa:sb]
        for fa, fb in sorted(prepared.footnotes, reverse=True):
            if (fa, fb) in own or fb <= sa or fa >= sb:
                continue
            raw = raw[: max(0, fa - sa)] + " " + raw[max(0, fb - sa) :]
        raw = re.sub(r"\s+", " ", raw.replace("\f", " ")).strip()
        if prepared.fmt != "text":
            raw = re.sub(r"<[^>]*>", "", raw)
            import html as _html

            raw = re.sub(r"\s+", " ", _html.unescape(raw)).strip()
        if raw:
            parts.append(raw)
    return " | ".join(parts) if parts else None


def _split_at_footnotes(prepared: PreparedText, records: list) -> list:
    """A citation broken by a footnote ("Vill. of Hoffman Estates v. Flipside, [note 9] Inc.,
    455 U.S. 489") is reported as its two halves: the name before the break (name_only) and the
    cite after it, so that neither span swallows the footnote."""
    if not prepared.footnote_zones:
        return records
    out = []
    for rec in records:
        start, end, key, kind, cite, amb, cands = rec
        src_a, src_b = prepared.source_span(start, end)
        cut = next((z for z in prepared.footnote_zones if src_a < z[2] and z[3] < src_b), None)
        if cut is None or cite is None or kind not in ("full", "short", "parallel"):
            out.append(rec)
            continue
        first_end = prepared.working_pos(cut[2])
        second_start = first_end
        while second_start < end and prepared.text[second_start] == " ":
            second_start += 1
        head = _trim_end(prepared.text, start, first_end)
        if head > start and second_start < end and second_start <= cite.core[0]:
            core_start = cite.core[0]
            if kind == "full" and cite.name and core_start > second_start:
                # keep only a real name after the break; a lone "Inc.," belongs to the first half
                name_after = prepared.text[second_start:core_start].rstrip(" ,")
                if not re.search(r"[a-z]{3,}", name_after.replace("Inc", "")):
                    second_start = core_start
            out.append((start, head, key, "name_only", None, amb, cands))
            out.append((second_start, end, key, kind, cite, amb, cands))
        else:
            out.append(rec)
    return out


def _paragraph(prepared: PreparedText, work_pos: int) -> str:
    wa, wb = prepared.working_paragraph(work_pos)
    para = prepared.text[wa:wb].strip()
    if len(para) > 4000:
        center = work_pos - wa
        para = para[max(0, center - 2000) : center + 2000]
    return para
