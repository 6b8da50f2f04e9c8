"""Same litigation from case identity: the same parties on both sides of the "v.".

An earlier decision in the same case (the decision under review, an earlier appeal) is read
differently from an unrelated precedent, so the classifier needs to know when a citing case and
a cited authority are one litigation. A first word is not enough ("United States v. Alvarez" and
"United States v. Stevens" are different cases); here both parties must match, each reduced to
its distinctive leading word ("Cohen v. Brown Univ." and "Cohen v. Brown University" match).
Explicit subsequent history (an authority whose history lists the citing decision) is the other
source of identity and is handled where the history is known (Authority.family in the config).
"""

from __future__ import annotations

import re
from typing import Iterable

from citator.citations.models import Authority

#: Party names that stand for the same litigant however abbreviated.
_CANON = (
    (re.compile(r"^(?:the\s+)?(?:united\s+states|u\.\s?s\.?|usa|u\.s\.a\.?)(?:\s+of\s+america)?(?=[\s,]|$)", re.I), "united-states"),
    (re.compile(r"^(?:the\s+)?people\b", re.I), "people"),
    (re.compile(r"^(?:the\s+)?(?:state|commonwealth)\s+of\s+(\w+)", re.I), "state-{0}"),
)
_LEADING = re.compile(
    r"^(?:in\s+re|ex\s+parte|ex\s+rel\.|matter\s+of|estate\s+of|the|regents\s+of|board\s+of|trustees\s+of|"
    r"(?:city|town|county|village|vill\.)\s+of)\s+",
    re.I,
)


def _party_key(party: str) -> str | None:
    party = re.sub(r"\s+", " ", party).strip(" ,.")
    party = re.sub(r",.*$", "", party)  # "Smith, Inc." -> "Smith"; "Jones, et al." -> "Jones"
    party = re.sub(r"['\u2019]", "", party)  # "O'Brien", "O’Brien" and "OBrien" are one name
    for pattern, key in _CANON:
        match = pattern.match(party)
        if match:
            return key.format(*(g.lower() for g in match.groups()))
    previous = None
    while previous != party:
        previous, party = party, _LEADING.sub("", party)
    word = re.match(r"[A-Za-z][A-Za-z'\-]+", party)
    return word.group(0).lower() if word else None


def litigation_key(case_name: str | None) -> str | None:
    """A key two decisions of one litigation share: both parties' distinctive words, or None
    when the name has no "v." (an "In re" matter is keyed by its subject alone)."""
    if not case_name:
        return None
    name = re.sub(r"\s*\([^)]*\)\s*$", "", case_name.strip())
    name = re.sub(r"^(?:United States\s+)?ex rel\.\s+", "", name, flags=re.I)
    sides = re.split(r"\s+v\.?\s+|\s+vs\.?\s+", name, maxsplit=1)
    if len(sides) == 1:
        subject = _party_key(sides[0])
        return f"re:{subject}" if subject and re.match(r"^(?:in re|matter of|ex parte)\b", name, re.I) else None
    keys = [_party_key(side) for side in sides]
    if not all(keys):
        return None
    return " v. ".join(k for k in keys if k)


def same_litigation(name_a: str | None, name_b: str | None) -> bool:
    """True when two case names have the same parties on both sides (in either order)."""
    a, b = litigation_key(name_a), litigation_key(name_b)
    if not a or not b:
        return False
    return a == b or a == " v. ".join(reversed(b.split(" v. ")))


def family_of(case_name: str | None, authorities: Iterable[Authority]) -> str | None:
    """The litigation family (Authority.family) of the first authority whose parties are the
    same as this case's, or None: how a citing case that is not itself a seed is known to be a
    later decision in a seed's litigation."""
    for authority in authorities:
        if authority.family and same_litigation(case_name, authority.name):
            return authority.family
    return None
