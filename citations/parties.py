"""The parties of the citing case itself, read from its caption.

An opinion names its own parties throughout ("IMS Health argues ...", "Snepp was employed ...").
When a party shares its name with an authority the opinion cites, a bare mention of that name is
the party, not the decision, unless the sentence treats it as a decision ("In Snepp, the Court
..."). Opinions open with a caption that lists the parties in capitals, each followed by its role
("SCOTT TEVLIN, Petitioner, Appellant, v. LUIS SPENCER, ..., Respondent, Appellee."), before the
court below, the panel and the author; that is what this module reads.

An opinion also names people who are no party of its caption, a codefendant or a witness, by
given name and surname once ("his girlfriend, Priscilla Jackson") and by surname after that ("he
and Jackson were arrested"): those surnames are read as parties too (`named_people`).
"""

from __future__ import annotations

import re

__all__ = ["caption_parties", "company_words", "named_people", "names_a_party"]

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


#: A given name and a surname written inside a sentence ("his live-in girlfriend, Priscilla Jackson,
#: was ..."): after a lower-case word or a comma, so not a sentence's first word ("Following Jackson")
#: nor the end of a capitalised name; not a case name ("Priscilla Jackson v.", "v. Priscilla
#: Jackson") nor a name before a cite.
_GIVEN_AND_SURNAME = re.compile(
    r"(?<=[a-z,] )(?<!\bv\. )(?P<given>[A-Z][a-z]{2,}) (?P<surname>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b"
    r"(?!-)(?! vs?\.)(?!,? \d)(?!['’]?s? (?:v\.|[A-Z]))"
)
#: Capitalised words written before another inside a sentence that are no given names: places,
#: institutions and the words of company and case names.
_NOT_GIVEN = frozenset(
    """united states supreme district circuit court appeals federal general national american
    first second third new north south east west puerto rhode santa san saint los las del
    central western eastern northern southern pacific atlantic international commonwealth state
    county city town board department local royal mutual home life bell chase bank trust fund
    house senate congress street avenue road river lake mount fort port island bay""".split()
)


def _lower_case_words(text: str) -> set[str]:
    """Every word the text writes in lower case, hyphenated ones whole and by their parts."""
    words = set(_LOWER_WORD.findall(text))
    words.update(part for word in [w for w in words if "-" in w] for part in word.split("-"))
    return words


_LOWER_WORD = re.compile(r"\b[a-z]+(?:-[a-z]+)*\b")


def named_people(text: str) -> frozenset[str]:
    """Surnames (lower case) the opinion writes after a given name: the people it tells of."""
    found = set()
    lower_words: set[str] | None = None  # read once, and only when some name needs it
    for m in _GIVEN_AND_SURNAME.finditer(text):
        given, surname = m.group("given"), m.group("surname")
        if given.lower() in _NOT_GIVEN or surname.lower() in _NOT_GIVEN:
            continue
        if lower_words is None:
            lower_words = _lower_case_words(text)
        if surname.lower() in lower_words or given.lower() in lower_words:
            continue  # a word the opinion also writes in lower case is no name ("Immigration Service", "Cases Although Garmon")
        if surname in text[max(0, m.start() - 60) : m.start()]:
            continue  # a precedent's party, retold right after its name: "In Hossain, Mohammed Mozammel Hossain, a citizen"
        found.add(surname.replace("’", "'").lower())
    return frozenset(found)
