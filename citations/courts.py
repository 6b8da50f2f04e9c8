"""Which court decided a cited case, and whether it binds the citing court.

`followed` means the citing court applies the seed as controlling law, and only a court above it
(or its own earlier panels) can be controlling. The treatment classifier therefore uses the
court hierarchy to split support into `followed` (binding authority applied) and `relied_on`
(persuasive authority: another circuit, a district court, a separate opinion). Court ids are
CourtListener's ("scotus", "ca1", "cadc", "cand"); a district court is any other id, or "district"
when only the reporter tells us so.
"""

from __future__ import annotations

import re

_CIRCUIT_WORDS = {
    "first": "ca1",
    "second": "ca2",
    "third": "ca3",
    "fourth": "ca4",
    "fifth": "ca5",
    "sixth": "ca6",
    "seventh": "ca7",
    "eighth": "ca8",
    "ninth": "ca9",
    "tenth": "ca10",
    "eleventh": "ca11",
    "district of columbia": "cadc",
    "federal": "cafc",
}
_STATES = {
    "alabama": "al", "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca", "colorado": "co",
    "connecticut": "ct", "delaware": "de", "florida": "fl", "georgia": "ga", "hawaii": "hi", "idaho": "id",
    "illinois": "il", "indiana": "in", "iowa": "ia", "kansas": "ks", "kentucky": "ky", "louisiana": "la",
    "maine": "me", "maryland": "md", "massachusetts": "ma", "michigan": "mi", "minnesota": "mn",
    "mississippi": "ms", "missouri": "mo", "montana": "mt", "nebraska": "ne", "nevada": "nv",
    "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm", "new york": "ny", "north carolina": "nc",
    "north dakota": "nd", "ohio": "oh", "oklahoma": "ok", "oregon": "or", "pennsylvania": "pa",
    "rhode island": "ri", "south carolina": "sc", "south dakota": "sd", "tennessee": "tn", "texas": "tx",
    "utah": "ut", "vermont": "vt", "virginia": "va", "washington": "wa", "west virginia": "wv",
    "wisconsin": "wi", "wyoming": "wy", "columbia": "dc", "puerto rico": "pr",
}
_FULL_CIRCUIT = re.compile(r"court of appeals for the (.+?) circuit")
_FULL_DISTRICT = re.compile(
    r"district court for the (?:(northern|southern|eastern|western|middle|central) )?district of ([a-z .]+)$"
)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\s*Cir\.", re.I)
_SCOTUS_REPORTERS = re.compile(r"\b\d+\s+(?:U\.\s*S\.|S\.\s*Ct\.|L\.\s*Ed\.(?:\s*2d)?)\s*,?\s*(?:\d|_)")
_DISTRICT_REPORTERS = re.compile(r"\bF\.\s*Supp\.|\bF\.\s*R\.\s*D\.|\bB\.\s*R\.\s")
_DISTRICT_PAREN = re.compile(r"\((?:[NSEWMC]\.\s?)?D\.\s?[A-Z][A-Za-z.\s]{0,12}\d{4}\)")


def court_id_from_name(name: str | None) -> str | None:
    """Map a court's full name ("United States Court of Appeals for the First Circuit") to an id."""
    if not name:
        return None
    low = name.lower()
    if "supreme court of the united states" in low or low in ("supreme court", "u.s. supreme court"):
        return "scotus"
    if "circuit" in low:
        for word, cid in _CIRCUIT_WORDS.items():
            if word + " circuit" in low:
                return cid
    if "district court" in low:
        return "district"
    return None


def exact_court_id(name: str | None) -> str | None:
    """The id of a federal court a source names in full, or None when the name is not one of them.

    Stricter than `court_id_from_name`: a source's court field is stored as the citing court, so
    only names that say which federal court they are count ("United States Court of Appeals for the
    Ninth Circuit" -> ca9, "United States District Court for the Northern District of California"
    -> cand); a state court ("Court of Appeals of Maryland", "Louisiana Court of Appeal, Fifth
    Circuit") gets None rather than a federal id.
    """
    if not name:
        return None
    lowered = " ".join(name.lower().replace(",", " ").split())
    if lowered == "supreme court of the united states":
        return "scotus"
    match = _FULL_CIRCUIT.search(lowered)
    if match and match.group(1) in _CIRCUIT_WORDS:
        return _CIRCUIT_WORDS[match.group(1)]
    match = _FULL_DISTRICT.search(lowered)
    if match:
        state = _STATES.get(match.group(2).strip())
        if state:
            return state + (match.group(1)[0] if match.group(1) else "") + "d"
    return None


def court_from_citation(text: str) -> str | None:
    """Guess the deciding court from a full citation as written ("..., 180 F.3d 1 (1st Cir. 1999)")."""
    match = _ORDINAL.search(text)
    if match:
        return f"ca{int(match.group(1))}"
    if re.search(r"D\.\s?C\.\s*Cir\.", text):
        return "cadc"
    if re.search(r"Fed\.\s*Cir\.", text):
        return "cafc"
    if _SCOTUS_REPORTERS.search(text):
        return "scotus"
    if _DISTRICT_REPORTERS.search(text) or _DISTRICT_PAREN.search(text):
        return "district"
    return None


def _is_circuit(court: str) -> bool:
    return bool(re.fullmatch(r"ca\d{1,2}|cadc|cafc", court))


def is_binding(authority_court: str | None, citing_court: str | None) -> bool | None:
    """True when the authority's court binds the citing court; None when we cannot tell.

    The Supreme Court binds every court; a circuit binds itself (prior-panel rule); district court
    decisions bind no other court. State courts and unknown ids give None.
    """
    if authority_court is None:
        return None
    if authority_court == "scotus":
        return True
    if not _is_circuit(authority_court):
        return False
    if citing_court is None:
        return None
    if citing_court == "scotus":
        return False
    return authority_court == citing_court
