"""Exact, faster stand-ins for pure eyecite helpers that dominate extraction time.

Two helpers took 60-70% of `find_references` on real opinions; together these make it about 3x
faster with the same output.

eyecite 2.7.8 maps a court parenthetical ("9th Cir.") to a court id by stripping the punctuation
of every one of courts-db's ~3,000 citation strings on every call: about 20 ms per full citation,
40% of `find_references` on real opinions. `court_by_paren` returns exactly what
`eyecite.helpers.get_court_by_paren` returns (same order, same first exact match, same last prefix
match, same id types) from strings stripped once, and remembers recent answers, since the same
few parentheticals recur in every opinion.

After every full case citation eyecite also looks for "Name at page" references further on: it
builds and compiles a large regular expression from the citation's party names (a few ms each,
since the names differ in every citation) and scans the rest of the text. Every match of that
expression is one of the names, written literally (they are `re.escape`d, case-sensitive), after a
word boundary, then eyecite's pin-cite expression. `pincited_reference_citations` finds the names
with `str.find` and matches the pin-cite part, compiled once, right after each: the same matches
in the same order as `finditer` over the combined expression (earliest start first; at one start,
the names in eyecite's order; the search resumes after each match), with the same groups.

`install()` puts both in eyecite's place (the extractor calls it through `installed()` before its
first use of eyecite, never at import); the tests check them against the originals. Pure: no I/O.
"""

from __future__ import annotations

import bisect

import re
from functools import lru_cache
from typing import Any, Iterator

from eyecite import find as _find
from eyecite import helpers as _helpers
from eyecite import regexes as _find_regexes

__all__ = [
    "court_by_paren",
    "install",
    "installed",
    "original_get_court_by_paren",
    "original_pincited_reference_citations",
    "pincited_reference_citations",
]

#: eyecite's own implementations, kept for the equivalence tests.
original_get_court_by_paren = getattr(_helpers, "get_court_by_paren", None)
original_pincited_reference_citations = getattr(_find, "extract_pincited_reference_citations", None)


@lru_cache(maxsize=1)
def _stripped_courts() -> tuple[tuple[str, Any], ...]:
    """(citation string without non-word characters, lower-cased; court id) in courts-db order."""
    strip = _helpers.re.sub  # eyecite's own regex module, so \\w means what it means there
    return tuple((strip(r"[^\w]", "", court["citation_string"]).lower(), court["id"]) for court in _helpers.courts)


@lru_cache(maxsize=1)
def _courts_index() -> tuple[dict[str, Any], list[str], list[int], list[Any]]:
    """courts-db's stripped citation strings indexed for `court_by_paren`: the first court of each
    string, and the strings sorted (with their place in courts-db and their court id), so that the
    courts whose string begins with a given one are a range found by bisection."""
    courts = _stripped_courts()
    first: dict[str, Any] = {}
    for stripped, court_id in courts:
        first.setdefault(stripped, court_id)
    ordered = sorted((stripped, i) for i, (stripped, _) in enumerate(courts))
    return first, [s for s, _ in ordered], [i for _, i in ordered], [courts[i][1] for _, i in ordered]


@lru_cache(maxsize=4096)
def court_by_paren(paren_string: str) -> str | None:
    """The court id for a citation's court parenthetical, exactly as eyecite computes it: the first
    court whose stripped string equals the parenthetical's, else the last (in courts-db order) whose
    string begins with it. Found by look-up and bisection, not by reading all ~3,000 strings: eyecite
    hands over long stretches of text as "parentheticals", each different, so most calls miss the cache."""
    court_str = _helpers.re.sub(r"[^\w]", "", paren_string).lower()
    if not court_str:
        return None
    first, strings, places, ids = _courts_index()
    if court_str in first:
        return str(first[court_str])
    lo = bisect.bisect_left(strings, court_str)
    hi = lo
    while hi < len(strings) and strings[hi].startswith(court_str):
        hi += 1
    if lo == hi:
        return None
    last = max(range(lo, hi), key=lambda k: places[k])
    return ids[last]


_WORD_BOUNDARY = re.compile(r"\b")
_WORD_CHAR = re.compile(r"\w")


@lru_cache(maxsize=1)
def _pin_after_name() -> re.Pattern:
    """What follows the name in eyecite's reference expression: whitespace, then the pin cite."""
    return re.compile(r"\s+" + _find_regexes.PIN_CITE_REGEX, re.VERBOSE)


def _name_matches(
    text: str, offset: int, names: list[tuple[str, str]]
) -> list[tuple[int, int, str, re.Match]]:
    """(start, end, group of the name, pin match) in `text` from `offset` on, as `finditer` over
    `text[offset:]` would yield them (positions into `text`)."""
    return list(_scan_names(text, offset, names))


