"""The parties of the citing case itself, read from its caption.

An opinion names its own parties throughout ("IMS Health argues ...", "Snepp was employed ...").
When a party shares its name with an authority the opinion cites, a bare mention of that name is
the party, not the decision, unless the sentence treats it as a decision ("In Snepp, the Court
..."). Opinions open with a caption that lists the parties in capitals, each followed by its role
("SCOTT TEVLIN, Petitioner, Appellant, v. LUIS SPENCER, ..., Respondent, Appellee."), before the
court below, the panel and the author; that is what this module reads.
"""

from __future__ import annotations

import re

__all__ = ["caption_parties", "company_words", "names_a_party"]

#: How far into an opinion its caption may reach (working text, characters).
_CAPTION_REACH = 6000

#: Where the caption ends: the court below, the panel, the date line's successors, the author.
_CAPTION_END = re.compile(
    r"\b(?:APPEAL FROM|ON APPEAL|APPEALS? FROM|PETITION FOR|ON PETITION|ON WRIT|CERTIFIED QUESTION|"
    r"Before\b|BEFORE\b|PER CURIAM|Per Curiam|OPINION\b|[A-Z]{2,}, (?:Chief )?(?:Circuit |District )?Judge\b)"
)
#: The role a caption gives each party; a caption without one is not read.
_ROLE = re.compile(
    r"\b(?:Plaintiffs?|Defendants?|Petitioners?|Respondents?|Appellants?|Appellees?|Intervenors?|"
    r"Movants?|Debtors?|Claimants?|Relators?|Cross-Appellants?|Cross-Appellees?)\b",
)
#: A corporate form after a party's name, which captions spell out ("THE ALAN CORPORATION") and
#: opinions abbreviate ("Alan Corp."): the party is the words before it.
_CORPORATE_FORMS = frozenset("INC CORP CORPORATION CO COMPANY LLC L.L.C LTD".split())  # without a final full stop
#: Capitalised caption words that name no one in particular.
_GENERIC = _CORPORATE_FORMS | frozenset(
    """THE AND OF ET AL AL. FOR
    UNITED STATES AMERICA COMMONWEALTH STATE CITY TOWN COUNTY DEPARTMENT DEP'T BOARD
    SECRETARY COMMISSIONER DIRECTOR SUPERINTENDENT JR JR. SR SR. II III IV
    COURT APPEALS CIRCUIT DISTRICT SUPREME FEDERAL COLUMBIA FIRST SECOND THIRD FOURTH FIFTH SIXTH
    SEVENTH EIGHTH NINTH TENTH ELEVENTH""".split()
)
_CAPS_WORD = re.compile(r"\b[A-Z][A-Z0-9'’&.-]*[A-Z0-9.]")


def caption_parties(text: str) -> frozenset[str]:
    """The distinctive words (lower case) of the party names in the opinion's caption; empty
    when the opening of `text` carries no caption with party roles."""
    head = text[:_CAPTION_REACH]
    end = _CAPTION_END.search(head)
    caption = head[: end.start()] if end else ""
    if not caption or not _ROLE.search(caption):
        return frozenset()
    words = set()
    for m in _CAPS_WORD.finditer(caption):
        word = m.group(0).rstrip(".,")
        if len(word) < 2 or word in _GENERIC or f"{word}." in _GENERIC or word in ("NO", "NOS", "V"):
            continue
        words.add(word.replace("’", "'").lower())
    return frozenset(words)


def names_a_party(name: str, parties: frozenset[str]) -> bool:
    """Is every word of `name` ("IMS Health", "Snepp", "Alan Corp.") a word of the caption's party
    names? A corporate form ending the name is not one of its words, as the caption's are read."""
    if not parties:
        return False
    tokens = name.split()
    while len(tokens) > 1 and tokens[-1].rstrip(".,").upper() in _CORPORATE_FORMS:
        tokens.pop()
    words = [w.strip(".,").replace("’", "'").lower() for w in tokens]
    words = [w for w in words if w]
    return bool(words) and all(w in parties for w in words)


def company_words(party: str) -> frozenset[str]:
    """The words (lower case) of a case party that is a company, its corporate form left out:
    {"eastman", "kodak"} for "Eastman Kodak Co."; empty when the party ends in no corporate form
    (a person, a government, an office)."""
    tokens = [t.strip(",") for t in party.split() if t.strip(",")]
    if len(tokens) < 2 or tokens[-1].rstrip(".").upper() not in _CORPORATE_FORMS:
        return frozenset()
    while len(tokens) > 1 and tokens[-1].rstrip(".").upper() in _CORPORATE_FORMS:
        tokens.pop()
    return frozenset(t.strip(".,").replace("’", "'").lower() for t in tokens if t.strip(".,"))
