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
  matched; a short cite of one is ("176 F.3d at 1201"), since only its antecedent can tell;
* every citation of the seed: parallel cites and the cites of its subsequent history;
* names: the short names, the nicknames and the first party of the case name (so "Bernstein",
  "Bernstein I", "Bernstein, supra"); id. can only follow one of these, so it needs no pattern.

Hyperscan runs all patterns in one pass at gigabytes a second when it is installed; otherwise one
compiled Python regex does the same job, slower. The object pickles as its authorities and rebuilds
its matcher in the receiving process, so it can be shipped to worker processes or a Dask cluster.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

from citator.citations.models import Authority

try:  # optional: pip install 'citator[bulk]'
    import hyperscan as _hs
except ImportError:  # pragma: no cover - depends on the environment
    _hs = None

#: Anything eyecite or a browser may put between two tokens of a citation: non-alphanumerics
#: (spaces, periods, commas, apostrophes, non-breaking spaces), HTML/XML tags and entities.
_SEP = r"(?:[^0-9A-Za-z]|&#?[0-9A-Za-z]{1,10};|<[^<>]*>)*"
_TOKEN = re.compile(r"[0-9A-Za-z]+")


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


def _tokens_pattern(tokens: Sequence[str]) -> str:
    return _SEP.join(re.escape(t) for t in tokens)


def citation_patterns(cite: str) -> set[str]:
    """Patterns for the full and short forms of one normalized cite, e.g. "176 F.3d 1132"."""
    parts = cite.split()
    if len(parts) < 3 or not parts[0].isdigit():
        # Not volume-reporter-page (a docket number, an unusual cite): match it whole, loosely.
        tokens = _TOKEN.findall(cite)
        return {_tokens_pattern(tokens)} if tokens else set()
    volume, reporter, page = parts[0], " ".join(parts[1:-1]), parts[-1]
    patterns = set()
    for spelling in _reporter_spellings(reporter):
        tokens = _TOKEN.findall(spelling)
        if tokens:
            stem = re.escape(volume) + _SEP + _tokens_pattern(tokens) + _SEP
            patterns.add(stem + re.escape(page))  # full cite, with or without pin
            patterns.add(stem + r"at\b")  # short cite
    return patterns


def _first_party(name: str) -> str | None:
    first = re.split(r"\s+v\.?\s+|\s+vs\.?\s+", name, maxsplit=1)[0].strip()
    first = re.sub(r"^(?:in re|ex parte|united states ex rel\.?)\s+", "", first, flags=re.I)
    return first if len(first) >= 4 else None


def name_patterns(authority: Authority) -> set[str]:
    """Patterns for the names a court may use for `authority` without a reporter cite."""
    names = set(authority.short_names) | set(authority.nicknames)
    party = _first_party(authority.name)
    if party:
        names.add(party)
    patterns = set()
    for name in names:
        tokens = _TOKEN.findall(name)
        if tokens:
            patterns.add(_tokens_pattern(tokens))
    return patterns


def patterns_for(authorities: Iterable[Authority]) -> list[str]:
    """Every pattern of the prefilter, sorted so the compiled matcher is deterministic."""
    patterns: set[str] = set()
    for authority in authorities:
        cites = list(authority.citations) + [h.citation for h in authority.history if h.citation]
        for cite in cites:
            patterns |= citation_patterns(cite)
        patterns |= name_patterns(authority)
    return sorted(patterns)


class Prefilter:
    """Compiled matcher: `prefilter.matches(text)` is False only when no seed can be referred to."""

    def __init__(self, authorities: Sequence[Authority], *, engine: str = "auto") -> None:
        if engine not in ("auto", "hyperscan", "re"):
            raise ValueError(f"unknown prefilter engine {engine!r}")
        if engine == "hyperscan" and _hs is None:
            raise RuntimeError("hyperscan is not installed (pip install 'citator[bulk]')")
        self.authorities = tuple(authorities)
        self.requested_engine = engine
        self.patterns = patterns_for(self.authorities)
        self.engine = "hyperscan" if engine != "re" and _hs is not None else "re"
        self._compile()

    def _compile(self) -> None:
        self._hs_db = None
        self._regex = None
        if not self.patterns:
            return
        if self.engine == "hyperscan":
            db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
            flags = _hs.HS_FLAG_CASELESS | _hs.HS_FLAG_SINGLEMATCH | _hs.HS_FLAG_DOTALL
            db.compile(
                expressions=[p.encode("ascii") for p in self.patterns],
                ids=list(range(len(self.patterns))),
                elements=len(self.patterns),
                flags=[flags] * len(self.patterns),
            )
            self._hs_db = db
        else:
            self._regex = re.compile("|".join(f"(?:{p})" for p in self.patterns), re.IGNORECASE | re.DOTALL)

    def matches(self, text: str) -> bool:
        """True when `text` holds anything that could be a reference to one of the authorities."""
        if not self.patterns:
            return False
        if self._hs_db is not None:
            found = False

            def stop(*_: Any) -> bool:
                nonlocal found
                found = True
                return True  # halt the scan at the first hit

            try:
                self._hs_db.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=stop)
            except _hs.ScanTerminated:
                pass
            return found
        return self._regex.search(text) is not None

    def __getstate__(self) -> dict[str, Any]:
        return {"authorities": self.authorities, "engine": self.requested_engine}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["authorities"], engine=state["engine"])
