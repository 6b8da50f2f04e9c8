"""A cheap, lossless test for "could this opinion refer to a seed at all?".

Full citation extraction costs tens of milliseconds per opinion; a bulk dump holds millions of
opinions and almost none of them cite a seed. The prefilter compiles, once, one matcher over every
form in which a reference to a seed can be written, and only opinions it matches go on to
`find_references`. It must never drop an opinion that full extraction would find something in, so
every pattern errs on the side of matching:

* reporter citations as a full cite (volume, reporter, first page: "176 F.3d 1132") or as a short
  cite (volume, reporter, "at": "176 F.3d at 1140", "176 F. 3d, at"), with the reporter written in
  any of its known variant spellings (reporters-db's variations, e.g. "F. 3d", "F3d", "Fed.Rep.3d"),
  and any run of spaces, punctuation, HTML tags or entities between the tokens, in any case. A
  cite of another case in the same volume ("176 F.3d 1200") is no reference to the seed and is not
  matched. A short cite in a seed's volume is, unless its pin plainly lies before the seed's
  first page ("Harrison, 176 F.3d at 792" against 176 F.3d 1132): the extractor resolves a short
  cite with no full cite before it only to a seed whose first page is at or below the pin, and a
  full cite of the seed elsewhere in the opinion is matched by its own pattern. "Plainly" is
  narrow on purpose (`_pin_below`): one space after "at", then digits ending the pin; any other
  shape (a star page, a tag or entity in between, a capitalised word after the number, which
  the extractor may read as the next cite's reporter) keeps the opinion;
* every citation of the seed: parallel cites and the cites of its subsequent history;
* names, as far as the extractor can use them without a cite: the nicknames ("Bernstein I") and
  the full case name with both parties ("Bernstein v. U.S. Dep't of State", matched up to the
  first word of the second party, as `mentions` does), each word in any of its abbreviations.

A bare short name or first party ("Bernstein", "Bernstein, supra", "as Bernstein held") is not
matched: the extractor follows the same rules. `mentions.find_name_only` counts a short name only
after the authority has been cited in the opinion; supra and "Name at page" forms resolve only to
a case fully cited before them (`resolve._resolve_by_name`); id. only to a preceding citation.
Each of those needs a full or short cite of the seed in the same opinion, which the cite
patterns match. Short cites ("176 F.3d at 1140") do resolve without a prior full cite (by volume
and reporter among the seeds), so they keep their own pattern. In a dump most opinions that name
a seed's party are about somebody else (a "Bernstein" in a counsel list), and those are no
longer candidates.

Hyperscan runs all patterns in one pass at gigabytes a second when it is installed; otherwise one
compiled Python regex does the same job, slower. The object pickles as its authorities and rebuilds
its matcher in the receiving process, so it can be shipped to worker processes or a Dask cluster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from citator.citations.models import Authority
from citator.citations.names import name_words, split_parties, word_forms

try:  # optional: pip install 'citator[bulk]'
    import hyperscan as _hs
except ImportError:  # pragma: no cover - depends on the environment
    _hs = None

#: Anything eyecite or a browser may put between two tokens of a citation: non-alphanumerics
#: (spaces, periods, commas, apostrophes, non-breaking spaces), HTML/XML tags and entities.
_SEP = r"(?:[^0-9A-Za-z]|&#?[0-9A-Za-z]{1,10};|<[^<>]*>)*"
_TOKEN = re.compile(r"[0-9A-Za-z]+")
#: Between the words of a name: the same, but a "<" only as part of a tag, so the letters inside
#: "</i>" cannot stand for a word ("<i>Bernstein</i>" is not "Bernstein I").
_NAME_SEP = r"(?:[^0-9A-Za-z<]|&#?[0-9A-Za-z]{1,10};|<[^<>]*>)*"


#: The same separators where the text is still JSON-escaped (a CAP case file before parsing):
#: "\n", "\"" and "\u00a0" stand for one character each, and the letters in them are no token.
_JSON_ESCAPE = r"\\u[0-9A-Fa-f]{4}|\\[a-z]"
_SEP_JSON = r"(?:[^0-9A-Za-z]|" + _JSON_ESCAPE + r"|&#?[0-9A-Za-z]{1,10};|<[^<>]*>)*"
_NAME_SEP_JSON = r"(?:[^0-9A-Za-z<]|" + _JSON_ESCAPE + r"|&#?[0-9A-Za-z]{1,10};|<[^<>]*>)*"


def json_tolerant(pattern: str) -> str:
    """`pattern` for JSON-escaped text: it matches the escaped form of every text it matches.

    Patterns are built from alphanumeric tokens (which JSON never escapes) joined by `_SEP` or
    `_NAME_SEP`, so widening those two to JSON escapes is enough."""
    return pattern.replace(_SEP, _SEP_JSON).replace(_NAME_SEP, _NAME_SEP_JSON)


def _reporter_spellings(reporter: str) -> set[str]:
    """The reporter and every variant spelling reporters-db maps to it."""
    spellings = {reporter}
    try:
        from reporters_db import VARIATIONS_ONLY
    except ImportError:  # pragma: no cover - reporters-db comes with eyecite
        return spellings
    compact = reporter.replace(" ", "")
    for variant, canonicals in VARIATIONS_ONLY.items():
        if any(c == reporter or c.replace(" ", "") == compact for c in canonicals):
            spellings.add(variant)
    return spellings


def _tokens_pattern(tokens: Sequence[str], sep: str = _SEP) -> str:
    return sep.join(re.escape(t) for t in tokens)


def _cite_forms(cite: str) -> tuple[set[str], set[str], str | None]:
    """(full-cite patterns, short-cite patterns, volume) for one normalized cite, e.g. "176 F.3d 1132"."""
    parts = cite.split()
    if len(parts) < 3 or not parts[0].isdigit():
        # Not volume-reporter-page (a docket number, an unusual cite): match it whole, loosely.
        tokens = _TOKEN.findall(cite)
        return ({_tokens_pattern(tokens)} if tokens else set()), set(), None
    volume, reporter, page = parts[0], " ".join(parts[1:-1]), parts[-1]
    full, short = set(), set()
    for spelling in _reporter_spellings(reporter):
        tokens = _TOKEN.findall(spelling)
        if tokens:
            stem = re.escape(volume) + _SEP + _tokens_pattern(tokens) + _SEP
            full.add(stem + re.escape(page))  # full cite, with or without pin
            short.add(stem + r"at\b")  # short cite
    return full, short, volume


def citation_patterns(cite: str) -> set[str]:
    """Patterns for the full and short forms of one normalized cite, e.g. "176 F.3d 1132"."""
    full, short, _ = _cite_forms(cite)
    return full | short


#: What may follow the last word of a name: anything but a letter (the extractor requires no word
#: character; a digit is let through in case it is a footnote number the extractor drops).
_NAME_END = r"(?:[^A-Za-z]|$)"


def _word_pattern(word: str) -> str:
    """One name word in each of its forms ("Dep't", "Dept.", "Department")."""
    alternatives = []
    optional = False
    for form in sorted(word_forms(word), key=len, reverse=True):
        tokens = _TOKEN.findall(form)
        if tokens:
            alternatives.append(_tokens_pattern(tokens, _NAME_SEP))
        else:
            optional = True  # "&": the separator between the neighbouring words takes it
    if not alternatives:
        return ""
    body = "(?:" + "|".join(alternatives) + ")"
    return body + "?" if optional else body


def _name_tokens_pattern(words: Sequence[str]) -> str:
    pieces = [p for p in (_word_pattern(w) for w in words) if p]
    return _NAME_SEP.join(pieces)


def full_name_pattern(name: str) -> str | None:
    """The case name with both parties, up to the second party's first word, as
    `mentions._full_name_regex` requires ("Bernstein v. U.S.")."""
    first, second = split_parties(name)
    if not second:
        return None
    second = re.sub(r"\s*\([^)]*\)\s*$", "", second)
    words = [w.strip(",") for w in second.split() if w.strip(",")]
    first_words = name_words(first)
    if not words or not first_words:
        return None
    head = _name_tokens_pattern(first_words)
    tail = _name_tokens_pattern(name_words(words[0]))
    if not head or not tail:
        return None
    return head + _NAME_SEP + r"vs?" + _NAME_SEP + tail + _NAME_END


def name_patterns(authority: Authority) -> set[str]:
    """Patterns for the names that refer to `authority` without any cite in the opinion: its
    nicknames and its full case name. Short names need a cite of the authority first."""
    patterns = set()
    for nick in authority.nicknames:
        body = _name_tokens_pattern(name_words(nick))
        if body:
            patterns.add(body + _NAME_END)
    full = full_name_pattern(authority.name)
    if full:
        patterns.add(full)
    return patterns


@dataclass(frozen=True)
class ShortCiteForms:
    """The short-cite patterns of one volume and the lowest pin that can still be a seed's.

    `lowest_page` mirrors `resolve._resolve_short`: with no full cite before it, a short cite
    resolves only to a seed whose volume and reporter it shares and whose first page is at or below
    the pin. It is the least first page of every seed with a citation in this volume (in any
    reporter, so a reporter the extractor spells differently cannot slip through), or None, which
    keeps every pin, when one of them has no first page or the volume only appears in a seed's
    subsequent history.
    """

    volume: str
    patterns: tuple[str, ...]
    lowest_page: int | None


@dataclass(frozen=True)
class PatternSet:
    """The prefilter's patterns: `strong` ones make a candidate outright, `short` ones only when a
    pin does not rule the seed out."""

    strong: tuple[str, ...]
    short: tuple[ShortCiteForms, ...]

    @property
    def all(self) -> list[str]:
        return list(self.strong) + [p for forms in self.short for p in forms.patterns]


def _lowest_pages(authorities: Sequence[Authority]) -> dict[str, int | None]:
    """Per volume number: the least first page among the seeds cited in it (None: keep every pin)."""
    from citator.citations.cites import seed_cites  # eyecite: imported when a prefilter is built

    lowest: dict[str, int | None] = {}
    for authority in authorities:
        forms = [form for written in authority.citations for form in seed_cites(written)]
        for volume, _, page in forms or [(c.split()[0] if c.split() else "", "", "") for c in authority.citations]:
            if not volume.isdigit():
                continue
            first = int(page) if page.isdigit() else authority.first_page
            if first is None:
                lowest[volume] = None
            elif volume not in lowest:
                lowest[volume] = first
            elif lowest[volume] is not None:
                lowest[volume] = min(lowest[volume], first)
    return lowest


def pattern_set(authorities: Iterable[Authority]) -> PatternSet:
    """Every pattern of the prefilter, sorted so the compiled matcher is deterministic."""
    from citator.citations.cites import seed_cite_strings  # eyecite: imported when a prefilter is built

    authorities = tuple(authorities)
    strong: set[str] = set()
    short: dict[str, set[str]] = {}
    for authority in authorities:
        cites = list(authority.citations) + [h.citation for h in authority.history if h.citation]
        for written in cites:
            for cite in seed_cite_strings(written):  # each reporter form, as the extractor reads it
                full, short_forms, volume = _cite_forms(cite)
                strong |= full
                if volume is not None:
                    short.setdefault(volume, set()).update(short_forms)
        strong |= name_patterns(authority)
    lowest = _lowest_pages(authorities)
    forms = tuple(
        ShortCiteForms(volume, tuple(sorted(patterns)), lowest.get(volume))
        for volume, patterns in sorted(short.items())
    )
    return PatternSet(tuple(sorted(strong)), forms)


def patterns_for(authorities: Iterable[Authority]) -> list[str]:
    """Every pattern of the prefilter, strong ones first, in a deterministic order."""
    return pattern_set(authorities).all


#: A pin that plainly starts with a page number, as the extractor will read it: one space after
#: "at", digits, then (past any closing tags) punctuation that ends the pin or a space and a
#: parenthetical or lower-case word. Anything else (a star page, a tag, an entity or a line break
#: before the number, a capitalised word after it that the extractor may take for the next cite's
#: reporter) is no plain pin, and the opinion stays a candidate.
_PLAIN_PIN = re.compile(r" ([0-9]{1,6})(?:<[^<>]*>)*(?:[,;.):\-\u2013\u2014]|[ \t\r\n]+(?:<[^<>]*>)*[(a-z]|\s*\Z)")


def _pin_below(text: str, at_end: int, lowest_page: int | None) -> bool:
    """Does the short cite whose "at" ends at `at_end` plainly pin a page below `lowest_page`?"""
    if lowest_page is None:
        return False
    m = _PLAIN_PIN.match(text, at_end)
    return m is not None and int(m.group(1)) < lowest_page


def _short_matches(regex: re.Pattern[str], volume: str | None, text: str) -> Iterator[re.Match[str]]:
    """`regex.finditer(text)` for a volume's short-cite lookahead, tried only where the volume's
    digits stand (`volume`, None: everywhere). The same matches, found without running the
    lookahead's alternatives at every character of an opinion of tens of kilobytes."""
    if volume is None:
        yield from regex.finditer(text)
        return
    at = text.find(volume)
    while at >= 0:
        m = regex.match(text, at)
        if m is not None:
            yield m
        at = text.find(volume, at + 1)


