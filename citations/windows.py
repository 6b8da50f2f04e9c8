"""Sentence and paragraph windows around a reference, computed from the raw opinion text.

The treatment classifier reads the words around a reference, but opinions arrive as they were
stored: justified spacing, double-spaced lines, page numbers and form feeds, and citations full of
periods ("438 U. S. 265", "F. Supp.", "Cal. v. Bakke", "Id. at 5"). A naive split on ". " cuts a
citation sentence into fragments and loses the verb that carries the treatment, so the splitter here
only ends a sentence at terminal punctuation that is followed by an upper-case start and is not a
legal abbreviation. Offsets are always indices into the text as given, so evidence can point back
into the stored opinion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words that end in a period but almost never end a sentence in an opinion. Single letters
#: (initials, "F.", "S.") and dotted acronyms ("U.S.", "H.R.") are handled by rule.
ABBREVIATIONS = frozenset(
    """
    v vs mr mrs ms dr jr sr st mt no nos cir dist supp ct ed educ ass'n assn univ cal dep't dept co
    corp inc ltd bros bd comm'n commn cong sess rep stat fed reg app n nn p pp e.g i.e cf art arts
    cl ch sec secs para tit fig gen admin rev j jj c.j ann op ops aff'd rev'd cert u.s.c
    mass tex fla ill pa va wash wis mich minn md conn del ga ind kan ky tenn vt wyo ariz ark colo
    ala okla mont neb nev prof gov sen hon cmty servs envtl int'l nat'l indus mfg mgmt sys tel
    transp util hosp ins fin elec auth prods pub ry rel seq al
    ave assocs coop bldg cnty ctr dev distrib emp equip exch grp hous inv mem'l mun nw org pharm
    prop publ'g sav sch schs soc'y sw twp twps hwy govt gov't comm'r comm'rs dir
    """.split()
)
#: (The second group is the Bluebook's case-name abbreviations: "2720 Wisconsin Ave. Coop. Ass'n"
#: must not end three sentences.)

_TERMINAL = re.compile(r"[.?!][\"”’')\]]*\d{0,3}(?=\s+[\"“‘(\[]?[A-Z])")
#: A footnote's text interleaved into the body starts with its number glued to a capital ("10In").
_FOOTNOTE_START = re.compile(r"(?<=\s)\d{1,3}(?=[A-Z][a-z])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'’]*)$")
_PARA_BREAK = re.compile(r"\n[ \t]*(?:\n[ \t]*)*(?=[ \t]{3,}\S)|\n[ \t]*\n[ \t]*\n")
_WS = re.compile(r"\s+")

#: Longest window the classifier will read on either side of a reference. Long paragraphs in
#: OCR'd texts (no paragraph marks at all) would otherwise swallow the whole opinion.
MAX_PARAGRAPH_SPAN = 1600
MAX_SENTENCE_SPAN = 900


@dataclass(frozen=True)
class Window:
    """A stretch of `text`, `end` exclusive, with its whitespace-collapsed content."""

    start: int
    end: int
    text: str


def _is_abbreviation(text: str, period_at: int) -> bool:
    """True when the period at `period_at` closes an abbreviation rather than a sentence."""
    match = _WORD_BEFORE.search(text, max(0, period_at - 30), period_at)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    if len(word) == 1:  # initials and single-letter reporter parts: "J. A. Croson", "F. Supp."
        return True
    if "." in word and len(word) <= 8:  # dotted acronyms: "U.S.", "H.R.", "S.Ct"
        return True
    return word in ABBREVIATIONS or word + "." in ABBREVIATIONS


def sentence_bounds(text: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Offsets in [lo, hi) where a new sentence begins (after a terminal mark and spacing)."""
    hi = len(text) if hi is None else hi
    starts: list[int] = []
    for match in _TERMINAL.finditer(text, lo, hi):
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        nxt = match.end()
        while nxt < hi and text[nxt].isspace():
            nxt += 1
        starts.append(nxt)
    for match in _FOOTNOTE_START.finditer(text, lo, hi):
        starts.append(match.end())
    return sorted(set(starts))


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _indent_at(text: str, line_start: int) -> int:
    n = 0
    while line_start + n < len(text) and text[line_start + n] in " \t":
        n += 1
    return n


def _is_paragraph_break(text: str, match: re.Match[str]) -> bool:
    """A line break starts a paragraph when the text before it ends a sentence and the new line is
    indented more deeply than the line before (uniformly indented texts have no false breaks)."""
    end = match.start()  # the text before the break, right-stripped, without copying it
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if not end or text[end - 1] not in '.?!:"”)]':
        return False
    if text[end - 1] == "." and _is_abbreviation(text, end - 1):
        return False
    if match.group(0).count("\n") >= 3 and not match.group(0).endswith((" ", "\t")):
        return True
    prev_line_start = text.rfind("\n", 0, end) + 1
    line_start = text.rfind("\n", 0, match.end()) + 1
    return _indent_at(text, line_start) >= _indent_at(text, prev_line_start) + 2


def paragraph_window(text: str, start: int, end: int) -> Window:
    """The paragraph holding text[start:end]: between indented line starts or triple breaks.

    Opinions mark paragraphs by indentation (plain-text slip opinions, court releases) or not at
    all; the window is capped at MAX_PARAGRAPH_SPAN characters either side.
    """
    lo_limit = max(0, start - MAX_PARAGRAPH_SPAN)
    hi_limit = min(len(text), end + MAX_PARAGRAPH_SPAN)
    lo, hi = lo_limit, hi_limit
    for match in _PARA_BREAK.finditer(text, lo_limit, hi_limit):
        if not _is_paragraph_break(text, match):
            continue
        if match.end() <= start:
            lo = match.end()
        elif match.start() >= end:
            hi = match.start()
            break
    while lo < start and text[lo].isspace():
        lo += 1
    return Window(lo, hi, _collapse(text[lo:hi]))


def sentence_window(text: str, start: int, end: int) -> Window:
    """The sentence holding text[start:end], never crossing its paragraph."""
    para = paragraph_window(text, start, end)
    lo_limit = max(para.start, start - MAX_SENTENCE_SPAN)
    hi_limit = min(para.end, end + MAX_SENTENCE_SPAN)
    bounds = sentence_bounds(text, lo_limit, hi_limit)
    lo, hi = lo_limit, hi_limit
    for b in bounds:
        if b <= start:
            lo = b
        elif b > end:
            hi = b
            break
    return Window(lo, hi, _collapse(text[lo:hi]))


def sentences_in(text: str, window: Window) -> list[Window]:
    """The sentences of a window, in order (used to look at neighbouring sentences)."""
    out: list[Window] = []
    lo = window.start
    for b in sentence_bounds(text, window.start, window.end) + [window.end]:
        if b > lo:
            out.append(Window(lo, b, _collapse(text[lo:b])))
        lo = b
    return out
