"""Short forms an opinion defines for a body's name: "the Federal Energy Regulatory Commission
(FERC)", 'the Environmental Protection Agency ("EPA")'.

Courts name an agency or an association once in full, give its initials in parentheses, and use
the initials from then on ("FERC promulgated the regulations", "FERC, as an amicus, argues").
When a case is named after that body ("FERC v. Mississippi"), its short name is the same word,
but the opinion's own definition says what the word means here: the body, not the decision. A
cite ("FERC, 456 U.S. at 750") still names the decision; only name-only mentions are affected.
"""

from __future__ import annotations

import re

__all__ = ["defined_abbreviations"]

#: Initials in parentheses, quoted or not, optionally after "the": "(FERC)", '("EPA")', "(the "SEC")".
_DEFINITION = re.compile(r"\(\s*(?:the\s+)?[\"“']?(?P<abbr>[A-Z]{2,6})[\"”']?\s*\)")
#: The words of a name before its initials, read backwards: capitalised words and the small words
#: that do not give an initial ("Department of Health and Human Services").
_WORD = re.compile(r"[A-Z][A-Za-z'’.-]*|of|and|the|for|on|&")
_SMALL = {"of", "and", "the", "for", "on", "&", "The"}


def _initials_match(words_before: str, abbr: str) -> bool:
    """Whether the words just before the parenthesis, read backwards, give `abbr` as initials."""
    words = re.findall(r"\S+", words_before)[-12:]
    initials: list[str] = []
    for word in reversed(words):
        word = word.strip(",;:")
        if not _WORD.fullmatch(word):
            break
        if word in _SMALL:
            continue
        initials.append(word[0])
        if len(initials) == len(abbr):
            return "".join(reversed(initials)) == abbr
    return False


def defined_abbreviations(text: str) -> frozenset[str]:
    """The initials `text` defines as the short form of a name written out just before them."""
    found = set()
    for m in _DEFINITION.finditer(text):
        abbr = m.group("abbr")
        if abbr in found:
            continue
        if _initials_match(text[max(0, m.start() - 160) : m.start()], abbr):
            found.add(abbr)
    return frozenset(found)