class Prefilter:
    """Compiled matcher: `prefilter.matches(text)` is False only when no seed can be referred to."""

    def __init__(self, authorities: Sequence[Authority], *, engine: str = "auto") -> None:
        if engine not in ("auto", "hyperscan", "re"):
            raise ValueError(f"unknown prefilter engine {engine!r}")
        if engine == "hyperscan" and _hs is None:
            raise RuntimeError("hyperscan is not installed (pip install 'citator[bulk]')")
        self.authorities = tuple(authorities)
        self.requested_engine = engine
        self.pattern_set = pattern_set(self.authorities)
        self.patterns = self.pattern_set.all
        self.engine = "hyperscan" if engine != "re" and _hs is not None else "re"
        self._compile()

    def _compile(self) -> None:
        self._hs_db = None
        self._regex = None
        # ASCII semantics in Python as in Hyperscan (which scans bytes): case folding, \b and the
        # separators' character classes then agree, so both engines find the same occurrences.
        flags = re.IGNORECASE | re.DOTALL | re.ASCII
        self._strong = None  # the strong forms alone, for the `re` engine (Hyperscan reports pattern ids)
        # Every occurrence, overlapping ones included, of each volume's short forms; group 1 ends at "at".
        # The volume's digits (which every one of its patterns starts with) locate the places to try.
        self._short = [
            (re.compile("(?=(" + "|".join(f"(?:{p})" for p in forms.patterns) + "))", flags), forms.lowest_page,
             forms.volume if all(p.startswith(re.escape(forms.volume)) for p in forms.patterns) else None)
            for forms in self.pattern_set.short
        ]
        self._strong_ids = len(self.pattern_set.strong)
        self._json_hs_db = None
        self._json_regex = None
        if not self.patterns:
            return
        json_patterns = [json_tolerant(p) for p in self.patterns]
        if self.engine == "hyperscan":
            self._hs_db = self._hyperscan(self.patterns)
            self._json_hs_db = self._hyperscan(json_patterns)
        else:
            self._regex = re.compile("|".join(f"(?:{p})" for p in self.patterns), flags)
            if self.pattern_set.strong:
                self._strong = re.compile("|".join(f"(?:{p})" for p in self.pattern_set.strong), flags)
            self._json_regex = re.compile(
                "|".join(f"(?:{p})" for p in json_patterns).encode("ascii"), re.IGNORECASE | re.DOTALL
            )

    @staticmethod
    def _hyperscan(patterns: list[str]) -> Any:
        """One block-mode database over `patterns`, compiled once per machine (`hscache`)."""
        from citator.citations.hscache import cached_database, fingerprint

        hs_flags = _hs.HS_FLAG_CASELESS | _hs.HS_FLAG_SINGLEMATCH | _hs.HS_FLAG_DOTALL

        def build() -> Any:
            db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
            db.compile(
                expressions=[p.encode("ascii") for p in patterns],
                ids=list(range(len(patterns))),
                elements=len(patterns),
                flags=[hs_flags] * len(patterns),
            )
            return db

        key = fingerprint([getattr(_hs, "__version__", ""), str(hs_flags), *patterns])
        return cached_database("prefilter", key, build)

    def may_match_raw(self, data: bytes) -> bool:
        """False only when no text inside `data`, a record whose text is still escaped, can match:
        a test on the raw bytes of a CAP case file (JSON) or a CourtListener dump row (CSV) before
        paying for parsing it. The patterns allow for JSON's escapes, and their separators take
        CSV's `\\"` and `\\\\` as they take any punctuation. True means "parse and ask `matches`
        about each opinion" (it also holds for a seed's cite in the record's metadata)."""
        if not self.patterns:
            return False
        if self._json_hs_db is not None:
            found = False

            def stop(*_: Any) -> bool:
                nonlocal found
                found = True
                return True

            try:
                self._json_hs_db.scan(data, match_event_handler=stop)
            except _hs.ScanTerminated:
                pass
            return found
        return self._json_regex.search(data) is not None

    def matches(self, text: str) -> bool:
        """True when `text` holds anything that could be a reference to one of the authorities."""
        if not self.patterns:
            return False
        if self._hs_db is not None:
            hit = {"strong": False, "short": False}
            strong_ids = self._strong_ids

            def seen(pattern_id: int, *_: Any) -> bool:
                if pattern_id < strong_ids:
                    hit["strong"] = True
                    return True  # a candidate: halt the scan
                hit["short"] = True
                return False  # a short cite: go on, a strong form may follow

            try:
                self._hs_db.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=seen)
            except _hs.ScanTerminated:
                pass
            if hit["strong"]:
                return True
            return hit["short"] and self._short_cites_may_refer(text)
        if self._regex.search(text) is None:
            return False
        if self._strong is not None and self._strong.search(text):
            return True
        return self._short_cites_may_refer(text)

    def _short_cites_may_refer(self, text: str) -> bool:
        """Only short cites matched: a candidate unless every one plainly pins below the seeds.

        Runs on the rare opinions that hold a short cite in a seed's volume, so plain `re` is
        fine. Finding none here although the fast engine did keeps the opinion too.
        """
        found = False
        for regex, lowest_page, volume in self._short:
            for m in _short_matches(regex, volume, text):
                found = True
                if not _pin_below(text, m.end(1), lowest_page):
                    return True
        return not found

    def __getstate__(self) -> dict[str, Any]:
        return {"authorities": self.authorities, "engine": self.requested_engine}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["authorities"], engine=state["engine"])