def _scan_names(
    text: str, offset: int, names: list[tuple[str, str]]
) -> Iterator[tuple[int, int, str, re.Match]]:
    """Each name's places with a pin cite after them (`_pinned`, found once per name and text),
    merged: earliest start first, at one start the first name in `names` order, resuming after
    each match. Names without a pin cite after them never match, so they are not looked at again
    for each full citation: many cited cases sharing one name ("Smith") cost one pass per name."""
    candidates = []
    for order, (group, name) in enumerate(names):
        starts, hits = _pinned(text, name)
        for start, end, tail in hits[bisect.bisect_left(starts, offset) :]:
            candidates.append((start, order, end, group, tail))
    candidates.sort(key=lambda c: (c[0], c[1]))
    resume = offset
    for start, _, end, group, tail in candidates:
        if start < resume:
            continue
        # a word boundary as `text[offset:]` sees it: at `offset` itself, a word character
        if not (_WORD_BOUNDARY.match(text, start) if start > offset else _WORD_CHAR.match(text, start)):
            continue
        yield start, end, group, tail
        resume = end


_pinned_cache: dict[str, tuple[list[int], list[tuple[int, int, re.Match]]]] = {}


def _pinned(text: str, name: str) -> tuple[list[int], list[tuple[int, int, re.Match]]]:
    """(starts, [(start, end, pin match)]) of every occurrence of `name` in `text` followed by
    eyecite's pin-cite part, found once per name (for the text last read)."""
    found = _pinned_cache.get(name) if _occurrence_text[0] is text else None
    if found is None:
        pin = _pin_after_name()
        hits = []
        for start in _occurrences(text, name, 0):
            tail = pin.match(text, start + len(name))
            if tail:
                hits.append((start, tail.end(), tail))
        found = ([h[0] for h in hits], hits)
        _pinned_cache[name] = found
    return found


_occurrence_cache: dict[str, list[int]] = {}
_occurrence_text: list[str] = [""]


def _occurrences(text: str, needle: str, offset: int) -> list[int]:
    """Where `needle` occurs in `text` at or after `offset`. Every occurrence in the text is found
    once per name and kept (for the text last read), so that each full citation of a long opinion
    does not scan the rest of the opinion again."""
    if _occurrence_text[0] is not text:
        _occurrence_cache.clear()
        _pinned_cache.clear()
        _occurrence_text[0] = text
    if not needle:
        return []
    found = _occurrence_cache.get(needle)
    if found is None:
        lead = _LEADING_CAPITALISED.match(needle)
        if lead is not None:
            # a capitalised name begins a word: look only where its first word stands
            found = [p for p in _capitalised_words(text).get(lead.group(), ()) if text.startswith(needle, p)]
        else:
            found = []
            at = text.find(needle)
            while at >= 0:
                found.append(at)
                at = text.find(needle, at + 1)
        _occurrence_cache[needle] = found
    return found[bisect.bisect_left(found, offset) :]


_LEADING_CAPITALISED = re.compile(r"[A-Z]\w*")
_CAPITALISED_WORD = re.compile(r"(?<!\w)[A-Z]\w*")
_word_index: list = [None, {}]


def _capitalised_words(text: str) -> dict[str, list[int]]:
    """Where each capitalised word of `text` starts (built once per text), so that finding every
    name's occurrences costs what the occurrences cost, not a scan of the text per name."""
    if _word_index[0] is not text:
        index: dict[str, list[int]] = {}
        for m in _CAPITALISED_WORD.finditer(text):
            index.setdefault(m.group(), []).append(m.start())
        _word_index[0], _word_index[1] = text, index
    return _word_index[1]


def pincited_reference_citations(citation: Any, plain_text: str) -> list:
    """eyecite's "Name at page" references after `citation`, found without building a regex per name."""
    names = [
        (key, value)
        for key in _find.ReferenceCitation.name_fields
        if (value := getattr(citation.metadata, key, None)) and _find.is_valid_name(value)
    ]
    if not names:
        return []
    offset = citation.span()[-1]
    found = []
    for start, end, group, tail in _name_matches(plain_text, offset, names):
        metadata = {key: (value if key == group else None) for key, value in names}
        metadata.update(tail.groupdict())
        found.append(
            _find.ReferenceCitation(
                token=_find.CaseReferenceToken(data=plain_text[start:end], start=start, end=end),
                span_start=start,
                span_end=end,
                full_span_start=start,
                full_span_end=end,
                index=0,
                metadata=metadata,
            )
        )
    return found


@lru_cache(maxsize=1)
def installed() -> bool:
    """`install`, once per process: called by the extractor before its first use of eyecite (never
    at import, so importing citations/ changes nothing in eyecite)."""
    return install()


def install() -> bool:
    """Use the stand-ins inside eyecite; False (and nothing changed) if eyecite's layout differs."""
    if (
        original_get_court_by_paren is None
        or original_pincited_reference_citations is None
        or not hasattr(_helpers, "courts")
        or not hasattr(_find, "is_valid_name")
        or not hasattr(_find, "ReferenceCitation")
        or not hasattr(_find, "CaseReferenceToken")
        or not hasattr(_find_regexes, "PIN_CITE_REGEX")
    ):
        return False
    _helpers.get_court_by_paren = court_by_paren
    _find.extract_pincited_reference_citations = pincited_reference_citations
    return True
