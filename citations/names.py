"""Case names: the short names a court uses for an authority, and regexes that find them.

Courts shorten "Regents of Univ. of Cal. v. Bakke" to "Bakke" and "Richmond v. J. A. Croson Co." to
"Croson" or "J. A. Croson"; they abbreviate "Village" to "Vill." and type "Ass'n" with a curly
apostrophe. These helpers turn a case name into the names to look for, and into regexes tolerant
of such variation, line breaks and runs of spaces included.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "derive_short_names",
    "is_generic_party",
    "name_pattern",
    "name_body",
    "split_parties",
    "word_forms",
    "name_words",
    "CASE_ABBREVIATIONS",
    "normalize_name",
    "first_word_anchors",
    "WORD_RUN",
]

#: Words and their case-name abbreviations (Bluebook T6 and common variants), lower case.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "association": ("ass'n", "assn."),
    "associates": ("assocs.",),
    "board": ("bd.",),
    "brotherhood": ("bhd.",),
    "california": ("cal.", "calif."),
    "college": ("coll.",),
    "commission": ("comm'n",),
    "committee": ("comm.",),
    "company": ("co.",),
    "corporation": ("corp.",),
    "county": ("cnty.", "cty."),
    "department": ("dep't", "dept."),
    "district": ("dist.",),
    "education": ("educ.",),
    "educational": ("educ.",),
    "federal": ("fed.",),
    "government": ("gov't",),
    "incorporated": ("inc.",),
    "insurance": ("ins.",),
    "international": ("int'l",),
    "national": ("nat'l",),
    "public": ("pub.",),
    "railway": ("ry.",),
    "railroad": ("r.r.",),
    "school": ("sch.",),
    "schools": ("schs.",),
    "society": ("soc'y",),
    "university": ("univ.",),
    "united states": ("u.s.",),
    "village": ("vill.",),
    "and": ("&",),
    "saint": ("st.",),
    "mount": ("mt.",),
    "authority": ("auth.",),
    "hospital": ("hosp.",),
    "services": ("servs.",),
    "service": ("serv.",),
    "security": ("sec.",),
    "securities": ("sec.",),
    "manufacturing": ("mfg.",),
    "limited": ("ltd.",),
}

#: Abbreviations that end with a period inside case names (used to tell them from a sentence end).
CASE_ABBREVIATIONS = frozenset(
    a.rstrip(".").lower() for forms in _ABBREVIATIONS.values() for a in forms if a.endswith(".")
) | frozenset(
    """co inc corp ltd univ bd educ sch schs dist vill cnty cty pub bhd ry comm coll assocs
    st mt auth hosp servs serv sec mfg fed dept cal calif nat'l int'l gov't v vs ex rel jr sr no
    u.s am elec indus prods div emps exch gen mgmt enters cmty ctr prop res sav tech twp admin
    ariz ark colo conn del fla ga ill ind kan ky la mass md me mich minn miss mo mont neb nev
    n.h n.j n.m n.y n.c n.d s.d okla or pa r.i s.c tenn tex va vt wash wis wyo d.c p.r
    envtl found inst med ret sys tel transp bros dev mut ins admr r.r l.l.c l.p n.a p.c
    pac pharm pharms fin mun corr equip chem constr distrib grp hous inv invs lab labs mach mkt
    mktg org trans util whse ent elecs props auto cas advert agric atl cent guar hwy liab mortg
    prod prot rehab reprod sci subcomm telecomm telecomms acad bldg condo consol coop det econ
    indem indep litig maint mech merch metro mfr transcon tpk unif""".split()
) | frozenset(
    # as courts write them in names, beside the Bluebook's forms: "Appalachian Reg. Comm'n",
    # "Pub. Utils. Comm'n", "Fid. & Guar.", "Sur. Co.", plurals of the forms above ("Int'l Bus.
    # Machs. Corp."), "Bus." and "Dep't." written with a period ("Maine Dep't. of Human Servs.")
    """reg utils fid sur cos corps ctys dists hosps bus machs dep't""".split()
)

_LEADING_GENERIC = re.compile(
    r"^(?:the\s+)?(?:city|town|village|vill\.|county|cnty\.|state|commonwealth|borough|township|"
    r"parish|people|board|bd\.|regents|trustees|dep't|department)\s+of\s+(?:the\s+)?",
    re.I,
)
_TRAILING_GENERIC = re.compile(
    r"(?:,?\s+(?:inc\.?|co\.|corp\.|ltd\.|l\.?l\.?c\.?|n\.a\.|et\s+al\.?|company|corporation|"
    r"college|coll\.|university|univ\.|ass'n|association|sch\.\s+dist\.|school\s+district))+$",
    re.I,
)
#: Parties that never serve as a short name on their own (Bluebook: use the other party).
_GOVERNMENT = re.compile(
    r"^(?:the\s+)?(?:united\s+states|u\.\s?s\.|america|state|commonwealth|people|city|town|county|"
    r"state\s+of\s+\w+|commissioner|secretary|director|attorney\s+general|fdic|nlrb|sec|ftc|fcc|"
    r"epa|irs|dep't|department|regents|board|trustees|in\s+re|"
    + "|".join(
        # a State as first party: "Texas v. Johnson" is "Johnson"
        """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
        hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
        michigan minnesota mississippi missouri montana nebraska nevada new\\s+hampshire
        new\\s+jersey new\\s+mexico new\\s+york north\\s+carolina north\\s+dakota ohio oklahoma
        oregon pennsylvania rhode\\s+island south\\s+carolina south\\s+dakota tennessee texas utah
        vermont virginia washington west\\s+virginia wisconsin wyoming""".split()
    )
    + r")\b(?!\s+(?:v\.|vs\.)?\s*$)(?=\s*$|\s+(?:ex\s+rel\.|dep't|department|board|bd\.|of\b))|^(?:the\s+)?(?:united\s+states|u\.\s?s\.|state|commonwealth|people|city|town|county|in\s+re|regents|board|trustees)\b",
    re.I,
)
_WORD_SPLIT = re.compile(r"\s+")


#: Initials written with periods ("N.L.R.B.", "F.D.I.C."), which _GOVERNMENT knows without them.
_DOTTED_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}")


def _undotted(name: str) -> str:
    """The name with its dotted initials closed up ("N.L.R.B. v. X" -> "NLRB v. X"): an agency
    written "N.L.R.B." is as generic a party as "NLRB"."""
    return _DOTTED_INITIALS.sub(lambda m: m.group(0).replace(".", ""), name)


def is_generic_party(name: str) -> bool:
    """True for a party that names no case on its own ("United States", "State", "Secretary"):
    a sentence mentioning it is not about any one decision."""
    return bool(_GOVERNMENT.fullmatch(name.strip()))


def normalize_name(name: str) -> str:
    """Lower case, straight apostrophes, single spaces: for comparing names as written."""
    name = name.replace("’", "'").replace("‘", "'")
    return _WORD_SPLIT.sub(" ", name).strip().lower()


def split_parties(name: str) -> tuple[str, str | None]:
    """("Regents of Univ. of Cal.", "Bakke") from "Regents of Univ. of Cal. v. Bakke"."""
    parts = re.split(r"\s+vs?\.\s+", name, maxsplit=1)
    if len(parts) == 2:
        return parts[0].strip(), parts[1].strip()
    return name.strip(), None


def _strip_party(party: str) -> str:
    party = re.sub(r"\s*\([^)]*\)\s*$", "", party)  # "(D.C. Cir. 1982)" disambiguators
    party = re.sub(r",\s*(?:local\s+no\.?\s*\d+|no\.\s*\d+).*$", "", party, flags=re.I)
    party = _TRAILING_GENERIC.sub("", party).strip(" ,")
    # the "&" that joined the corporate form to the partners' names: "D'Oench, Duhme & Co."
    party = re.sub(r"\s*(?:&|\band)$", "", party).strip(" ,")
    return party


#: A firm named for its partners: surnames listed with commas, the last joined by "&", then maybe
#: the firm's word and corporate form ("D'Oench, Duhme & Co.", "Sears, Roebuck & Co.", "Merrill
#: Lynch, Pierce, Fenner & Smith, Inc.", "Kelly, Hart & Hallman, P.C."). Courts call it by its first
#: partner's name ("the D'Oench doctrine", "Sears"), the name before the first comma (one or two
#: capitalised words). A union named for its trades ("Teamsters, Chauffeurs, Warehousemen & Helpers
#: Union, Local No. 59") or a railroad for its towns ("Atchison, Topeka & Santa Fe Ry. Co.") ends
#: in more than one word after the "&", and is no such list.
_PARTNERS = re.compile(
    r"(?P<first>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?),\s+[A-Z][^,&]*(?:,\s+[A-Z][^,&]*)*,?\s+&\s+"
    r"[A-Z][\w'’-]*\.?(?:,?\s+(?:Inc|Co|Corp|Ltd|P\.\s?C|P\.\s?A|L\.\s?L\.\s?P|LLP|LLC|L\.\s?L\.\s?C)\.?)?"
)


def _first_partner(party: str) -> str | None:
    """The first partner's name of a firm named for its partners, or None."""
    m = _PARTNERS.fullmatch(party.strip())
    return m.group("first") if m else None


def _party_names(party: str) -> list[str]:
    names = []
    partner = _first_partner(party)
    if partner is not None:
        names.append(partner)
    stripped = _strip_party(party)
    if stripped and len(stripped.split()) <= 5:
        names.append(stripped)
    no_place = _LEADING_GENERIC.sub("", stripped)
    if no_place != stripped and no_place and len(no_place.split()) <= 4:
        names.append(no_place)
    # "J. A. Croson" -> "Croson": drop initials
    no_initials = re.sub(r"^(?:[A-Z]\.\s*)+", "", stripped).strip()
    if no_initials and no_initials != stripped:
        names.append(no_initials)
    return names


def derive_short_names(name: str) -> tuple[str, ...]:
    """The names a court may use for a case after citing it, best first.

    Follows the Bluebook habit: the first party's name, unless the first party is a government,
    an office or a generic body (then the second party's); "City of X" and corporate suffixes are
    dropped. Both parties' names are offered, because courts differ ("Hazelwood" and
    "Kuhlmeier"); the caller decides which are safe to use without a citation next to them.
    """
    first, second = split_parties(name)
    place = re.match(
        r"(?:the\s+)?(?:city|town|village|vill\.|county|borough|township)\s+of\s+(.+)$", first, re.I
    )
    first_is_generic = bool(_GOVERNMENT.match(_undotted(first))) or (
        len(_strip_party(first).split()) > 5 and _first_partner(first) is None
    )
    if place and second:
        primary = [place.group(1).strip()]  # "City of Boerne v. Flores" is "Boerne"
    else:
        primary = [] if first_is_generic else _party_names(first)
    secondary = _party_names(second) if second else []
    ordered = primary + secondary if primary else secondary + _party_names(first)
    seen: list[str] = []
    for n in ordered:
        n = n.strip(" ,")
        words = [w.lower().rstrip(".,") for w in n.split()]
        if len(n) < 3 or _GOVERNMENT.fullmatch(_undotted(n)) or n in seen:
            continue
        if all(w in CASE_ABBREVIATIONS or w in ("of", "the", "and", "&") for w in words):
            continue  # "Educ." alone is no name
        seen.append(n)
    return tuple(dict.fromkeys(seen))


def word_forms(word: str) -> set[str]:
    """One name word, lower case, with every abbreviation or full form `_word_regex` accepts."""
    lower = word.lower().replace("’", "'")
    forms = {lower}
    for full, abbrs in _ABBREVIATIONS.items():
        if " " in full:
            continue
        if lower == full or lower in abbrs:
            forms.add(full)
            forms.update(abbrs)
    return forms


def name_words(name: str) -> list[str]:
    """The words `name_body` builds its regex from."""
    return [w for w in _WORD_SPLIT.split(name.replace("U. S.", "U.S.").strip()) if w]


def _word_regex(word: str) -> str:
    """A regex for one name word accepting its abbreviations and apostrophe variants."""
    forms = word_forms(word)
    pieces = []
    for form in sorted(forms, key=len, reverse=True):
        piece = re.escape(form).replace("'", "['’]").replace(r"\.", r"\.?")
        pieces.append(piece)
    return "(?:" + "|".join(pieces) + ")"


@lru_cache(maxsize=512)
def name_body(name: str) -> str:
    """Regex source for `name` without boundary assertions (for building longer patterns)."""
    return r"\s+".join(_word_regex(w) for w in name_words(name))


#: The numeral that tells decisions of one litigation apart ("Acevedo-Feliciano IV", "Libby II").
DECISION_NUMERAL = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X)"


@lru_cache(maxsize=512)
def name_pattern(name: str) -> str:
    """Regex source matching `name` with flexible spacing, abbreviations and apostrophes.

    Word boundaries are enforced on both ends; compile with re.IGNORECASE only if the caller
    accepts lower-case writing (the extractor does not: case names are capitalised).
    """
    numbered = re.fullmatch(r"(.+?)\s+(" + DECISION_NUMERAL + ")", name.strip())
    if numbered:
        # a decision's label ("Acevedo-Feliciano V") keeps its numeral's case even when the rest
        # is matched in any case: "Acevedo-Feliciano v. Ruiz-Hernández" is no use of it
        body = name_body(numbered.group(1)) + r"\s+(?-i:" + numbered.group(2) + ")"
        return r"(?<![\w'’])" + body + r"(?!\w)(?!['’](?!s\b)\w)"
    return r"(?<![\w'’])" + name_body(name) + r"(?!\w)(?!['’](?!s\b)\w)"


#: A run of word characters, as regexes' \w reads them.
WORD_RUN = re.compile(r"\w+")


@lru_cache(maxsize=8192)
def first_word_anchors(name: str) -> frozenset[str] | None:
    """The words a match of `name_pattern(name)` must begin with, lower case: the leading word
    characters of each form of its first word ("dep" for "Dep't", "bernstein"). A match starts
    after no word character, so it begins a run of word characters in the searched string; each
    form is followed in the regex by a non-word character or a word boundary, so that run is
    exactly the anchor. None when that does not hold (a form such as "r.r.", whose optional
    period lets the run go on, or one that is not ASCII, which re.I may match by other letters):
    then no name is ruled out before the regex."""
    words = name_words(name)
    if not words:
        return None
    anchors = set()
    for form in word_forms(words[0]):
        m = WORD_RUN.match(form)
        if m is None or not m.group().isascii():
            return None
        rest = form[m.end() :]
        if rest[:1] == "." and WORD_RUN.match(rest, 1):
            return None
        anchors.add(m.group())
    return frozenset(anchors)
